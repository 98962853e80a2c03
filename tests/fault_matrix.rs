//! The fault matrix: every way a server or network can misbehave, for a GET (safe to retry)
//! and for a POST that creates a video (retried only when it certainly was not processed).
//! Each case ends in a retried success or a typed error carrying the request id the server
//! gave; never a hang (each call runs under a 30 s guard), a crash, an unbounded read, or a
//! second create.
//!
//! Servers are scripted std listeners on loopback (`hardening::Scripted`); the jogg-mock
//! fault injection is tested elsewhere.

mod hardening;

use std::time::Duration;

use hardening::{Action, Lines, Scripted, client, ok, respond, within};
use jogg::{Error, ErrorKind, Reply};
use serde_json::{Value, json};

const KEY: &str = "fault-matrix-key";
const GUARD: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Verb {
    Get,
    Post,
}

const BOTH: [Verb; 2] = [Verb::Get, Verb::Post];

fn op(verb: Verb) -> (&'static str, Value) {
    match verb {
        Verb::Get => ("v1.get_project", json!({"project_id": "p1"})),
        Verb::Post => (
            "v1.create_video_from_talking_avatar",
            json!({"script": "Hello", "voice_id": "v1", "avatar_id": 1, "avatar_type": 0,
                   "screen_style": 1}),
        ),
    }
}

/// Runs one call against a script; returns the result, the requests seen and the log.
fn run(verb: Verb, script: Vec<Action>) -> (Result<Reply, Error>, usize, Vec<String>) {
    let server = Scripted::start(script);
    let lines = Lines::default();
    let c = client(&server.url, KEY, &lines);
    let (name, params) = op(verb);
    let result = within(GUARD, move || c.call(name, &params));
    let log = lines.all().into_iter().map(|(_, l)| l).collect();
    (result, server.count(), log)
}

fn expect_err(r: Result<Reply, Error>, code: ErrorKind) -> Error {
    let e = r.expect_err("a typed error");
    assert_eq!(e.kind(), code, "{e:?}");
    // The error JSON of the C ABI says the same.
    let j = jogg::internals::ffi::failure::error_json(&e);
    assert_eq!(j["code"], jogg::internals::ffi::failure::code_of(code));
    e
}

fn expect_retried_success(r: Result<Reply, Error>, requests: usize, log: &[String]) {
    let reply = r.expect("retried to success");
    assert_eq!(reply.request_id.as_deref(), Some("rid-ok"));
    assert_eq!(requests, 2, "one failure, one retry");
    assert!(
        log.iter().any(|l| l.contains("retry attempt=2 delay_ms=")),
        "{log:?}"
    );
}

/// A POST that failed after it was sent: one request only, and the error says the create
/// may have happened, so the caller checks before paying again.
fn expect_single_create(e: &Error, requests: usize) {
    assert_eq!(requests, 1, "a create is never sent twice: {e:?}");
    assert!(e.maybe_processed(), "{e:?}");
    assert!(!e.message().contains("attempts"), "{}", e.message());
}

const HTML_500: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";

#[test]
fn http_5xx_with_an_html_body() {
    for verb in BOTH {
        let fault = || respond("502 Bad Gateway", "", HTML_500);
        let (r, n, log) = run(verb, vec![fault(), ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::Server);
                assert_eq!(e.http_status(), Some(502));
                assert_eq!(e.request_id(), Some("gw-1"), "the gateway's id");
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn api_50000() {
    for verb in BOTH {
        let fault = || {
            respond(
                "200 OK",
                "",
                r#"{"code":50000,"msg":"internal error","rid":"rid-5"}"#,
            )
        };
        let (r, n, log) = run(verb, vec![fault(), ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::Server);
                assert_eq!(e.api_code(), Some(50000));
                assert_eq!(e.request_id(), Some("rid-5"));
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn rate_limited_with_retry_after() {
    for verb in BOTH {
        // 429 was certainly not processed: a POST is retried too, and creates once.
        let fault = || {
            respond(
                "429 Too Many Requests",
                "Retry-After: 0.05\r\n",
                r#"{"code":429,"msg":"too many requests","rid":"rid-429"}"#,
            )
        };
        let (r, n, log) = run(verb, vec![fault(), ok(r#"{"project_id":"p1"}"#)]);
        expect_retried_success(r, n, &log);
        assert!(
            log.iter().any(|l| l.contains("delay_ms=50 ")),
            "the server's hint is the delay: {log:?}"
        );
    }
    // A hint too long to wait inside a call is reported, with the hint.
    for verb in BOTH {
        let fault = respond(
            "429 Too Many Requests",
            "Retry-After: 3600\r\n",
            r#"{"code":429,"msg":"too many requests","rid":"rid-429"}"#,
        );
        let (r, n, _) = run(verb, vec![fault]);
        let e = expect_err(r, ErrorKind::RateLimited);
        assert_eq!(
            e.retry_after().map(|d| d.as_millis() as u64),
            Some(3_600_000)
        );
        assert_eq!(e.request_id(), Some("rid-429"));
        assert_eq!(n, 1);
    }
}

#[test]
fn slow_response_past_the_timeout() {
    for verb in BOTH {
        let (r, n, log) = run(verb, vec![Action::Hold, ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::Timeout);
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn connection_reset() {
    for verb in BOTH {
        let (r, n, log) = run(verb, vec![Action::Reset, ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::Transport);
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn non_json_body() {
    for verb in BOTH {
        let fault = || respond("200 OK", "", "Service temporarily unavailable, try later");
        let (r, n, log) = run(verb, vec![fault(), ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            // A garbled answer to a read is worth asking again.
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::BadResponse);
                assert_eq!(e.http_status(), Some(200));
                assert_eq!(e.request_id(), Some("gw-1"));
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn truncated_body() {
    for verb in BOTH {
        let fault = || Action::Truncated {
            announced: 200,
            body: br#"{"code":0,"data":{"proj"#.to_vec(),
        };
        let (r, n, log) = run(verb, vec![fault(), ok(r#"{"project_id":"p1"}"#)]);
        match verb {
            Verb::Get => expect_retried_success(r, n, &log),
            Verb::Post => {
                let e = expect_err(r, ErrorKind::Transport);
                assert_eq!(e.http_status(), Some(200));
                assert_eq!(e.request_id(), Some("gw-truncated"));
                expect_single_create(&e, n);
            }
        }
    }
}

#[test]
fn body_larger_than_the_limit() {
    // 10 MiB is the limit; the server offers 64 MiB, with a length and chunked. The read
    // stops at the limit (memory stays bounded) and the error says why.
    for chunked in [false, true] {
        for verb in BOTH {
            let fault = Action::Big {
                len: 64 << 20,
                chunked,
            };
            let (r, n, _) = run(verb, vec![fault]);
            let e = expect_err(r, ErrorKind::BodyTooLarge);
            assert!(
                e.message().contains("exceeds 10485760 bytes"),
                "{}",
                e.message()
            );
            assert_eq!(e.request_id(), Some("gw-big"));
            assert_eq!(n, 1);
            assert_eq!(e.maybe_processed(), verb == Verb::Post);
        }
    }
}

#[test]
fn redirect_to_another_host_is_not_followed() {
    for verb in BOTH {
        // The target listens on another loopback address and records whatever reaches it.
        let target = Scripted::start_on("127.0.0.2", vec![ok("{}")]);
        let location = format!("Location: {}/v1/project?x=1\r\n", target.url);
        let fault = respond("302 Found", &location, "");
        let (r, n, _) = run(verb, vec![fault]);
        let e = expect_err(r, ErrorKind::BadResponse);
        assert_eq!(e.http_status(), Some(302));
        assert!(
            e.message().contains("redirects to http://127.0.0.2:"),
            "{}",
            e.message()
        );
        assert!(!e.message().contains("x=1"), "no query string in messages");
        assert_eq!(e.request_id(), Some("gw-1"));
        assert_eq!(n, 1);
        assert_eq!(
            target.count(),
            0,
            "nothing, and so no key, reached the other host"
        );
    }
}

#[test]
fn refused_connection_is_retried_even_for_a_create() {
    // Nothing listens: certainly not processed, so a POST is retried as a GET is, and the
    // final error is typed.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for verb in BOTH {
        let lines = Lines::default();
        let c = client(&format!("http://127.0.0.1:{port}"), KEY, &lines);
        let (name, params) = op(verb);
        let r = within(GUARD, move || c.call(name, &params));
        let e = expect_err(r, ErrorKind::Connect);
        assert!(!e.maybe_processed());
        assert!(e.message().contains("after 2 attempts"), "{}", e.message());
    }
}
