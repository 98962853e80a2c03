#!/bin/sh
# Installs jogg into a fresh prefix the way a user would (`make install PREFIX=...`), then
# checks it as a system library: the files and the SONAME, jogg.pc against rustc's list of
# native libraries, C programs built with nothing but pkg-config flags against the static and
# the shared library and run against jogg-mock, the Go package through pkg-config, and
# `make uninstall` removing every file.
#
# Run from the repository root by `make test-install` (after `make lib`). Uses $MAKE and
# $TEST_CC (not CC: cargo's build scripts watch CC, and a change would rebuild dependencies),
# and $GO.
set -eu
MAKE=${MAKE:-make}
CC=${TEST_CC:-cc}
work=$(pwd)/build/install-test
prefix=$work/prefix
rm -rf "$work"
mkdir -p "$work"

step() { printf '== %s\n' "$*"; }
fail() { printf 'test-install: %s\n' "$*" >&2; exit 1; }

step "make install PREFIX=$prefix"
$MAKE --no-print-directory install PREFIX="$prefix" > "$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "make install failed"; }

abi=$(sed -n 's/^.define JOGG_ABI_VERSION "\(.*\)"/\1/p' include/jogg.h)
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n 1)
soname=libjogg.so.$abi
(cd "$prefix" && find . -type f -o -type l | sort) > "$work/files"
printf '%s\n' ./bin/jogg-mock ./include/jogg.h ./include/jogg.hpp ./lib/libjogg.a \
    ./lib/libjogg.so "./lib/$soname" ./lib/pkgconfig/jogg.pc | sort > "$work/expected"
diff -u "$work/expected" "$work/files" || fail "installed files differ from the list above"
[ "$(readlink "$prefix/lib/libjogg.so")" = "$soname" ] || fail "libjogg.so does not link to $soname"
readelf -d "$prefix/lib/$soname" | grep -q "Library soname: \[$soname\]" ||
    fail "$soname does not carry SONAME $soname"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
step "pkg-config: version $version, Libs.private = rustc's native-static-libs"
[ "$(pkg-config --modversion jogg)" = "$version" ] || fail "pkg-config --modversion: $(pkg-config --modversion jogg)"
[ "$(pkg-config --variable=libdir jogg)" = "$prefix/lib" ] || fail "libdir: $(pkg-config --variable=libdir jogg)"
native=$(cat build/native-static-libs)
# The Makefile links its own test programs with a fixed copy of the list: it must not drift.
[ -z "${NATIVE_LIBS:-}" ] || [ "$NATIVE_LIBS" = "$native" ] ||
    fail "NATIVE_LIBS in the Makefile is '$NATIVE_LIBS', rustc says '$native'"
# (pkg-config ends its output with a space)
[ "$(pkg-config --static --libs jogg | sed 's/ *$//')" = "-L$prefix/lib -ljogg $native" ] ||
    fail "pkg-config --static --libs jogg: $(pkg-config --static --libs jogg), rustc says: $native"

# Only pkg-config flags. Static: the archive is chosen explicitly (-Bstatic), because with both
# libraries installed the linker prefers libjogg.so; --as-needed then drops the shared -ljogg
# that `pkg-config --static --libs` repeats, since nothing is left for it to resolve.
for linkage in static shared; do
    case $linkage in
        static) flags="-Wl,--as-needed -Wl,-Bstatic -ljogg -Wl,-Bdynamic $(pkg-config --static --libs jogg)" ;;
        shared) flags="$(pkg-config --libs jogg) -Wl,-rpath,$(pkg-config --variable=libdir jogg)" ;;
    esac
    step "C programs against the $linkage library: cc ... \$(pkg-config --cflags jogg) $flags"
    # shellcheck disable=SC2086 # flags are words on purpose
    $CC -std=c99 -Wall -Wextra -Wpedantic -Werror examples-c/quickstart.c \
        $(pkg-config --cflags jogg) $flags -o "$work/quickstart_$linkage"
    # shellcheck disable=SC2086
    $CC -std=c99 -Wall -Wextra -Wpedantic -Werror -DEXPECTED_VERSION="\"$version\"" \
        tests/c/test_version.c $(pkg-config --cflags jogg) $flags -o "$work/version_$linkage"
    needed=$(readelf -d "$work/quickstart_$linkage" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    case "$linkage:$needed" in
        static:*libjogg*) fail "static build still needs the shared library: $needed" ;;
        shared:*"$soname "*) ;;
        shared:*) fail "shared build does not need $soname: $needed" ;;
    esac
    echo "NEEDED: $needed"
    "$work/version_$linkage"
    "$prefix/bin/jogg-mock" --render-ms 300 -- "$work/quickstart_$linkage" > "$work/quickstart_$linkage.out"
    grep -q '"video_url":"http://127.0.0.1:' "$work/quickstart_$linkage.out" ||
        fail "quickstart ($linkage) printed no video_url"
    tail -n 1 "$work/quickstart_$linkage.out" | cut -c 1-100
done

step "Go through pkg-config: go build -tags jogg_pkgconfig (shared library, rpath)"
(cd examples-c/go && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=1 \
    CGO_LDFLAGS="-Wl,-rpath,$prefix/lib" ${GO:-go} build -tags jogg_pkgconfig \
    -o "$work/quickstart_go" ./cmd/quickstart)
readelf -d "$work/quickstart_go" | grep -q "NEEDED.*\[$soname\]" || fail "the Go program does not need $soname"
"$prefix/bin/jogg-mock" --render-ms 300 -- "$work/quickstart_go" > "$work/quickstart_go.out" 2> /dev/null
grep '^video: http://127.0.0.1:' "$work/quickstart_go.out" || fail "Go quickstart printed no video"

step "DESTDIR stages a package without changing the paths inside it"
$MAKE --no-print-directory install DESTDIR="$work/stage" PREFIX=/usr > "$work/stage.log" 2>&1 ||
    { cat "$work/stage.log"; fail "make install DESTDIR=... failed"; }
grep -qx 'prefix=/usr' "$work/stage/usr/lib/pkgconfig/jogg.pc" || fail "staged jogg.pc: wrong prefix"
$MAKE --no-print-directory uninstall DESTDIR="$work/stage" PREFIX=/usr > /dev/null

step "make uninstall PREFIX=$prefix removes every installed file"
$MAKE --no-print-directory uninstall PREFIX="$prefix" > /dev/null
left=$(cd "$prefix" && find . -type f -o -type l)
[ -z "$left" ] || fail "left behind: $left"
left=$(cd "$work/stage" && find . -type f -o -type l)
[ -z "$left" ] || fail "left behind in the staging directory: $left"
echo "test-install: all checks passed"
