//! v1 custom voices: the account's cloned voices (made in the web app), a fixed list
//! filtered by `language`. The sample member is `audition_url`, as in the v1 spec (D28).

use serde_json::{Value, json};

use crate::routes::ApiError;
use crate::table::{Call, Handler};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[("v1.list_custom_voices", list_custom_voices)];

/// (voice_id, name, language): custom timbres have `tb_` ids.
const VOICES: &[(&str, &str, &str)] = &[
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
