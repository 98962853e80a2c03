//! The panic boundary and argument checks every export goes through.
//!
//! A panic unwinding into C would abort the host program (Rust >= 1.81), so each export runs
//! its body inside [`fallible`] or [`infallible`], which catch it. Arguments are checked here
//! so that every function reports NULL, bad UTF-8 and bad JSON the same way.

use std::any::Any;
use std::ffi::{CStr, CString, c_char, c_void};
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::Value;

use super::exports::{
    JOGG_ERR_INVALID_JSON, JOGG_ERR_INVALID_UTF8, JOGG_ERR_NULL_ARGUMENT, JOGG_ERR_PANIC, JOGG_OK,
    jogg_client, jogg_code, jogg_progress_cb,
};
use super::failure::{Failure, FfiResult};
use crate::client::Client;
use crate::error::Error;

/// Runs a fallible export. `error_json` (may be NULL) is set to NULL first and receives the
/// error JSON on failure only; the body writes its outputs itself, last, on success only.
pub(crate) fn fallible(
    error_json: *mut *mut c_char,
    body: impl FnOnce() -> FfiResult<()>,
) -> jogg_code {
    if !error_json.is_null() {
        // SAFETY: the caller passes either NULL or a writable `char *` slot.
        unsafe { *error_json = std::ptr::null_mut() };
    }
    let err = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return JOGG_OK,
        Ok(Err(e)) => e,
        Err(payload) => panic_error(payload.as_ref()),
    };
    if !error_json.is_null() {
        // Serialising our own error cannot panic in practice, but a panic here must not
        // escape either: then the caller gets the code without detail.
        if let Ok(s) = catch_unwind(AssertUnwindSafe(|| json_string(&err.json()))) {
            // SAFETY: as above.
            unsafe { *error_json = s };
        }
    }
    err.code
}

/// Runs an export that cannot report errors; a panic yields `fallback`.
pub(crate) fn infallible<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_error(payload: &(dyn Any + Send)) -> Failure {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Failure::own(
        JOGG_ERR_PANIC,
        format!("internal error (a bug in jogg, please report it): {what}"),
        None,
    )
}

/// The largest string argument accepted, in bytes: JSON requests, ids, options. The API's
/// own requests are small (a script of a few thousand characters); anything this large is a
/// mistake, refused before it is parsed or copied.
pub(crate) const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// A required input string: not NULL, at most [`MAX_INPUT_BYTES`], valid UTF-8. Borrowed for
/// the call only.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per the contract above.
    let bytes = unsafe { CStr::from_ptr(p) };
    let len = bytes.count_bytes();
    if len > MAX_INPUT_BYTES {
        return Err(Error::validation(
            name,
            format!("is {len} bytes; the limit is {MAX_INPUT_BYTES} bytes (8 MiB)"),
        )
        .into());
    }
    bytes.to_str().map_err(|e| {
        Failure::own(
            JOGG_ERR_INVALID_UTF8,
            format!(
                "{name}: not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
            Some(name),
        )
    })
}

/// An optional input string: NULL is `None`, anything else as [`str_arg`].
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(p: *const c_char, name: &str) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { str_arg(p, name) }.map(Some)
}

/// The client handle: not NULL.
///
/// # Safety
/// `client` is NULL or a live pointer from `jogg_client_new`.
pub(crate) unsafe fn client_arg<'a>(client: *const jogg_client) -> FfiResult<&'a Client> {
    if client.is_null() {
        return Err(null_argument("client"));
    }
    // SAFETY: a non-NULL client pointer is a boxed `Client`, per the contract.
    Ok(unsafe { &*client.cast::<Client>() })
}

/// A JSON input; NULL is `{}` when `optional`, else an error.
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn json_arg(p: *const c_char, name: &str, optional: bool) -> FfiResult<Value> {
    if p.is_null() && optional {
        return Ok(Value::Object(Default::default()));
    }
    // SAFETY: forwarded contract.
    let text = unsafe { str_arg(p, name) }?;
    let fail = |why: String| {
        Failure::own(
            JOGG_ERR_INVALID_JSON,
            format!("{name}: not valid JSON: {why}"),
            Some(name),
        )
    };
    // Up to MAX_JSON_DEPTH levels are read; deeper input is refused before parsing, so it
    // cannot overflow the stack. (serde_json's own limit would refuse the 128th level.)
    if let Some(at) = too_deep(text.as_bytes(), MAX_JSON_DEPTH) {
        return Err(fail(format!(
            "nested deeper than {MAX_JSON_DEPTH} levels (the recursion limit) at byte {at}"
        )));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = serde::Deserialize::deserialize(&mut de).map_err(|e| fail(e.to_string()))?;
    de.end().map_err(|e| fail(e.to_string()))?;
    Ok(value)
}

/// The deepest nesting of arrays and objects a JSON argument may have.
pub(crate) const MAX_JSON_DEPTH: usize = 128;

/// The offset of the bracket that opens level `max + 1`, if the text nests that deep. Brackets
/// inside strings do not count; the text need not be valid JSON (the parser says what else is
/// wrong).
fn too_deep(text: &[u8], max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Output slots are checked before any work, so a NULL is reported before a video is paid for.
pub(crate) fn out_arg<T>(p: *mut T, name: &str) -> FfiResult<()> {
    if p.is_null() {
        return Err(null_argument(name));
    }
    Ok(())
}

pub(crate) fn null_argument(name: &str) -> Failure {
    Failure::own(
        JOGG_ERR_NULL_ARGUMENT,
        format!("{name}: must not be NULL"),
        Some(name),
    )
}

/// A string for the caller, freed with `jogg_string_free`. JSON text never holds a NUL byte
/// (serde_json escapes it), so the conversion cannot fail.
pub(crate) fn json_string(v: &Value) -> *mut c_char {
    // Straight into the bytes of the C string (what `to_string()` writes, without going
    // through `fmt` and a second buffer); the spare capacity takes the NUL without a realloc.
    let mut text = Vec::with_capacity(256);
    if serde_json::to_writer(&mut text, v).is_err() {
        text = b"null".to_vec();
    }
    text.reserve_exact(1);
    CString::new(text)
        .unwrap_or_else(|_| c"null".to_owned())
        .into_raw()
}

/// Calls a progress callback (if any) with `event`, borrowed for the call; any non-zero
/// return cancels.
pub(crate) fn notify(
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    event: &Value,
) -> ControlFlow<()> {
    let Some(cb) = cb else {
        return ControlFlow::Continue(());
    };
    let event = CString::new(event.to_string()).unwrap_or_default();
    // SAFETY: the caller supplied `cb` for this purpose; `event` outlives the call.
    match unsafe { cb(userdata, event.as_ptr()) } {
        0 => ControlFlow::Continue(()),
        _ => ControlFlow::Break(()),
    }
}

/// Hands JSON text the server sent (checked to be JSON, so it holds no NUL byte) to the caller
/// as it is, into its out slot (checked with [`out_arg`] beforehand): no tree is built and no
/// second copy made.
pub(crate) fn write_text(out: *mut *mut c_char, text: String) {
    let text = CString::new(text).unwrap_or_else(|_| c"null".to_owned());
    // SAFETY: `out` was checked non-NULL by `out_arg` and points to a writable slot.
    unsafe { *out = text.into_raw() };
}

/// Writes a successful result into its out slot (checked with [`out_arg`] beforehand).
pub(crate) fn write_out(out: *mut *mut c_char, v: &Value) {
    // SAFETY: `out` was checked non-NULL by `out_arg` and points to a writable slot.
    unsafe { *out = json_string(v) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert_eq!(too_deep(b"[[]]", 2), None);
        assert_eq!(too_deep(b"[[[]]]", 2), Some(2));
        // An escaped quote does not end a string; an escaped backslash does not escape the
        // quote after it.
        assert_eq!(too_deep(br#"{"a":"[[[[\"[["}"#, 1), None);
        assert_eq!(too_deep(br#"["\\",[[]]]"#, 2), Some(7));
    }
}
