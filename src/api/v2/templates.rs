//! v2 templates.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de::Members;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::Orientation;

/// `GET /v2/template/custom/{id}`.
pub(crate) static GET_CUSTOM_TEMPLATE: Endpoint<TemplateDetail> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/template/custom/{id}",
    name: "get_custom_template",
    schema: &Schema::of(&[req("id", Kind::Id)]),
    ..Operation::BASE
});

/// `GET /v2/templates`.
pub(crate) static LIST_TEMPLATES: Endpoint<TemplateList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/templates",
    name: "list_templates",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS))]),
    ..Operation::BASE
});

/// `GET /v2/templates/custom`.
pub(crate) static LIST_CUSTOM_TEMPLATES: Endpoint<TemplateList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/templates/custom",
    name: "list_custom_templates",
    schema: &Schema::of(&[opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS))]),
    ..Operation::BASE
});

// ---------------------------------------------------------------------------
// Typed API

/// A template of the library or of yours. Ids are integers in the spec and strings like
/// `tmpl_123` in the guides (D19), so they are kept as strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// `id`, or `template_id` in the detail answer.
    pub id: String,
    pub name: Option<String>,
    pub cover_url: Option<String>,
    pub preview_url: Option<String>,
    /// 0 portrait, 1 landscape, 2 square (v2 answers with the integers).
    pub aspect_ratio: Option<i64>,
    pub extra: Map<String, Value>,
}

impl Template {
    fn take(m: &mut Members) -> std::result::Result<Template, String> {
        Ok(Template {
            id: m.required(&["id", "template_id"])?,
            name: m.string(&["name"])?,
            cover_url: m.string(&["cover_url"])?,
            preview_url: m.string(&["preview_url"])?,
            aspect_ratio: m.i64(&["aspect_ratio"])?,
            extra: Map::new(),
        })
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let mut t = Template::take(&mut m).map_err(D::Error::custom)?;
        t.extra = m.into_extra();
        Ok(t)
    }
}

/// A list of templates: `{templates: [...]}` per the spec. The Postman sample shows one
/// template object in its place (D49), which reads as a list of one.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateList {
    pub templates: Vec<Template>,
}

impl<'de> Deserialize<'de> for TemplateList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let templates = match Value::deserialize(d)? {
            Value::Null => Vec::new(),
            Value::Array(items) => {
                serde_json::from_value(Value::Array(items)).map_err(D::Error::custom)?
            }
            Value::Object(mut obj) => match obj.remove("templates") {
                Some(Value::Null) => Vec::new(),
                Some(list) => serde_json::from_value(list).map_err(D::Error::custom)?,
                None if obj.contains_key("id") || obj.contains_key("template_id") => {
                    vec![serde_json::from_value(Value::Object(obj)).map_err(D::Error::custom)?]
                }
                None => Vec::new(),
            },
            other => {
                return Err(D::Error::custom(format!(
                    "expected a template list, got {other}"
                )));
            }
        };
        Ok(TemplateList { templates })
    }
}

/// One of your templates with the variables a render may replace.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateDetail {
    pub template: Template,
    pub variables: Vec<TemplateVariableInfo>,
}

impl<'de> Deserialize<'de> for TemplateDetail {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let variables = match m.take(&["variables"]) {
            None => Vec::new(),
            Some(list) => serde_json::from_value(list).map_err(D::Error::custom)?,
        };
        let mut template = Template::take(&mut m).map_err(D::Error::custom)?;
        template.extra = m.into_extra();
        Ok(TemplateDetail {
            template,
            variables,
        })
    }
}

/// A variable of a template, by the name [`TemplateVariable`](super::videos::TemplateVariable)
/// must use.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TemplateVariableInfo {
    pub name: String,
    /// `text`, `image`, `video` or `script`; kept as sent.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Only in the guides and an unused spec schema (D19).
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Serialize)]
struct ByShape {
    #[serde(skip_serializing_if = "Option::is_none")]
    aspect_ratio: Option<Orientation>,
}

/// The templates operations: `client.v2().templates()`.
#[derive(Clone, Copy, Debug)]
pub struct Templates<'c> {
    pub(crate) client: &'c Client,
}

impl Templates<'_> {
    /// The template library, optionally only one frame shape (a less documented
    /// operation, D14).
    pub fn list(&self, aspect_ratio: Option<Orientation>) -> Result<TemplateList> {
        let op = &LIST_TEMPLATES;
        self.client.request(op, &ByShape { aspect_ratio })
    }

    /// Your templates (designed in the web app), optionally only one frame shape.
    pub fn list_custom(&self, aspect_ratio: Option<Orientation>) -> Result<TemplateList> {
        let op = &LIST_CUSTOM_TEMPLATES;
        self.client.request(op, &ByShape { aspect_ratio })
    }

    /// One of your templates with its variables. The id is an integer in the spec; any id
    /// string is passed through (D19).
    pub fn get_custom(&self, id: &str) -> Result<TemplateDetail> {
        let op = &GET_CUSTOM_TEMPLATE;
        self.client.fetch(op, &json!({ "id": id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_detail_id_under_either_name() {
        // D19: `template_id` (spec) or `id` (guide), `required` only in the guide.
        let spec: TemplateDetail = serde_json::from_value(json!({
            "template_id": 123, "name": "T", "aspect_ratio": 0,
            "variables": [{"type": "text", "name": "title"}]
        }))
        .unwrap();
        let guide: TemplateDetail = serde_json::from_value(json!({
            "id": "tmpl_123", "name": "T", "aspect_ratio": "0",
            "variables": [{"type": "text", "name": "title", "required": true}]
        }))
        .unwrap();
        assert_eq!(spec.template.id, "123");
        assert_eq!(guide.template.id, "tmpl_123");
        assert_eq!(spec.template.aspect_ratio, guide.template.aspect_ratio);
        assert_eq!(spec.variables[0].required, None);
        assert_eq!(guide.variables[0].required, Some(true));
        assert_eq!(guide.variables[0].kind.as_deref(), Some("text"));
        assert!(serde_json::from_value::<TemplateDetail>(json!({"name": "no id"})).is_err());
    }

    #[test]
    fn template_list_or_single_object() {
        // D49: the Postman sample has one template object where the list should be.
        let item = json!({"id": 149, "name": "Product Showcase", "aspect_ratio": 1});
        let list: TemplateList =
            serde_json::from_value(json!({"templates": [item.clone()]})).unwrap();
        let single: TemplateList = serde_json::from_value(item.clone()).unwrap();
        let bare: TemplateList = serde_json::from_value(json!([item])).unwrap();
        assert_eq!(list, single);
        assert_eq!(list, bare);
        assert_eq!(list.templates[0].id, "149");
        let empty: TemplateList = serde_json::from_value(json!({"templates": null})).unwrap();
        assert!(empty.templates.is_empty());
    }
}
