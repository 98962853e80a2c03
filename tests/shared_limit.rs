//! One key, many workers: the POST limit shared by processes (the host scope) and by hosts (a
//! real redis-server), against the mock's own per-key limit of 20 POSTs per 2 s, fixed or
//! sliding. The mock counts every POST of the key over all its connections; a POST it
//! refused shows as a POST it received that created nothing.
//!
//! The workers are this binary run again (see common/workers.rs), hence `harness = false`:
//! `main` either is a worker or runs the tests below, in parallel, and reports like libtest.

mod common;
#[path = "common/redis_server.rs"]
mod redis_server;
#[path = "common/workers.rs"]
mod workers;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TempDir, config_for, create_video, mock_with};
use jogg::{Client, Config, ErrorKind, LogLevel, LogSink, PostLimitFallback, PostLimitScope};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer, PostWindow};
use redis_server::RedisServer;
use serde_json::{Value, json};
use workers::{Outcome, Spec, Worker, run_all};

const CREATE: &str = "/v1/create_video_from_talking_avatar";
const LIMIT: u32 = 20;
const WINDOW_MS: u64 = 2000;
/// Far above what any run here needs; reaching it means a worker never got its slots.
const DEADLINE: Duration = Duration::from_secs(90);

fn mock(kind: PostWindow) -> MockServer {
    mock_with(MockConfig {
        render_ms: 0,
        post_limit: LIMIT,
        post_window_ms: WINDOW_MS,
        post_window_kind: kind,
        ..MockConfig::default()
    })
}

/// A worker's config: the mock, its key, the limit and window the mock enforces, and no
/// retries, so that a 429 would show as a failed create as well as at the mock.
fn worker_config(server: &MockServer, scope: Value) -> Value {
    json!({
        "api_key": MOCK_API_KEY,
        "base_url": server.base_url(),
        "proxy": "none",
        "max_retries": 0,
        "post_limit": LIMIT,
        "post_window_ms": WINDOW_MS,
        "post_limit_scope": scope,
    })
}

/// POSTs the mock received to create a video, and the projects it created: equal when it
/// refused none.
fn posts_and_created(server: &MockServer) -> (usize, usize) {
    let posts = server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == CREATE)
        .count();
    (posts, server.projects_created())
}

/// Every create succeeded, each once, and the mock refused nothing.
fn assert_all_created(server: &MockServer, outcomes: &[Outcome], expected: usize) {
    let errors: Vec<&String> = outcomes.iter().flat_map(|o| &o.errors).collect();
    assert!(errors.is_empty(), "failed creates: {errors:?}");
    let ids: HashSet<&String> = outcomes.iter().flat_map(|o| &o.created).collect();
    let reported: usize = outcomes.iter().map(|o| o.created.len()).sum();
    assert_eq!(reported, expected, "creates reported by the workers");
    assert_eq!(ids.len(), expected, "a project id reported twice");
    let (posts, created) = posts_and_created(server);
    assert_eq!(created, expected, "projects the mock created");
    assert_eq!(posts - created, 0, "POSTs the mock answered with 429");
}

// ---------------------------------------------------------------------------------------------
// 4 processes x 25 creates on one key.

fn host_scope_4x25(kind: PostWindow) {
    let server = mock(kind);
    let dir = TempDir::new("host-scope");
    let locks = dir.path("locks");
    let mut config = worker_config(&server, json!("host"));
    config["post_limit_dir"] = json!(locks);
    let specs: Vec<_> = (0..4)
        .map(|_| (Spec::new(config.clone(), 25, 5), vec![]))
        .collect();
    let outcomes = run_all(&specs, DEADLINE);
    assert_all_created(&server, &outcomes, 100);
}

fn host_scope_sliding() {
    host_scope_4x25(PostWindow::Sliding);
}

fn host_scope_fixed() {
    host_scope_4x25(PostWindow::Fixed);
}

/// Two "hosts" of two processes each. The Redis scope keeps nothing on the host (no lock
/// directory, no state file: the config refuses `post_limit_dir` for it), so processes share
/// only the Redis server and their key, as processes on two hosts do; on each "host" one
/// process's clock reads 90 s off, either way: Redis's clock is the only one that counts.
fn redis_two_hosts_4x25(kind: PostWindow) {
    let server = mock(kind);
    let redis = RedisServer::start();
    let config = worker_config(&server, json!(redis.url()));
    let spec = |skew_ms| {
        let spec = Spec {
            skew_ms,
            ..Spec::new(config.clone(), 25, 5)
        };
        (spec, vec![])
    };
    let specs = vec![spec(0), spec(90_000), spec(0), spec(-90_000)];
    let outcomes = run_all(&specs, DEADLINE);
    assert_all_created(&server, &outcomes, 100);
}

fn redis_two_hosts_sliding() {
    redis_two_hosts_4x25(PostWindow::Sliding);
}

fn redis_two_hosts_fixed() {
    redis_two_hosts_4x25(PostWindow::Fixed);
}

/// The host scope's clock is local: the same hook that Redis ignores does move it. (The
/// control for the test above: a skew the limiter reads would show.)
fn the_skew_hook_moves_the_host_clock() {
    let dir = TempDir::new("skew");
    let mut config = Config::new(MOCK_API_KEY).with_base_url("http://127.0.0.1:1");
    config.post_limit = 1;
    config.post_window = Duration::from_secs(3600);
    config.post_limit_scope = PostLimitScope::Host;
    config.post_limit_dir = Some(dir.path("locks"));
    config.proxy = jogg::Proxy::None;
    config.max_retries = 0;
    // Nothing listens on port 1: the create takes the only slot for an hour, then fails to
    // connect.
    let now = Client::new(config.clone()).unwrap();
    assert_eq!(
        create_video(&now, "Hello").unwrap_err().kind(),
        ErrorKind::Connect
    );
    // An hour and a bit later by its own clock, another client sees the slot expired (else it
    // would wait an hour: the deadline below fails the test first).
    config.skew_clock_for_tests(3_700_000);
    let later = Client::new(config).unwrap();
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(create_video(&later, "Hello").map_err(|e| e.kind())));
    let result = result.recv_timeout(Duration::from_secs(30));
    assert_eq!(
        result,
        Ok(Err(ErrorKind::Connect)),
        "the skewed clock was not read"
    );
}

// ---------------------------------------------------------------------------------------------
// A worker killed with SIGKILL while holding slots.

/// The first worker takes all 20 slots with creates the mock holds for 10 s, and is killed
/// once the mock has them all. Its slots end with their leases (its 3 s timeout + the
/// window); until then the others must not send, since the mock counted those 20.
fn killed_worker(scope: Value, dir: Option<&TempDir>) {
    let server = mock(PostWindow::Sliding);
    server.add_fault(
        format!("POST {CREATE} slow;ms=10000;times=20")
            .parse()
            .unwrap(),
    );
    let mut config = worker_config(&server, scope);
    if let Some(dir) = dir {
        config["post_limit_dir"] = json!(dir.path("locks"));
    }
    let mut doomed = config.clone();
    doomed["timeout_ms"] = json!(3000);
    let mut victim = Worker::start(&Spec::new(doomed, 20, 20), &[]);
    victim.go();
    wait_for_posts(&server, 20);
    victim.kill();
    let specs: Vec<_> = (0..3)
        .map(|_| (Spec::new(config.clone(), 10, 5), vec![]))
        .collect();
    let outcomes = run_all(&specs, DEADLINE);
    let errors: Vec<&String> = outcomes.iter().flat_map(|o| &o.errors).collect();
    assert!(errors.is_empty(), "failed creates: {errors:?}");
    let created: usize = outcomes.iter().map(|o| o.created.len()).sum();
    assert_eq!(created, 30, "the survivors' creates");
    let (posts, created) = posts_and_created(&server);
    assert_eq!(
        (posts, created),
        (50, 50),
        "POSTs received and projects created"
    );
}

fn killed_worker_redis() {
    let redis = RedisServer::start();
    killed_worker(json!(redis.url()), None);
}

fn killed_worker_host() {
    let dir = TempDir::new("killed");
    killed_worker(json!("host"), Some(&dir));
}

// ---------------------------------------------------------------------------------------------
// The shared store failing.

fn redis_client(server: &MockServer, url: &str, log: Option<LogSink>) -> Client {
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit_scope = PostLimitScope::Redis(url.to_string());
    if let Some(sink) = log {
        config.post_limit_fallback = PostLimitFallback::Process;
        config.log = LogLevel::Info;
        config.log_sink = Some(sink);
    }
    Client::new(config).unwrap()
}

fn redis_stopped_mid_run_is_an_error_naming_it() {
    let server = mock(PostWindow::Sliding);
    let mut redis = RedisServer::start();
    let c = redis_client(&server, &redis.url(), None);
    let project = create_video(&c, "Hello").unwrap();
    redis.stop();
    let e = create_video(&c, "Hello").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimiterStore, "{e}");
    assert_eq!(e.field(), Some("post_limit_scope"));
    assert!(e.message().contains(&redis.url()), "{e}");
    assert!(e.message().contains("not sent"), "{e}");
    assert_eq!(
        posts_and_created(&server),
        (1, 1),
        "nothing sent after the failure"
    );
    // GETs do not need the limiter.
    c.v1().projects().get(&project).unwrap();
}

fn redis_stopped_mid_run_falls_back_when_asked_and_logs_it() {
    let server = mock(PostWindow::Sliding);
    let mut redis = RedisServer::start();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    let sink = LogSink::new(move |_, line| seen.lock().unwrap().push(line.to_string()));
    let c = redis_client(&server, &redis.url(), Some(sink));
    create_video(&c, "Hello").unwrap();
    redis.stop();
    create_video(&c, "Hello").unwrap();
    create_video(&c, "Hello").unwrap();
    assert_eq!(server.projects_created(), 3);
    let lines = lines.lock().unwrap();
    let fallbacks: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("counting in the process scope"))
        .collect();
    assert_eq!(fallbacks.len(), 1, "logged once: {lines:?}");
    assert!(fallbacks[0].contains(&redis.url()), "{}", fallbacks[0]);
}

fn an_unusable_host_directory_is_an_error_naming_it() {
    let server = mock(PostWindow::Sliding);
    let dir = TempDir::new("not-a-dir");
    let file = dir.file("locks", b"a file, not a directory");
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit_scope = PostLimitScope::Host;
    config.post_limit_dir = Some(file.clone());
    let e = create_video(&Client::new(config).unwrap(), "Hello").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimiterStore, "{e}");
    assert!(e.message().contains(file.to_str().unwrap()), "{e}");
    assert_eq!(posts_and_created(&server), (0, 0), "nothing sent");
}

// ---------------------------------------------------------------------------------------------
// A 429 seen by one worker pauses the others.

/// A client outside the limiter (its own limit off) fills the mock's window; the next POST,
/// from worker A, is refused with Retry-After and A waits it out. Worker B, sharing A's store
/// but not its client, POSTs during that pause: it must wait for the pause too, or the mock,
/// still full, refuses it as well. Exactly one 429 in all.
fn a_429_pauses_every_worker(scope: PostLimitScope, dir: Option<&TempDir>) {
    let server = mock(PostWindow::Sliding);
    let mut outsider = config_for(&server.base_url(), MOCK_API_KEY);
    outsider.post_limit = 0;
    let outsider = Client::new(outsider).unwrap();
    for _ in 0..LIMIT {
        create_video(&outsider, "Hello").unwrap();
    }
    let worker = |log: Option<LogSink>| {
        let mut config = config_for(&server.base_url(), MOCK_API_KEY);
        config.post_limit_scope = scope.clone();
        config.post_limit_dir = dir.map(|d| d.path("locks"));
        if let Some(sink) = log {
            config.log = LogLevel::Debug;
            config.log_sink = Some(sink);
        }
        Client::new(config).unwrap()
    };
    // A logs its retry once it has seen the 429 and shared the pause: B starts then.
    let (line, lines) = std::sync::mpsc::channel::<String>();
    let line = Mutex::new(line);
    let a = worker(Some(LogSink::new(move |_, l| {
        let _ = line.lock().unwrap().send(l.to_string());
    })));
    let b = worker(None);
    let a = std::thread::spawn(move || create_video(&a, "Hello"));
    loop {
        let l = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("A never retried");
        if l.contains(" retry attempt=2 ") {
            break;
        }
    }
    create_video(&b, "Hello").unwrap();
    a.join().unwrap().unwrap();
    let (posts, created) = posts_and_created(&server);
    assert_eq!(created, LIMIT as usize + 2);
    assert_eq!(posts - created, 1, "only A's first POST was refused");
}

/// Until the mock has received `n` create POSTs.
fn wait_for_posts(server: &MockServer, n: usize) {
    let posts = |log: &[jogg_mock::RecordedRequest]| {
        log.iter()
            .filter(|r| r.method == "POST" && r.path == CREATE)
            .count()
    };
    assert!(
        server.wait_for_requests(Duration::from_secs(30), |log| posts(log) >= n),
        "the mock never received {n} POSTs"
    );
}

fn a_429_pauses_every_worker_redis() {
    let redis = RedisServer::start();
    a_429_pauses_every_worker(PostLimitScope::Redis(redis.url()), None);
}

fn a_429_pauses_every_worker_host() {
    let dir = TempDir::new("cooldown");
    a_429_pauses_every_worker(PostLimitScope::Host, Some(&dir));
}

// ---------------------------------------------------------------------------------------------

/// The default scope: two clients of one process with the same key and base URL share the
/// count. Each takes the mock's whole limit; the second must wait for the first's window, or
/// the mock refuses it.
fn clients_of_one_process_share_by_default() {
    let server = mock_with(MockConfig {
        render_ms: 0,
        post_limit: 2,
        post_window_ms: 500,
        ..MockConfig::default()
    });
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.max_retries = 0;
    config.post_limit = 2;
    config.post_window = Duration::from_millis(500);
    let (a, b) = (
        Client::new(config.clone()).unwrap(),
        Client::new(config).unwrap(),
    );
    for c in [&a, &a, &b, &b] {
        create_video(c, "Hello").unwrap();
    }
    assert_eq!(posts_and_created(&server), (4, 4));
}

/// Runs each test on its own thread, all at once (they share nothing: each has its own mock,
/// Redis and directories), and reports like libtest. Arguments that are not flags filter by
/// name.
fn run_tests(tests: &[(&'static str, fn())]) {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let chosen: Vec<_> = tests
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    let started = Instant::now();
    println!("\nrunning {} tests", chosen.len());
    let running: Vec<_> = chosen
        .iter()
        .map(|&&(name, test)| (name, std::thread::spawn(test)))
        .collect();
    let mut failed = Vec::new();
    for (name, handle) in running {
        let ok = handle.join().is_ok();
        println!("test {name} ... {}", if ok { "ok" } else { "FAILED" });
        if !ok {
            failed.push(name);
        }
    }
    let passed = chosen.len() - failed.len();
    if !failed.is_empty() {
        println!("\nfailures:");
        for name in &failed {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed; 0 ignored; 0 measured; {} filtered out; finished in {:.2}s\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len(),
        tests.len() - chosen.len(),
        started.elapsed().as_secs_f64()
    );
    // Exit now: a thread left waiting by a failed test must not keep the process alive.
    std::process::exit(i32::from(!failed.is_empty()));
}

fn main() {
    workers::run_if_worker();
    let tests: &[(&str, fn())] = &[
        ("host_scope_sliding", host_scope_sliding),
        ("host_scope_fixed", host_scope_fixed),
        ("redis_two_hosts_sliding", redis_two_hosts_sliding),
        ("redis_two_hosts_fixed", redis_two_hosts_fixed),
        (
            "the_skew_hook_moves_the_host_clock",
            the_skew_hook_moves_the_host_clock,
        ),
        ("killed_worker_redis", killed_worker_redis),
        ("killed_worker_host", killed_worker_host),
        (
            "redis_stopped_mid_run_is_an_error_naming_it",
            redis_stopped_mid_run_is_an_error_naming_it,
        ),
        (
            "redis_stopped_mid_run_falls_back_when_asked_and_logs_it",
            redis_stopped_mid_run_falls_back_when_asked_and_logs_it,
        ),
        (
            "an_unusable_host_directory_is_an_error_naming_it",
            an_unusable_host_directory_is_an_error_naming_it,
        ),
        (
            "a_429_pauses_every_worker_redis",
            a_429_pauses_every_worker_redis,
        ),
        (
            "a_429_pauses_every_worker_host",
            a_429_pauses_every_worker_host,
        ),
        (
            "clients_of_one_process_share_by_default",
            clients_of_one_process_share_by_default,
        ),
    ];
    run_tests(tests);
}
