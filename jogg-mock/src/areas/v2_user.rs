//! v2 user: who the key belongs to and how many credits are left.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.get_current_user", current_user),
    ("v2.get_remaining_quota", remaining_quota),
];

fn current_user(_call: &Call) -> Result<Value, ApiError> {
    Ok(json!({"email": "developer@example.com", "username": "jogg-mock"}))
}

/// A float, as in the v2 spec (D66).
fn remaining_quota(_call: &Call) -> Result<Value, ApiError> {
    Ok(json!({"remaining_quota": 1000.0}))
}
