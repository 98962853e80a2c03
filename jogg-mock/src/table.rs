//! The operations of the API description, simulated: routing by path template, the same
//! authentication and POST rate limit as the hand-written v1 routes, the description's judge
//! (`crate::description`), then an area handler.
//!
//! Unknown members are dropped, as the real service ignores them (D24, D61); everything else
//! the description constrains is enforced with a 40000 naming the field.

use std::sync::MutexGuard;

use serde_json::{Map, Value, json};

use crate::Shared;
use crate::areas;
use crate::description::{self, Operation};
use crate::http::{Request, Response};
use crate::routes::{ApiError, CODE_INTERNAL, authenticate, error_response, finish, limited_post};
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
            .skip((page - 1) * size)
            .take(size)
            .collect();
        let pagination =
            json!({"page": page, "page_size": size, "total_items": total, "total_pages": pages});
        (slice, pagination)
    }
}

/// Answers a request for a table operation, or `None` when no operation has that route.
pub(crate) fn dispatch(shared: &Shared, request: &Request) -> Option<Response> {
    let (op, path_params) = find_route(&request.method, &request.path)?;
    let key = match authenticate(shared, request) {
        Ok(key) => key,
        Err(e) => return Some(error_response(shared, &e)),
    };
    let answer = || {
        let outcome = params(op, request, path_params).and_then(|params| {
            let handler = areas::handler(op.full_name()).ok_or_else(|| ApiError {
                code: CODE_INTERNAL,
                msg: format!("jogg-mock does not simulate {} yet", op.full_name()),
            })?;
            handler(&Call {
                shared,
                key,
                params,
            })
        });
        finish(shared, outcome)
    };
    Some(if op.method() == "POST" {
        limited_post(shared, key, answer)
    } else {
        answer()
    })
}

/// The operation whose method and path template match; a literal segment beats a
/// parameter (`/v2/video_translate/target_languages` is not a translation id, D12), and a
/// trailing slash is optional (the spec's `POST /v2/video_translate/`).
fn find_route(method: &str, path: &str) -> Option<(&'static Operation, Vec<(String, String)>)> {
    let path = path.trim_end_matches('/');
    description::operations()
        .iter()
        .filter(|op| op.method() == method)
        .filter_map(|op| {
            match_template(op.path().trim_end_matches('/'), path).map(|params| (op, params))
        })
        .min_by_key(|(_, params)| params.len())
}

fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !ps.is_empty() => params.push((name.to_owned(), percent_decode(ps))),
            Some(_) => return None,
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(params)
}

fn percent_decode(s: &str) -> String {
    crate::http::parse_query(&format!("x={s}"))
        .pop()
        .map(|(_, v)| v)
        .unwrap_or_default()
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

/// Whether `/files/tasks/<id>.<ext>` exists: the output of a task that has succeeded, for
/// any key (like signed media URLs on the real service).
pub(crate) fn task_media_exists(shared: &Shared, id: &str) -> bool {
    shared
        .store()
        .has_succeeded_task(id, shared.clock.now(), shared.config.render_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_routes_beat_templates() {
        let (op, params) = find_route("GET", "/v2/video_translate/target_languages").unwrap();
        assert_eq!(op.name(), "list_translation_languages");
        assert!(params.is_empty());
        let (op, params) = find_route("GET", "/v2/video_translate/abc").unwrap();
        assert_eq!(op.name(), "get_video_translation");
        assert_eq!(
            params,
            vec![("video_translate_id".to_owned(), "abc".to_owned())]
        );
        let (op, _) = find_route("POST", "/v2/video_translate").unwrap();
        assert_eq!(op.name(), "create_video_translation");
        assert!(find_route("GET", "/v2/nothing").is_none());
    }
}
