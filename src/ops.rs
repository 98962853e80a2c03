//! The operation table: each API operation's version, method, path and parameters.
//!
//! Every call, typed Rust or C, is `(operation, params JSON)` run through [`Client::execute`]:
//! one place validates, one place maps params onto the path, query string and body.
//!
//! [`Client::execute`]: crate::Client::execute

use serde_json::{Map, Value};

use crate::api::{v1, v2};
use crate::error::{Error, Result};
use crate::schema::{Schema, query_value};
use crate::transport::Method;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// One API operation. `path` is as in `operations.tsv`: relative to `/v1` for v1, starting
/// with `/v2` for v2; `{name}` segments are filled from the params of the same name.
#[derive(Debug)]
pub struct Operation {
    pub version: Version,
    pub method: Method,
    pub path: &'static str,
    /// Our name, without the version (`get_project`).
    pub name: &'static str,
    /// For operations that start background work: the path of the operation that polls it.
    pub poll_with: Option<&'static str>,
    pub schema: &'static Schema,
}

impl Operation {
    /// `v1.get_project`: the name C callers use.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.version.as_str(), self.name)
    }
}

/// Every operation this library implements.
pub static OPERATIONS: &[&Operation] = &[
    &v1::videos::CREATE_VIDEO_FROM_TALKING_AVATAR,
    &v1::projects::GET_PROJECT,
    &v1::avatars::LIST_AVATARS,
    &v1::voices::LIST_VOICES,
    &v1::assets::CREATE_UPLOAD_URL,
    &v1::webhooks::LIST_WEBHOOK_ENDPOINTS,
    &v1::webhooks::CREATE_WEBHOOK_ENDPOINT,
    &v1::webhooks::UPDATE_WEBHOOK_ENDPOINT,
    &v1::webhooks::DELETE_WEBHOOK_ENDPOINT,
    &v1::webhooks::LIST_WEBHOOK_EVENTS,
    &v2::assets::CREATE_UPLOAD_URL,
    &v2::webhooks::LIST_WEBHOOK_ENDPOINTS,
    &v2::webhooks::CREATE_WEBHOOK_ENDPOINT,
    &v2::webhooks::UPDATE_WEBHOOK_ENDPOINT,
    &v2::webhooks::DELETE_WEBHOOK_ENDPOINT,
    &v2::webhooks::LIST_WEBHOOK_EVENTS,
];

/// Looks an operation up by its full name (`v1.get_project`).
pub fn find(full_name: &str) -> Option<&'static Operation> {
    let (version, name) = full_name.split_once('.')?;
    OPERATIONS
        .iter()
        .copied()
        .find(|op| op.version.as_str() == version && op.name == name)
}

/// A validated request, ready for the transport.
#[derive(Debug, PartialEq)]
pub(crate) struct Prepared {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// Validates `params` and places each one: path template names fill the path, the rest go to
/// the query string (GET, DELETE) or the JSON body (POST, PUT).
pub(crate) fn prepare(op: &Operation, params: &Value) -> Result<Prepared> {
    let mut fields = op.schema.check(params)?;
    let mut path = match op.version {
        Version::V1 => format!("/v1{}", op.path),
        Version::V2 => op.path.to_string(),
    };
    while let Some(start) = path.find('{') {
        let end = path[start..]
            .find('}')
            .map(|e| start + e)
            .expect("operation paths close every brace");
        let name = path[start + 1..end].to_string();
        let value = fields
            .remove(&name)
            .ok_or_else(|| Error::validation(name.as_str(), "is required"))?;
        let segment = encode_segment(&query_value(&value));
        if segment.is_empty() {
            return Err(Error::validation(name.as_str(), "must not be empty"));
        }
        path.replace_range(start..=end, &segment);
    }
    let (query, body) = match op.method {
        Method::Get | Method::Delete => (to_query(fields), None),
        Method::Post | Method::Put => (Vec::new(), Some(Value::Object(fields))),
    };
    Ok(Prepared {
        method: op.method,
        path,
        query,
        body,
    })
}

fn to_query(fields: Map<String, Value>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .map(|(k, v)| {
            let v = query_value(&v);
            (k, v)
        })
        .collect()
}

/// Percent-encodes a path segment: an id must never be able to add a path component.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_unique_and_found() {
        let mut seen = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(seen.insert(op.full_name()));
            assert!(std::ptr::eq(find(&op.full_name()).unwrap(), *op));
        }
        assert!(find("v1.nope").is_none());
        assert!(find("get_project").is_none());
    }

    #[test]
    fn get_params_go_to_the_query() {
        let p = prepare(&v1::projects::GET_PROJECT, &json!({"project_id": "ab"})).unwrap();
        assert_eq!(p.path, "/v1/project");
        assert_eq!(p.query, vec![("project_id".to_string(), "ab".to_string())]);
        assert_eq!(p.body, None);
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("Ab-9_.~"), "Ab-9_.~");
    }
}
