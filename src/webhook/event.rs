//! A webhook delivery's body read into one shape common to every event (api-notes §8.3,
//! D51).

use serde_json::{Map, Value};

use super::signature::verify;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::status::TaskStatus;

/// The header carrying the event name (the body's `event` says the same).
pub const EVENT_HEADER: &str = "X-Webhook-Event";

/// Where each kind of task puts its id, in the order they are tried (api-notes §8.3).
const ID_FIELDS: &[&str] = &[
    "video_id",
    "project_id",
    "task_id",
    "photo_id",
    "motion_id",
    "avatar_id",
    "video_translate_id",
];
/// Where each kind of task puts its result URL.
const URL_FIELDS: &[&str] = &[
    "video_url",
    "url",
    "result_url",
    "motion_url",
    "preview_url",
];

/// One webhook delivery, verified, in a shape common to every event.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// `generated_video_success`, `create_avatar_failed`...
    pub event: String,
    /// `evt_...`; some events have none. Deliveries may repeat: de-duplicate on it.
    pub event_id: Option<String>,
    /// Unix seconds, when sent.
    pub timestamp: Option<i64>,
    /// The event name without `generated_`/`create_` and the outcome: `video`,
    /// `avatar_video`, `template_video`, `product_video`, `translate_video`, `photo_avatar`,
    /// `product_avatar`, `script`, `image`, `motion`, `avatar`.
    pub task_kind: String,
    /// The task's id, whichever member carries it (`project_id`, `video_id`, `task_id`...),
    /// as a string.
    pub id: Option<String>,
    /// `Succeeded` or `Failed` from the name's suffix; `Unknown` for a name with neither.
    pub status: TaskStatus,
    /// The result URL (`video_url`, `url`, `result_url`, `motion_url` or `preview_url`).
    pub video_url: Option<String>,
    pub cover_url: Option<String>,
    /// The failure message (`error` as a string or `error.0.message`).
    pub error: Option<String>,
    /// The delivery's `data` as sent.
    pub data: Value,
}

impl WebhookEvent {
    /// Reads a delivery body that is already verified (or comes from a source that signs
    /// nothing, such as a per-task `webhook_url`, D55).
    pub fn from_body(body: &[u8]) -> Result<WebhookEvent> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| bad_body(format!("not valid JSON: {e}")))?;
        let Value::Object(mut obj) = value else {
            return Err(bad_body("not a JSON object"));
        };
        let event = match obj.get("event") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            _ => return Err(bad_body("no \"event\" name")),
        };
        let data = obj.remove("data").unwrap_or(Value::Null);
        let (task_kind, status) = split_event_name(&event);
        let empty = Map::new();
        let fields = data.as_object().unwrap_or(&empty);
        Ok(WebhookEvent {
            event_id: id_like(obj.get("event_id")),
            timestamp: obj.get("timestamp").and_then(integer),
            task_kind,
            status,
            id: ID_FIELDS.iter().find_map(|k| id_like(fields.get(*k))),
            video_url: URL_FIELDS.iter().find_map(|k| text(fields.get(*k))),
            cover_url: text(fields.get("cover_url")),
            error: error_message(fields),
            event,
            data,
        })
    }
}

/// Verifies a delivery, then reads it. See [`verify`] for the signature rules; a verified
/// body that is not a JSON object with an `event` name is [`ErrorKind::BadResponse`].
pub fn parse(
    body: &[u8],
    signature: Option<&str>,
    secret: impl AsRef<[u8]>,
) -> Result<WebhookEvent> {
    verify(body, signature, secret)?;
    WebhookEvent::from_body(body)
}

fn bad_body(why: impl AsRef<str>) -> Error {
    Error::new(
        ErrorKind::BadResponse,
        format!("webhook body: {}", why.as_ref()),
    )
    .with_field("body")
}

/// `generated_avatar_video_failed` -> (`avatar_video`, Failed).
fn split_event_name(name: &str) -> (String, TaskStatus) {
    let (stem, status) = if let Some(stem) = name.strip_suffix("_success") {
        (stem, TaskStatus::Succeeded)
    } else if let Some(stem) = name.strip_suffix("_failed") {
        (stem, TaskStatus::Failed)
    } else {
        (name, TaskStatus::Unknown)
    };
    let kind = stem
        .strip_prefix("generated_")
        .or_else(|| stem.strip_prefix("create_"))
        .unwrap_or(stem);
    (kind.to_string(), status)
}

/// A non-empty string, or a number written as one (ids are both, D15).
fn id_like(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v?.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `error` as a string or `{message}`; some tasks say `error_msg` or `err_msg` instead.
fn error_message(fields: &Map<String, Value>) -> Option<String> {
    match fields.get("error") {
        Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
        Some(Value::Object(e)) => {
            if let Some(m) = text(e.get("message")) {
                return Some(m);
            }
        }
        _ => {}
    }
    text(fields.get("error_msg")).or_else(|| text(fields.get("err_msg")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_kind_and_outcome() {
        assert_eq!(
            split_event_name("generated_avatar_video_failed"),
            ("avatar_video".into(), TaskStatus::Failed)
        );
        assert_eq!(
            split_event_name("create_avatar_success"),
            ("avatar".into(), TaskStatus::Succeeded)
        );
        assert_eq!(
            split_event_name("something_new"),
            ("something_new".into(), TaskStatus::Unknown)
        );
    }
}
