//! What an API operation is: its version, method, path and parameters, the task it starts or
//! polls, its paging and its reply type; and how a call's params are checked and placed on the
//! path, the query string and the body.
//!
//! The declarations themselves are in `api::v1` and `api::v2`; the table of all of them is
//! `operations`. Every call, typed Rust or C, goes through `prepare` before it is sent.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::schema::{Schema, query_value};

pub mod status;
pub mod task;

use task::TaskKind;

/// An HTTP method of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

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

/// One API operation, and everything about it: its parameters, the task it starts or polls,
/// the member holding a page's items, and the type its reply decodes into. Each operation is
/// declared once, as an [`Endpoint`] static beside its typed method; this table, `jogg_call`,
/// waits, paging and the tests all read that one declaration.
///
/// `path` is relative to `/v1` for v1 and starts with `/v2` for v2; `{name}` segments are
/// filled from the params of the same name.
#[derive(Debug)]
pub struct Operation {
    pub version: Version,
    pub method: Method,
    pub path: &'static str,
    /// Our name, without the version (`get_project`).
    pub name: &'static str,
    pub schema: &'static Schema,
    /// The kind of background task a call starts, for operations that start one.
    pub starts: Option<&'static TaskKind>,
    /// The kind of background task this operation reads, for the operations waits poll.
    pub polls: Option<&'static TaskKind>,
    /// For paged lists: the member of the reply holding the page's items.
    pub items: Option<&'static str>,
    /// Decodes a reply's `data` into the type the typed method returns (set by
    /// [`Endpoint::new`], so the two cannot drift apart).
    pub(crate) decode: fn(&str) -> std::result::Result<(), String>,
    /// For the operations that create a webhook endpoint: reads, from a reply's `data`, the
    /// secret that will sign the endpoint's deliveries. The client remembers it, however
    /// the operation was called (typed method, `jogg_call`, C); declared here so that the
    /// client needs no list of such operations.
    pub(crate) signing_secret: Option<fn(&str) -> Option<String>>,
}

impl Operation {
    /// The members every declaration shares unless it says otherwise: no task, no paging, no
    /// webhook secret.
    /// Declarations spell out version, method, path, name and schema.
    pub const BASE: Operation = Operation {
        version: Version::V1,
        method: Method::Get,
        path: "",
        name: "",
        schema: &Schema::of(&[]),
        starts: None,
        polls: None,
        items: None,
        decode: |_| Ok(()),
        signing_secret: None,
    };

    /// `v1.get_project`: the name C callers use.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.version.as_str(), self.name)
    }

    /// Checks that `data` (a reply's `data` as JSON text) decodes into the typed method's
    /// response type; the error says why not.
    #[cfg(any(test, feature = "internals"))]
    pub fn decodes(&self, data: &str) -> std::result::Result<(), String> {
        (self.decode)(data)
    }
}

/// An [`Operation`] whose reply decodes into `T`: the typed methods send through it, so the
/// type they return is the type the declaration checks.
pub struct Endpoint<T> {
    op: Operation,
    _reply: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Endpoint<T> {
    pub const fn new(op: Operation) -> Endpoint<T> {
        let mut op = op;
        op.decode = decodes_as::<T>;
        Endpoint {
            op,
            _reply: PhantomData,
        }
    }
}

impl<T> Endpoint<T> {
    /// The declaration, for tables (`&ENDPOINT.op()` in a static).
    pub const fn op(&self) -> &Operation {
        &self.op
    }
}

impl<T> std::ops::Deref for Endpoint<T> {
    type Target = Operation;
    fn deref(&self) -> &Operation {
        &self.op
    }
}

impl<T> std::fmt::Debug for Endpoint<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.op.fmt(f)
    }
}

fn decodes_as<T: DeserializeOwned>(data: &str) -> std::result::Result<(), String> {
    serde_json::from_str::<T>(data)
        .map(drop)
        .map_err(|e| e.to_string())
}

impl Operation {
    /// The path as sent, with the version prefix (`/v1/project`, `/v2/voices`).
    pub fn http_path(&self) -> String {
        match self.version {
            Version::V1 => ["/v1", self.path].concat(),
            Version::V2 => self.path.to_string(),
        }
    }

    /// This operation as `jogg_operations` describes it.
    pub fn describe(&self) -> Value {
        let http_path = self.http_path();
        let params: Vec<Value> = self
            .schema
            .fields
            .iter()
            .map(|f| {
                let place = if http_path.contains(&format!("{{{}}}", f.name)) {
                    "path"
                } else if matches!(self.method, Method::Get | Method::Delete) {
                    "query"
                } else {
                    "body"
                };
                serde_json::json!({"name": f.name, "required": f.required, "in": place})
            })
            .collect();
        serde_json::json!({
            "name": self.full_name(),
            "version": self.version.as_str(),
            "method": self.method.as_str(),
            "path": http_path,
            "async": self.starts.is_some(),
            "poll_with": self.starts.map(|kind| kind.poll.full_name()),
            "polls": self.polls.is_some(),
            "items": self.items,
            "params": params,
        })
    }
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
    let mut path = op.http_path();
    let in_query = matches!(op.method, Method::Get | Method::Delete);
    let mut fields = op.schema.check_placed(params, &|name| {
        in_query || path.contains(&format!("{{{name}}}"))
    })?;
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
        if segment.len() > MAX_SEGMENT_BYTES {
            return Err(Error::validation(
                name.as_str(),
                format!(
                    "is too long to send in a URL ({} bytes encoded; the limit is \
                     {MAX_SEGMENT_BYTES})",
                    segment.len()
                ),
            ));
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

/// An id in the path longer than this is a mistake, named before anything is sent (the
/// transport also bounds the whole URL).
const MAX_SEGMENT_BYTES: usize = 4096;

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
    use crate::api::v1;
    use serde_json::json;

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
