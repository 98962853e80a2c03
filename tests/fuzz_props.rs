//! Property tests on stable Rust: the fuzz targets of `fuzz/` (shared in `jogg::fuzzing`) fed
//! by proptest generators, inside `cargo test`. Each target panics on a bug (a panic caught
//! at the C boundary, an unknown code, output on failure, a string that is not JSON), so a
//! failing case here is a finding, shrunk by proptest to a small input.
//!
//! `PROPTEST_CASES` raises the number of cases (default 256 per property).

use jogg::internals::fuzzing;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Member names that mean something somewhere: the envelope's, the operations' parameters,
/// task replies', webhook bodies'. Mixed with arbitrary names.
fn known_keys() -> Vec<String> {
    let mut keys: Vec<String> = [
        "code",
        "msg",
        "data",
        "rid",
        "retryAfter",
        "retry_after",
        "status",
        "status_code",
        "event",
        "event_id",
        "timestamp",
        "project_id",
        "video_id",
        "task_id",
        "video_url",
        "error",
        "all_pages",
        "page",
        "page_size",
        "list",
        "total",
        "id",
        "url",
        "events",
        "timeout_ms",
        "initial_interval_ms",
        "max_interval_ms",
        "max_polls",
        "operation",
        "api_key",
        "base_url",
        "proxy",
        "log",
        "max_retries",
        "version",
        "max_bytes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for op in jogg::internals::operations::OPERATIONS {
        keys.extend(op.schema.fields.iter().map(|f| f.name.to_string()));
    }
    keys.sort();
    keys.dedup();
    keys
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(known_keys()),
        1 => "[a-z_]{0,12}",
        1 => any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![0i64, 1, -1, 429, 10104, 10105, 18020, 40000, 50000])
            .prop_map(Value::from),
        Just(json!(1e300)),
        Just(json!(-0.0)),
    ]
}

/// Any JSON value, biased towards the shapes the library reads.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        any::<String>().prop_map(Value::String),
        "[0-9a-f]{0,32}".prop_map(Value::String),
        "https?://[a-z.]{1,12}/[a-z]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), value()), 0..8)
        .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>()))
}

fn operation_name() -> impl Strategy<Value = String> {
    let names: Vec<String> = jogg::internals::operations::OPERATIONS
        .iter()
        .map(|op| op.full_name())
        .collect();
    prop_oneof![
        4 => prop::sample::select(names.clone()),
        1 => (prop::sample::select(names), any::<String>()).prop_map(|(n, s)| n + &s),
        1 => any::<String>(),
    ]
}

/// JSON text: valid, or valid then cut or with a byte replaced.
fn json_text(v: impl Strategy<Value = Value>) -> impl Strategy<Value = Vec<u8>> {
    (v, any::<u8>(), any::<prop::sample::Index>(), 0u8..4).prop_map(|(v, byte, at, how)| {
        let mut text = v.to_string().into_bytes();
        match how {
            0 if !text.is_empty() => text.truncate(at.index(text.len())),
            1 if !text.is_empty() => {
                let i = at.index(text.len());
                text[i] = byte;
            }
            _ => {}
        }
        text
    })
}

proptest! {
    #[test]
    fn every_entry_point_takes_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..400)) {
        fuzzing::ffi(&data);
    }

    #[test]
    fn every_entry_point_takes_generated_json(
        which in 0u8..16,
        nulls in any::<u16>(),
        args in prop::collection::vec(json_text(object()), 1..4),
    ) {
        let mut data = vec![which];
        data.extend_from_slice(&nulls.to_le_bytes());
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                data.push(0);
            }
            data.extend(a.iter().map(|b| if *b == 0 { b' ' } else { *b }));
        }
        fuzzing::ffi(&data);
    }

    #[test]
    fn jogg_call_takes_any_request(op in operation_name(), request in json_text(object())) {
        fuzzing::call(&op, &String::from_utf8_lossy(&request));
    }

    #[test]
    fn responses_decode_or_fail_typed(status in any::<u16>(), body in json_text(object())) {
        let mut data = status.to_le_bytes().to_vec();
        data.extend(body);
        fuzzing::response(&data);
    }

    #[test]
    fn responses_of_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
        fuzzing::response(&data);
    }

    #[test]
    fn webhooks_verify_or_fail_typed(
        body in json_text(object()),
        signature in prop_oneof!["[0-9a-fA-F]{64}", any::<String>()],
        secret in any::<String>(),
    ) {
        let mut data = vec![0u8, 0];
        data.extend(body.iter().map(|b| if *b == 0 { b' ' } else { *b }));
        data.push(0);
        data.extend(signature.bytes().filter(|b| *b != 0));
        data.push(0);
        data.extend(secret.bytes().filter(|b| *b != 0));
        fuzzing::webhook(&data);
    }

    #[test]
    fn webhooks_of_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..400)) {
        fuzzing::webhook(&data);
    }

    #[test]
    fn options_parse_or_fail_typed(text in json_text(object())) {
        fuzzing::options(&text);
    }
}
