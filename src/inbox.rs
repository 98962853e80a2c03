//! The client's webhook inbox: where the program's own HTTP handler hands each delivery, and
//! where waits learn at once that their task ended.
//!
//! A delivery is checked with the secrets the client knows (those of the endpoints it created,
//! and the config's `webhook_secrets`), read, and matched to the waits on its task: the event
//! name gives the kind of task (each [`TaskKind`] declares the events it ends with), the data
//! its id. Every wait on that task, in any thread, is woken through its [`Door`]. Deliveries
//! are kept for a while, so that a wait starting just after its delivery still sees it, and
//! their event ids remembered, so that a repeated delivery wakes nothing twice.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::clock::Bell;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::task::TaskKind;
use crate::webhook::event::WebhookEvent;
use crate::webhook::signature::verify_any;

/// The largest delivery body accepted, refused before it is verified or parsed: events are
/// JSON documents of a few hundred bytes.
pub const MAX_DELIVERY_BYTES: usize = 256 * 1024;
/// How long, and how many, deliveries are kept for waits that start after them.
const KEEP_FOR: Duration = Duration::from_secs(10 * 60);
const KEEP_MAX: usize = 1024;
/// How long, and how many, event ids are remembered to recognise repeats. The vendor retries
/// a delivery three times within about 15 s; an hour covers a receiver that answers late.
const SEEN_FOR: Duration = Duration::from_secs(60 * 60);
const SEEN_MAX: usize = 8192;
/// Secrets of created endpoints remembered (the API allows 20 endpoints a key).
const LEARNED_MAX: usize = 64;

/// What [`Client::deliver_webhook`](crate::Client::deliver_webhook) made of a delivery.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The event, verified and read.
    pub event: WebhookEvent,
    /// The same event (the same `event_id`; without one, the same event name and task) was
    /// delivered before: it woke nothing this time. Answer it 2xx all the same, or the sender
    /// keeps retrying.
    pub duplicate: bool,
    /// How many waits it ended. 0 when none was waiting: it is then kept for a while, for a
    /// wait on its task that starts soon.
    pub woken: usize,
}

/// A delivery matched to the kinds of task its event ends.
#[derive(Debug)]
pub(crate) struct Arrival {
    pub event: WebhookEvent,
    /// The task's id (the event's `id`).
    pub id: String,
    pub kinds: Vec<&'static TaskKind>,
}

impl Arrival {
    /// Whether this delivery ends the task `id` of `kind`.
    pub fn ends(&self, kind: &TaskKind, id: &str) -> bool {
        self.id == id && self.kinds.iter().any(|k| std::ptr::eq(*k, kind))
    }
}

/// One wait's letterbox: deliveries for its tasks are put in, then its bell rung.
#[derive(Debug, Default)]
pub(crate) struct Door {
    pub bell: Arc<Bell>,
    mail: Mutex<Vec<Arc<Arrival>>>,
}

impl Door {
    fn post(&self, arrival: &Arc<Arrival>) {
        lock(&self.mail).push(arrival.clone());
        self.bell.ring();
    }

    /// The deliveries posted since the last call.
    pub fn take(&self) -> Vec<Arc<Arrival>> {
        std::mem::take(&mut *lock(&self.mail))
    }
}

#[derive(Default)]
pub(crate) struct Inbox {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The config's secrets, then those of endpoints created, oldest first.
    configured: Vec<String>,
    learned: VecDeque<String>,
    /// The waits, by task id: the kind each waits for (by address) and its door.
    watching: HashMap<String, Vec<(usize, Arc<Door>)>>,
    kept: VecDeque<(Instant, Arc<Arrival>)>,
    /// Event ids (or event name and task id) seen, with when, oldest first; and as a set.
    seen: VecDeque<(Instant, String)>,
    seen_keys: HashSet<String>,
}

impl fmt::Debug for Inbox {
    /// Counts only: the secrets stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Inbox")
            .field("secrets", &(state.configured.len() + state.learned.len()))
            .field(
                "waits",
                &state.watching.values().map(Vec::len).sum::<usize>(),
            )
            .field("kept", &state.kept.len())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn kind_key(kind: &TaskKind) -> usize {
    std::ptr::from_ref(kind) as usize
}

impl Inbox {
    pub fn new(secrets: &[String]) -> Inbox {
        let inbox = Inbox::default();
        inbox.lock().configured = secrets.iter().filter(|s| !s.is_empty()).cloned().collect();
        inbox
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Whether deliveries are expected: the client knows a secret to check them with. Waits
    /// then poll only as a safety net.
    pub fn expects_deliveries(&self) -> bool {
        let state = self.lock();
        !state.configured.is_empty() || !state.learned.is_empty()
    }

    /// Remembers the secret of an endpoint this client created.
    pub fn learn_secret(&self, secret: String) {
        let mut state = self.lock();
        if secret.is_empty()
            || state.configured.contains(&secret)
            || state.learned.contains(&secret)
        {
            return;
        }
        state.learned.push_back(secret);
        if state.learned.len() > LEARNED_MAX {
            state.learned.pop_front();
        }
    }

    /// Checks, reads and hands out one delivery (see [`Delivery`]). `kinds` are the kinds of
    /// task a wait can be on: an event that ends none of them is refused. The caller passes
    /// them because they are declared with the operations, a layer above this one.
    pub fn deliver(
        &self,
        body: &[u8],
        signature: Option<&str>,
        kinds: &[&'static TaskKind],
    ) -> Result<Delivery> {
        if body.len() > MAX_DELIVERY_BYTES {
            let mut e = Error::new(
                ErrorKind::BodyTooLarge,
                format!(
                    "body: a delivery of {} bytes; the limit is {MAX_DELIVERY_BYTES} bytes \
                     (events are small JSON documents)",
                    body.len()
                ),
            );
            e.0.field = Some("body".into());
            return Err(e);
        }
        let secrets: Vec<String> = {
            let state = self.lock();
            state
                .configured
                .iter()
                .chain(&state.learned)
                .cloned()
                .collect()
        };
        verify_any(body, signature, &secrets)?;
        let event = WebhookEvent::from_body(body)?;
        let arrival = Arc::new(matched(event, kinds)?);
        let now = Instant::now();
        let mut state = self.lock();
        state.forget_before(now);
        let key = match &arrival.event.event_id {
            Some(id) => id.clone(),
            None => format!("{} {}", arrival.event.event, arrival.id),
        };
        if state.seen_keys.contains(&key) {
            return Ok(Delivery {
                event: arrival.event.clone(),
                duplicate: true,
                woken: 0,
            });
        }
        state.seen_keys.insert(key.clone());
        state.seen.push_back((now, key));
        if state.seen.len() > SEEN_MAX {
            state.forget_oldest_seen();
        }
        let mut woken = 0;
        if let Some(waits) = state.watching.get(&arrival.id) {
            for (kind, door) in waits {
                if arrival.kinds.iter().any(|k| kind_key(k) == *kind) {
                    door.post(&arrival);
                    woken += 1;
                }
            }
        }
        // Kept even when it woke a wait: a later wait on the same task ends at once too.
        state.kept.push_back((now, arrival.clone()));
        if state.kept.len() > KEEP_MAX {
            state.kept.pop_front();
        }
        Ok(Delivery {
            event: arrival.event.clone(),
            duplicate: false,
            woken,
        })
    }

    /// Registers a wait on `tasks`: deliveries for them go to `door` until the returned
    /// guard is dropped. Deliveries kept from before are posted at once.
    pub fn watch<'k>(
        &self,
        door: &Arc<Door>,
        tasks: impl IntoIterator<Item = (&'k TaskKind, &'k str)>,
    ) -> Watch<'_> {
        let mut state = self.lock();
        state.forget_before(Instant::now());
        let mut keys = Vec::new();
        for (kind, id) in tasks {
            for (_, arrival) in state.kept.iter().filter(|(_, a)| a.ends(kind, id)) {
                door.post(arrival);
            }
            state
                .watching
                .entry(id.to_string())
                .or_default()
                .push((kind_key(kind), door.clone()));
            keys.push(id.to_string());
        }
        Watch {
            inbox: self,
            door: door.clone(),
            ids: keys,
        }
    }
}

impl State {
    fn forget_before(&mut self, now: Instant) {
        let old = |at: &Instant, ttl: Duration| now.saturating_duration_since(*at) > ttl;
        while self.kept.front().is_some_and(|(at, _)| old(at, KEEP_FOR)) {
            self.kept.pop_front();
        }
        while self.seen.front().is_some_and(|(at, _)| old(at, SEEN_FOR)) {
            self.forget_oldest_seen();
        }
    }

    fn forget_oldest_seen(&mut self) {
        if let Some((_, key)) = self.seen.pop_front() {
            self.seen_keys.remove(&key);
        }
    }
}

/// A verified event as an [`Arrival`]: the kinds of task that end with it, and its task id.
/// An event that names no task this library can wait for is refused.
fn matched(event: WebhookEvent, all: &[&'static TaskKind]) -> Result<Arrival> {
    let kinds: Vec<&'static TaskKind> = all
        .iter()
        .copied()
        .filter(|k| k.events.contains(&event.event.as_str()))
        .collect();
    if kinds.is_empty() {
        let mut e = Error::new(
            ErrorKind::BadResponse,
            format!(
                "webhook body: event {:?} ends no kind of task this client can wait for; \
                 one of {}",
                event.event,
                TaskKind::events_of(all.iter().copied()).join(", ")
            ),
        );
        e.0.field = Some("event".into());
        return Err(e);
    }
    let Some(id) = event.id.clone() else {
        let mut e = Error::new(
            ErrorKind::BadResponse,
            format!(
                "webhook body: event {:?} names no task (no project_id, video_id, task_id... \
                 in its data)",
                event.event
            ),
        );
        e.0.field = Some("data".into());
        return Err(e);
    };
    Ok(Arrival { event, id, kinds })
}

/// A wait's registration; dropping it unregisters the wait.
pub(crate) struct Watch<'a> {
    inbox: &'a Inbox,
    door: Arc<Door>,
    ids: Vec<String>,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let mut state = self.inbox.lock();
        for id in &self.ids {
            if let Some(waits) = state.watching.get_mut(id) {
                waits.retain(|(_, door)| !Arc::ptr_eq(door, &self.door));
                if waits.is_empty() {
                    state.watching.remove(id);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v1::projects::PROJECT;
    use crate::webhook::signature::sign;

    const SECRET: &str = "a1b2c3d4e5f6g7h8";

    fn body(event_id: &str, name: &str, project: &str) -> Vec<u8> {
        serde_json::json!({"event_id": event_id, "event": name, "timestamp": 1,
                           "data": {"project_id": project, "video_url": "https://x/v.mp4"}})
        .to_string()
        .into_bytes()
    }

    /// The kinds of task these tests wait on.
    const KINDS: &[&TaskKind] = &[&PROJECT];

    fn deliver(inbox: &Inbox, body: &[u8]) -> Result<Delivery> {
        inbox.deliver(body, Some(&sign(body, SECRET)), KINDS)
    }

    #[test]
    fn a_delivery_reaches_the_waits_on_its_task_only() {
        let inbox = Inbox::new(&[SECRET.to_string()]);
        let (door, other) = (Arc::new(Door::default()), Arc::new(Door::default()));
        let _w = inbox.watch(&door, [(&PROJECT, "p1")]);
        let _o = inbox.watch(&other, [(&PROJECT, "p2")]);
        let rings = door.bell.rings();
        let d = deliver(&inbox, &body("evt_1", "generated_video_success", "p1")).unwrap();
        assert_eq!((d.duplicate, d.woken), (false, 1));
        assert!(door.bell.rings() > rings);
        let mail = door.take();
        assert_eq!(mail.len(), 1);
        assert!(mail[0].ends(&PROJECT, "p1"));
        assert!(other.take().is_empty());
        let again = deliver(&inbox, &body("evt_1", "generated_video_success", "p1")).unwrap();
        assert_eq!((again.duplicate, again.woken), (true, 0));
        assert!(door.take().is_empty(), "a repeat is not posted");
    }

    #[test]
    fn kept_deliveries_reach_later_waits_and_unwatched_doors_get_nothing() {
        let inbox = Inbox::new(&[SECRET.to_string()]);
        let d = deliver(&inbox, &body("evt_2", "generated_video_failed", "p3")).unwrap();
        assert_eq!(d.woken, 0);
        let door = Arc::new(Door::default());
        {
            let _w = inbox.watch(&door, [(&PROJECT, "p3")]);
            assert_eq!(door.take().len(), 1);
        }
        assert!(
            inbox.lock().watching.is_empty(),
            "dropping the watch unregisters it"
        );
        deliver(&inbox, &body("evt_3", "generated_video_success", "p3")).unwrap();
        assert!(door.take().is_empty());
    }

    #[test]
    fn bad_deliveries_are_refused_with_their_reason() {
        let inbox = Inbox::new(&[SECRET.to_string()]);
        let good = body("evt_4", "generated_video_success", "p4");
        let e = inbox.deliver(&good, None, KINDS).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        let e = inbox
            .deliver(&good, Some(&sign(&good, "another")), KINDS)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        let e = deliver(&inbox, b"[1]").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadResponse);
        let e = deliver(&inbox, &body("evt_5", "generated_nothing_success", "p4")).unwrap_err();
        assert_eq!(e.field(), Some("event"));
        let e = deliver(&inbox, br#"{"event":"generated_video_success","data":{}}"#).unwrap_err();
        assert_eq!(e.field(), Some("data"));
        let big = vec![b' '; MAX_DELIVERY_BYTES + 1];
        let e = inbox.deliver(&big, None, KINDS).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::BodyTooLarge,
            "refused before anything else"
        );
        let e = Inbox::default()
            .deliver(&good, Some("00"), KINDS)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        assert!(e.message().contains("webhook_secrets"), "{}", e.message());
        // The refused one was not remembered: the genuine delivery is not a duplicate.
        assert!(!deliver(&inbox, &good).unwrap().duplicate);
    }

    #[test]
    fn secrets_of_created_endpoints_are_learned_once() {
        let inbox = Inbox::default();
        assert!(!inbox.expects_deliveries());
        inbox.learn_secret(String::new());
        assert!(!inbox.expects_deliveries(), "an empty secret is no secret");
        inbox.learn_secret("s1".into());
        inbox.learn_secret("s1".into());
        assert!(inbox.expects_deliveries());
        assert_eq!(inbox.lock().learned.len(), 1);
        assert!(!format!("{inbox:?}").contains("s1"));
    }
}
