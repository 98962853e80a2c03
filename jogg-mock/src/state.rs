//! Mutable server state: projects and their simulated render progress, the
//! per-key POST rate limiter, webhook endpoints, uploaded assets, the clock
//! and the id generator.
//!
//! Render progress is not driven by a background thread: a project's status
//! is computed from its creation instant whenever it is asked for, so there
//! is nothing to race with in tests. Only webhook delivery needs to act at
//! the end of a render on its own; `webhooks` schedules that separately.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::PostWindow;

/// Assumed speaking rate used to turn a script into a video length
/// (about 150 words a minute).
const SCRIPT_CHARS_PER_SECOND: u64 = 15;
/// Length reported for audio-driven videos, whose audio the mock never fetches.
const AUDIO_VIDEO_SECONDS: u64 = 10;

/// Source of time for the simulation. A single seam so that a test hook
/// (frozen or advanced time) can be added later without touching callers.
#[derive(Debug, Default)]
pub(crate) struct Clock;

impl Clock {
    /// Monotonic time for render progress and rate-limit windows.
    pub(crate) fn now(&self) -> Instant {
        Instant::now()
    }

    /// Wall-clock time for `created_at`, in whole unix seconds.
    pub(crate) fn unix_seconds(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

/// Generates 32-character lowercase hex ids (project ids and `rid`s).
///
/// The first half is a bijective mix of a counter, so ids never repeat within
/// one server; the seed comes from std's per-process random hasher keys so
/// ids differ between runs without a `rand` dependency.
#[derive(Debug)]
pub(crate) struct IdGen {
    seed: u64,
    counter: AtomicU64,
}

impl IdGen {
    pub(crate) fn new() -> Self {
        IdGen {
            seed: RandomState::new().hash_one(0x6a6f_6767_u64),
            counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn hex32(&self) -> String {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        let high = splitmix64(self.seed ^ count);
        let low = splitmix64(high ^ self.seed.rotate_left(32));
        format!("{high:016x}{low:016x}")
    }
}

/// SplitMix64 finaliser: a bijection on u64 with good bit diffusion.
pub(crate) fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// v1 `status_code` values (REFERENCE 6.1) that the simulation goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenderStatus {
    Start,
    Waiting,
    Processing,
    Success,
    Failed,
}

impl RenderStatus {
    pub(crate) fn code(self) -> i64 {
        match self {
            RenderStatus::Start => 1,
            RenderStatus::Waiting => 2,
            RenderStatus::Processing => 3,
            RenderStatus::Success => 4,
            RenderStatus::Failed => 5,
        }
    }

    pub(crate) fn description(self) -> &'static str {
        match self {
            RenderStatus::Start => "start",
            RenderStatus::Waiting => "waiting",
            RenderStatus::Processing => "processing",
            RenderStatus::Success => "success",
            RenderStatus::Failed => "failed",
        }
    }
}

/// What a create call asked for, reduced to what the simulation needs.
#[derive(Debug)]
pub(crate) struct NewProject<'a> {
    pub(crate) title: String,
    /// `None` for audio-driven videos.
    pub(crate) script: Option<&'a str>,
}

/// One accepted video task.
#[derive(Debug)]
pub(crate) struct Project {
    pub(crate) id: String,
    /// The API key that created it: projects are invisible to other keys.
    owner: String,
    pub(crate) title: String,
    pub(crate) created_unix: u64,
    created: Instant,
    will_fail: bool,
    duration_seconds: u64,
}

impl Project {
    /// Status at `now` for a render lasting `render_ms`: the first 10 % is
    /// "start", up to 25 % "waiting", then "processing" until done.
    /// Integer arithmetic keeps the thresholds exact.
    pub(crate) fn status_at(&self, now: Instant, render_ms: u64) -> RenderStatus {
        let elapsed = now.saturating_duration_since(self.created).as_millis();
        let total = u128::from(render_ms);
        if elapsed >= total {
            return if self.will_fail {
                RenderStatus::Failed
            } else {
                RenderStatus::Success
            };
        }
        if elapsed * 100 < total * 10 {
            RenderStatus::Start
        } else if elapsed * 100 < total * 25 {
            RenderStatus::Waiting
        } else {
            RenderStatus::Processing
        }
    }

    /// When the render ends (status 4 or 5) for a render lasting `render_ms`.
    pub(crate) fn finishes_at(&self, render_ms: u64) -> Instant {
        self.created + Duration::from_millis(render_ms)
    }

    pub(crate) fn owner(&self) -> &str {
        &self.owner
    }

    /// The final status, whenever it is reached.
    pub(crate) fn outcome(&self) -> RenderStatus {
        if self.will_fail {
            RenderStatus::Failed
        } else {
            RenderStatus::Success
        }
    }

    /// Length of the finished video; 0 while rendering or after a failure,
    /// because no video exists then.
    pub(crate) fn duration_for(&self, status: RenderStatus) -> u64 {
        if status == RenderStatus::Success {
            self.duration_seconds
        } else {
            0
        }
    }
}

fn script_seconds(script: &str) -> u64 {
    let chars = script.chars().count() as u64;
    chars.div_ceil(SCRIPT_CHARS_PER_SECOND).max(1)
}

/// Outcome of asking the rate limiter to let a POST through.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// Counted; `remaining` more POSTs fit in the current window.
    Allowed { remaining: u32 },
    /// Refused (and not counted); a slot frees up in `retry_after_secs`.
    Limited { retry_after_secs: u64 },
}

/// Admitted POSTs per API key, counted in sliding or fixed windows.
///
/// Refused POSTs are not counted, so `Retry-After` is exact: once the oldest
/// logged POST leaves the sliding window, or the fixed window ends, the next
/// one is admitted. Only authenticated keys reach the limiter, so the maps
/// cannot grow unbounded.
#[derive(Debug, Default)]
struct PostLimiter {
    /// Sliding: the instants of the POSTs still in the window.
    log: HashMap<String, VecDeque<Instant>>,
    /// Fixed: the window index and the POSTs admitted in it.
    fixed: HashMap<String, (u128, u32)>,
    /// Fixed windows start here: the first POST the server counted.
    origin: Option<Instant>,
}

impl PostLimiter {
    fn admit(
        &mut self,
        key: &str,
        now: Instant,
        limit: u32,
        window: Duration,
        kind: PostWindow,
    ) -> Admission {
        match kind {
            PostWindow::Sliding => self.admit_sliding(key, now, limit, window),
            PostWindow::Fixed => self.admit_fixed(key, now, limit, window),
        }
    }

    fn admit_fixed(&mut self, key: &str, now: Instant, limit: u32, window: Duration) -> Admission {
        let origin = *self.origin.get_or_insert(now);
        let span = window.as_nanos().max(1);
        let index = now.saturating_duration_since(origin).as_nanos() / span;
        let (current, used) = self.fixed.entry(key.to_owned()).or_insert((index, 0));
        if *current != index {
            (*current, *used) = (index, 0);
        }
        if *used >= limit {
            let ends = Duration::from_nanos(u64::try_from((index + 1) * span).unwrap_or(u64::MAX));
            let wait = ends.saturating_sub(now.saturating_duration_since(origin));
            return Admission::Limited {
                retry_after_secs: ceil_seconds(wait).max(1),
            };
        }
        *used += 1;
        Admission::Allowed {
            remaining: limit - *used,
        }
    }

    fn admit_sliding(
        &mut self,
        key: &str,
        now: Instant,
        limit: u32,
        window: Duration,
    ) -> Admission {
        let log = self.log.entry(key.to_owned()).or_default();
        while log
            .front()
            .is_some_and(|&oldest| now.saturating_duration_since(oldest) >= window)
        {
            log.pop_front();
        }
        let used = u32::try_from(log.len()).unwrap_or(u32::MAX);
        if used >= limit {
            let wait = log.front().map_or(window, |&oldest| {
                window.saturating_sub(now.saturating_duration_since(oldest))
            });
            return Admission::Limited {
                retry_after_secs: ceil_seconds(wait).max(1),
            };
        }
        log.push_back(now);
        Admission::Allowed {
            remaining: limit - used - 1,
        }
    }
}

fn ceil_seconds(duration: Duration) -> u64 {
    let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
    millis.div_ceil(1000)
}

/// The API generation a request came through; v1 and v2 differ in reply
/// shapes and in the `User-Agent` of deliveries (D52).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    V1,
    V2,
}

/// A registered webhook endpoint (REFERENCE 3.16).
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub(crate) id: String,
    /// The API key that registered it: only its projects are delivered here.
    pub(crate) owner: String,
    pub(crate) url: String,
    pub(crate) secret: String,
    pub(crate) enabled: bool,
    pub(crate) events: Vec<String>,
    pub(crate) created_at: u64,
    pub(crate) version: ApiVersion,
}

/// A signed upload slot and, once PUT, its bytes.
#[derive(Debug)]
pub(crate) struct Upload {
    /// The signature the PUT must present in its query string.
    pub(crate) signature: String,
    /// v2 binds the type and size declared when asking for the URL.
    pub(crate) declared_type: Option<String>,
    pub(crate) declared_size: Option<u64>,
    /// The type the file is served with (declared, or sent with the PUT).
    pub(crate) content_type: String,
    pub(crate) bytes: Option<Vec<u8>>,
}

/// Everything that changes while the server runs, behind one mutex.
#[derive(Debug, Default)]
pub(crate) struct State {
    projects: HashMap<String, Project>,
    limiter: PostLimiter,
    /// In creation order, so lists are stable.
    pub(crate) endpoints: Vec<Endpoint>,
    /// By upload token.
    pub(crate) uploads: HashMap<String, Upload>,
}

impl State {
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

    /// Stores a new project owned by `owner`. The failure decision is taken
    /// here, once, so later polls are consistent. An empty `fail_marker`
    /// disables failures instead of matching every script.
    pub(crate) fn add_project(
        &mut self,
        id: String,
        owner: &str,
        request: NewProject<'_>,
        fail_marker: &str,
        clock: &Clock,
    ) {
        let will_fail = !fail_marker.is_empty()
            && request
                .script
                .is_some_and(|script| script.contains(fail_marker));
        let duration_seconds = request.script.map_or(AUDIO_VIDEO_SECONDS, script_seconds);
        let project = Project {
            id: id.clone(),
            owner: owner.to_owned(),
            title: request.title,
            created_unix: clock.unix_seconds(),
            created: clock.now(),
            will_fail,
            duration_seconds,
        };
        self.projects.insert(id, project);
    }

    /// The project `id` if `key` owns it; another key's project looks
    /// exactly like a missing one, as on the real service.
    pub(crate) fn project_owned_by(&self, id: &str, key: &str) -> Option<&Project> {
        self.projects.get(id).filter(|project| project.owner == key)
    }

    /// The project `id` regardless of owner (media downloads need no key).
    pub(crate) fn project(&self, id: &str) -> Option<&Project> {
        self.projects.get(id)
    }

    pub(crate) fn projects_created(&self) -> usize {
        self.projects.len()
    }
}

#[cfg(test)]
mod tests {
    //! Time-dependent rules checked with synthetic instants, which the
    //! black-box tests cannot do without sleeping.

    use super::*;

    const WINDOW: Duration = Duration::from_secs(60);
    const SLIDING: PostWindow = PostWindow::Sliding;

    #[test]
    fn limiter_slides_and_reports_exact_retry_after() {
        let mut limiter = PostLimiter::default();
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert_eq!(
            limiter.admit("k", at(0), 2, WINDOW, SLIDING),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            limiter.admit("k", at(10_000), 2, WINDOW, SLIDING),
            Admission::Allowed { remaining: 0 }
        );
        // Oldest POST leaves the window at 60 s: 59.5 s from 0.5 s, rounded up.
        assert_eq!(
            limiter.admit("k", at(500), 2, WINDOW, SLIDING),
            Admission::Limited {
                retry_after_secs: 60
            }
        );
        assert_eq!(
            limiter.admit("k", at(59_900), 2, WINDOW, SLIDING),
            Admission::Limited {
                retry_after_secs: 1
            }
        );
        assert_eq!(
            limiter.admit("k", at(60_000), 2, WINDOW, SLIDING),
            Admission::Allowed { remaining: 0 }
        );
        assert_eq!(
            limiter.admit("other", at(60_000), 2, WINDOW, SLIDING),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            limiter.admit("z", at(0), 0, WINDOW, SLIDING),
            Admission::Limited {
                retry_after_secs: 60
            }
        );
    }

    #[test]
    fn fixed_windows_restart_at_each_boundary() {
        let mut limiter = PostLimiter::default();
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let fixed = |limiter: &mut PostLimiter, key: &str, ms: u64| {
            limiter.admit(key, at(ms), 2, WINDOW, PostWindow::Fixed)
        };
        // The first POST starts window 0 (0 to 60 s).
        assert_eq!(
            fixed(&mut limiter, "k", 0),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            fixed(&mut limiter, "k", 59_000),
            Admission::Allowed { remaining: 0 }
        );
        assert_eq!(
            fixed(&mut limiter, "k", 59_500),
            Admission::Limited {
                retry_after_secs: 1
            }
        );
        // A sliding window would refuse this one (two POSTs in the last 60 s); a fixed
        // window has just restarted.
        assert_eq!(
            fixed(&mut limiter, "k", 60_000),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            fixed(&mut limiter, "k", 60_001),
            Admission::Allowed { remaining: 0 }
        );
        assert_eq!(
            fixed(&mut limiter, "k", 61_000),
            Admission::Limited {
                retry_after_secs: 59
            }
        );
        // Windows are shared by all keys; counts are not.
        assert_eq!(
            fixed(&mut limiter, "other", 119_999),
            Admission::Allowed { remaining: 1 }
        );
        assert_eq!(
            fixed(&mut limiter, "k", 120_000),
            Admission::Allowed { remaining: 1 }
        );
    }

    #[test]
    fn status_follows_render_fractions() {
        let mut state = State::default();
        let clock = Clock;
        let request = NewProject {
            title: "t".to_owned(),
            script: Some("hello"),
        };
        state.add_project("p".to_owned(), "k", request, "FAIL", &clock);
        let project = state.project("p").expect("stored");
        let at = |ms: u64| project.created + Duration::from_millis(ms);
        let status = |ms: u64| project.status_at(at(ms), 1000);
        assert_eq!(status(0), RenderStatus::Start);
        assert_eq!(status(99), RenderStatus::Start);
        assert_eq!(status(100), RenderStatus::Waiting);
        assert_eq!(status(249), RenderStatus::Waiting);
        assert_eq!(status(250), RenderStatus::Processing);
        assert_eq!(status(999), RenderStatus::Processing);
        assert_eq!(status(1000), RenderStatus::Success);
        assert_eq!(project.status_at(at(0), 0), RenderStatus::Success);
        assert_eq!(project.duration_for(RenderStatus::Success), 1);
        assert_eq!(project.duration_for(RenderStatus::Processing), 0);
        assert!(state.project_owned_by("p", "other").is_none());
    }

    #[test]
    fn script_length_drives_duration_and_marker_drives_failure() {
        assert_eq!(script_seconds(""), 1);
        assert_eq!(script_seconds(&"a".repeat(15)), 1);
        assert_eq!(script_seconds(&"a".repeat(16)), 2);
        let mut state = State::default();
        let failing = NewProject {
            title: String::new(),
            script: Some("please FAIL now"),
        };
        state.add_project("f".to_owned(), "k", failing, "FAIL", &Clock);
        let never = NewProject {
            title: String::new(),
            script: Some("anything"),
        };
        state.add_project("n".to_owned(), "k", never, "", &Clock);
        let now = Instant::now() + Duration::from_secs(1);
        let status = |id: &str| state.project(id).map(|p| p.status_at(now, 0));
        assert_eq!(status("f"), Some(RenderStatus::Failed));
        assert_eq!(status("n"), Some(RenderStatus::Success));
    }
}
