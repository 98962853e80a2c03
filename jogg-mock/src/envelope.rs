//! The API's reply envelope `{code, msg, data, rid}` and its business errors.
//!
//! Business errors are HTTP 200 with `code != 0` unless [`crate::MockConfig::http_errors`]
//! asks for matching 4xx/5xx statuses (D1); every reply carries a fresh 32-hex `rid` (D2).

use std::fmt::Display;

use serde::Serialize;
use serde_json::Value;

use crate::Shared;
use crate::description::Operation;
use crate::http::Response;

/// Envelope codes used by the mock (api-notes §5).
pub(crate) const CODE_OK: i64 = 0;
pub(crate) const CODE_RATE_LIMITED: i64 = 429;
pub(crate) const CODE_NOT_FOUND: i64 = 10104;
pub(crate) const CODE_BAD_KEY: i64 = 10105;
pub(crate) const CODE_PARAMETER: i64 = 40000;
pub(crate) const CODE_INTERNAL: i64 = 50000;

/// Lets clients and bug reports tell which mock build answered.
const VERSION_HEADER: &str = "Jogg-Mock-Version";
const MOCK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A business error: becomes an envelope with `data: null`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) code: i64,
    pub(crate) msg: String,
}

impl ApiError {
    /// A 40000 whose message names the offending field first.
    pub(crate) fn parameter(detail: impl Display) -> Self {
        ApiError {
            code: CODE_PARAMETER,
            msg: format!("Parameter error: {detail}"),
        }
    }

    pub(crate) fn not_found(what: impl Display) -> Self {
        ApiError {
            code: CODE_NOT_FOUND,
            msg: format!("Record not found: {what}"),
        }
    }

    pub(crate) fn bad_key() -> Self {
        ApiError {
            code: CODE_BAD_KEY,
            msg: "Invalid or missing API key (x-api-key header)".to_owned(),
        }
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    code: i64,
    msg: &'a str,
    data: T,
    rid: String,
}

/// Any reply of the mock, API or not, with its version header.
pub(crate) fn base_response(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response::new(status, content_type, body).with_header(VERSION_HEADER, MOCK_VERSION)
}

pub(crate) fn json_response(
    shared: &Shared,
    status: u16,
    code: i64,
    msg: &str,
    data: impl Serialize,
) -> Response {
    let envelope = Envelope {
        code,
        msg,
        data,
        rid: shared.ids.hex32(),
    };
    // Serialising these plain values cannot fail; the fallback keeps the contract (a JSON
    // envelope) even if that ever changes.
    let body = serde_json::to_vec(&envelope).unwrap_or_else(|_| {
        br#"{"code":50000,"msg":"response serialisation failed","data":null,"rid":""}"#.to_vec()
    });
    base_response(status, "application/json", body)
}

/// The HTTP status for a business error: 200 by default (what the official integration
/// expects, D1), or a matching 4xx/5xx in `http_errors` mode.
fn error_status(shared: &Shared, code: i64) -> u16 {
    if !shared.config.http_errors {
        return 200;
    }
    match code {
        CODE_BAD_KEY => 401,
        CODE_NOT_FOUND => 404,
        CODE_RATE_LIMITED => 429,
        CODE_INTERNAL => 500,
        _ => 400,
    }
}

pub(crate) fn error_response(shared: &Shared, error: &ApiError) -> Response {
    let status = error_status(shared, error.code);
    json_response(shared, status, error.code, &error.msg, Value::Null)
}

pub(crate) fn finish<T: Serialize>(shared: &Shared, outcome: Result<T, ApiError>) -> Response {
    match outcome {
        Ok(data) => json_response(shared, 200, CODE_OK, "success", data),
        Err(error) => error_response(shared, &error),
    }
}

/// The envelope `code` of a reply, if it is an envelope (what the request log shows).
pub(crate) fn code_of(response: &Response) -> Option<i64> {
    let content_type = response
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    if content_type != Some("application/json") {
        return None;
    }
    let envelope: Value = serde_json::from_slice(&response.body).ok()?;
    envelope.get("code")?.as_i64()
}

/// The id of the task a successful reply of `op` announces (the first of the description's
/// id members present in `data`), if `op` starts one.
pub(crate) fn created_task(op: &Operation, response: &Response) -> Option<String> {
    let task = op.task()?;
    if code_of(response) != Some(CODE_OK) {
        return None;
    }
    let envelope: Value = serde_json::from_slice(&response.body).ok()?;
    let data = envelope.get("data")?;
    let id = task
        .id_members()
        .iter()
        .find_map(|member| data.get(member.as_str()))
        .or_else(|| {
            // A batch: the first item's id.
            let array = data.get(task.id_array()?)?.as_array()?;
            let first = array.first()?;
            task.id_members()
                .iter()
                .find_map(|member| first.get(member.as_str()))
        })?;
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Envelope for a request that could not be parsed (too large, malformed).
pub(crate) fn transport_error(shared: &Shared, status: u16, message: &str) -> Response {
    json_response(shared, status, CODE_PARAMETER, message, Value::Null)
}

/// Envelope for a handler that panicked: a mock bug, reported as 50000.
pub(crate) fn internal_error(shared: &Shared) -> Response {
    error_response(
        shared,
        &ApiError {
            code: CODE_INTERNAL,
            msg: "Internal error in jogg-mock".to_owned(),
        },
    )
}

/// The 429 of the POST limit, with the headers that say when to come back (D5).
pub(crate) fn rate_limited(shared: &Shared, retry_after_secs: u64) -> Response {
    let error = ApiError {
        code: CODE_RATE_LIMITED,
        msg:
            "Rate limit exceeded: too many POST requests for this API key. Please try again later."
                .to_owned(),
    };
    error_response(shared, &error)
        .with_header("Retry-After", retry_after_secs.to_string())
        .with_header("X-RateLimit-Remaining", "0")
}
