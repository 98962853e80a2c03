//! Typed operations, by API version and area. Each area module holds an operation's table
//! entry (path and parameter schema), its request and response types, and the `Client` method.

pub mod v1;
pub mod v2;

use crate::wait::TaskStatus;

/// A task's state from the status word of a typed result (`task_status()` of photo
/// generations, motions and the v2 renders; REFERENCE §6.3). Only the documented words: the
/// waiter's [`TaskStatus::from_word`] also reads `queued`, `running` and the like.
pub(crate) fn word_status(status: &str) -> TaskStatus {
    match status {
        "pending" => TaskStatus::Pending,
        "processing" | "in_progress" => TaskStatus::Processing,
        "completed" | "success" => TaskStatus::Succeeded,
        "failed" | "error" => TaskStatus::Failed,
        _ => TaskStatus::Unknown,
    }
}
