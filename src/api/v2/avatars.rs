//! v2 avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/avatars/public`.
pub static LIST_PUBLIC_AVATARS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/public",
    name: "list_public_avatars",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt(
            "aspect_ratio",
            Kind::StrEnum(&["portrait", "landscape", "square"]),
        ),
        opt("style", Kind::StrEnum(&["professional", "social"])),
        opt("gender", Kind::StrEnum(&["female", "male"])),
        opt("age", Kind::StrEnum(&["adult", "senior", "young_adult"])),
        opt(
            "scene",
            Kind::StrEnum(&[
                "lifestyle",
                "outdoors",
                "business",
                "studio",
                "health_fitness",
                "education",
                "news",
            ]),
        ),
        opt(
            "ethnicity",
            Kind::StrEnum(&[
                "european",
                "african",
                "south_asian",
                "east_asian",
                "middle_eastern",
                "south_american",
                "north_american",
            ]),
        ),
    ]),
};

/// `GET /v2/avatars/custom`.
pub static LIST_CUSTOM_AVATARS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/custom",
    name: "list_custom_avatars",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("name", STR),
        opt(
            "status",
            Kind::StrEnum(&["processing", "completed", "failed"]),
        ),
    ]),
};

/// `GET /v2/avatars/photo_avatars`.
pub static LIST_PHOTO_AVATARS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/photo_avatars",
    name: "list_photo_avatars",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("name", STR),
        opt(
            "status",
            Kind::StrEnum(&["processing", "completed", "failed"]),
        ),
    ]),
};

/// `GET /v2/avatars/product_avatars`.
pub static LIST_PRODUCT_AVATARS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/product_avatars",
    name: "list_product_avatars",
    poll_with: None,
    schema: &Schema::of(&[opt(
        "aspect_ratio",
        Kind::StrEnum(&["portrait", "landscape"]),
    )]),
};
