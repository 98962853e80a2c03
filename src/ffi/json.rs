//! Reading one member of a returned JSON from C, without a JSON library.

// The safety contract is the header comment (pointer validity, ownership), written for C.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{CString, c_char};

use serde_json::Value;

use super::boundary::{fallible, json_arg, out_arg, str_arg};
use super::exports::{JOGG_ERR_NO_SUCH_MEMBER, JOGG_ERR_WRONG_TYPE, jogg_code};
use super::failure::{Failure, FfiResult};
use crate::error::Error;

/// Reads the member of `json` at `pointer`, a JSON Pointer (RFC 6901): `"/project_id"`,
/// `"/video_url"`, `"/voices/0/voice_id"` (`~1` stands for `/` in a name, `~0` for `~`).
/// On success `*value_out` receives the member's text: a string's characters (unquoted,
/// unescaped), or a number as JSON writes it (`"4"`, `"12.5"`), so ids read the same whether
/// the API sends them as numbers or strings. Free it with `jogg_string_free`.
///
/// Errors: `JOGG_ERR_INVALID_JSON` when `json` is not JSON; `JOGG_ERR_VALIDATION` when
/// `pointer` is neither empty nor starts with `/`; `JOGG_ERR_NO_SUCH_MEMBER` when nothing is
/// at `pointer`; `JOGG_ERR_WRONG_TYPE` when the member is an object, an array, a boolean,
/// `null`, or a string holding a NUL character. `json` and `pointer` are borrowed for the
/// call only; `error_json` as in `jogg_client_new`. Needs no client, never blocks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_json_string(
    json: *const c_char,
    pointer: *const c_char,
    value_out: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (document, pointer) =
            unsafe { (json_arg(json, "json", false)?, str_arg(pointer, "pointer")?) };
        out_arg(value_out, "value_out")?;
        let text = member_text(&document, pointer)?;
        let text = CString::new(text).map_err(|_| {
            Failure::own(
                JOGG_ERR_WRONG_TYPE,
                format!("{pointer}: the string holds a NUL character, which C cannot hold"),
                Some("pointer"),
            )
        })?;
        // SAFETY: checked non-NULL above; written last, on success only.
        unsafe { *value_out = text.into_raw() };
        Ok(())
    })
}

/// The text of the member at `pointer`, or why there is none.
fn member_text(document: &Value, pointer: &str) -> FfiResult<String> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(Error::validation(
            "pointer",
            format!("{pointer:?} is not a JSON Pointer: it must be empty or start with /"),
        )
        .into());
    }
    let member = document.pointer(pointer).ok_or_else(|| {
        Failure::own(
            JOGG_ERR_NO_SUCH_MEMBER,
            format!("{pointer}: no such member"),
            Some("pointer"),
        )
    })?;
    let kind = match member {
        Value::String(s) => return Ok(s.clone()),
        Value::Number(n) => return Ok(n.to_string()),
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    Err(Failure::own(
        JOGG_ERR_WRONG_TYPE,
        format!("{pointer}: is {kind}, not a string or a number"),
        Some("pointer"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_by_pointer() {
        let d = json!({"project_id": "p1", "n": 4, "a/b": {"~x": [1.5, "s"]}, "flag": true});
        let code = |pointer: &str| member_text(&d, pointer).err().map(|f| f.code);
        assert_eq!(member_text(&d, "/project_id").ok().as_deref(), Some("p1"));
        assert_eq!(member_text(&d, "/n").ok().as_deref(), Some("4"));
        assert_eq!(member_text(&d, "/a~1b/~0x/0").ok().as_deref(), Some("1.5"));
        assert_eq!(member_text(&d, "/a~1b/~0x/1").ok().as_deref(), Some("s"));
        assert_eq!(code("/nope"), Some(JOGG_ERR_NO_SUCH_MEMBER));
        assert_eq!(code("/a~1b/~0x/9"), Some(JOGG_ERR_NO_SUCH_MEMBER));
        assert_eq!(code("/flag"), Some(JOGG_ERR_WRONG_TYPE));
        assert_eq!(code(""), Some(JOGG_ERR_WRONG_TYPE));
        let bad = member_text(&d, "n").err().unwrap();
        assert_eq!(bad.error.field(), Some("pointer"));
    }
}
