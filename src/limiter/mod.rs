//! The POST limiter: never more than `limit` POSTs of one key in any `window`, counted where
//! the config's [`PostLimitScope`] says: one client, the process, the host, or a Redis server.
//!
//! The API allows 20 POSTs per minute per key and does not say whether it counts fixed or
//! rolling windows (api-notes §7). The server counts a request when it arrives, somewhere
//! between our send and our receipt of the answer. So each POST holds a slot from before it
//! is sent until its answer came back plus `window` (plus a small margin for clock
//! granularity): any two POSTs `limit` slots apart then arrive at least `window` apart,
//! which satisfies both kinds of counting. A slot whose answer never comes back (the worker
//! was killed, the store could not be told) is a lease: it ends `timeout + window` after it
//! was taken, since the request cannot have arrived later than its timeout.
//!
//! Every scope is a [`PostSlotStore`] holding those slots as expiry times; this module does
//! the waiting, identically for all of them. A 429 with `Retry-After` on a POST starts a
//! cooldown in the store, so every client sharing it pauses until then.

mod host;
mod local;
mod redis_store;

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::log::{LogLevel, Logger};

pub(crate) use redis_store::check_url as check_redis_url;

/// Where a client's POSTs are counted against the limit.
#[derive(Clone, Default)]
pub enum PostLimitScope {
    /// This client alone (and its clones).
    Client,
    /// Every client of the process with the same key and base URL (the default).
    #[default]
    Process,
    /// Every process of this user on this host with the same key and base URL: a lock file
    /// and a state file in a private directory ([`Config::post_limit_dir`]).
    ///
    /// [`Config::post_limit_dir`]: crate::Config::post_limit_dir
    Host,
    /// Every client on any host using this Redis server (`redis://host:port/db`; a password
    /// as `redis://:password@host:port/db`).
    Redis(String),
    /// A store of the caller's own.
    Store(Arc<dyn PostSlotStore>),
}

impl PostLimitScope {
    /// The config JSON's `post_limit_scope`: `"client"`, `"process"`, `"host"` or a
    /// `redis://` URL.
    pub fn parse(text: &str) -> Option<PostLimitScope> {
        match text {
            "client" => Some(PostLimitScope::Client),
            "process" => Some(PostLimitScope::Process),
            "host" => Some(PostLimitScope::Host),
            url if url.starts_with("redis://") => Some(PostLimitScope::Redis(url.to_string())),
            _ => None,
        }
    }

    /// Whether the slots live outside the process, where they can fail to be reached.
    pub(crate) fn is_shared_store(&self) -> bool {
        matches!(
            self,
            PostLimitScope::Host | PostLimitScope::Redis(_) | PostLimitScope::Store(_)
        )
    }
}

impl fmt::Debug for PostLimitScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostLimitScope::Client => f.write_str("Client"),
            PostLimitScope::Process => f.write_str("Process"),
            PostLimitScope::Host => f.write_str("Host"),
            // The URL may hold the Redis password.
            PostLimitScope::Redis(url) => write!(f, "Redis({})", redis_store::redact(url)),
            PostLimitScope::Store(_) => f.write_str("Store(<caller's store>)"),
        }
    }
}

/// What happens when a shared store (the host directory, Redis, the caller's store) cannot
/// be used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PostLimitFallback {
    /// The POST fails with `JOGG_ERR_LIMITER_STORE` naming the store; nothing is sent (the
    /// default: counting alone while others count elsewhere would exceed the limit).
    #[default]
    Error,
    /// The POST is counted in the process scope instead, and the switch is logged (at the
    /// `info` level); the store is tried again a second later.
    Process,
}

/// One POST's slot, as a [`PostSlotStore`] sees it.
#[derive(Clone, Copy, Debug)]
pub struct PostSlot<'a> {
    /// Unique across processes and hosts (a random process token and a counter).
    pub id: &'a str,
    /// Which shared count: a hash of the base URL and the API key (never the key).
    pub key_id: &'a str,
    /// How many slots of `key_id` may be held at once.
    pub limit: u32,
    /// How long the slot is held from now: at acquire its lease (request timeout + window +
    /// margin), at release the window + margin.
    pub hold: Duration,
}

/// The answer of [`PostSlotStore::try_acquire`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The slot is taken: send the POST.
    Taken,
    /// `limit` slots are held (or a cooldown runs): ask again after this long. The limiter
    /// asks again sooner than that when the wait is longer than half a window, in case a
    /// slot in flight is released meanwhile.
    Wait(Duration),
}

/// A store of POST slots that several clients share: the same contract as the built-in
/// scopes, for coordination of the caller's own (a database, a service of theirs).
///
/// A slot is an id with an expiry. `try_acquire` must be atomic: drop the expired slots of
/// `slot.key_id`, and if fewer than `slot.limit` remain and no cooldown runs, record `slot.id`
/// as expiring `slot.hold` from now. Errors are the store's own words; the POST then fails
/// with `JOGG_ERR_LIMITER_STORE` (or falls back, see [`PostLimitFallback`]). Methods are
/// called from any thread making a request.
pub trait PostSlotStore: Send + Sync {
    /// Takes the slot, or says how long to wait before asking again.
    fn try_acquire(&self, slot: &PostSlot<'_>) -> std::result::Result<Admission, String>;
    /// The POST was answered (or failed): the slot now expires `slot.hold` from now.
    fn release(&self, slot: &PostSlot<'_>) -> std::result::Result<(), String>;
    /// A POST of `key_id` was answered 429 with `Retry-After`: no slot of `key_id` is to be
    /// taken for `pause` from now (extends a running cooldown, never shortens it).
    fn cooldown(&self, key_id: &str, pause: Duration) -> std::result::Result<(), String> {
        let _ = (key_id, pause);
        Ok(())
    }
    /// How errors name the store.
    fn describe(&self) -> String {
        "the caller's store".to_string()
    }
}

/// A POST's place in the window; hand it back with [`PostLimiter::release`].
#[derive(Debug)]
pub(crate) struct Ticket {
    id: String,
    /// Taken from the process-scope fallback rather than the configured store.
    fallback: bool,
}

/// A `Retry-After` shared with every worker is capped as a single call's wait is: a longer
/// hint is about something else than this per-minute limit.
const MAX_COOLDOWN: Duration = Duration::from_secs(60);
/// While falling back, the failed store is tried again this often.
const STORE_RETRY: Duration = Duration::from_secs(1);

pub(crate) struct PostLimiter {
    /// `None`: no client-side limit (`post_limit` 0).
    inner: Option<Inner>,
}

struct Inner {
    store: Arc<dyn PostSlotStore>,
    /// One thread of the client asks the store at a time; the others queue here. Otherwise
    /// every waiting thread wakes when a slot frees, all but one find it taken, and each asks
    /// again: round trips to Redis or the lock file that buy nothing.
    turnstile: Mutex<()>,
    /// The process scope, when the config asks to fall back to it.
    fallback: Option<Arc<dyn PostSlotStore>>,
    /// When the store last failed, while the fallback is in use.
    failed_at: Mutex<Option<Instant>>,
    key_id: String,
    limit: u32,
    /// How long a slot is held while its POST is in flight.
    lease: Duration,
    /// How long a slot is held once its POST was answered.
    hold: Duration,
    /// The longest sleep between two asks: half a window, so that a slot released while we
    /// slept (it then expires a window later) is seen before it expires.
    poll: Duration,
}

impl fmt::Debug for PostLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            None => f.write_str("PostLimiter(off)"),
            Some(inner) => f
                .debug_struct("PostLimiter")
                .field("store", &inner.store.describe())
                .field("limit", &inner.limit)
                .finish_non_exhaustive(),
        }
    }
}

/// What a limiter is made of: the config's `post_limit` members, and the request timeouts a
/// slot's lease and a Redis connection depend on. Its own type, so that the limiter needs
/// nothing of the config it is read from (the config holds the scope types declared here).
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// POSTs allowed in any `window`; 0 = no client-side limit.
    pub limit: u32,
    pub window: Duration,
    pub scope: PostLimitScope,
    /// The host scope's directory; `None`: its default.
    pub dir: Option<PathBuf>,
    pub fallback: PostLimitFallback,
    /// The longest a request takes: a slot whose answer never comes is held this long more.
    pub request_timeout: Duration,
    /// The longest a connection to the Redis scope takes.
    pub connect_timeout: Duration,
    /// Test hook: the host scope's clock reads this many ms off in this process.
    pub clock_skew_ms: i64,
}

impl PostLimiter {
    /// The limiter `settings` ask for, counting the POSTs of `api_key` to `base_url` (the
    /// checked one). Nothing is opened or connected until the first POST.
    pub(crate) fn new(settings: &Settings, base_url: &str, api_key: &str) -> PostLimiter {
        if settings.limit == 0 {
            return PostLimiter { inner: None };
        }
        let key_id = key_id(base_url, api_key);
        let window = settings.window;
        let margin = (window / 100).max(Duration::from_millis(20));
        let store: Arc<dyn PostSlotStore> = match &settings.scope {
            PostLimitScope::Client => Arc::new(local::LocalStore::default()),
            PostLimitScope::Process => local::for_process(&key_id),
            PostLimitScope::Host => Arc::new(host::HostStore::new(
                settings.dir.clone(),
                &key_id,
                settings.clock_skew_ms,
            )),
            PostLimitScope::Redis(url) => Arc::new(redis_store::RedisStore::new(
                url,
                &key_id,
                settings.connect_timeout,
            )),
            PostLimitScope::Store(store) => store.clone(),
        };
        let fallback = (settings.fallback == PostLimitFallback::Process
            && settings.scope.is_shared_store())
        .then(|| local::for_process(&key_id) as Arc<dyn PostSlotStore>);
        PostLimiter {
            inner: Some(Inner {
                store,
                turnstile: Mutex::new(()),
                fallback,
                failed_at: Mutex::new(None),
                key_id,
                limit: settings.limit,
                lease: settings.request_timeout + window + margin,
                hold: window + margin,
                poll: (window / 2).max(Duration::from_millis(1)),
            }),
        }
    }

    /// Blocks until a POST may be sent without exceeding the limit, and takes a slot.
    /// `Ok(None)` when there is no limit; an error when the store cannot be used (and no
    /// fallback is configured): then nothing may be sent. The wait ends by `until`, else
    /// after a lease (the longest any slot is held: one must have freed by then, unless
    /// other clients sharing the store keep taking them first); then the POST fails with
    /// `ErrorKind::Timeout`, unsent.
    pub(crate) fn acquire(&self, log: &Logger, until: Option<Instant>) -> Result<Option<Ticket>> {
        let Some(inner) = &self.inner else {
            return Ok(None);
        };
        let id = next_slot_id();
        let started = Instant::now();
        let deadline = until.unwrap_or(started + inner.lease);
        let _turn = inner
            .turnstile
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "POST limit: none of its {} slots came free within {} ms; nothing \
                         was sent",
                        inner.limit,
                        started.elapsed().as_millis()
                    ),
                ));
            }
            let (store, fallback) = inner.current();
            let slot = inner.slot(&id, inner.lease);
            match store.try_acquire(&slot) {
                Ok(Admission::Taken) => {
                    if !fallback {
                        inner.store_works(log);
                    }
                    let waited = started.elapsed();
                    if waited >= Duration::from_millis(1) {
                        log.log(LogLevel::Debug, || {
                            format!("POST limit: waited {} ms for a slot", waited.as_millis())
                        });
                    }
                    return Ok(Some(Ticket { id, fallback }));
                }
                Ok(Admission::Wait(d)) => {
                    std::thread::sleep(d.clamp(Duration::from_millis(1), inner.poll).min(left));
                }
                Err(problem) if !fallback && inner.fallback.is_some() => {
                    inner.store_failed(&problem, log);
                }
                Err(problem) => return Err(store_error(&store.describe(), &problem)),
            }
        }
    }

    /// Marks the POST answered (or failed): its slot expires a window from now. A store that
    /// cannot be told is logged; the slot then ends with its lease.
    pub(crate) fn release(&self, ticket: Ticket, log: &Logger) {
        let Some(inner) = &self.inner else {
            return;
        };
        let store = match (ticket.fallback, &inner.fallback) {
            (true, Some(fallback)) => fallback,
            _ => &inner.store,
        };
        if let Err(problem) = store.release(&inner.slot(&ticket.id, inner.hold)) {
            log.log(LogLevel::Info, || {
                format!(
                    "POST limit: {}: could not release a slot ({problem}); it ends with its lease",
                    store.describe()
                )
            });
        }
    }

    /// The API answered a POST with 429 and `Retry-After`: every client sharing the store
    /// waits that long before its next POST.
    pub(crate) fn cooldown(&self, pause: Duration, log: &Logger) {
        let Some(inner) = &self.inner else {
            return;
        };
        let (store, _) = inner.current();
        if let Err(problem) = store.cooldown(&inner.key_id, pause.min(MAX_COOLDOWN)) {
            log.log(LogLevel::Info, || {
                format!(
                    "POST limit: {}: could not share a 429's pause ({problem})",
                    store.describe()
                )
            });
        }
    }
}

impl Inner {
    fn slot<'a>(&'a self, id: &'a str, hold: Duration) -> PostSlot<'a> {
        PostSlot {
            id,
            key_id: &self.key_id,
            limit: self.limit,
            hold,
        }
    }

    /// The store to ask: the configured one, unless it failed less than [`STORE_RETRY`] ago
    /// and the process scope stands in.
    fn current(&self) -> (&Arc<dyn PostSlotStore>, bool) {
        if let Some(fallback) = &self.fallback {
            let failed = *self
                .failed_at
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if failed.is_some_and(|t| t.elapsed() < STORE_RETRY) {
                return (fallback, true);
            }
        }
        (&self.store, false)
    }

    fn store_failed(&self, problem: &str, log: &Logger) {
        let mut failed = self
            .failed_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if failed.is_none() {
            log.log(LogLevel::Info, || {
                format!(
                    "POST limit: {} cannot be used ({problem}); counting in the process scope \
                     until it can (post_limit_fallback)",
                    self.store.describe()
                )
            });
        }
        *failed = Some(Instant::now());
    }

    fn store_works(&self, log: &Logger) {
        if self.fallback.is_none() {
            return;
        }
        let mut failed = self
            .failed_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if failed.take().is_some() {
            log.log(LogLevel::Info, || {
                format!("POST limit: {} is back in use", self.store.describe())
            });
        }
    }
}

/// The error of a POST that could not be counted: names the store; nothing was sent.
fn store_error(store: &str, problem: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::LimiterStore,
        format!("post_limit_scope: {store}: {problem}; the POST was not sent"),
    );
    e.0.field = Some("post_limit_scope".into());
    e
}

/// Names one key's count without revealing the key: the first 128 bits of a SHA-256 of the
/// base URL and the key, in hex. The base URL is part of it because two servers count apart.
pub(crate) fn key_id(base_url: &str, api_key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"jogg post limit\n");
    hash.update(base_url.as_bytes());
    hash.update(b"\n");
    hash.update(api_key.as_bytes());
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A slot id no other process or host will make: a random token drawn once per process,
/// then a counter.
fn next_slot_id() -> String {
    static TOKEN: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let token = TOKEN.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        format!("{:016x}{:08x}", h.finish(), std::process::id())
    });
    format!("{token}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Logger;
    use crate::scrub::Scrubber;

    fn settings(limit: u32, window: Duration, scope: PostLimitScope) -> Settings {
        Settings {
            limit,
            window,
            scope,
            dir: None,
            fallback: PostLimitFallback::Error,
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            clock_skew_ms: 0,
        }
    }

    fn limiter(limit: u32, window: Duration, scope: PostLimitScope) -> PostLimiter {
        PostLimiter::new(&settings(limit, window, scope), "http://127.0.0.1:1", "k")
    }

    fn quiet() -> Logger {
        Logger::new(
            LogLevel::Off,
            None,
            Arc::new(Scrubber::new(["k".to_string()])),
        )
    }

    #[test]
    fn never_more_than_limit_in_any_window() {
        let window = Duration::from_millis(200);
        let limiter = Arc::new(limiter(3, window, PostLimitScope::Client));
        let sends = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (limiter, sends) = (limiter.clone(), sends.clone());
                std::thread::spawn(move || {
                    for _ in 0..3 {
                        let t = limiter.acquire(&quiet(), None).unwrap().unwrap();
                        sends.lock().unwrap().push(Instant::now());
                        limiter.release(t, &quiet());
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut sends = sends.lock().unwrap().clone();
        sends.sort();
        assert_eq!(sends.len(), 12);
        for pair in sends.windows(4) {
            assert!(
                pair[3] - pair[0] >= window,
                "4 sends within {:?}",
                pair[3] - pair[0]
            );
        }
    }

    #[test]
    fn zero_disables() {
        let limiter = limiter(0, Duration::from_secs(3600), PostLimitScope::Host);
        for _ in 0..100 {
            assert!(limiter.acquire(&quiet(), None).unwrap().is_none());
        }
    }

    #[test]
    fn the_process_scope_is_one_count_per_key_and_base_url() {
        let window = Duration::from_secs(3600);
        let a = limiter(2, window, PostLimitScope::Process);
        let b = limiter(2, window, PostLimitScope::Process);
        let inner = |l: &PostLimiter| l.inner.as_ref().unwrap().store.clone();
        assert!(Arc::ptr_eq(&inner(&a), &inner(&b)));
        let c = limiter(2, window, PostLimitScope::Client);
        assert!(!Arc::ptr_eq(&inner(&a), &inner(&c)));
        assert_ne!(
            key_id("http://127.0.0.1:1", "k"),
            key_id("http://127.0.0.1:2", "k")
        );
    }

    #[test]
    fn slot_ids_are_unique_and_key_ids_hide_the_key() {
        assert_ne!(next_slot_id(), next_slot_id());
        let id = key_id("https://api.jogg.ai", "sk-SENTINEL");
        assert_eq!(id.len(), 32);
        assert!(!id.contains("SENTINEL"));
    }

    /// A store whose slots are always taken by others.
    struct Full;
    impl PostSlotStore for Full {
        fn try_acquire(&self, _: &PostSlot<'_>) -> std::result::Result<Admission, String> {
            Ok(Admission::Wait(Duration::from_secs(3600)))
        }
        fn release(&self, _: &PostSlot<'_>) -> std::result::Result<(), String> {
            Ok(())
        }
        fn describe(&self) -> String {
            "the full store".into()
        }
    }

    #[test]
    fn a_slot_that_never_comes_free_ends_the_post_by_its_deadline_unsent() {
        let l = limiter(
            5,
            Duration::from_secs(60),
            PostLimitScope::Store(Arc::new(Full)),
        );
        let until = Instant::now() + Duration::from_millis(20);
        let e = l.acquire(&quiet(), Some(until)).unwrap_err();
        assert!(Instant::now() >= until);
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert!(!e.maybe_processed());
        assert!(e.message().contains("nothing was sent"), "{e}");
    }

    /// A store that always fails, to see the error and the fallback.
    struct Broken;
    impl PostSlotStore for Broken {
        fn try_acquire(&self, _: &PostSlot<'_>) -> std::result::Result<Admission, String> {
            Err("out of order".into())
        }
        fn release(&self, _: &PostSlot<'_>) -> std::result::Result<(), String> {
            Err("out of order".into())
        }
        fn describe(&self) -> String {
            "the broken store".into()
        }
    }

    #[test]
    fn a_failing_store_is_an_error_naming_it_unless_falling_back() {
        let l = limiter(
            5,
            Duration::from_secs(60),
            PostLimitScope::Store(Arc::new(Broken)),
        );
        let e = l.acquire(&quiet(), None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::LimiterStore);
        assert_eq!(e.field(), Some("post_limit_scope"));
        assert!(
            e.message().contains("the broken store: out of order"),
            "{e}"
        );

        let mut settings = settings(
            5,
            Duration::from_secs(60),
            PostLimitScope::Store(Arc::new(Broken)),
        );
        settings.fallback = PostLimitFallback::Process;
        let l = PostLimiter::new(&settings, "http://127.0.0.1:1", "k2");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = lines.clone();
        let log = Logger::new(
            LogLevel::Info,
            Some(crate::log::LogSink::new(move |_, line| {
                seen.lock().unwrap().push(line.to_string())
            })),
            Arc::new(Scrubber::new(["k2".to_string()])),
        );
        for _ in 0..3 {
            let t = l.acquire(&log, None).unwrap().unwrap();
            assert!(t.fallback);
            l.release(t, &log);
        }
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 1, "logged once: {lines:?}");
        assert!(lines[0].contains("the broken store cannot be used (out of order)"));
    }
}
