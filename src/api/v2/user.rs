//! v2 the account and its quota.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v2/user/remaining_quota`.
pub static GET_REMAINING_QUOTA: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/user/remaining_quota",
    name: "get_remaining_quota",
    poll_with: None,
    schema: &Schema::of(&[]),
};

/// `GET /v2/user/whoami`.
pub static GET_CURRENT_USER: Operation = Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/user/whoami",
    name: "get_current_user",
    poll_with: None,
    schema: &Schema::of(&[]),
};
