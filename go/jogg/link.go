package jogg

// The package finds libjogg through pkg-config, whichever jogg it is: an installed one
// (`make install`; PKG_CONFIG_PATH=PREFIX/lib/pkgconfig for a prefix of your own, and an rpath
// or ldconfig for the shared library it links), or, in this repository, the tree's own build
// through the jogg-uninstalled.pc that `make lib` writes (PKG_CONFIG_PATH=build/pkgconfig),
// which links libjogg.a. There is no build tag for the repository's build: a tag could only
// name a path fixed relative to this file, which neither follows CARGO_TARGET_DIR nor exists
// in a module fetched with go get.

// #cgo pkg-config: jogg
import "C"
