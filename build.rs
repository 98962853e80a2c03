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
    abi_version(&mut config, major, minor, patch);
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate include/jogg.h: {e}"));
    bindings.write_to_file(dir.join("include/jogg.h"));
}

/// ABI version: the SONAME suffix, cargo-c's rule. Before 1.0 every minor release may break
/// the ABI, so 0.y.z is `0.y` (and 0.0.z is `0.0.z`); from 1.0 only the major number counts.
/// The header gets it as `JOGG_ABI_VERSION`; on Linux the shared library is linked with it, so
/// programs record `libjogg.so.<abi>` and never load an incompatible build.
fn abi_version(config: &mut cbindgen::Config, major: u32, minor: u32, patch: u32) {
    let abi = match (major, minor) {
        (0, 0) => format!("0.0.{patch}"),
        (0, _) => format!("0.{minor}"),
        _ => major.to_string(),
    };
    if let Some(text) = config.after_includes.as_mut() {
        text.push_str(&format!(
            "/* SONAME suffix: programs link to libjogg.so.<JOGG_ABI_VERSION>. */\n\
             #define JOGG_ABI_VERSION \"{abi}\"\n"
        ));
    }
    // The target's OS, not the build machine's (build scripts run on the host).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libjogg.so.{abi}");
    }
}
