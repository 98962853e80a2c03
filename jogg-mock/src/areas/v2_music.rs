//! v2 music: the background-music library, paged.

use serde_json::{Value, json};

use super::v1_music::track;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[("v2.list_musics", list_musics)];

/// (name, seconds): enough tracks for three default pages.
const TRACKS: &[(&str, u32)] = &[
    ("Morning Light", 124),
    ("City Pulse", 98),
    ("Quiet Focus", 181),
    ("Bright Horizon", 142),
    ("Soft Landing", 77),
    ("Upbeat Launch", 95),
    ("Coastal Drive", 163),
    ("Warm Welcome", 60),
    ("Night Market", 132),
    ("Paper Planes", 88),
    ("Steady Climb", 150),
    ("Golden Hour", 201),
    ("Fresh Start", 73),
    ("Open Road", 119),
    ("Little Wins", 66),
    ("Blue Hour", 174),
    ("Spark", 54),
    ("Long Story", 240),
    ("Glass City", 110),
    ("Rise Up", 92),
    ("Calm Waters", 187),
    ("Front Page", 81),
    ("Daybreak", 133),
];

/// The id of the first track; the others follow.
const FIRST_ID: i64 = 501;

pub(super) fn exists(id: i64) -> bool {
    (FIRST_ID..FIRST_ID + TRACKS.len() as i64).contains(&id)
}

fn list_musics(call: &Call) -> Result<Value, ApiError> {
    let base = &call.shared.base_url;
    let all: Vec<Value> = (FIRST_ID..)
        .zip(TRACKS)
        .map(|(id, &(name, seconds))| track(base, id, name, seconds))
        .collect();
    let (music, pagination) = call.paginate(all);
    Ok(json!({"music": music, "pagination": pagination}))
}
