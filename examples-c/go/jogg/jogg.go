// Package jogg calls the Jogg.ai video-generation API through libjogg's C interface
// (include/jogg.h): create a talking-avatar video, wait until it has rendered, get its URL.
//
// Every method returns the library's JSON text (decode it with encoding/json) or an *Error.
// A Client is safe for concurrent use by any number of goroutines. Strings returned by the
// library are copied into Go strings and freed before a method returns.
package jogg

/*
#include <stdint.h>
#include <stdlib.h>
#include "jogg.h"

// Exported by progress.go.
extern int32_t joggGoProgress(void *userdata, char *event_json);

// Go cannot name an exported Go function as a C function pointer, and must not turn the
// integer cgo.Handle into a pointer itself: both happen here, on the C side.
static jogg_code jogg_go_wait(const jogg_client *client, const char *project_id,
                              const char *options_json, int with_progress, uintptr_t handle,
                              char **result_json, char **error_json) {
    jogg_progress_cb cb = with_progress ? (jogg_progress_cb)joggGoProgress : NULL;
    return jogg_wait_for_project(client, project_id, options_json, cb, (void *)handle,
                                 result_json, error_json);
}
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// The version of the header this package was compiled with; Version() and
// LibraryVersionNumber() describe the library linked in, and must agree.
const (
	HeaderVersion       = "jogg/" + C.JOGG_VERSION_STRING
	HeaderVersionNumber = uint32(C.JOGG_VERSION_NUMBER)
)

// Version is the linked library's "jogg/MAJOR.MINOR.PATCH".
func Version() string { return C.GoString(C.jogg_version()) }

// LibraryVersionNumber is the linked library's MAJOR*1000000 + MINOR*1000 + PATCH.
func LibraryVersionNumber() uint32 { return uint32(C.jogg_version_number()) }

// Code is a jogg_code: OK or one of the Err* values (see jogg.h for each).
type Code int32

// The codes of jogg.h, taken from the header so they cannot drift.
const (
	OK                     Code = C.JOGG_OK
	ErrNullArgument        Code = C.JOGG_ERR_NULL_ARGUMENT
	ErrInvalidUTF8         Code = C.JOGG_ERR_INVALID_UTF8
	ErrInvalidJSON         Code = C.JOGG_ERR_INVALID_JSON
	ErrValidation          Code = C.JOGG_ERR_VALIDATION
	ErrUnknownOperation    Code = C.JOGG_ERR_UNKNOWN_OPERATION
	ErrInvalidConfig       Code = C.JOGG_ERR_INVALID_CONFIG
	ErrConnect             Code = C.JOGG_ERR_CONNECT
	ErrTimeout             Code = C.JOGG_ERR_TIMEOUT
	ErrTLS                 Code = C.JOGG_ERR_TLS
	ErrTransport           Code = C.JOGG_ERR_TRANSPORT
	ErrBodyTooLarge        Code = C.JOGG_ERR_BODY_TOO_LARGE
	ErrAPI                 Code = C.JOGG_ERR_API
	ErrAuth                Code = C.JOGG_ERR_AUTH
	ErrNotFound            Code = C.JOGG_ERR_NOT_FOUND
	ErrRateLimited         Code = C.JOGG_ERR_RATE_LIMITED
	ErrServer              Code = C.JOGG_ERR_SERVER
	ErrInvalidRequest      Code = C.JOGG_ERR_INVALID_REQUEST
	ErrInsufficientCredits Code = C.JOGG_ERR_INSUFFICIENT_CREDITS
	ErrForbidden           Code = C.JOGG_ERR_FORBIDDEN
	ErrBadResponse         Code = C.JOGG_ERR_BAD_RESPONSE
	ErrCancelled           Code = C.JOGG_ERR_CANCELLED
	ErrWaitTimeout         Code = C.JOGG_ERR_WAIT_TIMEOUT
	ErrTaskFailed          Code = C.JOGG_ERR_TASK_FAILED
	ErrPanic               Code = C.JOGG_ERR_PANIC
	ErrInternal            Code = C.JOGG_ERR_INTERNAL
)

// String is the constant's name in jogg.h, e.g. "JOGG_ERR_VALIDATION".
func (c Code) String() string { return C.GoString(C.jogg_code_name(C.jogg_code(c))) }

// Error is a failed call: the library's error JSON, decoded.
type Error struct {
	Code           Code   `json:"code"`
	Name           string `json:"name"`
	Message        string `json:"message"`
	Field          string `json:"field"`       // the request member or parameter at fault
	HTTPStatus     int    `json:"http_status"` // 0 when no response came
	APICode        int    `json:"api_code"`
	APIMessage     string `json:"api_message"`
	RequestID      string `json:"request_id"` // quote it to Jogg support
	RetryAfterMs   int64  `json:"retry_after_ms"`
	Retryable      bool   `json:"retryable"`
	MaybeProcessed bool   `json:"maybe_processed"`
	TaskID         string `json:"task_id"` // the project a failed or cancelled wait was about
	JSON           string `json:"-"`       // the error JSON as the library wrote it
}

func (e *Error) Error() string {
	if e.RequestID != "" {
		return fmt.Sprintf("jogg: %s: %s (request id %s)", e.Name, e.Message, e.RequestID)
	}
	return fmt.Sprintf("jogg: %s: %s", e.Name, e.Message)
}

func newError(code Code, errorJSON string) *Error {
	e := &Error{JSON: errorJSON}
	if json.Unmarshal([]byte(errorJSON), e) != nil || e.Name == "" {
		// No detail (the library could not produce it): the code still says what failed.
		e.Name, e.Message = code.String(), code.String()
	}
	e.Code = code
	return e
}

// ErrClosed is returned by the methods of a Client after Close.
var ErrClosed = errors.New("jogg: client is closed")

// Client owns one jogg_client: configuration, API key and connection pool.
type Client struct {
	// Calls hold the read lock and Close the write lock: the C contract forbids freeing a
	// client while a call on it is running.
	mu     sync.RWMutex
	handle *C.jogg_client
}

// NewClient makes a client from config JSON as for jogg_client_new; "{}" takes the key and
// base URL from JOGG_API_KEY and JOGG_BASE_URL.
func NewClient(configJSON string) (*Client, error) {
	config := C.CString(configJSON)
	defer C.free(unsafe.Pointer(config))
	var handle *C.jogg_client
	var errJSON *C.char
	if _, err := take(C.jogg_client_new(config, &handle, &errJSON), nil, errJSON); err != nil {
		return nil, err
	}
	c := &Client{handle: handle}
	runtime.SetFinalizer(c, (*Client).Close) // in case the caller forgets
	return c, nil
}

// Close releases the client once all running calls have returned. Calling it again does
// nothing.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.jogg_client_free(c.handle)
	c.handle = nil
}

// CreateTalkingAvatarVideo starts a render; the reply is {"project_id": "..."}.
func (c *Client) CreateTalkingAvatarVideo(requestJSON string) (string, error) {
	request := C.CString(requestJSON)
	defer C.free(unsafe.Pointer(request))
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_create_talking_avatar_video(h, request, out, errJSON)
	})
}

// GetProject returns the project's current state.
func (c *Client) GetProject(projectID string) (string, error) {
	id := C.CString(projectID)
	defer C.free(unsafe.Pointer(id))
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_get_project(h, id, out, errJSON)
	})
}

// ListAvatars returns {"avatars": [...]}; filterJSON may be "" for no filter.
func (c *Client) ListAvatars(filterJSON string) (string, error) {
	filter := optionalCString(filterJSON)
	defer C.free(unsafe.Pointer(filter))
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_list_avatars(h, filter, out, errJSON)
	})
}

// ListVoices returns one page, {"total": N, "voices": [...]}; filterJSON may be "".
func (c *Client) ListVoices(filterJSON string) (string, error) {
	filter := optionalCString(filterJSON)
	defer C.free(unsafe.Pointer(filter))
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_list_voices(h, filter, out, errJSON)
	})
}

// WaitForProject blocks until the project has rendered (the final project JSON), failed,
// timed out or was cancelled. optionsJSON may be "" for the defaults. progress may be nil;
// it receives every poll's event JSON and returns false to cancel. If progress panics, the
// wait is cancelled and the panic resumes here, after the library has returned.
func (c *Client) WaitForProject(projectID, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	id := C.CString(projectID)
	defer C.free(unsafe.Pointer(id))
	options := optionalCString(optionsJSON)
	defer C.free(unsafe.Pointer(options))
	state := &waitState{progress: progress}
	handle := cgo.NewHandle(state)
	defer handle.Delete()
	withProgress := C.int(0)
	if progress != nil {
		withProgress = 1
	}
	result, err := c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_wait(h, id, options, withProgress, C.uintptr_t(handle), out, errJSON)
	})
	if state.panicked {
		panic(state.panicValue)
	}
	return result, err
}

// call runs one C function of the usual shape (client, inputs..., char **out, char
// **error_json) and frees whatever it returned.
func (c *Client) call(fn func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code) (string, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return "", ErrClosed
	}
	var out, errJSON *C.char
	return take(fn(c.handle, &out, &errJSON), out, errJSON)
}

// take copies a call's result into Go and frees both strings (jogg_string_free accepts NULL).
func take(rc C.jogg_code, out, errJSON *C.char) (string, error) {
	defer C.jogg_string_free(out)
	defer C.jogg_string_free(errJSON)
	if Code(rc) != OK {
		detail := ""
		if errJSON != nil {
			detail = C.GoString(errJSON)
		}
		return "", newError(Code(rc), detail)
	}
	return C.GoString(out), nil
}

// optionalCString is NULL for "", which the library reads as "no filter" or "defaults".
func optionalCString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}
