//! v2 talking-avatar and template renders, and the history-list machinery the product
//! lists share.
//!
//! Kinds: `"avatar_video"` (data `{video_name, duration}`) and `"template_video"` (data
//! `{video_name, duration}`); both are tasks whose words are `pending`, `processing`,
//! `completed`, `failed` (api-notes §6.2).

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::v2_templates;
use super::{list_word, task_word};
use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::{Phase, Record};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.create_video_from_avatar", create_avatar_video),
    ("v2.get_avatar_video", get_avatar_video),
    ("v2.create_video_with_template", create_template_video),
    ("v2.get_template_video", get_template_video),
    ("v2.list_template_videos", list_template_videos),
];

const AVATAR_VIDEO: &str = "avatar_video";
const TEMPLATE_VIDEO: &str = "template_video";

/// Speaking pace used to turn a script into a duration (about 150 words a minute).
const WORDS_PER_SECOND: f64 = 2.5;
/// Length given to renders whose length the mock cannot derive (audio input, templates).
const DEFAULT_SECONDS: f64 = 30.5;

fn create_avatar_video(call: &Call) -> Result<Value, ApiError> {
    let voice = call.params.get("voice").cloned().unwrap_or_default();
    let duration = match voice.get("script").and_then(Value::as_str) {
        Some(script) => script_seconds(script),
        None => DEFAULT_SECONDS,
    };
    let record = call.new_record(json!({
        "video_name": call.str("video_name").unwrap_or("Untitled avatar video"),
        "duration": duration,
    }));
    let id = record.id.clone();
    call.store().insert(call.key, AVATAR_VIDEO, record);
    Ok(json!({ "video_id": id }))
}

/// The spec's shape, plus the `duration` the guides show once completed (D48).
fn get_avatar_video(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("id");
    let store = call.store();
    let record = store
        .get(call.key, AVATAR_VIDEO, &id)
        .ok_or_else(|| ApiError::not_found(format!("avatar video {id}")))?;
    let phase = call.phase(record);
    let mut out = json!({
        "video_id": id,
        "status": task_word(phase),
        "created_at": record.created_unix,
    });
    if phase == Phase::Succeeded {
        out["video_url"] = json!(call.media_url(&id, "mp4"));
        out["cover_url"] = json!(call.media_url(&id, "jpg"));
        out["duration"] = json!(record.data["duration"].as_f64().unwrap_or(0.0).round() as i64);
    }
    Ok(out)
}

fn create_template_video(call: &Call) -> Result<Value, ApiError> {
    let template_id = call.i64("template_id").unwrap_or_default();
    let template = v2_templates::lookup(call, template_id)?;
    let video_name = call
        .str("video_name")
        .map_or_else(|| template.name.to_owned(), str::to_owned);
    let record = call.new_record(json!({
        "video_name": video_name,
        "duration": DEFAULT_SECONDS,
    }));
    let id = record.id.clone();
    call.store().insert(call.key, TEMPLATE_VIDEO, record);
    Ok(json!({ "video_id": id }))
}

/// Results nested in `data` as in the spec (D48), present once completed.
fn get_template_video(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("video_id");
    let store = call.store();
    let record = store
        .get(call.key, TEMPLATE_VIDEO, &id)
        .ok_or_else(|| ApiError::not_found(format!("template video {id}")))?;
    let phase = call.phase(record);
    let mut out = json!({
        "video_id": id,
        "status": task_word(phase),
        "created_at": record.created_unix,
    });
    if matches!(phase, Phase::Succeeded | Phase::Failed) {
        out["completed_at"] = json!(done_at(call, record));
    }
    if phase == Phase::Succeeded {
        let duration = record.data["duration"].as_f64().unwrap_or(DEFAULT_SECONDS);
        out["data"] = json!({
            "video_name": record.data["video_name"],
            "url": call.media_url(&id, "mp4"),
            "cover_url": call.media_url(&id, "jpg"),
            "duration_seconds": duration,
            "deducted_credit": credits(duration, 1.0),
        });
    }
    Ok(out)
}

fn list_template_videos(call: &Call) -> Result<Value, ApiError> {
    let items = call
        .store()
        .list(call.key, TEMPLATE_VIDEO)
        .iter()
        .map(|record| {
            let phase = call.phase(record);
            let mut item = json!({
                "video_id": record.id,
                "video_name": record.data["video_name"],
                "status": list_word(phase),
                "created_at": record.created_unix,
            });
            match phase {
                Phase::Succeeded => {
                    item["cover_url"] = json!(call.media_url(&record.id, "jpg"));
                    item["url"] = json!(call.media_url(&record.id, "mp4"));
                    item["duration_seconds"] = record.data["duration"].clone();
                }
                // A string code here, unlike the webhooks' integers (D48).
                Phase::Failed => {
                    item["error"] = json!({
                        "code": "RENDER_FAILED",
                        "message": "the template could not be rendered with these variables",
                    });
                }
                Phase::Pending | Phase::Processing => {}
            }
            item
        })
        .collect();
    let (data, pagination) = history(call, items);
    Ok(json!({ "data": data, "pagination": pagination }))
}

// ---------------------------------------------------------------------------
// Shared by the v2 task areas of this group

/// When a task ended, in unix seconds: its creation plus the render time.
pub(super) fn done_at(call: &Call, record: &Record) -> u64 {
    record.created_unix + call.shared.config.render_ms.div_ceil(1000)
}

/// Credits for a render: `per_block` for every started 2 minutes (api-notes §10).
pub(super) fn credits(seconds: f64, per_block: f64) -> f64 {
    (seconds / 120.0).ceil().max(1.0) * per_block
}

fn script_seconds(script: &str) -> f64 {
    let words = script.split_whitespace().count() as f64;
    (words / WORDS_PER_SECOND).max(3.0).round()
}

/// Filters, sorts and pages history items (given oldest first), per the list params:
/// `status` 3/4/5, `sort_by` (any item member, default `created_at`), `sort_order`
/// (default `desc`), `page`, `page_size`. Returns the page and the v2 `pagination` object.
pub(super) fn history(call: &Call, items: Vec<Value>) -> (Vec<Value>, Value) {
    let wanted = call.i64("status").map(|code| match code {
        3 => "processing",
        4 => "completed",
        _ => "failed",
    });
    let mut items: Vec<Value> = items
        .into_iter()
        .filter(|item| wanted.is_none_or(|w| item["status"] == w))
        .collect();
    let sort_by = call.str("sort_by").unwrap_or("created_at");
    // Stable: items equal on the key keep creation order, so that `desc` (the reverse)
    // lists the newest first among items created in the same second.
    items.sort_by(|a, b| compare(a.get(sort_by), b.get(sort_by)));
    if call.str("sort_order") != Some("asc") {
        items.reverse();
    }
    call.paginate(items)
}

/// A total order over optional JSON scalars: missing, then numbers, then strings, then
/// anything else (as equal).
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Number(_)) => 1,
            Some(Value::String(_)) => 2,
            Some(_) => 3,
        }
    }
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The total of a `pagination` object, for the lists that report `total` instead.
pub(super) fn total(pagination: &Value) -> Value {
    pagination["total_items"].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_is_total() {
        let values = [
            None,
            Some(json!(null)),
            Some(json!(2)),
            Some(json!(1.5)),
            Some(json!("b")),
            Some(json!("a")),
            Some(json!([1])),
        ];
        let mut sorted: Vec<_> = values.iter().map(Option::as_ref).collect();
        sorted.sort_by(|a, b| compare(*a, *b));
        assert_eq!(sorted[2], Some(&json!(1.5)));
        assert_eq!(sorted[4], Some(&json!("a")));
        assert_eq!(credits(30.0, 1.0), 1.0);
        assert_eq!(credits(121.0, 0.5), 1.0);
        assert_eq!(
            script_seconds("one two three four five six seven eight nine ten"),
            4.0
        );
    }
}
