//! v2 templates.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/template/custom/{id}`.
pub static GET_CUSTOM_TEMPLATE: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template/custom/{id}",
    name: "get_custom_template",
    poll_with: None,
    schema: &Schema::of(&[req("id", Kind::Id)]),
};

/// `GET /v2/templates`.
pub static LIST_TEMPLATES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/templates",
    name: "list_templates",
    poll_with: None,
    schema: &Schema::of(&[opt(
        "aspect_ratio",
        Kind::StrEnum(&["portrait", "landscape", "square"]),
    )]),
};

/// `GET /v2/templates/custom`.
pub static LIST_CUSTOM_TEMPLATES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/templates/custom",
    name: "list_custom_templates",
    poll_with: None,
    schema: &Schema::of(&[opt(
        "aspect_ratio",
        Kind::StrEnum(&["portrait", "landscape", "square"]),
    )]),
};
