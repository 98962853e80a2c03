//! Typed operations, by API version and area. Each area module holds an operation's table
//! entry (path and parameter schema), its request and response types, and the `Client` method.

pub mod v1;
pub mod v2;
