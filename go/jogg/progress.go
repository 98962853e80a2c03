package jogg

// The progress trampoline lives alone in this file: a file with //export may only declare
// things in its C preamble, and jogg.go defines a C helper.

/*
#include "jogg.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// waitState is what the C library carries through `userdata` during one call with a progress
// callback (waits, downloads), as a cgo.Handle: C may not keep Go pointers, but it may keep
// this integer.
type waitState struct {
	progress   func(eventJSON string) bool
	panicked   bool
	panicValue any
}

//export joggGoProgress
func joggGoProgress(userdata unsafe.Pointer, eventJSON *C.char) C.int32_t {
	state := cgo.Handle(uintptr(userdata)).Value().(*waitState)
	return state.call(C.GoString(eventJSON))
}

// call runs the user's callback. A panic must not unwind through the C frames below us: it is
// recovered, the call is cancelled, and the method panics again once C has returned.
func (s *waitState) call(eventJSON string) (rc C.int32_t) {
	returned := false // a flag rather than recover() != nil, so that panic(nil) counts too
	defer func() {
		if !returned {
			s.panicked, s.panicValue, rc = true, recover(), 1
		}
	}()
	keepGoing := s.progress(eventJSON)
	returned = true
	if keepGoing {
		return 0
	}
	return 1
}
