//! How a C call fails: a `jogg_code` and the error JSON. The core reports [`Error`]s with an
//! [`ErrorKind`]; the codes, their names and the JSON are this layer's alone, and so are the
//! failures only C can make (a NULL pointer, bad UTF-8, a JSON argument, a JSON Pointer, a
//! panic caught at the boundary).

use std::ffi::CStr;

use serde_json::{Map, Value, json};

use super::exports::*;
use crate::error::{Error, ErrorKind};

/// A failed C call.
#[derive(Debug)]
pub struct Failure {
    pub code: jogg_code,
    pub error: Error,
}

pub type FfiResult<T> = std::result::Result<T, Failure>;

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            code: code_of(error.kind()),
            error,
        }
    }
}

impl Failure {
    /// A failure of the C layer's own: `code` is one no core error has (`JOGG_ERR_NULL_ARGUMENT`,
    /// `JOGG_ERR_INVALID_UTF8`, `JOGG_ERR_INVALID_JSON`, `JOGG_ERR_NO_SUCH_MEMBER`,
    /// `JOGG_ERR_WRONG_TYPE`, `JOGG_ERR_PANIC`), `field` the parameter or member concerned.
    pub fn own(code: jogg_code, message: impl Into<String>, field: Option<&str>) -> Failure {
        let kind = match code {
            JOGG_ERR_PANIC => ErrorKind::Internal,
            _ => ErrorKind::Validation,
        };
        let mut error = Error::new(kind, message);
        if let Some(field) = field {
            error = error.with_field(field);
        }
        Failure { code, error }
    }

    /// The error JSON: every member present, `null` when unknown.
    pub fn json(&self) -> Value {
        let e = &self.error;
        let mut m = Map::new();
        m.insert("code".into(), json!(self.code));
        m.insert(
            "name".into(),
            json!(name_of(self.code).to_str().unwrap_or("")),
        );
        m.insert("message".into(), json!(e.message()));
        m.insert("field".into(), json!(e.field()));
        let fields = e.fields();
        let fields = if fields.is_empty() {
            Value::Null
        } else {
            json!(fields)
        };
        m.insert("fields".into(), fields);
        m.insert("http_status".into(), json!(e.http_status()));
        m.insert("api_code".into(), json!(e.api_code()));
        m.insert("api_message".into(), json!(e.api_message()));
        m.insert("api_data".into(), json!(e.api_data()));
        m.insert("request_id".into(), json!(e.request_id()));
        let retry_after_ms = e.retry_after().map(|d| d.as_millis() as u64);
        m.insert("retry_after_ms".into(), json!(retry_after_ms));
        m.insert("retryable".into(), json!(e.is_retryable()));
        m.insert("maybe_processed".into(), json!(e.maybe_processed()));
        m.insert("task_id".into(), json!(e.task_id()));
        Value::Object(m)
    }
}

/// The error JSON C callers get for a core error.
pub fn error_json(error: &Error) -> Value {
    Failure::from(error.clone()).json()
}

/// The code C callers get for a core error.
pub fn code_of(kind: ErrorKind) -> jogg_code {
    match kind {
        ErrorKind::Validation => JOGG_ERR_VALIDATION,
        ErrorKind::UnknownOperation => JOGG_ERR_UNKNOWN_OPERATION,
        ErrorKind::InvalidConfig => JOGG_ERR_INVALID_CONFIG,
        ErrorKind::Connect => JOGG_ERR_CONNECT,
        ErrorKind::Timeout => JOGG_ERR_TIMEOUT,
        ErrorKind::Tls => JOGG_ERR_TLS,
        ErrorKind::Transport => JOGG_ERR_TRANSPORT,
        ErrorKind::BodyTooLarge => JOGG_ERR_BODY_TOO_LARGE,
        ErrorKind::Api => JOGG_ERR_API,
        ErrorKind::Auth => JOGG_ERR_AUTH,
        ErrorKind::NotFound => JOGG_ERR_NOT_FOUND,
        ErrorKind::RateLimited => JOGG_ERR_RATE_LIMITED,
        ErrorKind::Server => JOGG_ERR_SERVER,
        ErrorKind::InvalidRequest => JOGG_ERR_INVALID_REQUEST,
        ErrorKind::InsufficientCredits => JOGG_ERR_INSUFFICIENT_CREDITS,
        ErrorKind::Forbidden => JOGG_ERR_FORBIDDEN,
        ErrorKind::BadResponse => JOGG_ERR_BAD_RESPONSE,
        ErrorKind::Cancelled => JOGG_ERR_CANCELLED,
        ErrorKind::WaitTimeout => JOGG_ERR_WAIT_TIMEOUT,
        ErrorKind::TaskFailed => JOGG_ERR_TASK_FAILED,
        ErrorKind::Io => JOGG_ERR_IO,
        ErrorKind::Signature => JOGG_ERR_SIGNATURE,
        ErrorKind::LimiterStore => JOGG_ERR_LIMITER_STORE,
        ErrorKind::Internal => JOGG_ERR_INTERNAL,
    }
}

/// The constant's name of a code (`"JOGG_ERR_VALIDATION"`), or `"UNKNOWN"`.
pub fn name_of(code: jogg_code) -> &'static CStr {
    match code {
        JOGG_OK => c"JOGG_OK",
        JOGG_ERR_NULL_ARGUMENT => c"JOGG_ERR_NULL_ARGUMENT",
        JOGG_ERR_INVALID_UTF8 => c"JOGG_ERR_INVALID_UTF8",
        JOGG_ERR_INVALID_JSON => c"JOGG_ERR_INVALID_JSON",
        JOGG_ERR_VALIDATION => c"JOGG_ERR_VALIDATION",
        JOGG_ERR_UNKNOWN_OPERATION => c"JOGG_ERR_UNKNOWN_OPERATION",
        JOGG_ERR_INVALID_CONFIG => c"JOGG_ERR_INVALID_CONFIG",
        JOGG_ERR_NO_SUCH_MEMBER => c"JOGG_ERR_NO_SUCH_MEMBER",
        JOGG_ERR_WRONG_TYPE => c"JOGG_ERR_WRONG_TYPE",
        JOGG_ERR_CONNECT => c"JOGG_ERR_CONNECT",
        JOGG_ERR_TIMEOUT => c"JOGG_ERR_TIMEOUT",
        JOGG_ERR_TLS => c"JOGG_ERR_TLS",
        JOGG_ERR_TRANSPORT => c"JOGG_ERR_TRANSPORT",
        JOGG_ERR_BODY_TOO_LARGE => c"JOGG_ERR_BODY_TOO_LARGE",
        JOGG_ERR_API => c"JOGG_ERR_API",
        JOGG_ERR_AUTH => c"JOGG_ERR_AUTH",
        JOGG_ERR_NOT_FOUND => c"JOGG_ERR_NOT_FOUND",
        JOGG_ERR_RATE_LIMITED => c"JOGG_ERR_RATE_LIMITED",
        JOGG_ERR_SERVER => c"JOGG_ERR_SERVER",
        JOGG_ERR_INVALID_REQUEST => c"JOGG_ERR_INVALID_REQUEST",
        JOGG_ERR_INSUFFICIENT_CREDITS => c"JOGG_ERR_INSUFFICIENT_CREDITS",
        JOGG_ERR_FORBIDDEN => c"JOGG_ERR_FORBIDDEN",
        JOGG_ERR_BAD_RESPONSE => c"JOGG_ERR_BAD_RESPONSE",
        JOGG_ERR_CANCELLED => c"JOGG_ERR_CANCELLED",
        JOGG_ERR_WAIT_TIMEOUT => c"JOGG_ERR_WAIT_TIMEOUT",
        JOGG_ERR_TASK_FAILED => c"JOGG_ERR_TASK_FAILED",
        JOGG_ERR_IO => c"JOGG_ERR_IO",
        JOGG_ERR_SIGNATURE => c"JOGG_ERR_SIGNATURE",
        JOGG_ERR_LIMITER_STORE => c"JOGG_ERR_LIMITER_STORE",
        JOGG_ERR_PANIC => c"JOGG_ERR_PANIC",
        JOGG_ERR_INTERNAL => c"JOGG_ERR_INTERNAL",
        _ => c"UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_has_every_member() {
        let f = Failure::from(Error::new(ErrorKind::Validation, "avatar_id: is required"));
        let j = f.json();
        for k in [
            "code",
            "name",
            "message",
            "field",
            "fields",
            "http_status",
            "api_code",
            "api_message",
            "api_data",
            "request_id",
            "retry_after_ms",
            "retryable",
            "maybe_processed",
            "task_id",
        ] {
            assert!(j.get(k).is_some(), "missing {k}");
        }
        assert_eq!(j["code"], JOGG_ERR_VALIDATION);
        assert_eq!(j["name"], "JOGG_ERR_VALIDATION");
        assert_eq!(
            j["fields"],
            Value::Null,
            "no member named, so none at fault"
        );
    }

    #[test]
    fn fields_lists_every_member_at_fault() {
        let one = error_json(&Error::validation("avatar_id", "is required"));
        assert_eq!(one["field"], "avatar_id");
        assert_eq!(one["fields"], json!(["avatar_id"]));
        let several = Error::new(ErrorKind::Validation, "avatar_id, voice_id: are required")
            .with_fields(vec!["avatar_id".into(), "voice_id".into()]);
        let j = error_json(&several);
        assert_eq!(j["field"], "avatar_id");
        assert_eq!(j["fields"], json!(["avatar_id", "voice_id"]));
    }
}
