//! One error type for every failure, from a bad argument to a failed render.
//!
//! The same value reaches Rust callers as [`Error`] and C callers as a `jogg_code` plus the
//! JSON of [`Error::to_json`], so both see identical detail. Nothing here ever holds the API
//! key: messages are built from the request path, the API's reply and our own text only.

use serde_json::{Map, Value, json};

/// Stable numeric codes, grouped by family. Append only: a retired number is never reused.
///
/// The numbers are the C ABI's `JOGG_*` constants (see `ffi`); they do not mirror HTTP
/// statuses, which travel separately in [`ErrorInfo::http_status`].
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    Ok = 0,
    // 1-99: the caller's mistake, detected before anything is sent.
    NullArgument = 1,
    InvalidUtf8 = 2,
    InvalidJson = 3,
    Validation = 4,
    UnknownOperation = 5,
    InvalidConfig = 6,
    // 100-199: the request did not complete at the transport level.
    Connect = 100,
    Timeout = 101,
    Tls = 102,
    Transport = 103,
    BodyTooLarge = 104,
    // 200-299: the API answered with an error.
    Api = 200,
    Auth = 201,
    NotFound = 202,
    RateLimited = 203,
    Server = 204,
    InvalidRequest = 205,
    InsufficientCredits = 206,
    Forbidden = 207,
    BadResponse = 208,
    // 300-399: waiting on a task.
    Cancelled = 300,
    WaitTimeout = 301,
    TaskFailed = 302,
    // 400-499: outside the API and outside the call's arguments: local files and incoming
    // webhook deliveries. A program reacts to these differently from a bad argument (fix the
    // file or the path, not the code) or an API error (nothing was asked of the API), and a
    // webhook receiver must tell a forged delivery (answer 401) from its own mistakes.
    Io = 400,
    Signature = 401,
    /// The shared store of the POST limiter (the host scope's directory, Redis, the
    /// caller's store) could not be used; nothing was sent.
    LimiterStore = 402,
    // 900-999: bugs in this library.
    Panic = 900,
    Internal = 901,
}

impl Code {
    /// Every code, in numeric order; the C ABI and its tests walk this list.
    pub const ALL: &'static [Code] = &[
        Code::Ok,
        Code::NullArgument,
        Code::InvalidUtf8,
        Code::InvalidJson,
        Code::Validation,
        Code::UnknownOperation,
        Code::InvalidConfig,
        Code::Connect,
        Code::Timeout,
        Code::Tls,
        Code::Transport,
        Code::BodyTooLarge,
        Code::Api,
        Code::Auth,
        Code::NotFound,
        Code::RateLimited,
        Code::Server,
        Code::InvalidRequest,
        Code::InsufficientCredits,
        Code::Forbidden,
        Code::BadResponse,
        Code::Cancelled,
        Code::WaitTimeout,
        Code::TaskFailed,
        Code::Io,
        Code::Signature,
        Code::LimiterStore,
        Code::Panic,
        Code::Internal,
    ];

    pub fn as_i32(self) -> i32 {
        self as i32
    }

    pub fn from_i32(value: i32) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_i32() == value)
    }

    /// The C constant's name (`JOGG_ERR_VALIDATION`): the `name` of error JSON and what
    /// `jogg_code_name` returns.
    pub fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            Code::Ok => c"JOGG_OK",
            Code::NullArgument => c"JOGG_ERR_NULL_ARGUMENT",
            Code::InvalidUtf8 => c"JOGG_ERR_INVALID_UTF8",
            Code::InvalidJson => c"JOGG_ERR_INVALID_JSON",
            Code::Validation => c"JOGG_ERR_VALIDATION",
            Code::UnknownOperation => c"JOGG_ERR_UNKNOWN_OPERATION",
            Code::InvalidConfig => c"JOGG_ERR_INVALID_CONFIG",
            Code::Connect => c"JOGG_ERR_CONNECT",
            Code::Timeout => c"JOGG_ERR_TIMEOUT",
            Code::Tls => c"JOGG_ERR_TLS",
            Code::Transport => c"JOGG_ERR_TRANSPORT",
            Code::BodyTooLarge => c"JOGG_ERR_BODY_TOO_LARGE",
            Code::Api => c"JOGG_ERR_API",
            Code::Auth => c"JOGG_ERR_AUTH",
            Code::NotFound => c"JOGG_ERR_NOT_FOUND",
            Code::RateLimited => c"JOGG_ERR_RATE_LIMITED",
            Code::Server => c"JOGG_ERR_SERVER",
            Code::InvalidRequest => c"JOGG_ERR_INVALID_REQUEST",
            Code::InsufficientCredits => c"JOGG_ERR_INSUFFICIENT_CREDITS",
            Code::Forbidden => c"JOGG_ERR_FORBIDDEN",
            Code::BadResponse => c"JOGG_ERR_BAD_RESPONSE",
            Code::Cancelled => c"JOGG_ERR_CANCELLED",
            Code::WaitTimeout => c"JOGG_ERR_WAIT_TIMEOUT",
            Code::TaskFailed => c"JOGG_ERR_TASK_FAILED",
            Code::Io => c"JOGG_ERR_IO",
            Code::Signature => c"JOGG_ERR_SIGNATURE",
            Code::LimiterStore => c"JOGG_ERR_LIMITER_STORE",
            Code::Panic => c"JOGG_ERR_PANIC",
            Code::Internal => c"JOGG_ERR_INTERNAL",
        }
    }

    pub fn name(self) -> &'static str {
        self.c_name().to_str().unwrap_or("JOGG_ERR_INTERNAL")
    }

    /// Whether repeating the same request later may succeed (what failed was the network or
    /// the server's state, not the request).
    pub(crate) fn retryable(self) -> bool {
        matches!(
            self,
            Code::Connect
                | Code::Timeout
                | Code::Transport
                | Code::RateLimited
                | Code::Server
                | Code::LimiterStore
        )
    }

    /// The code for an API envelope `code` (api-notes §5) or, failing that, an HTTP status.
    pub(crate) fn for_api(api_code: Option<i64>, http_status: u16) -> Code {
        match api_code {
            Some(10105) => Code::Auth,
            Some(10104) => Code::NotFound,
            Some(429) => Code::RateLimited,
            Some(50000) => Code::Server,
            Some(40000) => Code::InvalidRequest,
            Some(18020) => Code::InsufficientCredits,
            Some(18025) => Code::Forbidden,
            Some(_) => Code::Api,
            None => match http_status {
                401 => Code::Auth,
                403 => Code::Forbidden,
                404 => Code::NotFound,
                429 => Code::RateLimited,
                400 | 422 => Code::InvalidRequest,
                s if s >= 500 => Code::Server,
                _ => Code::Api,
            },
        }
    }
}

/// A failure of any jogg call. Read its details through `Deref` (`err.code`,
/// `err.request_id`...); boxed so that `Result<T, Error>` stays small on the happy path.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", .0.message)]
pub struct Error(Box<ErrorInfo>);

/// The details of an [`Error`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ErrorInfo {
    pub code: Code,
    /// Human text; for validation it names the field.
    pub message: String,
    /// The request field at fault (validation errors), as a dotted path.
    pub field: Option<String>,
    /// When several members are missing from a request, all of them (`field` is the first);
    /// empty otherwise.
    pub fields: Vec<String>,
    pub http_status: Option<u16>,
    /// The envelope's `code` when the API answered with one.
    pub api_code: Option<i64>,
    pub api_message: Option<String>,
    /// The envelope's `data` when the API sent one with its error (some errors carry the
    /// details of what failed there, D6).
    pub api_data: Option<Value>,
    /// The envelope's `rid`: quote it when reporting a problem to Jogg.
    pub request_id: Option<String>,
    pub retry_after_ms: Option<u64>,
    /// The request may have been acted on although it failed (a create timed out after
    /// sending): check before creating again, or pay twice.
    pub maybe_processed: bool,
    /// The id of the task concerned (a project that failed or is still running).
    pub task_id: Option<String>,
}

impl std::ops::Deref for Error {
    type Target = ErrorInfo;
    fn deref(&self) -> &ErrorInfo {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorInfo {
        &mut self.0
    }
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error(Box::new(ErrorInfo {
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
            http_status: None,
            api_code: None,
            api_message: None,
            api_data: None,
            request_id: None,
            retry_after_ms: None,
            maybe_processed: false,
            task_id: None,
        }))
    }

    /// A request field failed validation: the message starts with the field's name.
    pub fn validation(field: impl Into<String>, problem: impl AsRef<str>) -> Error {
        let field = field.into();
        let mut e = Error::new(Code::Validation, format!("{field}: {}", problem.as_ref()));
        e.field = Some(field);
        e
    }

    pub(crate) fn with_task(mut self, id: impl Into<String>) -> Error {
        self.task_id = Some(id.into());
        self
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether sending the same request again as it is is safe and may succeed: the failure is
    /// of a kind that passes (network, timeout, rate limit, server error) and the request was
    /// certainly not acted on. Always false when [`ErrorInfo::maybe_processed`] is true: a
    /// create that may have gone through must be checked, not sent again.
    pub fn retryable(&self) -> bool {
        self.code.retryable() && !self.maybe_processed
    }

    /// The error JSON of the C ABI (DESIGN.md §2): every member present, `null` when unknown.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("code".into(), json!(self.code.as_i32()));
        m.insert("name".into(), json!(self.code.name()));
        m.insert("message".into(), json!(self.message));
        m.insert("field".into(), json!(self.field));
        // Every member at fault: the missing ones when several are, else `field` alone.
        let fields = match (&self.fields[..], &self.field) {
            ([], Some(field)) => json!([field]),
            ([], None) => Value::Null,
            (all, _) => json!(all),
        };
        m.insert("fields".into(), fields);
        m.insert("http_status".into(), json!(self.http_status));
        m.insert("api_code".into(), json!(self.api_code));
        m.insert("api_message".into(), json!(self.api_message));
        m.insert("api_data".into(), json!(self.api_data));
        m.insert("request_id".into(), json!(self.request_id));
        m.insert("retry_after_ms".into(), json!(self.retry_after_ms));
        m.insert("retryable".into(), json!(self.retryable()));
        m.insert("maybe_processed".into(), json!(self.maybe_processed));
        m.insert("task_id".into(), json!(self.task_id));
        Value::Object(m)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            assert!(seen.insert(c.as_i32()), "duplicate {}", c.as_i32());
            assert_eq!(Code::from_i32(c.as_i32()), Some(c));
            assert!(c == Code::Ok || c.name().starts_with("JOGG_ERR_"));
        }
        assert_eq!(Code::from_i32(7777), None);
    }

    #[test]
    fn api_codes_map_to_families() {
        assert_eq!(Code::for_api(Some(10105), 200), Code::Auth);
        assert_eq!(Code::for_api(Some(123), 200), Code::Api);
        assert_eq!(Code::for_api(None, 503), Code::Server);
        assert_eq!(Code::for_api(None, 418), Code::Api);
    }

    #[test]
    fn error_json_has_every_member() {
        let e = Error::validation("avatar_id", "is required");
        let j = e.to_json();
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
        assert_eq!(j["field"], "avatar_id");
        assert_eq!(j["fields"], json!(["avatar_id"]));
        assert_eq!(Error::new(Code::Api, "x").to_json()["fields"], Value::Null);
        assert_eq!(j["name"], "JOGG_ERR_VALIDATION");
        assert_eq!(j["message"], "avatar_id: is required");
    }
}
