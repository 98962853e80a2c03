//! The operations of the API description (`api/description.json`) against everything else that
//! must cover each of them: a typed Rust method, `jogg_operations`, and the mock. (That the
//! client declares each one with the description's facts is `tests/vendor.rs`.)

mod common;

use std::collections::BTreeSet;
use std::ffi::CStr;

use jogg::internals::operations as ops;
use serde_json::Value;

/// Each operation's area file declares it as `static <NAME>` and a typed method uses it.
#[test]
fn every_operation_has_a_typed_method() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut missing = Vec::new();
    for d in jogg_mock::description::operations() {
        let dir = root.join(d.version());
        let constant = d.name().to_uppercase();
        let declaration = format!("static {constant}: Endpoint<");
        let use_site = format!("&{constant}");
        let found = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .find(|src| {
                src.contains(&declaration) && src.contains(&format!("name: \"{}\"", d.name()))
            });
        match found {
            // `&NAME` as a whole name, not the start of a longer one (`&NAME_STATUS`).
            Some(src)
                if src.match_indices(&use_site).any(|(at, _)| {
                    !src[at + use_site.len()..]
                        .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                }) => {}
            _ => missing.push(d.full_name().to_string()),
        }
    }
    assert!(missing.is_empty(), "no typed method for {missing:?}");
}

#[test]
fn jogg_operations_lists_every_operation() {
    let mut out = std::ptr::null_mut();
    // SAFETY: a writable out slot; error detail not requested.
    let rc = unsafe { jogg::internals::ffi::jogg_operations(&mut out, std::ptr::null_mut()) };
    assert_eq!(rc, jogg::internals::ffi::JOGG_OK);
    // SAFETY: returned by the library, read once then freed.
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    unsafe { jogg::internals::ffi::jogg_string_free(out) };
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let names: BTreeSet<String> = list
        .iter()
        .map(|op| op["name"].as_str().unwrap().to_string())
        .collect();
    let listed: BTreeSet<String> = jogg_mock::description::operations()
        .iter()
        .map(|d| d.full_name().to_string())
        .collect();
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
    for d in jogg_mock::description::operations() {
        let op = ops::find(d.full_name()).unwrap();
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
        let response = match d.method() {
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
            unsimulated.push(format!("{}: {msg}", d.full_name()));
        }
    }
    assert!(unsimulated.is_empty(), "{unsimulated:#?}");
}
