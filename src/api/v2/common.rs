//! Shapes several v2 areas share: paging in and out, the history-list query, and a task's
//! `error`.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::de::{self, Members};
use crate::schema::{Kind, STR, Schema, int, opt};

/// Which page to fetch: pages start at 1; the API's default size is 10, at most 100.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PageParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
}

/// The v2 `pagination` object: where a page sits in the whole list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Pagination {
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page_size: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total_items: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total_pages: Option<i64>,
}

/// The `status` filter of the v2 history lists: the same numbers as v1 `status_code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListStatus {
    Processing,
    Succeeded,
    Failed,
}

impl ListStatus {
    pub fn as_i64(self) -> i64 {
        match self {
            ListStatus::Processing => 3,
            ListStatus::Succeeded => 4,
            ListStatus::Failed => 5,
        }
    }
}

impl Serialize for ListStatus {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_i64(self.as_i64())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Paging, filter and order of the v2 history lists (template videos, product videos,
/// product previews). Unset members take the API's defaults: page 1, 10 a page, every
/// status, newest first by `created_at`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VideoListQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// 1 to 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ListStatus>,
    /// A member of the items (`created_at` by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

/// The parameters of the history lists, as [`VideoListQuery`] sends them.
pub(crate) static VIDEO_LIST_QUERY: Schema = Schema::of(&[
    opt("page", int(Some(1), None)),
    opt("page_size", int(Some(1), Some(100))),
    opt("status", Kind::IntEnum(&[3, 4, 5])),
    opt("sort_by", STR),
    opt("sort_order", Kind::StrEnum(&["asc", "desc"])),
]);

/// A task's failure: a message, and a code where the API gives one (a number or a string,
/// D48).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TaskError {
    #[serde(default)]
    pub code: Option<Value>,
    #[serde(default)]
    pub message: Option<String>,
}

// The v2 results read with `Members` share this member.
impl Members {
    /// A task's `error`: `{code, message}`, or a bare message string (D51).
    pub(crate) fn error(&mut self) -> std::result::Result<Option<TaskError>, String> {
        match self.take(&["error"]) {
            None => Ok(None),
            Some(Value::String(message)) => Ok(Some(TaskError {
                code: None,
                message: Some(message),
            })),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| format!("error: {e}")),
        }
    }
}
