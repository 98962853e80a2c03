//! Every error family: caller mistakes (nothing sent), transport, API, with their details.

mod common;

use std::net::TcpListener;

use common::{
    canned, client, config_for, config_no_retry, http_response, http_response_with, mock,
    mock_with, scripted,
};
use jogg::{Client, Config, ErrorKind, VoiceFilter};
use jogg_mock::MockConfig;
use serde_json::{Value, json};

fn create_op() -> &'static str {
    "v1.create_video_from_talking_avatar"
}

fn valid_request() -> Value {
    json!({"script": "hi", "voice_id": "en-US-JennyNeural", "avatar_id": 81,
           "avatar_type": 0, "screen_style": 1})
}

/// Sends `request` and expects a validation error naming `field`, with nothing sent.
fn expect_invalid(request: Value, field: &str, words: &str) {
    let server = mock(0);
    let e = client(&server).call(create_op(), &request).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    assert_eq!(e.field(), Some(field), "{e}");
    assert!(
        e.message().contains(words),
        "{:?} lacks {words:?}",
        e.message()
    );
    assert!(
        e.message()
            .starts_with("v1.create_video_from_talking_avatar: ")
    );
    assert!(server.requests().is_empty(), "a request was sent");
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn without(mut v: Value, key: &str) -> Value {
    v.as_object_mut().unwrap().remove(key);
    v
}

#[test]
fn validation_names_the_field_and_sends_nothing() {
    let ok = valid_request();
    expect_invalid(
        with(ok.clone(), "avtar_id", json!(1)),
        "avtar_id",
        "unknown field",
    );
    expect_invalid(without(ok.clone(), "avatar_id"), "avatar_id", "is required");
    expect_invalid(
        without(ok.clone(), "screen_style"),
        "screen_style",
        "is required",
    );
    expect_invalid(
        with(ok.clone(), "aspect_ratio", json!(7)),
        "aspect_ratio",
        "one of 0, 1, 2",
    );
    expect_invalid(
        with(ok.clone(), "screen_style", json!(0)),
        "screen_style",
        "one of 1, 2, 3",
    );
    expect_invalid(
        with(ok.clone(), "avatar_id", json!("12")),
        "avatar_id",
        "an integer",
    );
    expect_invalid(
        with(ok.clone(), "caption", json!("yes")),
        "caption",
        "true or false",
    );
    expect_invalid(
        with(ok.clone(), "audio_url", json!("https://x/a.mp3")),
        "audio_url",
        "got both",
    );
    expect_invalid(without(ok.clone(), "script"), "script", "got none");
    expect_invalid(
        without(ok.clone(), "voice_id"),
        "voice_id",
        "required when script",
    );
    expect_invalid(json!([1, 2]), "request", "JSON object");
}

#[test]
fn list_filters_are_validated() {
    let server = mock(0);
    let c = client(&server);
    let e = c
        .v1()
        .voices()
        .list(&VoiceFilter {
            page_size: Some(101),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.field(), Some("page_size"));
    assert!(e.message().contains("between 1 and 100"));
    let e = c
        .call("v1.list_avatars", &json!({"gender": "Female"}))
        .unwrap_err();
    assert_eq!(e.field(), Some("gender"), "enum case is exact (D27)");
    // The error says what would have been accepted, so the fix is in the message.
    assert!(e.message().contains("must be one of"), "{e}");
    assert!(
        e.message().contains("female") && e.message().contains("male"),
        "{e}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn bad_key_is_auth_error_without_the_key() {
    let server = mock(0);
    let c = Client::new(config_for(&server.base_url(), "sk-SENTINEL-42")).unwrap();
    let e = c.v1().voices().list(&VoiceFilter::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.api_code(), Some(10105));
    assert!(e.request_id().is_some());
    let everything = format!(
        "{e}{e:?}{}{c:?}",
        jogg::internals::ffi::failure::error_json(&e)
    );
    assert!(!everything.contains("SENTINEL"), "{everything}");
}

#[test]
fn rate_limit_is_reported_with_retry_after() {
    let server = mock_with(MockConfig {
        render_ms: 0,
        post_limit: 2,
        post_window_ms: 60_000,
        ..MockConfig::default()
    });
    // Neither the client's own POST limit nor its retries: this is about the report.
    let mut config = config_no_retry(&server.base_url(), jogg_mock::MOCK_API_KEY);
    config.post_limit = 0;
    let c = Client::new(config).unwrap();
    let op = create_op();
    c.call(op, &valid_request()).unwrap();
    c.call(op, &valid_request()).unwrap();
    let e = c.call(op, &valid_request()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.api_code(), Some(429));
    assert!(e.retry_after().map(|d| d.as_millis() as u64).unwrap() >= 1000);
    assert!(e.is_retryable());
    assert!(!e.maybe_processed(), "a 429 was certainly not processed");
    assert_eq!(server.projects_created(), 2);
}

#[test]
fn http_status_errors_decode_the_same() {
    let server = mock_with(MockConfig {
        render_ms: 0,
        http_errors: true,
        ..MockConfig::default()
    });
    let e = client(&server).v1().projects().get("nope").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.api_code(), Some(10104));
}

#[test]
fn connection_refused_is_connect_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::new(config_no_retry(&format!("http://127.0.0.1:{port}"), "k")).unwrap();
    let e = c.v1().projects().get("p").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(e.is_retryable());
    assert!(!e.maybe_processed());
}

#[test]
fn every_missing_member_of_the_main_create_is_named_at_once() {
    let server = mock(0);
    let c = client(&server);
    let e = c
        .call(create_op(), &json!({"script": "Hello"}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("screen_style"));
    assert_eq!(
        e.fields(),
        ["screen_style", "avatar_id", "avatar_type", "voice_id"]
    );
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["fields"],
        json!(["screen_style", "avatar_id", "avatar_type", "voice_id"])
    );
    for member in ["screen_style", "avatar_id", "avatar_type", "voice_id"] {
        assert!(e.message().contains(member), "{}", e.message());
    }
    assert!(server.requests().is_empty());
}

#[test]
fn language_filters_match_whatever_the_case() {
    let server = mock(0);
    let c = client(&server);
    let lower = c
        .v1()
        .voices()
        .list(&VoiceFilter {
            language: Some("english".into()),
            ..Default::default()
        })
        .unwrap();
    let capital = c
        .v1()
        .voices()
        .list(&VoiceFilter {
            language: Some("English".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(!capital.voices.is_empty());
    assert_eq!(capital, lower);
    let sent = server.requests().pop().unwrap();
    assert!(sent.query.contains(&("language".into(), "english".into())));
    let custom = c.v2().voices().list_custom(Some("SPANISH")).unwrap();
    assert!(!custom.voices.is_empty());
}

#[test]
fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = listener.local_addr().unwrap();
    let mut config = config_no_retry(&format!("http://{server}"), "k");
    config.timeout = std::time::Duration::from_millis(200);
    let e = Client::new(config)
        .unwrap()
        .call(create_op(), &valid_request())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    // The server is named, so a wrong base_url shows.
    assert!(
        e.message().contains(&format!(" to {server}: ")) && e.message().ends_with(" in time"),
        "{e}"
    );
    assert!(
        e.maybe_processed(),
        "a create that timed out may have been processed"
    );
    drop(listener);
}

#[test]
fn non_json_and_html_replies() {
    let c = |url: String| Client::new(config_no_retry(&url, "k")).unwrap();
    let e = c(canned(http_response("200 OK", "not json")))
        .v1()
        .projects()
        .get("p")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse);
    let e = c(canned(http_response(
        "502 Bad Gateway",
        "<html>oops</html>",
    )))
    .v1()
    .projects()
    .get("p")
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.http_status(), Some(502));
    let e = c(canned(http_response(
        "200 OK",
        r#"{"code":18020,"msg":"not enough credits","data":null,"rid":"abc"}"#,
    )))
    .call(create_op(), &valid_request())
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
    assert_eq!(e.request_id(), Some("abc"));
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["api_message"],
        "not enough credits"
    );
}

#[test]
fn tolerant_project_decoding() {
    // An integer project id and a `status` member instead of `status_code` (D15, D33).
    let url = canned(http_response(
        "200 OK",
        r#"{"code":0,"msg":"success","data":{"id":12345,"status":4,"video_url":"https://v/x.mp4","video_duration":"12","extra_member":true}}"#,
    ));
    let p = Client::new(config_for(&url, "k"))
        .unwrap()
        .v1()
        .projects()
        .get("12345")
        .unwrap();
    assert_eq!(p.id, "12345");
    assert_eq!(p.status_code, 4);
    assert_eq!(p.video_duration, Some(12.0));
    assert_eq!(p.extra["extra_member"], json!(true));
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let e = Client::new(Config::new("k").with_base_url("http://api.jogg.ai")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert_eq!(e.field(), Some("base_url"));
}

#[test]
fn get_is_retried_after_a_server_error() {
    let (url, served) = scripted(vec![
        http_response("503 Service Unavailable", "<html>busy</html>"),
        http_response(
            "200 OK",
            r#"{"code":0,"msg":"ok","data":{"id":"p1","status_code":3},"rid":"r2"}"#,
        ),
    ]);
    let p = Client::new(config_for(&url, "k"))
        .unwrap()
        .v1()
        .projects()
        .get("p1")
        .unwrap();
    assert_eq!(p.status_code, 3);
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn post_is_retried_after_429_with_retry_after() {
    let limited = http_response_with(
        "429 Too Many Requests",
        "Retry-After: 0\r\n",
        r#"{"code":429,"msg":"Rate limit exceeded","data":null}"#,
    );
    let (url, served) = scripted(vec![
        limited,
        http_response(
            "200 OK",
            r#"{"code":0,"msg":"ok","data":{"project_id":"abc"}}"#,
        ),
    ]);
    let data = Client::new(config_for(&url, "k"))
        .unwrap()
        .call(create_op(), &valid_request())
        .unwrap()
        .data;
    assert_eq!(data["project_id"], "abc");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn post_server_error_is_not_retried() {
    let (url, served) = scripted(vec![
        http_response(
            "200 OK",
            r#"{"code":50000,"msg":"internal","data":null,"rid":"r"}"#,
        ),
        http_response(
            "200 OK",
            r#"{"code":0,"msg":"ok","data":{"project_id":"dup"}}"#,
        ),
    ]);
    let e = Client::new(config_for(&url, "k"))
        .unwrap()
        .call(create_op(), &valid_request())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.maybe_processed(), "the create may exist: say so");
    assert_eq!(
        served.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "no second create"
    );
}

#[test]
fn retries_give_up_and_say_how_often_they_tried() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut config = config_for(&format!("http://127.0.0.1:{port}"), "k");
    config.max_retries = 1;
    let e = Client::new(config)
        .unwrap()
        .v1()
        .projects()
        .get("p")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect);
    assert!(
        e.message().ends_with("(after 2 attempts)"),
        "{}",
        e.message()
    );
}

#[test]
fn a_batch_never_meets_the_server_limit() {
    // The server allows 4 POSTs per 300 ms; so does the client, which must then never
    // receive a 429 (retries are off: one would fail the create).
    let server = mock_with(MockConfig {
        render_ms: 0,
        post_limit: 4,
        post_window_ms: 300,
        ..MockConfig::default()
    });
    let mut config = config_no_retry(&server.base_url(), jogg_mock::MOCK_API_KEY);
    config.post_limit = 4;
    config.post_window = std::time::Duration::from_millis(300);
    let c = Client::new(config).unwrap();
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                for _ in 0..4 {
                    c.call(create_op(), &valid_request()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(server.projects_created(), 12, "every create accepted once");
}
