//! The C ABI: the `extern "C"` functions from which build.rs generates `include/jogg.h`. It is
//! the top layer: it calls the Rust client, and nothing below it knows of C. A function's
//! header comment, written here, is its contract for the caller (who owns what, which
//! pointers may be NULL); the README's C sections show them in use.
//!
//! Rules every function follows: inputs are borrowed NUL-terminated UTF-8 and copied before
//! return; every returned `char *` is JSON owned by the caller and freed with
//! `jogg_string_free`; outputs are written on success only, `error_json` on failure only;
//! NULL in a pointer parameter is `JOGG_ERR_NULL_ARGUMENT` unless documented as optional;
//! no panic crosses the boundary.

#![allow(non_camel_case_types)]

mod assets;
mod boundary;
pub mod config;
mod exports;
pub mod failure;
mod json;
mod limiter;
mod members;
pub mod shapes;
mod webhooks;

// The C functions as Rust items, for the library's own tests (the `internals` feature).
#[cfg(feature = "internals")]
pub use {assets::*, exports::*, json::*, limiter::*, webhooks::*};
