//! HTTP round trips: `GET /v1/project` against a static nginx on loopback (not our mock), by a
//! raw-socket C loop (the ceiling), libcurl, libcurl + cJSON, Python requests, `jogg_get_project`
//! through the C ABI, the typed Rust `Client::get_project`, and 1-8 threads on one client.
//! Also RSS over 100k calls and the stripped library sizes.
//!
//! `make bench` builds the C programs into build/bench/ (benches/http/*.c), installs what is
//! missing (benches/http/setup.sh), then runs this, which starts and stops nginx itself and
//! rewrites the "HTTP round trips" section of BENCHMARKS.md.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jogg::{Client, Config};

mod common;
use common::{ENVELOPE, splice};

const API_KEY: &str = "bench-key-0123456789";
const PROJECT: &str = "p_bench";
const ROUNDS: usize = 3;
const RSS_CALLS: u64 = 100_000;
const THREADS: [u32; 4] = [1, 2, 4, 8];
/// New clients (and fresh curl handles), one call each, for the cold-call figures.
const COLD_CALLS: u64 = 200;
/// Calls on one client to a server that closes after each reply.
const RECONNECTS: u64 = 500;
/// jogg_client_new + jogg_client_free pairs timed.
const CREATES: u64 = 200;

fn seconds() -> f64 {
    std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0)
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGQUIT: graceful stop of the master and its workers.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGQUIT) };
        let _ = self.0.wait();
    }
}

/// Where nginx listens: plain HTTP, HTTPS with keep-alive, and HTTPS closing each
/// connection after its reply (each call reconnects), whose access log records whether the
/// TLS session was resumed.
struct Ports {
    plain: u16,
    tls: u16,
    closing: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// The certificate nginx serves over TLS (for 127.0.0.1, from a CA made here with
/// jogg-mock's authority), written to `dir/tls/`: `ca.pem`, `cert.pem`, `key.pem`, and
/// `bundle.pem`, the system's CA bundle followed by `ca.pem`, for curl, so that curl loads what
/// jogg loads (the system's store and the CA file).
fn write_certificates(dir: &Path) -> PathBuf {
    let tls = dir.join("tls");
    std::fs::create_dir_all(&tls).expect("mkdir tls");
    let ca = jogg_mock::Authority::new().expect("CA");
    let leaf = ca
        .issue(&["127.0.0.1".to_string()], jogg_mock::Validity::Current)
        .expect("certificate");
    std::fs::write(tls.join("ca.pem"), ca.pem()).expect("ca.pem");
    std::fs::write(tls.join("cert.pem"), leaf.cert_pem()).expect("cert.pem");
    std::fs::write(tls.join("key.pem"), leaf.key_pem()).expect("key.pem");
    let system = std::fs::read_to_string(SYSTEM_BUNDLE).unwrap_or_default();
    std::fs::write(tls.join("bundle.pem"), system + ca.pem()).expect("bundle.pem");
    tls
}

/// Debian's CA bundle, the one libcurl and OpenSSL use by default here.
const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn start_nginx(dir: &Path, tls: &Path) -> (Nginx, Ports) {
    let ports = Ports {
        plain: free_port(),
        tls: free_port(),
        closing: free_port(),
    };
    let port = ports.plain;
    let (tls_port, closing_port) = (ports.tls, ports.closing);
    let t = tls.display();
    let d = dir.display();
    let conf = format!(
        "worker_processes 1;\n\
         worker_cpu_affinity 01;\n\
         pid {d}/nginx.pid;\n\
         error_log {d}/error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
         \x20 access_log off;\n\
         \x20 client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp;\n\
         \x20 uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
         \x20 keepalive_requests 100000000; keepalive_timeout 300s;\n\
         \x20 server {{\n\
         \x20   listen 127.0.0.1:{port};\n\
         \x20   location = /v1/project {{ default_type application/json; return 200 '{ENVELOPE}'; }}\n\
         \x20 }}\n\
         \x20 ssl_certificate {t}/cert.pem; ssl_certificate_key {t}/key.pem;\n\
         \x20 ssl_protocols TLSv1.3; ssl_session_tickets on; ssl_session_cache shared:bench:1m;\n\
         \x20 server {{\n\
         \x20   listen 127.0.0.1:{tls_port} ssl;\n\
         \x20   location = /v1/project {{ default_type application/json; return 200 '{ENVELOPE}'; }}\n\
         \x20 }}\n\
         \x20 log_format reused '$ssl_session_reused';\n\
         \x20 server {{\n\
         \x20   listen 127.0.0.1:{closing_port} ssl;\n\
         \x20   keepalive_timeout 0;\n\
         \x20   access_log {d}/reused.log reused;\n\
         \x20   location = /v1/project {{ default_type application/json; return 200 '{ENVELOPE}'; }}\n\
         \x20 }}\n\
         }}\n"
    );
    std::fs::create_dir_all(dir.join("tmp")).expect("mkdir");
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).expect("write nginx.conf");
    let nginx = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|p| Command::new(p).arg("-v").output().is_ok())
        .expect("nginx (benches/http/setup.sh installs it)");
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(&path)
        .args(["-g", "daemon off;"])
        .spawn()
        .expect("start nginx");
    let nginx = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    for p in [ports.plain, ports.tls, ports.closing] {
        while TcpStream::connect(("127.0.0.1", p)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    (nginx, ports)
}

/// As [`run`], with environment variables, pinned to CPU 0 or not.
fn run_with(program: &Path, args: &[&str], env: &[(&str, &Path)], pinned: bool) -> Vec<f64> {
    let mut command = if pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} failed",
        program.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|w| w.parse().expect("number"))
        .collect()
}

/// The share of the access log's new lines (from byte `from` on) that say "r": TLS sessions
/// nginx resumed. Returns the share and where the log now ends.
fn resumed_since(log: &Path, from: usize) -> (f64, usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text[from.min(text.len())..].lines().collect();
    let resumed = lines.iter().filter(|l| l.trim() == "r").count();
    (resumed as f64 / lines.len().max(1) as f64, text.len())
}

/// Runs a client program; its last stdout line is "<requests> <seconds>" (or other numbers).
fn run(program: &Path, args: &[&str]) -> Vec<f64> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} failed",
        program.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|w| w.parse().expect("number"))
        .collect()
}

/// As [`run`], on CPU 0 with nginx's worker (`taskset -c 0`).
fn run_pinned(program: &Path, args: &[&str]) -> Vec<f64> {
    let mut all = vec![OsStr::new("-c"), OsStr::new("0"), program.as_os_str()];
    all.extend(args.iter().map(OsStr::new));
    let out = Command::new("taskset")
        .args(&all)
        .stderr(Stdio::inherit())
        .output()
        .expect("taskset (util-linux)");
    assert!(
        out.status.success(),
        "{} {args:?} failed",
        program.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|w| w.parse().expect("number"))
        .collect()
}

/// Runs `f` with this thread on CPU 0 only, then restores the thread's affinity.
fn on_cpu0<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: plain sched_{get,set}affinity on the calling thread with a zeroed cpu_set_t.
    unsafe {
        let mut old: libc::cpu_set_t = std::mem::zeroed();
        libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut old);
        let mut one: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(0, &mut one);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &one);
        let r = f();
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &old);
        r
    }
}

fn rate(v: &[f64]) -> f64 {
    v[0] / v[1]
}

/// (6) in this process: the typed call, result dropped each time.
fn rust_typed(base: &str, secs: f64) -> f64 {
    let client = rust_client(base);
    for _ in 0..500 {
        client.v1().projects().get(PROJECT).expect("get_project");
    }
    let t0 = Instant::now();
    let mut n = 0u64;
    while t0.elapsed().as_secs_f64() < secs {
        for _ in 0..50 {
            let p = client.v1().projects().get(PROJECT).expect("get_project");
            std::hint::black_box(p);
        }
        n += 50;
    }
    n as f64 / t0.elapsed().as_secs_f64()
}

/// (R) The library under ours, for reference: ureq with its defaults (its own connector and
/// resolver, no timeouts), the same request, the body read to a Vec and not parsed.
fn ureq_alone(base: &str, secs: f64) -> f64 {
    let agent = ureq::Agent::new_with_defaults();
    let url = format!("{base}/v1/project");
    let one = || {
        let body = agent
            .get(&url)
            .query("project_id", PROJECT)
            .header("x-api-key", API_KEY)
            .header("accept", "application/json")
            .call()
            .expect("ureq call")
            .body_mut()
            .read_to_vec()
            .expect("ureq body");
        std::hint::black_box(body);
    };
    for _ in 0..500 {
        one();
    }
    let t0 = Instant::now();
    let mut n = 0u64;
    while t0.elapsed().as_secs_f64() < secs {
        for _ in 0..50 {
            one();
        }
        n += 50;
    }
    n as f64 / t0.elapsed().as_secs_f64()
}

fn rust_client(base: &str) -> Client {
    let mut config = Config::new(API_KEY).with_base_url(base);
    config.proxy = jogg::Proxy::None;
    Client::new(config).expect("client")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn command_output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let line = text.lines().next()?.trim().to_string();
    (!line.is_empty()).then_some(line)
}

fn stripped_size(file: &Path, out: &Path, flag: &str) -> u64 {
    let ok = Command::new("strip")
        .arg(flag)
        .arg("-o")
        .arg(out)
        .arg(file)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "strip {}", file.display());
    std::fs::metadata(out).expect("stripped file").len()
}

fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("build/bench");
    let bin = |name: &str| dir.join(name);
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let secs = seconds();
    let s = format!("{secs}");

    let tls = write_certificates(&dir);
    let (nginx, ports) = start_nginx(&dir, &tls);
    let port = ports.plain;
    let base = format!("http://127.0.0.1:{port}");
    let port_s = port.to_string();
    let tls_base = format!("https://127.0.0.1:{}", ports.tls);
    let closing_base = format!("https://127.0.0.1:{}", ports.closing);
    let ca_file = tls.join("ca.pem");
    let bundle = tls.join("bundle.pem");
    let jogg_tls = [("BENCH_CA_FILE", ca_file.as_path())];
    let curl_tls = [("BENCH_CAINFO", bundle.as_path())];
    let requests = root.join("benches/http/requests_bench.py");
    let requests = requests.to_str().unwrap();

    // (label, requests/s per round)
    let labels = [
        "1. raw socket C loop (ceiling)",
        "2. libcurl, one easy handle, body unparsed",
        "3. libcurl + cJSON (parse envelope, re-serialise data)",
        "4. Python requests.Session + .json()",
        "5. `jogg_get_project` via the C ABI (C program)",
        "6. typed Rust `Client::get_project`",
        "7. C ABI, 1 thread on one `jogg_client`",
        "7. C ABI, 2 threads on one `jogg_client`",
        "7. C ABI, 4 threads on one `jogg_client`",
        "7. C ABI, 8 threads on one `jogg_client`",
        "R. for reference: ureq 3 alone (its defaults), body read, not parsed",
        "1u. raw socket C loop, unpinned",
        "3u. libcurl + cJSON, unpinned",
        "5u. `jogg_get_project` via the C ABI, unpinned",
    ];
    let tls_labels = [
        "T3. libcurl (OpenSSL) + cJSON, pinned",
        "T5. `jogg_get_project` via the C ABI, pinned",
        "T3u. libcurl (OpenSSL) + cJSON, unpinned",
        "T5u. `jogg_get_project` via the C ABI, unpinned",
    ];
    let mut tls_rates: Vec<Vec<f64>> = vec![Vec::new(); tls_labels.len()];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    for round in 0..ROUNDS {
        eprintln!("round {}/{ROUNDS}", round + 1);
        rates[0].push(rate(&run_pinned(&bin("raw"), &[&port_s, &s])));
        rates[1].push(rate(&run_pinned(&bin("curl"), &[&base, &s])));
        rates[2].push(rate(&run_pinned(&bin("curl"), &[&base, &s, "parse"])));
        rates[3].push(rate(&run_pinned(
            Path::new(&python),
            &[requests, &base, &s],
        )));
        rates[4].push(rate(&run_pinned(&bin("jogg"), &[&base, &s, "1"])));
        rates[5].push(on_cpu0(|| rust_typed(&base, secs)));
        for (i, t) in THREADS.iter().enumerate() {
            rates[6 + i].push(rate(&run(&bin("jogg"), &[&base, &s, &t.to_string()])));
        }
        rates[10].push(on_cpu0(|| ureq_alone(&base, secs)));
        rates[11].push(rate(&run(&bin("raw"), &[&port_s, &s])));
        rates[12].push(rate(&run(&bin("curl"), &[&base, &s, "parse"])));
        rates[13].push(rate(&run(&bin("jogg"), &[&base, &s, "1"])));
        for (i, pinned) in [true, false].into_iter().enumerate() {
            let curl = run_with(&bin("curl"), &[&tls_base, &s, "parse"], &curl_tls, pinned);
            tls_rates[2 * i].push(rate(&curl));
            let jogg = run_with(&bin("jogg"), &[&tls_base, &s, "1"], &jogg_tls, pinned);
            tls_rates[2 * i + 1].push(rate(&jogg));
        }
    }
    // Cold calls and reconnects, unpinned as a program's first call would run; the access log
    // of the closing server says which handshakes resumed a session.
    eprintln!("TLS: cold calls, reconnects, client creation");
    let reused_log = dir.join("reused.log");
    let (_, mut log_end) = resumed_since(&reused_log, usize::MAX);
    // One program's run against the closing server, and the share of its handshakes resumed.
    let mut closing = |program: &str, mode: &str, n: u64, env: &[(&str, &Path)]| {
        let rates = run_with(
            &bin(program),
            &[&closing_base, mode, &n.to_string()],
            env,
            false,
        );
        let (resumed, end) = resumed_since(&reused_log, log_end);
        log_end = end;
        (rates, resumed)
    };
    let (cold_curl, curl_cold_resumed) = closing("curl", "cold", COLD_CALLS, &curl_tls);
    let (cold_jogg, jogg_cold_resumed) = closing("jogg", "cold", COLD_CALLS, &jogg_tls);
    let (same_curl, curl_same_resumed) = closing("curl", "same", RECONNECTS, &curl_tls);
    let (same_jogg, jogg_same_resumed) = closing("jogg", "same", RECONNECTS, &jogg_tls);
    let create = run_with(
        &bin("jogg"),
        &[&tls_base, "create", &CREATES.to_string()],
        &jogg_tls,
        false,
    );
    let ms_per = |v: &[f64]| 1000.0 * v[1] / v[0];
    eprintln!("rss: {RSS_CALLS} calls");
    let rss = run_pinned(&bin("jogg"), &[&base, "rss", &RSS_CALLS.to_string()]);
    drop(nginx);

    let med: Vec<f64> = rates.iter().map(|r| median(r.clone())).collect();
    let tls_med: Vec<f64> = tls_rates.iter().map(|r| median(r.clone())).collect();
    let (ceiling, curl_cjson) = (med[0], med[2]);

    // `make lib` puts the libraries in the release directory this benchmark runs from
    // (<target>/release/deps/http-*), wherever CARGO_TARGET_DIR points.
    let exe = std::env::current_exe().expect("current_exe");
    let release = exe
        .parent()
        .and_then(Path::parent)
        .expect("the release directory");
    let lib_so = release.join("libjogg.so");
    let lib_a = release.join("libjogg.a");
    let so = std::fs::metadata(&lib_so).expect("libjogg.so").len();
    let a = std::fs::metadata(&lib_a).expect("libjogg.a").len();
    let so_stripped = stripped_size(&lib_so, &dir.join("libjogg.stripped.so"), "--strip-all");
    let a_stripped = stripped_size(&lib_a, &dir.join("libjogg.stripped.a"), "--strip-debug");

    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let cores = command_output("nproc", &[]).unwrap_or_else(|| "?".into());
    let kernel = command_output("uname", &["-sr"]).unwrap_or_else(|| "?".into());
    let nginx_v = command_output("/usr/sbin/nginx", &["-v"]).unwrap_or_else(|| "?".into());
    let curl_v = command_output("curl-config", &["--version"]).unwrap_or_else(|| "?".into());
    let py_v = command_output(
        &python,
        &[
            "-c",
            "import sys,requests;print(sys.version.split()[0],'requests',requests.__version__)",
        ],
    )
    .unwrap_or_else(|| "?".into());
    let rustc_v = command_output("rustc", &["--version"]).unwrap_or_else(|| "?".into());

    let mut md = String::new();
    writeln!(
        md,
        "## HTTP round trips\n\n\
         Generated by `make bench` (`benches/http.rs`, programs in `benches/http/`), all in one \
         run against the same server.\n\n\
         **Machine.** {cpu}, `nproc` = {cores}, {kernel}; server and clients on the same \
         machine, over loopback. {nginx_v}; {curl_v}; Python {py_v}; {rustc_v}.\n\n\
         **Method.** A static nginx (not jogg-mock), started by the benchmark as a child on \
         127.0.0.1 with a generated config (`build/bench/nginx.conf`: one worker pinned to \
         CPU 0, keep-alive, `keepalive_requests` 10^8, access log off), answers \
         `GET /v1/project?project_id={PROJECT}` with a fixed {}-byte envelope \
         (`return 200 '...'`, `application/json`). Every client sends the same path, query and \
         `x-api-key`/`accept` headers over one keep-alive connection, warms up (500 calls; 200 \
         for Python), then calls for {secs} s; each row is the median of {ROUNDS} rounds, the \
         rows interleaved within each round (min-max in brackets). The jogg clients use \
         `{{\"api_key\", \"base_url\": \"http://127.0.0.1:<port>\", \"proxy\": \"none\"}}` and \
         the default retries. The C programs are built with `cc -O2` and link \
         `target/release/libjogg.a`. Ratios are to rows 1 (the ceiling: one `write()` of a \
         fixed request, reads until Content-Length) and 3 (libcurl + cJSON, the same work as \
         our call: parse the envelope, check `code`, re-serialise `data`).\n\n\
         Row R is not a client of the API: it is ureq, the HTTP library under ours, called \
         the plain way with its defaults, to show what of the gap to the ceiling is the HTTP \
         layer's.\n\n\
         **Pinning.** Rows 1-6 and R (and the memory run) run on CPU 0 with nginx's worker \
         (`taskset -c 0`; rows 6 and R set their own thread's affinity): each round trip is then two \
         context switches on one core, and the rate measures the CPU each client spends. \
         Unpinned (rows 1u, 3u, 5u and 7), client and server may run on different cores, and a \
         round trip then waits for the other core to wake (an IPI, slow in this VM); how often \
         depends on what else the machine runs, so unpinned rates swing between runs (on an \
         idle machine every single-connection client, raw socket included, has dropped to \
         11-16 k/s). Rows 7 spread their threads over both cores, nginx still on CPU 0.\n",
        ENVELOPE.len()
    )
    .unwrap();
    writeln!(
        md,
        "| client | requests/s | / (1) ceiling | / (3) curl+cJSON |"
    )
    .unwrap();
    writeln!(md, "|---|---|---|---|").unwrap();
    for (i, label) in labels.iter().enumerate() {
        let (lo, hi) = rates[i]
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        writeln!(
            md,
            "| {label} | {:.0} ({:.0}-{:.0}) | {:.2} | {:.2} |",
            med[i],
            lo,
            hi,
            med[i] / ceiling,
            med[i] / curl_cjson
        )
        .unwrap();
    }
    let (early, late, hwm) = (rss[0], rss[1], rss[2]);
    writeln!(
        md,
        "\n**Unpinned, one connection** (rows 1u, 3u, 5u: the goal for plain HTTP): \
         `jogg_get_project` / raw socket loop = {:.2} (goal >= 0.75); / libcurl + cJSON = \
         {:.2} (goal >= 1.0).",
        med[13] / med[11],
        med[13] / med[12]
    )
    .unwrap();
    writeln!(
        md,
        "\n8 threads / 1 thread on one client (rows 7, unpinned): {:.2}x; 8 threads (row 7) / \
         the pinned single thread (row 5): {:.2}x.\n\n\
         **Memory.** One C program, one client, {RSS_CALLS} `jogg_get_project` calls (after the \
         warm-up): VmRSS {early:.0} KiB after {}, {late:.0} KiB after {RSS_CALLS} ({}); peak \
         (VmHWM) {hwm:.0} KiB.\n\n\
         **Size.** `libjogg.so` {} ({} stripped with `strip --strip-all`); `libjogg.a` {} ({} \
         with `strip --strip-debug`, which keeps the symbols a static library needs).\n",
        med[9] / med[6],
        med[9] / med[4],
        RSS_CALLS / 10,
        if late > early {
            format!("+{:.0} KiB", late - early)
        } else {
            "no growth".to_string()
        },
        mib(so),
        mib(so_stripped),
        mib(a),
        mib(a_stripped),
    )
    .unwrap();
    write_tls_section(
        &mut md,
        &TlsFigures {
            labels: &tls_labels,
            rates: &tls_rates,
            med: &tls_med,
            cold_curl: &cold_curl,
            cold_jogg: &cold_jogg,
            same_curl: &same_curl,
            same_jogg: &same_jogg,
            resumed: [
                curl_cold_resumed,
                jogg_cold_resumed,
                curl_same_resumed,
                jogg_same_resumed,
            ],
            create: &create,
            ms_per: &ms_per,
        },
    );

    print!("{md}");
    std::io::stdout().flush().unwrap();
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    std::fs::write(&path, splice(&old, "## HTTP round trips", &md)).expect("write BENCHMARKS.md");
    eprintln!("wrote the HTTP round trips section of {}", path.display());
}

/// What the HTTPS part of the run measured.
struct TlsFigures<'a> {
    labels: &'a [&'a str],
    rates: &'a [Vec<f64>],
    med: &'a [f64],
    /// "<n> <seconds> <first call seconds>" of the cold programs.
    cold_curl: &'a [f64],
    cold_jogg: &'a [f64],
    same_curl: &'a [f64],
    same_jogg: &'a [f64],
    /// Shares of handshakes nginx resumed: curl cold, jogg cold, curl same, jogg same.
    resumed: [f64; 4],
    /// jogg's "create" line: RSS before, after new, after the first call; first new seconds;
    /// pairs; their seconds.
    create: &'a [f64],
    ms_per: &'a dyn Fn(&[f64]) -> f64,
}

fn write_tls_section(md: &mut String, f: &TlsFigures) {
    let ms_per = f.ms_per;
    let bundle_certs = std::fs::read_to_string(SYSTEM_BUNDLE)
        .map(|t| t.matches("BEGIN CERTIFICATE").count())
        .unwrap_or(0);
    writeln!(
        md,
        "\n### HTTPS\n\n\
         The same nginx serves the same reply over TLS 1.3 only (`ssl_protocols TLSv1.3`, \
         session tickets and a shared session cache on), with an ECDSA P-256 certificate for \
         127.0.0.1 from a CA made for the run (`build/bench/tls/`). jogg trusts the system's \
         store (the default `tls_roots`) plus that CA as `ca_file`; curl gets \
         `CURLOPT_CAINFO` = the system's bundle ({SYSTEM_BUNDLE}, {bundle_certs} \
         certificates) with that CA appended, so both load the same roots. libcurl is \
         built with OpenSSL. Keep-alive rows as above (one connection, median of {ROUNDS} \
         rounds, interleaved with the plain rows).\n"
    )
    .unwrap();
    writeln!(
        md,
        "| client | requests/s | / libcurl + cJSON, same pinning |"
    )
    .unwrap();
    writeln!(md, "|---|---|---|").unwrap();
    for (i, label) in f.labels.iter().enumerate() {
        let (lo, hi) = f.rates[i]
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
        let curl = f.med[i - i % 2];
        writeln!(
            md,
            "| {label} | {:.0} ({:.0}-{:.0}) | {:.2} |",
            f.med[i],
            lo,
            hi,
            f.med[i] / curl
        )
        .unwrap();
    }
    let cold = |v: &[f64]| 1000.0 * (v[1] - v[2]) / (v[0] - 1.0);
    writeln!(
        md,
        "\nKeep-alive over TLS, `jogg_get_project` / libcurl + cJSON: {:.2} pinned, {:.2} \
         unpinned (goal >= 1.0).\n\n\
         **Cold calls** ({} each, unpinned, against a server block that closes each connection \
         after its reply): a new `jogg_client` per call (`jogg_client_new` with the config \
         above, one `jogg_get_project`, `jogg_client_free`) against a fresh curl easy handle \
         per call (options set, one parsed call, cleanup). Both make a full handshake every \
         time: neither keeps sessions beyond its client or handle.\n\n\
         | | per call, mean after the first | first call of the process | handshakes resumed |\n\
         |---|---|---|---|\n\
         | libcurl + cJSON, fresh handle | {:.2} ms | {:.2} ms | {:.0} % |\n\
         | jogg, new client | {:.2} ms | {:.2} ms | {:.0} % |\n\n\
         Cold call, jogg / curl: {:.2} (goal <= 1.0).\n\n\
         **Reconnects** ({} calls on one client, or one curl handle, to the server that closes \
         each connection after its reply, so that every call reconnects):\n\n\
         | | per call | handshakes resumed |\n\
         |---|---|---|\n\
         | libcurl + cJSON, one handle | {:.2} ms | {:.0} % |\n\
         | jogg, one client | {:.2} ms | {:.0} % |\n\n\
         A jogg reconnect resumes its TLS session (a ticket kept by the client): {:.2} ms a \
         call against {:.2} ms for a new client's full handshake.\n",
        f.med[1] / f.med[0],
        f.med[3] / f.med[2],
        f.cold_jogg[0],
        cold(f.cold_curl),
        1000.0 * f.cold_curl[2],
        100.0 * f.resumed[0],
        cold(f.cold_jogg),
        1000.0 * f.cold_jogg[2],
        100.0 * f.resumed[1],
        cold(f.cold_jogg) / cold(f.cold_curl),
        f.same_jogg[0],
        ms_per(f.same_curl),
        100.0 * f.resumed[2],
        ms_per(f.same_jogg),
        100.0 * f.resumed[3],
        ms_per(f.same_jogg),
        cold(f.cold_jogg),
    )
    .unwrap();
    let c = f.create;
    writeln!(
        md,
        "**Client creation with the system's store.** In a fresh process: VmRSS {:.0} KiB \
         before the first client, {:.0} KiB after `jogg_client_new` (+{:.0} KiB: the \
         library's code paged in and the store read, {:.2} ms for that first client), {:.0} KiB after its first HTTPS call (+{:.0} \
         KiB: TLS settings with the roots built at the first handshake, the connection). \
         Later clients reuse the store the process read: `jogg_client_new` + \
         `jogg_client_free` took {:.1} us on average over {:.0} pairs.\n",
        c[0],
        c[1],
        c[1] - c[0],
        1000.0 * c[3],
        c[2],
        c[2] - c[1],
        1e6 * c[5] / c[4],
        c[4],
    )
    .unwrap();
}
