//! v2 photo avatars: AI portrait generation, then a motion task that animates a portrait
//! into a photo avatar.
//!
//! Store kinds:
//! - `photo_generation`: one record per generation task (id `25-<hex>`); statuses
//!   in_progress -> success | error, four images once done.
//! - `photo_avatar`: one record per motion task (id `25-mo_<hex>`), which is also the photo
//!   avatar it makes (`data.avatar_id`); statuses pending -> processing -> completed |
//!   failed. `GET /v2/avatars/photo_avatars` lists these.

use serde_json::{Value, json};

use super::task_word;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::{Phase, Record};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.generate_avatar_photo", generate),
    ("v2.get_photo_generation", get_generation),
    ("v2.add_photo_avatar_motion", add_motion),
    ("v2.get_photo_avatar_motion", get_motion),
];

pub(crate) const GENERATION_KIND: &str = "photo_generation";
pub(crate) const MOTION_KIND: &str = "photo_avatar";

/// Photo avatar ids count up from here, apart from library and product avatar ids.
const FIRST_AVATAR_ID: i64 = 200_001;
/// A generation call yields this many portraits.
const IMAGES: usize = 4;

fn generate(call: &Call) -> Result<Value, ApiError> {
    let mut record = call.new_record(Value::Object(call.params.clone()));
    record.id = format!("25-{}", record.id);
    let id = record.id.clone();
    call.store().insert(call.key, GENERATION_KIND, record);
    Ok(json!({"photo_id": id}))
}

/// The portraits of a finished generation: the same task file with a distinct query each,
/// so all four download (the mock serves `/files/tasks/<id>.jpg` once the task succeeded).
fn image_urls(call: &Call, id: &str) -> Vec<String> {
    (1..=IMAGES)
        .map(|n| format!("{}?image={n}", call.media_url(id, "jpg")))
        .collect()
}

fn get_generation(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("photo_id");
    let store = call.store();
    let record = store
        .get(call.key, GENERATION_KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("photo generation {id}")))?;
    Ok(match call.phase(record) {
        Phase::Pending | Phase::Processing => json!({
            "photo_id": id, "status": "in_progress", "msg": null,
            "image_url_list": null, "image_key_list": null,
        }),
        Phase::Succeeded => json!({
            "photo_id": id, "status": "success", "msg": null,
            "image_url_list": image_urls(call, &id),
            "image_key_list": (1..=IMAGES).map(|n| format!("photo/{id}/{n}.jpg")).collect::<Vec<_>>(),
        }),
        Phase::Failed => json!({
            "photo_id": id, "status": "error",
            "msg": "image generation failed: the description could not be rendered",
            "image_url_list": null, "image_key_list": null,
        }),
    })
}

fn add_motion(call: &Call) -> Result<Value, ApiError> {
    let mut store = call.store();
    // A photo id names one of this key's generations.
    if let Some(photo_id) = call.str("photo_id")
        && store.get(call.key, GENERATION_KIND, photo_id).is_none()
    {
        return Err(ApiError::not_found(format!("photo generation {photo_id}")));
    }
    let avatar_id = FIRST_AVATAR_ID + store.created(MOTION_KIND) as i64;
    let mut record = call.new_record(json!({
        "avatar_id": avatar_id,
        "image_url": call.str("image_url"),
        "photo_id": call.str("photo_id"),
        "name": call.str("name"),
        "voice_id": call.str("voice_id"),
        "model": call.str("model"),
        "description": call.str("description"),
        "welcome_msg": call.str("welcome_msg"),
    }));
    record.id = format!("25-mo_{}", record.id);
    let motion_id = record.id.clone();
    let status = task_word(call.phase(&record));
    store.insert(call.key, MOTION_KIND, record);
    Ok(json!({"avatar_id": avatar_id, "motion_id": motion_id, "status": status}))
}

pub(crate) const MOTION_FAILURE: &str = "motion generation failed: no face was found in the image";

fn get_motion(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("motion_id");
    let store = call.store();
    let record = store
        .get(call.key, MOTION_KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("photo avatar motion {id}")))?;
    Ok(motion_view(call, record))
}

/// A motion task as the poll operations show it (the photo and product shapes agree).
pub(crate) fn motion_view(call: &Call, record: &Record) -> Value {
    let phase = call.phase(record);
    let d = &record.data;
    json!({
        "motion_id": record.id,
        "avatar_id": d["avatar_id"],
        "image_url": d["image_url"],
        "name": d["name"],
        "status": task_word(phase),
        "motion_preview_url": (phase == Phase::Succeeded).then(|| call.media_url(&record.id, "mp4")),
        "voice_id": d["voice_id"],
        "error_msg": (phase == Phase::Failed).then_some(MOTION_FAILURE),
    })
}
