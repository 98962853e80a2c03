package jogg

// The log trampoline lives alone in this file, as the progress one does in progress.go: a file
// with //export may only declare things in its C preamble, and jogg.go defines C helpers.

/*
#include "jogg.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// The levels a log callback receives (jogg.h's JOGG_LOG_*).
const (
	LogInfo  int = C.JOGG_LOG_INFO  // one line per request: method, path, status, attempts, request id
	LogDebug int = C.JOGG_LOG_DEBUG // also every attempt, and every retry with its delay and reason
)

// logState is what the C library carries through `userdata` for the whole life of a client
// made by NewClientWithLog, as a cgo.Handle that Close deletes.
type logState struct {
	log func(level int, line string)
}

//export joggGoLog
func joggGoLog(userdata unsafe.Pointer, level C.int32_t, line *C.char) {
	state := cgo.Handle(uintptr(userdata)).Value().(*logState)
	state.call(int(level), C.GoString(line))
}

// call runs the user's callback. A panic must not unwind through the C frames below us, and
// there is no one call to resume it in (any goroutine's request may log): it is recovered and
// dropped, with its line, and the request carries on.
func (s *logState) call(level int, line string) {
	defer func() { recover() }()
	s.log(level, line)
}
