//! The mock and the API description's judge agree on the vendor's own examples: every
//! example request the judge accepts is accepted by the running mock over HTTP, every one it
//! refuses is refused with the same 40000 message, and a required member taken out of an
//! accepted example is named in the refusal.
//!
//! Requests go out as a client sends them: path parameters in the path, query parameters in
//! the query string, body members as a JSON body.

use jogg_mock::description::{Operation, Place, find, judge, operations};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use serde_json::{Map, Value};

fn start() -> MockServer {
    MockServer::start(MockConfig {
        render_ms: 0,
        post_limit: 1_000_000,
        ..MockConfig::default()
    })
    .expect("mock starts")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A value as it stands in a URL.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Sends `params` for `op` and returns the reply's envelope.
fn call(server: &MockServer, op: &Operation, params: &Map<String, Value>) -> Value {
    let mut path = op.path().to_owned();
    let mut query = Vec::new();
    let mut body = Map::new();
    let in_body = matches!(op.method(), "POST" | "PUT");
    for (name, value) in params {
        if value.is_null() {
            continue;
        }
        match op.param(name).map(|p| p.place()) {
            Some(Place::Path) => {
                path = path.replace(&format!("{{{name}}}"), &encode_segment(&text(value)));
            }
            Some(Place::Query) => query.push((name.clone(), text(value))),
            Some(Place::Body) => {
                body.insert(name.clone(), value.clone());
            }
            // Members the description does not know travel where the others do.
            None if in_body => {
                body.insert(name.clone(), value.clone());
            }
            None => query.push((name.clone(), text(value))),
        }
    }
    let url = format!("{}{path}", server.base_url());
    let agent = agent();
    let reply = match op.method() {
        "GET" => agent
            .get(&url)
            .header("x-api-key", MOCK_API_KEY)
            .query_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .call(),
        "DELETE" => agent
            .delete(&url)
            .header("x-api-key", MOCK_API_KEY)
            .query_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .call(),
        method => {
            let json = Value::Object(body).to_string();
            let request = match method {
                "POST" => agent.post(&url),
                _ => agent.put(&url),
            };
            request
                .header("x-api-key", MOCK_API_KEY)
                .header("content-type", "application/json")
                .query_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .send(json.as_bytes())
        }
    };
    let mut reply = reply.unwrap_or_else(|e| panic!("{} {url}: {e}", op.method()));
    let text = reply.body_mut().read_to_string().expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"))
}

#[test]
fn the_mock_and_the_judge_agree_on_every_vendor_example() {
    let server = start();
    let mut disagreements = Vec::new();
    let (mut accepted, mut total) = (0, 0);
    for op in operations() {
        for example in op.examples().requests() {
            total += 1;
            let verdict = judge(op, example.params());
            let at = format!("{} ({})", op.full_name(), example.source());
            // Without a path parameter there is no URL to send: the judge must name it.
            let missing_path = op.params().iter().find(|p| {
                p.place() == Place::Path
                    && example.params().get(p.name()).is_none_or(Value::is_null)
            });
            if let Some(param) = missing_path {
                let first = verdict.first().map(|v| v.field.as_str());
                assert_eq!(first, Some(param.name()), "{at}");
                continue;
            }
            let reply = call(&server, op, example.params());
            let code = reply["code"].as_i64();
            match verdict.first() {
                None => {
                    accepted += 1;
                    // Accepted: the request is carried out, or names a record this mock
                    // does not have (the example's ids are the vendor's).
                    if !matches!(code, Some(0 | 10104)) {
                        disagreements.push(format!("{at}: judge accepts, mock says {reply}"));
                    }
                }
                Some(first) => {
                    let expected = format!("Parameter error: {first}");
                    if code != Some(40000) || reply["msg"] != expected.as_str() {
                        disagreements.push(format!("{at}: judge says {expected}, mock {reply}"));
                    }
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    assert!(total >= 90, "{total} example requests");
    assert!(accepted * 10 >= total * 8, "{accepted} of {total} accepted");
}

#[test]
fn a_required_member_left_out_is_named_by_the_mock() {
    let server = start();
    let mut checked = 0;
    for op in operations() {
        for example in op.examples().requests() {
            if !judge(op, example.params()).is_empty() {
                continue;
            }
            let required = op
                .params()
                .iter()
                .filter(|p| p.required() && p.place() != Place::Path);
            for param in required {
                let mut params = example.params().clone();
                if params.remove(param.name()).is_none() {
                    continue;
                }
                let reply = call(&server, op, &params);
                let expected = format!("Parameter error: {}: is required", param.name());
                assert_eq!(
                    (reply["code"].as_i64(), reply["msg"].as_str()),
                    (Some(40000), Some(expected.as_str())),
                    "{} ({}) without {}",
                    op.full_name(),
                    example.source(),
                    param.name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "{checked} cases");
}

#[test]
fn wrong_types_and_values_are_refused_naming_the_member() {
    let server = start();
    let cases = [
        (
            "v2.create_video_from_avatar",
            r#"{"avatar": {"avatar_id": 81, "avatar_type": 0},
                "voice": {"type": "text", "voice_id": "en-US-ChristopherNeural"},
                "aspect_ratio": "portrait", "screen_style": 1}"#,
            "voice.type: must be one of script, audio (got \"text\")",
        ),
        (
            "v2.list_musics",
            r#"{"page": "first"}"#,
            "page: must be an integer (got \"first\")",
        ),
        (
            "v2.create_lip_sync_video",
            r#"{"video_url": "", "audio_url": "https://res.jogg.ai/a.mp3"}"#,
            "video_url: must be an absolute URI such as https://host/path (got \"\")",
        ),
        (
            "v1.create_video_with_template",
            r#"{"template_id": 139, "lang": "english", "template_type": "common",
                "variables": [{"type": "text", "name": "title", "properties": {}}]}"#,
            "variables[0].properties.content: is required when type is one of \"text\", \"script\"",
        ),
    ];
    for (name, params, problem) in cases {
        let op = find(name).expect("described");
        let params: Map<String, Value> = serde_json::from_str(params).expect("JSON");
        let first = judge(op, &params).first().map(ToString::to_string);
        assert_eq!(first.as_deref(), Some(problem), "{name}");
        let reply = call(&server, op, &params);
        assert_eq!(reply["code"], 40000, "{name}: {reply}");
        assert_eq!(
            reply["msg"],
            format!("Parameter error: {problem}"),
            "{name}"
        );
    }
    // Query text that is a number is a number; optional text may be empty.
    let op = find("v2.list_template_videos").unwrap();
    let params = serde_json::from_str(r#"{"page": "1", "page_size": 5, "status": "4"}"#).unwrap();
    assert_eq!(call(&server, op, &params)["code"], 0);
    let op = find("v2.create_product").unwrap();
    let params =
        serde_json::from_str(r#"{"url": "", "name": "Blush", "target_audience": ""}"#).unwrap();
    assert_eq!(call(&server, op, &params)["code"], 0);
}
