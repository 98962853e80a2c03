package jogg

// The POST limiter store trampolines live alone in this file, as the progress one does in
// progress.go: a file with //export may only declare things in its C preamble, and jogg.go
// defines the C helper that hands them to the library.

/*
#include <stdint.h>
#include "jogg.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// PostSlot is one POST's slot, as a PostSlotStore sees it.
type PostSlot struct {
	// ID is unique across processes and hosts.
	ID string
	// KeyID names the shared count: 32 hex digits, a hash of the base URL and the API key
	// (never the key itself). Clients with the same key and base URL share one count.
	KeyID string
	// Limit is how many slots of KeyID may be held at once (the config's post_limit).
	Limit uint32
	// Hold is how long the slot is held from now: in Acquire its lease (request timeout +
	// window + margin, in case its answer is never reported), in Release the window + margin.
	Hold time.Duration
}

// PostSlotStore is a store of POST slots of your own (a database, a service of yours) that
// several clients share, in any process on any host whose store shares its state; see
// NewClientWithPostLimiter. Its methods are called from whichever goroutine makes a POST,
// possibly from several at once: make them safe for concurrent use. They must not call the
// client.
type PostSlotStore interface {
	// Acquire takes slot if fewer than slot.Limit slots of slot.KeyID are held and no
	// cooldown runs: it drops the expired slots and records slot.ID as expiring slot.Hold
	// from now, atomically, and returns 0. Otherwise it returns how long to wait before the
	// client asks again (it may ask sooner). An error fails the POST with ErrLimiterStore
	// (or falls back, as the config's post_limit_fallback says); nothing is sent.
	Acquire(slot PostSlot) (wait time.Duration, err error)
	// Release: the slot's POST was answered (or failed), so it now expires slot.Hold from
	// now. An error is logged; the slot then ends with its lease.
	Release(slot PostSlot) error
	// Cooldown: a POST of keyID was answered 429 with Retry-After, so no slot of keyID may
	// be taken for pause from now (extend a running cooldown, never shorten it). Return nil
	// to pause no one else. An error is logged.
	Cooldown(keyID string, pause time.Duration) error
}

// storeState is what the C library carries through `userdata` for the whole life of a client
// made by NewClientWithPostLimiter, as a cgo.Handle that Close deletes.
type storeState struct {
	store PostSlotStore
	mu    sync.Mutex
	// The OS threads on which a call of the client runs, each with the error its store's
	// Acquire gave there (nil until one did): C calls back on the thread that called it, so
	// this pairs a failure with the call it failed.
	calls map[uintptr]error
}

// watch pins the calling goroutine to its thread for one call of the client; the returned
// function ends the call and gives the error Acquire returned during it, if any.
func (s *storeState) watch() func() error {
	runtime.LockOSThread()
	thread := currentThread()
	s.mu.Lock()
	s.calls[thread] = nil
	s.mu.Unlock()
	return func() error {
		s.mu.Lock()
		err := s.calls[thread]
		delete(s.calls, thread)
		s.mu.Unlock()
		runtime.UnlockOSThread()
		return err
	}
}

// failed keeps err for the call running on this thread (none: a thread the library made).
func (s *storeState) failed(err error) {
	thread := currentThread()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.calls[thread]; ok {
		s.calls[thread] = err
	}
}

// guard runs one method of the user's store. A panic must not unwind through the C frames
// below us: it is recovered and becomes the store's error.
func guard(method string, fn func() error) (err error) {
	returned := false // a flag rather than recover() != nil, so that panic(nil) counts too
	defer func() {
		if !returned {
			err = fmt.Errorf("%s panicked: %v", method, recover())
		}
	}()
	err = fn()
	returned = true
	if err != nil {
		err = fmt.Errorf("%s: %w", method, err)
	}
	return err
}

func goSlot(slot *C.jogg_post_slot) PostSlot {
	return PostSlot{
		ID:    C.GoString(slot.id),
		KeyID: C.GoString(slot.key_id),
		Limit: uint32(slot.limit),
		Hold:  millis(uint64(slot.hold_ms)),
	}
}

// millis is ms as a Duration, capped where a Duration ends (about 292 years).
func millis(ms uint64) time.Duration {
	const most = uint64(1<<63-1) / uint64(time.Millisecond)
	if ms > most {
		ms = most
	}
	return time.Duration(ms) * time.Millisecond
}

//export joggGoAcquire
func joggGoAcquire(userdata unsafe.Pointer, slot *C.jogg_post_slot, waitMs *C.uint64_t) C.int32_t {
	state := cgo.Handle(uintptr(userdata)).Value().(*storeState)
	var wait time.Duration
	err := guard("Acquire", func() (err error) {
		wait, err = state.store.Acquire(goSlot(slot))
		if err == nil && wait < 0 {
			err = errors.New("negative wait " + wait.String())
		}
		return err
	})
	if err != nil {
		state.failed(err)
		return 1
	}
	// Rounded up: a wait of under a millisecond is still a wait, and 0 would mean "taken".
	*waitMs = C.uint64_t((wait + time.Millisecond - 1) / time.Millisecond)
	return 0
}

//export joggGoRelease
func joggGoRelease(userdata unsafe.Pointer, slot *C.jogg_post_slot) C.int32_t {
	state := cgo.Handle(uintptr(userdata)).Value().(*storeState)
	if guard("Release", func() error { return state.store.Release(goSlot(slot)) }) != nil {
		return 1
	}
	return 0
}

//export joggGoCooldown
func joggGoCooldown(userdata unsafe.Pointer, keyID *C.char, pauseMs C.uint64_t) C.int32_t {
	state := cgo.Handle(uintptr(userdata)).Value().(*storeState)
	key, pause := C.GoString(keyID), millis(uint64(pauseMs))
	if guard("Cooldown", func() error { return state.store.Cooldown(key, pause) }) != nil {
		return 1
	}
	return 0
}
