//! Fuzz targets, shared by the cargo-fuzz crate (`fuzz/`, libFuzzer on nightly) and the
//! proptest properties of `tests/fuzz_props.rs` (stable, part of `cargo test`).
//!
//! Not part of the API: each function takes arbitrary bytes, drives one surface with them and
//! panics only when it finds a bug: a panic caught at the C boundary (`JOGG_ERR_PANIC`), a
//! code outside the list, an error without its JSON, output written on failure, or output
//! that is not JSON. Every string the library returns is freed, so a leak shows under ASan.
//!
//! Nothing here reaches the network beyond loopback: the client's base URL is
//! `http://127.0.0.1:1`, where nothing listens, with retries off, so a request that passes
//! validation fails at once with `JOGG_ERR_CONNECT`.

use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::OnceLock;

use serde_json::Value;

use crate::error::ErrorKind;
use crate::ffi::*;

/// The client every FFI target uses: a port where nothing listens, no retries, no pacing.
fn client() -> *const jogg_client {
    struct Shared(*mut jogg_client);
    // SAFETY: a `jogg_client` is immutable and thread-safe (the C ABI's contract).
    unsafe impl Send for Shared {}
    // SAFETY: as above.
    unsafe impl Sync for Shared {}
    static CLIENT: OnceLock<Shared> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let config = c"{\"api_key\":\"fuzz-key\",\"base_url\":\"http://127.0.0.1:1\",\"proxy\":\"none\",\"max_retries\":0,\"post_limit\":0,\"connect_timeout_ms\":2000,\"timeout_ms\":2000,\"log\":\"off\"}";
            let mut out = std::ptr::null_mut();
            // SAFETY: valid config string and out slot.
            let rc = unsafe { jogg_client_new(config.as_ptr(), &mut out, std::ptr::null_mut()) };
            assert_eq!(rc, JOGG_OK, "the fuzz client is valid");
            Shared(out)
        })
        .0
}

/// The secret the webhook target's client knows.
const FUZZ_SECRET: &str = "whsec_fuzz";

/// A client like [`client`] that knows [`FUZZ_SECRET`], for deliveries.
fn inbox_client() -> *const jogg_client {
    struct Shared(*mut jogg_client);
    // SAFETY: as in `client`.
    unsafe impl Send for Shared {}
    // SAFETY: as above.
    unsafe impl Sync for Shared {}
    static CLIENT: OnceLock<Shared> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let config = c"{\"api_key\":\"fuzz-key\",\"base_url\":\"http://127.0.0.1:1\",\"proxy\":\"none\",\"max_retries\":0,\"log\":\"off\",\"webhook_secrets\":[\"whsec_fuzz\"]}";
            let mut out = std::ptr::null_mut();
            // SAFETY: valid config string and out slot.
            let rc = unsafe { jogg_client_new(config.as_ptr(), &mut out, std::ptr::null_mut()) };
            assert_eq!(rc, JOGG_OK, "the fuzz client is valid");
            Shared(out)
        })
        .0
}

/// Input bytes as C string arguments: split on NUL (a C string cannot hold one), so any byte
/// sequence, valid UTF-8 or not, becomes a list of arguments.
struct Args {
    parts: Vec<CString>,
    /// One bit per argument: 1 = pass NULL instead.
    nulls: u32,
}

impl Args {
    fn new(data: &[u8]) -> Args {
        let (nulls, rest) = match data {
            [a, b, rest @ ..] => (u32::from(*a) | (u32::from(*b) << 8), rest),
            _ => (0, data),
        };
        let parts = rest
            .split(|b| *b == 0)
            .map(|p| CString::new(p).unwrap_or_default())
            .collect();
        Args { parts, nulls }
    }

    /// Argument `i`: NULL when its bit says so (rarely: 1 in 8 on average through the mask),
    /// else the i-th part, else `""`.
    fn get(&self, i: usize) -> *const c_char {
        if self.nulls & (1 << i) != 0 && self.nulls & 0x8000 != 0 {
            return std::ptr::null();
        }
        self.parts.get(i).map_or(c"".as_ptr(), |s| s.as_ptr())
    }

    fn bytes(&self, i: usize) -> &[u8] {
        self.parts.get(i).map_or(&[], |s| s.as_bytes())
    }
}

/// Checks one fallible call's outcome and frees what it returned.
fn settle(what: &str, rc: jogg_code, out: *mut c_char, err: *mut c_char) {
    assert_ne!(
        rc,
        JOGG_ERR_PANIC,
        "{what}: a panic reached the boundary: {}",
        {
            // SAFETY: on failure `err` is NULL or a string from the library.
            if err.is_null() {
                String::new()
            } else {
                unsafe { CStr::from_ptr(err) }
                    .to_string_lossy()
                    .into_owned()
            }
        }
    );
    assert!(
        crate::ffi::failure::name_of(rc) != c"UNKNOWN",
        "{what}: code {rc} is not a jogg_code"
    );
    let take = |p: *mut c_char| -> Value {
        // SAFETY: a string returned by the library, NUL-terminated; freed once, here.
        let text = unsafe { CStr::from_ptr(p) }.to_str().map(str::to_owned);
        unsafe { jogg_string_free(p) };
        let text = text.unwrap_or_else(|_| panic!("{what}: returned string is not UTF-8"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
    };
    if rc == JOGG_OK {
        assert!(err.is_null(), "{what}: error_json set on success");
        if !out.is_null() {
            take(out);
        }
    } else {
        assert!(out.is_null(), "{what}: output written on failure");
        assert!(!err.is_null(), "{what}: failure without error JSON");
        let e = take(err);
        assert_eq!(e["code"], rc, "{what}: error JSON code differs: {e}");
        assert!(e["message"].is_string(), "{what}: no message: {e}");
    }
}

/// Every client entry point with arbitrary strings: the first byte picks the function, the
/// next two which pointers are NULL, the rest (split on NUL) are the string arguments.
pub fn ffi(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let a = Args::new(rest);
    let c = client();
    let mut out: *mut c_char = std::ptr::null_mut();
    let mut err: *mut c_char = std::ptr::null_mut();
    let cb: jogg_progress_cb = None;
    let ud = std::ptr::null_mut::<c_void>();
    // SAFETY (every call below): a live client, NUL-terminated strings or NULL, writable
    // out slots; exactly what the header asks of a C caller.
    let (name, rc) = unsafe {
        match which % 16 {
            0 => (
                "jogg_call",
                jogg_call(c, a.get(0), a.get(1), &mut out, &mut err),
            ),
            1 => (
                "jogg_create_talking_avatar_video",
                jogg_create_talking_avatar_video(c, a.get(0), &mut out, &mut err),
            ),
            2 => (
                "jogg_get_project",
                jogg_get_project(c, a.get(0), &mut out, &mut err),
            ),
            3 => (
                "jogg_list_avatars",
                jogg_list_avatars(c, a.get(0), &mut out, &mut err),
            ),
            4 => (
                "jogg_list_voices",
                jogg_list_voices(c, a.get(0), &mut out, &mut err),
            ),
            5 => (
                "jogg_wait_for_project",
                jogg_wait_for_project(c, a.get(0), a.get(1), cb, ud, &mut out, &mut err),
            ),
            6 => (
                "jogg_wait",
                jogg_wait(c, a.get(0), a.get(1), a.get(2), cb, ud, &mut out, &mut err),
            ),
            7 => (
                "jogg_wait_many",
                jogg_wait_many(c, a.get(0), a.get(1), cb, ud, &mut out, &mut err),
            ),
            8 => (
                "jogg_call_and_wait",
                jogg_call_and_wait(c, a.get(0), a.get(1), a.get(2), cb, ud, &mut out, &mut err),
            ),
            9 => (
                "jogg_generate_talking_avatar_video",
                jogg_generate_talking_avatar_video(
                    c,
                    a.get(0),
                    a.get(1),
                    cb,
                    ud,
                    &mut out,
                    &mut err,
                ),
            ),
            10 => (
                "jogg_create_webhook_endpoint",
                jogg_create_webhook_endpoint(c, a.get(0), &mut out, &mut err),
            ),
            11 => {
                // The file goes nowhere: the API asked for the signed URL is not there.
                (
                    "jogg_upload_asset",
                    jogg_upload_asset(c, a.get(0), a.get(1), cb, ud, &mut out, &mut err),
                )
            }
            12 => {
                // Only loopback URLs (nothing else may be contacted) and a path of our own.
                let mut url = b"http://127.0.0.1:1/".to_vec();
                url.extend_from_slice(a.bytes(0));
                let url = CString::new(url).unwrap_or_default();
                let dir = std::env::temp_dir().join(format!("jogg-fuzz-{}", std::process::id()));
                let _ = std::fs::create_dir_all(&dir);
                let path = CString::new(dir.join("out.bin").to_string_lossy().into_owned())
                    .unwrap_or_default();
                let rc = jogg_download(c, url.as_ptr(), path.as_ptr(), cb, ud, &mut out, &mut err);
                ("jogg_download", rc)
            }
            13 => {
                let mut client = std::ptr::null_mut();
                let rc = jogg_client_new(a.get(0), &mut client, &mut err);
                if rc == JOGG_OK {
                    assert!(!client.is_null());
                    jogg_client_free(client);
                }
                ("jogg_client_new", rc)
            }
            14 => {
                let mut client = std::ptr::null_mut();
                let rc = jogg_client_new_with_log(a.get(0), None, ud, &mut client, &mut err);
                if rc == JOGG_OK {
                    jogg_client_free(client);
                }
                ("jogg_client_new_with_log", rc)
            }
            _ => {
                let code = i32::from_le_bytes(
                    a.bytes(0)
                        .iter()
                        .copied()
                        .chain([0; 4])
                        .take(4)
                        .collect::<Vec<_>>()[..4]
                        .try_into()
                        .unwrap_or([0; 4]),
                );
                let name = CStr::from_ptr(jogg_code_name(code));
                assert!(!name.to_bytes().is_empty());
                ("jogg_operations", jogg_operations(&mut out, &mut err))
            }
        }
    };
    settle(name, rc, out, err);
}

/// `jogg_call` with an operation name and request JSON given as text: the structured target
/// the properties feed with real operation names and generated JSON.
pub fn call(operation: &str, request_json: &str) {
    let (Ok(op), Ok(req)) = (CString::new(operation), CString::new(request_json)) else {
        return;
    };
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    // SAFETY: live client, C strings, writable out slots.
    let rc = unsafe { jogg_call(client(), op.as_ptr(), req.as_ptr(), &mut out, &mut err) };
    settle("jogg_call", rc, out, err);
}

/// Response decoding: the first two bytes are the HTTP status (100-599), the rest the body.
/// Decodes the envelope, then every typed reading of a successful `data`.
pub fn response(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (100 + u16::from_le_bytes([*a, *b]) % 500, rest),
        _ => (200, data),
    };
    for method in [crate::Method::Get, crate::Method::Post] {
        crate::transport::assert_paths_agree(body);
        let what = crate::transport::What(method, "/v1/fuzz");
        let decoded =
            crate::transport::decode_envelope(status, body.to_vec(), || None, method, &what)
                .and_then(crate::transport::RawReply::parse);
        match decoded {
            Ok(reply) => {
                for kind in crate::TaskKind::all() {
                    let _ = kind.observe(&reply.data, "1");
                }
                let d = &reply.data;
                let _ = serde_json::from_value::<crate::Project>(d.clone());
                let _ = serde_json::from_value::<crate::AvatarList>(d.clone());
                let _ = serde_json::from_value::<crate::VoiceList>(d.clone());
                let _ = serde_json::from_value::<crate::CreatedProject>(d.clone());
                let _ = serde_json::from_value::<crate::WebhookEndpoint>(d.clone());
            }
            Err(e) => {
                assert_eq!(e.http_status(), Some(status));
                let _ = crate::ffi::failure::Failure::from(e).json().to_string();
            }
        }
    }
}

/// Webhook deliveries: body, signature and secret from the input (split on NUL), through
/// the Rust API and the C ABI; a correct signature is tried too, so parsing is reached.
pub fn webhook(data: &[u8]) {
    let a = Args::new(data);
    let body = a.bytes(0);
    let signature = std::str::from_utf8(a.bytes(1)).ok();
    let secret = a.bytes(2);
    let _ = crate::webhook::verify(body, signature, secret);
    let _ = crate::WebhookEvent::from_body(body);
    let good = crate::webhook::sign(body, secret);
    match crate::webhook::parse(body, Some(&good), secret) {
        Ok(event) => {
            let _ = crate::ffi::shapes::event_json(&event).to_string();
        }
        Err(e) => assert!(
            matches!(e.0.kind, ErrorKind::BadResponse | ErrorKind::Validation),
            "{e:?}"
        ),
    }
    let good = CString::new(good).unwrap_or_default();
    for signature in [a.get(1), good.as_ptr()] {
        let mut out = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: `body` is `body.len()` readable bytes; C strings or NULL; out slots.
        let rc = unsafe {
            jogg_webhook_parse(
                body.as_ptr(),
                body.len(),
                signature,
                a.get(2),
                &mut out,
                &mut err,
            )
        };
        settle("jogg_webhook_parse", rc, out, err);
        // SAFETY: as above.
        let rc = unsafe { jogg_webhook_verify(body.as_ptr(), body.len(), signature, a.get(2)) };
        assert!(
            rc != JOGG_ERR_PANIC && crate::ffi::failure::name_of(rc) != c"UNKNOWN",
            "{rc}"
        );
    }
    // The inbox: the input's signature, and one made with the secret the client knows, so
    // that matching and keeping are reached. No wait runs, so nothing is sent.
    let known = CString::new(crate::webhook::sign(body, FUZZ_SECRET)).unwrap_or_default();
    for signature in [a.get(1), known.as_ptr()] {
        let mut out = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: a live client; `body` is `body.len()` readable bytes; C string or NULL.
        let rc = unsafe {
            jogg_webhook_deliver(
                inbox_client(),
                body.as_ptr(),
                body.len(),
                signature,
                &mut out,
                &mut err,
            )
        };
        assert!(
            matches!(
                rc,
                JOGG_OK | JOGG_ERR_SIGNATURE | JOGG_ERR_BAD_RESPONSE | JOGG_ERR_BODY_TOO_LARGE
            ),
            "jogg_webhook_deliver: {rc}"
        );
        settle("jogg_webhook_deliver", rc, out, err);
    }
}

/// Configuration and option parsers, which take caller JSON before anything is sent.
pub fn options(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::ffi::config::config_from_json(text).map(|c| c.validate());
    let _ = crate::ffi::shapes::wait_options_from_json(text);
    let _ = crate::ffi::shapes::upload_options_from_json(text);
    let _ = crate::operations::lookup(text);
}
