//! v2 lip sync: a task that redubs a video with an audio track. Its success word is
//! `success`, not `completed` (api-notes §3.13).

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::Phase;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.create_lip_sync_video", create),
    ("v2.get_lip_sync_video", get),
];

const KIND: &str = "lip_sync";

fn create(call: &Call) -> Result<Value, ApiError> {
    let mut record = call.new_record(json!({
        "playback_type": call.str("playback_type").unwrap_or("normal"),
    }));
    // Task ids are UUIDs on the real service.
    let h = &record.id;
    record.id = format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    );
    let id = record.id.clone();
    call.store().insert(call.key, KIND, record);
    Ok(json!({"task_id": id, "status": "pending"}))
}

fn get(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("task_id");
    let store = call.store();
    let record = store
        .get(call.key, KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("lip sync task {id}")))?;
    let phase = call.phase(record);
    let done_at = record.created_unix + call.shared.config.render_ms.div_ceil(1000);
    let (status, completed_at, data, error) = match phase {
        Phase::Pending => ("pending", Value::Null, Value::Null, Value::Null),
        Phase::Processing => ("processing", Value::Null, Value::Null, Value::Null),
        Phase::Succeeded => (
            "success",
            json!(done_at),
            json!({
                "result_url": call.media_url(&id, "mp4"),
                "cover_url": call.media_url(&id, "jpg"),
                "duration_seconds": 12.5,
            }),
            Value::Null,
        ),
        Phase::Failed => (
            "failed",
            json!(done_at),
            Value::Null,
            json!({"message": "the audio could not be aligned with the video"}),
        ),
    };
    Ok(json!({
        "task_id": id,
        "status": status,
        "created_at": record.created_unix,
        "completed_at": completed_at,
        "data": data,
        "error": error,
    }))
}
