//! v1 music: the library and the account's uploads, fixed lists. The v1 spec names the
//! array `avatars` (D30), and so does this simulation, so the client's tolerant decoder is
//! exercised.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_musics", list_musics),
    ("v1.list_custom_musics", list_custom_musics),
];

/// (id, name, seconds).
pub(super) const LIBRARY: &[(i64, &str, u32)] = &[
    (1, "Sunny Steps", 81),
    (2, "Late Train", 124),
    (3, "Kitchen Beats", 95),
    (4, "Open Sky", 150),
    (5, "Gentle Rain", 178),
    (6, "Neon Drive", 102),
    (7, "Small Victories", 64),
    (8, "Harbor Lights", 133),
    (9, "First Coffee", 88),
    (10, "Summit", 141),
    (11, "Paper Boats", 72),
    (12, "Good News", 59),
    (13, "Weekend Market", 117),
];

/// Tracks uploaded in the web app.
pub(super) const CUSTOM: &[(i64, &str, u32)] =
    &[(9001, "Brand jingle", 15), (9002, "Podcast intro", 32)];

pub(super) fn exists(id: i64) -> bool {
    LIBRARY.iter().chain(CUSTOM).any(|t| t.0 == id)
}

/// A track as both versions list it, its file served under `base`.
pub(super) fn track(base: &str, id: i64, name: &str, seconds: u32) -> Value {
    json!({
        "id": id,
        "name": name,
        "music_url": format!("{base}/files/music/{id}.mp3"),
        "duration": seconds,
    })
}

fn tracks(call: &Call, list: &[(i64, &str, u32)]) -> Value {
    let base = &call.shared.base_url;
    let items: Vec<Value> = list
        .iter()
        .map(|&(id, name, seconds)| track(base, id, name, seconds))
        .collect();
    json!({"avatars": items})
}

fn list_musics(call: &Call) -> Result<Value, ApiError> {
    Ok(tracks(call, LIBRARY))
}

fn list_custom_musics(call: &Call) -> Result<Value, ApiError> {
    Ok(tracks(call, CUSTOM))
}
