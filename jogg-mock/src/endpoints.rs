//! Webhook endpoint management (REFERENCE 3.16), v1 and v2.
//!
//! Both versions share one store per API key. Replies use the enveloped
//! shapes the official n8n node reads (`data.endpoints`, `data.endpoint_id`,
//! D42). Rules enforced as documented (D56): at most 20 endpoints per key,
//! HTTPS URLs, a server-made secret that never changes; plus one mock
//! extension, `http://` loopback URLs, so a local receiver can be tested.

use serde_json::{Map, Value, json};

use crate::Shared;
use crate::routes::{ApiError, member, optional_string};
use crate::state::{ApiVersion, Endpoint};
use crate::webhooks::acceptable_endpoint_url;

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

fn known_events(version: ApiVersion) -> &'static [&'static str] {
    match version {
        ApiVersion::V1 => V1_EVENTS,
        ApiVersion::V2 => V2_EVENTS,
    }
}

fn view(endpoint: &Endpoint) -> Value {
    json!({
        "endpoint_id": endpoint.id,
        "url": endpoint.url,
        "secret": endpoint.secret,
        "status": if endpoint.enabled { "enabled" } else { "disabled" },
        "events": endpoint.events,
        "username": USERNAME,
        "created_at": endpoint.created_at,
    })
}

/// `GET /v1/endpoints`, `GET /v2/endpoints`.
pub(crate) fn list(shared: &Shared, key: &str) -> Value {
    let state = shared.state();
    let endpoints: Vec<Value> = state
        .endpoints
        .iter()
        .filter(|e| e.owner == key)
        .map(view)
        .collect();
    json!({ "endpoints": endpoints })
}

/// `GET /v1/events` (a bare array, as the v1 spec shows) and `GET /v2/events`.
pub(crate) fn events(version: ApiVersion) -> Value {
    match version {
        ApiVersion::V1 => json!(V1_EVENTS),
        ApiVersion::V2 => json!({ "events": V2_EVENTS }),
    }
}

/// The members of a create or update, each `None` when absent.
struct Changes {
    url: Option<String>,
    events: Option<Vec<String>>,
    enabled: Option<bool>,
}

fn parse_changes(
    fields: &Map<String, Value>,
    version: ApiVersion,
    all_required: bool,
) -> Result<Changes, ApiError> {
    let required = |name: &str| ApiError::parameter(format!("{name} is required"));
    let url = optional_string(fields, "url")?.filter(|url| !url.is_empty());
    if let Some(url) = url {
        if !acceptable_endpoint_url(url) {
            return Err(ApiError::parameter(
                "url must be an HTTPS URL (jogg-mock also accepts http:// to a loopback host)",
            ));
        }
    }
    let events = match member(fields, "events") {
        None => None,
        Some(Value::Array(items)) => {
            let allowed = known_events(version);
            let mut names = Vec::with_capacity(items.len());
            for item in items {
                let name = item
                    .as_str()
                    .ok_or_else(|| ApiError::parameter("events must be an array of strings"))?;
                if !allowed.contains(&name) {
                    return Err(ApiError::parameter(format!(
                        "events: unknown event {name:?}; expected some of {}",
                        allowed.join(", ")
                    )));
                }
                names.push(name.to_owned());
            }
            Some(names)
        }
        Some(_) => return Err(ApiError::parameter("events must be an array of strings")),
    };
    let enabled = match optional_string(fields, "status")? {
        None => None,
        Some("enabled") => Some(true),
        Some("disabled") => Some(false),
        Some(_) => {
            return Err(ApiError::parameter(
                "status must be one of enabled, disabled",
            ));
        }
    };
    if all_required && url.is_none() {
        return Err(required("url"));
    }
    if all_required && enabled.is_none() {
        return Err(required("status"));
    }
    if all_required && events.is_none() {
        return Err(required("events"));
    }
    Ok(Changes {
        url: url.map(str::to_owned),
        events,
        enabled,
    })
}

/// `POST /v1/endpoint` (`status` optional, default enabled) and
/// `POST /v2/endpoint` (everything required), D44.
pub(crate) fn create(
    shared: &Shared,
    key: &str,
    version: ApiVersion,
    body: &[u8],
) -> Result<Value, ApiError> {
    let fields = crate::routes::json_object(body)?;
    let changes = match version {
        ApiVersion::V1 => {
            let changes = parse_changes(&fields, version, false)?;
            if changes.url.is_none() {
                return Err(ApiError::parameter("url is required"));
            }
            if changes.events.is_none() {
                return Err(ApiError::parameter("events is required"));
            }
            changes
        }
        ApiVersion::V2 => parse_changes(&fields, version, true)?,
    };
    let hex = shared.ids.hex32();
    let (id, secret) = match version {
        // v1: 32-hex id, 16-character secret; v2: prefixed forms (D20).
        ApiVersion::V1 => (shared.ids.hex32(), hex[..16].to_owned()),
        ApiVersion::V2 => (
            format!("wh_{}", &shared.ids.hex32()[..16]),
            format!("whsec_{hex}"),
        ),
    };
    let endpoint = Endpoint {
        id,
        owner: key.to_owned(),
        url: changes.url.unwrap_or_default(),
        secret,
        enabled: changes.enabled.unwrap_or(true),
        events: changes.events.unwrap_or_default(),
        created_at: shared.clock.unix_seconds(),
        version,
    };
    let mut state = shared.state();
    if state.endpoints.iter().filter(|e| e.owner == key).count() >= MAX_ENDPOINTS {
        return Err(ApiError::parameter(format!(
            "at most {MAX_ENDPOINTS} webhook endpoints per user"
        )));
    }
    let reply = view(&endpoint);
    state.endpoints.push(endpoint);
    Ok(reply)
}

/// `PUT /v1/endpoint/{id}` (partial) and `PUT /v2/endpoint/{id}` (full), D43.
pub(crate) fn update(
    shared: &Shared,
    key: &str,
    version: ApiVersion,
    id: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    let fields = crate::routes::json_object(body)?;
    let changes = parse_changes(&fields, version, version == ApiVersion::V2)?;
    let mut state = shared.state();
    let endpoint = state
        .endpoints
        .iter_mut()
        .find(|e| e.id == id && e.owner == key)
        .ok_or_else(|| ApiError::not_found(format!("webhook endpoint {id}")))?;
    if let Some(url) = changes.url {
        endpoint.url = url;
    }
    if let Some(events) = changes.events {
        endpoint.events = events;
    }
    if let Some(enabled) = changes.enabled {
        endpoint.enabled = enabled;
    }
    Ok(view(endpoint))
}

/// `DELETE /v1/endpoint/{id}` (no data) and `DELETE /v2/endpoint/{id}`.
pub(crate) fn delete(
    shared: &Shared,
    key: &str,
    version: ApiVersion,
    id: &str,
) -> Result<Value, ApiError> {
    let mut state = shared.state();
    let before = state.endpoints.len();
    state.endpoints.retain(|e| !(e.id == id && e.owner == key));
    if state.endpoints.len() == before {
        return Err(ApiError::not_found(format!("webhook endpoint {id}")));
    }
    Ok(match version {
        ApiVersion::V1 => Value::Null,
        ApiVersion::V2 => json!({ "message": "webhook deleted" }),
    })
}
