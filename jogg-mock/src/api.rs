//! An API request, from its route to its answer: the key check, the POST rate limit, the
//! description's judge (`crate::description`), then the operation's handler (`areas`).
//!
//! Every operation of the description goes through here, so they all authenticate, count and
//! validate the same way. Unknown members are dropped, as the real service ignores them (D24,
//! D61); everything else the description constrains is refused with a 40000 naming the field.

use std::sync::MutexGuard;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::Shared;
use crate::areas;
use crate::description::{self, Operation};
use crate::envelope::{ApiError, CODE_INTERNAL, error_response, finish, rate_limited};
use crate::http::{Request, Response};
use crate::limiter::Admission;
use crate::store::{Phase, Record, Store};

/// What a handler gets: the caller's key and the validated parameters (path, query and body
/// together, with the spec's types).
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) key: &'a str,
    pub(crate) params: Map<String, Value>,
}

pub(crate) type Handler = fn(&Call) -> Result<Value, ApiError>;

impl Call<'_> {
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    pub(crate) fn i64(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(Value::as_i64)
    }

    /// A path or query id, whether it arrived as a string or a number.
    pub(crate) fn id(&self, name: &str) -> String {
        match self.params.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.shared.store()
    }

    /// A new record stamped now; it fails later if the request mentions the fail marker.
    pub(crate) fn new_record(&self, data: Value) -> Record {
        let marker = &self.shared.config.fail_marker;
        let request_text = Value::Object(self.params.clone()).to_string();
        Record {
            id: self.shared.ids.hex32(),
            created: self.shared.clock.now(),
            created_unix: self.now_unix(),
            fails: !marker.is_empty() && request_text.contains(marker.as_str()),
            ended: None,
            data,
        }
    }

    pub(crate) fn now_unix(&self) -> u64 {
        self.shared.clock.unix_seconds()
    }

    pub(crate) fn phase(&self, record: &Record) -> Phase {
        record.phase(self.shared.clock.now(), self.shared.config.render_ms)
    }

    /// A URL the mock serves for a finished task's output (`/files/tasks/<id>.<ext>`).
    pub(crate) fn media_url(&self, id: &str, ext: &str) -> String {
        format!("{}/files/tasks/{id}.{ext}", self.shared.base_url)
    }

    /// One page of `items` per the `page`/`page_size` params (defaults 1 and 10), with the
    /// v2 `pagination` object.
    pub(crate) fn paginate(&self, items: Vec<Value>) -> (Vec<Value>, Value) {
        let page = self.i64("page").unwrap_or(1).max(1) as usize;
        let size = self.i64("page_size").unwrap_or(10).max(1) as usize;
        let total = items.len();
        let pages = total.div_ceil(size);
        let slice = items
            .into_iter()
            .skip((page - 1).saturating_mul(size))
            .take(size)
            .collect();
        let pagination =
            json!({"page": page, "page_size": size, "total_items": total, "total_pages": pages});
        (slice, pagination)
    }
}

/// Answers a request routed to `op`, with the path parameters its template matched.
pub(crate) fn answer(
    shared: &Shared,
    request: &Request,
    op: &Operation,
    path_params: Vec<(String, String)>,
) -> Response {
    let key = match authenticate(shared, request) {
        Ok(key) => key,
        Err(e) => return error_response(shared, &e),
    };
    let run = || {
        let outcome = params(op, request, path_params).and_then(|params| {
            let handler = areas::handler(op.full_name()).ok_or_else(|| ApiError {
                code: CODE_INTERNAL,
                msg: format!("jogg-mock does not simulate {}", op.full_name()),
            })?;
            let call = Call {
                shared,
                key,
                params,
            };
            if matches!(op.method(), "POST" | "PUT") {
                areas::check_refs(&call)?;
            }
            handler(&call)
        });
        finish(shared, outcome)
    };
    // The limit is applied before the body is even parsed, so invalid POSTs use up the
    // quota just as on the real service.
    if op.method() == "POST" {
        limited_post(shared, key, run)
    } else {
        run()
    }
}

/// The caller's key, if `x-api-key` is one the mock accepts; checked before anything else,
/// including the rate limit.
fn authenticate<'a>(shared: &'a Shared, request: &Request) -> Result<&'a str, ApiError> {
    let presented = request.header("x-api-key").ok_or_else(ApiError::bad_key)?;
    shared
        .config
        .api_keys
        .iter()
        .find(|key| key.as_str() == presented)
        .map(String::as_str)
        .ok_or_else(ApiError::bad_key)
}

/// Counts a POST against the key's window (every POST does, api-notes §7) and runs `handler`
/// if it fits, labelling its answer with the remainder.
fn limited_post(shared: &Shared, key: &str, handler: impl FnOnce() -> Response) -> Response {
    let window = Duration::from_millis(shared.config.post_window_ms);
    let admission = shared.store().admit_post(
        key,
        shared.clock.now(),
        shared.config.post_limit,
        window,
        shared.config.post_window_kind,
    );
    match admission {
        Admission::Allowed { remaining } => {
            handler().with_header("X-RateLimit-Remaining", remaining.to_string())
        }
        Admission::Limited { retry_after_secs } => rate_limited(shared, retry_after_secs),
    }
}

/// Gathers path, query and body params into one flat object, judges it against the
/// description, and returns the declared members typed as the description says (query and
/// path text as numbers where numbers are meant).
fn params(
    op: &Operation,
    request: &Request,
    path_params: Vec<(String, String)>,
) -> Result<Map<String, Value>, ApiError> {
    let mut raw = Map::new();
    if matches!(op.method(), "POST" | "PUT") && !request.body.is_empty() {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(body)) => raw = body,
            _ => return Err(ApiError::parameter("body must be a JSON object")),
        }
    }
    for (name, value) in &request.query {
        raw.insert(name.clone(), Value::String(value.clone()));
    }
    for (name, value) in path_params {
        raw.insert(name, Value::String(value));
    }
    if let Some(violation) = description::judge(op, &raw).into_iter().next() {
        return Err(ApiError::parameter(violation));
    }
    Ok(description::typed_params(op, &raw))
}
