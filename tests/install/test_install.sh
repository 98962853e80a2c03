#!/bin/sh
# Installs jogg into a fresh prefix the way a user would (`make install PREFIX=...`), then
# checks it as a system library: the files and the SONAME, jogg.pc against rustc's list of
# native libraries, C programs built with nothing but pkg-config flags against the static and
# the shared library and run against jogg-mock, a CMake project through find_package(jogg)
# with jogg::jogg and jogg::jogg_static, the Go package through pkg-config, and
# `make uninstall` leaving the prefix empty.
#
# Run from the repository root by `make test-install` (after `make lib`). Uses $MAKE and
# $TEST_CC (not CC: cargo's build scripts watch CC, and a change would rebuild dependencies),
# $CMAKE and $GO.
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
    ./lib/libjogg.so "./lib/$soname" ./lib/pkgconfig/jogg.pc ./lib/cmake/jogg/joggConfig.cmake \
    ./lib/cmake/jogg/joggConfigVersion.cmake | sort > "$work/expected"
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

# The same two programs as a CMake user builds them: find_package, a jogg:: target, nothing else.
CMAKE=${CMAKE:-cmake}
for linkage in static shared; do
    case $linkage in static) static=ON ;; shared) static=OFF ;; esac
    step "CMake: find_package(jogg 0.1 CONFIG REQUIRED), JOGG_STATIC=$static"
    $CMAKE -S examples-c/cmake -B "$work/cmake-$linkage" -DCMAKE_PREFIX_PATH="$prefix" \
        -DJOGG_STATIC=$static -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" \
        > "$work/cmake-$linkage.log" 2>&1 || { cat "$work/cmake-$linkage.log"; fail "cmake configure ($linkage) failed"; }
    grep "jogg $version from $prefix/lib/cmake/jogg" "$work/cmake-$linkage.log" ||
        fail "find_package did not report jogg $version from $prefix/lib/cmake/jogg"
    $CMAKE --build "$work/cmake-$linkage" > "$work/cmake-$linkage-build.log" 2>&1 ||
        { cat "$work/cmake-$linkage-build.log"; fail "cmake --build ($linkage) failed"; }
    for prog in quickstart example_cpp; do
        needed=$(readelf -d "$work/cmake-$linkage/$prog" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
        case "$linkage:$needed" in
            static:*libjogg*) fail "$prog (jogg::jogg_static) needs the shared library: $needed" ;;
            shared:*"$soname "*) ;;
            shared:*) fail "$prog (jogg::jogg) does not need $soname: $needed" ;;
        esac
        # No LD_LIBRARY_PATH: CMake gives a program linked with jogg::jogg the library's directory
        # as its run path in the build tree.
        "$prefix/bin/jogg-mock" --render-ms 300 -- "$work/cmake-$linkage/$prog" > "$work/cmake-$prog-$linkage.out" 2> /dev/null ||
            fail "$prog ($linkage) failed"
    done
    grep -q '"video_url":"http://127.0.0.1:' "$work/cmake-quickstart-$linkage.out" ||
        fail "CMake quickstart ($linkage) printed no video_url"
    grep -q '^video: http://127.0.0.1:' "$work/cmake-example_cpp-$linkage.out" ||
        fail "CMake example_cpp ($linkage) printed no video"
    echo "NEEDED: $needed"
done

# joggConfigVersion.cmake: before 1.0 the minor version is the ABI, so another minor is refused
# (for that reason, not another), and no version at all takes what is there.
for wanted in "" 0.1.0 "0.1...<0.2" 0.2 1.0 "$version.1"; do
    if $CMAKE -S examples-c/cmake -B "$work/cmake-version" -DCMAKE_PREFIX_PATH="$prefix" \
        -DJOGG_VERSION_WANTED="$wanted" > "$work/cmake-version.log" 2>&1; then found=yes; else found=no; fi
    rm -rf "$work/cmake-version"
    case "$wanted" in "" | 0.1.0 | "0.1...<0.2") expect=yes ;; *) expect=no ;; esac
    [ "$found" = "$expect" ] || { cat "$work/cmake-version.log"; fail "find_package(jogg $wanted): found=$found, want $expect"; }
    [ "$found" = yes ] || grep -q "version: $version" "$work/cmake-version.log" ||
        { cat "$work/cmake-version.log"; fail "find_package(jogg $wanted) failed for another reason than the version"; }
    echo "find_package(jogg $wanted): found=$found"
done

step "Go through pkg-config (the package's default): shared library, rpath"
(cd go && PKG_CONFIG_PATH="$prefix/lib/pkgconfig" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=1 \
    CGO_LDFLAGS="-Wl,-rpath,$prefix/lib" ${GO:-go} build -o "$work/quickstart_go" ./cmd/quickstart)
readelf -d "$work/quickstart_go" | grep -q "NEEDED.*\[$soname\]" || fail "the Go program does not need $soname"
"$prefix/bin/jogg-mock" --render-ms 300 -- "$work/quickstart_go" > "$work/quickstart_go.out" 2> /dev/null
grep '^video: http://127.0.0.1:' "$work/quickstart_go.out" || fail "Go quickstart printed no video"

step "DESTDIR stages a package without changing the paths inside it"
$MAKE --no-print-directory install DESTDIR="$work/stage" PREFIX=/usr > "$work/stage.log" 2>&1 ||
    { cat "$work/stage.log"; fail "make install DESTDIR=... failed"; }
grep -qx 'prefix=/usr' "$work/stage/usr/lib/pkgconfig/jogg.pc" || fail "staged jogg.pc: wrong prefix"
# The CMake files locate the library from where they are, so the staged tree is usable as it is.
$CMAKE -S examples-c/cmake -B "$work/cmake-stage" -DCMAKE_PREFIX_PATH="$work/stage/usr" \
    > "$work/cmake-stage.log" 2>&1 || { cat "$work/cmake-stage.log"; fail "find_package in the staged tree failed"; }
grep "jogg $version from $work/stage/usr/lib/cmake/jogg" "$work/cmake-stage.log" ||
    fail "find_package did not find the staged jogg"
$MAKE --no-print-directory uninstall DESTDIR="$work/stage" PREFIX=/usr > /dev/null

step "make uninstall PREFIX=$prefix leaves the prefix empty"
$MAKE --no-print-directory uninstall PREFIX="$prefix" > /dev/null
left=$(find "$prefix" -mindepth 1)
[ -z "$left" ] || fail "left behind: $left"
left=$(find "$work/stage" -mindepth 1 ! -path "$work/stage/usr")
[ -z "$left" ] || fail "left behind in the staging directory: $left"

step "make uninstall keeps a shared directory that holds something else"
$MAKE --no-print-directory install PREFIX="$prefix" > /dev/null 2>&1 || fail "second make install failed"
touch "$prefix/include/other.h"
$MAKE --no-print-directory uninstall PREFIX="$prefix" > /dev/null
left=$(cd "$prefix" && find . -mindepth 1 | sort | tr '\n' ' ')
[ "$left" = "./include ./include/other.h " ] || fail "after uninstall, want only include/other.h, have: $left"
echo "test-install: all checks passed"
