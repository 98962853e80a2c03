//! v2 visual styles (layouts for product videos).
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/visual_styles`.
pub static LIST_VISUAL_STYLES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/visual_styles",
    name: "list_visual_styles",
    poll_with: None,
    schema: &Schema::of(&[opt(
        "aspect_ratio",
        Kind::StrEnum(&["portrait", "landscape", "square"]),
    )]),
};
