//! Waiting for a render: poll until a terminal status, with a growing interval, a deadline
//! and a progress callback that can cancel.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::v1::projects::{GET_PROJECT, Project};
use crate::client::Client;
use crate::error::{Code, Error, Result};

/// One status vocabulary for every kind of task (REFERENCE §6.3).
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
        match code {
            1 | 2 => TaskStatus::Pending,
            3 => TaskStatus::Processing,
            4 => TaskStatus::Succeeded,
            5 => TaskStatus::Failed,
            99 => TaskStatus::Deleted,
            _ => TaskStatus::Unknown,
        }
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

/// How long and how often to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long (`ERR_WAIT_TIMEOUT`); the last poll happens at the deadline.
    pub timeout: Duration,
    /// Pause after the first poll (which is immediate); each later pause is 1.5 times longer.
    pub initial_interval: Duration,
    /// The pause never grows beyond this.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    /// 30 minutes, polls 5 s apart growing to 30 s: the docs ask for no more than one poll
    /// per 5 s, and renders take from seconds to many minutes.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(30),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitOptionsJson {
    timeout_ms: Option<u64>,
    initial_interval_ms: Option<u64>,
    max_interval_ms: Option<u64>,
}

impl WaitOptions {
    /// Parses the options JSON of the C ABI; absent members keep their defaults.
    pub fn from_json(text: &str) -> Result<WaitOptions> {
        let parsed: WaitOptionsJson = serde_json::from_str(text).map_err(|e| {
            let msg = e.to_string();
            match msg.split('`').nth(1) {
                Some(field) if msg.starts_with("unknown field") => {
                    Error::validation(field, format!("unknown wait option: {msg}"))
                }
                _ if e.is_syntax() || e.is_eof() => {
                    let mut err = Error::new(
                        Code::InvalidJson,
                        format!("options_json: not valid JSON: {msg}"),
                    );
                    err.field = Some("options_json".into());
                    err
                }
                _ => Error::validation("options_json", msg),
            }
        })?;
        let mut o = WaitOptions::default();
        let ms = Duration::from_millis;
        if let Some(v) = parsed.timeout_ms {
            o.timeout = ms(v);
        }
        if let Some(v) = parsed.initial_interval_ms {
            o.initial_interval = ms(v);
        }
        if let Some(v) = parsed.max_interval_ms {
            o.max_interval = ms(v);
        }
        o.validate()?;
        Ok(o)
    }

    fn validate(&self) -> Result<()> {
        if self.initial_interval.is_zero() {
            return Err(Error::validation(
                "initial_interval_ms",
                "must be greater than 0",
            ));
        }
        if self.max_interval < self.initial_interval {
            return Err(Error::validation(
                "max_interval_ms",
                "must be at least initial_interval_ms",
            ));
        }
        Ok(())
    }
}

/// What the progress callback sees after each poll.
#[derive(Clone, Debug)]
pub struct Progress<'a> {
    pub project_id: &'a str,
    pub status: TaskStatus,
    /// The raw `status_code` (1, 2, 3, 4, 5, 99).
    pub status_code: i64,
    /// Since the wait started.
    pub elapsed: Duration,
    /// Polls so far, this one included.
    pub polls: u32,
    /// Pause before the next poll; `None` when this poll ends the wait.
    pub next_poll: Option<Duration>,
    /// The project as the API sent it.
    pub project: &'a Value,
}

impl Progress<'_> {
    /// The event JSON passed to a C progress callback.
    pub fn to_json(&self) -> Value {
        json!({
            "project_id": self.project_id,
            "status": self.status.as_str(),
            "status_code": self.status_code,
            "elapsed_ms": self.elapsed.as_millis() as u64,
            "polls": self.polls,
            "next_poll_ms": self.next_poll.map(|d| d.as_millis() as u64),
        })
    }
}

impl Client {
    /// Polls a v1 project until it succeeds (returns it), fails or is deleted
    /// (`ERR_TASK_FAILED`), the deadline passes (`ERR_WAIT_TIMEOUT`) or `on_progress`
    /// returns `Break` (`ERR_CANCELLED`). Every error carries the project id in `task_id`, so
    /// the caller can wait again later without creating (and paying for) a new video.
    pub fn wait_for_project(
        &self,
        project_id: &str,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Project> {
        let raw = self.wait_for_project_raw(project_id, options, on_progress)?;
        serde_json::from_value(raw).map_err(|e| {
            Error::new(Code::BadResponse, format!("project: {e}")).with_task(project_id)
        })
    }

    /// The same, returning the final project exactly as the API sent it.
    pub(crate) fn wait_for_project_raw(
        &self,
        project_id: &str,
        options: &WaitOptions,
        mut on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Value> {
        options.validate()?;
        let start = Instant::now();
        let mut interval = options.initial_interval;
        let mut polls = 0u32;
        loop {
            let reply = self
                .execute(&GET_PROJECT, &json!({ "project_id": project_id }))
                .map_err(|e| e.with_task(project_id))?;
            polls += 1;
            let project: Project = serde_json::from_value(reply.data.clone()).map_err(|e| {
                let mut err = Error::new(Code::BadResponse, format!("v1.get_project: {e}"));
                err.request_id = reply.request_id.clone();
                err.with_task(project_id)
            })?;
            let status = project.status();
            let elapsed = start.elapsed();
            let remaining = options.timeout.saturating_sub(elapsed);
            let next_poll =
                (!status.is_terminal() && !remaining.is_zero()).then(|| interval.min(remaining));
            let progress = Progress {
                project_id,
                status,
                status_code: project.status_code,
                elapsed,
                polls,
                next_poll,
                project: &reply.data,
            };
            if on_progress(&progress).is_break() {
                return Err(Error::new(
                    Code::Cancelled,
                    format!(
                        "waiting for project {project_id} was cancelled by the progress callback"
                    ),
                )
                .with_task(project_id));
            }
            match status {
                TaskStatus::Succeeded => return Ok(reply.data),
                TaskStatus::Failed | TaskStatus::Deleted => {
                    let mut e = Error::new(
                        Code::TaskFailed,
                        format!(
                            "project {project_id} ended with status {} ({})",
                            project.status_code,
                            project.status_desc.as_deref().unwrap_or(status.as_str())
                        ),
                    );
                    e.request_id = reply.request_id;
                    return Err(e.with_task(project_id));
                }
                _ => {}
            }
            let Some(pause) = next_poll else {
                return Err(Error::new(
                    Code::WaitTimeout,
                    format!(
                        "project {project_id} was still {} after {} ms ({polls} polls)",
                        status.as_str(),
                        elapsed.as_millis()
                    ),
                )
                .with_task(project_id));
            };
            std::thread::sleep(pause);
            interval = (interval.mul_f64(1.5)).min(options.max_interval);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes() {
        assert_eq!(TaskStatus::from_project_code(2), TaskStatus::Pending);
        assert_eq!(TaskStatus::from_project_code(99), TaskStatus::Deleted);
        assert!(TaskStatus::from_project_code(5).is_terminal());
        assert!(!TaskStatus::from_project_code(42).is_terminal());
    }

    #[test]
    fn options_json() {
        let o = WaitOptions::from_json(
            r#"{"timeout_ms": 10, "initial_interval_ms": 2, "max_interval_ms": 4}"#,
        )
        .unwrap();
        assert_eq!(o.timeout, Duration::from_millis(10));
        let e = WaitOptions::from_json(r#"{"timeout": 10}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("timeout"));
        let e = WaitOptions::from_json(r#"{"initial_interval_ms": 9, "max_interval_ms": 4}"#)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("max_interval_ms"));
        assert_eq!(
            WaitOptions::from_json("{").unwrap_err().code,
            Code::InvalidJson
        );
    }
}
