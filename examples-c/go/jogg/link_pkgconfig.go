//go:build jogg_pkgconfig

package jogg

// With `-tags jogg_pkgconfig` the package uses an installed jogg (`make install`) found by
// pkg-config, and the program loads libjogg.so at run time (set PKG_CONFIG_PATH, and an
// rpath or LD_LIBRARY_PATH when the prefix is not a system one).

// #cgo pkg-config: jogg
import "C"
