//! v2 lip sync.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v2/create_lip_sync_video`.
pub static CREATE_LIP_SYNC_VIDEO: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_lip_sync_video",
    name: "create_lip_sync_video",
    poll_with: Some("/v2/lip_sync_video/{task_id}"),
    schema: &Schema::of(&[
        req("video_url", Kind::Uri),
        req("audio_url", Kind::Uri),
        opt(
            "playback_type",
            Kind::StrEnum(&["normal", "normal_reverse", "normal_reverse_by_audio"]),
        ),
    ]),
};

/// `GET /v2/lip_sync_video/{task_id}`.
pub static GET_LIP_SYNC_VIDEO: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/lip_sync_video/{task_id}",
    name: "get_lip_sync_video",
    poll_with: None,
    schema: &Schema::of(&[req("task_id", Kind::Id)]),
};
