//! v2 video creation and results.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/avatar_video/{id}`.
pub static GET_AVATAR_VIDEO: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatar_video/{id}",
    name: "get_avatar_video",
    poll_with: None,
    schema: &Schema::of(&[req("id", Kind::Id)]),
};

/// `POST /v2/create_video_from_avatar`.
pub static CREATE_VIDEO_FROM_AVATAR: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_avatar",
    name: "create_video_from_avatar",
    poll_with: Some("/v2/avatar_video/{id}"),
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
                        forbid: &["audio_url"],
                    },
                    Rule::Case {
                        when: "type",
                        equals: "audio",
                        require: &["audio_url"],
                        forbid: &["script"],
                    },
                ],
            }),
        ),
        req(
            "aspect_ratio",
            Kind::StrEnum(&["portrait", "landscape", "square"]),
        ),
        req("screen_style", Kind::IntEnum(&[1, 2, 3])),
        opt("caption", Kind::Bool),
        opt("webhook_url", Kind::Uri),
        opt("video_name", TEXT),
    ]),
};

/// `POST /v2/create_video_with_template`.
pub static CREATE_VIDEO_WITH_TEMPLATE: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_with_template",
    name: "create_video_with_template",
    poll_with: Some("/v2/template_video/{video_id}"),
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
};

/// `GET /v2/template_video/{video_id}`.
pub static GET_TEMPLATE_VIDEO: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template_video/{video_id}",
    name: "get_template_video",
    poll_with: None,
    schema: &Schema::of(&[req("video_id", Kind::Id)]),
};

/// `GET /v2/template_videos`.
pub static LIST_TEMPLATE_VIDEOS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template_videos",
    name: "list_template_videos",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("status", Kind::IntEnum(&[3, 4, 5])),
        opt("sort_by", STR),
        opt("sort_order", Kind::StrEnum(&["asc", "desc"])),
    ]),
};
