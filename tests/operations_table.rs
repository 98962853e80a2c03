//! The operation list of the API (`tests/data/operations.tsv`, one row per operation of the
//! v1 and v2 specs) against everything that must cover it: the table, the typed Rust API,
//! `jogg_call`/`jogg_operations`, and the mock.

mod common;

use std::collections::BTreeSet;
use std::ffi::CStr;

use jogg::ops::{self, Version};
use serde_json::Value;

struct Row {
    version: String,
    method: String,
    path: String,
    name: String,
    poll_with: Option<String>,
}

impl Row {
    fn full_name(&self) -> String {
        format!("{}.{}", self.version, self.name)
    }
}

fn rows() -> Vec<Row> {
    let text = include_str!("data/operations.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 6, "{line}");
            Row {
                version: cols[0].into(),
                method: cols[1].into(),
                path: cols[2].into(),
                name: cols[3].into(),
                poll_with: (cols[4] == "yes").then(|| cols[5].to_string()),
            }
        })
        .collect()
}

#[test]
fn the_table_has_every_operation_and_no_other() {
    let rows = rows();
    assert_eq!(rows.len(), 80);
    for row in &rows {
        let op = ops::find(&row.full_name())
            .unwrap_or_else(|| panic!("{} is missing from the table", row.full_name()));
        assert_eq!(op.method.as_str(), row.method, "{}", row.full_name());
        assert_eq!(op.path, row.path, "{}", row.full_name());
        // A preview batch starts several tasks at once, each waited on by its own id.
        if row.full_name() != "v2.create_product_previews" {
            assert_eq!(
                op.starts.map(|kind| kind.poll.path.to_string()),
                row.poll_with,
                "{}",
                row.full_name()
            );
        }
        let version = if row.version == "v1" {
            Version::V1
        } else {
            Version::V2
        };
        assert_eq!(op.version, version);
    }
    let listed: BTreeSet<String> = rows.iter().map(Row::full_name).collect();
    let table: BTreeSet<String> = ops::OPERATIONS.iter().map(|op| op.full_name()).collect();
    assert_eq!(listed, table);
}

/// Each operation's area file declares it as `static <NAME>` and a typed method uses it.
#[test]
fn every_operation_has_a_typed_method() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut missing = Vec::new();
    for row in rows() {
        let dir = root.join(&row.version);
        let constant = row.name.to_uppercase();
        let declaration = format!("static {constant}: Endpoint<");
        let use_site = format!("&{constant}");
        let found = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .find(|src| {
                src.contains(&declaration) && src.contains(&format!("name: \"{}\"", row.name))
            });
        match found {
            Some(src) if src.matches(&use_site).count() > 0 => {}
            _ => missing.push(row.full_name()),
        }
    }
    assert!(missing.is_empty(), "no typed method for {missing:?}");
}

#[test]
fn jogg_operations_lists_every_operation() {
    let mut out = std::ptr::null_mut();
    // SAFETY: a writable out slot; error detail not requested.
    let rc = unsafe { jogg::ffi::jogg_operations(&mut out, std::ptr::null_mut()) };
    assert_eq!(rc, jogg::ffi::JOGG_OK);
    // SAFETY: returned by the library, read once then freed.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { jogg::ffi::jogg_string_free(out) };
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let names: BTreeSet<String> = list
        .iter()
        .map(|op| op["name"].as_str().unwrap().to_string())
        .collect();
    let listed: BTreeSet<String> = rows().iter().map(Row::full_name).collect();
    assert_eq!(names, listed);
    for op in &list {
        assert!(
            op["path"]
                .as_str()
                .unwrap()
                .starts_with(&format!("/{}/", op["version"].as_str().unwrap()))
        );
    }
}

/// The mock answers every operation's route: a request with placeholder ids reaches a
/// handler (which may refuse the parameters), never "no route" or "not simulated".
#[test]
fn the_mock_simulates_every_operation() {
    let server = common::mock(0);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut unsimulated = Vec::new();
    for row in rows() {
        let op = ops::find(&row.full_name()).unwrap();
        let path = op
            .http_path()
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "placeholder"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let url = format!("{}{path}", server.base_url());
        let key = jogg_mock::MOCK_API_KEY;
        let response = match row.method.as_str() {
            "GET" => agent.get(&url).header("x-api-key", key).call(),
            "DELETE" => agent.delete(&url).header("x-api-key", key).call(),
            "POST" => agent
                .post(&url)
                .header("x-api-key", key)
                .send_json(serde_json::json!({})),
            _ => agent
                .put(&url)
                .header("x-api-key", key)
                .send_json(serde_json::json!({})),
        };
        let mut response = response.unwrap();
        let body: Value = serde_json::from_slice(&response.body_mut().read_to_vec().unwrap())
            .unwrap_or(Value::Null);
        let msg = body["msg"].as_str().unwrap_or("");
        if msg.contains("no route") || msg.contains("does not simulate") {
            unsimulated.push(format!("{}: {msg}", row.full_name()));
        }
    }
    assert!(unsimulated.is_empty(), "{unsimulated:#?}");
}
