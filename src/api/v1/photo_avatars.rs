//! v1 photo avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v1/photo_avatar/photo/generate`.
pub static GENERATE_AVATAR_PHOTO: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/photo_avatar/photo/generate",
    name: "generate_avatar_photo",
    poll_with: Some("/photo_avatar/generation"),
    schema: &Schema::of(&[
        req(
            "age",
            Kind::StrEnum(&["Teenager", "Young adult", "Adult", "Elderly"]),
        ),
        opt("appearance", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1])),
        req("avatar_style", Kind::StrEnum(&["Professional", "Social"])),
        opt("background", STR),
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
        req("gender", Kind::StrEnum(&["Female", "Male"])),
        opt("image_url", STR),
        req("model", Kind::StrEnum(&["classic", "modern"])),
    ]),
};

/// `POST /v1/photo_avatar/new_look/generate`.
pub static GENERATE_AVATAR_NEW_LOOK: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/photo_avatar/new_look/generate",
    name: "generate_avatar_new_look",
    poll_with: Some("/photo_avatar/generation"),
    schema: &Schema::of(&[
        req(
            "age",
            Kind::StrEnum(&["Teenager", "Young adult", "Adult", "Elderly"]),
        ),
        opt("appearance", STR),
        req("aspect_ratio", Kind::IntEnum(&[0, 1])),
        req("avatar_style", Kind::StrEnum(&["Professional", "Social"])),
        opt("background", STR),
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
        req("gender", Kind::StrEnum(&["Female", "Male"])),
        req("image_url", STR),
        req("model", Kind::StrEnum(&["classic", "modern"])),
    ]),
};

/// `GET /v1/photo_avatar/generation`.
pub static GET_PHOTO_GENERATION: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/photo_avatar/generation",
    name: "get_photo_generation",
    poll_with: None,
    schema: &Schema::of(&[opt("photo_id", STR)]),
};

/// `POST /v1/photo_avatar/add_motion`.
pub static ADD_PHOTO_AVATAR_MOTION: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/photo_avatar/add_motion",
    name: "add_photo_avatar_motion",
    poll_with: Some("/photo_avatar"),
    schema: &Schema::of(&[
        opt("description", STR),
        req("image_url", STR),
        req("model", Kind::StrEnum(&["1.0", "2.0", "2.0-Pro", "3.0"])),
        req("name", STR),
        opt("photo_id", STR),
        opt("welcome_msg", STR),
        req("voice_id", STR),
    ]),
};

/// `GET /v1/photo_avatar`.
pub static GET_PHOTO_AVATAR_MOTION: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/photo_avatar",
    name: "get_photo_avatar_motion",
    poll_with: None,
    schema: &Schema::of(&[req("motion_id", STR)]),
};
