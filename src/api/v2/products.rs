//! v2 products and product videos.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v2/create_video_from_product`.
pub static CREATE_VIDEO_FROM_PRODUCT: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product",
    name: "create_video_from_product",
    poll_with: Some("/v2/product_video/{product_video_id}"),
    schema: &Schema::of(&[
        req("product_id", STR),
        opt("visual_style", STR),
        req(
            "video_spec",
            Kind::Object(&Schema::of(&[
                opt(
                    "aspect_ratio",
                    Kind::StrEnum(&["portrait", "landscape", "square"]),
                ),
                req("length", Kind::StrEnum(&["15", "30", "60"])),
                opt("caption", Kind::Bool),
                opt("name", STR),
            ])),
        ),
        req(
            "avatar",
            Kind::Object(&Schema::of(&[
                req("id", INT),
                opt("type", Kind::IntEnum(&[0, 1])),
            ])),
        ),
        req("voice", Kind::Object(&Schema::of(&[opt("id", STR)]))),
        req(
            "audio",
            Kind::Object(&Schema::of(&[opt("music_id", int(Some(0), None))])),
        ),
        req(
            "script",
            Kind::Object(&Schema::of(&[req("style", STR), req("language", STR)])),
        ),
        opt("override_script", STR),
        opt("webhook_url", Kind::Uri),
    ]),
};

/// `POST /v2/create_video_from_product/preview_list`.
pub static CREATE_PRODUCT_PREVIEWS: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product/preview_list",
    name: "create_product_previews",
    poll_with: Some("/v2/product_previews"),
    schema: &Schema::of(&[
        req("product_id", STR),
        req("visual_styles", Kind::Array(&STR)),
        req(
            "video_spec",
            Kind::Object(&Schema::of(&[
                opt(
                    "aspect_ratio",
                    Kind::StrEnum(&["portrait", "landscape", "square"]),
                ),
                req("length", Kind::StrEnum(&["15", "30", "60"])),
                opt("caption", Kind::Bool),
                opt("name", STR),
            ])),
        ),
        req(
            "avatar",
            Kind::Object(&Schema::of(&[
                req("id", INT),
                opt("type", Kind::IntEnum(&[0, 1])),
            ])),
        ),
        req("voice", Kind::Object(&Schema::of(&[opt("id", STR)]))),
        req(
            "audio",
            Kind::Object(&Schema::of(&[opt("music_id", int(Some(0), None))])),
        ),
        req(
            "script",
            // The spec's `language` slipped out of `script`; send it in both places (D37).
            Kind::Object(&Schema::of(&[req("style", STR), opt("language", STR)])),
        ),
        opt("language", STR),
        opt("override_script", STR),
        opt("webhook_url", Kind::Uri),
    ]),
};

/// `POST /v2/create_video_from_product/render_single_preview`.
pub static RENDER_PRODUCT_PREVIEW: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product/render_single_preview",
    name: "render_product_preview",
    poll_with: Some("/v2/product_video/{product_video_id}"),
    schema: &Schema::of(&[req("preview_id", STR)]),
};

/// `POST /v2/product`.
pub static CREATE_PRODUCT: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/product",
    name: "create_product",
    poll_with: None,
    schema: &Schema {
        fields: &[
            opt("url", STR),
            opt("name", STR),
            opt("description", STR),
            opt("target_audience", STR),
            opt(
                "media",
                Kind::Array(&Kind::Object(&Schema::of(&[
                    opt("type", Kind::IntEnum(&[1, 2])),
                    opt("name", STR),
                    opt("url", STR),
                    opt("description", STR),
                ]))),
            ),
        ],
        // Without a URL the product is described by hand (D57).
        rules: &[Rule::AtLeastOne(&["url", "name"])],
    },
};

/// `PUT /v2/product`.
pub static UPDATE_PRODUCT: Operation = Operation {
    version: Version::V2,
    method: Method::Put,
    path: "/v2/product",
    name: "update_product",
    poll_with: None,
    schema: &Schema::of(&[
        req("product_id", STR),
        opt("name", STR),
        opt("description", STR),
        opt("target_audience", STR),
        opt(
            "media",
            Kind::Array(&Kind::Object(&Schema::of(&[
                opt("type", Kind::IntEnum(&[1, 2])),
                opt("name", STR),
                opt("url", STR),
                opt("description", STR),
            ]))),
        ),
    ]),
};

/// `GET /v2/product_previews`.
pub static LIST_PRODUCT_PREVIEWS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_previews",
    name: "list_product_previews",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("status", Kind::IntEnum(&[3, 4, 5])),
        opt("sort_by", STR),
        opt("sort_order", Kind::StrEnum(&["asc", "desc"])),
    ]),
};

/// `GET /v2/product_video/{product_video_id}`.
pub static GET_PRODUCT_VIDEO: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_video/{product_video_id}",
    name: "get_product_video",
    poll_with: None,
    schema: &Schema::of(&[req("product_video_id", Kind::Id)]),
};

/// `GET /v2/product_videos`.
pub static LIST_PRODUCT_VIDEOS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_videos",
    name: "list_product_videos",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("status", Kind::IntEnum(&[3, 4, 5])),
        opt("sort_by", STR),
        opt("sort_order", Kind::StrEnum(&["asc", "desc"])),
    ]),
};
