//! v2 voices.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/voices`.
pub static LIST_VOICES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/voices",
    name: "list_voices",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("gender", Kind::StrEnum(&["female", "male"])),
        opt("language", STR),
        opt("age", Kind::StrEnum(&["young", "middle_aged", "old"])),
        opt("use_case", STR),
    ]),
};

/// `GET /v2/voices/custom`.
pub static LIST_CUSTOM_VOICES: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/voices/custom",
    name: "list_custom_voices",
    poll_with: None,
    schema: &Schema::of(&[opt("language", STR)]),
};
