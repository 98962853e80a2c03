//! v1 avatars: the library (the catalogue, filtered), and the avatars you make: instant avatars (kind `"instant_avatar"`, created here, listed in
//! `/avatars/custom` with status 0 processing, 1 done, 2 failed) and the photo avatars made
//! by photo-avatar motions (kind `"photo_motion"` of `v1_photo_avatars`, listed in
//! `/avatars/photo_avatars`). There is no status operation for instant avatars: the list
//! is how callers follow them (D64).

use serde_json::{Value, json};

use super::avatar_code;
use super::v1_photo_avatars::MOTION;
use crate::api::{Call, Handler};
use crate::catalog;
use crate::envelope::ApiError;
use crate::store::{Phase, Record, Store};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_avatars", list_avatars),
    ("v1.list_custom_avatars", list_custom_avatars),
    ("v1.list_photo_avatars", list_photo_avatars),
    ("v1.create_instant_avatar", create_instant_avatar),
    ("v1.delete_instant_avatar", delete_instant_avatar),
];

/// Store kind of instant avatars; `Record.id` is the integer `avatar_id` as a string.
pub(super) const INSTANT: &str = "instant_avatar";

/// Instant and photo avatars share one id space (both are `avatar_type` 1 in renders);
/// counting every avatar ever created, deleted ones included, never reuses an id.
pub(super) fn next_avatar_id(store: &Store) -> i64 {
    let made = store.created(INSTANT) + store.created(MOTION);
    30_001 + made as i64
}

/// `GET /v1/avatars`: filters combine with AND; an absent filter matches everything. The
/// description holds the values to the spec's sets (exact case, D27).
fn list_avatars(call: &Call) -> Result<Value, ApiError> {
    let accepts = |name: &str, value: &str| call.str(name).is_none_or(|wanted| wanted == value);
    let aspect = call.i64("aspect_ratio");
    let base = &call.shared.base_url;
    let avatars: Vec<Value> = catalog::avatars()
        .iter()
        .filter(|a| {
            aspect.is_none_or(|wanted| wanted == i64::from(a.aspect_ratio))
                && accepts("style", a.style)
                && accepts("gender", a.gender)
                && accepts("age", a.age)
                && accepts("scene", a.scene)
                && accepts("ethnicity", a.ethnicity)
        })
        .map(|a| {
            json!({
                "avatar_id": a.id,
                "name": a.name,
                "cover_url": format!("{base}/files/avatars/{}.jpg", a.id),
                "aspect_ratio": a.aspect_ratio,
                "style": a.style,
                "gender": a.gender,
                "age": a.age,
            })
        })
        .collect();
    Ok(json!({"avatars": avatars}))
}

fn list_custom_avatars(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let avatars: Vec<Value> = store
        .list(call.key, INSTANT)
        .iter()
        .rev()
        .map(|r| instant_view(call, r))
        .collect();
    Ok(json!({"avatars": avatars}))
}

fn instant_view(call: &Call, record: &Record) -> Value {
    let phase = call.phase(record);
    let cover_url = match phase {
        Phase::Succeeded => call.media_url(&record.id, "jpg"),
        _ => String::new(),
    };
    let fail_msg = match phase {
        Phase::Failed => "no single face could be tracked through the source video",
        _ => "",
    };
    json!({
        "avatar_id": record.data["avatar_id"],
        "name": record.data["name"],
        "cover_url": cover_url,
        "status": avatar_code(phase),
        "fail_msg": fail_msg,
    })
}

fn list_photo_avatars(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let avatars: Vec<Value> = store
        .list(call.key, MOTION)
        .iter()
        .rev()
        .map(|r| {
            let phase = call.phase(r);
            let d = &r.data;
            json!({
                "avatar_id": d["avatar_id"],
                "name": d["name"],
                "cover_url": d["image_url"],
                "status": avatar_code(phase),
                "fail_msg": if phase == Phase::Failed { "the photo could not be animated" } else { "" },
                "aspect_ratio": d["aspect_ratio"],
                "style": d["style"],
                "gender": d["gender"],
                "age": d["age"],
            })
        })
        .collect();
    Ok(json!({"avatars": avatars}))
}

fn create_instant_avatar(call: &Call) -> Result<Value, ApiError> {
    let origin_url = call.str("origin_url").unwrap_or_default();
    if !(origin_url.starts_with("https://") || origin_url.starts_with("http://")) {
        return Err(ApiError::parameter(
            "origin_url: must be the http(s) URL of the source video",
        ));
    }
    let mut store = call.store();
    let avatar_id = next_avatar_id(&store);
    let mut record = call.new_record(json!({
        "avatar_id": avatar_id,
        "name": call.str("name"),
        "origin_url": origin_url,
    }));
    record.id = avatar_id.to_string();
    store.insert(call.key, INSTANT, record);
    Ok(json!({"avatar_id": avatar_id}))
}

fn delete_instant_avatar(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("avatar_id");
    call.store()
        .remove(call.key, INSTANT, &id)
        .ok_or_else(|| ApiError::not_found(format!("instant avatar {id}")))?;
    // The spec's reply has no data.
    Ok(Value::Null)
}
