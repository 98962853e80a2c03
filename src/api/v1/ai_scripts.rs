//! v1 AI-written scripts.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v1/ai_scripts`.
pub static GENERATE_AI_SCRIPTS: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/ai_scripts",
    name: "generate_ai_scripts",
    poll_with: None,
    schema: &Schema {
        fields: &[
            opt("product_id", STR),
            opt("name", STR),
            opt("description", STR),
            opt("target_audience", STR),
            opt("video_length", Kind::StrEnum(&["15", "30", "60"])),
            req("language", STR),
        ],
        // A saved product, or one described by name and description (D58).
        rules: &[
            Rule::AtLeastOne(&["product_id", "name"]),
            Rule::RequiredWith {
                field: "description",
                when: "name",
            },
        ],
    },
};
