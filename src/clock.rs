//! Time as a wait sees it, and how it sleeps: on the system clock, or on a manual clock that
//! tests move by hand, so that a test of the poll schedule neither sleeps nor races.
//!
//! A wait sleeps on a [`Bell`] until its next poll is due. Whoever has news for it (a webhook
//! delivery, a manual clock moving on) rings the bell; the wait then looks at what changed.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

/// The clock of a client's waits.
#[derive(Clone, Debug, Default)]
pub(crate) enum Clock {
    #[default]
    System,
    Manual(Arc<ManualClock>),
}

impl Clock {
    pub fn now(&self) -> Instant {
        match self {
            Clock::System => Instant::now(),
            Clock::Manual(clock) => clock.now(),
        }
    }

    /// Makes `bell` ring whenever this clock moves (manual clocks only: the system clock
    /// wakes sleepers by their timeout).
    pub fn attach(&self, bell: &Arc<Bell>) {
        if let Clock::Manual(clock) = self {
            clock.lock().bells.push(Arc::downgrade(bell));
        }
    }

    /// Blocks until this clock reads `until` or later, or until `bell` has rung more than
    /// `rings` times (read it with [`Bell::rings`] before looking at what a ring announces,
    /// so that no ring is missed).
    pub fn sleep(&self, bell: &Bell, rings: u64, until: Instant) {
        let mut count = bell.lock();
        while *count == rings {
            let now = self.now();
            if now >= until {
                return;
            }
            count = match self {
                Clock::System => {
                    bell.rung
                        .wait_timeout(count, until - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                // A manual clock only moves by `advance`, which rings: no timeout to keep.
                Clock::Manual(_) => bell
                    .rung
                    .wait(count)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// The system instant at which this clock will read `at`: what a request sent now must
    /// end by, given a deadline on this clock.
    pub fn to_system(&self, at: Instant) -> Instant {
        match self {
            Clock::System => at,
            Clock::Manual(_) => {
                let now = self.now();
                let system = Instant::now();
                match at.checked_duration_since(now) {
                    Some(ahead) => system + ahead,
                    None => system.checked_sub(now - at).unwrap_or(system),
                }
            }
        }
    }
}

/// A counter of rings and the condition variable that announces them.
#[derive(Debug, Default)]
pub(crate) struct Bell {
    rings: Mutex<u64>,
    rung: Condvar,
}

impl Bell {
    fn lock(&self) -> MutexGuard<'_, u64> {
        self.rings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn rings(&self) -> u64 {
        *self.lock()
    }

    pub fn ring(&self) {
        *self.lock() += 1;
        self.rung.notify_all();
    }
}

/// A clock that stands still until [`ManualClock::advance`] moves it: for tests of waits.
/// Give it to a client with [`Client::with_manual_clock`](crate::Client::with_manual_clock).
pub struct ManualClock {
    /// The system instant it was made at, which it read then.
    origin: Instant,
    state: Mutex<ManualState>,
}

struct ManualState {
    offset: Duration,
    bells: Vec<Weak<Bell>>,
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("offset", &self.lock().offset)
            .finish_non_exhaustive()
    }
}

impl ManualClock {
    pub fn new() -> Arc<ManualClock> {
        Arc::new(ManualClock {
            origin: Instant::now(),
            state: Mutex::new(ManualState {
                offset: Duration::ZERO,
                bells: Vec::new(),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, ManualState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn now(&self) -> Instant {
        self.origin + self.lock().offset
    }

    /// Moves the clock on by `by` and wakes every wait sleeping on it.
    pub fn advance(&self, by: Duration) {
        let bells: Vec<Arc<Bell>> = {
            let mut state = self.lock();
            state.offset += by;
            state.bells.retain(|b| b.strong_count() > 0);
            state.bells.iter().filter_map(Weak::upgrade).collect()
        };
        for bell in bells {
            bell.ring();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_sleep_ends_when_the_clock_passes_its_time() {
        let manual = ManualClock::new();
        let clock = Clock::Manual(manual.clone());
        let bell = Arc::new(Bell::default());
        clock.attach(&bell);
        let until = clock.now() + Duration::from_secs(30);
        let (tx, rx) = std::sync::mpsc::channel();
        let sleeper = {
            let (clock, bell) = (clock.clone(), bell.clone());
            std::thread::spawn(move || {
                tx.send(()).unwrap();
                // As the wait loop does: a ring ends a sleep, so look at the clock again.
                loop {
                    let rings = bell.rings();
                    if clock.now() >= until {
                        return clock.now();
                    }
                    clock.sleep(&bell, rings, until);
                }
            })
        };
        rx.recv().unwrap();
        manual.advance(Duration::from_secs(10));
        manual.advance(Duration::from_secs(20));
        assert_eq!(sleeper.join().unwrap(), until);
    }

    #[test]
    fn a_ring_ends_a_sleep() {
        let clock = Clock::Manual(ManualClock::new());
        let bell = Bell::default();
        let rings = bell.rings();
        bell.ring();
        // Rung after the count was read: returns at once, whatever the time.
        clock.sleep(&bell, rings, clock.now() + Duration::from_secs(3600));
        // The system clock returns at its time.
        Clock::System.sleep(&bell, bell.rings(), Instant::now());
    }

    #[test]
    fn manual_deadlines_map_to_system_time() {
        let manual = ManualClock::new();
        let clock = Clock::Manual(manual.clone());
        manual.advance(Duration::from_secs(100));
        let at = clock.now() + Duration::from_secs(5);
        let system = clock.to_system(at);
        assert!(system > Instant::now() + Duration::from_secs(4));
        assert!(system <= Instant::now() + Duration::from_secs(5));
    }
}
