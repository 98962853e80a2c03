//! Receiving webhook deliveries (api-notes §8): check the signature, then read the event.
//!
//! Jogg signs each delivery with the endpoint's secret: the `X-Webhook-Signature` header is
//! the lowercase hex HMAC-SHA256 of the raw request body. Verify the bytes exactly as they
//! arrived; a body re-serialised by a JSON library no longer matches (D53).
//!
//! ```
//! use jogg::webhook;
//!
//! let secret = "a1b2c3d4e5f6g7h8";
//! let body = br#"{"event_id":"evt_1","event":"generated_video_success","timestamp":1700000000,
//!     "data":{"project_id":"p1","video_url":"https://cdn.example.com/p1.mp4","duration":12}}"#;
//! let signature = webhook::sign(body, secret); // what Jogg puts in X-Webhook-Signature
//!
//! let event = webhook::parse(body, Some(&signature), secret)?;
//! assert_eq!(event.task_kind, "video");
//! assert_eq!(event.id.as_deref(), Some("p1"));
//! assert_eq!(event.status, jogg::TaskStatus::Succeeded);
//! assert!(webhook::verify(b"tampered", Some(&signature), secret).is_err());
//! # Ok::<(), jogg::Error>(())
//! ```

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::error::{Error, ErrorKind, Result};
use crate::operation::task::TaskStatus;

type HmacSha256 = Hmac<Sha256>;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Webhook-Signature";
/// The header carrying the event name (the body's `event` says the same).
pub const EVENT_HEADER: &str = "X-Webhook-Event";

/// Every event name the documents list (D50), gathered from the task kinds that end with
/// them, each once. The set is open: [`parse`] accepts others.
pub fn known_events() -> Vec<&'static str> {
    let mut events: Vec<&'static str> = Vec::new();
    for kind in crate::operation::task::TaskKind::all() {
        for event in kind.events {
            if !events.contains(event) {
                events.push(event);
            }
        }
    }
    events
}

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

fn mac(secret: &[u8]) -> Result<HmacSha256> {
    if secret.is_empty() {
        return Err(Error::validation(
            "secret",
            "must not be empty (it is the endpoint's `secret`)",
        ));
    }
    // HMAC takes keys of any length, so this cannot fail; no panic either way.
    HmacSha256::new_from_slice(secret)
        .map_err(|e| Error::new(ErrorKind::Internal, format!("HMAC key rejected: {e}")))
}

/// The signature Jogg sends for `body`: lowercase hex HMAC-SHA256 with the endpoint secret.
/// For testing a receiver with deliveries of your own.
pub fn sign(body: &[u8], secret: impl AsRef<[u8]>) -> String {
    // An empty key signs too (HMAC allows it); only verification insists on a real secret.
    let mut m = <HmacSha256 as Mac>::new_from_slice(secret.as_ref())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    m.update(body);
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn signature_error(message: impl Into<String>) -> Error {
    let mut e = Error::new(
        ErrorKind::Signature,
        format!("signature: {}", message.into()),
    );
    e.0.field = Some("signature".into());
    e
}

/// 64 hex digits (either case) to the 32 digest bytes.
fn decode_hex(signature: &str) -> Result<[u8; 32]> {
    let digits = signature.as_bytes();
    if digits.len() != 64 {
        return Err(signature_error(format!(
            "malformed: expected 64 hex digits, got {} characters",
            signature.chars().count()
        )));
    }
    let mut out = [0u8; 32];
    for (i, pair) in digits.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16);
        let lo = (pair[1] as char).to_digit(16);
        match (hi, lo) {
            (Some(hi), Some(lo)) => out[i] = (hi * 16 + lo) as u8,
            _ => return Err(signature_error("malformed: not hexadecimal")),
        }
    }
    Ok(out)
}

/// Checks that `signature` (the `X-Webhook-Signature` header, `None` when absent) is the
/// HMAC-SHA256 of `body` under `secret`. Hex digits may be in either case; surrounding
/// whitespace is ignored. The comparison takes the same time wherever the digests differ.
///
/// A missing, malformed or wrong signature is [`ErrorKind::Signature`]: answer 401 and drop the
/// delivery. An empty secret is [`ErrorKind::Validation`].
pub fn verify(body: &[u8], signature: Option<&str>, secret: impl AsRef<[u8]>) -> Result<()> {
    let mut m = mac(secret.as_ref())?;
    let signature = signature.ok_or_else(|| {
        signature_error(format!(
            "missing: the request has no {SIGNATURE_HEADER} header"
        ))
    })?;
    let expected = decode_hex(signature.trim())?;
    m.update(body);
    m.verify_slice(&expected)
        .map_err(|_| signature_error("does not match the body and the endpoint secret"))
}

/// [`verify`] against several secrets: passes if one of them signed `body`. Every secret is
/// tried, whichever matches, so the time taken does not say which one did (nor how close a
/// forgery came). No secret at all is [`ErrorKind::Signature`] too: nothing can be verified.
pub(crate) fn verify_any<S: AsRef<[u8]>>(
    body: &[u8],
    signature: Option<&str>,
    secrets: &[S],
) -> Result<()> {
    if secrets.is_empty() {
        return Err(signature_error(
            "no webhook secret is known to this client: list it in the config's \
             `webhook_secrets`, or create the endpoint with this client",
        ));
    }
    let signature = signature.ok_or_else(|| {
        signature_error(format!(
            "missing: the request has no {SIGNATURE_HEADER} header"
        ))
    })?;
    let expected = decode_hex(signature.trim())?;
    let mut matched = false;
    for secret in secrets {
        let mut m = mac(secret.as_ref())?;
        m.update(body);
        matched |= m.verify_slice(&expected).is_ok();
    }
    if matched {
        Ok(())
    } else {
        Err(signature_error(
            "does not match the body under any webhook secret this client knows",
        ))
    }
}

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

    #[test]
    fn known_signature_vector() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            sign(b"what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn hex_decoding() {
        assert!(decode_hex(&"ab".repeat(32)).is_ok());
        assert!(decode_hex(&"AB".repeat(32)).is_ok());
        assert!(decode_hex(&"zz".repeat(32)).is_err());
        assert!(decode_hex("abc").is_err());
        // Multi-byte characters never reach the digit parser as half characters.
        assert!(decode_hex(&"é".repeat(32)).is_err());
    }
}
