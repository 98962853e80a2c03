//! v2 visual styles (layouts for product videos).
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use serde_json::json;

use super::V2;
pub use crate::api::v1::visual_styles::{VisualStyle, VisualStyleList};
use crate::error::Result;
use crate::ops::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;
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

impl V2<'_> {
    /// The visual styles, all or only those made for one frame shape.
    pub fn list_visual_styles(&self, aspect_ratio: Option<Orientation>) -> Result<VisualStyleList> {
        let params = match aspect_ratio {
            Some(a) => json!({ "aspect_ratio": a }),
            None => json!({}),
        };
        let op = &LIST_VISUAL_STYLES;
        self.client.fetch(op, &params)
    }
}
