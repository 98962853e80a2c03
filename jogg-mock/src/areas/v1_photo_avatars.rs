//! v1 photo avatars. A generation (kind `"photo_generation"`, id `25-<hex>`) makes four
//! photos, each stored as a `"photo_image"` record (id `<photo_id>-<n>`) sharing the
//! generation's clock so their URLs are served once it succeeds; statuses `in_progress`,
//! `success`, `error`. A motion (kind `"photo_motion"`, id `25-mo_<hex>`) animates a photo
//! into a photo avatar: `pending`, then `completed` or `error` (the v1 words, D32), and the
//! avatar is listed by `v1_avatars`.

use serde_json::{Value, json};

use super::v1_avatars::next_avatar_id;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::Phase;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.generate_avatar_photo", generate),
    ("v1.generate_avatar_new_look", generate),
    ("v1.get_photo_generation", get_generation),
    ("v1.add_photo_avatar_motion", add_motion),
    ("v1.get_photo_avatar_motion", get_motion),
];

pub(super) const GENERATION: &str = "photo_generation";
const IMAGE: &str = "photo_image";
pub(super) const MOTION: &str = "photo_motion";

/// Photos per generation.
const PHOTOS: usize = 4;

/// Motion description limits in bytes (D47): model 1.0 takes less.
const DESCRIPTION_BYTES_V1: usize = 300;
const DESCRIPTION_BYTES: usize = 1500;

fn image_id(photo_id: &str, n: usize) -> String {
    format!("{photo_id}-{n}")
}

fn generate(call: &Call) -> Result<Value, ApiError> {
    let mut data = serde_json::Map::new();
    for member in [
        "age",
        "avatar_style",
        "gender",
        "model",
        "aspect_ratio",
        "ethnicity",
        "appearance",
        "background",
        "image_url",
    ] {
        if let Some(v) = call.params.get(member) {
            data.insert(member.to_owned(), v.clone());
        }
    }
    let mut record = call.new_record(Value::Object(data));
    record.id = format!("25-{}", record.id);
    let photo_id = record.id.clone();
    let mut store = call.store();
    for n in 1..=PHOTOS {
        let mut image = record.clone();
        image.id = image_id(&photo_id, n);
        image.data = json!({"photo_id": photo_id});
        store.insert(call.key, IMAGE, image);
    }
    store.insert(call.key, GENERATION, record);
    Ok(json!({"photo_id": photo_id}))
}

fn get_generation(call: &Call) -> Result<Value, ApiError> {
    // Optional in the spec, yet nothing can be looked up without it.
    let photo_id = call
        .str("photo_id")
        .ok_or_else(|| ApiError::parameter("photo_id: is required"))?;
    let store = call.store();
    let record = store
        .get(call.key, GENERATION, photo_id)
        .ok_or_else(|| ApiError::not_found(format!("photo generation {photo_id}")))?;
    let (status, msg, urls, keys) = match call.phase(record) {
        Phase::Pending | Phase::Processing => {
            ("in_progress", Value::Null, Value::Null, Value::Null)
        }
        Phase::Succeeded => {
            let ids: Vec<String> = (1..=PHOTOS).map(|n| image_id(photo_id, n)).collect();
            let urls: Vec<String> = ids.iter().map(|id| call.media_url(id, "png")).collect();
            let keys: Vec<String> = ids
                .iter()
                .map(|id| format!("photo_avatar/{id}.png"))
                .collect();
            ("success", Value::Null, json!(urls), json!(keys))
        }
        Phase::Failed => (
            "error",
            json!("the description could not be turned into a photo"),
            Value::Null,
            Value::Null,
        ),
    };
    Ok(json!({
        "photo_id": photo_id,
        "status": status,
        "msg": msg,
        "image_url_list": urls,
        "image_key_list": keys,
    }))
}

fn add_motion(call: &Call) -> Result<Value, ApiError> {
    let model = call.str("model").unwrap_or_default();
    if let Some(description) = call.str("description") {
        let limit = if model == "1.0" {
            DESCRIPTION_BYTES_V1
        } else {
            DESCRIPTION_BYTES
        };
        if description.len() > limit {
            return Err(ApiError::parameter(format!(
                "description: at most {limit} bytes with model {model} (got {})",
                description.len()
            )));
        }
    }
    let mut store = call.store();
    // What the avatar list shows comes from the generation the photo came from, if named.
    let look = match call.str("photo_id") {
        Some(photo_id) => store
            .get(call.key, GENERATION, photo_id)
            .map(|r| r.data.clone())
            .ok_or_else(|| ApiError::not_found(format!("photo generation {photo_id}")))?,
        None => json!({}),
    };
    let lower = |member: &str| look[member].as_str().unwrap_or_default().to_lowercase();
    let avatar_id = next_avatar_id(&store);
    let name = call.str("name").unwrap_or_default().to_owned();
    let mut record = call.new_record(json!({
        "avatar_id": avatar_id,
        "name": name,
        "image_url": call.str("image_url"),
        "voice_id": call.str("voice_id"),
        "model": model,
        "photo_id": call.str("photo_id"),
        "aspect_ratio": look["aspect_ratio"].as_i64().unwrap_or(0),
        "style": lower("avatar_style"),
        "gender": lower("gender"),
        "age": lower("age"),
    }));
    record.id = format!("25-mo_{}", record.id);
    let motion_id = record.id.clone();
    store.insert(call.key, MOTION, record);
    Ok(json!({"avatar_id": avatar_id, "motion_id": motion_id, "name": name}))
}

fn get_motion(call: &Call) -> Result<Value, ApiError> {
    let motion_id = call.id("motion_id");
    let store = call.store();
    let record = store
        .get(call.key, MOTION, &motion_id)
        .ok_or_else(|| ApiError::not_found(format!("motion {motion_id}")))?;
    let (status, preview) = match call.phase(record) {
        Phase::Pending | Phase::Processing => ("pending", String::new()),
        Phase::Succeeded => ("completed", call.media_url(&motion_id, "mp4")),
        Phase::Failed => ("error", String::new()),
    };
    let d = &record.data;
    Ok(json!({
        "motion_id": motion_id,
        "avatar_id": d["avatar_id"],
        "image_url": d["image_url"],
        "name": d["name"],
        "status": status,
        "motion_preview_url": preview,
        "voice_id": d["voice_id"],
    }))
}
