//! v1 visual styles (layouts for product videos).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::AspectRatio;

/// `GET /v1/visual_styles`.
pub(crate) static LIST_VISUAL_STYLES: Endpoint<VisualStyleList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/visual_styles",
    name: "list_visual_styles",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::IntEnum(&[-1, 0, 1, 2]))]),
    ..Operation::BASE
});

/// A layout for product videos; its `name` is what they take as `visual_style`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VisualStyle {
    #[serde(deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VisualStyleList {
    #[serde(default)]
    pub visual_styles: Vec<VisualStyle>,
}

/// The query of the v1 list operations filtered by shape: `None` sends nothing, which the
/// API reads as `-1`, every shape.
#[derive(Serialize)]
pub(crate) struct ShapeFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) aspect_ratio: Option<AspectRatio>,
}

/// The visual styles operations: `client.v1().visual_styles()`.
#[derive(Clone, Copy, Debug)]
pub struct VisualStyles<'c> {
    pub(crate) client: &'c Client,
}

impl VisualStyles<'_> {
    /// The visual styles available for `aspect_ratio`, or for every shape with `None`.
    pub fn list(&self, aspect_ratio: Option<AspectRatio>) -> Result<VisualStyleList> {
        let op = &LIST_VISUAL_STYLES;
        self.client.request(op, &ShapeFilter { aspect_ratio })
    }
}
