//! Slots in memory: the `client` scope, and the `process` scope (one store per key and base
//! URL, found through a registry).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::{Admission, PostSlot, PostSlotStore};

#[derive(Debug, Default)]
pub(crate) struct LocalStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Slot id and expiry; a handful at most (the limit).
    slots: Vec<(String, Instant)>,
    cooldown_until: Option<Instant>,
}

impl LocalStore {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Nothing held and no cooldown: forgetting the store loses nothing.
    fn is_idle(&self) -> bool {
        let state = self.lock();
        let now = Instant::now();
        state.slots.iter().all(|(_, expiry)| *expiry <= now)
            && state.cooldown_until.is_none_or(|t| t <= now)
    }
}

impl PostSlotStore for LocalStore {
    fn try_acquire(&self, slot: &PostSlot<'_>) -> Result<Admission, String> {
        let mut state = self.lock();
        let now = Instant::now();
        state.slots.retain(|(_, expiry)| *expiry > now);
        if let Some(until) = state.cooldown_until.filter(|t| *t > now) {
            return Ok(Admission::Wait(until - now));
        }
        if state.slots.len() < slot.limit as usize {
            state.slots.push((slot.id.to_string(), now + slot.hold));
            return Ok(Admission::Taken);
        }
        let first = state.slots.iter().map(|(_, e)| *e).min().unwrap_or(now);
        Ok(Admission::Wait(first - now))
    }

    fn release(&self, slot: &PostSlot<'_>) -> Result<(), String> {
        let mut state = self.lock();
        let expiry = Instant::now() + slot.hold;
        match state.slots.iter_mut().find(|(id, _)| id == slot.id) {
            Some(held) => held.1 = expiry,
            None => state.slots.push((slot.id.to_string(), expiry)),
        }
        Ok(())
    }

    fn cooldown(&self, _key_id: &str, pause: Duration) -> Result<(), String> {
        let mut state = self.lock();
        let until = Instant::now() + pause;
        if state.cooldown_until.is_none_or(|t| t < until) {
            state.cooldown_until = Some(until);
        }
        Ok(())
    }

    fn describe(&self) -> String {
        "the process scope".to_string()
    }
}

/// The process-wide store of `key_id`: the same one for every client that asks. It outlives
/// its clients while it holds slots, so a program that makes a client per job still counts
/// the POSTs of the jobs before; it is dropped once idle and unused.
pub(crate) fn for_process(key_id: &str) -> Arc<LocalStore> {
    static REGISTRY: OnceLock<Mutex<HashMap<String, Arc<LocalStore>>>> = OnceLock::new();
    let mut stores = REGISTRY
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(store) = stores.get(key_id) {
        return store.clone();
    }
    stores.retain(|_, store| Arc::strong_count(store) > 1 || !store.is_idle());
    let store = Arc::new(LocalStore::default());
    stores.insert(key_id.to_string(), store.clone());
    store
}
