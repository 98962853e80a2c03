//! What the benchmarks share: the reply they read, and writing their sections of
//! BENCHMARKS.md.

/// The reply nginx serves in `http.rs` and `inprocess.rs` reads: a finished project in the
/// API's envelope.
#[allow(dead_code)] // waiting.rs shares only splice()
pub const ENVELOPE: &str = r#"{"code":0,"msg":"Success","data":{"id":"p_bench","title":"Benchmark project","video_duration":12.5,"video_url":"https://res.jogg.ai/video/p_bench.mp4","cover_url":"https://res.jogg.ai/cover/p_bench.jpg","status_code":4,"status_desc":"success","created_at":1732500000},"rid":"rid-0123456789abcdef"}"#;

/// `doc` with its `heading` section (up to the next `## ` heading) replaced by `section`, or
/// with `section` appended; other sections are left as they are.
pub fn splice(doc: &str, heading: &str, section: &str) -> String {
    let marker = format!("\n{heading}\n");
    let start = doc
        .find(&marker)
        .map(|i| i + 1)
        .or_else(|| doc.starts_with(&marker[1..]).then_some(0));
    let Some(start) = start else {
        return format!("{}\n\n{section}", doc.trim_end());
    };
    let end = doc[start + 1..]
        .find("\n## ")
        .map_or(doc.len(), |i| start + 1 + i + 1);
    let rest = &doc[end..];
    let sep = if rest.is_empty() { "" } else { "\n" };
    format!("{}{section}{sep}{rest}", &doc[..start])
}
