//! v2 product avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/product_avatar`.
pub static GET_PRODUCT_AVATAR_MOTION: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_avatar",
    name: "get_product_avatar_motion",
    poll_with: None,
    schema: &Schema::of(&[req("motion_id", STR)]),
};

/// `POST /v2/product_avatar/add_motion`.
pub static ADD_PRODUCT_AVATAR_MOTION: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/product_avatar/add_motion",
    name: "add_product_avatar_motion",
    poll_with: Some("/v2/product_avatar"),
    schema: &Schema::of(&[
        req("generation_id", STR),
        opt("model", int(Some(0), Some(2))),
        req("name", STR),
        req("voice_id", STR),
        req("description", STR),
        opt(
            "aspect_ratio",
            Kind::StrEnum(&["portrait", "landscape", "square"]),
        ),
    ]),
};

/// `POST /v2/product_avatar/generation`.
pub static GENERATE_PRODUCT_AVATAR_IMAGES: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/product_avatar/generation",
    name: "generate_product_avatar_images",
    poll_with: Some("/v2/product_avatar/generation/{batch_id}"),
    schema: &Schema::of(&[
        req("product_image_url", Kind::Uri),
        req(
            "avatar_source",
            Kind::Object(&Schema {
                fields: &[
                    req("type", Kind::StrEnum(&["id", "image", "description"])),
                    opt("value", STR),
                    opt("avatar_id", INT),
                    opt("avatar_type", Kind::StrEnum(&["public", "photo", "custom"])),
                ],
                rules: &[
                    Rule::Case {
                        when: "type",
                        equals: "id",
                        require: &["avatar_id", "avatar_type"],
                        forbid: &[],
                    },
                    Rule::Case {
                        when: "type",
                        equals: "image",
                        require: &["value"],
                        forbid: &[],
                    },
                    Rule::Case {
                        when: "type",
                        equals: "description",
                        require: &["value"],
                        forbid: &[],
                    },
                ],
            }),
        ),
        opt("prompt", STR),
        req("quality", Kind::StrEnum(&["medium", "high", "low"])),
        req("aspect_ratio", Kind::StrEnum(&["3:2", "2:3", "1:1"])),
        req("num_images", int(Some(1), Some(4))),
        opt("webhook_url", Kind::Uri),
    ]),
};

/// `GET /v2/product_avatar/generation/{batch_id}`.
pub static GET_PRODUCT_AVATAR_GENERATION: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_avatar/generation/{batch_id}",
    name: "get_product_avatar_generation",
    poll_with: None,
    schema: &Schema::of(&[req("batch_id", Kind::Id)]),
};
