//! v2 visual styles (layouts for product videos).
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde_json::json;

pub use crate::api::v1::visual_styles::{VisualStyle, VisualStyleList};
use crate::client::Client;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::Orientation;

/// `GET /v2/visual_styles`.
pub(crate) static LIST_VISUAL_STYLES: Endpoint<VisualStyleList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/visual_styles",
    name: "list_visual_styles",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS))]),
    ..Operation::BASE
});

/// The visual styles operations: `client.v2().visual_styles()`.
#[derive(Clone, Copy, Debug)]
pub struct VisualStyles<'c> {
    pub(crate) client: &'c Client,
}

impl VisualStyles<'_> {
    /// The visual styles, all or only those made for one frame shape.
    pub fn list(&self, aspect_ratio: Option<Orientation>) -> Result<VisualStyleList> {
        let params = match aspect_ratio {
            Some(a) => json!({ "aspect_ratio": a }),
            None => json!({}),
        };
        let op = &LIST_VISUAL_STYLES;
        self.client.fetch(op, &params)
    }
}
