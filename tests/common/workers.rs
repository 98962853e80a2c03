//! Worker processes sharing one API key: the test or bench binary runs itself again with
//! `JOGG_LIMIT_WORKER` set to a spec, and the copy makes its own client from the spec's config
//! JSON (as a C or Python program would) and creates videos. Used by tests/shared_limit.rs and
//! benches/shared_limit.rs (through `#[path]`), so that both drive workers the same way.
//!
//! A worker prints `ready` once its client exists, waits for a line on stdin (so that all
//! start together), then prints `created <project id>` or `error <code> <message>` per create
//! and exits.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ENV: &str = "JOGG_LIMIT_WORKER";

/// What one worker does.
#[derive(Clone, Debug)]
pub struct Spec {
    /// `jogg_client_new`'s config JSON.
    pub config: Value,
    pub creates: usize,
    /// Threads sharing the worker's client.
    pub threads: usize,
    /// The test hook: this process's clock reads that many ms off.
    pub skew_ms: i64,
}

impl Spec {
    pub fn new(config: Value, creates: usize, threads: usize) -> Spec {
        Spec {
            config,
            creates,
            threads,
            skew_ms: 0,
        }
    }
}

/// Call first in `main`: in a worker process, runs the worker and exits.
pub fn run_if_worker() {
    let Ok(text) = std::env::var(ENV) else {
        return;
    };
    let spec: Value = serde_json::from_str(&text).expect("worker spec");
    let mut config = jogg::internals::ffi::config::config_from_json(&spec["config"].to_string())
        .map_err(|f| f.error)
        .expect("worker config");
    config.skew_clock_for_tests(spec["skew_ms"].as_i64().unwrap_or(0));
    let client = jogg::Client::new(config).expect("worker client");
    let creates = spec["creates"].as_u64().unwrap_or(0) as usize;
    let threads = spec["threads"].as_u64().unwrap_or(1).max(1) as usize;
    println!("ready");
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).expect("go line");
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < creates {
                    let request = jogg::CreateTalkingAvatarVideo::from_script(
                        81,
                        "en-US-JennyNeural",
                        "Hello",
                    );
                    let line = match client.v1().videos().create_from_talking_avatar(&request) {
                        Ok(p) => format!("created {}", p.project_id),
                        Err(e) => format!("error {} {}", e.kind().as_str(), e.message()),
                    };
                    // One write per line: threads' lines do not interleave.
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "{line}")
                        .and_then(|()| out.flush())
                        .expect("stdout");
                }
            });
        }
    });
    std::process::exit(0);
}

/// A running worker.
pub struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
}

/// What a worker reported.
#[derive(Debug, Default)]
pub struct Outcome {
    pub created: Vec<String>,
    pub errors: Vec<String>,
}

impl Worker {
    /// Starts a worker with `env` added to its environment; returns once its client exists.
    pub fn start(spec: &Spec, env: &[(&str, &str)]) -> Worker {
        let text = json!({
            "config": spec.config,
            "creates": spec.creates,
            "threads": spec.threads,
            "skew_ms": spec.skew_ms,
        })
        .to_string();
        let exe = std::env::current_exe().expect("own executable");
        let mut child = Command::new(exe)
            .env(ENV, text)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a worker process");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut worker = Worker {
            child,
            stdin,
            lines,
        };
        match worker.lines.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line == "ready" => worker,
            other => {
                let _ = worker.child.kill();
                panic!("worker did not get ready: {other:?}");
            }
        }
    }

    /// Lets the worker start its creates.
    pub fn go(&mut self) {
        let mut stdin = self.stdin.take().expect("go once");
        stdin.write_all(b"go\n").expect("write go");
    }

    /// Waits for the worker to finish, at most until `deadline` (then it is killed and this
    /// panics: a limiter that never lets a POST through must fail the test, not hang it).
    pub fn finish(mut self, deadline: Instant) -> Outcome {
        let mut outcome = Outcome::default();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => match line.split_once(' ') {
                    Some(("created", id)) => outcome.created.push(id.to_string()),
                    _ => outcome.errors.push(line),
                },
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("worker still running at the deadline: {outcome:?}");
                }
            }
        }
        let status = self.child.wait().expect("worker exit status");
        assert!(status.success(), "worker failed: {status} {outcome:?}");
        outcome
    }

    /// SIGKILL: the worker gets no chance to release anything.
    pub fn kill(mut self) {
        self.child.kill().expect("kill the worker");
        let _ = self.child.wait();
    }
}

/// Starts every worker, lets them go at once, and collects their outcomes.
pub fn run_all(specs: &[(Spec, Vec<(&str, &str)>)], deadline: Duration) -> Vec<Outcome> {
    let mut workers: Vec<Worker> = specs
        .iter()
        .map(|(spec, env)| Worker::start(spec, env))
        .collect();
    for w in &mut workers {
        w.go();
    }
    let deadline = Instant::now() + deadline;
    workers.into_iter().map(|w| w.finish(deadline)).collect()
}
