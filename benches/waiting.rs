//! Waiting at scale, measured: how close a batch of creates comes to the floor the POST limit
//! sets, what the library's poll schedule costs and saves against a fixed 5-second poll, and
//! how waits end when webhook deliveries come (and when some are lost).
//!
//! `make bench` (`cargo bench --bench waiting`) prints the tables and rewrites the "Waiting"
//! section of BENCHMARKS.md with them, so the committed figures always come from this file.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpListener;
use std::ops::ControlFlow;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jogg::{
    Client, Config, CreateTalkingAvatarVideo, CreateWebhookEndpoint, ErrorKind, Proxy,
    StatusSource, WaitOptions,
};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};

mod common;
use common::splice;

/// The batch: creates, the server's limit per window, and the threads sharing one client.
const CREATES: usize = 100;
const LIMIT: u32 = 20;
const WINDOW: Duration = Duration::from_secs(1);
const THREADS: usize = 20;
const RUNS: usize = 3;

/// Render times for the poll-schedule table, in seconds.
const RENDERS: [u64; 7] = [5, 30, 120, 300, 600, 1200, 1800];
/// The waits of the webhook runs, and their render time.
const WAITS: usize = 100;
const WEBHOOK_RENDER: Duration = Duration::from_secs(40);
/// Share of deliveries the second webhook run loses, and the seed of the draws.
const DROP_RATE: f64 = 0.1;
const DROP_SEED: u64 = 16;

struct BatchRun {
    wall: Duration,
    failed: usize,
    limited: usize,
    created: usize,
}

/// One batch of creates against a fresh mock that enforces `LIMIT` per `WINDOW`, with the
/// client's limiter set to the same and retries off (a 429 would be a failed create).
fn batch() -> BatchRun {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        post_limit: LIMIT,
        post_window_ms: WINDOW.as_millis() as u64,
        ..MockConfig::default()
    })
    .expect("mock starts on loopback");
    let mut config = Config::new(MOCK_API_KEY).with_base_url(server.base_url());
    config.proxy = Proxy::None;
    config.max_retries = 0;
    config.post_limit = LIMIT;
    config.post_window = WINDOW;
    let client = Client::new(config).expect("valid config");
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (client, next, errors) = (client.clone(), next.clone(), errors.clone());
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::SeqCst) < CREATES {
                    let request =
                        CreateTalkingAvatarVideo::from_script(81, "en-US-JennyNeural", "Hello");
                    if let Err(e) = client.v1().videos().create_from_talking_avatar(&request) {
                        errors.lock().unwrap().push(e.kind());
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("batch thread");
    }
    let wall = started.elapsed();
    let errors = errors.lock().unwrap();
    BatchRun {
        wall,
        failed: errors.len(),
        limited: errors
            .iter()
            .filter(|c| **c == ErrorKind::RateLimited)
            .count(),
        created: server.projects_created(),
    }
}

/// The poll that first sees a render finishing at `render`: how many polls it took and how
/// long after the end it came. `None` if the schedule gives up first.
fn detection(
    offsets: impl Iterator<Item = Duration>,
    render: Duration,
) -> Option<(usize, Duration)> {
    offsets
        .enumerate()
        .find(|(_, at)| *at >= render)
        .map(|(i, at)| (i + 1, at - render))
}

/// Render times per mean delay.
const SPREAD_SAMPLES: u32 = 1000;

/// The mean detection delay over render times spread evenly from 0.8 to 1.2 times `render`
/// (renders the schedule gives up on are left out).
fn mean_delay(schedule: &WaitOptions, webhooks: bool, render: Duration) -> Duration {
    let offsets: Vec<Duration> = schedule.poll_offsets(webhooks).collect();
    let delays: Vec<Duration> = (0..SPREAD_SAMPLES)
        .map(|i| render.mul_f64(0.8 + 0.4 * f64::from(i) / f64::from(SPREAD_SAMPLES - 1)))
        .filter_map(|r| detection(offsets.iter().copied(), r).map(|(_, delay)| delay))
        .collect();
    delays.iter().sum::<Duration>() / delays.len().max(1) as u32
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn human(seconds: u64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// A render time R and the goal for its mean detection delay: max(2.5 s, 5 % of R).
fn goal(render: Duration) -> Duration {
    Duration::from_millis(2500).max(render / 20)
}

/// The tables of the poll schedule, computed from `poll_offsets` (request time left out).
fn schedule_tables(md: &mut String) {
    // Two hours, so that the 30-minute row's spread (up to 36 min) is not cut by the deadline.
    let library = WaitOptions {
        timeout: Duration::from_secs(2 * 3600),
        ..WaitOptions::default()
    };
    let fixed = WaitOptions {
        interval_ratio: 0.0,
        initial_interval: Duration::from_secs(5),
        max_interval: Duration::from_secs(5),
        ..library.clone()
    };
    writeln!(
        md,
        "\n### Polls per task and detection delay, without webhooks\n\n\
         The poll instants of `WaitOptions::default()` (`poll_offsets(false)`: at once, then \
         after a pause of a tenth of the time waited, at least 5 s and at most 60 s; the \
         deadline raised to 2 h so that no row is cut) against a fixed 5-second poll. A \
         render that ends at R is seen by the first poll at or after R: polls counts it, \
         delay is its time minus R. Request time is left out. Round render times flatter both \
         schedules (every one here is a multiple of 5 s, the fixed poll's best case), so the \
         mean delay over {SPREAD_SAMPLES} render times spread evenly over R +/- 20 % is given \
         too, beside the goal max(2.5 s, 5 % of R).\n\n\
         | render time R | polls (library) | delay | mean delay, R +/- 20 % | goal \
         | polls (fixed 5 s) | delay | mean delay, R +/- 20 % |\n\
         |---|---|---|---|---|---|---|---|"
    )
    .unwrap();
    let cells = |schedule: &WaitOptions, render: Duration| {
        let Some((polls, delay)) = detection(schedule.poll_offsets(false), render) else {
            return "gave up | - | -".to_owned();
        };
        format!(
            "{polls} | {:.1} s | {:.1} s",
            delay.as_secs_f64(),
            mean_delay(schedule, false, render).as_secs_f64()
        )
    };
    for render in RENDERS {
        let r = Duration::from_secs(render);
        writeln!(
            md,
            "| {} | {} | {:.1} s | {} |",
            human(render),
            cells(&library, r),
            goal(r).as_secs_f64(),
            cells(&fixed, r),
        )
        .unwrap();
    }
    // Between the rows: every render time from 5 s to 30 min, 1 s apart.
    let ratio = |o: &WaitOptions, r: Duration| {
        mean_delay(o, false, r).as_secs_f64() / goal(r).as_secs_f64()
    };
    let worst = |o: &WaitOptions, from: u64| {
        (from..=1800u64)
            .map(|s| (ratio(o, Duration::from_secs(s)), s))
            .fold((0.0f64, 0), |a, b| if b.0 > a.0 { b } else { a })
    };
    let (mut more, mut not_half) = (0, 0);
    for render in 5..=1800u64 {
        let r = Duration::from_secs(render);
        let polls = |o: &WaitOptions| detection(o.poll_offsets(false), r).map_or(0, |p| p.0);
        let (ours, theirs) = (polls(&library), polls(&fixed));
        more += usize::from(ours > theirs);
        not_half += usize::from(render >= 300 && 2 * ours > theirs);
    }
    let ((lib_all, lib_all_at), (fixed_all, fixed_all_at)) = (worst(&library, 5), worst(&fixed, 5));
    let (lib_50, lib_50_at) = worst(&library, 50);
    writeln!(
        md,
        "\nOver every whole second of render time from 5 s to 30 min (1796 render times), not \
         only the rows: the library's schedule polls more than the fixed 5-second poll at \
         {more} of them, and more than half as much from 5 minutes up at {not_half}. Its mean \
         delay is at most {lib_all:.2} times the goal (at {}), as the fixed 5-second poll's is \
         ({fixed_all:.2}, at {}): below 50 s the goal is 2.5 s, what a 5-second poll gives \
         averaged over every phase, and a window of +/- 20 % around a short render meets the \
         polls unevenly. From 50 s up, where the schedule leaves the fixed poll, its mean \
         delay is at most {lib_50:.2} times the goal (at {}).",
        human(lib_all_at),
        human(fixed_all_at),
        human(lib_50_at),
    )
    .unwrap();

    writeln!(
        md,
        "\n### The safety net, while webhooks are expected\n\n\
         A client that knows a webhook secret polls every pause `webhook_slowdown` (6) times \
         longer (`poll_offsets(true)`: 30 s apart, then from 50 s on 60 % of the time \
         waited, at most 6 min). With deliveries, a wait ends at its delivery: polls before it counts the polls \
         made before R. A task whose delivery is lost is seen by the next poll: its mean delay \
         over R +/- 20 %, as above.\n\n\
         | render time R | polls before the delivery | if the delivery is lost: polls | delay \
         | mean delay, R +/- 20 % |\n|---|---|---|---|---|"
    )
    .unwrap();
    for render in RENDERS {
        let r = Duration::from_secs(render);
        let before = library.poll_offsets(true).take_while(|at| *at < r).count();
        let (polls, delay) = detection(library.poll_offsets(true), r).expect("within 2 h");
        writeln!(
            md,
            "| {} | {before} | {polls} | {:.1} s | {:.1} s |",
            human(render),
            delay.as_secs_f64(),
            mean_delay(&library, true, r).as_secs_f64()
        )
        .unwrap();
    }
}

/// What one webhook run measured.
struct WebhookRun {
    ended: usize,
    lost: usize,
    by_webhook: usize,
    /// From the handler having a delivery's body to its wait returning, sorted.
    latencies: Vec<Duration>,
    polls_max: u32,
    polls_mean: f64,
    /// Waits whose delivery was lost: from the render's end to the wait's return.
    lost_delays: Vec<Duration>,
    wall: Duration,
}

/// The program's HTTP handler: each request's body and signature go to the client; when it
/// had the body is noted by task id.
fn serve_deliveries(
    listener: TcpListener,
    client: Client,
    received: Arc<Mutex<HashMap<String, Instant>>>,
) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { return };
        let (client, received) = (client.clone(), received.clone());
        std::thread::spawn(move || {
            let mut writer = stream.try_clone().expect("clone the socket");
            let mut reader = BufReader::new(stream);
            let (mut length, mut signature) = (0, None);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    match name.trim().to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap_or(0),
                        "x-webhook-signature" => signature = Some(value.trim().to_owned()),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let at = Instant::now();
            let status = match client.deliver_webhook(&body, signature.as_deref()) {
                Ok(delivery) => {
                    let id = delivery.event.id.unwrap_or_default();
                    received.lock().unwrap().insert(id, at);
                    200
                }
                Err(_) => 401,
            };
            let _ = writer.write_all(
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        });
    }
}

/// `WAITS` renders of `WEBHOOK_RENDER` on one client, each waited on in a thread of its own
/// with the default options, while the mock delivers their ends (losing `drop_rate` of them)
/// to a handler that feeds the client.
fn webhook_run(drop_rate: f64) -> WebhookRun {
    let server = MockServer::start(MockConfig {
        render_ms: WEBHOOK_RENDER.as_millis() as u64,
        post_limit: 10_000,
        webhook_drop_rate: drop_rate,
        fault_seed: DROP_SEED,
        ..MockConfig::default()
    })
    .expect("mock starts on loopback");
    let mut config = Config::new(MOCK_API_KEY).with_base_url(server.base_url());
    config.proxy = Proxy::None;
    config.post_limit = 0;
    let client = Client::new(config).expect("valid config");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    let received = Arc::new(Mutex::new(HashMap::new()));
    {
        let (client, received) = (client.clone(), received.clone());
        std::thread::spawn(move || serve_deliveries(listener, client, received));
    }
    client
        .v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(
            &url,
            ["generated_video_success"],
        ))
        .expect("endpoint");
    let started = Instant::now();
    let waits: Vec<_> = (0..WAITS)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                let request = CreateTalkingAvatarVideo::from_script(
                    1,
                    "en-US-JennyNeural",
                    format!("Video {i}"),
                );
                let id = client
                    .v1()
                    .videos()
                    .create_from_talking_avatar(&request)
                    .expect("create")
                    .project_id;
                let created = Instant::now();
                let kind = jogg::TaskKind::polled_by("v1.get_project").expect("kind");
                let done = client.wait(kind, &id, &WaitOptions::default(), |_| {
                    ControlFlow::Continue(())
                });
                (id, created, Instant::now(), done)
            })
        })
        .collect();
    let results: Vec<_> = waits
        .into_iter()
        .map(|w| w.join().expect("wait thread"))
        .collect();
    let wall = started.elapsed();
    let received = received.lock().unwrap();
    let mut run = WebhookRun {
        ended: 0,
        lost: 0,
        by_webhook: 0,
        latencies: Vec::new(),
        polls_max: 0,
        polls_mean: 0.0,
        lost_delays: Vec::new(),
        wall,
    };
    let mut polls = 0u32;
    for (id, created, ended, done) in &results {
        let Ok(done) = done else { continue };
        run.ended += 1;
        run.polls_max = run.polls_max.max(done.polls);
        polls += done.polls;
        if done.source == StatusSource::Webhook {
            run.by_webhook += 1;
        }
        match received.get(id) {
            Some(at) if done.source == StatusSource::Webhook => {
                run.latencies.push(ended.saturating_duration_since(*at));
            }
            Some(_) => {}
            None => {
                run.lost += 1;
                run.lost_delays
                    .push(ended.saturating_duration_since(*created + WEBHOOK_RENDER));
            }
        }
    }
    run.polls_mean = f64::from(polls) / results.len() as f64;
    run.latencies.sort();
    run
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn webhook_table(md: &mut String, run: &str, r: &WebhookRun) {
    if !md.contains("### Waits with webhook deliveries") {
        writeln!(
            md,
            "\n### Waits with webhook deliveries\n\n\
             {WAITS} renders of {} each on one client against an in-process jogg-mock, each \
             created and then waited on (`wait`, default options) in a thread of its own. The \
             client created the webhook endpoint, so it expects deliveries and polls as the \
             safety net. The mock POSTs each render's end to a loopback HTTP handler of the \
             benchmark's (a thread per request), which hands the body and signature to \
             `deliver_webhook`. Latency: from the handler having the whole body to the wait \
             returning, for waits a delivery ended. In the second run the mock loses {:.0} % of \
             the deliveries (seed {DROP_SEED}); a lost one's delay runs from the render's end \
             (its create plus {}) to its wait returning.\n\n\
             | run | waits ended | by webhook | lost | latency p50 | p99 | max | polls per task, \
             mean | max | lost ones seen, mean delay | max | wall time |\n\
             |---|---|---|---|---|---|---|---|---|---|---|---|",
            secs(WEBHOOK_RENDER),
            DROP_RATE * 100.0,
            secs(WEBHOOK_RENDER),
        )
        .unwrap();
    }
    let mean_lost = r.lost_delays.iter().sum::<Duration>() / r.lost_delays.len().max(1) as u32;
    let max_lost = r.lost_delays.iter().max().copied().unwrap_or_default();
    let lost_cells = if r.lost == 0 {
        "- | -".to_owned()
    } else {
        format!("{} | {}", secs(mean_lost), secs(max_lost))
    };
    writeln!(
        md,
        "| {run} | {} of {WAITS} | {} | {} | {} | {} | {} | {:.2} | {} | {lost_cells} | {} |",
        r.ended,
        r.by_webhook,
        r.lost,
        ms(percentile(&r.latencies, 50.0)),
        ms(percentile(&r.latencies, 99.0)),
        ms(r.latencies.last().copied().unwrap_or_default()),
        r.polls_mean,
        r.polls_max,
        secs(r.wall),
    )
    .unwrap();
}

fn main() {
    let cores = command_output("nproc", &[]).unwrap_or_else(|| {
        std::thread::available_parallelism().map_or("?".into(), |n| n.to_string())
    });
    let arch = command_output("uname", &["-m"]).unwrap_or_else(|| std::env::consts::ARCH.into());

    let mut md = String::new();
    let floor = WINDOW * (CREATES.div_ceil(LIMIT as usize) as u32 - 1);
    writeln!(
        md,
        "## Waiting\n\n\
         Generated by `make bench` (`benches/waiting.rs`) on a machine with `nproc` = {cores}, \
         `uname -m` = {arch}.\n\n\
         ### A batch of creates against the POST limit\n\n\
         {CREATES} `v1.create_video_from_talking_avatar` calls from {THREADS} threads sharing \
         one client, against an in-process jogg-mock (loopback, instant renders) that allows \
         {LIMIT} POSTs per {} sliding window. The client's limiter is set to the same limit \
         and its retries are off, so a 429 would show as a failed create. The floor is \
         (ceil({CREATES}/{LIMIT}) - 1) x {} = {}: the last group of {LIMIT} cannot start \
         sooner. Ratio = wall time / floor. The limiter holds each slot until the answer \
         plus the window plus a margin (1 % of the window, at least 20 ms), so each group \
         costs a round trip and the margin above the window.\n",
        secs(WINDOW),
        secs(WINDOW),
        secs(floor),
    )
    .unwrap();
    writeln!(
        md,
        "| run | wall time | floor | ratio | failed | of which 429 | projects created |\n\
         |---|---|---|---|---|---|---|"
    )
    .unwrap();
    for run in 1..=RUNS {
        let r = batch();
        let ratio = r.wall.as_secs_f64() / floor.as_secs_f64();
        writeln!(
            md,
            "| {run} | {} | {} | {ratio:.3} | {} | {} | {} |",
            secs(r.wall),
            secs(floor),
            r.failed,
            r.limited,
            r.created
        )
        .unwrap();
    }

    schedule_tables(&mut md);
    for (rate, run) in [
        (0.0, "every delivery arrives"),
        (DROP_RATE, "10 % of deliveries lost"),
    ] {
        let r = webhook_run(rate);
        webhook_table(&mut md, run, &r);
    }

    print!("{md}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md");
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    std::fs::write(path, splice(&old, "## Waiting", &md)).expect("write BENCHMARKS.md");
    eprintln!("wrote the Waiting section of {path}");
}
