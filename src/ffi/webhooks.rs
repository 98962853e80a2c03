//! Webhooks from C: registering an endpoint, verifying and reading deliveries, and handing
//! them to a client's waits.

// As in exports.rs: each function's safety contract is its header comment.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{CStr, c_char};

use super::boundary::{
    client_arg, fallible, infallible, json_arg, null_argument, out_arg, write_out, write_text,
};
use super::exports::{JOGG_ERR_PANIC, JOGG_OK, jogg_client, jogg_code};
use super::failure::FfiResult;
use crate::api::v1::webhooks::CREATE_WEBHOOK_ENDPOINT;
use crate::error::{Error, ErrorKind};
use crate::webhook::{self, WebhookEvent};

/// The largest webhook delivery body `jogg_webhook_deliver` accepts, in bytes (256 KiB): events
/// are JSON documents of a few hundred bytes.
pub const JOGG_MAX_DELIVERY_BYTES: usize = 256 * 1024;

/// The delivery body: `body_len` bytes, which may be NULL when there are none.
///
/// # Safety
/// `body` is NULL or points to `body_len` readable bytes.
unsafe fn body_arg<'a>(body: *const u8, body_len: usize) -> FfiResult<&'a [u8]> {
    if body_len == 0 {
        return Ok(&[]);
    }
    if body.is_null() {
        return Err(null_argument("body"));
    }
    // No buffer is that long; a slice of it could not even be formed.
    if body_len > isize::MAX as usize {
        return Err(Error::validation("body_len", "is larger than any buffer can be").into());
    }
    // SAFETY: non-NULL and `body_len` bytes long per the contract.
    Ok(unsafe { std::slice::from_raw_parts(body, body_len) })
}

/// The header value; NULL means the header was absent, which [`webhook::verify`] refuses.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn signature_arg<'a>(p: *const c_char) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: per the contract.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    // Not UTF-8 is not hex either: the same answer as any other malformed signature.
    std::str::from_utf8(bytes).map(Some).map_err(|_| {
        Error::new(
            ErrorKind::Signature,
            "signature: malformed: not hexadecimal",
        )
        .with_field("signature")
        .into()
    })
}

/// The secret as bytes: it is an HMAC key, used exactly as given.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn secret_arg<'a>(p: *const c_char) -> FfiResult<&'a [u8]> {
    if p.is_null() {
        return Err(null_argument("secret"));
    }
    // SAFETY: per the contract.
    Ok(unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// # Safety
/// As `jogg_webhook_verify`.
unsafe fn verified<'a>(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    secret: *const c_char,
) -> FfiResult<&'a [u8]> {
    // SAFETY: forwarded contract.
    let (body, signature, secret) = unsafe {
        (
            body_arg(body, body_len)?,
            signature_arg(signature)?,
            secret_arg(secret)?,
        )
    };
    webhook::verify(body, signature, secret)?;
    Ok(body)
}

/// Checks a webhook delivery: `signature` (the `X-Webhook-Signature` header, NULL when the
/// request has none) must be the hex HMAC-SHA256 of the raw request body (`body_len` bytes at
/// `body`, exactly as received) under `secret` (the endpoint's `secret`). Hex digits may be
/// upper or lower case; the comparison is constant-time.
///
/// Returns `JOGG_OK`, or `JOGG_ERR_SIGNATURE` for a missing, malformed or wrong signature
/// (answer the request with HTTP 401), `JOGG_ERR_VALIDATION` for an empty secret,
/// `JOGG_ERR_NULL_ARGUMENT` for a NULL `secret` or a NULL `body` with a non-zero `body_len`.
/// Sends nothing; needs no client.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_webhook_verify(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    secret: *const c_char,
) -> jogg_code {
    infallible(JOGG_ERR_PANIC, || {
        // SAFETY: per this function's contract.
        match unsafe { verified(body, body_len, signature, secret) } {
            Ok(_) => JOGG_OK,
            Err(e) => e.code,
        }
    })
}

/// Verifies a webhook delivery as `jogg_webhook_verify` does, then reads it. On success
/// `*event_json` receives one shape for every event:
/// `{"event", "event_id" (or null), "timestamp", "task_kind" (video, avatar_video,
/// template_video, product_video, translate_video, photo_avatar, product_avatar, script,
/// image, motion, avatar; for an unknown event, its name without prefix and outcome),
/// "id" (the task's id as a string), "status" ("succeeded" or "failed" from the event name;
/// "unknown" otherwise), "video_url", "cover_url", "error" (message or null), "data" (the
/// delivery's data as sent)}`.
///
/// A verified body that is not a JSON object with an `event` name fails with
/// `JOGG_ERR_BAD_RESPONSE`. Deliveries may repeat: de-duplicate on `event_id`. Ownership and
/// `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_webhook_parse(
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    secret: *const c_char,
    event_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        out_arg(event_json, "event_json")?;
        // SAFETY: per this function's contract.
        let body = unsafe { verified(body, body_len, signature, secret) }?;
        let event = WebhookEvent::from_body(body)?;
        write_out(event_json, &super::shapes::event_json(&event));
        Ok(())
    })
}

/// Hands `client` a webhook delivery that the program's own HTTP handler received, whatever
/// its framework or language: `body` is the raw request body (`body_len` bytes, exactly as
/// received; NULL when empty), `signature` the `X-Webhook-Signature` header (NULL when the
/// request has none). The client verifies it with the secrets it knows (those of the
/// endpoints it created, and its config's `webhook_secrets`; constant-time, every secret
/// tried), reads it, and wakes at once every wait on its task (`jogg_wait`,
/// `jogg_wait_for_project`, `jogg_wait_many`... on this client, in any thread). Those waits
/// return without polling again, their result's `source` `"webhook"`. A delivery no wait is
/// waiting for is kept for 10 minutes (the last 1024), for a wait that starts just after
/// it; a repeated delivery (the same `event_id`) wakes nothing again.
///
/// On success `*event_json` receives the event as `jogg_webhook_parse` gives it, plus
/// `"duplicate"` (true for a repeat: answer it 2xx all the same, or the sender keeps
/// retrying) and `"woken"` (the number of waits it ended; 0: kept). Answer the request 2xx.
///
/// Errors, none of which wakes a wait: `JOGG_ERR_SIGNATURE` for a missing, malformed or
/// wrong signature, or a client that knows no secret (answer 401);
/// `JOGG_ERR_BODY_TOO_LARGE` for a body over `JOGG_MAX_DELIVERY_BYTES`, refused unread;
/// `JOGG_ERR_BAD_RESPONSE` for a body that is not an event (`field` `"body"`), an event no
/// task ends with (`"event"`) or one that names no task (`"data"`) (answer 400);
/// `JOGG_ERR_NULL_ARGUMENT` for a NULL client, or a NULL body with a non-zero length.
/// Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_webhook_deliver(
    client: *const jogg_client,
    body: *const u8,
    body_len: usize,
    signature: *const c_char,
    event_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, body, signature) = unsafe {
            (
                client_arg(client)?,
                body_arg(body, body_len)?,
                signature_arg(signature)?,
            )
        };
        out_arg(event_json, "event_json")?;
        let delivery = client.deliver_webhook(body, signature)?;
        write_out(event_json, &super::shapes::delivery_json(&delivery));
        Ok(())
    })
}

/// Registers a webhook endpoint (v1 `POST /endpoint`). `request_json` members: `url`
/// (required; the API accepts HTTPS only, jogg-mock also loopback `http://`), `events`
/// (required array of event names, e.g. `["generated_video_success",
/// "generated_video_failed"]`), `status` (`"enabled"`, the default, or `"disabled"`).
///
/// On success `*response_json` receives the endpoint as the API sent it: `endpoint_id`,
/// `url`, `secret` (the key for `jogg_webhook_verify`; keep it out of logs), `status`,
/// `events`, `username`, `created_at`. The client remembers the secret, to verify the
/// deliveries given to `jogg_webhook_deliver` (as it does for an endpoint made through
/// `jogg_call`, v1 or v2). Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_create_webhook_endpoint(
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
        let reply = client.execute_raw(&CREATE_WEBHOOK_ENDPOINT, &request)?;
        write_text(response_json, reply.data);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_delivery_limit_is_the_inboxs() {
        assert_eq!(
            super::JOGG_MAX_DELIVERY_BYTES,
            crate::inbox::MAX_DELIVERY_BYTES
        );
    }
}
