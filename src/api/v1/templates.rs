//! v1 templates.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v1/templates`.
pub static LIST_TEMPLATES: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/templates",
    name: "list_templates",
    poll_with: None,
    schema: &Schema::of(&[opt("aspect_ratio", Kind::IntEnum(&[-1, 0, 1, 2]))]),
};

/// `GET /v1/templates/custom`.
pub static LIST_CUSTOM_TEMPLATES: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/templates/custom",
    name: "list_custom_templates",
    poll_with: None,
    schema: &Schema::of(&[opt("aspect_ratio", Kind::IntEnum(&[-1, 0, 1, 2]))]),
};
