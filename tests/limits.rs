//! Input limits: deep JSON nesting and oversized strings give typed errors through the C ABI,
//! never a stack overflow or an unbounded copy; deep response and webhook bodies likewise.
//! (The 10 MiB response limit is in tests/fault_matrix.rs.)

mod hardening;

use std::ffi::{CStr, CString, c_char};

use hardening::{Lines, Scripted, client, respond};
use jogg::ErrorKind;
use jogg::internals::ffi::*;
use serde_json::Value;

fn client_for_nothing() -> *mut jogg_client {
    // Port 1 on loopback: nothing listens; these tests fail before sending anyway.
    let config = c"{\"api_key\":\"k\",\"base_url\":\"http://127.0.0.1:1\",\"proxy\":\"none\",\"max_retries\":0}";
    let mut c = std::ptr::null_mut();
    // SAFETY: valid string and out slot.
    assert_eq!(
        unsafe { jogg_client_new(config.as_ptr(), &mut c, std::ptr::null_mut()) },
        JOGG_OK
    );
    c
}

fn error_of(rc: jogg_code, err: *mut c_char) -> Value {
    assert_ne!(rc, JOGG_OK);
    // SAFETY: the library's error string, freed once.
    let text = unsafe { CStr::from_ptr(err) }.to_str().unwrap().to_owned();
    unsafe { jogg_string_free(err) };
    serde_json::from_str(&text).unwrap()
}

fn call(c: *mut jogg_client, op: &str, request: &[u8]) -> Value {
    let op = CString::new(op).unwrap();
    let req = CString::new(request).unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    // SAFETY: live client, C strings, out slots.
    let rc = unsafe { jogg_call(c, op.as_ptr(), req.as_ptr(), &mut out, &mut err) };
    assert!(out.is_null());
    error_of(rc, err)
}

#[test]
fn deeply_nested_json_is_a_typed_error() {
    let c = client_for_nothing();
    for depth in [129usize, 100_000] {
        let mut text = Vec::with_capacity(depth * 2 + 20);
        text.extend_from_slice(br#"{"project_id":"#);
        text.extend(std::iter::repeat_n(b'[', depth));
        text.extend(std::iter::repeat_n(b']', depth));
        text.push(b'}');
        let e = call(c, "v1.get_project", &text);
        assert_eq!(e["code"], JOGG_ERR_INVALID_JSON, "{e}");
        assert_eq!(e["field"], "request_json");
        assert!(
            e["message"].as_str().unwrap().contains("recursion limit"),
            "{e}"
        );
        // Objects too, and every JSON parameter of other entry points.
        let text = "{\"a\":".repeat(depth) + &"}".repeat(depth);
        let e = call(c, "v1.get_project", text.as_bytes());
        assert_eq!(e["code"], JOGG_ERR_INVALID_JSON);
        let t = CString::new(text).unwrap();
        let mut out = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: as above.
        let rc = unsafe {
            jogg_wait_many(
                c,
                t.as_ptr(),
                std::ptr::null(),
                None,
                std::ptr::null_mut(),
                &mut out,
                &mut err,
            )
        };
        assert_eq!(error_of(rc, err)["code"], JOGG_ERR_INVALID_JSON);
        let mut client = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: as above.
        let rc = unsafe { jogg_client_new(t.as_ptr(), &mut client, &mut err) };
        // The config is read into a struct: its first member, unknown, is the error.
        assert_eq!(error_of(rc, err)["code"], JOGG_ERR_INVALID_CONFIG);
    }
    // SAFETY: created above, freed once.
    unsafe { jogg_client_free(c) };
}

#[test]
fn oversized_inputs_are_refused_by_name() {
    let c = client_for_nothing();
    let big = format!(r#"{{"project_id":"{}"}}"#, "x".repeat(9 << 20));
    let e = call(c, "v1.get_project", big.as_bytes());
    assert_eq!(e["code"], JOGG_ERR_VALIDATION);
    assert_eq!(e["field"], "request_json");
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("limit is 8388608 bytes"), "{m}");
    // An id as long, through the typed entry point.
    let id = CString::new("p".repeat(9 << 20)).unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    // SAFETY: live client, C string, out slots.
    let rc = unsafe { jogg_get_project(c, id.as_ptr(), &mut out, &mut err) };
    let e = error_of(rc, err);
    assert_eq!(e["field"], "project_id");
    // Long, but under the input limit: too long for a URL all the same. A typed error naming
    // the parameter, before sending (ureq would panic building such a URI: found here).
    for len in [40_000, 1 << 20] {
        let id = "p".repeat(len);
        let e = call(
            c,
            "v1.get_project",
            format!(r#"{{"project_id":"{id}"}}"#).as_bytes(),
        );
        assert_eq!(e["code"], JOGG_ERR_VALIDATION, "{e}");
        assert_eq!(e["field"], "project_id");
        let e = call(
            c,
            "v2.get_lip_sync_video",
            format!(r#"{{"task_id":"{id}"}}"#).as_bytes(),
        );
        assert_eq!(e["code"], JOGG_ERR_VALIDATION, "{e}");
        assert_eq!(e["field"], "task_id", "{e}");
    }
    // Just under the limit is parsed, and a body may be that large (it then fails on the
    // network, as it should).
    let fits = format!(
        r#"{{"script":"{}","voice_id":"v","avatar_id":1,"avatar_type":0,"screen_style":1}}"#,
        "x".repeat((8 << 20) - 100)
    );
    let e = call(c, "v1.create_video_from_talking_avatar", fits.as_bytes());
    assert_eq!(e["code"], JOGG_ERR_CONNECT, "{}", e["message"]);
    // SAFETY: created above, freed once.
    unsafe { jogg_client_free(c) };
}

#[test]
fn deep_response_and_webhook_bodies_are_typed_errors() {
    let deep = format!(
        r#"{{"code":0,"data":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    // A garbled read is retried (twice by default): the server answers the same each time.
    let server = Scripted::start((0..3).map(|_| respond("200 OK", "", &deep)).collect());
    let c = client(&server.url, "k", &Lines::default());
    let e = c.v1().projects().get("p1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    assert_eq!(e.request_id(), Some("gw-1"));

    let body = "{\"event\":".repeat(100_000) + &"}".repeat(100_000);
    let e = jogg::WebhookEvent::from_body(body.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    assert!(e.message().contains("recursion limit"), "{}", e.message());
}
