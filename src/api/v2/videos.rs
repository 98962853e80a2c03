//! v2 video creation and results.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::common::VIDEO_LIST_QUERY;
pub use super::common::{ListStatus, Pagination, SortOrder, TaskError, VideoListQuery};
use crate::client::Client;
use crate::de::Members;
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::types::{AvatarType, Orientation, ScreenStyle};

/// `GET /v2/avatar_video/{id}`.
pub(crate) static GET_AVATAR_VIDEO: Endpoint<AvatarVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatar_video/{id}",
    name: "get_avatar_video",
    schema: &Schema::of(&[req("id", Kind::Id)]),
    polls: Some(&AVATAR_VIDEO),
    ..Operation::BASE
});

/// A v2 avatar video.
pub(crate) static AVATAR_VIDEO: TaskKind = TaskKind {
    poll: GET_AVATAR_VIDEO.op(),
    found: Found::ById("id"),
    id_members: &["video_id", "id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_avatar_video_success",
        "generated_avatar_video_failed",
    ],
};

/// `POST /v2/create_video_from_avatar`.
pub(crate) static CREATE_VIDEO_FROM_AVATAR: Endpoint<CreatedVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_avatar",
    name: "create_video_from_avatar",
    schema: &Schema::of(&[
        req(
            "avatar",
            Kind::Object(&Schema::of(&[
                req("avatar_type", Kind::IntEnum(&[0, 1])),
                req("avatar_id", INT),
            ])),
        ),
        req(
            "voice",
            // Send only the member matching `type` (D36).
            Kind::Object(&Schema {
                fields: &[
                    req("type", Kind::StrEnum(&["script", "audio"])),
                    opt("script", STR),
                    opt("audio_url", Kind::Uri),
                    req("voice_id", STR),
                ],
                rules: &[
                    Rule::Case {
                        when: "type",
                        equals: "script",
                        require: &["script"],
                    },
                    Rule::Case {
                        when: "type",
                        equals: "audio",
                        require: &["audio_url"],
                    },
                ],
            }),
        ),
        req("aspect_ratio", Kind::StrEnum(Orientation::WORDS)),
        req("screen_style", Kind::IntEnum(&[1, 2, 3])),
        opt("caption", Kind::Bool),
        opt("webhook_url", Kind::Uri),
        opt("video_name", TEXT),
    ]),
    starts: Some(&AVATAR_VIDEO),
    ..Operation::BASE
});

/// `POST /v2/create_video_with_template`.
pub(crate) static CREATE_VIDEO_WITH_TEMPLATE: Endpoint<CreatedVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_with_template",
    name: "create_video_with_template",
    schema: &Schema::of(&[
        req("template_id", INT),
        opt("video_name", TEXT),
        opt("avatar_id", INT),
        opt("avatar_type", Kind::IntEnum(&[0, 1])),
        req("voice_language", STR),
        opt("voice_id", STR),
        opt("captions_enabled", Kind::Bool),
        opt("background_music_id", INT),
        req(
            "variables",
            Kind::Array(&Kind::Object(&Schema::of(&[
                req("type", Kind::StrEnum(&["text", "image", "video", "script"])),
                req("name", STR),
                req(
                    "properties",
                    Kind::Object(&Schema::of(&[
                        opt("content", STR),
                        opt("url", Kind::Uri),
                        // A number in the spec, a string in the guides (D18).
                        opt("asset_id", Kind::Id),
                        opt("webhook_url", Kind::Uri),
                    ])),
                ),
            ]))),
        ),
        opt("disable_random_trans", Kind::Bool),
        opt("disable_random_moving", Kind::Bool),
        opt("disable_trans", Kind::Bool),
        opt("disable_moving", Kind::Bool),
        // Documented at the top level by the guide, inside `properties` by the spec (D38).
        opt("webhook_url", Kind::Uri),
    ]),
    starts: Some(&TEMPLATE_VIDEO),
    ..Operation::BASE
});

/// `GET /v2/template_video/{video_id}`.
pub(crate) static GET_TEMPLATE_VIDEO: Endpoint<TemplateVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template_video/{video_id}",
    name: "get_template_video",
    schema: &Schema::of(&[req("video_id", Kind::Id)]),
    polls: Some(&TEMPLATE_VIDEO),
    ..Operation::BASE
});

/// A v2 template video.
pub(crate) static TEMPLATE_VIDEO: TaskKind = TaskKind {
    poll: GET_TEMPLATE_VIDEO.op(),
    found: Found::ById("video_id"),
    id_members: &["video_id", "id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_template_video_success",
        "generated_template_video_failed",
    ],
};

/// `GET /v2/template_videos`.
pub(crate) static LIST_TEMPLATE_VIDEOS: Endpoint<TemplateVideoList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template_videos",
    name: "list_template_videos",
    schema: &VIDEO_LIST_QUERY,
    items: Some("data"),
    ..Operation::BASE
});

// ---------------------------------------------------------------------------
// Typed API

/// The avatar of [`CreateAvatarVideo`]: a library avatar, or one of yours (instant or photo
/// avatars need [`AvatarType::Custom`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AvatarRef {
    pub avatar_id: i64,
    pub avatar_type: AvatarType,
}

/// What the avatar says. The API wants `voice_id` in both cases, and only the member that
/// matches `type` (D36).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum VoiceInput {
    /// `script` read aloud by the text-to-speech voice `voice_id`.
    Script { voice_id: String, script: String },
    /// The avatar lip-syncs to the audio file at `audio_url`.
    Audio { voice_id: String, audio_url: String },
}

/// The request of [`Videos::create_from_avatar`](crate::api::v2::videos::Videos::create_from_avatar).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateAvatarVideo {
    pub avatar: AvatarRef,
    pub voice: VoiceInput,
    pub aspect_ratio: Orientation,
    pub screen_style: ScreenStyle,
    /// Burned-in subtitles; off unless set (D69). Must stay off with
    /// [`ScreenStyle::Transparent`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<bool>,
    /// Called once when the render ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_name: Option<String>,
}

impl CreateAvatarVideo {
    /// A library avatar reading `script` with `voice_id`, full screen, other options unset.
    pub fn from_script(
        avatar_id: i64,
        voice_id: impl Into<String>,
        script: impl Into<String>,
        aspect_ratio: Orientation,
    ) -> Self {
        CreateAvatarVideo {
            avatar: AvatarRef {
                avatar_id,
                avatar_type: AvatarType::Public,
            },
            voice: VoiceInput::Script {
                voice_id: voice_id.into(),
                script: script.into(),
            },
            aspect_ratio,
            screen_style: ScreenStyle::Normal,
            caption: None,
            webhook_url: None,
            video_name: None,
        }
    }
}

/// The id of a render that has started. Product renders name it `product_video_id` in the
/// guides and `id` elsewhere (D16); all three are read into `video_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedVideo {
    pub video_id: String,
    /// `processing` (product renders report it; the others do not).
    pub status: Option<String>,
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for CreatedVideo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        Ok(CreatedVideo {
            video_id: m
                .required(&["video_id", "product_video_id", "id"])
                .map_err(D::Error::custom)?,
            status: m.string(&["status"]).map_err(D::Error::custom)?,
            extra: m.into_extra(),
        })
    }
}

/// A talking-avatar video: `status` is `pending`, `processing`, `completed` or `failed`.
#[derive(Clone, Debug, PartialEq)]
pub struct AvatarVideo {
    pub video_id: Option<String>,
    pub status: String,
    /// Set once completed.
    pub video_url: Option<String>,
    pub cover_url: Option<String>,
    /// Seconds: not in the spec, shown by the guides as `duration` (D48).
    pub duration: Option<f64>,
    /// Unix seconds.
    pub created_at: Option<i64>,
    pub extra: Map<String, Value>,
}

impl AvatarVideo {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

impl<'de> Deserialize<'de> for AvatarVideo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let e = D::Error::custom;
        Ok(AvatarVideo {
            video_id: m.string(&["video_id", "id"]).map_err(e)?,
            status: m.required(&["status"]).map_err(e)?,
            video_url: m.string(&["video_url", "url", "result_url"]).map_err(e)?,
            cover_url: m.string(&["cover_url"]).map_err(e)?,
            duration: m
                .f64(&["duration", "video_duration", "duration_seconds"])
                .map_err(e)?,
            created_at: m.i64(&["created_at"]).map_err(e)?,
            extra: m.into_extra(),
        })
    }
}

/// One variable of a template render; `name` is the name given in the template editor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateVariable {
    #[serde(rename = "type")]
    pub kind: VariableKind,
    pub name: String,
    pub properties: VariableProperties,
}

/// What a template variable holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableKind {
    Text,
    Image,
    Video,
    Script,
}

/// The value of a template variable: `content` for text and script, `url` (or `asset_id`)
/// for images and videos (D39).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VariableProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<AssetId>,
}

/// An uploaded asset: a number in the spec, a string like `img_abc123` in the guides
/// (D18); sent in the form given. Passing the hosted file as `url` avoids the question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AssetId {
    Number(i64),
    Text(String),
}

impl From<i64> for AssetId {
    fn from(id: i64) -> Self {
        AssetId::Number(id)
    }
}

impl From<&str> for AssetId {
    fn from(id: &str) -> Self {
        AssetId::Text(id.to_owned())
    }
}

impl TemplateVariable {
    /// A text variable. Scripts may hold pauses like `<break time="2s" />`.
    pub fn text(name: impl Into<String>, content: impl Into<String>) -> Self {
        Self::with_content(VariableKind::Text, name, content)
    }

    /// A script variable: the words the avatar speaks.
    pub fn script(name: impl Into<String>, content: impl Into<String>) -> Self {
        Self::with_content(VariableKind::Script, name, content)
    }

    /// An image variable taken from `url`.
    pub fn image(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self::with_url(VariableKind::Image, name, url)
    }

    /// A video variable taken from `url`.
    pub fn video(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self::with_url(VariableKind::Video, name, url)
    }

    fn with_content(
        kind: VariableKind,
        name: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        TemplateVariable {
            kind,
            name: name.into(),
            properties: VariableProperties {
                content: Some(content.into()),
                ..Default::default()
            },
        }
    }

    fn with_url(kind: VariableKind, name: impl Into<String>, url: impl Into<String>) -> Self {
        TemplateVariable {
            kind,
            name: name.into(),
            properties: VariableProperties {
                url: Some(url.into()),
                ..Default::default()
            },
        }
    }
}

/// The request of [`Videos::create_with_template`](crate::api::v2::videos::Videos::create_with_template).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CreateTemplateVideo {
    /// From [`Templates::list`](crate::api::v2::templates::Templates::list) or [`Templates::list_custom`](crate::api::v2::templates::Templates::list_custom).
    pub template_id: i64,
    /// Text-to-speech language, a lowercase English name (`english`).
    pub voice_language: String,
    pub variables: Vec<TemplateVariable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_name: Option<String>,
    /// Replaces the template's avatar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_type: Option<AvatarType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captions_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_music_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_random_trans: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_random_moving: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_trans: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_moving: Option<bool>,
    /// Sent at the top level, where the guide documents it; the spec's copy inside each
    /// variable's `properties` is an indentation slip (D38).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// A template render. The spec nests the result in `data`; the guides put `video_url`,
/// `cover_url` and `duration` at the top level (D48): both land in `result`.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateVideo {
    pub video_id: Option<String>,
    /// `pending`, `processing`, `completed` or `failed`.
    pub status: String,
    pub created_at: Option<i64>,
    pub completed_at: Option<i64>,
    /// Present once completed.
    pub result: Option<TemplateVideoResult>,
    pub extra: Map<String, Value>,
}

/// What a completed template render produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateVideoResult {
    pub video_name: Option<String>,
    pub url: Option<String>,
    pub cover_url: Option<String>,
    pub duration_seconds: Option<f64>,
    pub deducted_credit: Option<f64>,
}

impl TemplateVideoResult {
    /// Reads the result members out of `m`; `None` when it has none of them.
    fn take(m: &mut Members) -> std::result::Result<Option<Self>, String> {
        let r = TemplateVideoResult {
            video_name: m.string(&["video_name", "name"])?,
            url: m.string(&["url", "video_url", "result_url"])?,
            cover_url: m.string(&["cover_url"])?,
            duration_seconds: m.f64(&["duration_seconds", "duration", "video_duration"])?,
            deducted_credit: m.f64(&["deducted_credit"])?,
        };
        Ok((r != TemplateVideoResult::default()).then_some(r))
    }
}

impl TemplateVideo {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

impl<'de> Deserialize<'de> for TemplateVideo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let e = D::Error::custom;
        let nested = match m.take(&["data"]) {
            Some(Value::Object(data)) => {
                TemplateVideoResult::take(&mut Members(data)).map_err(e)?
            }
            Some(other) => return Err(e(format!("data: expected an object, got {other}"))),
            None => None,
        };
        let flat = TemplateVideoResult::take(&mut m).map_err(e)?;
        Ok(TemplateVideo {
            video_id: m.string(&["video_id", "id"]).map_err(e)?,
            status: m.required(&["status"]).map_err(e)?,
            created_at: m.i64(&["created_at"]).map_err(e)?,
            completed_at: m.i64(&["completed_at"]).map_err(e)?,
            result: nested.or(flat),
            extra: m.into_extra(),
        })
    }
}

/// One page of template renders.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TemplateVideoList {
    /// The spec's member name is `data` (inside the envelope's `data`).
    #[serde(default, alias = "videos")]
    pub data: Vec<TemplateVideoItem>,
    #[serde(default)]
    pub pagination: Pagination,
}

/// A template render as the history list shows it: `status` is `processing`, `completed`
/// or `failed`, and a failed one says why in `error` (whose `code` is a string here, D48).
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateVideoItem {
    pub video_id: String,
    pub video_name: Option<String>,
    pub status: String,
    pub created_at: Option<i64>,
    pub cover_url: Option<String>,
    pub url: Option<String>,
    pub duration_seconds: Option<f64>,
    pub error: Option<TaskError>,
    pub extra: Map<String, Value>,
}

impl TemplateVideoItem {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

impl<'de> Deserialize<'de> for TemplateVideoItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let e = D::Error::custom;
        Ok(TemplateVideoItem {
            video_id: m.required(&["video_id", "id"]).map_err(e)?,
            video_name: m.string(&["video_name", "title"]).map_err(e)?,
            status: m.required(&["status"]).map_err(e)?,
            created_at: m.i64(&["created_at"]).map_err(e)?,
            cover_url: m.string(&["cover_url"]).map_err(e)?,
            url: m.string(&["url", "video_url"]).map_err(e)?,
            duration_seconds: m
                .f64(&["duration_seconds", "duration", "video_duration"])
                .map_err(e)?,
            error: m.error().map_err(e)?,
            extra: m.into_extra(),
        })
    }
}

/// The videos operations: `client.v2().videos()`.
#[derive(Clone, Copy, Debug)]
pub struct Videos<'c> {
    pub(crate) client: &'c Client,
}

impl Videos<'_> {
    /// Starts a talking-avatar render and returns its id at once; poll it with
    /// [`Videos::get_avatar_video`](crate::api::v2::videos::Videos::get_avatar_video) (renders take minutes). Costs credits when accepted.
    pub fn create_from_avatar(&self, request: &CreateAvatarVideo) -> Result<CreatedVideo> {
        let op = &CREATE_VIDEO_FROM_AVATAR;
        self.client.request(op, request)
    }

    /// The state of a talking-avatar render, with its URLs once completed.
    pub fn get_avatar_video(&self, video_id: &str) -> Result<AvatarVideo> {
        let op = &GET_AVATAR_VIDEO;
        self.client.fetch(op, &json!({ "id": video_id }))
    }

    /// Starts rendering a template with its variables replaced and returns the id at once;
    /// poll it with [`Videos::get_template_video`](crate::api::v2::videos::Videos::get_template_video). Costs credits when accepted.
    pub fn create_with_template(&self, request: &CreateTemplateVideo) -> Result<CreatedVideo> {
        let op = &CREATE_VIDEO_WITH_TEMPLATE;
        self.client.request(op, request)
    }

    /// The state of a template render, with its result once completed.
    pub fn get_template_video(&self, video_id: &str) -> Result<TemplateVideo> {
        let op = &GET_TEMPLATE_VIDEO;
        self.client.fetch(op, &json!({ "video_id": video_id }))
    }

    /// One page of your template renders (a less documented operation, D14).
    pub fn list_template_videos(&self, query: &VideoListQuery) -> Result<TemplateVideoList> {
        let op = &LIST_TEMPLATE_VIDEOS;
        self.client.request(op, query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn created_video_id_under_any_of_its_names() {
        // D16: `video_id` (spec), `product_video_id` (guide), `id`; numbers too (D15).
        let a: CreatedVideo = decode(json!({"video_id": "v1"}));
        let b: CreatedVideo = decode(json!({"product_video_id": "v2", "status": "processing"}));
        let c: CreatedVideo = decode(json!({"id": 42}));
        assert_eq!((a.video_id.as_str(), a.status), ("v1", None));
        assert_eq!(
            (b.video_id.as_str(), b.status.as_deref()),
            ("v2", Some("processing"))
        );
        assert_eq!(c.video_id, "42");
        // Two of the names at once is not an error: the first wins.
        let d: CreatedVideo = decode(json!({"video_id": "x", "id": "y", "more": 1}));
        assert_eq!(d.video_id, "x");
        assert_eq!(d.extra, json!({"more": 1}).as_object().unwrap().clone());
        assert!(serde_json::from_value::<CreatedVideo>(json!({"status": "x"})).is_err());
    }

    #[test]
    fn avatar_video_with_and_without_duration() {
        // D48: the spec has no duration; the guides add `duration`.
        let spec: AvatarVideo = decode(json!({
            "video_id": "v", "status": "completed", "created_at": 1640995200,
            "video_url": "https://x/v.mp4", "cover_url": "https://x/c.jpg"
        }));
        assert_eq!(spec.duration, None);
        assert_eq!(spec.task_status(), TaskStatus::Succeeded);
        assert_eq!(spec.video_url.as_deref(), Some("https://x/v.mp4"));
        let guide: AvatarVideo =
            decode(json!({"video_id": "v", "status": "completed", "duration": 30}));
        assert_eq!(guide.duration, Some(30.0));
        let other: AvatarVideo =
            decode(json!({"status": "pending", "video_duration": "12.5", "video_url": ""}));
        assert_eq!(other.duration, Some(12.5));
        assert_eq!(other.video_url, None, "an empty URL is no URL");
        assert_eq!(other.task_status(), TaskStatus::Pending);
    }

    #[test]
    fn template_video_nested_or_flat() {
        // D48: the spec nests the result in `data`, the guides put it at the top level.
        let nested: TemplateVideo = decode(json!({
            "video_id": "t", "status": "completed", "created_at": 1, "completed_at": 2,
            "data": {"video_name": "n", "url": "https://x/v.mp4", "cover_url": "https://x/c.jpg",
                     "duration_seconds": 30.5, "deducted_credit": 1}
        }));
        let flat: TemplateVideo = decode(json!({
            "video_id": "t", "status": "completed", "created_at": 1, "completed_at": 2,
            "video_name": "n", "video_url": "https://x/v.mp4", "cover_url": "https://x/c.jpg",
            "duration": 30.5, "deducted_credit": 1.0
        }));
        assert_eq!(nested, flat);
        let r = nested.result.unwrap();
        assert_eq!(r.url.as_deref(), Some("https://x/v.mp4"));
        assert_eq!(r.duration_seconds, Some(30.5));
        assert_eq!(r.deducted_credit, Some(1.0));
        let running: TemplateVideo =
            decode(json!({"video_id": "t", "status": "processing", "data": null}));
        assert_eq!(running.result, None);
        assert_eq!(running.task_status(), TaskStatus::Processing);
        assert!(
            serde_json::from_value::<TemplateVideo>(json!({"status": "x", "data": 3})).is_err()
        );
    }

    #[test]
    fn template_list_items_take_string_or_number_error_codes() {
        // D48: the list's `error.kind()` is a string, the webhooks' an integer.
        let list: TemplateVideoList = decode(json!({
            "data": [
                {"video_id": "a", "status": "failed", "error": {"code": "ERROR_CODE", "message": "m"}},
                {"video_id": 7, "status": "failed", "error": {"code": 50000, "message": "m"}},
                {"video_id": "c", "status": "completed", "video_url": "https://x/v.mp4", "duration": "3"},
                {"video_id": "d", "status": "failed", "error": "plain words"}
            ],
            "pagination": {"page": 1, "page_size": 10, "total_items": 4, "total_pages": 1}
        }));
        let codes: Vec<_> = list
            .data
            .iter()
            .map(|i| i.error.as_ref().and_then(|e| e.code.clone()))
            .collect();
        assert_eq!(
            codes,
            [Some(json!("ERROR_CODE")), Some(json!(50000)), None, None]
        );
        assert_eq!(list.data[1].video_id, "7");
        assert_eq!(list.data[2].url.as_deref(), Some("https://x/v.mp4"));
        assert_eq!(list.data[2].duration_seconds, Some(3.0));
        assert_eq!(
            list.data[3].error.as_ref().unwrap().message.as_deref(),
            Some("plain words")
        );
        assert_eq!(list.pagination.total_items, Some(4));
    }

    #[test]
    fn requests_send_only_what_the_spec_wants() {
        let mut r = CreateAvatarVideo::from_script(81, "en-US-Guy", "Hi", Orientation::Portrait);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v,
            json!({"avatar": {"avatar_id": 81, "avatar_type": 0},
                   "voice": {"type": "script", "voice_id": "en-US-Guy", "script": "Hi"},
                   "aspect_ratio": "portrait", "screen_style": 1})
        );
        // D36: audio input carries the voice id and no script.
        r.voice = VoiceInput::Audio {
            voice_id: "en-US-Guy".into(),
            audio_url: "https://x/a.mp3".into(),
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v["voice"],
            json!({"type": "audio", "voice_id": "en-US-Guy", "audio_url": "https://x/a.mp3"})
        );
        assert!(CREATE_VIDEO_FROM_AVATAR.schema.check(&v).is_ok());

        // D38/D39: webhook at the top level; each variable only with its own member.
        let t = CreateTemplateVideo {
            template_id: 149,
            voice_language: "english".into(),
            variables: vec![
                TemplateVariable::script("script", "Hello"),
                TemplateVariable::image("product_image", "https://x/i.png"),
            ],
            webhook_url: Some("https://x/hook".into()),
            ..Default::default()
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["webhook_url"], "https://x/hook");
        assert_eq!(
            v["variables"][0],
            json!({"type": "script", "name": "script", "properties": {"content": "Hello"}})
        );
        assert_eq!(
            v["variables"][1]["properties"],
            json!({"url": "https://x/i.png"})
        );
        let by_asset = |id: AssetId| {
            let p = VariableProperties {
                asset_id: Some(id),
                ..Default::default()
            };
            serde_json::to_value(p).unwrap()
        };
        assert_eq!(by_asset(12345.into()), json!({"asset_id": 12345}));
        assert_eq!(
            by_asset("img_abc123".into()),
            json!({"asset_id": "img_abc123"})
        );
        assert!(CREATE_VIDEO_WITH_TEMPLATE.schema.check(&v).is_ok());

        let q = VideoListQuery {
            status: Some(ListStatus::Failed),
            sort_order: Some(SortOrder::Asc),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&q).unwrap(),
            json!({"status": 5, "sort_order": "asc"})
        );
    }

    #[test]
    fn status_words() {
        for (word, status) in [
            ("pending", TaskStatus::Pending),
            ("processing", TaskStatus::Processing),
            ("completed", TaskStatus::Succeeded),
            ("success", TaskStatus::Succeeded),
            ("failed", TaskStatus::Failed),
            ("queued", TaskStatus::Pending),
            ("Completed", TaskStatus::Unknown),
        ] {
            assert_eq!(TaskStatus::from_word(word), status);
        }
        let v1: crate::types::AspectRatio = Orientation::Square.into();
        assert_eq!(Orientation::from(v1), Orientation::Square);
    }
}
