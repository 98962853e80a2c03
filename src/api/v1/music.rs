//! v1 background music: the library and your uploads.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};

/// `GET /v1/musics`.
pub(crate) static LIST_MUSICS: Endpoint<MusicList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/musics",
    name: "list_musics",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// `GET /v1/musics/custom`.
pub(crate) static LIST_CUSTOM_MUSICS: Endpoint<MusicList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/musics/custom",
    name: "list_custom_musics",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// One background-music track; its `id` is what video requests take as `music_id`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Music {
    #[serde(deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    /// The audio file (the spec's description calls it a cover image, D35).
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub music_url: Option<String>,
    /// Seconds.
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub duration: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A list of tracks. The v1 spec names the array `avatars` (a copy-paste slip), v2 names it
/// `music`; the first array found among `music`, `musics` and `avatars` is read (D30).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MusicList {
    pub music: Vec<Music>,
    /// The other members of the reply (v2's `pagination`, for instance).
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for MusicList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut members = match Value::deserialize(d)? {
            Value::Object(members) => members,
            Value::Null => Map::new(),
            // A bare array: the list itself.
            Value::Array(items) => Map::from_iter([("music".to_owned(), Value::Array(items))]),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "a music list must be an object, got {other}"
                )));
            }
        };
        let key = ["music", "musics", "avatars"]
            .into_iter()
            .find(|k| members.get(*k).is_some_and(Value::is_array));
        let music = match key.and_then(|k| members.remove(k)) {
            Some(items) => serde_json::from_value(items).map_err(serde::de::Error::custom)?,
            None => Vec::new(),
        };
        Ok(MusicList {
            music,
            extra: members,
        })
    }
}

/// The music operations: `client.v1().music()`.
#[derive(Clone, Copy, Debug)]
pub struct MusicTracks<'c> {
    pub(crate) client: &'c Client,
}

impl MusicTracks<'_> {
    /// The background-music library.
    pub fn list(&self) -> Result<MusicList> {
        let op = &LIST_MUSICS;
        self.client.fetch(op, &json!({}))
    }

    /// The music you uploaded in the web app.
    pub fn list_custom(&self) -> Result<MusicList> {
        let op = &LIST_CUSTOM_MUSICS;
        self.client.fetch(op, &json!({}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_track_array_has_three_names() {
        let track =
            json!({"id": 7, "name": "Calm", "music_url": "https://x/7.mp3", "duration": 81});
        for key in ["avatars", "music", "musics"] {
            let list: MusicList = serde_json::from_value(json!({ key: [track.clone()] })).unwrap();
            assert_eq!(list.music.len(), 1, "{key}");
            assert_eq!(list.music[0].id, 7);
            assert_eq!(list.music[0].duration, Some(81.0));
        }
        let v2: MusicList = serde_json::from_value(json!({
            "music": [{"id": "8", "duration": 12.5}],
            "pagination": {"page": 1}
        }))
        .unwrap();
        assert_eq!(v2.music[0].id, 8);
        assert_eq!(v2.extra["pagination"]["page"], 1);
        let empty: MusicList = serde_json::from_value(json!({})).unwrap();
        assert!(empty.music.is_empty());
        assert!(
            serde_json::from_value::<MusicList>(json!({"music": [{"name": "no id"}]})).is_err()
        );
    }
}
