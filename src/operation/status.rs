//! One status vocabulary for every kind of task, and the tables that read each kind's own
//! status values into it.
//!
//! Kept apart from the task kinds (`task`) because webhook events speak it too: an event
//! says whether its task succeeded or failed, and a task kind reads events
//! (`TaskKind::settled`). With the vocabulary below both, an event needs nothing of the task
//! kinds.

use serde_json::Value;

/// One status vocabulary for every kind of task (api-notes §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Pending,
    Processing,
    Succeeded,
    Failed,
    /// The task was deleted before it finished; waiters treat it as a failure.
    Deleted,
    /// A value this library does not know: not terminal, so the deadline decides.
    Unknown,
}

impl TaskStatus {
    /// From a v1 project's `status_code`.
    pub fn from_project_code(code: i64) -> TaskStatus {
        PROJECT_STATUS.read(&Value::from(code))
    }

    /// From any of the words the tasks use (D32): the vocabulary every word-status kind falls
    /// back on when a value is not among those its operation declares.
    pub fn from_word(word: &str) -> TaskStatus {
        match word {
            "pending" | "waiting" | "queued" => TaskStatus::Pending,
            "processing" | "in_progress" | "running" => TaskStatus::Processing,
            "completed" | "success" | "succeeded" => TaskStatus::Succeeded,
            "failed" | "error" => TaskStatus::Failed,
            "deleted" => TaskStatus::Deleted,
            _ => TaskStatus::Unknown,
        }
    }

    /// From the integer status of avatar lists: 0 processing, 1 done, 2 failed (D31).
    pub fn from_avatar_code(code: i64) -> TaskStatus {
        AVATAR_STATUS.read(&Value::from(code))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Processing => "processing",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Deleted => "deleted",
            TaskStatus::Unknown => "unknown",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded | TaskStatus::Failed | TaskStatus::Deleted
        )
    }
}

/// How a task's status value reads: the first of `members` present holds it; `values` gives
/// each value the specs declare (an integer written as its decimal text) its meaning. A value
/// missing from the table is read as a word of the common vocabulary
/// ([`TaskStatus::from_word`]) when `words` is set, else it is unknown.
#[derive(Debug)]
pub struct StatusValues {
    pub members: &'static [&'static str],
    pub values: &'static [(&'static str, TaskStatus)],
    pub words: bool,
}

/// The v1 project's `status_code` (`status` in one guide, D33).
pub static PROJECT_STATUS: StatusValues = StatusValues {
    members: &["status_code", "status"],
    values: &[
        ("1", TaskStatus::Pending),
        ("2", TaskStatus::Pending),
        ("3", TaskStatus::Processing),
        ("4", TaskStatus::Succeeded),
        ("5", TaskStatus::Failed),
        ("99", TaskStatus::Deleted),
    ],
    words: false,
};

/// Avatars you made: integers in the lists, the v1 spec's `"0 processing"` forms, and the v2
/// instant avatars' words in `avatar_status` (D31).
pub static AVATAR_STATUS: StatusValues = StatusValues {
    members: &["status", "avatar_status"],
    values: &[
        ("0", TaskStatus::Processing),
        ("1", TaskStatus::Succeeded),
        ("2", TaskStatus::Failed),
        ("0 processing", TaskStatus::Processing),
        ("1 success", TaskStatus::Succeeded),
        ("2 failed", TaskStatus::Failed),
    ],
    words: true,
};

/// The words most v2 tasks use in `status` (videos, translations, products, AI scripts,
/// photo and product avatars).
pub static V2_TASK_STATUS: StatusValues = StatusValues {
    members: &["status"],
    values: &[
        ("pending", TaskStatus::Pending),
        ("processing", TaskStatus::Processing),
        ("completed", TaskStatus::Succeeded),
        ("failed", TaskStatus::Failed),
    ],
    words: true,
};

/// Photo generation's `status`, the same in v1 and v2.
pub static PHOTO_GENERATION_STATUS: StatusValues = StatusValues {
    members: &["status"],
    values: &[
        ("in_progress", TaskStatus::Processing),
        ("success", TaskStatus::Succeeded),
        ("error", TaskStatus::Failed),
    ],
    words: true,
};

impl StatusValues {
    /// The status of one raw value.
    pub fn read(&self, raw: &Value) -> TaskStatus {
        let text = match raw {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => match n.as_i64() {
                Some(i) => i.to_string(),
                None => return TaskStatus::Unknown,
            },
            _ => return TaskStatus::Unknown,
        };
        if let Some((_, status)) = self.values.iter().find(|(v, _)| *v == text) {
            return *status;
        }
        if self.words {
            return TaskStatus::from_word(&text);
        }
        TaskStatus::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_vocabularies() {
        assert_eq!(TaskStatus::from_project_code(2), TaskStatus::Pending);
        assert_eq!(TaskStatus::from_project_code(99), TaskStatus::Deleted);
        assert!(TaskStatus::from_project_code(5).is_terminal());
        assert!(!TaskStatus::from_project_code(42).is_terminal());
        assert_eq!(TaskStatus::from_word("in_progress"), TaskStatus::Processing);
        assert_eq!(TaskStatus::from_word("success"), TaskStatus::Succeeded);
        assert_eq!(TaskStatus::from_word("error"), TaskStatus::Failed);
        assert_eq!(TaskStatus::from_word("Completed"), TaskStatus::Unknown);
        assert_eq!(TaskStatus::from_avatar_code(2), TaskStatus::Failed);
    }

    #[test]
    fn values_read_numbers_numeric_text_and_spec_strings() {
        assert_eq!(PROJECT_STATUS.read(&json!("4")), TaskStatus::Succeeded);
        assert_eq!(PROJECT_STATUS.read(&json!(" 5 ")), TaskStatus::Failed);
        assert_eq!(
            PROJECT_STATUS.read(&json!("completed")),
            TaskStatus::Unknown
        );
        assert_eq!(
            AVATAR_STATUS.read(&json!("1 success")),
            TaskStatus::Succeeded
        );
        assert_eq!(AVATAR_STATUS.read(&json!("2 failed")), TaskStatus::Failed);
        assert_eq!(
            AVATAR_STATUS.read(&json!("completed")),
            TaskStatus::Succeeded
        );
        assert_eq!(AVATAR_STATUS.read(&json!(1.5)), TaskStatus::Unknown);
    }
}
