//! v1 templates: the library and yours (designed in the web app).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::visual_styles::ShapeFilter;
use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::AspectRatio;

/// `GET /v1/templates`.
pub(crate) static LIST_TEMPLATES: Endpoint<TemplateList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/templates",
    name: "list_templates",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::IntEnum(&[-1, 0, 1, 2]))]),
    ..Operation::BASE
});

/// `GET /v1/templates/custom`.
pub(crate) static LIST_CUSTOM_TEMPLATES: Endpoint<TemplateList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/templates/custom",
    name: "list_custom_templates",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::IntEnum(&[-1, 0, 1, 2]))]),
    ..Operation::BASE
});

/// A video template.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Template {
    /// `template_id` in the v2 detail operation (D19).
    #[serde(alias = "template_id", deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub preview_url: Option<String>,
    /// 0 portrait, 1 landscape, 2 square.
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub aspect_ratio: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TemplateList {
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// The templates operations: `client.v1().templates()`.
#[derive(Clone, Copy, Debug)]
pub struct Templates<'c> {
    pub(crate) client: &'c Client,
}

impl Templates<'_> {
    /// Library templates of `aspect_ratio`, or of every shape with `None`; render one with
    /// [`TemplateType::Common`](crate::api::v1::videos::TemplateType).
    pub fn list(&self, aspect_ratio: Option<AspectRatio>) -> Result<TemplateList> {
        let op = &LIST_TEMPLATES;
        self.client.request(op, &ShapeFilter { aspect_ratio })
    }

    /// Your templates of `aspect_ratio`, or of every shape with `None`; render one with
    /// [`TemplateType::User`](crate::api::v1::videos::TemplateType).
    pub fn list_custom(&self, aspect_ratio: Option<AspectRatio>) -> Result<TemplateList> {
        let op = &LIST_CUSTOM_TEMPLATES;
        self.client.request(op, &ShapeFilter { aspect_ratio })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_id_under_either_name() {
        let list: TemplateList = serde_json::from_value(json!({"templates": [
            {"id": 136, "name": "a", "cover_url": "", "aspect_ratio": 0},
            {"template_id": "2400", "name": "b", "aspect_ratio": "1", "required": true}
        ]}))
        .unwrap();
        let t = &list.templates;
        assert_eq!((t[0].id, t[0].cover_url.as_deref()), (136, None));
        assert_eq!((t[1].id, t[1].aspect_ratio), (2400, Some(1)));
        assert_eq!(t[1].extra["required"], true);
    }
}
