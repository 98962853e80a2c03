//! v2 AI-written scripts.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::{Deserializer, Error as _, Unexpected};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
pub use crate::types::{ScriptStyle, VideoLength};

/// `POST /v2/ai_scripts`.
pub(crate) static CREATE_AI_SCRIPTS: Endpoint<CreatedAiScripts> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/ai_scripts",
    name: "create_ai_scripts",
    schema: &Schema::of(&[
        req("language", STR),
        req("video_length_seconds", Kind::StrEnum(VideoLength::WORDS)),
        req("script_style", STR),
        req(
            "product_info",
            Kind::Object(&Schema::of(&[
                req("source_type", Kind::StrEnum(&["id", "details"])),
                req(
                    "data",
                    Kind::Object(&Schema::of(&[
                        opt("id", STR),
                        opt("name", STR),
                        opt("description", STR),
                    ])),
                ),
            ])),
        ),
        opt("target_audience", STR),
    ]),
    starts: Some(&AI_SCRIPTS),
    ..Operation::BASE
});

/// `GET /v2/ai_scripts/results/{task_id}`.
pub(crate) static GET_AI_SCRIPTS_RESULT: Endpoint<AiScriptsTask> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/ai_scripts/results/{task_id}",
    name: "get_ai_scripts_result",
    schema: &Schema::of(&[req("task_id", Kind::Id)]),
    polls: Some(&AI_SCRIPTS),
    ..Operation::BASE
});

/// AI-written scripts.
pub(crate) static AI_SCRIPTS: TaskKind = TaskKind {
    poll: GET_AI_SCRIPTS_RESULT.op(),
    found: Found::ById("task_id"),
    id_members: &["task_id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &["generated_script_success", "generated_script_failed"],
};

/// What the script is about: a product saved with `create_product`, or one described here.
/// Travels as `{source_type, data}` with only the members that source needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductInfo {
    /// A saved product's `product_id`.
    Id(String),
    Details {
        name: String,
        description: String,
    },
}

impl Serialize for ProductInfo {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let wire = match self {
            ProductInfo::Id(id) => json!({"source_type": "id", "data": {"id": id}}),
            ProductInfo::Details { name, description } => json!({
                "source_type": "details",
                "data": {"name": name, "description": description},
            }),
        };
        wire.serialize(s)
    }
}

/// The request of [`Scripts::create`](crate::api::v2::ai_scripts::Scripts::create).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateAiScripts {
    /// A lowercase English language name (`english`, `spanish`...; D26).
    pub language: String,
    pub video_length_seconds: VideoLength,
    pub script_style: ScriptStyle,
    pub product_info: ProductInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_audience: Option<String>,
}

/// A script task just started.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreatedAiScripts {
    #[serde(deserialize_with = "de::id_string")]
    pub task_id: String,
}

/// One generated script.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GeneratedScript {
    #[serde(default)]
    pub script_style: Option<String>,
    /// An array in the v2 spec, one string in v1 and the script webhook (D40); a string is
    /// split into its non-empty lines.
    #[serde(default, deserialize_with = "paragraphs")]
    pub script_paragraphs: Vec<String>,
}

impl GeneratedScript {
    /// The whole script, paragraphs separated by a blank line.
    pub fn text(&self) -> String {
        self.script_paragraphs.join("\n\n")
    }
}

fn paragraphs<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                other => Err(D::Error::invalid_type(
                    Unexpected::Other(&other.to_string()),
                    &"a paragraph string",
                )),
            })
            .collect(),
        other => Err(D::Error::invalid_type(
            Unexpected::Other(&other.to_string()),
            &"a string or an array of strings",
        )),
    }
}

/// A script task: `status` is `pending`, `processing`, `completed` or `failed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "RawAiScriptsTask")]
pub struct AiScriptsTask {
    pub task_id: String,
    pub status: String,
    /// The scripts, once completed: several styles per task.
    pub scripts: Vec<GeneratedScript>,
    /// Why it failed (the Postman sample also shows one on a completed task).
    pub err_msg: Option<String>,
    pub extra: Map<String, Value>,
}

/// The wire form: scripts under `data.generated_scripts` (spec), `scripts` (webhook), or at
/// the top level (D40).
#[derive(Deserialize)]
struct RawAiScriptsTask {
    #[serde(deserialize_with = "de::id_string")]
    task_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    data: Option<ScriptsHolder>,
    #[serde(default, alias = "scripts")]
    generated_scripts: Option<Vec<GeneratedScript>>,
    #[serde(default, alias = "error_msg", deserialize_with = "de::opt_nonempty")]
    err_msg: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct ScriptsHolder {
    #[serde(default, alias = "scripts")]
    generated_scripts: Vec<GeneratedScript>,
}

impl From<RawAiScriptsTask> for AiScriptsTask {
    fn from(raw: RawAiScriptsTask) -> AiScriptsTask {
        let scripts = raw
            .data
            .map(|d| d.generated_scripts)
            .filter(|s| !s.is_empty())
            .or(raw.generated_scripts)
            .unwrap_or_default();
        AiScriptsTask {
            task_id: raw.task_id,
            status: raw.status,
            scripts,
            err_msg: raw.err_msg,
            extra: raw.extra,
        }
    }
}

/// The AI script operations: `client.v2().scripts()`.
#[derive(Clone, Copy, Debug)]
pub struct Scripts<'c> {
    pub(crate) client: &'c Client,
}

impl Scripts<'_> {
    /// Starts writing scripts for a product (async, costs credits: 0.2 a call); poll with
    /// [`Scripts::get_result`](crate::api::v2::ai_scripts::Scripts::get_result), usually done within a minute.
    pub fn create(&self, request: &CreateAiScripts) -> Result<CreatedAiScripts> {
        let op = &CREATE_AI_SCRIPTS;
        self.client.request(op, request)
    }

    /// A script task's state, with its scripts once completed.
    pub fn get_result(&self, task_id: &str) -> Result<AiScriptsTask> {
        let op = &GET_AI_SCRIPTS_RESULT;
        self.client.fetch(op, &json!({ "task_id": task_id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_info_has_the_wire_shape() {
        let id = serde_json::to_value(ProductInfo::Id("NTQ0".into())).unwrap();
        assert_eq!(id, json!({"source_type": "id", "data": {"id": "NTQ0"}}));
        let details = serde_json::to_value(ProductInfo::Details {
            name: "Bottle".into(),
            description: "Keeps water cold".into(),
        })
        .unwrap();
        assert_eq!(
            details,
            json!({"source_type": "details", "data": {"name": "Bottle", "description": "Keeps water cold"}})
        );
        let style = serde_json::to_value(ScriptStyle::DONT_WORRY).unwrap();
        assert_eq!(style, json!("Don't Worry"));
        assert_eq!(
            serde_json::to_value(VideoLength::Seconds30).unwrap(),
            json!("30")
        );
    }

    #[test]
    fn scripts_decode_from_the_spec_shape() {
        // v2 spec: nested `data.generated_scripts`, paragraphs as an array.
        let t: AiScriptsTask = serde_json::from_value(json!({
            "task_id": "task_1",
            "status": "completed",
            "data": {"generated_scripts": [
                {"script_style": "Storytime", "script_paragraphs": ["One.", "Two."]}
            ]}
        }))
        .unwrap();
        assert_eq!(t.scripts.len(), 1);
        assert_eq!(t.scripts[0].script_paragraphs, ["One.", "Two."]);
        assert_eq!(t.scripts[0].text(), "One.\n\nTwo.");
        assert_eq!(t.err_msg, None);
    }

    #[test]
    fn scripts_decode_from_the_webhook_shape() {
        // D40: the script webhook says `scripts` and gives each script as one string.
        let t: AiScriptsTask = serde_json::from_value(json!({
            "task_id": 12,
            "status": "completed",
            "scripts": [{"script_style": "Data", "script_paragraphs": "First line.\n\nSecond line.\n"}]
        }))
        .unwrap();
        assert_eq!(t.task_id, "12");
        assert_eq!(
            t.scripts[0].script_paragraphs,
            ["First line.", "Second line."]
        );
        // `data.scripts` is read too, and a failure keeps its message.
        let t: AiScriptsTask = serde_json::from_value(json!({
            "task_id": "t", "status": "completed",
            "data": {"scripts": [{"script_style": "Data", "script_paragraphs": "Only."}]}
        }))
        .unwrap();
        assert_eq!(t.scripts[0].script_paragraphs, ["Only."]);
        let t: AiScriptsTask = serde_json::from_value(
            json!({"task_id": "t", "status": "failed", "data": null, "err_msg": "no product"}),
        )
        .unwrap();
        assert!(t.scripts.is_empty());
        assert_eq!(t.err_msg.as_deref(), Some("no product"));
        assert!(
            serde_json::from_value::<GeneratedScript>(json!({"script_paragraphs": [1]})).is_err()
        );
    }
}
