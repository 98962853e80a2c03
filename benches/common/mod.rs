//! What the benchmarks share: writing their sections of BENCHMARKS.md.

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
