//! One error type for every failure, from a bad argument to a failed render.
//!
//! An [`Error`] says what kind of failure it is ([`ErrorKind`]), in words, and everything the
//! API said about it (code, message, data, request id), whether it may be retried, and which
//! task it concerns. Nothing here ever holds the API key: messages are built from the request
//! path, the API's reply and our own text, and pass through the scrubber before they leave.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// What kind of failure an [`Error`] is. New kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    // The caller's mistake, found before anything is sent.
    /// A request member is missing, unknown, of the wrong type or out of range
    /// ([`Error::field`] names it). Nothing was sent.
    Validation,
    /// No operation has that name.
    UnknownOperation,
    /// The client's configuration is invalid ([`Error::field`] names the member).
    InvalidConfig,
    // The request did not complete at the transport level.
    /// Could not connect (refused, no such host, or no connection in time). Nothing was sent.
    Connect,
    /// Connected, but the answer did not come in time.
    Timeout,
    /// The TLS handshake or the server's certificate failed.
    Tls,
    /// Another network or HTTP protocol failure.
    Transport,
    /// The reply, or the pages gathered, were larger than the limit.
    BodyTooLarge,
    // The API answered with an error.
    /// An API error code this library does not classify ([`Error::api_code`] has it).
    Api,
    /// The API key is missing or invalid.
    Auth,
    /// No such record.
    NotFound,
    /// Too many requests; [`Error::retry_after`] says when to try again.
    RateLimited,
    /// A server-side failure.
    Server,
    /// The API refused the parameters.
    InvalidRequest,
    /// Not enough credits.
    InsufficientCredits,
    /// The account may not use the API.
    Forbidden,
    /// The API's reply could not be understood.
    BadResponse,
    // Waiting on a task.
    /// The progress callback asked to stop.
    Cancelled,
    /// The wait's deadline or poll budget ran out; the task may still finish.
    WaitTimeout,
    /// The task failed or was deleted.
    TaskFailed,
    // Outside the API and the call's arguments.
    /// A local file could not be used.
    Io,
    /// A webhook delivery failed verification.
    Signature,
    /// The POST limiter's shared store could not be used; nothing was sent.
    LimiterStore,
    /// A bug in this library.
    Internal,
}

impl ErrorKind {
    /// The kind in one word, as log lines write it: `"timeout"`, `"not_found"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::UnknownOperation => "unknown_operation",
            ErrorKind::InvalidConfig => "invalid_config",
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Tls => "tls",
            ErrorKind::Transport => "transport",
            ErrorKind::BodyTooLarge => "body_too_large",
            ErrorKind::Api => "api",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::InsufficientCredits => "insufficient_credits",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::BadResponse => "bad_response",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::WaitTimeout => "wait_timeout",
            ErrorKind::TaskFailed => "task_failed",
            ErrorKind::Io => "io",
            ErrorKind::Signature => "signature",
            ErrorKind::LimiterStore => "limiter_store",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether repeating the same request later may succeed (what failed was the network or
    /// the server's state, not the request).
    pub(crate) fn passes(self) -> bool {
        matches!(
            self,
            ErrorKind::Connect
                | ErrorKind::Timeout
                | ErrorKind::Transport
                | ErrorKind::RateLimited
                | ErrorKind::Server
                | ErrorKind::LimiterStore
        )
    }

    /// The kind for an API envelope `code` (api-notes §5) or, failing that, an HTTP status.
    pub(crate) fn for_api(api_code: Option<i64>, http_status: u16) -> ErrorKind {
        match api_code {
            Some(10105) => ErrorKind::Auth,
            Some(10104) => ErrorKind::NotFound,
            Some(429) => ErrorKind::RateLimited,
            Some(50000) => ErrorKind::Server,
            Some(40000) => ErrorKind::InvalidRequest,
            Some(18020) => ErrorKind::InsufficientCredits,
            Some(18025) => ErrorKind::Forbidden,
            Some(_) => ErrorKind::Api,
            None => match http_status {
                401 => ErrorKind::Auth,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                429 => ErrorKind::RateLimited,
                400 | 422 => ErrorKind::InvalidRequest,
                s if s >= 500 => ErrorKind::Server,
                _ => ErrorKind::Api,
            },
        }
    }
}

/// A failure of any jogg call: what kind it is, what the API said, and whether it is safe to
/// try again. Boxed, so that `Result<T, Error>` stays small on the happy path.
#[derive(Clone)]
pub struct Error(pub(crate) Box<Details>);

/// What an [`Error`] holds; read through its accessors.
#[derive(Clone, Debug)]
pub(crate) struct Details {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) field: Option<String>,
    /// When several members are missing from a request, all of them (`field` is the first).
    pub(crate) fields: Vec<String>,
    pub(crate) http_status: Option<u16>,
    pub(crate) api_code: Option<i64>,
    pub(crate) api_message: Option<String>,
    pub(crate) api_data: Option<Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after_ms: Option<u64>,
    pub(crate) maybe_processed: bool,
    pub(crate) task_id: Option<String>,
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// An error of `kind` saying `message`, with nothing else known.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Details {
            kind,
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
            source: None,
        }))
    }

    /// A request field failed validation: the message starts with the field's name.
    pub(crate) fn validation(field: impl Into<String>, problem: impl AsRef<str>) -> Error {
        let field = field.into();
        let mut e = Error::new(
            ErrorKind::Validation,
            format!("{field}: {}", problem.as_ref()),
        );
        e.0.field = Some(field);
        e
    }

    pub(crate) fn with_task(mut self, id: impl Into<String>) -> Error {
        self.0.task_id = Some(id.into());
        self
    }

    pub(crate) fn with_field(mut self, field: impl Into<String>) -> Error {
        self.0.field = Some(field.into());
        self
    }

    /// All the members at fault, when there are several; the first becomes `field`.
    pub(crate) fn with_fields(mut self, fields: Vec<String>) -> Error {
        self.0.field = fields.first().cloned().or(self.0.field);
        self.0.fields = fields;
        self
    }

    /// Keeps the lower-level error this one comes from, for [`std::error::Error::source`].
    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// What happened, in words; for a validation error it starts with the field's name.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The request member (a dotted path: `voice.voice_id`) or config member at fault.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Every request member at fault: all the missing ones when several are (so that one
    /// round of fixes is enough), else the one [`field`](Error::field) names; empty when no
    /// member is.
    pub fn fields(&self) -> Vec<&str> {
        match (&self.0.fields[..], &self.0.field) {
            ([], Some(field)) => vec![field.as_str()],
            (all, _) => all.iter().map(String::as_str).collect(),
        }
    }

    /// The HTTP status of the reply, when one came.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }

    /// The API's own error code (the envelope's `code`), when it answered with one.
    pub fn api_code(&self) -> Option<i64> {
        self.0.api_code
    }

    /// The API's own message (the envelope's `msg`).
    pub fn api_message(&self) -> Option<&str> {
        self.0.api_message.as_deref()
    }

    /// The envelope's `data` when the API sent one with its error (some errors carry the
    /// details of what failed there, D6).
    pub fn api_data(&self) -> Option<&Value> {
        self.0.api_data.as_ref()
    }

    /// The API's request id (the envelope's `rid`): quote it when reporting a problem to Jogg.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// How long the server asked to wait before trying again (at most one day).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after_ms.map(Duration::from_millis)
    }

    /// Whether sending the same request again as it is is safe and may succeed: the failure is
    /// of a kind that passes (network, timeout, rate limit, server error) and the request was
    /// certainly not acted on. Always false when [`Error::maybe_processed`] is true: a create
    /// that may have gone through must be checked, not sent again.
    pub fn is_retryable(&self) -> bool {
        self.0.kind.passes() && !self.0.maybe_processed
    }

    /// The request may have been acted on although it failed (a create timed out after
    /// sending): check before creating again, or pay twice.
    pub fn maybe_processed(&self) -> bool {
        self.0.maybe_processed
    }

    /// The id of the task concerned: a project that failed, or is still running when a wait
    /// gave up. Wait on it again rather than creating (and paying for) a new one.
    pub fn task_id(&self) -> Option<&str> {
        self.0.task_id.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        f.debug_struct("Error")
            .field("kind", &d.kind)
            .field("message", &d.message)
            .field("field", &d.field)
            .field("fields", &d.fields)
            .field("http_status", &d.http_status)
            .field("api_code", &d.api_code)
            .field("api_message", &d.api_message)
            .field("request_id", &d.request_id)
            .field("retry_after_ms", &d.retry_after_ms)
            .field("maybe_processed", &d.maybe_processed)
            .field("task_id", &d.task_id)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Two errors are equal when they say the same (their sources are not compared).
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        let (a, b) = (&self.0, &other.0);
        a.kind == b.kind
            && a.message == b.message
            && a.field == b.field
            && a.fields == b.fields
            && a.http_status == b.http_status
            && a.api_code == b.api_code
            && a.api_message == b.api_message
            && a.api_data == b.api_data
            && a.request_id == b.request_id
            && a.retry_after_ms == b.retry_after_ms
            && a.maybe_processed == b.maybe_processed
            && a.task_id == b.task_id
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_codes_map_to_kinds() {
        assert_eq!(ErrorKind::for_api(Some(10105), 200), ErrorKind::Auth);
        assert_eq!(ErrorKind::for_api(Some(123), 200), ErrorKind::Api);
        assert_eq!(ErrorKind::for_api(None, 503), ErrorKind::Server);
        assert_eq!(ErrorKind::for_api(None, 418), ErrorKind::Api);
    }

    #[test]
    fn accessors_and_source() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Error::validation("avatar_id", "is required").with_source(io);
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.field(), Some("avatar_id"));
        assert_eq!(e.message(), "avatar_id: is required");
        assert_eq!(e.to_string(), "avatar_id: is required");
        assert!(!e.is_retryable());
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(source.to_string(), "no such file");
        let mut timeout = Error::new(ErrorKind::Timeout, "slow");
        assert!(timeout.is_retryable());
        timeout.0.maybe_processed = true;
        assert!(
            !timeout.is_retryable(),
            "never retryable when it may have been processed"
        );
    }
}
