//! The operation table: each API operation's version, method, path and parameters.
//!
//! Every call, typed Rust or C, is `(operation, params JSON)` run through [`Client::execute`]:
//! one place validates, one place maps params onto the path, query string and body.
//!
//! [`Client::execute`]: crate::Client::execute

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::{v1, v2};
use crate::error::{Code, Error, Result};
use crate::schema::{Schema, query_value};
use crate::task::TaskKind;
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
}

impl Operation {
    /// The members every declaration shares unless it says otherwise: no task, no paging.
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
    };

    /// `v1.get_project`: the name C callers use.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.version.as_str(), self.name)
    }

    /// Checks that `data` (a reply's `data` as JSON text) decodes into the typed method's
    /// response type; the error says why not.
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

/// Every operation this library implements.
pub static OPERATIONS: &[&Operation] = &[
    v1::videos::CREATE_VIDEO_FROM_TALKING_AVATAR.op(),
    v1::projects::GET_PROJECT.op(),
    v1::avatars::LIST_AVATARS.op(),
    v1::voices::LIST_VOICES.op(),
    v1::videos::CREATE_VIDEO_WITH_VARIABLES.op(),
    v1::videos::CREATE_VIDEO_WITH_TEMPLATE.op(),
    v1::products::LIST_PRODUCTS.op(),
    v1::products::CREATE_PRODUCT.op(),
    v1::products::UPDATE_PRODUCT.op(),
    v1::ai_scripts::GENERATE_AI_SCRIPTS.op(),
    v1::videos::CREATE_VIDEO_FROM_URL.op(),
    v1::videos::CREATE_PREVIEW_VIDEO.op(),
    v1::music::LIST_MUSICS.op(),
    v1::music::LIST_CUSTOM_MUSICS.op(),
    v1::avatars::LIST_CUSTOM_AVATARS.op(),
    v1::avatars::LIST_PHOTO_AVATARS.op(),
    v1::voices::LIST_CUSTOM_VOICES.op(),
    v1::avatars::CREATE_INSTANT_AVATAR.op(),
    v1::avatars::DELETE_INSTANT_AVATAR.op(),
    v1::visual_styles::LIST_VISUAL_STYLES.op(),
    v1::templates::LIST_TEMPLATES.op(),
    v1::templates::LIST_CUSTOM_TEMPLATES.op(),
    v1::photo_avatars::GENERATE_AVATAR_PHOTO.op(),
    v1::photo_avatars::GENERATE_AVATAR_NEW_LOOK.op(),
    v1::photo_avatars::GET_PHOTO_GENERATION.op(),
    v1::photo_avatars::ADD_PHOTO_AVATAR_MOTION.op(),
    v1::photo_avatars::GET_PHOTO_AVATAR_MOTION.op(),
    v2::lip_sync::CREATE_LIP_SYNC_VIDEO.op(),
    v2::lip_sync::GET_LIP_SYNC_VIDEO.op(),
    v2::ai_scripts::CREATE_AI_SCRIPTS.op(),
    v2::ai_scripts::GET_AI_SCRIPTS_RESULT.op(),
    v2::videos::GET_AVATAR_VIDEO.op(),
    v2::avatars::LIST_PUBLIC_AVATARS.op(),
    v2::avatars::LIST_CUSTOM_AVATARS.op(),
    v2::avatars::LIST_PHOTO_AVATARS.op(),
    v2::avatars::LIST_PRODUCT_AVATARS.op(),
    v2::videos::CREATE_VIDEO_FROM_AVATAR.op(),
    v2::products::CREATE_VIDEO_FROM_PRODUCT.op(),
    v2::products::CREATE_PRODUCT_PREVIEWS.op(),
    v2::products::RENDER_PRODUCT_PREVIEW.op(),
    v2::videos::CREATE_VIDEO_WITH_TEMPLATE.op(),
    v2::music::LIST_MUSICS.op(),
    v2::photo_avatars::GET_PHOTO_AVATAR_MOTION.op(),
    v2::photo_avatars::ADD_PHOTO_AVATAR_MOTION.op(),
    v2::photo_avatars::GET_PHOTO_GENERATION.op(),
    v2::photo_avatars::GENERATE_AVATAR_PHOTO.op(),
    v2::products::CREATE_PRODUCT.op(),
    v2::products::UPDATE_PRODUCT.op(),
    v2::product_avatars::GET_PRODUCT_AVATAR_MOTION.op(),
    v2::product_avatars::ADD_PRODUCT_AVATAR_MOTION.op(),
    v2::product_avatars::GENERATE_PRODUCT_AVATAR_IMAGES.op(),
    v2::product_avatars::GET_PRODUCT_AVATAR_GENERATION.op(),
    v2::products::LIST_PRODUCT_PREVIEWS.op(),
    v2::products::GET_PRODUCT_VIDEO.op(),
    v2::products::LIST_PRODUCT_VIDEOS.op(),
    v2::templates::GET_CUSTOM_TEMPLATE.op(),
    v2::videos::GET_TEMPLATE_VIDEO.op(),
    v2::videos::LIST_TEMPLATE_VIDEOS.op(),
    v2::templates::LIST_TEMPLATES.op(),
    v2::templates::LIST_CUSTOM_TEMPLATES.op(),
    v2::user::GET_REMAINING_QUOTA.op(),
    v2::user::GET_CURRENT_USER.op(),
    v2::translation::CREATE_VIDEO_TRANSLATION.op(),
    v2::translation::GET_VIDEO_TRANSLATION.op(),
    v2::translation::LIST_TRANSLATION_LANGUAGES.op(),
    v2::visual_styles::LIST_VISUAL_STYLES.op(),
    v2::voices::LIST_VOICES.op(),
    v2::voices::LIST_CUSTOM_VOICES.op(),
    v1::assets::CREATE_UPLOAD_URL.op(),
    v1::webhooks::LIST_WEBHOOK_ENDPOINTS.op(),
    v1::webhooks::CREATE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::UPDATE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::DELETE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::LIST_WEBHOOK_EVENTS.op(),
    v2::assets::CREATE_UPLOAD_URL.op(),
    v2::webhooks::LIST_WEBHOOK_ENDPOINTS.op(),
    v2::webhooks::CREATE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::UPDATE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::DELETE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::LIST_WEBHOOK_EVENTS.op(),
];

/// Looks an operation up by its full name (`v1.get_project`).
pub fn find(full_name: &str) -> Option<&'static Operation> {
    let (version, name) = full_name.split_once('.')?;
    OPERATIONS
        .iter()
        .copied()
        .find(|op| op.version.as_str() == version && op.name == name)
}

/// Looks an operation up for a caller: an unknown name is an error that suggests the
/// closest known name.
pub fn lookup(full_name: &str) -> Result<&'static Operation> {
    find(full_name).ok_or_else(|| {
        // A near miss ("v1.get_projects") or a prefix ("v2.get_lip_sync").
        let closest = OPERATIONS
            .iter()
            .map(|op| op.full_name())
            .min_by_key(|name| edit_distance(name, full_name))
            .filter(|name| edit_distance(name, full_name) <= 3)
            .or_else(|| {
                OPERATIONS
                    .iter()
                    .map(|op| op.full_name())
                    .find(|name| full_name.len() > 4 && name.starts_with(full_name))
            });
        let hint = match closest {
            Some(name) => format!("; did you mean {name:?}?"),
            None => "; names look like \"v1.get_project\" (see jogg_operations)".to_string(),
        };
        Error::new(
            Code::UnknownOperation,
            format!("unknown operation {full_name:?}{hint}"),
        )
    })
}

/// Levenshtein distance, for suggestions only.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
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
    fn unknown_names_get_a_suggestion() {
        let e = lookup("v1.get_projects").unwrap_err();
        assert_eq!(e.code, Code::UnknownOperation);
        assert!(
            e.message.contains("did you mean \"v1.get_project\""),
            "{}",
            e.message
        );
        let e = lookup("launch_rockets").unwrap_err();
        assert!(e.message.contains("jogg_operations"), "{}", e.message);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn description_places_params() {
        let d = find("v2.get_lip_sync_video").unwrap().describe();
        assert_eq!(d["path"], "/v2/lip_sync_video/{task_id}");
        assert_eq!(
            d["params"][0],
            json!({"name": "task_id", "required": true, "in": "path"})
        );
        let d = find("v1.create_video_from_talking_avatar")
            .unwrap()
            .describe();
        assert_eq!(d["async"], true);
        assert_eq!(d["poll_with"], "v1.get_project");
        assert!(
            d["params"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["in"] == "body")
        );
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("Ab-9_.~"), "Ab-9_.~");
    }
}
