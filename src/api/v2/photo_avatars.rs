//! v2 photo avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/photo_avatar`.
pub static GET_PHOTO_AVATAR_MOTION: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/photo_avatar",
    name: "get_photo_avatar_motion",
    poll_with: None,
    schema: &Schema::of(&[req("motion_id", STR)]),
};

/// `POST /v2/photo_avatar/add_motion`.
pub static ADD_PHOTO_AVATAR_MOTION: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/photo_avatar/add_motion",
    name: "add_photo_avatar_motion",
    poll_with: Some("/v2/photo_avatar"),
    schema: &Schema::of(&[
        req("image_url", Kind::Uri),
        opt("photo_id", STR),
        req("name", STR),
        req("voice_id", STR),
        req("model", Kind::StrEnum(&["1.0", "2.0", "2.0-Pro", "3.0"])),
        opt("description", STR),
        opt("welcome_msg", STR),
    ]),
};

/// `GET /v2/photo_avatar/photo`.
pub static GET_PHOTO_GENERATION: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/photo_avatar/photo",
    name: "get_photo_generation",
    poll_with: None,
    schema: &Schema::of(&[req("photo_id", STR)]),
};

/// `POST /v2/photo_avatar/photo/generate`.
pub static GENERATE_AVATAR_PHOTO: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/photo_avatar/photo/generate",
    name: "generate_avatar_photo",
    poll_with: Some("/v2/photo_avatar/photo"),
    schema: &Schema::of(&[
        req(
            "age",
            Kind::StrEnum(&["Teenager", "Young adult", "Adult", "Elderly"]),
        ),
        req("avatar_style", Kind::StrEnum(&["Professional", "Social"])),
        req("gender", Kind::StrEnum(&["Female", "Male"])),
        req("model", Kind::StrEnum(&["classic", "modern"])),
        req(
            "aspect_ratio",
            Kind::StrEnum(&["portrait", "landscape", "square"]),
        ),
        opt(
            "ethnicity",
            Kind::StrEnum(&[
                "European",
                "African",
                "South Asian",
                "East Asian",
                "Middle Eastern",
                "South American",
                "North American",
            ]),
        ),
        opt("background", STR),
        opt("appearance", STR),
        opt("image_url", STR),
    ]),
};
