//! v2 video translation. Kind `"video_translation"` (data `{title, add_subtitles}`): a
//! task whose words are `pending`, `processing`, `completed`, `failed`.

use serde_json::{Value, json};

use super::task_word;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::Phase;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.create_video_translation", create),
    ("v2.get_video_translation", get),
    ("v2.list_translation_languages", languages),
];

const KIND: &str = "video_translation";

/// Target languages, as the lowercase English names the service takes (D26).
const LANGUAGES: &[&str] = &[
    "english",
    "spanish",
    "french",
    "german",
    "italian",
    "portuguese",
    "japanese",
    "korean",
    "chinese (simplified)",
    "traditional-chinese",
    "cantonese",
    "hindi",
    "indonesian",
    "malay",
    "thai",
    "vietnamese",
    "filipino",
    "arabic",
    "turkish",
    "russian",
    "polish",
    "dutch",
    "swedish",
    "danish",
    "norwegian",
    "finnish",
    "greek",
    "czech",
    "romanian",
    "hungarian",
    "ukrainian",
    "hebrew",
];

fn create(call: &Call) -> Result<Value, ApiError> {
    let language = call.str("output_language").unwrap_or_default();
    if !LANGUAGES.contains(&language) {
        return Err(ApiError::parameter(format!(
            "output_language: unsupported language {language:?}; use a name from \
             /v2/video_translate/target_languages"
        )));
    }
    let title = call
        .str("title")
        .map_or_else(|| format!("Video in {language}"), str::to_owned);
    let record = call.new_record(json!({
        "title": title,
        // Subtitles are on unless turned off (D69).
        "add_subtitles": call.params.get("add_subtitles").and_then(Value::as_bool).unwrap_or(true),
    }));
    let id = record.id.clone();
    call.store().insert(call.key, KIND, record);
    Ok(json!({ "video_translate_id": id }))
}

fn get(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("video_translate_id");
    let store = call.store();
    let record = store
        .get(call.key, KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("video translation {id}")))?;
    let phase = call.phase(record);
    let mut out = json!({
        "video_translate_id": id,
        "title": record.data["title"],
        "status": task_word(phase),
    });
    if phase == Phase::Succeeded {
        out["url"] = json!(call.media_url(&id, "mp4"));
        if record.data["add_subtitles"] == true {
            out["subtitle_url"] = json!(call.media_url(&id, "srt"));
        }
    }
    Ok(out)
}

fn languages(_call: &Call) -> Result<Value, ApiError> {
    Ok(json!({ "languages": LANGUAGES }))
}
