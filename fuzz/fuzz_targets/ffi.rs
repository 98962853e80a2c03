//! `jogg::internals::fuzzing::ffi`: see its documentation for how the input is read.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jogg::internals::fuzzing::ffi(data));
