// Package jogg calls the Jogg.ai video-generation API through libjogg's C interface
// (include/jogg.h): create a talking-avatar video, wait until it has rendered, get its URL.
//
// Every method returns the library's JSON text (decode it with encoding/json) or an *Error.
// A Client is safe for concurrent use by any number of goroutines. Strings returned by the
// library are copied into Go strings and freed before a method returns.
package jogg

/*
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "jogg.h"

// Exported by progress.go, log.go and limiter.go.
extern int32_t joggGoProgress(void *userdata, char *event_json);
extern void joggGoLog(void *userdata, int32_t level, char *line);
extern int32_t joggGoAcquire(void *userdata, jogg_post_slot *slot, uint64_t *wait_ms);
extern int32_t joggGoRelease(void *userdata, jogg_post_slot *slot);
extern int32_t joggGoCooldown(void *userdata, char *key_id, uint64_t pause_ms);

// Go cannot name an exported Go function as a C function pointer, and must not turn the
// integer cgo.Handle into a pointer itself: both happen here, on the C side, in one wrapper per
// function that takes a progress or log callback.
static jogg_progress_cb jogg_go_cb(int with_progress) {
    return with_progress ? (jogg_progress_cb)joggGoProgress : NULL;
}

static jogg_code jogg_go_client_new_with_log(const char *config_json, uintptr_t handle,
                                             jogg_client **out_client, char **error_json) {
    return jogg_client_new_with_log(config_json, (jogg_log_cb)joggGoLog, (void *)handle, out_client,
                                    error_json);
}

static jogg_code jogg_go_client_new_with_post_limiter(const char *config_json, uintptr_t handle,
                                                      jogg_client **out_client,
                                                      char **error_json) {
    jogg_post_limiter limiter;
    limiter.acquire = (jogg_post_acquire_cb)joggGoAcquire;
    limiter.release = (jogg_post_release_cb)joggGoRelease;
    limiter.cooldown = (jogg_post_cooldown_cb)joggGoCooldown;
    limiter.userdata = (void *)handle;
    return jogg_client_new_with_post_limiter(config_json, &limiter, out_client, error_json);
}

// The calling OS thread, as a number: the library calls a store back on the thread that made
// the call (see storeState in limiter.go).
static uintptr_t jogg_go_thread(void) { return (uintptr_t)pthread_self(); }

static jogg_code jogg_go_wait(const jogg_client *client, const char *project_id,
                              const char *options_json, int with_progress, uintptr_t handle,
                              char **result_json, char **error_json) {
    return jogg_wait_for_project(client, project_id, options_json, jogg_go_cb(with_progress),
                                 (void *)handle, result_json, error_json);
}

static jogg_code jogg_go_wait_task(const jogg_client *client, const char *poll_operation,
                                   const char *id, const char *options_json, int with_progress,
                                   uintptr_t handle, char **result_json, char **error_json) {
    return jogg_wait(client, poll_operation, id, options_json, jogg_go_cb(with_progress),
                     (void *)handle, result_json, error_json);
}

static jogg_code jogg_go_wait_many(const jogg_client *client, const char *tasks_json,
                                   const char *options_json, int with_progress, uintptr_t handle,
                                   char **results_json, char **error_json) {
    return jogg_wait_many(client, tasks_json, options_json, jogg_go_cb(with_progress),
                          (void *)handle, results_json, error_json);
}

static jogg_code jogg_go_call_and_wait(const jogg_client *client, const char *operation,
                                       const char *request_json, const char *options_json,
                                       int with_progress, uintptr_t handle, char **result_json,
                                       char **error_json) {
    return jogg_call_and_wait(client, operation, request_json, options_json,
                              jogg_go_cb(with_progress), (void *)handle, result_json, error_json);
}

static jogg_code jogg_go_generate(const jogg_client *client, const char *request_json,
                                  const char *options_json, int with_progress, uintptr_t handle,
                                  char **result_json, char **error_json) {
    return jogg_generate_talking_avatar_video(client, request_json, options_json,
                                              jogg_go_cb(with_progress), (void *)handle,
                                              result_json, error_json);
}

static jogg_code jogg_go_upload(const jogg_client *client, const char *path,
                                const char *options_json, int with_progress, uintptr_t handle,
                                char **result_json, char **error_json) {
    return jogg_upload_asset(client, path, options_json, jogg_go_cb(with_progress),
                             (void *)handle, result_json, error_json);
}

static jogg_code jogg_go_download(const jogg_client *client, const char *url, const char *path,
                                  int with_progress, uintptr_t handle, char **result_json,
                                  char **error_json) {
    return jogg_download(client, url, path, jogg_go_cb(with_progress), (void *)handle,
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
	"strings"
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
	ErrNoSuchMember        Code = C.JOGG_ERR_NO_SUCH_MEMBER // jogg_json_string: nothing at the pointer
	ErrWrongType           Code = C.JOGG_ERR_WRONG_TYPE     // jogg_json_string: not a string or number
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
	ErrIO                  Code = C.JOGG_ERR_IO
	ErrSignature           Code = C.JOGG_ERR_SIGNATURE
	ErrLimiterStore        Code = C.JOGG_ERR_LIMITER_STORE // the post_limit_scope's shared store could not be used
	ErrPanic               Code = C.JOGG_ERR_PANIC
	ErrInternal            Code = C.JOGG_ERR_INTERNAL
)

// Codes lists every code above, in the header's order; a test holds it against jogg.h.
var Codes = []Code{
	OK, ErrNullArgument, ErrInvalidUTF8, ErrInvalidJSON, ErrValidation, ErrUnknownOperation,
	ErrInvalidConfig, ErrNoSuchMember, ErrWrongType, ErrConnect, ErrTimeout, ErrTLS,
	ErrTransport, ErrBodyTooLarge, ErrAPI, ErrAuth, ErrNotFound, ErrRateLimited, ErrServer,
	ErrInvalidRequest, ErrInsufficientCredits, ErrForbidden, ErrBadResponse, ErrCancelled,
	ErrWaitTimeout, ErrTaskFailed, ErrIO, ErrSignature, ErrLimiterStore, ErrPanic, ErrInternal,
}

// String is the constant's name in jogg.h, e.g. "JOGG_ERR_VALIDATION".
func (c Code) String() string { return C.GoString(C.jogg_code_name(C.jogg_code(c))) }

// Error is a failed call: the library's error JSON, decoded. Arguments are checked as the C
// library checks its own: a string holding a NUL byte (which C cannot carry) is ErrValidation
// naming the argument, before any call.
type Error struct {
	Code           Code            `json:"code"`
	Name           string          `json:"name"`
	Message        string          `json:"message"`
	Field          string          `json:"field"`       // the request member or parameter at fault
	Fields         []string        `json:"fields"`      // every member at fault: all the missing ones when several are
	HTTPStatus     int             `json:"http_status"` // 0 when no response came
	APICode        int             `json:"api_code"`
	APIMessage     string          `json:"api_message"`
	APIData        json.RawMessage `json:"api_data"`   // the envelope's data sent with the error, or null
	RequestID      string          `json:"request_id"` // quote it to Jogg support
	RetryAfterMs   int64           `json:"retry_after_ms"`
	Retryable      bool            `json:"retryable"`
	MaybeProcessed bool            `json:"maybe_processed"`
	TaskID         string          `json:"task_id"` // the project a failed or cancelled wait was about
	JSON           string          `json:"-"`       // the error JSON as the library wrote it
	// Cause is, for ErrLimiterStore from a client of NewClientWithPostLimiter, the error your
	// store's Acquire returned (or its panic); C carries only that it failed. Else nil.
	Cause error `json:"-"`
}

func (e *Error) Error() string {
	text := fmt.Sprintf("jogg: %s: %s", e.Name, e.Message)
	if e.Cause != nil {
		text += ": " + e.Cause.Error()
	}
	if e.RequestID != "" {
		text += fmt.Sprintf(" (request id %s)", e.RequestID)
	}
	return text
}

// Unwrap gives Cause, so that errors.Is and errors.As see your store's own error.
func (e *Error) Unwrap() error { return e.Cause }

func newError(code Code, errorJSON string) *Error {
	e := &Error{JSON: errorJSON}
	if json.Unmarshal([]byte(errorJSON), e) != nil || e.Name == "" {
		// No detail (the library could not produce it): the code still says what failed.
		e.Name, e.Message = code.String(), code.String()
	}
	e.Code = code
	return e
}

// argumentError is the error the C library gives for a bad argument, made before calling it.
func argumentError(code Code, name, problem string) *Error {
	e := &Error{Code: code, Name: code.String(), Message: name + ": " + problem, Field: name,
		Fields: []string{name}}
	text, _ := json.Marshal(e)
	e.JSON = string(text)
	return e
}

// cString is a string argument for C, which ends strings at a NUL byte: one that holds a NUL
// would reach the library cut short, so it is refused naming the argument (ErrValidation).
// Free the result with C.free.
func cString(name, value string) (*C.char, error) {
	if strings.IndexByte(value, 0) >= 0 {
		return nil, argumentError(ErrValidation, name,
			"must not contain a NUL byte (C strings end there)")
	}
	return C.CString(value), nil
}

// optionalArg is cString for an argument whose "" means "none": NULL then.
func optionalArg(name, value string) (*C.char, error) {
	if value == "" {
		return nil, nil
	}
	return cString(name, value)
}

// cStrings converts several arguments at once (name, value pairs); on an error nothing is
// left allocated. Free them with freeAll.
func cStrings(args ...string) ([]*C.char, error) {
	out := make([]*C.char, 0, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		name, value := args[i], args[i+1]
		var p *C.char
		var err error
		if strings.HasSuffix(name, "?") {
			p, err = optionalArg(strings.TrimSuffix(name, "?"), value)
		} else {
			p, err = cString(name, value)
		}
		if err != nil {
			freeAll(out)
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func freeAll(ps []*C.char) {
	for _, p := range ps {
		C.free(unsafe.Pointer(p))
	}
}

// ErrClosed is returned by the methods of a Client after Close.
var ErrClosed = errors.New("jogg: client is closed")

// Client owns one jogg_client: configuration, API key and connection pool.
type Client struct {
	// Calls hold the read lock and Close the write lock: the C contract forbids freeing a
	// client while a call on it is running.
	mu     sync.RWMutex
	handle *C.jogg_client
	// The log callback's handle (NewClientWithLog), deleted by Close after the client is
	// freed; 0 without one.
	logHandle cgo.Handle
	// The store of NewClientWithPostLimiter and its handle, deleted as logHandle is; nil
	// and 0 without one.
	store       *storeState
	storeHandle cgo.Handle
}

// NewClient makes a client from config JSON as for jogg_client_new; "{}" takes the key and
// base URL from JOGG_API_KEY and JOGG_BASE_URL.
func NewClient(configJSON string) (*Client, error) {
	config, err := cString("configJSON", configJSON)
	if err != nil {
		return nil, err
	}
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

// NewClientWithLog makes a client as NewClient does, whose log lines go to log instead of
// stderr (jogg_client_new_with_log). level is LogInfo or LogDebug; the level sent is the
// config's "log", else JOGG_LOG, else "debug" (filter on level). log is called from whichever
// goroutine makes a request, possibly from several at once: make it safe for concurrent use.
// It must not call the client. A panic in log is recovered and dropped, with its line. log
// travels through C as a runtime/cgo.Handle, deleted by Close. A nil log is NewClient.
func NewClientWithLog(configJSON string, log func(level int, line string)) (*Client, error) {
	if log == nil {
		return NewClient(configJSON)
	}
	config, err := cString("configJSON", configJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(config))
	logHandle := cgo.NewHandle(&logState{log: log})
	var handle *C.jogg_client
	var errJSON *C.char
	rc := C.jogg_go_client_new_with_log(config, C.uintptr_t(logHandle), &handle, &errJSON)
	if _, err := take(rc, nil, errJSON); err != nil {
		logHandle.Delete()
		return nil, err
	}
	c := &Client{handle: handle, logHandle: logHandle}
	runtime.SetFinalizer(c, (*Client).Close) // in case the caller forgets
	return c, nil
}

// NewClientWithPostLimiter makes a client as NewClient does, whose POSTs are counted in store
// instead of a post_limit_scope, which configJSON must then leave out
// (jogg_client_new_with_post_limiter): one store given to several clients, or a store whose
// state lives in a database or a service of yours, makes them share the key's POST limit.
// post_limit, post_window_ms and post_limit_fallback apply as usual. See PostSlotStore for
// what each method must do. A panic in store is recovered and counts as the store failing.
// When Acquire fails, the POST fails with ErrLimiterStore (nothing is sent) and the *Error's
// Cause is Acquire's error. store travels through C as a runtime/cgo.Handle, deleted by Close.
func NewClientWithPostLimiter(configJSON string, store PostSlotStore) (*Client, error) {
	if store == nil {
		return nil, argumentError(ErrNullArgument, "store", "must not be nil")
	}
	config, err := cString("configJSON", configJSON)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(config))
	state := &storeState{store: store, calls: map[uintptr]error{}}
	storeHandle := cgo.NewHandle(state)
	var handle *C.jogg_client
	var errJSON *C.char
	rc := C.jogg_go_client_new_with_post_limiter(config, C.uintptr_t(storeHandle), &handle, &errJSON)
	if _, err := take(rc, nil, errJSON); err != nil {
		storeHandle.Delete()
		return nil, err
	}
	c := &Client{handle: handle, store: state, storeHandle: storeHandle}
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
	// Only now: a freed client sends no more lines and asks its store nothing more.
	if c.logHandle != 0 {
		c.logHandle.Delete()
		c.logHandle = 0
	}
	if c.storeHandle != 0 {
		c.storeHandle.Delete()
		c.storeHandle = 0
	}
}

// CreateTalkingAvatarVideo starts a render; the reply is {"project_id": "..."}.
// Required members: avatar_id, avatar_type, screen_style, and exactly one of script (with
// voice_id) or audio_url; every missing one is named at once (Error.Fields).
func (c *Client) CreateTalkingAvatarVideo(requestJSON string) (string, error) {
	args, err := cStrings("requestJSON", requestJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_create_talking_avatar_video(h, args[0], out, errJSON)
	})
}

// GetProject returns the project's current state.
func (c *Client) GetProject(projectID string) (string, error) {
	args, err := cStrings("projectID", projectID)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_get_project(h, args[0], out, errJSON)
	})
}

// ListAvatars returns {"avatars": [...]}; filterJSON may be "" for no filter.
func (c *Client) ListAvatars(filterJSON string) (string, error) {
	args, err := cStrings("filterJSON?", filterJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_list_avatars(h, args[0], out, errJSON)
	})
}

// ListVoices returns one page, {"total": N, "voices": [...]}; filterJSON may be "". With
// "all_pages": true in the filter, every page: {"voices": [...], "pages": N}.
func (c *Client) ListVoices(filterJSON string) (string, error) {
	args, err := cStrings("filterJSON?", filterJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_list_voices(h, args[0], out, errJSON)
	})
}

// WaitForProject blocks until the project has rendered (the final project JSON), failed,
// timed out or was cancelled. optionsJSON may be "" for the defaults. progress may be nil;
// it receives every poll's event JSON and returns false to cancel. If progress panics, the
// wait is cancelled and the panic resumes here, after the library has returned.
func (c *Client) WaitForProject(projectID, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("projectID", projectID, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_wait(h, args[0], args[1], with, handle, out, errJSON)
	})
}

// Call runs any operation by name ("v1.get_project", "v2.create_video_from_avatar"...; see
// Operations) and returns the API's data. requestJSON may be "" for no parameters; paged lists
// also take "all_pages": true.
func (c *Client) Call(operation, requestJSON string) (string, error) {
	args, err := cStrings("operation", operation, "requestJSON?", requestJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_call(h, args[0], args[1], out, errJSON)
	})
}

// Operations lists every operation Call accepts: [{"name", "version", "method", "path",
// "async", "poll_with", "polls", "items", "params"}]. It needs no client.
func Operations() (string, error) {
	var out, errJSON *C.char
	return take(C.jogg_operations(&out, &errJSON), out, errJSON)
}

// Wait blocks until any task ends: pollOperation is the operation that reads it
// ("v2.get_avatar_video"...), id the task's id. The result is {"id", "status", "polls",
// "elapsed_ms", "task"}. Options and progress as in WaitForProject.
func (c *Client) Wait(pollOperation, id, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("pollOperation", pollOperation, "id", id, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_wait_task(h, args[0], args[1], args[2], with, handle, out, errJSON)
	})
}

// WaitMany waits for every task of tasksJSON, an array of {"operation", "id"}; the result is
// an array in the same order of {"id", "operation", "ok", "result" or "error"}.
func (c *Client) WaitMany(tasksJSON, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("tasksJSON", tasksJSON, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_wait_many(h, args[0], args[1], with, handle, out, errJSON)
	})
}

// CallAndWait starts a task by operation name and waits for it: {"created", "id", "status",
// "polls", "elapsed_ms", "task"}. If the wait fails after the create, the *Error's TaskID
// holds the id: wait on it instead of creating (and paying) again.
func (c *Client) CallAndWait(operation, requestJSON, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("operation", operation, "requestJSON?", requestJSON, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_call_and_wait(h, args[0], args[1], args[2], with, handle, out, errJSON)
	})
}

// GenerateTalkingAvatarVideo creates a talking-avatar video and waits for it: the finished
// project JSON. Request as in CreateTalkingAvatarVideo, options and progress as in
// WaitForProject.
func (c *Client) GenerateTalkingAvatarVideo(requestJSON, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("requestJSON", requestJSON, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_generate(h, args[0], args[1], with, handle, out, errJSON)
	})
}

// UploadAsset uploads the local file at path: {"asset_url", "filename", "content_type",
// "bytes", "version"}. optionsJSON may be "" for the defaults. progress may be nil; it
// receives {"bytes", "total"} events and returns false to cancel.
func (c *Client) UploadAsset(path, optionsJSON string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("path", path, "optionsJSON?", optionsJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_upload(h, args[0], args[1], with, handle, out, errJSON)
	})
}

// Download fetches url into the file path (through path+".part", resumed when present):
// {"path", "bytes", "sha256", "resumed_from", "content_type"}. progress may be nil; it
// receives {"bytes", "total"} events and returns false to cancel.
func (c *Client) Download(url, path string, progress func(eventJSON string) bool) (string, error) {
	args, err := cStrings("url", url, "path", path)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.progressCall(progress, func(h *C.jogg_client, with C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code {
		return C.jogg_go_download(h, args[0], args[1], with, handle, out, errJSON)
	})
}

// CreateWebhookEndpoint registers a webhook endpoint (v1); the reply carries the secret that
// signs its deliveries.
func (c *Client) CreateWebhookEndpoint(requestJSON string) (string, error) {
	args, err := cStrings("requestJSON", requestJSON)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_create_webhook_endpoint(h, args[0], out, errJSON)
	})
}

// WebhookDeliver hands the client a webhook delivery your HTTP handler received: the raw
// request body and the X-Webhook-Signature header ("" when absent). The client verifies it
// with the secrets it knows (endpoints it created, the config's "webhook_secrets") and wakes
// every wait on its task, in any goroutine (jogg_webhook_deliver). The result is the event
// JSON with "duplicate" and "woken"; answer the request 2xx. An *Error with ErrSignature
// means answer 401; ErrBodyTooLarge or ErrBadResponse, 400. A refused delivery wakes nothing.
func (c *Client) WebhookDeliver(body []byte, signature string) (string, error) {
	args, err := cStrings("signature?", signature)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	return c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return C.jogg_webhook_deliver(h, bytesArg(body), C.size_t(len(body)), args[0], out, errJSON)
	})
}

// WebhookVerify checks that signature (the X-Webhook-Signature header; "" when absent) signs
// the raw request body under the endpoint's secret. nil when it does; an *Error with
// ErrSignature for a missing, malformed or wrong signature (answer HTTP 401).
func WebhookVerify(body []byte, signature, secret string) error {
	args, err := cStrings("signature?", signature, "secret", secret)
	if err != nil {
		return err
	}
	defer freeAll(args)
	if rc := Code(C.jogg_webhook_verify(bytesArg(body), C.size_t(len(body)), args[0], args[1])); rc != OK {
		return newError(rc, "")
	}
	return nil
}

// WebhookParse verifies a delivery as WebhookVerify does, then reads it: {"event",
// "event_id", "timestamp", "task_kind", "id", "status", "video_url", "cover_url", "error",
// "data"}.
func WebhookParse(body []byte, signature, secret string) (string, error) {
	args, err := cStrings("signature?", signature, "secret", secret)
	if err != nil {
		return "", err
	}
	defer freeAll(args)
	var out, errJSON *C.char
	rc := C.jogg_webhook_parse(bytesArg(body), C.size_t(len(body)), args[0], args[1], &out, &errJSON)
	return take(rc, out, errJSON)
}

// progressCall runs fn with progress (may be nil) reachable from C through a cgo.Handle. If
// progress panics, the call is cancelled and the panic resumes here once C has returned.
func (c *Client) progressCall(progress func(eventJSON string) bool,
	fn func(h *C.jogg_client, withProgress C.int, handle C.uintptr_t, out, errJSON **C.char) C.jogg_code) (string, error) {
	state := &waitState{progress: progress}
	handle := cgo.NewHandle(state)
	defer handle.Delete()
	withProgress := C.int(0)
	if progress != nil {
		withProgress = 1
	}
	result, err := c.call(func(h *C.jogg_client, out, errJSON **C.char) C.jogg_code {
		return fn(h, withProgress, C.uintptr_t(handle), out, errJSON)
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
	if c.store == nil {
		return take(fn(c.handle, &out, &errJSON), out, errJSON)
	}
	done := c.store.watch()
	rc := fn(c.handle, &out, &errJSON)
	cause := done()
	result, err := take(rc, out, errJSON)
	var e *Error
	if errors.As(err, &e) && e.Code == ErrLimiterStore {
		e.Cause = cause
	}
	return result, err
}

// currentThread is the OS thread running the caller (see storeState).
func currentThread() uintptr { return uintptr(C.jogg_go_thread()) }

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

// bytesArg points C at body's bytes for the call (NULL when empty). A []byte holds no Go
// pointers, so C may read it while the call runs.
func bytesArg(body []byte) *C.uint8_t {
	if len(body) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&body[0]))
}
