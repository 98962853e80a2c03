//! Waiting for background tasks: poll until a terminal status, with a growing interval, a
//! deadline, a poll budget and a progress callback that can cancel. One loop serves every
//! kind of task (v1 projects, v2 videos, lip sync, translations, photo avatars...): each
//! [`TaskKind`] says how to poll it and how to read its status, and the result speaks one
//! status vocabulary whatever words the task kind uses (api-notes §6.3).

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::v1::projects::{self, Project};
use crate::client::Client;
use crate::error::{Code, Error, Result};
use crate::ops::Operation;
use crate::task::{TaskKind, TaskStatus};

/// The least time a poll gets to answer, even at the wait's deadline (where the last poll
/// happens): a wait ends within `timeout` plus this.
pub(crate) const POLL_GRACE: Duration = Duration::from_secs(1);

/// How long, how often and how many times to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long (`ERR_WAIT_TIMEOUT`); the last poll happens at the deadline.
    /// Each poll request gets what is left of it (at least 1 s) and no retry starts past it,
    /// so the wait returns within `timeout` plus 1 s whatever the server does; a poll that
    /// gets no answer by then is `ERR_WAIT_TIMEOUT` too.
    pub timeout: Duration,
    /// Pause after the first poll (which is immediate); each later pause is 1.5 times longer.
    pub initial_interval: Duration,
    /// The pause never grows beyond this.
    pub max_interval: Duration,
    /// At most this many polls per task (`ERR_WAIT_TIMEOUT` when spent); `None`: no budget.
    pub max_polls: Option<u32>,
}

impl Default for WaitOptions {
    /// 30 minutes, polls 5 s apart growing to 30 s: the docs ask for no more than one poll
    /// per 5 s, and renders take from seconds to many minutes.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(30),
            max_polls: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitOptionsJson {
    timeout_ms: Option<u64>,
    initial_interval_ms: Option<u64>,
    max_interval_ms: Option<u64>,
    max_polls: Option<u32>,
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
        o.max_polls = parsed.max_polls;
        o.validate()?;
        Ok(o)
    }

    /// The pause that follows `pause`: 1.5 times longer, up to `max_interval`.
    fn grow(&self, pause: Duration) -> Duration {
        pause.mul_f64(1.5).min(self.max_interval)
    }

    /// When the polls of a task happen, relative to the start of the wait (ignoring request
    /// time): the first at once, then after each pause. For planning and benchmarks.
    pub fn poll_offsets(&self) -> impl Iterator<Item = Duration> + '_ {
        let mut at = Duration::ZERO;
        let mut pause = self.initial_interval;
        let mut polls = 0u32;
        std::iter::from_fn(move || {
            if at > self.timeout || self.max_polls.is_some_and(|max| polls >= max) {
                return None;
            }
            let this = at;
            polls += 1;
            at = (at + pause).min(self.timeout.max(at + Duration::from_nanos(1)));
            if this == self.timeout {
                at = self.timeout + Duration::from_nanos(1);
            }
            pause = self.grow(pause);
            Some(this)
        })
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
        if self.max_polls == Some(0) {
            return Err(Error::validation("max_polls", "must be at least 1"));
        }
        Ok(())
    }
}

/// What the progress callback sees after each poll.
#[derive(Clone, Debug)]
pub struct Progress<'a> {
    /// The task's id.
    pub id: &'a str,
    /// The operation polling it (`v1.get_project`).
    pub operation: String,
    pub status: TaskStatus,
    /// The status as the API wrote it (`3`, `"in_progress"`...).
    pub raw_status: &'a Value,
    /// Since the wait started.
    pub elapsed: Duration,
    /// Polls of this task so far, this one included.
    pub polls: u32,
    /// Pause before this task's next poll; `None` when this poll ends its wait.
    pub next_poll: Option<Duration>,
    /// The task as the API sent it.
    pub task: &'a Value,
}

impl Progress<'_> {
    /// The event JSON passed to a C progress callback.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "operation": self.operation,
            "status": self.status.as_str(),
            "raw_status": self.raw_status,
            "elapsed_ms": self.elapsed.as_millis() as u64,
            "polls": self.polls,
            "next_poll_ms": self.next_poll.map(|d| d.as_millis() as u64),
        })
    }
}

/// A task that reached success.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub id: String,
    pub status: TaskStatus,
    /// The task as the API sent it at the last poll.
    pub task: Value,
    pub polls: u32,
    pub elapsed: Duration,
}

impl Finished {
    /// The result JSON of `jogg_wait`: the normalised status beside the raw task.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "status": self.status.as_str(),
            "polls": self.polls,
            "elapsed_ms": self.elapsed.as_millis() as u64,
            "task": self.task,
        })
    }
}

/// One task being waited on.
struct Tracked<'k> {
    kind: &'k TaskKind,
    id: String,
    polls: u32,
    interval: Duration,
    due: Instant,
    outcome: Option<Result<Finished>>,
}

impl Client {
    /// Polls a task of `kind` until it succeeds (returns it), fails or is deleted
    /// (`ERR_TASK_FAILED`), the deadline passes or the poll budget is spent
    /// (`ERR_WAIT_TIMEOUT`), or `on_progress` returns `Break` (`ERR_CANCELLED`). Every
    /// error carries the task id in `task_id`, so the caller can wait again later without
    /// creating (and paying for) a new task.
    pub fn wait(
        &self,
        kind: &TaskKind,
        id: &str,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Finished> {
        self.wait_many(&[(kind, id.to_string())], options, on_progress)
            .pop()
            .expect("one result per task")
    }

    /// Waits on many tasks from this one thread, polling only the unfinished ones, each on
    /// its own growing interval, and reporting every poll through `on_progress`. Returns one
    /// result per task, in the order given. Cancelling stops every unfinished task.
    pub fn wait_many(
        &self,
        tasks: &[(&TaskKind, String)],
        options: &WaitOptions,
        mut on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Vec<Result<Finished>> {
        if let Err(e) = options.validate() {
            return tasks.iter().map(|_| Err(e.clone())).collect();
        }
        let start = Instant::now();
        let deadline = start + options.timeout;
        let mut tracked: Vec<Tracked> = tasks
            .iter()
            .map(|(kind, id)| Tracked {
                kind,
                id: id.clone(),
                polls: 0,
                interval: options.initial_interval,
                due: start,
                outcome: None,
            })
            .collect();
        while let Some(i) = tracked
            .iter()
            .enumerate()
            .filter(|(_, t)| t.outcome.is_none())
            .min_by_key(|(_, t)| t.due)
            .map(|(i, _)| i)
        {
            let now = Instant::now();
            if tracked[i].due > now {
                std::thread::sleep(tracked[i].due - now);
            }
            let cancelled =
                self.poll_once(&mut tracked[i], options, start, deadline, &mut on_progress);
            if cancelled {
                for t in tracked.iter_mut().filter(|t| t.outcome.is_none()) {
                    t.outcome = Some(Err(Error::new(
                        Code::Cancelled,
                        format!(
                            "waiting for {} was cancelled by the progress callback",
                            t.id
                        ),
                    )
                    .with_task(&t.id)));
                }
            }
        }
        tracked
            .into_iter()
            .map(|t| self.scrubbed(t.outcome.expect("every task ends with an outcome")))
            .collect()
    }

    /// Polls one task once, reports it, and settles or reschedules it. True if the callback
    /// asked to cancel.
    fn poll_once(
        &self,
        t: &mut Tracked,
        options: &WaitOptions,
        start: Instant,
        deadline: Instant,
        on_progress: &mut impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> bool {
        let op = t.kind.poll;
        // Never past deadline + grace: with many tasks due at the deadline, the later polls
        // share one grace rather than get one each.
        let until = deadline
            .max(Instant::now() + POLL_GRACE)
            .min(deadline + POLL_GRACE);
        let reply = match self.execute_until(op, &t.kind.poll_params(&t.id), Some(until)) {
            Ok(reply) => reply,
            // The wait's time ran out while the poll waited for an answer: a wait timeout,
            // like a last poll that says "still rendering".
            Err(e)
                if matches!(e.code, Code::Timeout | Code::Connect)
                    && Instant::now() >= deadline =>
            {
                let waited = start.elapsed().as_millis();
                let mut w = Error::new(
                    Code::WaitTimeout,
                    format!(
                        "{} got no answer about {} within the wait's {} ms ({waited} ms \
                         waited): {}",
                        t.kind.poll.full_name(),
                        t.id,
                        options.timeout.as_millis(),
                        e.message
                    ),
                );
                w.request_id = e.request_id.clone();
                t.outcome = Some(Err(w.with_task(&t.id)));
                return false;
            }
            Err(e) => {
                t.outcome = Some(Err(e.with_task(&t.id)));
                return false;
            }
        };
        t.polls += 1;
        let seen = t.kind.observe(&reply.data, &t.id);
        let now = Instant::now();
        let elapsed = now - start;
        let budget_left = options.max_polls.is_none_or(|max| t.polls < max);
        let next_poll = (!seen.status.is_terminal() && now < deadline && budget_left)
            .then(|| t.interval.min(deadline - now));
        let progress = Progress {
            id: &t.id,
            operation: t.kind.poll.full_name(),
            status: seen.status,
            raw_status: &seen.raw_status,
            elapsed,
            polls: t.polls,
            next_poll,
            task: &seen.task,
        };
        if on_progress(&progress).is_break() {
            return true;
        }
        let id = t.id.clone();
        t.outcome = match seen.status {
            TaskStatus::Succeeded => Some(Ok(Finished {
                id,
                status: seen.status,
                task: seen.task,
                polls: t.polls,
                elapsed,
            })),
            TaskStatus::Failed | TaskStatus::Deleted => {
                // What the API said about it: its status text, and why, when it says.
                let text = seen.status_text().map(|t| format!(", {t:?}"));
                let reason = seen.failure_reason().map(str::to_string);
                let mut e = Error::new(
                    Code::TaskFailed,
                    format!(
                        "{} {id} ended {} (status {}{}){}",
                        t.kind.poll.full_name(),
                        seen.status.as_str(),
                        seen.raw_status,
                        text.unwrap_or_default(),
                        reason
                            .as_deref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    ),
                );
                e.api_message = reason;
                e.request_id = reply.request_id;
                Some(Err(e.with_task(&id)))
            }
            _ => next_poll.is_none().then(|| {
                let why = if budget_left {
                    format!("after {} ms", elapsed.as_millis())
                } else {
                    format!("after its budget of {} polls", t.polls)
                };
                Err(Error::new(
                    Code::WaitTimeout,
                    format!("{id} was still {} {why}", seen.status.as_str()),
                )
                .with_task(&id))
            }),
        };
        if let Some(pause) = next_poll {
            t.due = now + pause;
            t.interval = options.grow(t.interval);
        }
        false
    }

    /// Waits on a v1 project (any v1 video task) and returns it decoded: the main job's
    /// shorthand for `wait` with the `v1.get_project` kind.
    pub fn wait_for_project(
        &self,
        project_id: &str,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Project> {
        let done = self.wait(&projects::PROJECT, project_id, options, on_progress)?;
        self.scrubbed(serde_json::from_value(done.task).map_err(|e| {
            Error::new(Code::BadResponse, format!("project: {e}")).with_task(project_id)
        }))
    }

    /// Starts a task with `create` (JSON params, validated) and waits for it. If the wait
    /// fails after the task was created, the error's `task_id` holds the id: wait on it again
    /// rather than creating (and paying) anew.
    pub fn create_and_wait(
        &self,
        create: &Operation,
        params: &Value,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<(Value, Finished)> {
        let kind = create.starts.ok_or_else(|| {
            Error::validation(
                "operation",
                format!("{:?} does not start a task to wait for", create.full_name()),
            )
        })?;
        options.validate()?;
        let created = self.execute(create, params)?.data;
        let id = self.scrubbed(kind.id_in(&created).ok_or_else(|| {
            Error::new(
                Code::BadResponse,
                format!(
                    "{}: no task id ({}) in the reply",
                    create.full_name(),
                    kind.id_members.join(" or ")
                ),
            )
        }))?;
        let done = self.wait(kind, &id, options, on_progress)?;
        Ok((created, done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_offsets_follow_the_schedule() {
        let o = WaitOptions {
            timeout: Duration::from_secs(60),
            initial_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(20),
            max_polls: None,
        };
        let secs: Vec<f64> = o.poll_offsets().map(|d| d.as_secs_f64()).collect();
        assert_eq!(secs, [0.0, 5.0, 12.5, 23.75, 40.625, 60.0]);
        let budget = WaitOptions {
            max_polls: Some(2),
            ..o
        };
        assert_eq!(budget.poll_offsets().count(), 2);
    }

    #[test]
    fn options_json() {
        let o = WaitOptions::from_json(
            r#"{"timeout_ms": 10, "initial_interval_ms": 2, "max_interval_ms": 4, "max_polls": 3}"#,
        )
        .unwrap();
        assert_eq!(o.timeout, Duration::from_millis(10));
        assert_eq!(o.max_polls, Some(3));
        let e = WaitOptions::from_json(r#"{"timeout": 10}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("timeout"));
        let e = WaitOptions::from_json(r#"{"initial_interval_ms": 9, "max_interval_ms": 4}"#)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("max_interval_ms"));
        assert_eq!(
            WaitOptions::from_json("{").unwrap_err().code,
            Code::InvalidJson
        );
        let e = WaitOptions::from_json(r#"{"max_polls": 0}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("max_polls"));
    }
}
