//! The client-side POST limiter: never more than `limit` POSTs in any `window`.
//!
//! The API allows 20 POSTs per minute per key and does not say whether it counts fixed or
//! sliding windows (api-notes §7). A request is counted by the server when it arrives, which
//! is somewhere between our send and our receipt of the answer. So each slot is held from
//! the send until the answer came back plus `window` (plus a small margin for clock
//! granularity): then any two POSTs `limit` apart arrive at least `window` apart, which
//! satisfies both kinds of counting. One limiter per client, shared by all its threads.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct PostLimiter {
    limit: usize,
    window: Duration,
    margin: Duration,
    /// One entry per POST still counted: `None` while in flight, else when its answer came.
    slots: Mutex<VecDeque<Slot>>,
    freed: Condvar,
}

#[derive(Debug)]
struct Slot {
    id: u64,
    done: Option<Instant>,
}

/// A POST's place in the window; hand it back with [`PostLimiter::release`].
#[derive(Debug)]
pub(crate) struct Ticket(u64);

impl PostLimiter {
    /// `limit` 0 disables limiting.
    pub(crate) fn new(limit: u32, window: Duration) -> PostLimiter {
        PostLimiter {
            limit: limit as usize,
            window,
            margin: (window / 100).max(Duration::from_millis(20)),
            slots: Mutex::new(VecDeque::new()),
            freed: Condvar::new(),
        }
    }

    /// Blocks until a POST may be sent without exceeding the limit, and takes a slot.
    pub(crate) fn acquire(&self) -> Ticket {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.limit == 0 {
            return Ticket(id);
        }
        let mut slots = self.lock();
        loop {
            let now = Instant::now();
            let hold = self.window + self.margin;
            slots.retain(|s| {
                s.done
                    .is_none_or(|t| now.saturating_duration_since(t) < hold)
            });
            if slots.len() < self.limit {
                slots.push_back(Slot { id, done: None });
                return Ticket(id);
            }
            // Full: wake when the earliest finished slot expires, or when a slot finishes.
            let wait = slots
                .iter()
                .filter_map(|s| s.done)
                .min()
                .map(|t| (t + hold).saturating_duration_since(now));
            slots = match wait {
                Some(d) => {
                    self.freed
                        .wait_timeout(slots, d)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .freed
                    .wait(slots)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    /// Marks the POST answered (or failed): its slot expires `window` from now.
    pub(crate) fn release(&self, ticket: Ticket) {
        if self.limit == 0 {
            return;
        }
        let mut slots = self.lock();
        if let Some(slot) = slots.iter_mut().find(|s| s.id == ticket.0) {
            slot.done = Some(Instant::now());
        }
        drop(slots);
        self.freed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Slot>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn never_more_than_limit_in_any_window() {
        let window = Duration::from_millis(200);
        let limiter = Arc::new(PostLimiter::new(3, window));
        let sends = Arc::new(Mutex::new(Vec::new()));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (limiter, sends) = (limiter.clone(), sends.clone());
                std::thread::spawn(move || {
                    for _ in 0..3 {
                        let t = limiter.acquire();
                        sends.lock().unwrap().push(Instant::now());
                        limiter.release(t);
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
        let limiter = PostLimiter::new(0, Duration::from_secs(3600));
        for _ in 0..100 {
            let t = limiter.acquire();
            limiter.release(t);
        }
    }
}
