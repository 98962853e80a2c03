//! v2 video translation.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v2/video_translate/`.
pub static CREATE_VIDEO_TRANSLATION: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/video_translate/",
    name: "create_video_translation",
    poll_with: Some("/v2/video_translate/{video_translate_id}"),
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
};

/// `GET /v2/video_translate/{video_translate_id}`.
pub static GET_VIDEO_TRANSLATION: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/video_translate/{video_translate_id}",
    name: "get_video_translation",
    poll_with: None,
    schema: &Schema::of(&[req("video_translate_id", Kind::Id)]),
};

/// `GET /v2/video_translate/target_languages`.
pub static LIST_TRANSLATION_LANGUAGES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/video_translate/target_languages",
    name: "list_translation_languages",
    poll_with: None,
    schema: &Schema::of(&[]),
};
