//! The steps of a request that run without a server, measured with criterion: reading the
//! reply (the fast path for the common envelope against the general rules every reply took
//! before), checking and placing params, decoding a typed reply (from the text against
//! through a `Value`), and verifying and reading a webhook delivery.
//!
//! `make bench` runs it after the HTTP benchmark; it then writes the "In-process steps"
//! section of BENCHMARKS.md from criterion's estimates (`target/criterion/*/new/`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::Criterion;
use serde_json::{Value, json};

mod common;
use common::{ENVELOPE, splice};

const BASE: &str = "https://api.jogg.ai";
const SECRET: &str = "whsec_0123456789abcdef";
const EVENT: &str = r#"{"event_id":"evt_1","event":"generated_video_success","timestamp":1700000000,"data":{"project_id":"p1","video_url":"https://cdn.example.com/p1.mp4","cover_url":"https://cdn.example.com/p1.jpg","duration":12,"status":"success"}}"#;

/// (group, id, what the row says) in the order of the table.
const ROWS: [(&str, &str, &str); 9] = [
    (
        "reply",
        "fast_path",
        "read a success envelope, keep `data` as text (every reply now)",
    ),
    (
        "reply",
        "general_rules",
        "read it through a `Value` tree, write `data` out again (before)",
    ),
    (
        "params",
        "get_project",
        "check and place `{\"project_id\"}`, build the URL",
    ),
    (
        "params",
        "create_video",
        "check and place a talking-avatar create request (8 members)",
    ),
    (
        "typed",
        "from_text",
        "`Project` from the `data` text (typed calls now)",
    ),
    (
        "typed",
        "via_value",
        "`Project` from a `Value` of it (before)",
    ),
    (
        "webhook",
        "verify",
        "HMAC-SHA256 check of a delivery (BYTES bytes)",
    ),
    ("webhook", "parse", "check it and read the event"),
    (
        "ffi",
        "operations",
        "`jogg_operations()`: all 80 operations as JSON (text made once), freed",
    ),
];

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("reply");
    g.bench_function("fast_path", |b| {
        b.iter(|| jogg::internals::hooks::read_reply(200, black_box(ENVELOPE.as_bytes())).unwrap())
    });
    g.bench_function("general_rules", |b| {
        b.iter(|| {
            jogg::internals::hooks::read_reply_general(200, black_box(ENVELOPE.as_bytes())).unwrap()
        })
    });
    g.finish();

    let get = jogg::internals::operations::find("v1.get_project").expect("v1.get_project");
    let create =
        jogg::internals::operations::find("v1.create_video_from_talking_avatar").expect("create");
    let get_params = json!({"project_id": "p_bench"});
    let create_params = json!({
        "script": "Hello from the benchmark, a script of a few words.",
        "avatar_id": 81,
        "avatar_type": 0,
        "voice_id": "en-US-ChristopherNeural",
        "screen_style": 1,
        "aspect_ratio": 0,
        "caption": true,
        "video_name": "benchmark",
    });
    let mut g = c.benchmark_group("params");
    g.bench_function("get_project", |b| {
        b.iter(|| jogg::internals::hooks::prepare(get, black_box(&get_params), BASE).unwrap())
    });
    g.bench_function("create_video", |b| {
        b.iter(|| jogg::internals::hooks::prepare(create, black_box(&create_params), BASE).unwrap())
    });
    g.finish();

    let data = jogg::internals::hooks::read_reply(200, ENVELOPE.as_bytes()).unwrap();
    let mut g = c.benchmark_group("typed");
    g.bench_function("from_text", |b| {
        b.iter(|| serde_json::from_str::<jogg::Project>(black_box(&data)).unwrap())
    });
    g.bench_function("via_value", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(&data)).unwrap();
            serde_json::from_value::<jogg::Project>(v).unwrap()
        })
    });
    g.finish();

    let signature = jogg::webhook::sign(EVENT.as_bytes(), SECRET);
    let mut g = c.benchmark_group("webhook");
    g.bench_function("verify", |b| {
        b.iter(|| jogg::webhook::verify(black_box(EVENT.as_bytes()), Some(&signature), SECRET))
    });
    g.bench_function("parse", |b| {
        b.iter(|| jogg::webhook::parse(black_box(EVENT.as_bytes()), Some(&signature), SECRET))
    });
    g.finish();

    let mut g = c.benchmark_group("ffi");
    g.bench_function("operations", |b| {
        b.iter(|| {
            let mut list = std::ptr::null_mut();
            // SAFETY: a writable slot for the result, NULL for the error; the string it
            // returns is freed once.
            unsafe {
                let rc = jogg::internals::ffi::jogg_operations(&mut list, std::ptr::null_mut());
                assert_eq!(rc, 0);
                jogg::internals::ffi::jogg_string_free(list);
            }
        })
    });
    g.finish();
}

/// Criterion's median estimate for a benchmark, in nanoseconds, with its confidence bounds.
fn estimate(dir: &Path, group: &str, id: &str) -> (f64, f64, f64) {
    let path = dir.join(group).join(id).join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (did the benchmark run?)", path.display()));
    let v: Value = serde_json::from_str(&text).expect("criterion estimates are JSON");
    let m = &v["median"];
    let num = |p: &Value| p.as_f64().expect("a number");
    (
        num(&m["point_estimate"]),
        num(&m["confidence_interval"]["lower_bound"]),
        num(&m["confidence_interval"]["upper_bound"]),
    )
}

fn human(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} us", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn main() {
    // Criterion's results go where this bench reads them back, whatever the target directory.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("build/criterion");
    let mut c = Criterion::default()
        .output_directory(&dir)
        .configure_from_args();
    benches(&mut c);
    c.final_summary();
    // Only a whole `cargo bench` run rewrites the section: not a filtered one
    // (`cargo bench -- reply`), `--list`, or the single pass of `cargo test --benches`.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let whole = args.iter().any(|a| a == "--bench")
        && !args.iter().any(|a| a == "--list" || !a.starts_with('-'));
    if !whole {
        return;
    }

    let mut md = String::new();
    writeln!(
        md,
        "## In-process steps\n\n\
         Generated by `make bench` (`benches/inprocess.rs`, criterion: warm-up, then samples \
         until its confidence interval settles) on the machine above, one thread, nothing \
         pinned. The steps of a request that need no server; the reply and the params are \
         those of the HTTP benchmark. Median time per call, with criterion's 95 % confidence \
         interval of it.\n\n\
         | step | what it does | median | 95 % interval |\n|---|---|---|---|"
    )
    .unwrap();
    for (group, id, what) in ROWS {
        let (median, lo, hi) = estimate(&dir, group, id);
        writeln!(
            md,
            "| `{group}/{id}` | {} | {} | {}-{} |",
            what.replace("BYTES", &EVENT.len().to_string()),
            human(median),
            human(lo),
            human(hi)
        )
        .unwrap();
    }
    print!("\n{md}");
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    std::fs::write(&path, splice(&old, "## In-process steps", &md)).expect("write BENCHMARKS.md");
    eprintln!("wrote the In-process steps section of {}", path.display());
}
