//! What `benches/inprocess.rs` measures of the request path without a server: each function
//! is the library's own step, called as a request calls it. Not part of the API.

use crate::Result;
use crate::operation::Method;
use crate::operation::Operation;
use crate::transport::{self, What};

/// A reply body read as every reply is: the common success envelope without a tree, the rest
/// by the general rules. Returns the `data` text.
pub fn read_reply(status: u16, body: &[u8]) -> Result<String> {
    let what = What(Method::Get, "/v1/project");
    transport::decode_envelope(status, body.to_vec(), || None, Method::Get, &what).map(|r| r.data)
}

/// The same body through the general rules alone (a `Value` tree, `data` written out again).
pub fn read_reply_general(status: u16, body: &[u8]) -> Result<String> {
    let what = What(Method::Get, "/v1/project");
    transport::general_rules(status, body, None, Method::Get, &what).map(|r| r.data)
}

/// An operation's params checked against its schema and placed, and the URL they make.
pub fn prepare(op: &Operation, params: &serde_json::Value, base_url: &str) -> Result<String> {
    let p = crate::operation::prepare(op, params)?;
    Ok(transport::build_url(base_url, &p.path, &p.query))
}
