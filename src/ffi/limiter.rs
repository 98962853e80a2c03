//! A POST limiter store of the caller's own, through C callbacks: the C form of
//! [`PostSlotStore`](crate::PostSlotStore).

// As in exports.rs: each function's safety contract is its header comment, written for C.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{CString, c_char, c_void};
use std::time::Duration;

use super::boundary::{fallible, null_argument, out_arg, str_arg};
use super::exports::{SendPtr, jogg_client, jogg_code};
use crate::client::Client;
use crate::limiter::{Admission, PostLimitScope, PostSlot, PostSlotStore};

/// One POST's slot, borrowed for the duration of a `jogg_post_limiter` callback.
#[repr(C)]
pub struct jogg_post_slot {
    /// Unique across processes and hosts.
    pub id: *const c_char,
    /// Which shared count: 32 hex digits, a hash of the base URL and the API key (never the
    /// key itself). Clients with the same key and base URL share one count.
    pub key_id: *const c_char,
    /// How many slots of `key_id` may be held at once (the config's `post_limit`).
    pub limit: u32,
    /// How long the slot is held from now, in ms: in `acquire` its lease (request timeout +
    /// window + margin, in case its answer is never reported), in `release` the window +
    /// margin.
    pub hold_ms: u64,
}

/// Takes `slot` if fewer than `slot->limit` slots of `slot->key_id` are held and no cooldown
/// runs: drops the expired slots and records `slot->id` as expiring `slot->hold_ms` from now,
/// atomically, then sets `*wait_ms` to 0. Otherwise sets `*wait_ms` to how long to wait
/// before jogg asks again (it may ask sooner). Returns 0, or non-zero when the store failed
/// (the POST then fails with `JOGG_ERR_LIMITER_STORE`, or falls back as configured).
pub type jogg_post_acquire_cb = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        slot: *const jogg_post_slot,
        wait_ms: *mut u64,
    ) -> i32,
>;

/// The slot's POST was answered (or failed): it now expires `slot->hold_ms` from now. Returns
/// 0, or non-zero when the store failed (logged; the slot then ends with its lease).
pub type jogg_post_release_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, slot: *const jogg_post_slot) -> i32>;

/// A POST of `key_id` was answered 429 with `Retry-After`: no slot of `key_id` may be taken
/// for `pause_ms` from now (extend a running cooldown, never shorten it). Returns 0, or
/// non-zero when the store failed (logged).
pub type jogg_post_cooldown_cb = Option<
    unsafe extern "C" fn(userdata: *mut c_void, key_id: *const c_char, pause_ms: u64) -> i32,
>;

/// A store of POST slots of the caller's own, shared by every client (in any process, on any
/// host) whose store shares its state. `acquire` and `release` are required, `cooldown` may
/// be NULL (a 429 then pauses no one else). The callbacks run on whichever thread makes a
/// POST, possibly several at once: make them thread-safe. They must return normally and
/// must not call back into the client. `userdata` is passed to each, never dereferenced by
/// jogg, and must stay valid until the client is freed.
#[repr(C)]
pub struct jogg_post_limiter {
    pub acquire: jogg_post_acquire_cb,
    pub release: jogg_post_release_cb,
    pub cooldown: jogg_post_cooldown_cb,
    pub userdata: *mut c_void,
}

/// Creates a client as `jogg_client_new` does, whose POSTs are counted in the caller's store
/// `limiter` (copied; see `jogg_post_limiter`) instead of a `post_limit_scope`, which
/// `config_json` must then leave out. `post_limit`, `post_window_ms` and
/// `post_limit_fallback` apply as usual. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_client_new_with_post_limiter(
    config_json: *const c_char,
    limiter: *const jogg_post_limiter,
    out_client: *mut *mut jogg_client,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        out_arg(out_client, "out_client")?;
        // SAFETY: per this function's contract.
        let text = unsafe { str_arg(config_json, "config_json") }?;
        if limiter.is_null() {
            return Err(null_argument("limiter"));
        }
        // SAFETY: non-NULL, and a valid `jogg_post_limiter` per the contract; copied here.
        let limiter = unsafe { &*limiter };
        let (Some(acquire), Some(release)) = (limiter.acquire, limiter.release) else {
            let name = if limiter.acquire.is_none() {
                "limiter.acquire"
            } else {
                "limiter.release"
            };
            return Err(null_argument(name));
        };
        let mut config = super::config::config_from_json(text)?;
        if super::config::sets(text, "post_limit_scope") {
            return Err(crate::config::config_error(
                "post_limit_scope",
                "must be left out: the store given to jogg_client_new_with_post_limiter is the scope",
            )
            .into());
        }
        config.post_limit_scope = PostLimitScope::Store(std::sync::Arc::new(CStore {
            acquire,
            release,
            cooldown: limiter.cooldown,
            userdata: SendPtr(limiter.userdata),
        }));
        let client = Client::new(config)?;
        let raw = Box::into_raw(Box::new(client)).cast::<jogg_client>();
        // SAFETY: checked non-NULL above.
        unsafe { *out_client = raw };
        Ok(())
    })
}

type AcquireFn = unsafe extern "C" fn(*mut c_void, *const jogg_post_slot, *mut u64) -> i32;
type ReleaseFn = unsafe extern "C" fn(*mut c_void, *const jogg_post_slot) -> i32;

struct CStore {
    acquire: AcquireFn,
    release: ReleaseFn,
    cooldown: jogg_post_cooldown_cb,
    userdata: SendPtr,
}

/// The C strings a callback borrows, kept alive across the call.
struct CSlot {
    id: CString,
    key_id: CString,
    limit: u32,
    hold_ms: u64,
}

impl CSlot {
    fn new(slot: &PostSlot<'_>) -> CSlot {
        CSlot {
            id: CString::new(slot.id).unwrap_or_default(),
            key_id: CString::new(slot.key_id).unwrap_or_default(),
            limit: slot.limit,
            hold_ms: u64::try_from(slot.hold.as_millis()).unwrap_or(u64::MAX),
        }
    }

    fn view(&self) -> jogg_post_slot {
        jogg_post_slot {
            id: self.id.as_ptr(),
            key_id: self.key_id.as_ptr(),
            limit: self.limit,
            hold_ms: self.hold_ms,
        }
    }
}

impl PostSlotStore for CStore {
    fn try_acquire(&self, slot: &PostSlot<'_>) -> std::result::Result<Admission, String> {
        let owned = CSlot::new(slot);
        let view = owned.view();
        let mut wait_ms = 0u64;
        // SAFETY: the caller supplied the callback and userdata for this purpose and keeps
        // them valid while the client lives; `view` and its strings outlive the call.
        let rc = unsafe { (self.acquire)(self.userdata.0, &view, &mut wait_ms) };
        match (rc, wait_ms) {
            (0, 0) => Ok(Admission::Taken),
            (0, ms) => Ok(Admission::Wait(Duration::from_millis(ms))),
            (rc, _) => Err(format!("its acquire callback returned {rc}")),
        }
    }

    fn release(&self, slot: &PostSlot<'_>) -> std::result::Result<(), String> {
        let owned = CSlot::new(slot);
        let view = owned.view();
        // SAFETY: as in `try_acquire`.
        match unsafe { (self.release)(self.userdata.0, &view) } {
            0 => Ok(()),
            rc => Err(format!("its release callback returned {rc}")),
        }
    }

    fn cooldown(&self, key_id: &str, pause: Duration) -> std::result::Result<(), String> {
        let Some(cooldown) = self.cooldown else {
            return Ok(());
        };
        let key_id = CString::new(key_id).unwrap_or_default();
        let ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
        // SAFETY: as in `try_acquire`.
        match unsafe { cooldown(self.userdata.0, key_id.as_ptr(), ms) } {
            0 => Ok(()),
            rc => Err(format!("its cooldown callback returned {rc}")),
        }
    }

    fn describe(&self) -> String {
        "the store of jogg_client_new_with_post_limiter".to_string()
    }
}
