//! Every exported symbol. The `///` comments here become the header's documentation.

// Each function's safety contract is its header comment (pointer validity, ownership), written
// for C readers; a Rust "# Safety" heading would only repeat it in jogg.h.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{CStr, CString, c_char, c_void};
use std::ops::ControlFlow;

use serde_json::Value;

use super::boundary::{
    client_arg, fallible, infallible, json_arg, notify, opt_str_arg, out_arg, str_arg, write_out,
    write_text,
};
use super::failure::{Failure, FfiResult};
use crate::api::v1::{avatars, projects, videos, voices};
use crate::client::Client;
use crate::error::ErrorKind;
use crate::operation::task::TaskKind;
use crate::wait::{Progress, WaitOptions};

/// A status code: `JOGG_OK` (0) or one of the `JOGG_ERR_*` values. Numbers are stable and
/// never reused; new ones may be added, so treat an unknown value as a generic failure.
pub type jogg_code = i32;

/// Success.
pub const JOGG_OK: jogg_code = 0;
/// A pointer parameter that must not be NULL was NULL (`field` names it).
pub const JOGG_ERR_NULL_ARGUMENT: jogg_code = 1;
/// A string parameter was not valid UTF-8.
pub const JOGG_ERR_INVALID_UTF8: jogg_code = 2;
/// A JSON parameter could not be parsed, or is nested deeper than 128 levels.
pub const JOGG_ERR_INVALID_JSON: jogg_code = 3;
/// A request member is missing, unknown, of the wrong type or out of range (`field` names
/// it). Nothing was sent.
pub const JOGG_ERR_VALIDATION: jogg_code = 4;
/// No operation has that name.
pub const JOGG_ERR_UNKNOWN_OPERATION: jogg_code = 5;
/// The client configuration is invalid (`field` names the member).
pub const JOGG_ERR_INVALID_CONFIG: jogg_code = 6;
/// `jogg_json_string`: nothing is at that JSON Pointer.
pub const JOGG_ERR_NO_SUCH_MEMBER: jogg_code = 7;
/// `jogg_json_string`: the member is not a string or a number.
pub const JOGG_ERR_WRONG_TYPE: jogg_code = 8;
/// Could not connect (refused, a host name that does not resolve, a proxy that refused the
/// tunnel, or no connection within `connect_timeout_ms`); the message names the host and port
/// (or the proxy's). Nothing was sent.
pub const JOGG_ERR_CONNECT: jogg_code = 100;
/// Connected, but the answer did not come in time: no reply within `timeout_ms`, an upload
/// or download that stalled for `timeout_ms`, or one that ran past `transfer_timeout_ms`.
pub const JOGG_ERR_TIMEOUT: jogg_code = 101;
/// The TLS handshake failed: the server's certificate is not trusted (unknown issuer: see
/// `ca_file` and `tls_roots`), expired, or not for the host's name, or the handshake itself
/// failed. The message names the host and port and the cause. Never retryable: the same
/// certificate is refused the next time. Nothing was sent.
pub const JOGG_ERR_TLS: jogg_code = 102;
/// Another network or HTTP protocol failure.
pub const JOGG_ERR_TRANSPORT: jogg_code = 103;
/// The response body was larger than the limit (10 MiB, once decoded), or `jogg_call`'s
/// `all_pages` gathered more than 64 MiB of page data.
pub const JOGG_ERR_BODY_TOO_LARGE: jogg_code = 104;
/// The API returned an error code this library does not classify (`api_code` has it).
pub const JOGG_ERR_API: jogg_code = 200;
/// API key missing or invalid (API code 10105).
pub const JOGG_ERR_AUTH: jogg_code = 201;
/// No such record (API code 10104).
pub const JOGG_ERR_NOT_FOUND: jogg_code = 202;
/// Too many requests (API code 429); `retry_after_ms` says when to try again (at most one
/// day; a hint over 60 s is not waited out inside the call).
pub const JOGG_ERR_RATE_LIMITED: jogg_code = 203;
/// Server-side failure (API code 50000 or HTTP 5xx).
pub const JOGG_ERR_SERVER: jogg_code = 204;
/// The API refused the parameters (API code 40000).
pub const JOGG_ERR_INVALID_REQUEST: jogg_code = 205;
/// Not enough credits (API code 18020).
pub const JOGG_ERR_INSUFFICIENT_CREDITS: jogg_code = 206;
/// The account may not use the API (API code 18025).
pub const JOGG_ERR_FORBIDDEN: jogg_code = 207;
/// The API's reply could not be understood.
pub const JOGG_ERR_BAD_RESPONSE: jogg_code = 208;
/// A progress callback returned non-zero.
pub const JOGG_ERR_CANCELLED: jogg_code = 300;
/// A wait reached its `timeout_ms` (its last poll said "not yet", or got no answer in time);
/// the task may still finish (`task_id` has it).
pub const JOGG_ERR_WAIT_TIMEOUT: jogg_code = 301;
/// The task failed or was deleted (`task_id` has it).
pub const JOGG_ERR_TASK_FAILED: jogg_code = 302;
/// A local file could not be used: an upload source that is missing, not a regular file,
/// unreadable, empty or over the size limit, or a download target that cannot be written
/// (`field` names the parameter, `message` gives the reason). Both are checked before any
/// request; a download whose disk fills up mid-way reports this code too.
pub const JOGG_ERR_IO: jogg_code = 400;
/// A webhook delivery failed verification: the signature is missing, is not 64 hex digits,
/// or does not match the body and secret (for `jogg_webhook_deliver`: any secret the client
/// knows, and it knows none). Answer such a request with HTTP 401 and ignore it.
pub const JOGG_ERR_SIGNATURE: jogg_code = 401;
/// The POST limiter's shared store could not be used: the `"host"` scope's directory, the
/// Redis server of a `redis://` scope, or the store of `jogg_client_new_with_post_limiter`
/// (`field` is `post_limit_scope`, `message` names the store and the problem). Nothing was
/// sent. Set `post_limit_fallback` to `"process"` to count in the process instead.
pub const JOGG_ERR_LIMITER_STORE: jogg_code = 402;
/// A bug in jogg was caught at the boundary; the client remains usable.
pub const JOGG_ERR_PANIC: jogg_code = 900;
/// Another internal error.
pub const JOGG_ERR_INTERNAL: jogg_code = 901;

/// An opaque client: configuration, API key and one connection pool. Immutable after
/// `jogg_client_new` and thread-safe: any number of threads may use one client at once. A
/// process forked from the one that created it may use it too: the child starts a pool of
/// its own at its first request and never touches the parent's connections.
pub struct jogg_client {
    _private: [u8; 0],
}

/// A progress callback. `event_json` is borrowed for the duration of the call only. Return 0
/// to continue, anything else to cancel (the call then fails with `JOGG_ERR_CANCELLED`). It
/// runs synchronously on the calling thread; it must return normally (no longjmp, no C++
/// exception) and must not free the client.
pub type jogg_progress_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, event_json: *const c_char) -> i32>;

/// A log callback (`jogg_client_new_with_log`): `level` is `JOGG_LOG_INFO` or
/// `JOGG_LOG_DEBUG`, `line` one log line without a newline, borrowed for the call only. It
/// is called from whichever thread is making a request with the client, possibly from
/// several threads at once: make it thread-safe. It must return normally and must not call
/// back into the client. Lines never contain the API key or request bodies.
pub type jogg_log_cb =
    Option<unsafe extern "C" fn(userdata: *mut c_void, level: i32, line: *const c_char)>;

/// Log level of a `jogg_log_cb` line: one line per request (method, path, final status,
/// attempts, request id).
pub const JOGG_LOG_INFO: i32 = 1;
/// Log level of a `jogg_log_cb` line: every attempt, and every retry with its delay and
/// reason.
pub const JOGG_LOG_DEBUG: i32 = 2;

/// The library version, `"jogg/MAJOR.MINOR.PATCH"`. Static: do not free.
#[unsafe(no_mangle)]
pub extern "C" fn jogg_version() -> *const c_char {
    const VERSION: &CStr = match CStr::from_bytes_with_nul(
        concat!("jogg/", env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => panic!("the version string has one NUL, at its end"),
    };
    infallible(c"".as_ptr(), || VERSION.as_ptr())
}

/// The library version as `MAJOR * 1000000 + MINOR * 1000 + PATCH`, to compare with
/// `JOGG_VERSION_NUMBER` from the header the program was compiled with.
#[unsafe(no_mangle)]
pub extern "C" fn jogg_version_number() -> u32 {
    infallible(0, || {
        let part = |s: &str| s.parse::<u32>().unwrap_or(0);
        part(env!("CARGO_PKG_VERSION_MAJOR")) * 1_000_000
            + part(env!("CARGO_PKG_VERSION_MINOR")) * 1_000
            + part(env!("CARGO_PKG_VERSION_PATCH"))
    })
}

/// The name of a code's constant (`"JOGG_ERR_VALIDATION"`), or `"UNKNOWN"`. Static: do not
/// free.
#[unsafe(no_mangle)]
pub extern "C" fn jogg_code_name(code: jogg_code) -> *const c_char {
    infallible(c"UNKNOWN".as_ptr(), || {
        super::failure::name_of(code).as_ptr()
    })
}

/// Creates a client. `config_json` is a JSON object, all members optional:
/// `api_key` (else env `JOGG_API_KEY`), `base_url` (else env `JOGG_BASE_URL`, else
/// `https://api.jogg.ai`; `http://` only to a loopback host; no `user:password@`),
/// `connect_timeout_ms` (5000), `timeout_ms` (60000, per request attempt; for uploads and
/// downloads, per stall), `transfer_timeout_ms` (3600000, a whole upload or download),
/// `proxy` (`"env"`, `"none"` or a URL), `ca_file` (a PEM file of CA certificates trusted
/// besides `tls_roots`: a company or TLS-inspecting proxy's CA), `tls_roots` (`"system"`, the
/// default: the platform's trust store, honouring `SSL_CERT_FILE` and `SSL_CERT_DIR` as
/// OpenSSL does, or the bundled roots where there is none; `"bundled"`: the Mozilla roots
/// built into the library; `"ca_file_only"`: `ca_file`'s alone), `user_agent_suffix`, `max_retries` (2), `post_limit` (20 POSTs per `post_window_ms`,
/// 60000; 0 for none), `post_limit_scope` (who shares that count, among clients with the
/// same key and base URL: `"client"`, `"process"` (the default), `"host"` (the processes of
/// this user, through files in the private directory `post_limit_dir`, default
/// `/tmp/jogg-<uid>`) or a `redis://host:port/db` URL (every host using that server)),
/// `post_limit_fallback` (`"error"`, the default: a POST fails with
/// `JOGG_ERR_LIMITER_STORE` when the shared store cannot be used; `"process"`: it is counted
/// in the process instead, logged), `log` (`"off"`, `"info"` or `"debug"`; else env
/// `JOGG_LOG`, else off; lines go to stderr) and `webhook_secrets` (an array of the secrets
/// of webhook endpoints whose deliveries the program hands to `jogg_webhook_deliver`, beside
/// those the client creates itself). Unknown members are an error. Nothing is sent.
///
/// On success `*out_client` receives a client to release with `jogg_client_free`.
/// `error_json` may be NULL; otherwise it receives an error JSON string on failure (free it
/// with `jogg_string_free`) and NULL on success.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_client_new(
    config_json: *const c_char,
    out_client: *mut *mut jogg_client,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        out_arg(out_client, "out_client")?;
        // SAFETY: per this function's contract.
        let text = unsafe { str_arg(config_json, "config_json") }?;
        let client = Client::new(super::config::config_from_json(text)?)?;
        let raw = Box::into_raw(Box::new(client)).cast::<jogg_client>();
        // SAFETY: checked non-NULL above.
        unsafe { *out_client = raw };
        Ok(())
    })
}

/// Creates a client as `jogg_client_new` does, whose log lines go to `cb` (with `userdata`)
/// instead of stderr. The level is the config's `log`, else env `JOGG_LOG`, else `"debug"`
/// (a callback asks for lines; filter on `level`). `cb` may be NULL: then this is
/// `jogg_client_new`. `userdata` is never dereferenced by jogg; it must stay valid until
/// the client is freed. See `jogg_log_cb` for threading. Ownership and `error_json` as in
/// `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_client_new_with_log(
    config_json: *const c_char,
    cb: jogg_log_cb,
    userdata: *mut c_void,
    out_client: *mut *mut jogg_client,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        out_arg(out_client, "out_client")?;
        // SAFETY: per this function's contract.
        let text = unsafe { str_arg(config_json, "config_json") }?;
        let mut config = super::config::config_from_json(text)?;
        if let Some(cb) = cb {
            if !super::config::sets(text, "log") && std::env::var_os("JOGG_LOG").is_none() {
                config.log = crate::log::LogLevel::Debug;
            }
            let userdata = SendPtr(userdata);
            config.log_sink = Some(crate::log::LogSink::new(move |level, line| {
                let line = CString::new(line.replace('\0', " ")).unwrap_or_default();
                let userdata = &userdata;
                // SAFETY: the caller supplied `cb` and `userdata` for this purpose and keeps
                // them valid while the client lives; `line` outlives the call.
                let level = match level {
                    crate::log::LogLevel::Debug => JOGG_LOG_DEBUG,
                    _ => JOGG_LOG_INFO,
                };
                unsafe { cb(userdata.0, level, line.as_ptr()) };
            }));
        }
        let client = Client::new(config)?;
        let raw = Box::into_raw(Box::new(client)).cast::<jogg_client>();
        // SAFETY: checked non-NULL above.
        unsafe { *out_client = raw };
        Ok(())
    })
}

/// The caller's `userdata`, passed back to its callback from any thread: the callback's
/// contract (thread-safe) is what makes this sound, as in hyper's C API.
pub(super) struct SendPtr(pub(super) *mut c_void);
// SAFETY: jogg never dereferences the pointer; `jogg_log_cb` requires thread safety.
unsafe impl Send for SendPtr {}
// SAFETY: as above.
unsafe impl Sync for SendPtr {}

/// Releases a client. NULL is a no-op. No call on this client may be running or start
/// afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_client_free(client: *mut jogg_client) {
    infallible((), || {
        if !client.is_null() {
            // SAFETY: `client` came from `jogg_client_new` and is freed once, per the contract.
            drop(unsafe { Box::from_raw(client.cast::<Client>()) });
        }
    })
}

/// Releases a string returned by any jogg function, once, from any thread. NULL is a no-op.
/// Never pass these strings to `free()`, and never pass other strings here.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_string_free(s: *mut c_char) {
    infallible((), || {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in this library, per the contract.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// Starts rendering a talking-avatar video (v1). `request_json` members:
/// - required: `avatar_id`, `avatar_type` (0 library, 1 yours), `screen_style` (1 normal,
///   2 green screen, 3 transparent WebM), and exactly one of `script` or `audio_url`;
///   `voice_id` is required with `script`;
/// - optional: `aspect_ratio` (0 9:16, 1 16:9, 2 1:1), `caption`, `video_name`.
///
/// It is validated before anything is sent: every missing required member is reported at
/// once (`JOGG_ERR_VALIDATION`, the first in `field`, all of them in `fields`).
///
/// On success `*response_json` receives `{"project_id": "..."}` (always a string) for
/// `jogg_wait_for_project`. This call costs credits: on a later failure, wait on the id
/// rather than creating again. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_create_talking_avatar_video(
    client: *const jogg_client,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, request) = unsafe {
            (
                client_arg(client)?,
                json_arg(request_json, "request_json", false)?,
            )
        };
        out_arg(response_json, "response_json")?;
        let op = &videos::CREATE_VIDEO_FROM_TALKING_AVATAR;
        let reply = client.execute(op, &request)?;
        let created: videos::CreatedProject =
            client.scrubbed(crate::de::decode(op, reply.clone()))?;
        let mut data = reply.data;
        if let Value::Object(m) = &mut data {
            m.remove("prj_id");
            m.insert("project_id".into(), Value::String(created.project_id));
        }
        write_out(response_json, &data);
        Ok(())
    })
}

/// The current state of a v1 project. On success `*response_json` receives the project as the
/// API sent it: `id`, `status_code` (1 start, 2 waiting, 3 processing, 4 success, 5 failed,
/// 99 deleted), `status_desc`, `video_url`, `cover_url`, `video_duration`, `title`,
/// `created_at`. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_get_project(
    client: *const jogg_client,
    project_id: *const c_char,
    response_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, id) = unsafe { (client_arg(client)?, str_arg(project_id, "project_id")?) };
        out_arg(response_json, "response_json")?;
        let params = serde_json::json!({ "project_id": id });
        let reply = client.execute_raw(&projects::GET_PROJECT, &params)?;
        write_text(response_json, reply.data);
        Ok(())
    })
}

/// Library avatars. `filter_json` may be NULL (no filter) or an object with any of
/// `aspect_ratio` (0, 1, 2), `style` (professional, social), `gender` (male, female), `age`
/// (adult, senior, young_adult), `scene` (lifestyle, outdoors, business, studio,
/// health_fitness, education, news), `ethnicity` (european, african, south_asian, east_asian,
/// middle_eastern, south_american, north_american). `"all_pages": true` is accepted as by
/// `jogg_call`; the library comes in one reply anyway. On success `*response_json` receives
/// `{"avatars": [...]}` as sent. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_list_avatars(
    client: *const jogg_client,
    filter_json: *const c_char,
    response_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, filter) = unsafe {
            (
                client_arg(client)?,
                json_arg(filter_json, "filter_json", true)?,
            )
        };
        out_arg(response_json, "response_json")?;
        list(client, avatars::LIST_AVATARS.op(), filter, response_json)
    })
}

/// One page of library voices. `filter_json` may be NULL or an object with any of `page`
/// (from 1), `page_size` (1-100, default 10), `gender` (male, female), `age` (young,
/// middle_aged, old), `language` (`english`, `spanish`...; sent in lower case, as the API
/// spells it). On success `*response_json` receives `{"total": N, "voices": [...]}` as sent;
/// with `"all_pages": true`, every page: `{"voices": [all of them], "pages": N}`, as
/// `jogg_call` gives. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_list_voices(
    client: *const jogg_client,
    filter_json: *const c_char,
    response_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, filter) = unsafe {
            (
                client_arg(client)?,
                json_arg(filter_json, "filter_json", true)?,
            )
        };
        out_arg(response_json, "response_json")?;
        list(client, voices::LIST_VOICES.op(), filter, response_json)
    })
}

/// Polls a v1 project until it succeeds, fails, is deleted, the timeout passes, or the
/// callback cancels; a webhook delivery for it handed to `jogg_webhook_deliver` (from any
/// thread) ends the wait at once, without another poll.
///
/// `options_json` may be NULL or an object with `timeout_ms` (default 1800000),
/// `initial_interval_ms` (5000: the shortest pause; the first poll is immediate),
/// `interval_ratio` (0.1: each pause is this share of the time waited so far),
/// `max_interval_ms` (60000: the longest pause), `max_polls` (no limit) and
/// `webhook_slowdown` (6: while the client knows a webhook secret, and so expects
/// deliveries, every pause of a task that a webhook event ends is this many times longer:
/// polls are then a safety net against lost deliveries; 1 polls as without webhooks). With
/// the defaults, renders up to 50 s are polled every 5 s (seen 2.5 s late on average) and
/// longer ones are seen about 5 % of their time late, at most 30 s, for half the polls of a
/// fixed 5-second poll at 5 minutes; lower `interval_ratio` or `max_interval_ms` to see ends
/// sooner for more polls.
///
/// `cb` may be NULL; otherwise it is called after every poll, and when a delivery ends the
/// wait, with `{"id", "operation", "status" (pending, processing, succeeded, failed,
/// deleted, unknown), "raw_status" (the API's value: 1, 2, 3, 4, 5 or 99 for projects; for a
/// delivery the event name), "elapsed_ms", "polls", "next_poll_ms", "source" ("poll" or
/// "webhook")}`, and `userdata` is passed through untouched.
///
/// The wait returns within `timeout_ms` plus 1 s whatever the server does: each poll request
/// gets what is left of the wait (at least 1 s, the last poll's grace), and no retry starts
/// past it.
///
/// On success `*result_json` receives the final project with the members `jogg_get_project`
/// gives, in the server's order, as compact JSON (when a delivery ended the wait, the project
/// as last polled with the event's data laid over it). Failure, deletion
/// (`JOGG_ERR_TASK_FAILED`), timeout or spent budget (`JOGG_ERR_WAIT_TIMEOUT`, also when the
/// last poll got no answer by the deadline) and cancellation (`JOGG_ERR_CANCELLED`) put the
/// project id in the error JSON's `task_id`. Blocks the calling thread. Ownership and
/// `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_wait_for_project(
    client: *const jogg_client,
    project_id: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, id, options) = unsafe {
            (
                client_arg(client)?,
                str_arg(project_id, "project_id")?,
                options_arg(options_json)?,
            )
        };
        out_arg(result_json, "result_json")?;
        let project = client.wait_for_project_json(id, &options, progress_adapter(cb, userdata))?;
        write_out(result_json, &project);
        Ok(())
    })
}

/// Polls any background task until it ends: `poll_operation` is the operation that reads it
/// (`"v1.get_project"`, `"v2.get_avatar_video"`, `"v2.get_lip_sync_video"`,
/// `"v2.get_photo_generation"`...; the `poll_with` of `jogg_operations`), `id` the task's id.
/// Options, callback and errors as in `jogg_wait_for_project`.
///
/// On success `*result_json` receives `{"id", "status": "succeeded", "polls", "elapsed_ms",
/// "source", "event", "task"}`: `source` is `"poll"` or `"webhook"` (what saw the end),
/// `event` the delivery that ended the wait (as `jogg_webhook_parse` gives it) or null, and
/// `task` the task as the API last sent it (after a delivery: with the event's data laid over
/// it and its status set to the outcome). Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_wait(
    client: *const jogg_client,
    poll_operation: *const c_char,
    id: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, poll, id, options) = unsafe {
            (
                client_arg(client)?,
                str_arg(poll_operation, "poll_operation")?,
                str_arg(id, "id")?,
                options_arg(options_json)?,
            )
        };
        out_arg(result_json, "result_json")?;
        let kind = TaskKind::polled_by(poll)?;
        let done = client.wait(kind, id, &options, progress_adapter(cb, userdata))?;
        write_out(result_json, &super::shapes::finished_json(&done));
        Ok(())
    })
}

/// Waits for many tasks from this one thread: `tasks_json` is an array of
/// `{"operation": <poll operation>, "id": <task id>}`. Only unfinished tasks are polled, each
/// on its own schedule, and each ends at its webhook delivery when one comes; `cb` sees every
/// poll and delivery of every task (its `id` tells which).
/// Options as in `jogg_wait_for_project`, applied to each task.
///
/// On success (every task reached an end, whatever it was) `*results_json` receives an
/// array in the order given of `{"id", "operation", "ok": true, "result": <as jogg_wait>}` or
/// `{"id", "operation", "ok": false, "error": <error JSON>}`. A cancel from `cb` fails the
/// whole call with `JOGG_ERR_CANCELLED`. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_wait_many(
    client: *const jogg_client,
    tasks_json: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    results_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, tasks, options) = unsafe {
            (
                client_arg(client)?,
                json_arg(tasks_json, "tasks_json", false)?,
                options_arg(options_json)?,
            )
        };
        out_arg(results_json, "results_json")?;
        let tasks = parse_tasks(&tasks)?;
        let results = client.wait_many(&tasks, &options, progress_adapter(cb, userdata));
        if let Some(Err(e)) = results
            .iter()
            .find(|r| matches!(r, Err(e) if e.kind() == ErrorKind::Cancelled))
        {
            return Err(e.clone().into());
        }
        let out: Vec<Value> = tasks
            .iter()
            .zip(results)
            .map(|((kind, id), r)| match r {
                Ok(done) => serde_json::json!({"id": id, "operation": kind.poll.full_name(), "ok": true, "result": super::shapes::finished_json(&done)}),
                Err(e) => serde_json::json!({"id": id, "operation": kind.poll.full_name(), "ok": false, "error": Failure::from(e).json()}),
            })
            .collect();
        write_out(results_json, &Value::Array(out));
        Ok(())
    })
}

/// Starts a task by operation name (as `jogg_call`) and waits for it (as `jogg_wait`):
/// `operation` must be one that starts a task (`"async": true` in `jogg_operations`).
///
/// On success `*result_json` receives `{"created": <the create reply>, "id", "status",
/// "polls", "elapsed_ms", "task"}`. If the wait fails after the task was created, the error
/// JSON's `task_id` holds its id: wait on it with `jogg_wait` instead of creating (and
/// paying) again. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_call_and_wait(
    client: *const jogg_client,
    operation: *const c_char,
    request_json: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, name, request, options) = unsafe {
            (
                client_arg(client)?,
                str_arg(operation, "operation")?,
                json_arg(request_json, "request_json", true)?,
                options_arg(options_json)?,
            )
        };
        out_arg(result_json, "result_json")?;
        let (created, done) =
            client.call_and_wait(name, &request, &options, progress_adapter(cb, userdata))?;
        let mut out = super::shapes::finished_json(&done);
        out["created"] = created;
        write_out(result_json, &out);
        Ok(())
    })
}

/// The main job in one call: creates a talking-avatar video (`request_json` as in
/// `jogg_create_talking_avatar_video`) and waits for it (`options_json`, `cb` and `userdata`
/// as in `jogg_wait_for_project`). On success `*result_json` receives the finished project.
/// If anything fails after the video was created, the error JSON's `task_id` is its project
/// id: resume with `jogg_wait_for_project` instead of paying for a new video. Ownership and
/// `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_generate_talking_avatar_video(
    client: *const jogg_client,
    request_json: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, request, options) = unsafe {
            (
                client_arg(client)?,
                json_arg(request_json, "request_json", false)?,
                options_arg(options_json)?,
            )
        };
        out_arg(result_json, "result_json")?;
        let (_, done) = client.call_and_wait(
            "v1.create_video_from_talking_avatar",
            &request,
            &options,
            progress_adapter(cb, userdata),
        )?;
        write_out(result_json, &done.task);
        Ok(())
    })
}

/// Runs any API operation by name: `"v1.get_project"`, `"v2.create_video_from_avatar"`... (the
/// list: `jogg_operations`). `request_json` may be NULL (no parameters) or an object: members
/// named in the path template fill the path, the others go to the query string (GET, DELETE)
/// or the JSON body (POST, PUT). It is validated before anything is sent: an unknown, missing
/// or mistyped member is `JOGG_ERR_VALIDATION` naming it; an unknown operation is
/// `JOGG_ERR_UNKNOWN_OPERATION`.
///
/// Paged lists (voices, music, template and product videos, previews, v2 avatar lists) also
/// take `"all_pages": true`: every page is fetched (100 items a page unless `page_size` is
/// given) and `*response_json` receives `{"<items member>": [all items], "pages": N}`. The
/// pages may hold at most 64 MiB of data between them: past that the call fails with
/// `JOGG_ERR_BODY_TOO_LARGE` (`field` `"all_pages"`); fetch page by page instead.
///
/// Blocks the calling thread until the answer: a POST first waits for a slot of the POST limit
/// (20 a minute per key by default, see `post_limit`; the wait lasts up to a window, and when
/// clients sharing the count keep taking the slots, it ends after `timeout_ms` plus a window
/// with `JOGG_ERR_TIMEOUT`, nothing sent), and a failed attempt that is safe to repeat is
/// retried after a pause (`max_retries`, backoff or the server's `Retry-After` up to 60 s).
/// Each attempt ends within `timeout_ms`.
///
/// On success `*response_json` receives the API's `data` as sent (`null` for operations
/// without a payload). Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_call(
    client: *const jogg_client,
    operation: *const c_char,
    request_json: *const c_char,
    response_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, name, request) = unsafe {
            (
                client_arg(client)?,
                str_arg(operation, "operation")?,
                json_arg(request_json, "request_json", true)?,
            )
        };
        out_arg(response_json, "response_json")?;
        let op = crate::operations::lookup(name)?;
        let (request, all_pages) = take_all_pages(request)?;
        if all_pages {
            write_out(
                response_json,
                &crate::pages::all_pages(client, op, &request)?,
            );
        } else {
            write_text(response_json, client.execute_raw(op, &request)?.data);
        }
        Ok(())
    })
}

/// Every operation `jogg_call` accepts, as a JSON array of `{"name", "version", "method",
/// "path", "async", "poll_with", "polls", "items", "params": [{"name", "required", "in"}]}`:
/// `async` operations start work to wait for, polled by the operation named in `poll_with`
/// (the `poll_operation` of `jogg_wait`); `polls` marks those poll operations; `items` names
/// the member holding a paged list's items (`null` when not paged). Needs no client.
/// Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_operations(
    operations_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        out_arg(operations_json, "operations_json")?;
        // The table is fixed: described once (about 270 us), copied out after that.
        static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let text = TEXT.get_or_init(|| {
            let list: Vec<Value> = crate::operations::OPERATIONS
                .iter()
                .map(|op| op.describe())
                .collect();
            Value::Array(list).to_string()
        });
        write_text(operations_json, text.clone());
        Ok(())
    })
}

/// Wait options from C: NULL means the defaults.
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string.
unsafe fn options_arg(options_json: *const c_char) -> FfiResult<WaitOptions> {
    // SAFETY: forwarded contract.
    match unsafe { opt_str_arg(options_json, "options_json") }? {
        Some(text) => super::shapes::wait_options_from_json(text),
        None => Ok(WaitOptions::default()),
    }
}

/// A C progress callback as the Rust wait's (see [`notify`]).
fn progress_adapter(
    cb: jogg_progress_cb,
    userdata: *mut c_void,
) -> impl FnMut(&Progress) -> ControlFlow<()> {
    move |progress| notify(cb, userdata, &super::shapes::progress_json(progress))
}

/// `[{"operation", "id"}]` of `jogg_wait_many`.
fn parse_tasks(tasks: &Value) -> FfiResult<Vec<(&'static TaskKind, String)>> {
    let list = tasks
        .as_array()
        .ok_or_else(|| crate::error::Error::validation("tasks_json", "must be an array"))?;
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let field = |name: &str| {
                t.get(name).and_then(Value::as_str).ok_or_else(|| {
                    crate::error::Error::validation(
                        format!("tasks_json[{i}].{name}"),
                        "must be a string",
                    )
                })
            };
            Ok((
                TaskKind::polled_by(field("operation")?)?,
                field("id")?.to_string(),
            ))
        })
        .collect()
}

/// A named list function's reply: one page as sent, or with `"all_pages": true` in the
/// filter, every page gathered as `jogg_call` does (a list that is not paged comes whole in
/// its one reply).
fn list(
    client: &Client,
    op: &'static crate::operation::Operation,
    filter: Value,
    response_json: *mut *mut c_char,
) -> FfiResult<()> {
    let (filter, all_pages) = take_all_pages(filter)?;
    if all_pages && op.items.is_some() {
        write_out(
            response_json,
            &crate::pages::all_pages(client, op, &filter)?,
        );
    } else {
        write_text(response_json, client.execute_raw(op, &filter)?.data);
    }
    Ok(())
}

/// Splits `jogg_call`'s own `all_pages` option from the operation's parameters.
fn take_all_pages(mut request: Value) -> FfiResult<(Value, bool)> {
    let flag = match request.as_object_mut().and_then(|m| m.remove("all_pages")) {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(_) => {
            return Err(
                crate::error::Error::validation("all_pages", "must be true or false").into(),
            );
        }
    };
    Ok((request, flag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_named() {
        // Every kind maps to a code; the header test (tests/header.rs) holds each constant's
        // name against jogg_code_name.
        use crate::error::ErrorKind::*;
        let kinds = [
            Validation,
            UnknownOperation,
            InvalidConfig,
            Connect,
            Timeout,
            Tls,
            Transport,
            BodyTooLarge,
            Api,
            Auth,
            NotFound,
            RateLimited,
            Server,
            InvalidRequest,
            InsufficientCredits,
            Forbidden,
            BadResponse,
            Cancelled,
            WaitTimeout,
            TaskFailed,
            Io,
            Signature,
            LimiterStore,
            Internal,
        ];
        let mut seen = std::collections::HashSet::new();
        for kind in kinds {
            let code = super::super::failure::code_of(kind);
            assert!(seen.insert(code), "{kind:?} shares code {code}");
            // SAFETY: static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(jogg_code_name(code)) };
            assert!(name.to_str().unwrap().starts_with("JOGG_ERR_"), "{kind:?}");
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(jogg_code_name(4242)) };
        assert_eq!(unknown.to_bytes(), b"UNKNOWN");
    }

    #[test]
    fn panics_become_codes() {
        let mut err: *mut c_char = std::ptr::null_mut();
        let code = fallible(&mut err, || panic!("boom"));
        assert_eq!(code, JOGG_ERR_PANIC);
        // SAFETY: set by `fallible` to a string we own.
        let text = unsafe { CStr::from_ptr(err) }.to_str().unwrap().to_string();
        assert!(text.contains("boom"), "{text}");
        // SAFETY: returned by the library.
        unsafe { jogg_string_free(err) };
        assert_eq!(infallible(7, || panic!("x")), 7);
    }

    #[test]
    fn version_is_consistent() {
        // SAFETY: static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(jogg_version()) }.to_str().unwrap();
        assert_eq!(v, concat!("jogg/", env!("CARGO_PKG_VERSION")));
        let n = jogg_version_number();
        assert_eq!(
            format!("{}.{}.{}", n / 1_000_000, n / 1000 % 1000, n % 1000),
            env!("CARGO_PKG_VERSION")
        );
    }
}
