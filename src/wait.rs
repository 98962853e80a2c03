//! Waiting for background tasks: poll until a terminal status, with a growing interval, a
//! deadline, a poll budget and a progress callback that can cancel. One loop serves every
//! kind of task (v1 projects, v2 videos, lip sync, translations, photo avatars...): each
//! [`TaskKind`] says how to poll it and how to read its status, and the result speaks one
//! status vocabulary whatever words the task kind uses (REFERENCE §6.3).

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::v1::projects::Project;
use crate::client::Client;
use crate::error::{Code, Error, Result};
use crate::ops::{self, Operation};

/// The least time a poll gets to answer, even at the wait's deadline (where the last poll
/// happens): a wait ends within `timeout` plus this.
pub(crate) const POLL_GRACE: Duration = Duration::from_secs(1);

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

    /// From the words the v2 tasks, photo jobs and lip sync use (D32).
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
        match code {
            0 => TaskStatus::Processing,
            1 => TaskStatus::Succeeded,
            2 => TaskStatus::Failed,
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

/// What one poll says about a task: its normalised status, the raw status value, and the
/// task object (for list-polled kinds, the matching list item).
pub struct Observed {
    pub status: TaskStatus,
    pub raw_status: Value,
    pub task: Value,
}

/// How to follow one kind of background task.
#[derive(Debug)]
pub struct TaskKind {
    /// The operation that polls it (`v1.get_project`).
    pub poll: &'static str,
    /// The poll operation's parameter that takes the task id.
    pub id_param: &'static str,
    /// The operations that start such a task, and the members of their reply that may hold
    /// the new task's id, in order of preference (D16: names vary).
    pub created_by: &'static [&'static str],
    pub id_members: &'static [&'static str],
    /// Reads the status from a poll reply's `data`; `id` finds the task in list replies.
    pub observe: fn(data: &Value, id: &str) -> Observed,
}

fn observe_project(data: &Value, _id: &str) -> Observed {
    // `status_code`, or `status` in one guide (D33); an int or a numeric string.
    let raw = data
        .get("status_code")
        .or_else(|| data.get("status"))
        .cloned()
        .unwrap_or(Value::Null);
    let code = raw
        .as_i64()
        .or_else(|| raw.as_str().and_then(|s| s.trim().parse().ok()));
    Observed {
        status: code.map_or(TaskStatus::Unknown, TaskStatus::from_project_code),
        raw_status: raw,
        task: data.clone(),
    }
}

fn observe_word(data: &Value, _id: &str) -> Observed {
    let raw = data.get("status").cloned().unwrap_or(Value::Null);
    Observed {
        status: raw
            .as_str()
            .map_or(TaskStatus::Unknown, TaskStatus::from_word),
        raw_status: raw,
        task: data.clone(),
    }
}

/// A product-avatar image batch is done when nothing is pending or processing; it failed
/// only if every image failed.
fn observe_batch(data: &Value, _id: &str) -> Observed {
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

/// The v1 instant avatar has no status operation: find it in the custom-avatar list (D64).
fn observe_in_avatar_list(data: &Value, id: &str) -> Observed {
    observe_list_item(data, id, "avatars", &["avatar_id", "id"], |raw| {
        raw.as_i64()
            .map_or(TaskStatus::Unknown, TaskStatus::from_avatar_code)
    })
}

/// Product previews are only visible in their list, by `id` == `preview_id` (D63).
fn observe_in_preview_list(data: &Value, id: &str) -> Observed {
    observe_list_item(data, id, "previews", &["id", "preview_id"], |raw| {
        raw.as_str()
            .map_or(TaskStatus::Unknown, TaskStatus::from_word)
    })
}

fn observe_list_item(
    data: &Value,
    id: &str,
    list: &str,
    id_members: &[&str],
    status: fn(&Value) -> TaskStatus,
) -> Observed {
    let item = data.get(list).and_then(Value::as_array).and_then(|items| {
        items.iter().find(|item| {
            id_members
                .iter()
                .any(|m| item.get(*m).is_some_and(|v| id_text(v) == id))
        })
    });
    match item {
        Some(item) => {
            let raw = item
                .get("status")
                .or_else(|| item.get("avatar_status"))
                .cloned()
                .unwrap_or(Value::Null);
            Observed {
                status: status(&raw),
                raw_status: raw,
                task: item.clone(),
            }
        }
        // Not listed (yet): keep waiting; the deadline decides.
        None => Observed {
            status: TaskStatus::Unknown,
            raw_status: Value::Null,
            task: Value::Null,
        },
    }
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every kind of background task the API has (REFERENCE §6.2).
pub static TASK_KINDS: &[TaskKind] = &[
    TaskKind {
        poll: "v1.get_project",
        id_param: "project_id",
        created_by: &[
            "v1.create_video_from_talking_avatar",
            "v1.create_video_with_template",
            "v1.create_video_with_variables",
            "v1.create_video_from_url",
            "v1.create_preview_video",
        ],
        id_members: &["project_id", "prj_id"],
        observe: observe_project,
    },
    TaskKind {
        poll: "v1.list_custom_avatars",
        id_param: "",
        created_by: &["v1.create_instant_avatar"],
        id_members: &["avatar_id", "id"],
        observe: observe_in_avatar_list,
    },
    TaskKind {
        poll: "v1.get_photo_generation",
        id_param: "photo_id",
        created_by: &["v1.generate_avatar_photo", "v1.generate_avatar_new_look"],
        id_members: &["photo_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v1.get_photo_avatar_motion",
        id_param: "motion_id",
        created_by: &["v1.add_photo_avatar_motion"],
        id_members: &["motion_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_avatar_video",
        id_param: "id",
        created_by: &["v2.create_video_from_avatar"],
        id_members: &["video_id", "id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_template_video",
        id_param: "video_id",
        created_by: &["v2.create_video_with_template"],
        id_members: &["video_id", "id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_product_video",
        id_param: "product_video_id",
        created_by: &["v2.create_video_from_product", "v2.render_product_preview"],
        id_members: &["video_id", "product_video_id", "id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.list_product_previews",
        id_param: "",
        created_by: &[],
        id_members: &["preview_id"],
        observe: observe_in_preview_list,
    },
    TaskKind {
        poll: "v2.get_lip_sync_video",
        id_param: "task_id",
        created_by: &["v2.create_lip_sync_video"],
        id_members: &["task_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_video_translation",
        id_param: "video_translate_id",
        created_by: &["v2.create_video_translation"],
        id_members: &["video_translate_id", "id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_ai_scripts_result",
        id_param: "task_id",
        created_by: &["v2.create_ai_scripts"],
        id_members: &["task_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_photo_generation",
        id_param: "photo_id",
        created_by: &["v2.generate_avatar_photo"],
        id_members: &["photo_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_photo_avatar_motion",
        id_param: "motion_id",
        created_by: &["v2.add_photo_avatar_motion"],
        id_members: &["motion_id"],
        observe: observe_word,
    },
    TaskKind {
        poll: "v2.get_product_avatar_generation",
        id_param: "batch_id",
        created_by: &["v2.generate_product_avatar_images"],
        id_members: &["batch_id"],
        observe: observe_batch,
    },
    TaskKind {
        poll: "v2.get_product_avatar_motion",
        id_param: "motion_id",
        created_by: &["v2.add_product_avatar_motion"],
        id_members: &["motion_id"],
        observe: observe_word,
    },
];

impl TaskKind {
    /// The kind polled by `poll` (a full operation name).
    pub fn polled_by(poll: &str) -> Result<&'static TaskKind> {
        TASK_KINDS.iter().find(|k| k.poll == poll).ok_or_else(|| {
            let known: Vec<&str> = TASK_KINDS.iter().map(|k| k.poll).collect();
            Error::validation(
                "operation",
                format!("{poll:?} does not poll a task; one of {}", known.join(", ")),
            )
        })
    }

    /// The kind started by `create` (a full operation name).
    pub fn created_by(create: &str) -> Result<&'static TaskKind> {
        TASK_KINDS
            .iter()
            .find(|k| k.created_by.contains(&create))
            .ok_or_else(|| {
                Error::validation(
                    "operation",
                    format!("{create:?} does not start a task to wait for"),
                )
            })
    }

    /// The new task's id in a create reply.
    pub fn id_in(&self, created: &Value) -> Option<String> {
        self.id_members
            .iter()
            .find_map(|m| created.get(*m))
            .filter(|v| v.is_string() || v.is_number())
            .map(id_text)
    }

    fn poll_op(&self) -> &'static Operation {
        ops::find(self.poll).expect("every task kind polls an operation of the table")
    }

    fn poll_params(&self, id: &str) -> Value {
        if self.id_param.is_empty() {
            // List-polled kinds: the largest page, so the task is on it.
            if self.poll_op().schema.field("page_size").is_some() {
                return json!({ "page_size": 100 });
            }
            return json!({});
        }
        json!({ self.id_param: id })
    }
}

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
    pub operation: &'static str,
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
        let op = t.kind.poll_op();
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
                        t.kind.poll,
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
        let seen = (t.kind.observe)(&reply.data, &t.id);
        let now = Instant::now();
        let elapsed = now - start;
        let budget_left = options.max_polls.is_none_or(|max| t.polls < max);
        let next_poll = (!seen.status.is_terminal() && now < deadline && budget_left)
            .then(|| t.interval.min(deadline - now));
        let progress = Progress {
            id: &t.id,
            operation: t.kind.poll,
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
                let mut e = Error::new(
                    Code::TaskFailed,
                    format!(
                        "{} {id} ended {} (status {})",
                        t.kind.poll,
                        seen.status.as_str(),
                        seen.raw_status
                    ),
                );
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
        let kind = TaskKind::polled_by("v1.get_project")?;
        let done = self.wait(kind, project_id, options, on_progress)?;
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
        let kind = TaskKind::created_by(&create.full_name())?;
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
    fn observers() {
        let o = observe_project(&json!({"id": "p", "status": "4"}), "p");
        assert_eq!(o.status, TaskStatus::Succeeded);
        let o = observe_batch(
            &json!({"summary": {"total": 2, "pending": 0, "processing": 1, "completed": 1}}),
            "b",
        );
        assert_eq!(o.status, TaskStatus::Processing);
        let o = observe_batch(
            &json!({"summary": {"total": 2, "pending": 0, "processing": 0, "failed": 2}}),
            "b",
        );
        assert_eq!(o.status, TaskStatus::Failed);
        let list =
            json!({"avatars": [{"avatar_id": 7, "status": 0}, {"avatar_id": 8, "status": 1}]});
        let o = observe_in_avatar_list(&list, "8");
        assert_eq!(o.status, TaskStatus::Succeeded);
        assert_eq!(o.task["avatar_id"], 8);
        assert_eq!(
            observe_in_avatar_list(&list, "9").status,
            TaskStatus::Unknown
        );
    }

    #[test]
    fn every_kind_is_in_the_table() {
        for kind in TASK_KINDS {
            let op = kind.poll_op();
            if !kind.id_param.is_empty() {
                assert!(op.schema.field(kind.id_param).is_some(), "{}", kind.poll);
            }
            for create in kind.created_by {
                let op = ops::find(create).unwrap_or_else(|| panic!("{create}"));
                assert!(op.poll_with.is_some(), "{create} is not async in the table");
            }
        }
        // Every async create of the table is covered by a kind.
        for op in ops::OPERATIONS.iter().filter(|op| op.poll_with.is_some()) {
            let name = op.full_name();
            if name != "v2.create_product_previews" {
                assert!(
                    TaskKind::created_by(&name).is_ok(),
                    "{name} has no task kind"
                );
            }
        }
    }

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
