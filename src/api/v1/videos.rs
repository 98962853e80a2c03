//! v1 video creation.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::ops::{Operation, Version};
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;
use crate::types::{AspectRatio, AvatarType, ScreenStyle};

/// `POST /v1/create_video_from_talking_avatar`: an avatar speaks a script or lip-syncs an
/// audio file. The render runs in the background; poll it with `get_project` or
/// [`Client::wait_for_project`].
pub static CREATE_VIDEO_FROM_TALKING_AVATAR: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_from_talking_avatar",
    name: "create_video_from_talking_avatar",
    poll_with: Some("/project"),
    schema: &Schema {
        fields: &[
            opt("script", STR),
            opt("audio_url", STR),
            opt("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
            req("screen_style", Kind::IntEnum(&[1, 2, 3])),
            req("avatar_id", int(Some(0), None)),
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
};

/// What the avatar says: text read by a voice, or an audio file to lip-sync to.
#[derive(Clone, Debug, PartialEq)]
pub enum Speech {
    Script { text: String, voice_id: String },
    Audio { url: String },
}

/// The request of [`Client::create_video_from_talking_avatar`].
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

impl Client {
    /// Starts rendering a talking-avatar video and returns its project id at once.
    ///
    /// Costs credits: do not call it again because a later step failed; wait on the id.
    pub fn create_video_from_talking_avatar(
        &self,
        request: &CreateTalkingAvatarVideo,
    ) -> Result<CreatedProject> {
        let op = &CREATE_VIDEO_FROM_TALKING_AVATAR;
        de::decode(op, self.execute(op, &self.to_params(request)?)?)
    }
}

/// `POST /v1/create_video_with_variable`.
pub static CREATE_VIDEO_WITH_VARIABLES: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_with_variable",
    name: "create_video_with_variables",
    poll_with: Some("/project"),
    schema: &Schema::of(&[
        req("text", STR),
        req("lang", STR),
        req("template_id", INT),
        req("template_type", STR),
        opt("dp_id", INT),
        opt("timbre_id", INT),
        opt("without_tts", INT),
        req(
            "variables",
            Kind::Array(&Kind::Object(&Schema::of(&[
                opt("name", STR),
                opt("type", STR),
                opt("properties", Kind::AnyObject),
            ]))),
        ),
    ]),
};

/// `POST /v1/create_video_with_template`.
pub static CREATE_VIDEO_WITH_TEMPLATE: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_with_template",
    name: "create_video_with_template",
    poll_with: Some("/project"),
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
};

/// `POST /v1/create_video_from_url`.
pub static CREATE_VIDEO_FROM_URL: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/create_video_from_url",
    name: "create_video_from_url",
    poll_with: Some("/project"),
    schema: &Schema::of(&[
        req("product_id", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        req("video_length", Kind::StrEnum(&["15", "30", "60"])),
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
};

/// `POST /v1/preview`.
pub static CREATE_PREVIEW_VIDEO: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/preview",
    name: "create_preview_video",
    poll_with: Some("/project"),
    schema: &Schema::of(&[
        req("product_id", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        req("video_length", Kind::StrEnum(&["15", "30", "60"])),
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
};
