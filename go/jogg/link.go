//go:build !jogg_pkgconfig

package jogg

// By default the package links the static library of this source tree (`make lib` builds
// it), so the program needs no libjogg.so at run time. The list after the archive is what
// Rust's standard library needs from the system (rustc --print native-static-libs).

/*
#cgo CFLAGS: -I${SRCDIR}/../../../include
#cgo LDFLAGS: ${SRCDIR}/../../../target/release/libjogg.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
*/
import "C"
