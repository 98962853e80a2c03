//! v1 AI-written scripts: synchronous, several styles per call.

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::types::VideoLength;

/// `POST /v1/ai_scripts`.
pub(crate) static GENERATE_AI_SCRIPTS: Endpoint<AiScripts> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/ai_scripts",
    name: "generate_ai_scripts",
    schema: &Schema {
        fields: &[
            opt("product_id", STR),
            opt("name", STR),
            opt("description", STR),
            opt("target_audience", STR),
            opt("video_length", Kind::StrEnum(VideoLength::WORDS)),
            req("language", STR),
        ],
        // A saved product, or one described by name and description (D58).
        rules: &[Rule::AnyOf(&[&["product_id"], &["name", "description"]])],
    },
    ..Operation::BASE
});

/// What the scripts are about: a stored product, or one described here (D58).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptProduct {
    /// A product created with `create_product`.
    Saved {
        product_id: String,
    },
    Described {
        name: String,
        description: String,
    },
}

/// The request of [`Scripts::generate`](crate::api::v1::ai_scripts::Scripts::generate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateAiScripts {
    pub product: ScriptProduct,
    /// A lowercase English name (`english`, `spanish`...); the API's default is `english`.
    pub language: String,
    pub target_audience: Option<String>,
    pub video_length: Option<VideoLength>,
}

impl GenerateAiScripts {
    /// English scripts about a stored product.
    pub fn for_product(product_id: impl Into<String>) -> Self {
        GenerateAiScripts {
            product: ScriptProduct::Saved {
                product_id: product_id.into(),
            },
            language: "english".into(),
            target_audience: None,
            video_length: None,
        }
    }

    /// English scripts about a product described by `name` and `description`.
    pub fn described(name: impl Into<String>, description: impl Into<String>) -> Self {
        GenerateAiScripts {
            product: ScriptProduct::Described {
                name: name.into(),
                description: description.into(),
            },
            language: "english".into(),
            target_audience: None,
            video_length: None,
        }
    }
}

#[derive(Serialize)]
struct Wire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_audience: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    video_length: Option<VideoLength>,
    language: &'a str,
}

impl Serialize for GenerateAiScripts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let (product_id, name, description) = match &self.product {
            ScriptProduct::Saved { product_id } => (Some(product_id.as_str()), None, None),
            ScriptProduct::Described { name, description } => {
                (None, Some(name.as_str()), Some(description.as_str()))
            }
        };
        Wire {
            product_id,
            name,
            description,
            target_audience: self.target_audience.as_deref(),
            video_length: self.video_length,
            language: &self.language,
        }
        .serialize(s)
    }
}

/// Scripts written in several styles by one call.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AiScripts {
    /// `scripts` in the v2 webhook payload (D40).
    #[serde(default, alias = "scripts")]
    pub generated_scripts: Vec<GeneratedScript>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GeneratedScript {
    /// Free text: the generator's names differ from the request styles (`Storytime`,
    /// `Light marketing`, even `Storytime.`; D25).
    #[serde(default)]
    pub script_style: String,
    /// The whole script. v1 sends one string, v2 an array of paragraphs, which are joined
    /// with line breaks here (D40).
    #[serde(default, deserialize_with = "paragraphs")]
    pub script_paragraphs: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn paragraphs<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                other => Err(D::Error::custom(format!(
                    "a script paragraph must be a string, got {other}"
                ))),
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(|parts| parts.join("\n")),
        other => Err(D::Error::custom(format!(
            "script_paragraphs must be a string or an array of strings, got {other}"
        ))),
    }
}

/// The AI script operations: `client.v1().scripts()`.
#[derive(Clone, Copy, Debug)]
pub struct Scripts<'c> {
    pub(crate) client: &'c Client,
}

impl Scripts<'_> {
    /// Writes product-video scripts in several styles, synchronously (no task to poll).
    /// Costs credits (0.2 per call). Use a script as
    /// [`ProductVideo::override_script`](crate::api::v1::videos::ProductVideo) or in a
    /// template's script variable.
    pub fn generate(&self, request: &GenerateAiScripts) -> Result<AiScripts> {
        let op = &GENERATE_AI_SCRIPTS;
        self.client.request(op, request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paragraphs_as_string_or_array_and_scripts_alias() {
        let v1: AiScripts = serde_json::from_value(json!({"generated_scripts": [
            {"script_style": "Storytime.", "script_paragraphs": "One. Two."}
        ]}))
        .unwrap();
        assert_eq!(v1.generated_scripts[0].script_paragraphs, "One. Two.");
        assert_eq!(v1.generated_scripts[0].script_style, "Storytime.");
        let v2: AiScripts = serde_json::from_value(json!({"scripts": [
            {"script_style": "Data", "script_paragraphs": ["One.", "Two."]}
        ]}))
        .unwrap();
        assert_eq!(v2.generated_scripts[0].script_paragraphs, "One.\nTwo.");
        assert!(
            serde_json::from_value::<GeneratedScript>(json!({"script_paragraphs": [1]})).is_err()
        );
    }

    #[test]
    fn one_product_form_is_sent() {
        let mut r = GenerateAiScripts::described("Mug", "Keeps tea hot");
        r.video_length = Some(VideoLength::Seconds30);
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"name": "Mug", "description": "Keeps tea hot", "video_length": "30",
                "language": "english"})
        );
        let r = GenerateAiScripts::for_product("p1");
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"product_id": "p1", "language": "english"})
        );
    }
}
