//! v2 background music.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/musics`.
pub static LIST_MUSICS: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/musics",
    name: "list_musics",
    poll_with: None,
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
    ]),
};
