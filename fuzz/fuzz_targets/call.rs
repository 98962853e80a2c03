//! `jogg_call` with `<operation>\0<request JSON>`: the operation name and the request as
//! text, so that the fuzzer reaches validation of real operations quickly (seeds name them).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (op, request) = text.split_once('\0').unwrap_or((&text, "{}"));
    jogg::internals::fuzzing::call(op, request);
});
