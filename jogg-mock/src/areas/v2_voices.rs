//! v2 voices: the library (the shared voice catalogue, with the v2-only `accent` and
//! `use_case` derived here) and the caller's cloned voices.
//!
//! Stores nothing. Cloning a voice happens in the web app, not the API, so each key starts
//! with the same three cloned voices under ids of its own (`tb_<hex>`, as on the service):
//! another key never sees them.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::catalog::{self, Voice};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.list_voices", list_voices),
    ("v2.list_custom_voices", list_custom_voices),
];

/// Use cases, assigned to library voices in turn (an open set on the service).
const USE_CASES: &[&str] = &[
    "narrative_story",
    "advertisement",
    "conversational",
    "news",
    "education",
];

/// The accent a voice's locale implies (`en-GB-...` is british).
fn accent(voice: &Voice) -> &'static str {
    match voice.voice_id.get(..5).unwrap_or_default() {
        "en-US" => "american",
        "en-GB" => "british",
        "en-AU" => "australian",
        "en-IN" => "indian",
        "es-ES" => "castilian",
        "es-MX" => "mexican",
        "fr-CA" => "canadian",
        "pt-BR" => "brazilian",
        "zh-TW" => "taiwanese",
        "zh-HK" => "hong_kong",
        _ => "standard",
    }
}

fn list_voices(call: &Call) -> Result<Value, ApiError> {
    let wanted = |name: &str, value: &str| call.str(name).is_none_or(|w| w == value);
    let base = &call.shared.base_url;
    let all: Vec<Value> = catalog::VOICES
        .iter()
        .enumerate()
        .map(|(i, v)| (v, USE_CASES[i % USE_CASES.len()]))
        .filter(|(v, use_case)| {
            wanted("gender", v.gender)
                && wanted("age", v.age)
                && wanted("language", v.language)
                && wanted("use_case", use_case)
        })
        .map(|(v, use_case)| {
            json!({
                "name": v.name,
                "voice_id": v.voice_id,
                "audio_url": format!("{base}/files/voices/{}.mp3", v.voice_id),
                "language": v.language,
                "gender": v.gender,
                "age": v.age,
                "accent": accent(v),
                "use_case": use_case,
            })
        })
        .collect();
    let total = all.len();
    let (page, pagination) = call.paginate(all);
    let shown =
        pagination["page"].as_u64().unwrap_or(1) * pagination["page_size"].as_u64().unwrap_or(10);
    // v2 tells whether another page follows and gives no total (D29).
    Ok(json!({"voices": page, "has_more": (shown as usize) < total}))
}

/// (name, language) of the cloned voices every key has.
const CLONED: &[(&str, &str)] = &[
    ("My Narration Voice", "english"),
    ("Warm Promo Voice", "english"),
    ("Mi Voz de Marca", "spanish"),
];

/// The id of `key`'s `i`-th cloned voice: stable, and different for every key.
fn cloned_id(key: &str, i: usize) -> String {
    format!("tb_{:016x}", fnv1a(format!("{key}#{i}").as_bytes()))
}

/// Whether `id` is one of `key`'s cloned voices.
pub(super) fn is_cloned(key: &str, id: &str) -> bool {
    (0..CLONED.len()).any(|i| cloned_id(key, i) == id)
}

fn list_custom_voices(call: &Call) -> Result<Value, ApiError> {
    let base = &call.shared.base_url;
    let voices: Vec<Value> = CLONED
        .iter()
        .enumerate()
        .filter(|(_, (_, language))| call.str("language").is_none_or(|l| l == *language))
        .map(|(i, (name, language))| {
            let id = cloned_id(call.key, i);
            json!({
                "name": name,
                "voice_id": id,
                "audio_url": format!("{base}/files/voices/{id}.mp3"),
                "language": language,
            })
        })
        .collect();
    Ok(json!({"total": voices.len(), "voices": voices}))
}

/// A stable hash, so a key's cloned-voice ids are the same on every run.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
