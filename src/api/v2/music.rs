//! v2 background music.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::Deserialize;

pub use super::common::{PageParams, Pagination};
pub use crate::api::v1::music::Music;
use crate::client::Client;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};

/// `GET /v2/musics`.
pub(crate) static LIST_MUSICS: Endpoint<MusicPage> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/musics",
    name: "list_musics",
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
    ]),
    items: Some("music"),
    ..Operation::BASE
});

/// One page of music.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "RawMusicPage")]
pub struct MusicPage {
    pub music: Vec<Music>,
    pub pagination: Option<Pagination>,
}

/// The track list is `music` in v2, but `avatars` in the v1 spec and `musics` is plausible
/// (D30): the first one present wins.
#[derive(Deserialize)]
struct RawMusicPage {
    #[serde(default)]
    music: Option<Vec<Music>>,
    #[serde(default)]
    musics: Option<Vec<Music>>,
    #[serde(default)]
    avatars: Option<Vec<Music>>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

impl From<RawMusicPage> for MusicPage {
    fn from(raw: RawMusicPage) -> MusicPage {
        MusicPage {
            music: raw.music.or(raw.musics).or(raw.avatars).unwrap_or_default(),
            pagination: raw.pagination,
        }
    }
}

/// The music operations: `client.v2().music()`.
#[derive(Clone, Copy, Debug)]
pub struct MusicTracks<'c> {
    pub(crate) client: &'c Client,
}

impl MusicTracks<'_> {
    /// One page of the background-music library.
    pub fn list(&self, page: PageParams) -> Result<MusicPage> {
        let op = &LIST_MUSICS;
        self.client.request(op, &page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tracks_come_under_any_documented_member() {
        // D30: `music` (v2 spec) or `avatars` (v1 spec copy-paste) or `musics`.
        let v2: MusicPage = serde_json::from_value(json!({
            "music": [{"id": 1, "name": "A", "music_url": "https://x/1.mp3", "duration": 120}],
            "pagination": {"page": 1, "page_size": 10, "total_items": 1, "total_pages": 1}
        }))
        .unwrap();
        assert_eq!(v2.music[0].duration, Some(120.0));
        assert_eq!(v2.pagination.unwrap().total_items, Some(1));
        let v1: MusicPage =
            serde_json::from_value(json!({"avatars": [{"id": "2", "duration": 9.5}]})).unwrap();
        assert_eq!((v1.music[0].id, v1.music[0].duration), (2, Some(9.5)));
        assert!(v1.pagination.is_none());
        let other: MusicPage = serde_json::from_value(json!({"musics": [{"id": 3}]})).unwrap();
        assert_eq!(other.music[0].id, 3);
        assert_eq!(
            serde_json::to_value(PageParams {
                page: Some(2),
                page_size: None
            })
            .unwrap(),
            json!({"page": 2})
        );
    }
}
