//! v2 lip sync.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use super::common::TaskError;
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

/// `POST /v2/create_lip_sync_video`.
pub(crate) static CREATE_LIP_SYNC_VIDEO: Endpoint<CreatedLipSync> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_lip_sync_video",
    name: "create_lip_sync_video",
    schema: &Schema::of(&[
        req("video_url", Kind::Uri),
        req("audio_url", Kind::Uri),
        opt(
            "playback_type",
            Kind::StrEnum(&["normal", "normal_reverse", "normal_reverse_by_audio"]),
        ),
    ]),
    starts: Some(&LIP_SYNC),
    ..Operation::BASE
});

/// `GET /v2/lip_sync_video/{task_id}`.
pub(crate) static GET_LIP_SYNC_VIDEO: Endpoint<LipSyncTask> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/lip_sync_video/{task_id}",
    name: "get_lip_sync_video",
    schema: &Schema::of(&[req("task_id", Kind::Id)]),
    polls: Some(&LIP_SYNC),
    ..Operation::BASE
});

/// A lip-sync video (it says `success` where the others say `completed`).
pub(crate) static LIP_SYNC: TaskKind = TaskKind {
    poll: GET_LIP_SYNC_VIDEO.op(),
    found: Found::ById("task_id"),
    id_members: &["task_id"],
    status: StatusForm::Values(&StatusValues {
        members: &["status"],
        values: &[
            ("pending", TaskStatus::Pending),
            ("processing", TaskStatus::Processing),
            ("success", TaskStatus::Succeeded),
            ("failed", TaskStatus::Failed),
        ],
        words: true,
    }),
    events: &[],
};

/// What to do when the video is shorter than the audio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaybackType {
    /// Play the video once as it is (the default).
    Normal,
    /// Play forward then backward, looping, to cover the audio.
    NormalReverse,
    /// Stretch forward-backward play dynamically to the audio length.
    NormalReverseByAudio,
}

/// The request of [`LipSync::create`](crate::api::v2::lip_sync::LipSync::create): public, direct, non-expiring URLs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateLipSync {
    pub video_url: String,
    pub audio_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playback_type: Option<PlaybackType>,
}

/// A lip-sync task just created.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreatedLipSync {
    #[serde(deserialize_with = "de::id_string")]
    pub task_id: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// A lip-sync task: `status` is `pending`, `processing`, `success` or `failed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LipSyncTask {
    #[serde(deserialize_with = "de::id_string")]
    pub task_id: String,
    pub status: String,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub created_at: Option<i64>,
    /// `null` until the task ends (D67).
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub completed_at: Option<i64>,
    /// The result, once it succeeded.
    #[serde(default)]
    pub data: Option<LipSyncResult>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<TaskError>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LipSyncResult {
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub result_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_f64")]
    pub duration_seconds: Option<f64>,
}

/// The lip sync operations: `client.v2().lip_sync()`.
#[derive(Clone, Copy, Debug)]
pub struct LipSync<'c> {
    pub(crate) client: &'c Client,
}

impl LipSync<'_> {
    /// Starts redubbing `video_url` with `audio_url`; poll with [`LipSync::get`](crate::api::v2::lip_sync::LipSync::get).
    pub fn create(&self, request: &CreateLipSync) -> Result<CreatedLipSync> {
        let op = &CREATE_LIP_SYNC_VIDEO;
        self.client.request(op, request)
    }

    pub fn get(&self, task_id: &str) -> Result<LipSyncTask> {
        let op = &GET_LIP_SYNC_VIDEO;
        self.client.fetch(op, &json!({ "task_id": task_id }))
    }
}
