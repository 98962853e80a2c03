//! The POST rate limit: at most `post_limit` POSTs per API key in a window, counted sliding
//! or fixed (the service documents 20 a minute, not how the window moves, api-notes §7).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::PostWindow;

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
pub(crate) struct PostLimiter {
    /// Sliding: the instants of the POSTs still in the window.
    log: HashMap<String, VecDeque<Instant>>,
    /// Fixed: the window index and the POSTs admitted in it.
    fixed: HashMap<String, (u128, u32)>,
    /// Fixed windows start here: the first POST the server counted.
    origin: Option<Instant>,
}

impl PostLimiter {
    pub(crate) fn admit(
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
}
