//! v1 projects: the state and result of every v1 video task.

use serde::Deserialize;
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

/// `GET /v1/project?project_id=`.
pub(crate) static GET_PROJECT: Endpoint<Project> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/project",
    name: "get_project",
    schema: &Schema::of(&[req("project_id", STR)]),
    polls: Some(&PROJECT),
    ..Operation::BASE
});

/// A v1 video of any kind (talking avatar, template, variables, URL, preview).
pub(crate) static PROJECT: TaskKind = TaskKind {
    poll: GET_PROJECT.op(),
    found: Found::ById("project_id"),
    id_members: &["project_id", "prj_id"],
    status: StatusForm::Values(&crate::operation::status::PROJECT_STATUS),
    events: &["generated_video_success", "generated_video_failed"],
};

/// A v1 project. Members the API adds later are kept in `extra`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Project {
    #[serde(deserialize_with = "de::id_string")]
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    /// Seconds; valid once the render succeeded.
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub video_duration: Option<f64>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub video_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    /// 1 start, 2 waiting, 3 processing, 4 success, 5 failed, 99 deleted (api-notes §6.1);
    /// one guide calls it `status` (D33).
    #[serde(deserialize_with = "de::lenient_i64", alias = "status")]
    pub status_code: i64,
    #[serde(default)]
    pub status_desc: Option<String>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub created_at: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Project {
    pub fn status(&self) -> TaskStatus {
        TaskStatus::from_project_code(self.status_code)
    }
}

/// The projects operations: `client.v1().projects()`.
#[derive(Clone, Copy, Debug)]
pub struct Projects<'c> {
    pub(crate) client: &'c Client,
}

impl Projects<'_> {
    /// The current state of a v1 project (any v1 video task).
    pub fn get(&self, project_id: &str) -> Result<Project> {
        let op = &GET_PROJECT;
        self.client.fetch(op, &json!({ "project_id": project_id }))
    }
}
