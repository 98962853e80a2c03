//! Webhook endpoint management (api-notes §3.16), v1 and v2, and the event lists.
//!
//! Endpoints are records of kind [`ENDPOINT`], one list per API key shared by both
//! versions. Replies use the enveloped shapes the official n8n node reads
//! (`data.endpoints`, `data.endpoint_id`, D42). Rules enforced as documented (D56): at most
//! 20 endpoints per key, HTTPS URLs, a server-made secret that never changes; plus one mock
//! extension, `http://` loopback URLs, so a local receiver can be tested. Types, enums and
//! required members are the description's (v1 updates are partial, v2 updates replace
//! everything, D43/D44).

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::webhooks::acceptable_endpoint_url;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_webhook_endpoints", list),
    ("v1.create_webhook_endpoint", create_v1),
    ("v1.update_webhook_endpoint", update),
    ("v1.delete_webhook_endpoint", delete_v1),
    ("v1.list_webhook_events", events_v1),
    ("v2.list_webhook_endpoints", list),
    ("v2.create_webhook_endpoint", create_v2),
    ("v2.update_webhook_endpoint", update),
    ("v2.delete_webhook_endpoint", delete_v2),
    ("v2.list_webhook_events", events_v2),
];

/// Store kind of webhook endpoints: `Record.data` holds `url`, `secret`, `enabled`,
/// `events` and the `version` (`v1`, `v2`) it was registered through, which decides the
/// `User-Agent` of its deliveries (D52).
pub(crate) const ENDPOINT: &str = "endpoint";

/// Documented per-user limit (v2 docs).
const MAX_ENDPOINTS: usize = 20;
/// Placeholder account name for the mock's single user.
const USERNAME: &str = "jogg-mock";

/// The v1 spec's event enum (strict, D50).
const V1_EVENTS: &[&str] = &["generated_video_success", "generated_video_failed"];
/// The 22 names of the v2 event and endpoint pages (D50).
const V2_EVENTS: &[&str] = &[
    "generated_video_success",
    "generated_video_failed",
    "create_avatar_success",
    "create_avatar_failed",
    "generated_avatar_video_success",
    "generated_avatar_video_failed",
    "generated_product_video_success",
    "generated_product_video_failed",
    "generated_template_video_success",
    "generated_template_video_failed",
    "generated_translate_video_success",
    "generated_translate_video_failed",
    "generated_photo_avatar_success",
    "generated_photo_avatar_failed",
    "generated_product_avatar_success",
    "generated_product_avatar_failed",
    "generated_script_success",
    "generated_script_failed",
    "generated_image_success",
    "generated_image_failed",
    "generated_motion_success",
    "generated_motion_failed",
];

fn view(record: &crate::store::Record) -> Value {
    let d = &record.data;
    json!({
        "endpoint_id": record.id,
        "url": d["url"],
        "secret": d["secret"],
        "status": if d["enabled"] == true { "enabled" } else { "disabled" },
        "events": d["events"],
        "username": USERNAME,
        "created_at": record.created_unix,
    })
}

fn list(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let endpoints: Vec<Value> = store.list(call.key, ENDPOINT).iter().map(view).collect();
    Ok(json!({ "endpoints": endpoints }))
}

/// The v1 spec shows a bare array of names.
fn events_v1(_: &Call) -> Result<Value, ApiError> {
    Ok(json!(V1_EVENTS))
}

fn events_v2(_: &Call) -> Result<Value, ApiError> {
    Ok(json!({ "events": V2_EVENTS }))
}

/// The URL, if given, once it is one the mock can deliver to.
fn url(call: &Call) -> Result<Option<String>, ApiError> {
    match call.str("url") {
        Some(url) if !acceptable_endpoint_url(url) => Err(ApiError::parameter(
            "url: must be an HTTPS URL (jogg-mock also accepts http:// to a loopback host)",
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

/// The events, if given. v1 names are held to the spec's enum by the description; v2 names
/// must be ones `GET /v2/events` lists.
fn events(call: &Call) -> Result<Option<Value>, ApiError> {
    let Some(events) = call.params.get("events") else {
        return Ok(None);
    };
    for name in events
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !V2_EVENTS.contains(&name) {
            return Err(ApiError::parameter(format!(
                "events: unknown event {name:?}; expected some of {}",
                V2_EVENTS.join(", ")
            )));
        }
    }
    Ok(Some(events.clone()))
}

fn enabled(call: &Call) -> Option<bool> {
    call.str("status").map(|s| s == "enabled")
}

fn create(call: &Call, version: &str) -> Result<Value, ApiError> {
    let url = url(call)?.unwrap_or_default();
    let events = events(call)?.unwrap_or_else(|| json!([]));
    let shared = call.shared;
    let hex = shared.ids.hex32();
    let (id, secret) = match version {
        // v1: 32-hex id, 16-character secret; v2: prefixed forms (D20).
        "v1" => (shared.ids.hex32(), hex[..16].to_owned()),
        _ => (
            format!("wh_{}", &shared.ids.hex32()[..16]),
            format!("whsec_{hex}"),
        ),
    };
    let mut record = call.new_record(json!({
        "url": url,
        "secret": secret,
        "enabled": enabled(call).unwrap_or(true),
        "events": events,
        "version": version,
    }));
    record.id = id;
    record.fails = false;
    let mut store = call.store();
    if store.list(call.key, ENDPOINT).len() >= MAX_ENDPOINTS {
        return Err(ApiError::parameter(format!(
            "at most {MAX_ENDPOINTS} webhook endpoints per user"
        )));
    }
    let reply = view(&record);
    store.insert(call.key, ENDPOINT, record);
    Ok(reply)
}

/// `POST /v1/endpoint`: `status` optional, default enabled (D44).
fn create_v1(call: &Call) -> Result<Value, ApiError> {
    create(call, "v1")
}

/// `POST /v2/endpoint`: everything required (D44).
fn create_v2(call: &Call) -> Result<Value, ApiError> {
    create(call, "v2")
}

/// `PUT /v1/endpoint/{id}` changes what it is given; `PUT /v2/endpoint/{id}` is given
/// everything (the description requires it), so the same code replaces it all (D43).
fn update(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("endpoint_id");
    let url = url(call)?;
    let events = events(call)?;
    let enabled = enabled(call);
    let mut store = call.store();
    let record = store
        .get_mut(call.key, ENDPOINT, &id)
        .ok_or_else(|| ApiError::not_found(format!("webhook endpoint {id}")))?;
    if let Some(url) = url {
        record.data["url"] = json!(url);
    }
    if let Some(events) = events {
        record.data["events"] = events;
    }
    if let Some(enabled) = enabled {
        record.data["enabled"] = json!(enabled);
    }
    Ok(view(record))
}

fn delete(call: &Call) -> Result<(), ApiError> {
    let id = call.id("endpoint_id");
    call.store()
        .remove(call.key, ENDPOINT, &id)
        .map(drop)
        .ok_or_else(|| ApiError::not_found(format!("webhook endpoint {id}")))
}

/// `DELETE /v1/endpoint/{id}`: no data.
fn delete_v1(call: &Call) -> Result<Value, ApiError> {
    delete(call).map(|()| Value::Null)
}

fn delete_v2(call: &Call) -> Result<Value, ApiError> {
    delete(call).map(|()| json!({ "message": "webhook deleted" }))
}
