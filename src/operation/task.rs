//! Background tasks: what a create starts, how it is polled and how its status reads.
//!
//! Each kind of task is one [`TaskKind`] static, declared beside the operation that polls it
//! and referenced by the operations that start it ([`Operation::starts`]) and by the one that
//! polls it ([`Operation::polls`]). The wait loop, `jogg_wait`, `jogg_call_and_wait` and the
//! webhook event list all read these declarations; nothing names a task kind by a string.
//!
//! [`Operation::starts`]: super::Operation::starts
//! [`Operation::polls`]: super::Operation::polls

use serde_json::Value;

use super::Operation;
use super::status::{StatusValues, TaskStatus};
use crate::webhook::event::WebhookEvent;

/// What one poll says about a task: its normalised status, the raw status value, and the
/// task object (for list-polled kinds, the matching list item).
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    pub status: TaskStatus,
    pub raw_status: Value,
    pub task: Value,
}

/// What the task said about its end, for the error of a failed wait.
impl Observed {
    /// The task's own word for its status, when it has one beside the status value
    /// (`status_desc` of a v1 project: `"failed"`).
    pub fn status_text(&self) -> Option<&str> {
        self.task
            .get("status_desc")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    /// Why the task failed, as the API says it: `error_msg`, `fail_msg`, `err_msg`,
    /// `failure_reason`, or `error` (a text, or an object with a `message`), whichever the
    /// task kind carries (api-notes §6.4).
    pub fn failure_reason(&self) -> Option<&str> {
        const MEMBERS: [&str; 4] = ["error_msg", "fail_msg", "err_msg", "failure_reason"];
        fn text(v: &Value) -> Option<&str> {
            v.as_str().filter(|t| !t.trim().is_empty())
        }
        MEMBERS
            .iter()
            .find_map(|m| self.task.get(*m).and_then(text))
            .or_else(|| {
                let error = self.task.get("error")?;
                text(error).or_else(|| error.get("message").and_then(text))
            })
    }
}

/// How to follow one kind of background task.
#[derive(Debug)]
pub struct TaskKind {
    /// The operation that polls it.
    pub(crate) poll: &'static Operation,
    /// Where the poll finds the task: by its id as a parameter, or as an item of a list.
    pub(crate) found: Found,
    /// The members of a create reply that may hold the new task's id, in order of preference
    /// (D16: the names vary).
    pub(crate) id_members: &'static [&'static str],
    /// How the poll reply's status reads.
    pub(crate) status: StatusForm,
    /// The webhook events a task of this kind ends with (api-notes §8 and D50: the event
    /// names).
    pub(crate) events: &'static [&'static str],
}

/// Where a poll reply holds the task.
#[derive(Debug)]
pub enum Found {
    /// The poll takes the id in this parameter and answers with the task itself.
    ById(&'static str),
    /// The poll lists tasks (largest page); the task is the item of `list` whose member
    /// among `id_members` equals the id.
    InList {
        list: &'static str,
        id_members: &'static [&'static str],
    },
}

/// How a task's status reads.
#[derive(Debug)]
pub enum StatusForm {
    /// A status value in one of a few members, read by a table ([`StatusValues`]).
    Values(&'static StatusValues),
    /// A batch with a `summary` of counts: done when nothing is pending or processing,
    /// failed only if every item failed.
    BatchSummary,
}

impl StatusForm {
    fn observe(&self, task: &Value) -> Observed {
        match self {
            StatusForm::Values(values) => observe_values(values, task),
            StatusForm::BatchSummary => observe_batch(task),
        }
    }
}

fn observe_values(values: &StatusValues, task: &Value) -> Observed {
    let raw = values
        .members
        .iter()
        .find_map(|m| task.get(*m))
        .cloned()
        .unwrap_or(Value::Null);
    Observed {
        status: values.read(&raw),
        raw_status: raw,
        task: task.clone(),
    }
}

fn observe_batch(data: &Value) -> Observed {
    let count = |k: &str| {
        data.pointer(&format!("/summary/{k}"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    let (pending, processing, completed) =
        (count("pending"), count("processing"), count("completed"));
    let status = if data.get("summary").is_none() {
        TaskStatus::Unknown
    } else if pending > 0 && processing == 0 && completed == 0 {
        TaskStatus::Pending
    } else if pending + processing > 0 {
        TaskStatus::Processing
    } else if completed > 0 {
        TaskStatus::Succeeded
    } else {
        TaskStatus::Failed
    };
    Observed {
        status,
        raw_status: data.get("summary").cloned().unwrap_or(Value::Null),
        task: data.clone(),
    }
}

impl TaskKind {
    /// Reads a poll reply's `data` for the task `id`.
    pub fn observe(&self, data: &Value, id: &str) -> Observed {
        match &self.found {
            Found::ById(_) => self.status.observe(data),
            Found::InList { list, id_members } => {
                let item = data.get(*list).and_then(Value::as_array).and_then(|items| {
                    items.iter().find(|item| {
                        id_members
                            .iter()
                            .any(|m| item.get(*m).is_some_and(|v| id_text(v) == id))
                    })
                });
                match item {
                    Some(item) => self.status.observe(item),
                    // Not listed (yet): keep waiting; the deadline decides.
                    None => Observed {
                        status: TaskStatus::Unknown,
                        raw_status: Value::Null,
                        task: Value::Null,
                    },
                }
            }
        }
    }

    /// The operation that polls it (`v1.get_project`): the `poll_operation` of `jogg_wait`.
    pub fn poll_operation(&self) -> String {
        self.poll.full_name()
    }

    /// The members of a create reply that may hold a new task's id, preferred first.
    pub fn id_members(&self) -> &'static [&'static str] {
        self.id_members
    }

    /// The webhook events a task of this kind ends with.
    pub fn events(&self) -> &'static [&'static str] {
        self.events
    }

    /// The webhook events that end any of `kinds`, each once, in the order of `kinds`.
    pub(crate) fn events_of<'k>(
        kinds: impl IntoIterator<Item = &'k TaskKind>,
    ) -> Vec<&'static str> {
        let mut events: Vec<&'static str> = Vec::new();
        for kind in kinds {
            for event in kind.events {
                if !events.contains(event) {
                    events.push(event);
                }
            }
        }
        events
    }

    /// How the poll finds the task (for the library's own tests).
    #[cfg(feature = "internals")]
    pub fn found(&self) -> &Found {
        &self.found
    }

    /// How the status reads (for the library's own tests).
    #[cfg(feature = "internals")]
    pub fn status_form(&self) -> &StatusForm {
        &self.status
    }

    /// The task as a webhook delivery says it ended: `last` (the task as last polled; null
    /// before any poll) with the event's `data` members laid over it (the result URL, the
    /// error...), and its status member set to the value this kind declares for the event's
    /// outcome (`status_code` 4 or 5 for a v1 project), so that it reads like a poll's.
    pub fn settled(&self, last: &Value, event: &WebhookEvent) -> Value {
        let mut task = match last {
            Value::Object(m) => m.clone(),
            _ => serde_json::Map::new(),
        };
        if let Value::Object(data) = &event.data {
            task.extend(data.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let StatusForm::Values(values) = &self.status {
            let member = values
                .members
                .iter()
                .find(|m| task.contains_key(**m))
                .or(values.members.first());
            let value = values.values.iter().find(|(_, s)| *s == event.status);
            if let (Some(member), Some((text, _))) = (member, value) {
                let raw = text
                    .parse::<i64>()
                    .map_or_else(|_| Value::from(*text), Value::from);
                task.insert((*member).to_string(), raw);
            }
        }
        Value::Object(task)
    }

    /// The new task's id in a create reply.
    pub fn id_in(&self, created: &Value) -> Option<String> {
        self.id_members
            .iter()
            .find_map(|m| created.get(*m))
            .filter(|v| v.is_string() || v.is_number())
            .map(id_text)
    }

    /// The parameters of the poll for task `id`.
    pub(crate) fn poll_params(&self, id: &str) -> Value {
        match self.found {
            Found::ById(param) => serde_json::json!({ param: id }),
            // List-polled kinds: the largest page, so the task is on it.
            Found::InList { .. } if self.poll.schema.field("page_size").is_some() => {
                serde_json::json!({ "page_size": 100 })
            }
            Found::InList { .. } => serde_json::json!({}),
        }
    }
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_delivery_settles_the_last_polled_task() {
        let kind = &crate::api::v1::projects::PROJECT;
        let body =
            br#"{"event":"generated_video_success","data":{"project_id":"p","video_url":"u"}}"#;
        let event = WebhookEvent::from_body(body).unwrap();
        let last = json!({"id": "p", "status_code": 3, "video_url": "", "title": "t"});
        let task = kind.settled(&last, &event);
        assert_eq!(task["status_code"], 4);
        assert_eq!(task["video_url"], "u");
        assert_eq!(task["title"], "t");
        assert_eq!(kind.observe(&task, "p").status, TaskStatus::Succeeded);
        // Before any poll: the event's data alone, with the status.
        let task = kind.settled(&Value::Null, &event);
        assert_eq!(
            task,
            json!({"project_id": "p", "video_url": "u", "status_code": 4})
        );
    }

    #[test]
    fn failure_reasons_and_status_text() {
        let seen = |task: Value| Observed {
            status: TaskStatus::Failed,
            raw_status: json!(5),
            task,
        };
        let o = seen(json!({"status_code": 5, "status_desc": "failed"}));
        assert_eq!(o.status_text(), Some("failed"));
        assert_eq!(o.failure_reason(), None);
        for (task, reason) in [
            (json!({"error_msg": "no face"}), "no face"),
            (
                json!({"fail_msg": "", "error": {"code": 50000, "message": "bad audio"}}),
                "bad audio",
            ),
            (json!({"error": "too long"}), "too long"),
            (json!({"fail_msg": "left the frame"}), "left the frame"),
        ] {
            assert_eq!(seen(task).failure_reason(), Some(reason));
        }
        assert_eq!(
            seen(json!({"error": null, "status_desc": " "})).status_text(),
            None
        );
    }

    #[test]
    fn batches() {
        let o = observe_batch(
            &json!({"summary": {"total": 2, "pending": 0, "processing": 1, "completed": 1}}),
        );
        assert_eq!(o.status, TaskStatus::Processing);
        let o = observe_batch(
            &json!({"summary": {"total": 2, "pending": 0, "processing": 0, "failed": 2}}),
        );
        assert_eq!(o.status, TaskStatus::Failed);
    }
}
