//! v1 background music.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v1/musics`.
pub static LIST_MUSICS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/musics",
    name: "list_musics",
    poll_with: None,
    schema: &Schema::of(&[]),
};

/// `GET /v1/musics/custom`.
pub static LIST_CUSTOM_MUSICS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/musics/custom",
    name: "list_custom_musics",
    poll_with: None,
    schema: &Schema::of(&[]),
};
