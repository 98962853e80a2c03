//! v2 video translation.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::common::TaskError;
use crate::client::Client;
use crate::de::{self, Members};
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};

/// `POST /v2/video_translate/`.
pub(crate) static CREATE_VIDEO_TRANSLATION: Endpoint<CreatedTranslation> =
    Endpoint::new(Operation {
        version: Version::V2,
        method: Method::Post,
        path: "/v2/video_translate/",
        name: "create_video_translation",
        schema: &Schema::of(&[
            req("video_url", Kind::Uri),
            req("output_language", STR),
            opt("title", STR),
            opt("translate_audio_only", Kind::Bool),
            opt("output_voice", STR),
            opt("add_subtitles", Kind::Bool),
            opt("enable_dynamic_duration", Kind::Bool),
            opt("callback_url", Kind::Uri),
        ]),
        starts: Some(&TRANSLATION),
        ..Operation::BASE
    });

/// `GET /v2/video_translate/{video_translate_id}`.
pub(crate) static GET_VIDEO_TRANSLATION: Endpoint<VideoTranslation> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/video_translate/{video_translate_id}",
    name: "get_video_translation",
    schema: &Schema::of(&[req("video_translate_id", Kind::Id)]),
    polls: Some(&TRANSLATION),
    ..Operation::BASE
});

/// A translated video.
pub(crate) static TRANSLATION: TaskKind = TaskKind {
    poll: GET_VIDEO_TRANSLATION.op(),
    found: Found::ById("video_translate_id"),
    id_members: &["video_translate_id", "id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_translate_video_success",
        "generated_translate_video_failed",
    ],
};

/// `GET /v2/video_translate/target_languages`.
pub(crate) static LIST_TRANSLATION_LANGUAGES: Endpoint<Languages> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/video_translate/target_languages",
    name: "list_translation_languages",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

// ---------------------------------------------------------------------------
// Typed API

/// The request of [`Translations::create`](crate::api::v2::translation::Translations::create).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CreateVideoTranslation {
    /// The video to translate: up to 3 minutes, MP4, MOV or AVI.
    pub video_url: String,
    /// A name from [`Translations::list_languages`](crate::api::v2::translation::Translations::list_languages) (`spanish`, not `es`: D26).
    pub output_language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Dub the audio without lip sync (off unless set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translate_audio_only: Option<bool>,
    /// A voice id for the dub; picked automatically when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_voice: Option<String>,
    /// Translated subtitles (on unless set to false, D69).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_subtitles: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_dynamic_duration: Option<bool>,
    /// Called once when the translation ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

impl CreateVideoTranslation {
    pub fn new(video_url: impl Into<String>, output_language: impl Into<String>) -> Self {
        CreateVideoTranslation {
            video_url: video_url.into(),
            output_language: output_language.into(),
            ..Default::default()
        }
    }
}

/// A translation just started.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreatedTranslation {
    #[serde(deserialize_with = "de::id_string", alias = "id")]
    pub video_translate_id: String,
}

/// A translation: `status` is `pending`, `processing`, `completed` or `failed`.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoTranslation {
    pub video_translate_id: Option<String>,
    pub title: Option<String>,
    pub status: String,
    /// The translated video, once completed.
    pub url: Option<String>,
    /// The translated subtitles (`.srt`), once completed.
    pub subtitle_url: Option<String>,
    pub error: Option<TaskError>,
    pub extra: Map<String, Value>,
}

impl VideoTranslation {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

impl<'de> Deserialize<'de> for VideoTranslation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let e = D::Error::custom;
        Ok(VideoTranslation {
            video_translate_id: m.string(&["video_translate_id", "id"]).map_err(e)?,
            title: m.string(&["title"]).map_err(e)?,
            status: m.required(&["status"]).map_err(e)?,
            url: m.string(&["url", "video_url", "result_url"]).map_err(e)?,
            subtitle_url: m.string(&["subtitle_url"]).map_err(e)?,
            error: m.error().map_err(e)?,
            extra: m.into_extra(),
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Languages {
    Wrapped { languages: Vec<String> },
    Bare(Vec<String>),
}

/// The translation operations: `client.v2().translations()`.
#[derive(Clone, Copy, Debug)]
pub struct Translations<'c> {
    pub(crate) client: &'c Client,
}

impl Translations<'_> {
    /// Starts translating and dubbing a video; poll it with [`Translations::get`](crate::api::v2::translation::Translations::get)
    /// (10–20 minutes). Costs credits by the length of the video.
    pub fn create(&self, request: &CreateVideoTranslation) -> Result<CreatedTranslation> {
        let op = &CREATE_VIDEO_TRANSLATION;
        self.client.request(op, request)
    }

    /// The state of a translation, with its URLs once completed.
    pub fn get(&self, video_translate_id: &str) -> Result<VideoTranslation> {
        let op = &GET_VIDEO_TRANSLATION;
        self.client
            .fetch(op, &json!({ "video_translate_id": video_translate_id }))
    }

    /// The languages a video can be translated into, as the names `output_language` takes.
    pub fn list_languages(&self) -> Result<Vec<String>> {
        let op = &LIST_TRANSLATION_LANGUAGES;
        let languages: Languages = self.client.fetch(op, &json!({}))?;
        Ok(match languages {
            Languages::Wrapped { languages } | Languages::Bare(languages) => languages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_wrapped_or_bare() {
        let wrapped: Languages = serde_json::from_value(json!({"languages": ["spanish"]})).unwrap();
        let bare: Languages = serde_json::from_value(json!(["spanish"])).unwrap();
        for l in [wrapped, bare] {
            let (Languages::Wrapped { languages } | Languages::Bare(languages)) = l;
            assert_eq!(languages, ["spanish"]);
        }
    }

    #[test]
    fn translation_before_and_after() {
        let running: VideoTranslation = serde_json::from_value(
            json!({"video_translate_id": "vt_1", "status": "processing", "url": ""}),
        )
        .unwrap();
        assert_eq!(running.url, None);
        assert_eq!(running.task_status(), TaskStatus::Processing);
        let done: VideoTranslation = serde_json::from_value(json!({
            "video_translate_id": "vt_1", "title": "T", "status": "completed",
            "url": "https://x/v.mp4", "subtitle_url": "https://x/s.srt"
        }))
        .unwrap();
        assert_eq!(done.subtitle_url.as_deref(), Some("https://x/s.srt"));
        assert_eq!(done.task_status(), TaskStatus::Succeeded);
        let created: CreatedTranslation =
            serde_json::from_value(json!({"video_translate_id": 5})).unwrap();
        assert_eq!(created.video_translate_id, "5");
    }
}
