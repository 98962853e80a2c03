//! v2 AI-written scripts.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `POST /v2/ai_scripts`.
pub static CREATE_AI_SCRIPTS: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/ai_scripts",
    name: "create_ai_scripts",
    poll_with: Some("/v2/ai_scripts/results/{task_id}"),
    schema: &Schema::of(&[
        req("language", STR),
        req("video_length_seconds", Kind::StrEnum(&["15", "30", "60"])),
        req("script_style", STR),
        req(
            "product_info",
            Kind::Object(&Schema::of(&[
                req("source_type", Kind::StrEnum(&["id", "details"])),
                req(
                    "data",
                    Kind::Object(&Schema::of(&[
                        opt("id", STR),
                        opt("name", STR),
                        opt("description", STR),
                    ])),
                ),
            ])),
        ),
        opt("target_audience", STR),
    ]),
};

/// `GET /v2/ai_scripts/results/{task_id}`.
pub static GET_AI_SCRIPTS_RESULT: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/ai_scripts/results/{task_id}",
    name: "get_ai_scripts_result",
    poll_with: None,
    schema: &Schema::of(&[req("task_id", Kind::Id)]),
};
