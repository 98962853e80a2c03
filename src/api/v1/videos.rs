//! v1 video creation.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, opt, req};
use crate::types::{AspectRatio, AvatarType, ScreenStyle};
pub use crate::types::{ScriptStyle, VideoLength};

/// `POST /v1/create_video_from_talking_avatar`: an avatar speaks a script or lip-syncs an
/// audio file. The render runs in the background; poll it with `get_project` or
/// [`Client::wait_for_project`].
pub(crate) static CREATE_VIDEO_FROM_TALKING_AVATAR: Endpoint<CreatedProject> =
    Endpoint::new(Operation {
        version: Version::V1,
        method: Method::Post,
        path: "/create_video_from_talking_avatar",
        name: "create_video_from_talking_avatar",
        schema: &Schema {
            fields: &[
                opt("script", STR),
                opt("audio_url", STR),
                opt("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
                req("screen_style", Kind::IntEnum(&[1, 2, 3])),
                req("avatar_id", INT),
                req("avatar_type", Kind::IntEnum(&[0, 1])),
                // The spec requires it; with audio_url the voice comes from the audio (D36).
                opt("voice_id", STR),
                opt("caption", Kind::Bool),
                // A free string, whatever the spec's copied bool enum says (D34).
                opt("video_name", TEXT),
            ],
            rules: &[
                Rule::ExactlyOne(&["script", "audio_url"]),
                Rule::RequiredWith {
                    field: "voice_id",
                    when: "script",
                },
            ],
        },
        starts: Some(&super::projects::PROJECT),
        ..Operation::BASE
    });

/// What the avatar says: text read by a voice, or an audio file to lip-sync to.
#[derive(Clone, Debug, PartialEq)]
pub enum Speech {
    Script { text: String, voice_id: String },
    Audio { url: String },
}

/// The request of [`Videos::create_from_talking_avatar`](crate::api::v1::videos::Videos::create_from_talking_avatar).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateTalkingAvatarVideo {
    pub speech: Speech,
    pub avatar_id: i64,
    pub avatar_type: AvatarType,
    pub screen_style: ScreenStyle,
    pub aspect_ratio: Option<AspectRatio>,
    /// Burned-in subtitles; must be off with [`ScreenStyle::Transparent`].
    pub caption: Option<bool>,
    pub video_name: Option<String>,
}

impl CreateTalkingAvatarVideo {
    /// A library avatar reading `script` with `voice_id`, full-screen, other options unset.
    pub fn from_script(
        avatar_id: i64,
        voice_id: impl Into<String>,
        script: impl Into<String>,
    ) -> Self {
        CreateTalkingAvatarVideo {
            speech: Speech::Script {
                text: script.into(),
                voice_id: voice_id.into(),
            },
            avatar_id,
            avatar_type: AvatarType::Public,
            screen_style: ScreenStyle::Normal,
            aspect_ratio: None,
            caption: None,
            video_name: None,
        }
    }
}

/// The wire form: flat, with `script`/`voice_id` or `audio_url`.
#[derive(Serialize)]
struct Wire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    script: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    voice_id: Option<&'a str>,
    avatar_id: i64,
    avatar_type: AvatarType,
    screen_style: ScreenStyle,
    #[serde(skip_serializing_if = "Option::is_none")]
    aspect_ratio: Option<AspectRatio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video_name: Option<&'a str>,
}

impl Serialize for CreateTalkingAvatarVideo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (script, voice_id, audio_url) = match &self.speech {
            Speech::Script { text, voice_id } => {
                (Some(text.as_str()), Some(voice_id.as_str()), None)
            }
            Speech::Audio { url } => (None, None, Some(url.as_str())),
        };
        Wire {
            script,
            audio_url,
            voice_id,
            avatar_id: self.avatar_id,
            avatar_type: self.avatar_type,
            screen_style: self.screen_style,
            aspect_ratio: self.aspect_ratio,
            caption: self.caption,
            video_name: self.video_name.as_deref(),
        }
        .serialize(s)
    }
}

/// The id of a project that has started rendering.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CreatedProject {
    /// Always a string here, though the spec types it as a number (D15).
    #[serde(deserialize_with = "de::id_string", alias = "prj_id")]
    pub project_id: String,
}

/// The videos operations: `client.v1().videos()`.
#[derive(Clone, Copy, Debug)]
pub struct Videos<'c> {
    pub(crate) client: &'c Client,
}

impl Videos<'_> {
    /// Starts rendering a talking-avatar video and returns its project id at once.
    ///
    /// Costs credits: do not call it again because a later step failed; wait on the id.
    pub fn create_from_talking_avatar(
        &self,
        request: &CreateTalkingAvatarVideo,
    ) -> Result<CreatedProject> {
        let op = &CREATE_VIDEO_FROM_TALKING_AVATAR;
        self.client.request(op, request)
    }
}

/// `POST /v1/create_video_with_variable`.
pub(crate) static CREATE_VIDEO_WITH_VARIABLES: Endpoint<CreatedProject> =
    Endpoint::new(Operation {
        version: Version::V1,
        method: Method::Post,
        path: "/create_video_with_variable",
        name: "create_video_with_variables",
        schema: &Schema::of(&[
            req("text", STR),
            req("lang", STR),
            req("template_id", INT),
            req("template_type", STR),
            opt("dp_id", INT),
            opt("timbre_id", INT),
            opt("without_tts", Kind::IntEnum(&[0, 1])),
            req(
                "variables",
                Kind::Array(&Kind::Object(&Schema::of(&[
                    opt("name", STR),
                    opt("type", STR),
                    opt("properties", Kind::AnyObject),
                ]))),
            ),
        ]),
        starts: Some(&super::projects::PROJECT),
        ..Operation::BASE
    });

/// `POST /v1/create_video_with_template`.
pub(crate) static CREATE_VIDEO_WITH_TEMPLATE: Endpoint<CreatedProject> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_with_template",
    name: "create_video_with_template",
    schema: &Schema::of(&[
        req("template_id", INT),
        req("lang", STR),
        req("template_type", Kind::StrEnum(&["common", "user"])),
        opt("avatar_id", INT),
        opt("avatar_type", Kind::IntEnum(&[0, 1])),
        opt("voice_id", STR),
        opt("caption", Kind::Bool),
        opt("music_id", INT),
        opt("video_name", TEXT),
        req(
            "variables",
            Kind::Array(&Kind::Object(&Schema::of(&[
                req("type", Kind::StrEnum(&["text", "image", "video", "script"])),
                req("name", STR),
                req(
                    "properties",
                    Kind::Object(&Schema::of(&[
                        opt("content", STR),
                        opt("url", STR),
                        // A number in the spec, a string in the guides (D18).
                        opt("asset_id", Kind::Id),
                    ])),
                ),
            ]))),
        ),
    ]),
    starts: Some(&super::projects::PROJECT),
    ..Operation::BASE
});

/// `POST /v1/create_video_from_url`.
pub(crate) static CREATE_VIDEO_FROM_URL: Endpoint<CreatedProject> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_from_url",
    name: "create_video_from_url",
    schema: &Schema::of(&[
        req("product_id", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        req("video_length", Kind::StrEnum(VideoLength::WORDS)),
        // Not in the spec's `required` list, which documents `english` as the default
        // (unlike `/preview`, which requires it).
        opt("language", STR),
        req("avatar_id", INT),
        req("avatar_type", Kind::IntEnum(&[0, 1])),
        opt("voice_id", STR),
        opt("music_id", INT),
        req("script_style", STR),
        opt("visual_style", STR),
        opt("template_id", INT),
        req("template_type", Kind::StrEnum(&["public", "custom"])),
        opt("override_script", STR),
        opt("caption", Kind::Bool),
        opt("video_name", TEXT),
    ]),
    starts: Some(&super::projects::PROJECT),
    ..Operation::BASE
});

/// `POST /v1/preview`.
pub(crate) static CREATE_PREVIEW_VIDEO: Endpoint<CreatedProject> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/preview",
    name: "create_preview_video",
    schema: &Schema::of(&[
        req("product_id", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        req("video_length", Kind::StrEnum(VideoLength::WORDS)),
        req("language", STR),
        req("avatar_id", INT),
        req("avatar_type", Kind::IntEnum(&[0, 1])),
        opt("voice_id", STR),
        req("script_style", STR),
        opt("visual_style", STR),
        opt("template_id", INT),
        req("template_type", Kind::StrEnum(&["public", "custom"])),
        opt("override_script", STR),
        opt("caption", Kind::Bool),
    ]),
    starts: Some(&super::projects::PROJECT),
    ..Operation::BASE
});

/// The avatar to put in a video in place of the template's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AvatarChoice {
    pub avatar_id: i64,
    pub avatar_type: AvatarType,
}

/// Which template collection `create_video_with_template` reads `template_id` from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateType {
    /// The template library ([`Templates::list`](crate::api::v1::templates::Templates::list)).
    Common,
    /// Your templates ([`Templates::list_custom`](crate::api::v1::templates::Templates::list_custom)).
    User,
}

/// Where a media variable's file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaSource {
    /// A public URL (an uploaded asset's address works too).
    Url(String),
    /// A numeric asset id (the v1 spec's type).
    AssetId(i64),
    /// An asset id in string form (the guides' form, D18).
    AssetKey(String),
}

/// One template variable to fill, by the name it has in the web template editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateVariable {
    Text {
        name: String,
        content: String,
    },
    /// Text the avatar speaks; may contain pause tags like `<break time="2s" />`.
    Script {
        name: String,
        content: String,
    },
    Image {
        name: String,
        source: MediaSource,
    },
    Video {
        name: String,
        source: MediaSource,
    },
}

impl TemplateVariable {
    pub fn text(name: impl Into<String>, content: impl Into<String>) -> Self {
        TemplateVariable::Text {
            name: name.into(),
            content: content.into(),
        }
    }

    pub fn script(name: impl Into<String>, content: impl Into<String>) -> Self {
        TemplateVariable::Script {
            name: name.into(),
            content: content.into(),
        }
    }

    pub fn image_url(name: impl Into<String>, url: impl Into<String>) -> Self {
        TemplateVariable::Image {
            name: name.into(),
            source: MediaSource::Url(url.into()),
        }
    }

    pub fn video_url(name: impl Into<String>, url: impl Into<String>) -> Self {
        TemplateVariable::Video {
            name: name.into(),
            source: MediaSource::Url(url.into()),
        }
    }
}

/// Only the member that matters for the variable's type is sent (D39).
impl Serialize for TemplateVariable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (kind, name, properties) = match self {
            TemplateVariable::Text { name, content } => ("text", name, json!({"content": content})),
            TemplateVariable::Script { name, content } => {
                ("script", name, json!({"content": content}))
            }
            TemplateVariable::Image { name, source } => ("image", name, source_json(source)),
            TemplateVariable::Video { name, source } => ("video", name, source_json(source)),
        };
        json!({"type": kind, "name": name, "properties": properties}).serialize(s)
    }
}

fn source_json(source: &MediaSource) -> Value {
    match source {
        MediaSource::Url(url) => json!({"url": url}),
        MediaSource::AssetId(id) => json!({"asset_id": id}),
        MediaSource::AssetKey(key) => json!({"asset_id": key}),
    }
}

/// The request of [`Videos::create_with_template`](crate::api::v1::videos::Videos::create_with_template).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateVideoWithTemplate {
    pub template_id: i64,
    pub template_type: TemplateType,
    /// The speech language: a lowercase English name (`english`, `spanish`...; D26).
    pub lang: String,
    pub variables: Vec<TemplateVariable>,
    /// Replaces the template's avatar.
    #[serde(flatten)]
    pub avatar: Option<AvatarChoice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<bool>,
    /// Background music, from [`MusicTracks::list`](crate::api::v1::music::MusicTracks::list) or [`MusicTracks::list_custom`](crate::api::v1::music::MusicTracks::list_custom).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub music_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_name: Option<String>,
}

impl CreateVideoWithTemplate {
    /// A render of `template_id` with `variables`; the other options unset.
    pub fn new(
        template_id: i64,
        template_type: TemplateType,
        lang: impl Into<String>,
        variables: Vec<TemplateVariable>,
    ) -> Self {
        CreateVideoWithTemplate {
            template_id,
            template_type,
            lang: lang.into(),
            variables,
            avatar: None,
            voice_id: None,
            caption: None,
            music_id: None,
            video_name: None,
        }
    }
}

/// A variable of the legacy variable render: free-form, as that operation's spec leaves it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LegacyVariable {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub properties: Map<String, Value>,
}

/// The request of [`Videos::create_with_variables`](crate::api::v1::videos::Videos::create_with_variables), the older template render
/// (D13). Prefer [`CreateVideoWithTemplate`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateVideoWithVariables {
    pub template_id: i64,
    /// Free text in the spec; `custom` and `user` are the values seen (D24).
    pub template_type: String,
    /// Replacement text.
    pub text: String,
    /// One of the 27 languages this operation lists (`english` ... `polish`).
    pub lang: String,
    pub variables: Vec<LegacyVariable>,
    /// The avatar ("digital person") id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dp_id: Option<i64>,
    /// The voice ("timbre") id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timbre_id: Option<i64>,
    /// `true`: keep the template's audio instead of re-voicing it with text-to-speech.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "bool_as_int"
    )]
    pub without_tts: Option<bool>,
}

fn bool_as_int<S: serde::Serializer>(
    value: &Option<bool>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match value {
        Some(b) => s.serialize_i64(i64::from(*b)),
        None => s.serialize_none(),
    }
}

/// Which template collection a product video's `template_id` comes from; these operations
/// spell the two collections differently from the template render (D24).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductTemplateType {
    /// The template library.
    Public,
    /// Your templates.
    Custom,
}

/// A video about a stored product (created with `create_product`): the request of
/// [`Videos::create_preview`](crate::api::v1::videos::Videos::create_preview) and the core of [`CreateVideoFromUrl`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductVideo {
    pub product_id: String,
    pub aspect_ratio: AspectRatio,
    pub video_length: VideoLength,
    /// The script language: a lowercase English name (`english`...).
    pub language: String,
    pub avatar_id: i64,
    pub avatar_type: AvatarType,
    pub script_style: ScriptStyle,
    pub template_type: ProductTemplateType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    /// A `name` from [`VisualStyles::list`](crate::api::v1::visual_styles::VisualStyles::list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visual_style: Option<String>,
    /// Your own script instead of an AI-written one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_script: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<bool>,
}

impl ProductVideo {
    /// A 15-second portrait English video of `product_id` presented by library avatar
    /// `avatar_id`, in the library's templates; change the public members for the rest.
    pub fn new(product_id: impl Into<String>, avatar_id: i64, script_style: ScriptStyle) -> Self {
        ProductVideo {
            product_id: product_id.into(),
            aspect_ratio: AspectRatio::Portrait,
            video_length: VideoLength::Seconds15,
            language: "english".into(),
            avatar_id,
            avatar_type: AvatarType::Public,
            script_style,
            template_type: ProductTemplateType::Public,
            template_id: None,
            voice_id: None,
            visual_style: None,
            override_script: None,
            caption: None,
        }
    }
}

/// The request of [`Videos::create_from_url`](crate::api::v1::videos::Videos::create_from_url): a [`ProductVideo`] plus the options
/// only the final render has.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateVideoFromUrl {
    #[serde(flatten)]
    pub video: ProductVideo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub music_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_name: Option<String>,
}

impl From<ProductVideo> for CreateVideoFromUrl {
    fn from(video: ProductVideo) -> Self {
        CreateVideoFromUrl {
            video,
            music_id: None,
            video_name: None,
        }
    }
}

impl Videos<'_> {
    /// Starts rendering a template with its variables replaced; poll the returned project
    /// with [`Projects::get`](crate::api::v1::projects::Projects::get) or [`Client::wait_for_project`]. Costs credits.
    pub fn create_with_template(
        &self,
        request: &CreateVideoWithTemplate,
    ) -> Result<CreatedProject> {
        let op = &CREATE_VIDEO_WITH_TEMPLATE;
        self.client.request(op, request)
    }

    /// Starts the legacy template render (D13); poll like
    /// [`Videos::create_with_template`](crate::api::v1::videos::Videos::create_with_template). Costs credits.
    pub fn create_with_variables(
        &self,
        request: &CreateVideoWithVariables,
    ) -> Result<CreatedProject> {
        let op = &CREATE_VIDEO_WITH_VARIABLES;
        self.client.request(op, request)
    }

    /// Starts rendering a marketing video of a stored product; poll the returned project
    /// with [`Projects::get`](crate::api::v1::projects::Projects::get) or [`Client::wait_for_project`]. Costs credits.
    pub fn create_from_url(&self, request: &CreateVideoFromUrl) -> Result<CreatedProject> {
        let op = &CREATE_VIDEO_FROM_URL;
        self.client.request(op, request)
    }

    /// Starts a cheaper preview render of a product video (half the credits of a full
    /// render); poll it like [`Videos::create_from_url`](crate::api::v1::videos::Videos::create_from_url).
    pub fn create_preview(&self, request: &ProductVideo) -> Result<CreatedProject> {
        let op = &CREATE_PREVIEW_VIDEO;
        self.client.request(op, request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_variables_send_only_their_member() {
        let vars = vec![
            TemplateVariable::text("title", "Hi"),
            TemplateVariable::script("voice", "Hello <break time=\"2s\" /> there"),
            TemplateVariable::image_url("logo", "https://x/l.png"),
            TemplateVariable::Video {
                name: "clip".into(),
                source: MediaSource::AssetId(42),
            },
            TemplateVariable::Image {
                name: "bg".into(),
                source: MediaSource::AssetKey("img_abc".into()),
            },
        ];
        let mut r = CreateVideoWithTemplate::new(9, TemplateType::User, "english", vars);
        r.avatar = Some(AvatarChoice {
            avatar_id: 3,
            avatar_type: AvatarType::Custom,
        });
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"template_id": 9, "template_type": "user", "lang": "english",
                "avatar_id": 3, "avatar_type": 1, "variables": [
                {"type": "text", "name": "title", "properties": {"content": "Hi"}},
                {"type": "script", "name": "voice",
                    "properties": {"content": "Hello <break time=\"2s\" /> there"}},
                {"type": "image", "name": "logo", "properties": {"url": "https://x/l.png"}},
                {"type": "video", "name": "clip", "properties": {"asset_id": 42}},
                {"type": "image", "name": "bg", "properties": {"asset_id": "img_abc"}},
            ]})
        );
    }

    #[test]
    fn product_video_and_legacy_wire_forms() {
        let mut url: CreateVideoFromUrl = ProductVideo::new("p", 81, ScriptStyle::DATA).into();
        url.music_id = Some(3);
        url.video.video_length = VideoLength::Seconds60;
        assert_eq!(
            serde_json::to_value(&url).unwrap(),
            json!({"product_id": "p", "aspect_ratio": 0, "video_length": "60",
                "language": "english", "avatar_id": 81, "avatar_type": 0,
                "script_style": "Data", "template_type": "public", "music_id": 3})
        );
        let legacy = CreateVideoWithVariables {
            template_id: 1,
            template_type: "custom".into(),
            text: "t".into(),
            lang: "english".into(),
            variables: vec![],
            dp_id: None,
            timbre_id: None,
            without_tts: Some(true),
        };
        assert_eq!(serde_json::to_value(&legacy).unwrap()["without_tts"], 1);
        assert_eq!(ScriptStyle::new("Mine").as_str(), "Mine");
    }

    #[test]
    fn created_project_id_as_number_string_or_prj_id() {
        for raw in [
            json!({"project_id": 12345}),
            json!({"project_id": "12345"}),
            json!({"prj_id": "12345"}),
        ] {
            let p: CreatedProject = serde_json::from_value(raw).unwrap();
            assert_eq!(p.project_id, "12345");
        }
    }
}
