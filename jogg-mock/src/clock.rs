//! Time and identifiers of the simulation: the clock every render and rate-limit window
//! reads, and the generator of the 32-hex ids (projects, `rid`s, upload tokens).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

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
