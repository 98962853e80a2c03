//! v1 voices: the library (the catalogue's voices, paged and filtered) and the account's
//! cloned voices (made in the web app), a fixed list filtered by `language`. The sample
//! member is `audition_url`, as in the v1 spec (D28).

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::catalog::{self, Voice};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_voices", list_voices),
    ("v1.list_custom_voices", list_custom_voices),
];

/// Page size when none is asked for (the v1 spec's default).
const DEFAULT_PAGE_SIZE: u64 = 10;

/// `GET /v1/voices`: filters combine with AND; `total` counts every match, `voices` is one
/// page of them.
fn list_voices(call: &Call) -> Result<Value, ApiError> {
    let page = call.i64("page").map_or(1, |p| p.max(1) as u64);
    let page_size = call
        .i64("page_size")
        .map_or(DEFAULT_PAGE_SIZE, |s| s.max(1) as u64);
    let accepts = |name: &str, value: &str| call.str(name).is_none_or(|wanted| wanted == value);
    let matching: Vec<&Voice> = catalog::VOICES
        .iter()
        .filter(|v| {
            accepts("gender", v.gender) && accepts("age", v.age) && accepts("language", v.language)
        })
        .collect();
    let skip = (page - 1).saturating_mul(page_size);
    let base = &call.shared.base_url;
    let voices: Vec<Value> = matching
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(page_size).unwrap_or(usize::MAX))
        .map(|voice| {
            json!({
                "name": voice.name,
                "voice_id": voice.voice_id,
                "audition_url": format!("{base}/files/voices/{}.mp3", voice.voice_id),
                "language": voice.language,
                "gender": voice.gender,
                "age": voice.age,
            })
        })
        .collect();
    Ok(json!({"total": matching.len(), "voices": voices}))
}

/// (voice_id, name, language): custom timbres have `tb_` ids.
/// Your cloned voices: (id, name, language).
pub(super) const VOICES: &[(&str, &str, &str)] = &[
    (
        "tb_5c0b3f9e8a7d4e21b6f0c2a1d9e8f7a6",
        "My narration",
        "english",
    ),
    (
        "tb_9a1e7c3b5d2f4068a4c1e9b7d3f5a2c8",
        "Founder voice",
        "english",
    ),
    (
        "tb_2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a0c",
        "Voz de marca",
        "spanish",
    ),
    (
        "tb_7e9c1a3f5b2d4f6a8c0e2b4d6f8a1c3e",
        "Voix douce",
        "french",
    ),
];

fn list_custom_voices(call: &Call) -> Result<Value, ApiError> {
    let base = &call.shared.base_url;
    let wanted = call.str("language");
    let voices: Vec<Value> = VOICES
        .iter()
        .filter(|(_, _, language)| wanted.is_none_or(|w| w == *language))
        .map(|(id, name, language)| {
            json!({
                "name": name,
                "voice_id": id,
                "audition_url": format!("{base}/files/voices/{id}.mp3"),
                "language": language,
            })
        })
        .collect();
    Ok(json!({"total": voices.len(), "voices": voices}))
}
