//! Generates `include/jogg.h` from the `extern "C"` items of `src/ffi` with cbindgen.
//!
//! The header is committed; CI fails when a build changes it, so the committed header always
//! matches the library. cbindgen only rewrites the file when its content changes.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let part = |name: &str| -> u32 {
        env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .expect("cargo sets the version parts")
    };
    let (major, minor, patch) = (
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    );
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    config.after_includes = Some(format!(
        "\n#define JOGG_VERSION_MAJOR {major}\n\
         #define JOGG_VERSION_MINOR {minor}\n\
         #define JOGG_VERSION_PATCH {patch}\n\
         /* MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with jogg_version_number(). */\n\
         #define JOGG_VERSION_NUMBER {}\n\
         #define JOGG_VERSION_STRING \"{major}.{minor}.{patch}\"\n",
        major * 1_000_000 + minor * 1_000 + patch
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate include/jogg.h: {e}"));
    bindings.write_to_file(dir.join("include/jogg.h"));
}
