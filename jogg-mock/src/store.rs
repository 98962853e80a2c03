//! Everything the simulation remembers, in one place: the records every operation creates
//! (projects, tasks, products, webhook endpoints, upload slots...), the bytes uploaded to
//! signed URLs, and the POST rate limiter.
//!
//! Every record belongs to the API key that created it: another key sees "not found", as on
//! the service. Records keep creation order, which the list operations return newest first.
//! Progress is not driven by a thread: a task's phase is computed from its age whenever it is
//! asked for, so there is nothing to race with in tests.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::PostWindow;
use crate::limiter::{Admission, PostLimiter};

/// One stored object. `data` holds whatever the area's handlers need to answer later;
/// `created` drives the simulated progress of tasks.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub(crate) id: String,
    pub(crate) created: Instant,
    pub(crate) created_unix: u64,
    /// Decided once at creation (the request carried the fail marker), so every later read
    /// of the same task agrees; the control API's `fail` and `finish` set it too.
    pub(crate) fails: bool,
    /// When the control API ended the task on demand (`POST /_mock/tasks/{id}/finish` or
    /// `fail`): from then on it is over, whatever its age.
    pub(crate) ended: Option<Instant>,
    pub(crate) data: Value,
}

/// Where a simulated task stands, from its age against `render_ms` (api-notes §6.2 gives
/// each task kind's words for these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Pending,
    Processing,
    Succeeded,
    Failed,
}

impl Record {
    /// Pending for the first quarter of `render_ms`, processing until it has elapsed, then
    /// done; `render_ms` 0 means done at once.
    pub(crate) fn phase(&self, now: Instant, render_ms: u64) -> Phase {
        let age = now.saturating_duration_since(self.created);
        if self.ended.is_some() {
            self.outcome()
        } else if render_ms > 0 && age < Duration::from_millis(render_ms / 4) {
            Phase::Pending
        } else if render_ms > 0 && age < Duration::from_millis(render_ms) {
            Phase::Processing
        } else {
            self.outcome()
        }
    }

    /// How the task ends once it is over.
    fn outcome(&self) -> Phase {
        if self.fails {
            Phase::Failed
        } else {
            Phase::Succeeded
        }
    }

    /// When the task is over for a simulation lasting `render_ms` (or when it was ended on
    /// demand).
    pub(crate) fn finishes_at(&self, render_ms: u64) -> Instant {
        self.ended
            .unwrap_or(self.created + Duration::from_millis(render_ms))
    }

    /// Ends the task now, as a success or a failure (the control API).
    pub(crate) fn end(&mut self, now: Instant, fails: bool) {
        self.ended = Some(now);
        self.fails = fails;
    }
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    records: HashMap<(String, &'static str), Vec<Record>>,
    created: HashMap<&'static str, usize>,
    /// Bytes PUT to signed upload URLs, by upload token.
    uploads: HashMap<String, Vec<u8>>,
    limiter: PostLimiter,
}

impl Store {
    pub(crate) fn insert(&mut self, key: &str, kind: &'static str, record: Record) {
        *self.created.entry(kind).or_default() += 1;
        self.records
            .entry((key.to_owned(), kind))
            .or_default()
            .push(record);
    }

    pub(crate) fn get(&self, key: &str, kind: &'static str, id: &str) -> Option<&Record> {
        self.list(key, kind).iter().find(|r| r.id == id)
    }

    pub(crate) fn get_mut(
        &mut self,
        key: &str,
        kind: &'static str,
        id: &str,
    ) -> Option<&mut Record> {
        self.records
            .get_mut(&(key.to_owned(), kind))?
            .iter_mut()
            .find(|r| r.id == id)
    }

    /// Records of one kind for one key, oldest first.
    pub(crate) fn list(&self, key: &str, kind: &'static str) -> &[Record] {
        self.records
            .get(&(key.to_owned(), kind))
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn remove(&mut self, key: &str, kind: &'static str, id: &str) -> Option<Record> {
        let list = self.records.get_mut(&(key.to_owned(), kind))?;
        let at = list.iter().position(|r| r.id == id)?;
        Some(list.remove(at))
    }

    /// A record of `kind` whoever owns it, with its owner's key: for what needs no key
    /// (media downloads, upload PUTs) and for webhook deliveries.
    pub(crate) fn find_any(&self, kind: &'static str, id: &str) -> Option<(&str, &Record)> {
        self.records
            .iter()
            .filter(|((_, k), _)| *k == kind)
            .find_map(|((key, _), list)| {
                list.iter().find(|r| r.id == id).map(|r| (key.as_str(), r))
            })
    }

    pub(crate) fn find_any_mut(&mut self, kind: &'static str, id: &str) -> Option<&mut Record> {
        self.records
            .iter_mut()
            .filter(|((_, k), _)| *k == kind)
            .find_map(|(_, list)| list.iter_mut().find(|r| r.id == id))
    }

    /// A record `id` of any kind and any key, with its kind (the control API's tasks).
    pub(crate) fn find_by_id_mut(&mut self, id: &str) -> Option<(&'static str, &mut Record)> {
        self.records
            .iter_mut()
            .find_map(|((_, kind), list)| list.iter_mut().find(|r| r.id == id).map(|r| (*kind, r)))
    }

    /// Forgets everything: records, counts, uploads and the POST windows (the control API's
    /// reset).
    pub(crate) fn clear(&mut self) {
        *self = Store::default();
    }

    /// Whether any key's record `id` is a task that has succeeded (its media are served).
    pub(crate) fn has_succeeded_task(&self, id: &str, now: Instant, render_ms: u64) -> bool {
        self.records
            .values()
            .flatten()
            .any(|r| r.id == id && r.phase(now, render_ms) == Phase::Succeeded)
    }

    /// How many records of `kind` were ever created, all keys together (deleted included):
    /// lets tests assert that a retried create made no duplicate.
    pub(crate) fn created(&self, kind: &str) -> usize {
        self.created.get(kind).copied().unwrap_or(0)
    }

    /// Keeps the bytes uploaded for `token`.
    pub(crate) fn put_upload(&mut self, token: &str, bytes: Vec<u8>) {
        self.uploads.insert(token.to_owned(), bytes);
    }

    pub(crate) fn uploaded(&self, token: &str) -> Option<&[u8]> {
        self.uploads.get(token).map(Vec::as_slice)
    }

    /// Counts a POST by `key` against its window, or refuses it.
    pub(crate) fn admit_post(
        &mut self,
        key: &str,
        now: Instant,
        limit: u32,
        window: Duration,
        kind: PostWindow,
    ) -> Admission {
        self.limiter.admit(key, now, limit, window, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(id: &str) -> Record {
        Record {
            id: id.to_owned(),
            created: Instant::now(),
            created_unix: 0,
            fails: false,
            ended: None,
            data: json!({"n": 1}),
        }
    }

    #[test]
    fn records_are_per_key_and_counted() {
        let mut store = Store::default();
        store.insert("k1", "product", record("a"));
        store.insert("k1", "product", record("b"));
        assert!(store.get("k2", "product", "a").is_none());
        store.get_mut("k1", "product", "a").unwrap().data = json!({"n": 2});
        assert_eq!(store.get("k1", "product", "a").unwrap().data["n"], 2);
        assert_eq!(store.find_any("product", "a").unwrap().0, "k1");
        assert!(store.find_any("endpoint", "a").is_none());
        assert_eq!(store.remove("k1", "product", "a").unwrap().id, "a");
        let ids: Vec<&str> = store
            .list("k1", "product")
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(ids, ["b"]);
        assert_eq!(store.created("product"), 2);
    }

    #[test]
    fn phases_follow_render_time() {
        let mut r = record("t");
        let t0 = r.created;
        assert_eq!(r.phase(t0, 1000), Phase::Pending);
        assert_eq!(
            r.phase(t0 + Duration::from_millis(300), 1000),
            Phase::Processing
        );
        assert_eq!(
            r.phase(t0 + Duration::from_millis(1000), 1000),
            Phase::Succeeded
        );
        assert_eq!(r.finishes_at(1000), t0 + Duration::from_millis(1000));
        r.fails = true;
        assert_eq!(r.phase(t0, 0), Phase::Failed);
    }
}
