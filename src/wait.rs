//! Waiting for background tasks: poll until a terminal status, on a schedule whose pauses grow
//! with the time waited, with a deadline, a poll budget and a progress callback that can
//! cancel; and, when the program receives webhooks, end at the delivery that says the task
//! ended, polling only as a safety net. One loop serves every kind of task (v1 projects, v2
//! videos, lip sync, translations, photo avatars...): each [`TaskKind`] says how to poll it,
//! how to read its status and which webhook events end it, and the result speaks one status
//! vocabulary whatever words the task kind uses (api-notes §6.3).

use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::api::v1::projects::{self, Project};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::inbox::{Delivery, Door};
use crate::operation::status::TaskStatus;
use crate::operation::task::TaskKind;
use crate::webhook::event::WebhookEvent;

/// The least time a poll gets to answer, even at the wait's deadline (where the last poll
/// happens): a wait ends within `timeout` plus this.
pub(crate) const POLL_GRACE: Duration = Duration::from_secs(1);

/// How long, how often and how many times to poll.
///
/// **The schedule.** The first poll is immediate. After a poll made a time `t` into the wait,
/// the next comes after `interval_ratio` x `t`, but never sooner than `initial_interval` nor
/// later than `max_interval`: by default a tenth of the time waited, from 5 s to 60 s. The last
/// poll is at the deadline.
///
/// **The trade.** A task that ends between two polls is seen at the next one: half a pause
/// late on average. A fixed pause P is P/2 late and costs R/P polls for a render of R; pauses
/// that grow with the time waited keep the delay a steady share of the render (about
/// `interval_ratio` / 2 of it) for polls that grow only with the logarithm of R. With the
/// defaults, renders up to 50 s are polled every 5 s like a fixed 5-second poll (2.5 s late on
/// average); longer ones are seen about 5 % of their time late (15 s for 5 minutes), at most
/// 30 s late, for half the polls of a fixed 5-second poll at 5 minutes and a sixth at 30
/// minutes (`BENCHMARKS.md` has the table). To see ends sooner, lower `interval_ratio` or
/// `max_interval` (more polls); to poll less, raise them. `interval_ratio` 0 is a fixed poll
/// every `initial_interval`. The API asks for no more than one poll per 5 s per task.
///
/// **With webhooks.** A client that knows a webhook secret (its config's `webhook_secrets`,
/// or an endpoint it created) expects its program to hand it deliveries
/// ([`Client::deliver_webhook`]); a delivery for the task ends the wait at once, without a
/// poll. Its waits for tasks that a webhook event ends (see [`TaskKind::events`]; lip-sync
/// videos, product previews and product-avatar image batches have none) then poll only as a safety net against lost
/// deliveries: every pause is `webhook_slowdown` times longer (by default 6: 30 s apart, then from 50 s on 60 % of the
/// time waited, at most 6 minutes). A render of up to a minute is then polled once or twice
/// before its delivery ends the wait, one of 5 minutes 6 times; a task whose delivery was
/// lost is still seen by the next of these polls: on average 15 to 25 s late under a minute,
/// about 30 % of its time late from 2 to 10 minutes, about 3 minutes late beyond. Set
/// `webhook_slowdown` to 1 to poll as often as without webhooks.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    /// Give up after this long (`ERR_WAIT_TIMEOUT`); the last poll happens at the deadline.
    /// Each poll request gets what is left of it (at least 1 s) and no retry starts past it,
    /// so the wait returns within `timeout` plus 1 s whatever the server does; a poll that
    /// gets no answer by then is `ERR_WAIT_TIMEOUT` too.
    pub timeout: Duration,
    /// The shortest pause between two polls of a task, and so the first.
    pub initial_interval: Duration,
    /// Each pause is this share of the time waited so far (within the two bounds).
    pub interval_ratio: f64,
    /// The longest pause.
    pub max_interval: Duration,
    /// At most this many polls per task (`ERR_WAIT_TIMEOUT` when spent); `None`: no budget.
    pub max_polls: Option<u32>,
    /// While the client expects webhook deliveries, every pause is this many times longer.
    pub webhook_slowdown: f64,
}

impl Default for WaitOptions {
    /// 30 minutes; pauses a tenth of the time waited, from 5 s (the docs ask for no more than
    /// one poll per 5 s) to 60 s; six times longer while webhooks are expected.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(5),
            interval_ratio: 0.1,
            max_interval: Duration::from_secs(60),
            max_polls: None,
            webhook_slowdown: 6.0,
        }
    }
}

/// Bounds of the two factors: beyond them a schedule is a mistake, not a choice.
const MAX_INTERVAL_RATIO: f64 = 10.0;
const MAX_WEBHOOK_SLOWDOWN: f64 = 1000.0;

impl WaitOptions {
    /// The pause after a poll made `elapsed` into the wait; `webhooks`: while deliveries are
    /// expected (the safety net).
    pub fn pause(&self, elapsed: Duration, webhooks: bool) -> Duration {
        let grown = Duration::try_from_secs_f64(elapsed.as_secs_f64() * self.interval_ratio)
            .unwrap_or(self.max_interval);
        let pause = grown.clamp(self.initial_interval, self.max_interval);
        if !webhooks {
            return pause;
        }
        Duration::try_from_secs_f64(pause.as_secs_f64() * self.webhook_slowdown)
            .unwrap_or(Duration::MAX)
    }

    /// When the polls of a task happen, relative to the start of the wait (ignoring request
    /// time): the first at once, then after each pause, the last at the deadline; `webhooks`
    /// as in [`WaitOptions::pause`]. For planning and benchmarks.
    pub fn poll_offsets(&self, webhooks: bool) -> impl Iterator<Item = Duration> + '_ {
        let mut at = Some(Duration::ZERO);
        let mut polls = 0u32;
        std::iter::from_fn(move || {
            let this = at?;
            if self.max_polls.is_some_and(|max| polls >= max) {
                return None;
            }
            polls += 1;
            at = (this < self.timeout).then(|| {
                let pause = self.pause(this, webhooks).min(self.timeout - this);
                this + pause
            });
            Some(this)
        })
    }

    pub(crate) fn validate(&self) -> Result<()> {
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
        if !(0.0..=MAX_INTERVAL_RATIO).contains(&self.interval_ratio) {
            return Err(Error::validation(
                "interval_ratio",
                format!(
                    "must be from 0 to {MAX_INTERVAL_RATIO} (a share of the time waited), got {}",
                    self.interval_ratio
                ),
            ));
        }
        if !(1.0..=MAX_WEBHOOK_SLOWDOWN).contains(&self.webhook_slowdown) {
            return Err(Error::validation(
                "webhook_slowdown",
                format!(
                    "must be from 1 (poll as without webhooks) to {MAX_WEBHOOK_SLOWDOWN}, got {}",
                    self.webhook_slowdown
                ),
            ));
        }
        if self.max_polls == Some(0) {
            return Err(Error::validation("max_polls", "must be at least 1"));
        }
        Ok(())
    }
}

/// What told the wait a task's status: one of its polls, or a webhook delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusSource {
    Poll,
    Webhook,
}

impl StatusSource {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusSource::Poll => "poll",
            StatusSource::Webhook => "webhook",
        }
    }
}

/// What the progress callback sees after each poll, and when a webhook delivery ends a wait.
#[derive(Clone, Debug)]
pub struct Progress<'a> {
    /// The task's id.
    pub id: &'a str,
    /// The operation polling it (`v1.get_project`).
    pub operation: String,
    pub status: TaskStatus,
    /// The status as the API wrote it (`3`, `"in_progress"`...); for a delivery, the event's
    /// name (`"generated_video_success"`).
    pub raw_status: &'a Value,
    /// Since the wait started.
    pub elapsed: Duration,
    /// Polls of this task so far, this one included.
    pub polls: u32,
    /// Pause before this task's next poll; `None` when this poll ends its wait.
    pub next_poll: Option<Duration>,
    /// The task as the API sent it (after a delivery: see [`TaskKind::settled`]).
    pub task: &'a Value,
    /// What reported this status: a poll, or a webhook delivery (which ends the wait).
    pub source: StatusSource,
}

/// A task that reached success.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub id: String,
    pub status: TaskStatus,
    /// The task as the API sent it at the last poll; when a delivery ended the wait, that
    /// with the delivery's data laid over it ([`TaskKind::settled`]).
    pub task: Value,
    pub polls: u32,
    pub elapsed: Duration,
    /// What saw the end: a poll, or a webhook delivery.
    pub source: StatusSource,
    /// The delivery that ended the wait, if one did.
    pub event: Option<WebhookEvent>,
}

/// One task being waited on.
struct Tracked<'k> {
    kind: &'k TaskKind,
    id: String,
    polls: u32,
    due: Instant,
    /// The task as last polled (null before the first poll).
    task: Value,
    outcome: Option<Result<Finished>>,
}

impl Client {
    /// Hands this client a webhook delivery that the program's own HTTP handler received:
    /// `body` is the raw request body, exactly as it arrived, `signature` the
    /// `X-Webhook-Signature` header (`None` when absent). The client checks it with the
    /// secrets it knows (those of the endpoints it created, and the config's
    /// `webhook_secrets`), reads it, and wakes at once every wait on its task, in any thread
    /// and through any clone of this client. A delivery no wait is waiting for is kept for 10
    /// minutes (the last 1024), for a wait that starts just after it. A repeated delivery
    /// (the same `event_id`) is recognised, and wakes nothing again.
    ///
    /// Errors, so that the handler can answer: [`ErrorKind::Signature`] for a missing, malformed
    /// or wrong signature, or when the client knows no secret (answer 401);
    /// [`ErrorKind::BodyTooLarge`] for a body over 256 KiB, refused unread;
    /// [`ErrorKind::BadResponse`] for a body that is not an event, or an event that names no
    /// task a wait could be on (`field` says which: `body`, `event`, `data`; answer 400). A
    /// refused delivery wakes nothing.
    pub fn deliver_webhook(&self, body: &[u8], signature: Option<&str>) -> Result<Delivery> {
        // The kinds are declared with the operations, which the inbox stands below.
        let kinds: Vec<&'static TaskKind> = TaskKind::all().collect();
        self.scrubbed(self.inbox().deliver(body, signature, &kinds))
    }

    /// Waits until a task of `kind` succeeds (returns it), fails or is deleted
    /// (`ERR_TASK_FAILED`), the deadline passes or the poll budget is spent
    /// (`ERR_WAIT_TIMEOUT`), or `on_progress` returns `Break` (`ERR_CANCELLED`). It polls on
    /// the schedule of `options`, and ends at once when a webhook delivery for the task is
    /// handed to this client ([`Client::deliver_webhook`], from any thread). Every error
    /// carries the task id in `task_id`, so the caller can wait again later without creating
    /// (and paying for) a new task.
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
    /// its own schedule, ending each at its delivery when one comes, and reporting every poll
    /// and delivery through `on_progress`. Returns one result per task, in the order given.
    /// Cancelling stops every unfinished task.
    pub fn wait_many(
        &self,
        tasks: &[(&TaskKind, String)],
        options: &WaitOptions,
        mut on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Vec<Result<Finished>> {
        if let Err(e) = options.validate() {
            return tasks.iter().map(|_| Err(e.clone())).collect();
        }
        let clock = self.clock();
        let door = Arc::new(Door::default());
        clock.attach(&door.bell);
        // Registered before the first poll: a delivery from then on is not missed, and one
        // kept from before is posted at once.
        let _watch = self
            .inbox()
            .watch(&door, tasks.iter().map(|(kind, id)| (*kind, id.as_str())));
        let start = clock.now();
        let deadline = start + options.timeout;
        let mut tracked: Vec<Tracked> = tasks
            .iter()
            .map(|(kind, id)| Tracked {
                kind,
                id: id.clone(),
                polls: 0,
                due: start,
                task: Value::Null,
                outcome: None,
            })
            .collect();
        loop {
            // Read before the mail is looked at: a delivery posted later rings past it, and
            // the sleep below returns at once.
            let rings = door.bell.rings();
            let mut cancelled = false;
            'mail: for arrival in door.take() {
                for t in tracked
                    .iter_mut()
                    .filter(|t| t.outcome.is_none() && arrival.ends(t.kind, &t.id))
                {
                    if self.settle(t, &arrival.event, start, &mut on_progress) {
                        cancelled = true;
                        break 'mail;
                    }
                }
            }
            if !cancelled {
                let Some(next) = tracked
                    .iter_mut()
                    .filter(|t| t.outcome.is_none())
                    .min_by_key(|t| t.due)
                else {
                    break;
                };
                if next.due > clock.now() {
                    clock.sleep(&door.bell, rings, next.due);
                    continue;
                }
                cancelled = self.poll_once(next, options, start, deadline, &mut on_progress);
            }
            if cancelled {
                for t in tracked.iter_mut().filter(|t| t.outcome.is_none()) {
                    t.outcome = Some(Err(Error::new(
                        ErrorKind::Cancelled,
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

    /// Ends a task's wait with the delivery that says it ended, and reports it. True if the
    /// callback asked to cancel.
    fn settle(
        &self,
        t: &mut Tracked,
        event: &WebhookEvent,
        start: Instant,
        on_progress: &mut impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> bool {
        if !event.status.is_terminal() {
            return false;
        }
        let task = t.kind.settled(&t.task, event);
        let elapsed = self.clock().now().saturating_duration_since(start);
        let raw_status = Value::String(event.event.clone());
        let progress = Progress {
            id: &t.id,
            operation: t.kind.poll.full_name(),
            status: event.status,
            raw_status: &raw_status,
            elapsed,
            polls: t.polls,
            next_poll: None,
            task: &task,
            source: StatusSource::Webhook,
        };
        if on_progress(&progress).is_break() {
            return true;
        }
        let id = t.id.clone();
        t.outcome = Some(match event.status {
            TaskStatus::Succeeded => Ok(Finished {
                id,
                status: event.status,
                task,
                polls: t.polls,
                elapsed,
                source: StatusSource::Webhook,
                event: Some(event.clone()),
            }),
            status => {
                let why = event
                    .error
                    .as_deref()
                    .map_or_else(String::new, |e| format!(": {e}"));
                Err(Error::new(
                    ErrorKind::TaskFailed,
                    format!(
                        "{} {id} ended {} (webhook {}{why})",
                        t.kind.poll.full_name(),
                        status.as_str(),
                        event.event
                    ),
                )
                .with_task(&id))
            }
        });
        false
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
        let clock = self.clock();
        let op = t.kind.poll;
        // Never past deadline + grace: with many tasks due at the deadline, the later polls
        // share one grace rather than get one each.
        let until = deadline
            .max(clock.now() + POLL_GRACE)
            .min(deadline + POLL_GRACE);
        let until = clock.to_system(until);
        let reply = match self.execute_until(op, &t.kind.poll_params(&t.id), Some(until)) {
            Ok(reply) => reply,
            // The wait's time ran out while the poll waited for an answer: a wait timeout,
            // like a last poll that says "still rendering".
            Err(e)
                if matches!(e.0.kind, ErrorKind::Timeout | ErrorKind::Connect)
                    && clock.now() >= deadline =>
            {
                let waited = clock.now().saturating_duration_since(start).as_millis();
                let mut w = Error::new(
                    ErrorKind::WaitTimeout,
                    format!(
                        "{} got no answer about {} within the wait's {} ms ({waited} ms \
                         waited): {}",
                        t.kind.poll.full_name(),
                        t.id,
                        options.timeout.as_millis(),
                        e.0.message
                    ),
                );
                w.0.request_id = e.0.request_id.clone();
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
        let now = clock.now();
        let elapsed = now.saturating_duration_since(start);
        let budget_left = options.max_polls.is_none_or(|max| t.polls < max);
        // Only a kind that some webhook event ends can be ended by a delivery: the others
        // keep the schedule of a program without webhooks.
        let webhooks = !t.kind.events.is_empty() && self.inbox().expects_deliveries();
        let next_poll = (!seen.status.is_terminal() && now < deadline && budget_left)
            .then(|| options.pause(elapsed, webhooks).min(deadline - now));
        let progress = Progress {
            id: &t.id,
            operation: t.kind.poll.full_name(),
            status: seen.status,
            raw_status: &seen.raw_status,
            elapsed,
            polls: t.polls,
            next_poll,
            task: &seen.task,
            source: StatusSource::Poll,
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
                source: StatusSource::Poll,
                event: None,
            })),
            TaskStatus::Failed | TaskStatus::Deleted => {
                // What the API said about it: its status text, and why, when it says.
                let text = seen.status_text().map(|t| format!(", {t:?}"));
                let reason = seen.failure_reason().map(str::to_string);
                let mut e = Error::new(
                    ErrorKind::TaskFailed,
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
                e.0.api_message = reason;
                e.0.request_id = reply.request_id;
                Some(Err(e.with_task(&id)))
            }
            _ => {
                let outcome = next_poll.is_none().then(|| {
                    let why = if budget_left {
                        format!("after {} ms", elapsed.as_millis())
                    } else {
                        format!("after its budget of {} polls", t.polls)
                    };
                    Err(Error::new(
                        ErrorKind::WaitTimeout,
                        format!("{id} was still {} {why}", seen.status.as_str()),
                    )
                    .with_task(&id))
                });
                t.task = seen.task;
                outcome
            }
        };
        if let Some(pause) = next_poll {
            t.due = now + pause;
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
        let project = self.wait_for_project_json(project_id, options, on_progress)?;
        self.scrubbed(serde_json::from_value(project).map_err(|e| {
            Error::new(ErrorKind::BadResponse, format!("project: {e}")).with_task(project_id)
        }))
    }

    /// [`Client::wait_for_project`] with the project as JSON (`jogg_wait_for_project`).
    pub(crate) fn wait_for_project_json(
        &self,
        project_id: &str,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Value> {
        let mut done = self.wait(&projects::PROJECT, project_id, options, on_progress)?;
        // Ended by a delivery before any poll: the task is the event's data, which names the
        // project `project_id` where the project itself says `id`.
        if let Value::Object(task) = &mut done.task {
            task.entry("id")
                .or_insert_with(|| Value::String(project_id.to_string()));
        }
        Ok(done.task)
    }

    /// Starts a task with the operation named `operation` (JSON params, validated, as
    /// [`Client::call`]) and waits for it. If the wait fails after the task was created, the
    /// error's `task_id` holds the id: wait on it again rather than creating (and paying) anew.
    pub fn call_and_wait(
        &self,
        operation: &str,
        params: &Value,
        options: &WaitOptions,
        on_progress: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<(Value, Finished)> {
        let create = crate::operations::lookup(operation)?;
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
                ErrorKind::BadResponse,
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

    fn millis(o: &WaitOptions, webhooks: bool) -> Vec<u128> {
        o.poll_offsets(webhooks).map(|d| d.as_millis()).collect()
    }

    #[test]
    fn poll_offsets_follow_the_schedule() {
        let o = WaitOptions {
            timeout: Duration::from_secs(120),
            initial_interval: Duration::from_secs(5),
            interval_ratio: 0.5,
            max_interval: Duration::from_secs(20),
            max_polls: None,
            webhook_slowdown: 3.0,
        };
        // 5 s while half the time waited is less, then half of it, then 20 s, then the
        // deadline.
        assert_eq!(
            millis(&o, false),
            [
                0, 5000, 10000, 15000, 22500, 33750, 50625, 70625, 90625, 110625, 120000
            ]
        );
        // The safety net: every pause three times longer.
        assert_eq!(millis(&o, true), [0, 15000, 37500, 93750, 120000]);
        let budget = WaitOptions {
            max_polls: Some(2),
            ..o.clone()
        };
        assert_eq!(budget.poll_offsets(false).count(), 2);
        // Ratio 0: a fixed poll.
        let fixed = WaitOptions {
            interval_ratio: 0.0,
            timeout: Duration::from_secs(20),
            ..o
        };
        assert_eq!(millis(&fixed, false), [0, 5000, 10000, 15000, 20000]);
    }

    #[test]
    fn the_default_schedule() {
        let o = WaitOptions::default();
        let polls = |seconds: u64| {
            o.poll_offsets(false)
                .take_while(|d| *d < Duration::from_secs(seconds))
                .count()
        };
        // Every 5 s up to 50 s, then a tenth of the time waited.
        assert_eq!(polls(51), 11);
        assert_eq!(
            o.pause(Duration::from_secs(100), false),
            Duration::from_secs(10)
        );
        assert_eq!(
            o.pause(Duration::from_secs(1000), false),
            Duration::from_secs(60)
        );
        // The safety net starts at 30 s.
        assert_eq!(o.pause(Duration::ZERO, true), Duration::from_secs(30));
        // At most half the polls of a fixed 5-second poll from 5 minutes.
        assert!(polls(300) <= 30, "{}", polls(300));
    }
}
