//! The control API: what a test suite in any language needs from its test double, over plain
//! HTTP under the reserved prefix `/_mock/`. No key is needed, and these requests are not API
//! traffic: they are neither logged, counted against the POST limit, nor faulted.
//!
//! - `GET /_mock/health`: `{"status": "ok", "version", "base_url"}`.
//! - `GET /_mock/requests`: the API requests received, oldest first, each with its method,
//!   path, query, body, the operation it resolved to, the HTTP status and envelope code
//!   answered, the fault injected and the task it created. `?operation=`, `?method=` and
//!   `?path=` keep only the matching ones; `count` says how many there are.
//! - `POST /_mock/reset`: back to a fresh server's state ([`crate::MockServer::reset`]).
//! - `POST /_mock/tasks/{id}/finish` and `.../fail`: ends a running task now, as a success or
//!   a failure (409 if it has already ended, 404 if there is no such task).
//! - `GET /_mock/webhooks`: the webhook delivery attempts made, oldest first.
//!
//! Replies are JSON objects, not the API's envelope; a failure is `{"error": "..."}` with a
//! 4xx status.

use serde_json::{Map, Value, json};

use crate::envelope::base_response;
use crate::http::{Request, Response};
use crate::store::Phase;
use crate::{RecordedRequest, Shared, areas};

/// The reserved prefix: no API path starts with it.
const PREFIX: &str = "/_mock/";

/// Whether the control API answers `path`.
pub(crate) fn owns(path: &str) -> bool {
    path.starts_with(PREFIX)
}

/// Answers one control request.
pub(crate) fn answer(shared: &Shared, request: &Request) -> Response {
    let path = request.path.strip_prefix(PREFIX).unwrap_or_default();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let method = request.method.as_str();
    match (method, segments.as_slice()) {
        ("GET", ["health"]) => reply(
            200,
            json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "base_url": shared.base_url,
            }),
        ),
        ("GET", ["requests"]) => requests(shared, request),
        ("POST", ["reset"]) => {
            shared.reset();
            reply(200, json!({"reset": true}))
        }
        ("POST", ["tasks", id, "finish"]) => end_task(shared, id, false),
        ("POST", ["tasks", id, "fail"]) => end_task(shared, id, true),
        ("GET", ["webhooks"]) => webhooks(shared),
        (_, ["health" | "requests" | "webhooks"]) => not_allowed("GET"),
        (_, ["reset"] | ["tasks", _, "finish" | "fail"]) => not_allowed("POST"),
        _ => error(
            404,
            format!(
                "no control route {method} {}: the routes are GET /_mock/health, \
                 GET /_mock/requests, POST /_mock/reset, POST /_mock/tasks/ID/finish, \
                 POST /_mock/tasks/ID/fail and GET /_mock/webhooks",
                request.path
            ),
        ),
    }
}

fn reply(status: u16, body: Value) -> Response {
    let mut text = body.to_string().into_bytes();
    text.push(b'\n');
    base_response(status, "application/json", text)
}

fn error(status: u16, message: String) -> Response {
    reply(status, json!({ "error": message }))
}

fn not_allowed(allowed: &str) -> Response {
    error(405, format!("use {allowed} for this control route")).with_header("Allow", allowed)
}

/// The request log, filtered by the query's `operation`, `method` and `path`.
fn requests(shared: &Shared, request: &Request) -> Response {
    let wanted = |name: &str, value: Option<&str>| {
        request.query_param(name).is_none_or(|w| value == Some(w))
    };
    let method = request.query_param("method").map(str::to_ascii_uppercase);
    let entries: Vec<Value> = shared
        .logged_requests()
        .iter()
        .filter(|r| {
            wanted("operation", r.operation.as_deref())
                && method.as_ref().is_none_or(|m| *m == r.method)
                && wanted("path", Some(&r.path))
        })
        .map(entry)
        .collect();
    reply(200, json!({"count": entries.len(), "requests": entries}))
}

/// One logged request as JSON: the query as an object (the last value of a repeated name
/// wins), the body as the JSON it holds, else as text, else `null` when empty.
fn entry(r: &RecordedRequest) -> Value {
    let query: Map<String, Value> = r
        .query
        .iter()
        .map(|(name, value)| (name.clone(), Value::String(value.clone())))
        .collect();
    let body = if r.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&r.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&r.body).into_owned()))
    };
    json!({
        "method": r.method,
        "path": r.path,
        "query": query,
        "body": body,
        "operation": r.operation,
        "http_status": r.http_status,
        "api_code": r.api_code,
        "fault": r.fault,
        "created": r.created,
    })
}

/// Ends the task whose id a create returned, now; its webhook event (for projects) goes out
/// at once.
fn end_task(shared: &Shared, id: &str, fails: bool) -> Response {
    let id = crate::http::percent_decode(id);
    let now = shared.clock.now();
    let render_ms = shared.config.render_ms;
    let kind = {
        let mut store = shared.store();
        let Some((kind, record)) = store.find_by_id_mut(&id) else {
            return error(
                404,
                format!("no task {id:?}: give the id a create returned"),
            );
        };
        match record.phase(now, render_ms) {
            Phase::Pending | Phase::Processing => record.end(now, fails),
            ended => {
                let word = if ended == Phase::Failed {
                    "failed"
                } else {
                    "succeeded"
                };
                return error(
                    409,
                    format!(
                        "task {id:?} has already ended ({word}); start the mock with a longer \
                         --render-ms to end tasks on demand"
                    ),
                );
            }
        }
        kind
    };
    if kind == areas::PROJECT {
        shared.hub.schedule(now, id.clone());
    }
    let status = if fails { "failed" } else { "succeeded" };
    reply(200, json!({"id": id, "kind": kind, "status": status}))
}

fn webhooks(shared: &Shared) -> Response {
    let attempts: Vec<Value> = shared
        .hub
        .attempts()
        .into_iter()
        .map(|a| {
            json!({
                "endpoint_id": a.endpoint_id,
                "url": a.url,
                "event": a.event,
                "event_id": a.event_id,
                "attempt": a.attempt,
                "status": a.status,
                "dropped": a.dropped,
                "delay_ms": a.delay_ms,
            })
        })
        .collect();
    reply(
        200,
        json!({"count": attempts.len(), "deliveries": attempts}),
    )
}
