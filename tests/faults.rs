//! jogg-mock's injected faults against the client's retry policy: what is retried, how many
//! attempts the mock saw, and that a create is never made twice. Then batches against the
//! server's POST limit, sliding and fixed.

mod common;

use std::time::{Duration, Instant};

use common::{config_for, create_video, mock_with};
use jogg::{Client, ErrorKind};
use jogg_mock::{Fault, MOCK_API_KEY, MockConfig, MockServer, PostWindow};
use serde_json::json;

const CREATE: &str = "/v1/create_video_from_talking_avatar";
/// The client's request timeout here: short, yet far above a loopback round trip even on a
/// busy machine. `SLOW` answers well after it.
const TIMEOUT: Duration = Duration::from_millis(600);
const SLOW: &str = "slow;ms=1500";

fn server() -> MockServer {
    mock_with(MockConfig {
        render_ms: 0,
        ..MockConfig::default()
    })
}

/// The default retry policy (2 retries), the short timeout, no POST pacing.
fn client_for(server: &MockServer) -> Client {
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.timeout = TIMEOUT;
    config.post_limit = 0;
    Client::new(config).unwrap()
}

fn arm(server: &MockServer, rule: &str) {
    server.add_fault(rule.parse().unwrap());
}

/// Requests the mock received with this method and path.
fn attempts(server: &MockServer, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

// ---------------------------------------------------------------------------------------------
// GET: every fault is retried, and a transient one is ridden out.

/// The first poll of a project meets `fault` once; the retry gets the project.
fn get_recovers_from(fault: &str) {
    let server = server();
    let c = client_for(&server);
    let id = create_video(&c, "Hello").unwrap();
    arm(&server, &format!("GET /v1/project {fault};times=1"));
    let p = c
        .v1()
        .projects()
        .get(&id)
        .unwrap_or_else(|e| panic!("{fault}: {e}"));
    assert_eq!(p.id, id);
    assert_eq!(
        attempts(&server, "GET", "/v1/project"),
        2,
        "{fault}: one failure, one retry"
    );
    assert_eq!(server.faults_injected(), 1, "{fault}");
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn get_retried_after_http_5xx() {
    get_recovers_from("http5xx;status=502");
}

#[test]
fn get_retried_after_api_50000() {
    get_recovers_from("api50000");
}

#[test]
fn get_retried_after_429_once_retry_after_has_passed() {
    let started = Instant::now();
    get_recovers_from("http429;retry_after=1");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
}

#[test]
fn get_retried_after_a_reply_slower_than_the_timeout() {
    get_recovers_from(SLOW);
}

#[test]
fn get_retried_after_a_drop_before_processing() {
    get_recovers_from("drop-before");
}

#[test]
fn get_retried_after_a_drop_after_processing() {
    get_recovers_from("drop-after");
}

#[test]
fn get_retried_after_a_malformed_body() {
    get_recovers_from("malformed");
}

#[test]
fn get_retried_after_a_truncated_body() {
    get_recovers_from("truncated");
}

#[test]
fn slow_within_the_timeout_is_just_slow() {
    let server = server();
    let c = client_for(&server);
    let id = create_video(&c, "Hello").unwrap();
    arm(&server, "GET /v1/project slow;ms=100");
    let started = Instant::now();
    c.v1().projects().get(&id).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(attempts(&server, "GET", "/v1/project"), 1);
}

#[test]
fn two_failures_use_both_retries() {
    let server = server();
    let c = client_for(&server);
    let id = create_video(&c, "Hello").unwrap();
    arm(&server, "GET /v1/project api50000;times=2");
    c.v1().projects().get(&id).unwrap();
    assert_eq!(attempts(&server, "GET", "/v1/project"), 3);
}

#[test]
fn three_failures_exhaust_the_retries() {
    let server = server();
    let c = client_for(&server);
    let id = create_video(&c, "Hello").unwrap();
    arm(&server, "GET /v1/project http5xx;times=3");
    let e = c.v1().projects().get(&id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e}");
    assert_eq!(e.http_status(), Some(500));
    assert!(
        e.message().ends_with("(after 3 attempts)"),
        "{}",
        e.message()
    );
    assert_eq!(attempts(&server, "GET", "/v1/project"), 3);
    assert!(!e.maybe_processed(), "a GET changes nothing");
}

#[test]
fn a_server_that_stays_slow_is_a_timeout_on_get() {
    let server = server();
    let c = client_for(&server);
    let id = create_video(&c, "Hello").unwrap();
    arm(&server, &format!("GET /v1/project {SLOW}"));
    let e = c.v1().projects().get(&id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(
        jogg::internals::ffi::failure::code_of(e.kind()),
        101,
        "JOGG_ERR_TIMEOUT"
    );
    assert!(
        e.message().ends_with("(after 3 attempts)"),
        "{}",
        e.message()
    );
    assert_eq!(attempts(&server, "GET", "/v1/project"), 3);
}

// ---------------------------------------------------------------------------------------------
// POST: retried only when it certainly was not processed; otherwise `maybe_processed`.

/// A create that meets `fault` (every time) is sent once, fails with `code` and
/// `maybe_processed`, and the mock holds `created` projects: the fault's own effect.
fn create_not_retried(fault: &str, code: ErrorKind, created: usize) {
    let server = server();
    let c = client_for(&server);
    arm(&server, &format!("POST {CREATE} {fault}"));
    let e = create_video(&c, "Hello").unwrap_err();
    assert_eq!(e.kind(), code, "{fault}: {e}");
    assert!(e.maybe_processed(), "{fault}: the client cannot know: {e}");
    assert!(
        !e.message().contains("attempts"),
        "{fault}: not retried: {e}"
    );
    assert_eq!(attempts(&server, "POST", CREATE), 1, "{fault}");
    assert_eq!(server.projects_created(), created, "{fault}");
    let fault: Fault = fault.parse().unwrap();
    assert_eq!(fault.kind.takes_effect(), created == 1, "{fault}");
}

#[test]
fn create_after_http_5xx_may_have_been_processed_and_was_not() {
    create_not_retried("http5xx", ErrorKind::Server, 0);
}

#[test]
fn create_after_api_50000_may_have_been_processed_and_was_not() {
    create_not_retried("api50000", ErrorKind::Server, 0);
}

#[test]
fn create_dropped_before_processing_is_not_retried() {
    create_not_retried("drop-before", ErrorKind::Transport, 0);
}

#[test]
fn create_dropped_after_processing_is_not_retried() {
    create_not_retried("drop-after", ErrorKind::Transport, 1);
}

#[test]
fn create_with_a_malformed_reply_is_not_retried() {
    create_not_retried("malformed", ErrorKind::BadResponse, 1);
}

#[test]
fn create_with_a_truncated_reply_is_not_retried() {
    create_not_retried("truncated", ErrorKind::Transport, 1);
}

#[test]
fn create_answered_too_late_is_a_timeout_that_may_have_been_processed() {
    create_not_retried(SLOW, ErrorKind::Timeout, 1);
}

#[test]
fn create_refused_with_429_is_retried_and_made_once() {
    let server = server();
    let c = client_for(&server);
    arm(
        &server,
        &format!("POST {CREATE} http429;retry_after=0;times=1"),
    );
    let id = create_video(&c, "Hello").unwrap();
    assert_eq!(attempts(&server, "POST", CREATE), 2);
    assert_eq!(server.projects_created(), 1);
    assert_eq!(c.v1().projects().get(&id).unwrap().id, id);
}

#[test]
fn table_operations_meet_the_same_faults() {
    // v1.create_product goes through the table-driven handlers, not the hand-written route.
    let server = server();
    let c = client_for(&server);
    let op = "v1.create_product";
    let params = json!({"name": "Socks", "description": "Warm."});
    arm(&server, "POST /v1/product http429;retry_after=0;times=1");
    c.call(op, &params).unwrap();
    assert_eq!(server.created("product"), 1);
    arm(&server, "POST /v1/product drop-after;times=1");
    let e = c.call(op, &params).unwrap_err();
    assert!(e.maybe_processed());
    assert_eq!(
        server.created("product"),
        2,
        "the dropped create took effect, once"
    );
    assert_eq!(attempts(&server, "POST", "/v1/product"), 3);
}

#[test]
fn random_faults_never_duplicate_a_create() {
    // One thread, so the order of requests (and with the seed, every draw) is fixed.
    let server = mock_with(MockConfig {
        render_ms: 0,
        // Out of the way: only the injected 429s should refuse creates here.
        post_limit: 1000,
        fault_rate: 0.4,
        fault_seed: 11,
        fault_kinds: [
            "http5xx",
            "api50000",
            "http429;retry_after=0",
            "slow;ms=20",
            "drop-before",
            "drop-after",
            "malformed",
            "truncated",
        ]
        .iter()
        .map(|f| f.parse().unwrap())
        .collect(),
        ..MockConfig::default()
    });
    let c = client_for(&server);
    let calls = 30;
    let (mut ok, mut maybe) = (0, 0);
    for _ in 0..calls {
        match create_video(&c, "Hello") {
            Ok(_) => ok += 1,
            Err(e) if e.maybe_processed() => maybe += 1,
            // Three 429s in a row: refused every time, certainly not created.
            Err(e) => assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}"),
        }
    }
    let created = server.projects_created();
    assert!(server.faults_injected() > 0);
    assert!(ok > 0 && maybe > 0, "ok {ok}, maybe {maybe}");
    assert!(
        (ok..=ok + maybe).contains(&created),
        "{created} created for {ok} successes and {maybe} uncertain failures"
    );
}

// ---------------------------------------------------------------------------------------------
// A batch against the server's POST limit: the client's pacing means no 429 ever arrives.

fn batch_of_100(window_kind: PostWindow) {
    let window = Duration::from_millis(400);
    let server = mock_with(MockConfig {
        render_ms: 0,
        post_limit: 20,
        post_window_ms: window.as_millis() as u64,
        post_window_kind: window_kind,
        ..MockConfig::default()
    });
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    // No retries: a 429 would surface as a failed create.
    config.max_retries = 0;
    config.post_limit = 20;
    config.post_window = window;
    let c = Client::new(config).unwrap();
    let threads: Vec<_> = (0..5)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                (0..20)
                    .map(|_| create_video(&c, "Hello"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(server.projects_created(), 100, "no duplicate, none missing");
    assert_eq!(attempts(&server, "POST", CREATE), 100, "one request each");
}

#[test]
fn a_batch_of_100_never_meets_a_sliding_limit() {
    batch_of_100(PostWindow::Sliding);
}

#[test]
fn a_batch_of_100_never_meets_a_fixed_limit() {
    batch_of_100(PostWindow::Fixed);
}

#[test]
fn a_fixed_window_refuses_the_post_over_the_limit() {
    // The control for the test above: without the client's pacing, the fixed window refuses.
    let server = mock_with(MockConfig {
        render_ms: 0,
        post_limit: 3,
        post_window_ms: 60_000,
        post_window_kind: PostWindow::Fixed,
        ..MockConfig::default()
    });
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.max_retries = 0;
    config.post_limit = 0;
    let c = Client::new(config).unwrap();
    for _ in 0..3 {
        create_video(&c, "Hello").unwrap();
    }
    let e = create_video(&c, "Hello").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert!(!e.maybe_processed());
    assert_eq!(server.projects_created(), 3);
}
