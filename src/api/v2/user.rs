//! v2 the account and its quota.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};

/// `GET /v2/user/remaining_quota`.
pub(crate) static GET_REMAINING_QUOTA: Endpoint<Quota> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/user/remaining_quota",
    name: "get_remaining_quota",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// `GET /v2/user/whoami`.
pub(crate) static GET_CURRENT_USER: Endpoint<CurrentUser> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/user/whoami",
    name: "get_current_user",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// The account a key belongs to.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CurrentUser {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Deserialize)]
pub(crate) struct Quota {
    #[serde(deserialize_with = "de::opt_f64")]
    remaining_quota: Option<f64>,
}

/// The user operations: `client.v2().account()`.
#[derive(Clone, Copy, Debug)]
pub struct Account<'c> {
    pub(crate) client: &'c Client,
}

impl Account<'_> {
    /// Who the API key belongs to; also the cheapest way to check a key.
    pub fn current_user(&self) -> Result<CurrentUser> {
        let op = &GET_CURRENT_USER;
        self.client.fetch(op, &json!({}))
    }

    /// Credits left (a float in the spec, sometimes an integer: D66).
    pub fn remaining_quota(&self) -> Result<f64> {
        let op = &GET_REMAINING_QUOTA;
        let quota: Quota = self.client.fetch(op, &json!({}))?;
        Ok(quota.remaining_quota.unwrap_or(0.0))
    }
}
