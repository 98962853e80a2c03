//! The catalogue records a create names: avatars, voices, music tracks and visual styles.
//! An id the mock does not have is refused with the API's "record not found" (10104) before
//! the handler runs, so that a test with a wrong id fails as it would against the service
//! instead of rendering a video of nobody. Templates are looked up by their handlers, which
//! know which collection a `template_type` means.
//!
//! [`crate::MockConfig::accept_any_ids`] turns all of this off, for tests written with a real
//! account's ids.

use serde_json::Value;

use super::{
    v1_avatars, v1_music, v1_photo_avatars, v1_templates, v1_voices, v2_music, v2_photo_avatars,
    v2_product_avatars, v2_visual_styles, v2_voices,
};
use crate::api::Call;
use crate::catalog;
use crate::envelope::ApiError;

/// What a member refers to.
#[derive(Clone, Copy)]
enum Ref {
    Avatar,
    Voice,
    Music,
    VisualStyle,
}

/// Where the operations of the description name catalogue records (dotted paths into the
/// body; `[]` for each item of an array).
const REFS: &[(&str, Ref)] = &[
    ("avatar_id", Ref::Avatar),
    ("avatar.avatar_id", Ref::Avatar),
    ("avatar_source.avatar_id", Ref::Avatar),
    ("voice_id", Ref::Voice),
    ("voice.voice_id", Ref::Voice),
    ("music_id", Ref::Music),
    ("audio.music_id", Ref::Music),
    ("background_music_id", Ref::Music),
    ("visual_style", Ref::VisualStyle),
    ("visual_styles[]", Ref::VisualStyle),
];

/// Refuses the first id of a create that names a record the mock does not have.
pub(crate) fn check(call: &Call) -> Result<(), ApiError> {
    if call.shared.config.accept_any_ids {
        return Ok(());
    }
    let body = Value::Object(call.params.clone());
    for (path, what) in REFS {
        for value in values_at(&body, path) {
            if !known(call, *what, value) {
                return Err(unknown(path, *what, value));
            }
        }
    }
    Ok(())
}

/// The values at a dotted path (`a.b`, `list[]`).
fn values_at<'a>(value: &'a Value, path: &str) -> Vec<&'a Value> {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let found: Vec<&Value> = match head.strip_suffix("[]") {
        Some(name) => value
            .get(name)
            .and_then(Value::as_array)
            .map(|items| items.iter().collect())
            .unwrap_or_default(),
        None => value.get(head).into_iter().collect(),
    };
    // An empty text names nothing (the specs set no minimum length on optional ids).
    let named = |v: &&Value| !v.is_null() && v.as_str() != Some("");
    match rest {
        None => found.into_iter().filter(named).collect(),
        Some(rest) => found.into_iter().flat_map(|v| values_at(v, rest)).collect(),
    }
}

fn known(call: &Call, what: Ref, value: &Value) -> bool {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match what {
        Ref::Avatar => catalog::find_avatar(&text).is_some() || own_avatar(call, &text),
        Ref::Voice => {
            catalog::find_voice(&text).is_some()
                || v1_voices::VOICES.iter().any(|(id, _, _)| *id == text)
                || v2_voices::is_cloned(call.key, &text)
        }
        // The versions list different tracks, and the vendor's v2 examples name a v1 one.
        Ref::Music => value
            .as_i64()
            .is_some_and(|id| v1_music::exists(id) || v2_music::exists(id)),
        // The two versions list different styles; a product video of either version is
        // given a name from either list (the vendor's own examples mix them).
        Ref::VisualStyle => {
            v1_templates::VISUAL_STYLES
                .iter()
                .any(|(_, name, _)| *name == text)
                || v2_visual_styles::STYLES
                    .iter()
                    .any(|(_, name, _)| *name == text)
        }
    }
}

/// One of the caller's own avatars, made by any of the operations that make one (the type
/// it is named with is not checked: the id is what a test gets wrong).
fn own_avatar(call: &Call, id: &str) -> bool {
    let store = call.store();
    [
        v1_avatars::INSTANT,
        v1_photo_avatars::MOTION,
        v2_photo_avatars::MOTION_KIND,
        v2_product_avatars::MOTION_KIND,
    ]
    .into_iter()
    .flat_map(|kind| store.list(call.key, kind))
    .any(|record| match &record.data["avatar_id"] {
        Value::String(s) => s == id,
        Value::Number(n) => n.to_string() == id,
        _ => false,
    })
}

fn unknown(path: &str, what: Ref, value: &Value) -> ApiError {
    let (noun, listed_by) = match what {
        Ref::Avatar => (
            "an avatar of the library or of yours",
            "GET /v1/avatars, /v2/avatars/...",
        ),
        Ref::Voice => (
            "a voice of the library or of yours",
            "GET /v1/voices, /v2/voices, .../custom",
        ),
        Ref::Music => ("a music track", "GET /v1/musics, /v2/musics"),
        Ref::VisualStyle => ("a visual style", "GET /v1/visual_styles, /v2/visual_styles"),
    };
    let member = path.replace("[]", "");
    ApiError::not_found(format!(
        "{member} {value} is not {noun} (listed by {listed_by}; jogg-mock takes any id when \
         started with --accept-any-ids)"
    ))
}
