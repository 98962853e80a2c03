//! The header's promises against hostile servers: every wait ends by its deadline with the
//! wait code, `all_pages` stays within its memory bound, `retryable` never invites a duplicate,
//! connect failures carry the connect code, `Retry-After` in both its forms is honoured up to
//! its cap, and numbers are read as JSON spells them.

mod hardening;

use std::ffi::{CStr, CString, c_char};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hardening::{Action, Lines, Scripted, ok, respond, within};
use jogg::internals::ffi::*;
use jogg::{Config, ErrorKind, Proxy, WaitOptions};
use serde_json::{Value, json};

const GUARD: Duration = Duration::from_secs(30);

fn config(url: &str) -> Config {
    let mut c = Config::new("k").with_base_url(url);
    c.proxy = Proxy::None;
    c.post_limit = 0;
    c
}

fn c_client(config_json: &str) -> *mut jogg_client {
    let text = CString::new(config_json).unwrap();
    let mut c = std::ptr::null_mut();
    // SAFETY: valid string and out slot.
    let rc = unsafe { jogg_client_new(text.as_ptr(), &mut c, std::ptr::null_mut()) };
    assert_eq!(rc, JOGG_OK);
    c
}

/// `jogg_call` as C calls it: the data or the error JSON.
fn c_call(c: *mut jogg_client, op: &str, request: &str) -> Result<Value, Value> {
    let (op, req) = (CString::new(op).unwrap(), CString::new(request).unwrap());
    let (mut out, mut err): (*mut c_char, *mut c_char) =
        (std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: live client, C strings, out slots.
    let rc = unsafe { jogg_call(c, op.as_ptr(), req.as_ptr(), &mut out, &mut err) };
    let take = |p: *mut c_char| {
        // SAFETY: a string the library returned, freed once.
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { jogg_string_free(p) };
        serde_json::from_str::<Value>(&text).unwrap()
    };
    if rc == JOGG_OK {
        Ok(take(out))
    } else {
        Err(take(err))
    }
}

#[test]
fn wait_against_a_silent_server_ends_by_its_deadline_with_wait_timeout() {
    // Each request may take 10 s and is retried twice; the wait has 1 s.
    let server = Scripted::start(vec![Action::Hold; 6]);
    let mut c = config(&server.url);
    c.timeout = Duration::from_secs(10);
    c.max_retries = 2;
    let client = jogg::Client::new(c).unwrap();
    let options = WaitOptions {
        timeout: Duration::from_secs(1),
        initial_interval: Duration::from_millis(100),
        max_interval: Duration::from_millis(200),
        max_polls: None,
        ..WaitOptions::default()
    };
    let started = Instant::now();
    let e = within(GUARD, move || {
        client
            .wait_for_project("p1", &options, |_| std::ops::ControlFlow::Continue(()))
            .unwrap_err()
    });
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "a 1 s wait took {took:?}");
    assert_eq!(e.kind(), ErrorKind::WaitTimeout, "{e}");
    assert_eq!(e.task_id(), Some("p1"));
}

#[test]
fn all_pages_stops_at_its_memory_bound() {
    // Pages of 4 MB that never say "last": the walk must stop at its documented bound
    // (64 MiB of page data) with a typed error, not at the 10,000-page guard.
    let voice = format!(r#"{{"voice_id":"{}"}}"#, "v".repeat(40_000));
    let items = vec![voice; 100].join(",");
    let body = format!(r#"{{"code":0,"data":{{"voices":[{items}]}},"rid":"r"}}"#);
    let reply = Arc::new(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    );
    let page = Action::custom(move |stream, _| {
        let _ = stream.write_all(&reply);
    });
    let server = Scripted::start(vec![page; 40]);
    let config_json = format!(
        r#"{{"api_key":"k","base_url":"{}","proxy":"none","max_retries":0}}"#,
        server.url
    );
    let e = within(GUARD, move || {
        let c = c_client(&config_json);
        let e = c_call(c, "v1.list_voices", r#"{"all_pages": true}"#).unwrap_err();
        // SAFETY: created above, freed once.
        unsafe { jogg_client_free(c) };
        e
    });
    assert_eq!(e["code"], JOGG_ERR_BODY_TOO_LARGE, "{e}");
    assert_eq!(e["field"], "all_pages");
    assert!(e["message"].as_str().unwrap().contains("67108864"), "{e}");
    assert!(server.count() <= 17, "{} pages fetched", server.count());
}

#[test]
fn post_that_may_have_been_processed_is_not_retryable() {
    let create = "v1.create_video_from_talking_avatar";
    let request = json!({"script": "Hi", "voice_id": "v", "avatar_id": 1, "avatar_type": 0,
                         "screen_style": 1});
    let server = Scripted::start(vec![respond("500 Internal Server Error", "", "<html/>")]);
    let client = hardening::client(&server.url, "k", &Lines::default());
    let e = client.call(create, &request).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.maybe_processed());
    assert!(!e.is_retryable(), "retrying it may create a second video");
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["retryable"],
        false
    );
    assert_eq!(
        server.finish().len(),
        1,
        "a maybe-processed POST was sent again"
    );

    // The same failure on a GET is safe to send again.
    let server = Scripted::start(vec![respond("500 Internal Server Error", "", "<html/>"); 2]);
    let client = hardening::client(&server.url, "k", &Lines::default());
    let e = client.v1().projects().get("p1").unwrap_err();
    assert!(!e.maybe_processed() && e.is_retryable());
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["retryable"],
        true
    );
}

#[test]
fn json_exactly_128_deep_is_accepted() {
    // Nothing listens on port 1; none of these requests gets that far.
    let c = c_client(r#"{"api_key":"k","base_url":"http://127.0.0.1:1","proxy":"none"}"#);
    let array = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
    let object = |depth: usize| "{\"a\":".repeat(depth - 1) + "{}" + &"}".repeat(depth - 1);
    for (text, what) in [(array(128), "array"), (object(128), "object")] {
        let e = c_call(c, "v1.get_project", &text).unwrap_err();
        assert_eq!(e["code"], JOGG_ERR_VALIDATION, "{what} 128 deep: {e}");
    }
    for text in [array(129), object(129)] {
        let e = c_call(c, "v1.get_project", &text).unwrap_err();
        assert_eq!(e["code"], JOGG_ERR_INVALID_JSON, "{e}");
        assert!(e["message"].as_str().unwrap().contains("128"), "{e}");
    }
    // SAFETY: created above, freed once.
    unsafe { jogg_client_free(c) };
}

/// A listener whose accept queue is full: a connect to it waits for an answer that never
/// comes (the kernel drops the SYN), which is what a firewalled host does.
fn unanswering_listener() -> (std::net::TcpListener, Vec<std::net::TcpStream>) {
    use std::os::fd::AsRawFd;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    // SAFETY: a listening socket this function owns; a backlog of 0 keeps one connection.
    assert_eq!(unsafe { libc::listen(listener.as_raw_fd(), 0) }, 0);
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    while let Ok(s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        queued.push(s);
        assert!(queued.len() < 64, "the accept queue never filled");
    }
    (listener, queued)
}

#[test]
fn connect_timeout_is_the_connect_code() {
    let (listener, _queued) = unanswering_listener();
    let mut c = config(&format!("http://{}", listener.local_addr().unwrap()));
    c.connect_timeout = Duration::from_millis(300);
    c.max_retries = 0;
    let client = jogg::Client::new(c).unwrap();
    let e = within(GUARD, move || client.v1().projects().get("p1").unwrap_err());
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(e.message().contains("connect"), "{}", e.message());
    assert!(!e.maybe_processed());
}

#[test]
fn retry_after_http_date_is_honoured_and_capped() {
    let limited = |header: &str| respond("429 Too Many Requests", header, r#"{"code":429}"#);
    let get = |server: &Scripted| {
        let mut c = config(&server.url);
        c.max_retries = 2;
        jogg::Client::new(c).unwrap().v1().projects().get("p1")
    };
    // A date far ahead: not waited out, reported with the documented cap (one day).
    for header in [
        "Retry-After: Thu, 01 Jan 2099 00:00:00 GMT\r\n",
        "Retry-After: 1e300\r\n",
        "Retry-After: 99999999999999999999\r\n",
    ] {
        let server = Scripted::start(vec![limited(header), ok(r#"{"id":"p1"}"#)]);
        let e = get(&server).expect_err(header);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(
            e.retry_after().map(|d| d.as_millis() as u64),
            Some(86_400_000),
            "{header}"
        );
        assert_eq!(
            server.count(),
            1,
            "{header}: retried despite a long Retry-After"
        );
    }
    // A date already past: retry at once.
    let server = Scripted::start(vec![
        limited("Retry-After: Thu, 01 Jan 1970 00:00:00 GMT\r\n"),
        ok(r#"{"id":"p1","status_code":2}"#),
    ]);
    get(&server).expect("retried");
    assert_eq!(server.finish().len(), 2);
}

#[test]
fn negative_zero_is_zero_and_large_integers_are_out_of_range() {
    let c = c_client(r#"{"api_key":"k","base_url":"http://127.0.0.1:1","proxy":"none"}"#);
    let e = c_call(c, "v1.list_voices", r#"{"page_size": -0}"#).unwrap_err();
    assert_eq!(e["field"], "page_size");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .ends_with("must be between 1 and 100 (got 0)"),
        "{e}"
    );
    for big in ["9223372036854775808", "18446744073709551615"] {
        let e = c_call(c, "v1.list_voices", &format!(r#"{{"page_size": {big}}}"#)).unwrap_err();
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .ends_with(&format!("must be between 1 and 100 (got {big})")),
            "{e}"
        );
        let e = c_call(
            c,
            "v1.create_video_from_talking_avatar",
            &format!(
                r#"{{"script":"Hi","voice_id":"v","avatar_id":{big},"avatar_type":0,"screen_style":1}}"#
            ),
        )
        .unwrap_err();
        assert_eq!(e["field"], "avatar_id", "{e}");
        assert!(
            !e["message"].as_str().unwrap().contains("an integer"),
            "{e}"
        );
    }
    // SAFETY: created above, freed once.
    unsafe { jogg_client_free(c) };

    // -0 goes out as 0.
    let server = Scripted::start(vec![ok(r#"{"project_id":"p1"}"#)]);
    let client = hardening::client(&server.url, "k", &Lines::default());
    let create = "v1.create_video_from_talking_avatar";
    let request: Value = serde_json::from_str(
        r#"{"script":"Hi","voice_id":"v","avatar_id":-0,"avatar_type":-0,"screen_style":1}"#,
    )
    .unwrap();
    client.call(create, &request).expect("sent");
    let sent: Value = serde_json::from_slice(&server.finish()[0].body).unwrap();
    assert_eq!(
        (sent["avatar_id"].clone(), sent["avatar_type"].clone()),
        (json!(0), json!(0))
    );
    assert!(sent["avatar_id"].is_u64());
}

#[test]
fn gzip_api_replies_are_decoded_within_the_body_limit() {
    let gzip = |body: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(body).unwrap();
        gz.finish().unwrap()
    };
    let reply = |body: &[u8]| {
        let mut bytes = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(body);
        Action::Respond(bytes)
    };
    let envelope = br#"{"code":0,"data":{"id":"p1","status_code":2},"rid":"r-gz"}"#;
    let bomb = gzip(&vec![b' '; 11 << 20]);
    let server = Scripted::start(vec![reply(&gzip(envelope)), reply(&bomb)]);
    let mut c = config(&server.url);
    c.max_retries = 0;
    let client = jogg::Client::new(c).unwrap();
    let project = client
        .v1()
        .projects()
        .get("p1")
        .expect("a gzip reply is read");
    assert_eq!(project.id, "p1");
    let e = client.v1().projects().get("p1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BodyTooLarge, "{e}");
    assert_eq!(server.finish()[0].header("accept-encoding"), Some("gzip"));
}
