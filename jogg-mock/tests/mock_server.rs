//! Black-box tests of the mock over real loopback sockets, using a tiny
//! std-only HTTP client. Determinism comes from `render_ms` (0 = instantly
//! terminal, huge = stuck at "start") rather than from sleeping.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::time::Duration;

use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer, RecordedRequest};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Minimal client

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

fn connect(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

fn write_request(
    stream: &mut TcpStream,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).expect("write head");
    stream.write_all(body).expect("write body");
}

fn read_reply(reader: &mut BufReader<TcpStream>) -> Reply {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("header colon");
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.parse().expect("length"))
        .expect("Content-Length present");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    Reply {
        status,
        headers,
        body,
    }
}

/// One request on a fresh connection.
fn send(port: u16, method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = connect(port);
    write_request(&mut stream, method, target, headers, body);
    read_reply(&mut BufReader::new(stream))
}

fn get(server: &MockServer, target: &str) -> Reply {
    send(
        server.port(),
        "GET",
        target,
        &[("x-api-key", MOCK_API_KEY)],
        b"",
    )
}

fn post(server: &MockServer, body: &Value) -> Reply {
    post_as(server, MOCK_API_KEY, body)
}

fn post_as(server: &MockServer, key: &str, body: &Value) -> Reply {
    let bytes = serde_json::to_vec(body).expect("encode");
    send(
        server.port(),
        "POST",
        "/v1/create_video_from_talking_avatar",
        &[("x-api-key", key), ("Content-Type", "application/json")],
        &bytes,
    )
}

fn start(config: MockConfig) -> MockServer {
    MockServer::start(config).expect("mock starts")
}

fn instant() -> MockConfig {
    MockConfig {
        render_ms: 0,
        ..MockConfig::default()
    }
}

fn valid_body() -> Value {
    json!({
        "script": "Hello from the mock, this is a test video.",
        "voice_id": "en-US-ChristopherNeural",
        "avatar_id": 81,
        "avatar_type": 0,
        "screen_style": 1,
        "aspect_ratio": 0,
        "caption": true,
        "video_name": "My Video"
    })
}

fn with(mut body: Value, name: &str, value: Value) -> Value {
    body[name] = value;
    body
}

fn without(mut body: Value, name: &str) -> Value {
    if let Some(fields) = body.as_object_mut() {
        fields.remove(name);
    }
    body
}

fn is_hex32(text: &str) -> bool {
    text.len() == 32
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn create_project(server: &MockServer, body: &Value) -> String {
    let reply = post(server, body).json();
    assert_eq!(reply["code"], 0, "{reply}");
    reply["data"]["project_id"]
        .as_str()
        .expect("project_id is a string")
        .to_owned()
}

fn project(server: &MockServer, id: &str) -> Value {
    get(server, &format!("/v1/project?project_id={id}")).json()
}

// ---------------------------------------------------------------------------
// Auth and envelope

#[test]
fn server_handle_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<MockServer>();
}

#[test]
fn missing_or_wrong_key_is_10105() {
    let server = start(instant());
    let missing = send(server.port(), "GET", "/v1/avatars", &[], b"");
    assert_eq!(missing.status, 200);
    assert_eq!(missing.json()["code"], 10105);
    assert_eq!(missing.json()["data"], Value::Null);
    let wrong = send(
        server.port(),
        "GET",
        "/v1/voices",
        &[("x-api-key", "nope")],
        b"",
    );
    assert_eq!(wrong.json()["code"], 10105);
    let post_wrong = post_as(&server, "nope", &valid_body());
    assert_eq!(post_wrong.json()["code"], 10105);
    assert_eq!(server.projects_created(), 0);
}

#[test]
fn envelope_headers_and_unique_rids() {
    let server = start(instant());
    let mut rids = HashSet::new();
    for target in ["/v1/avatars", "/v1/voices", "/v1/project", "/v1/nowhere"] {
        for _ in 0..5 {
            let reply = get(&server, target);
            assert_eq!(reply.header("content-type"), Some("application/json"));
            assert_eq!(
                reply.header("jogg-mock-version"),
                Some(env!("CARGO_PKG_VERSION"))
            );
            let body = reply.json();
            assert!(body["msg"].is_string());
            let rid = body["rid"].as_str().expect("rid").to_owned();
            assert!(is_hex32(&rid), "{rid}");
            assert!(rids.insert(rid), "rid repeated");
        }
    }
    let ok = get(&server, "/v1/avatars").json();
    assert_eq!(
        (ok["code"].clone(), ok["msg"].clone()),
        (json!(0), json!("success"))
    );
}

#[test]
fn unknown_route_or_method_is_404_in_both_modes() {
    for http_errors in [false, true] {
        let server = start(MockConfig {
            http_errors,
            ..instant()
        });
        for (method, target) in [
            ("GET", "/v1/nowhere"),
            ("DELETE", "/v1/avatars"),
            ("GET", "/"),
        ] {
            let reply = send(
                server.port(),
                method,
                target,
                &[("x-api-key", MOCK_API_KEY)],
                b"",
            );
            assert_eq!(reply.status, 404);
            let body = reply.json();
            assert_eq!(body["code"], 10104);
            let path = target.split('?').next().unwrap_or(target);
            assert!(body["msg"].as_str().unwrap_or("").contains(path), "{body}");
        }
        let get_create = get(&server, "/v1/create_video_from_talking_avatar");
        assert_eq!(get_create.status, 404);
    }
}

// ---------------------------------------------------------------------------
// Create validation

fn assert_param_error(server: &MockServer, body: &Value, expected: &str) {
    let reply = post(server, body).json();
    assert_eq!(reply["code"], 40000, "body {body} gave {reply}");
    assert_eq!(reply["data"], Value::Null);
    let msg = reply["msg"].as_str().unwrap_or("");
    assert!(
        msg.starts_with("Parameter error: ") && msg.contains(expected),
        "expected {expected:?} in {msg:?}"
    );
}

#[test]
fn create_rejects_invalid_bodies() {
    let server = start(MockConfig {
        post_limit: 1000,
        ..instant()
    });
    let base = valid_body;
    let cases: Vec<(Value, &str)> = vec![
        (without(base(), "screen_style"), "screen_style: is required"),
        (without(base(), "avatar_id"), "avatar_id: is required"),
        (without(base(), "avatar_type"), "avatar_type: is required"),
        (
            with(base(), "screen_style", json!(0)),
            "screen_style: must be one of 1, 2, 3",
        ),
        (
            with(base(), "screen_style", json!(4)),
            "screen_style: must be one of 1, 2, 3",
        ),
        (
            with(base(), "aspect_ratio", json!(3)),
            "aspect_ratio: must be one of 0, 1, 2",
        ),
        (
            with(base(), "avatar_type", json!(2)),
            "avatar_type: must be one of 0, 1",
        ),
        (
            with(base(), "avatar_id", json!("81")),
            "avatar_id: must be an integer",
        ),
        (
            with(base(), "avatar_id", json!(81.5)),
            "avatar_id: must be an integer",
        ),
        (
            with(base(), "screen_style", json!("1")),
            "screen_style: must be an integer",
        ),
        (
            with(base(), "caption", json!("yes")),
            "caption: must be true or false",
        ),
        (
            with(base(), "script", json!(42)),
            "script: must be a string",
        ),
        (
            with(base(), "video_name", json!(true)),
            "video_name: must be a string",
        ),
        (
            with(base(), "audio_url", json!("https://example.com/a.mp3")),
            "audio_url: must not be given together with script",
        ),
        (
            without(base(), "script"),
            "script: is required (or give audio_url",
        ),
        (
            without(base(), "voice_id"),
            "voice_id: is required when script is given",
        ),
        (json!([1, 2]), "body"),
        (json!("text"), "body"),
    ];
    for (body, expected) in &cases {
        assert_param_error(&server, body, expected);
    }
    let not_json = send(
        server.port(),
        "POST",
        "/v1/create_video_from_talking_avatar",
        &[("x-api-key", MOCK_API_KEY)],
        b"{not json",
    );
    assert_eq!(not_json.json()["code"], 40000);
    assert!(
        not_json.json()["msg"]
            .as_str()
            .unwrap_or("")
            .contains("body")
    );
    assert_eq!(server.projects_created(), 0);
}

#[test]
fn create_accepts_spec_variants() {
    // What the description allows, whatever the ids: avatar 7 is nobody's here.
    let server = start(MockConfig {
        accept_any_ids: true,
        ..instant()
    });
    let audio_only = json!({
        "audio_url": "https://example.com/voice.mp3",
        "avatar_id": 7,
        "avatar_type": 1,
        "screen_style": 3
    });
    let accepted = [
        audio_only,
        with(valid_body(), "unexpected_member", json!({"ignored": true})),
        with(valid_body(), "aspect_ratio", Value::Null),
        without(without(valid_body(), "caption"), "video_name"),
        // Optional text may be empty: no spec sets a minimum length.
        with(
            with(valid_body(), "video_name", json!("")),
            "voice_id",
            json!(""),
        ),
    ];
    for body in &accepted {
        let reply = post(&server, body).json();
        assert_eq!(reply["code"], 0, "{body} gave {reply}");
    }
    assert_eq!(server.projects_created(), accepted.len());
}

// ---------------------------------------------------------------------------
// Projects

#[test]
fn create_returns_hex_id_and_finished_project_serves_files() {
    let server = start(instant());
    let reply = post(&server, &valid_body());
    assert_eq!(reply.status, 200);
    assert!(reply.header("x-ratelimit-remaining").is_some());
    let id = reply.json()["data"]["project_id"]
        .as_str()
        .expect("string id")
        .to_owned();
    assert!(is_hex32(&id), "{id}");

    let data = project(&server, &id)["data"].clone();
    assert_eq!(data["id"], id.as_str());
    assert_eq!(data["title"], "My Video");
    assert_eq!(data["status_code"], 4);
    assert_eq!(data["status_desc"], "success");
    assert!(data["video_duration"].as_u64().unwrap_or(0) >= 1);
    assert!(data["created_at"].as_u64().unwrap_or(0) > 1_600_000_000);
    let video_url = format!("{}/files/{id}.mp4", server.base_url());
    assert_eq!(data["video_url"], video_url.as_str());
    assert_eq!(
        data["cover_url"],
        format!("{}/files/{id}.jpg", server.base_url()).as_str()
    );

    // Media needs no key.
    let video = send(server.port(), "GET", &format!("/files/{id}.mp4"), &[], b"");
    assert_eq!(video.status, 200);
    assert_eq!(video.header("content-type"), Some("video/mp4"));
    assert!(video.body.len() >= 1024);
    assert_eq!(&video.body[4..8], b"ftyp");
    let again = send(server.port(), "GET", &format!("/files/{id}.mp4"), &[], b"");
    assert_eq!(again.body, video.body, "deterministic bytes");
    let cover = send(server.port(), "GET", &format!("/files/{id}.jpg"), &[], b"");
    assert_eq!(cover.status, 200);
    assert_eq!(cover.header("content-type"), Some("image/jpeg"));
    assert_eq!(&cover.body[..2], &[0xFF, 0xD8]);
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn files_honour_single_ranges() {
    let server = start(instant());
    let id = create_project(&server, &valid_body());
    let target = format!("/files/{id}.mp4");
    let whole = send(server.port(), "GET", &target, &[], b"");
    assert_eq!(whole.header("accept-ranges"), Some("bytes"));
    let len = whole.body.len();

    let part = send(
        server.port(),
        "GET",
        &target,
        &[("Range", "bytes=10-19")],
        b"",
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 10-19/{len}").as_str())
    );
    assert_eq!(part.body, whole.body[10..20]);

    let rest = send(
        server.port(),
        "GET",
        &target,
        &[("Range", "bytes=100-")],
        b"",
    );
    assert_eq!(rest.status, 206);
    assert_eq!(rest.body, whole.body[100..]);

    let tail = send(server.port(), "GET", &target, &[("Range", "bytes=-5")], b"");
    assert_eq!(tail.body, whole.body[len - 5..]);

    let beyond = format!("bytes={len}-");
    let none = send(server.port(), "GET", &target, &[("Range", &beyond)], b"");
    assert_eq!(none.status, 416);
    assert_eq!(
        none.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );
}

#[test]
fn signed_upload_urls_need_their_signature_not_a_key() {
    let server = start(instant());
    let reply = send(
        server.port(),
        "POST",
        "/v1/upload/asset",
        &[("x-api-key", MOCK_API_KEY)],
        br#"{"filename":"a.wav"}"#,
    )
    .json();
    assert_eq!(reply["code"], 0, "{reply}");
    let sign_url = reply["data"]["sign_url"].as_str().unwrap().to_owned();
    let asset_url = reply["data"]["asset_id"].as_str().unwrap().to_owned();
    let target = sign_url.strip_prefix(&server.base_url()).unwrap();
    let (path, _) = target.split_once('?').unwrap();

    let unsigned = send(server.port(), "PUT", path, &[], b"RIFF");
    assert_eq!(unsigned.status, 403);
    let forged = format!("{path}?signature=0000");
    assert_eq!(
        send(server.port(), "PUT", &forged, &[], b"RIFF").status,
        403
    );
    assert_eq!(server.uploaded(&asset_url), None);

    let put = send(
        server.port(),
        "PUT",
        target,
        &[("Content-Type", "audio/wav")],
        b"RIFF....WAVE",
    );
    assert_eq!(put.status, 200);
    assert_eq!(
        server.uploaded(&asset_url).as_deref(),
        Some(&b"RIFF....WAVE"[..])
    );
    let asset_path = asset_url.strip_prefix(&server.base_url()).unwrap();
    let served = send(server.port(), "GET", asset_path, &[], b"");
    assert_eq!(served.body, b"RIFF....WAVE");
    assert_eq!(served.header("content-type"), Some("audio/wav"));

    // Asking for a URL needs the key, like every API call.
    let keyless = send(
        server.port(),
        "POST",
        "/v2/upload/asset",
        &[],
        br#"{"filename":"a.wav","content_type":"audio/wav"}"#,
    );
    assert_eq!(keyless.json()["code"], 10105);
}

#[test]
fn project_is_at_start_while_rendering_and_files_are_404() {
    let server = start(MockConfig {
        render_ms: 3_600_000,
        ..MockConfig::default()
    });
    let id = create_project(&server, &without(valid_body(), "video_name"));
    let data = project(&server, &id)["data"].clone();
    assert_eq!(data["status_code"], 1);
    assert_eq!(data["status_desc"], "start");
    assert_eq!(data["video_duration"], 0);
    assert_eq!(data["video_url"], "");
    assert_eq!(data["cover_url"], "");
    assert!(
        !data["title"].as_str().unwrap_or("").is_empty(),
        "default title"
    );
    let video = send(server.port(), "GET", &format!("/files/{id}.mp4"), &[], b"");
    assert_eq!(video.status, 404);
    assert_eq!(video.json()["code"], 10104);
}

#[test]
fn fail_marker_renders_to_failed() {
    let server = start(instant());
    let body = with(valid_body(), "script", json!("Please FAIL_RENDER this one"));
    let id = create_project(&server, &body);
    let data = project(&server, &id)["data"].clone();
    assert_eq!(data["status_code"], 5);
    assert_eq!(data["status_desc"], "failed");
    assert_eq!(data["video_url"], "");
    let video = send(server.port(), "GET", &format!("/files/{id}.mp4"), &[], b"");
    assert_eq!(video.status, 404);
}

#[test]
fn project_lookup_errors() {
    let other_key = "second-key";
    let server = start(MockConfig {
        api_keys: vec![MOCK_API_KEY.to_owned(), other_key.to_owned()],
        ..instant()
    });
    let missing = get(&server, "/v1/project").json();
    assert_eq!(missing["code"], 40000);
    assert!(missing["msg"].as_str().unwrap_or("").contains("project_id"));
    let unknown = project(&server, "0123456789abcdef0123456789abcdef");
    assert_eq!(unknown["code"], 10104);
    assert_eq!(unknown["data"], Value::Null);

    let id = create_project(&server, &valid_body());
    let foreign = send(
        server.port(),
        "GET",
        &format!("/v1/project?project_id={id}"),
        &[("x-api-key", other_key)],
        b"",
    );
    assert_eq!(foreign.json()["code"], 10104);
    assert_eq!(project(&server, &id)["code"], 0);
}

// ---------------------------------------------------------------------------
// Rate limit

#[test]
fn fourth_post_in_window_is_rate_limited_but_gets_are_not() {
    let other_key = "second-key";
    let server = start(MockConfig {
        post_limit: 3,
        api_keys: vec![MOCK_API_KEY.to_owned(), other_key.to_owned()],
        ..instant()
    });
    let mut remaining = Vec::new();
    for body in [valid_body(), json!({}), valid_body()] {
        // The invalid body in the middle still counts against the limit.
        let reply = post(&server, &body);
        remaining.push(reply.header("x-ratelimit-remaining").map(str::to_owned));
    }
    let expected: Vec<Option<String>> = ["2", "1", "0"]
        .iter()
        .map(|n| Some((*n).to_owned()))
        .collect();
    assert_eq!(remaining, expected);

    let limited = post(&server, &valid_body());
    assert_eq!(limited.status, 200);
    let body = limited.json();
    assert_eq!(body["code"], 429);
    assert_eq!(body["data"], Value::Null);
    assert!(
        body["msg"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("rate limit")
    );
    let retry_after: u64 = limited
        .header("retry-after")
        .and_then(|value| value.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(server.projects_created(), 2);

    for _ in 0..30 {
        assert_eq!(get(&server, "/v1/avatars").json()["code"], 0);
    }
    assert_eq!(post_as(&server, other_key, &valid_body()).json()["code"], 0);
}

// ---------------------------------------------------------------------------
// http_errors mode

#[test]
fn http_errors_mode_uses_matching_statuses() {
    let server = start(MockConfig {
        http_errors: true,
        post_limit: 2,
        ..instant()
    });
    let unauthorized = send(server.port(), "GET", "/v1/avatars", &[], b"");
    assert_eq!(
        (unauthorized.status, unauthorized.json()["code"].clone()),
        (401, json!(10105))
    );
    let invalid = post(&server, &json!({}));
    assert_eq!(
        (invalid.status, invalid.json()["code"].clone()),
        (400, json!(40000))
    );
    let created = post(&server, &valid_body());
    assert_eq!(created.status, 200);
    let limited = post(&server, &valid_body());
    assert_eq!(
        (limited.status, limited.json()["code"].clone()),
        (429, json!(429))
    );
    assert!(limited.header("retry-after").is_some());
    let unknown = get(&server, "/v1/project?project_id=ffff");
    assert_eq!(
        (unknown.status, unknown.json()["code"].clone()),
        (404, json!(10104))
    );
    let bad_query = get(&server, "/v1/avatars?gender=other");
    assert_eq!(bad_query.status, 400);
    assert_eq!(get(&server, "/v1/voices").status, 200);
}

// ---------------------------------------------------------------------------
// Avatars

const AVATAR_FILTERS: &[(&str, &[&str])] = &[
    ("aspect_ratio", &["0", "1", "2"]),
    ("style", &["professional", "social"]),
    ("gender", &["male", "female"]),
    ("age", &["adult", "senior", "young_adult"]),
    (
        "scene",
        &[
            "lifestyle",
            "outdoors",
            "business",
            "studio",
            "health_fitness",
            "education",
            "news",
        ],
    ),
    (
        "ethnicity",
        &[
            "european",
            "african",
            "south_asian",
            "east_asian",
            "middle_eastern",
            "south_american",
            "north_american",
        ],
    ),
];

fn avatar_list(server: &MockServer, query: &str) -> Vec<Value> {
    let reply = get(server, &format!("/v1/avatars{query}")).json();
    assert_eq!(reply["code"], 0, "{query}: {reply}");
    reply["data"]["avatars"]
        .as_array()
        .cloned()
        .expect("avatars array")
}

fn avatar_ids(avatars: &[Value]) -> Vec<i64> {
    avatars
        .iter()
        .filter_map(|a| a["avatar_id"].as_i64())
        .collect()
}

#[test]
fn avatar_catalogue_shape() {
    let server = start(instant());
    let all = avatar_list(&server, "");
    assert!(all.len() >= 40, "{}", all.len());
    let unique: HashSet<i64> = avatar_ids(&all).into_iter().collect();
    assert_eq!(unique.len(), all.len(), "ids unique");
    for avatar in &all {
        assert!(avatar["avatar_id"].is_i64());
        assert!(avatar["aspect_ratio"].is_u64());
        assert!(!avatar["name"].as_str().unwrap_or("").is_empty());
        assert!(avatar.get("scene").is_none() && avatar.get("ethnicity").is_none());
        let cover = avatar["cover_url"].as_str().expect("cover_url");
        assert!(cover.starts_with(&server.base_url()), "{cover}");
        let path = &cover[server.base_url().len()..];
        let image = send(server.port(), "GET", path, &[], b"");
        assert_eq!(image.status, 200, "{path}");
        assert_eq!(image.header("content-type"), Some("image/jpeg"));
    }
}

#[test]
fn every_avatar_filter_value_is_honoured() {
    let server = start(instant());
    let total = avatar_list(&server, "").len();
    for (param, values) in AVATAR_FILTERS {
        let mut seen = HashSet::new();
        for value in *values {
            let items = avatar_list(&server, &format!("?{param}={value}"));
            assert!(!items.is_empty(), "{param}={value} matches nothing");
            for item in &items {
                // scene/ethnicity are not in the items; those are checked as
                // a partition of the whole catalogue below.
                match *param {
                    "aspect_ratio" => assert_eq!(item[*param].to_string(), *value),
                    "scene" | "ethnicity" => {}
                    _ => assert_eq!(item[*param], *value, "{param}={value}"),
                }
            }
            for id in avatar_ids(&items) {
                assert!(seen.insert(id), "{param}: avatar {id} under two values");
            }
        }
        assert_eq!(seen.len(), total, "{param} values partition the catalogue");
    }
}

#[test]
fn avatar_filters_combine_with_and() {
    let server = start(instant());
    let females = avatar_ids(&avatar_list(&server, "?gender=female"));
    let seniors = avatar_ids(&avatar_list(&server, "?age=senior"));
    let both = avatar_ids(&avatar_list(&server, "?gender=female&age=senior"));
    let expected: Vec<i64> = females
        .iter()
        .copied()
        .filter(|id| seniors.contains(id))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(both, expected);
    let narrow = avatar_list(
        &server,
        "?ethnicity=east_asian&scene=studio&style=professional",
    );
    assert!(narrow.len() <= 1);
}

#[test]
fn unknown_avatar_filter_values_are_rejected() {
    let server = start(instant());
    let bad = [
        ("aspect_ratio", "3"),
        ("aspect_ratio", "-1"),
        ("aspect_ratio", "portrait"),
        ("style", "casual"),
        ("gender", "Female"),
        ("age", "young"),
        ("scene", "space"),
        ("ethnicity", "asian"),
    ];
    for (param, value) in bad {
        let reply = get(&server, &format!("/v1/avatars?{param}={value}")).json();
        assert_eq!(reply["code"], 40000, "{param}={value}");
        let msg = reply["msg"].as_str().unwrap_or("");
        assert!(msg.contains(param), "{msg}");
    }
    // Unknown parameters are ignored.
    assert_eq!(get(&server, "/v1/avatars?colour=blue").json()["code"], 0);
}

// ---------------------------------------------------------------------------
// Voices

fn voice_page(server: &MockServer, query: &str) -> (u64, Vec<Value>) {
    let reply = get(server, &format!("/v1/voices{query}")).json();
    assert_eq!(reply["code"], 0, "{query}: {reply}");
    let total = reply["data"]["total"].as_u64().expect("total");
    let voices = reply["data"]["voices"].as_array().cloned().expect("voices");
    (total, voices)
}

fn voice_ids(voices: &[Value]) -> Vec<String> {
    voices
        .iter()
        .filter_map(|v| v["voice_id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn voices_page_through_filtered_results() {
    let server = start(instant());
    let (all_total, first_default) = voice_page(&server, "");
    assert!(all_total >= 40, "{all_total}");
    assert_eq!(first_default.len(), 10, "default page size");

    let filter = "?language=english&gender=female";
    let (total, page1) = voice_page(&server, filter);
    assert!(total > 10, "{total}");
    assert_eq!(page1.len(), 10);
    let (total2, page2) = voice_page(&server, &format!("{filter}&page=2"));
    assert_eq!(total2, total);
    assert_eq!(page2.len() as u64, (total - 10).min(10));
    let ids1: HashSet<String> = voice_ids(&page1).into_iter().collect();
    assert!(
        voice_ids(&page2).iter().all(|id| !ids1.contains(id)),
        "pages overlap"
    );
    for voice in page1.iter().chain(&page2) {
        assert_eq!(voice["language"], "english");
        assert_eq!(voice["gender"], "female");
        assert!(
            voice["audition_url"]
                .as_str()
                .unwrap_or("")
                .starts_with(&server.base_url())
        );
        assert!(voice["name"].is_string() && voice["age"].is_string());
    }
    let (_, whole) = voice_page(&server, &format!("{filter}&page_size=100"));
    assert_eq!(whole.len() as u64, total);
    // The v1 voice list sets no largest page (D29), unlike the v2 lists.
    let (_, larger) = voice_page(&server, &format!("{filter}&page_size=101"));
    assert_eq!(larger.len() as u64, total);
    let (_, beyond) = voice_page(&server, &format!("{filter}&page=99"));
    assert!(beyond.is_empty());

    let sample = voice_ids(&page1)[0].clone();
    let audio = send(
        server.port(),
        "GET",
        &format!("/files/voices/{sample}.mp3"),
        &[],
        b"",
    );
    assert_eq!(audio.status, 200);
    assert_eq!(audio.header("content-type"), Some("audio/mpeg"));
}

#[test]
fn voice_filters_are_honoured() {
    let server = start(instant());
    for (param, value) in [
        ("gender", "male"),
        ("age", "old"),
        ("age", "young"),
        ("language", "spanish"),
    ] {
        let (total, voices) = voice_page(&server, &format!("?{param}={value}&page_size=100"));
        assert!(total > 0, "{param}={value}");
        assert_eq!(voices.len() as u64, total);
        assert!(voices.iter().all(|v| v[param] == value), "{param}={value}");
    }
    let (total, _) = voice_page(&server, "?language=traditional%2Dchinese");
    assert!(total > 0, "percent-decoded language");
}

#[test]
fn invalid_voice_queries_are_rejected() {
    let server = start(instant());
    for (query, param) in [
        ("page_size=0", "page_size"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("gender=Male", "gender"),
        ("age=adult", "age"),
        // The specs list the language names (api-notes §2.3).
        ("language=klingon", "language"),
    ] {
        let reply = get(&server, &format!("/v1/voices?{query}")).json();
        assert_eq!(reply["code"], 40000, "{query}");
        assert!(
            reply["msg"].as_str().unwrap_or("").contains(param),
            "{query}"
        );
    }
}

// ---------------------------------------------------------------------------
// Transport

#[test]
fn keep_alive_serves_two_requests_on_one_connection() {
    let server = start(instant());
    let stream = connect(server.port());
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    let key = [("x-api-key", MOCK_API_KEY)];
    write_request(&mut writer, "GET", "/v1/avatars?gender=male", &key, b"");
    let first = read_reply(&mut reader);
    write_request(&mut writer, "GET", "/v1/voices", &key, b"");
    let second = read_reply(&mut reader);
    assert_eq!(first.json()["code"], 0);
    assert_eq!(second.json()["code"], 0);
    assert!(second.json()["data"]["voices"].is_array());
    assert_eq!(second.header("connection"), Some("keep-alive"));
}

#[test]
fn requests_are_recorded_with_decoded_query_and_lowercase_headers() {
    let server = start(instant());
    send(
        server.port(),
        "GET",
        "/v1/voices?language=traditional%2Dchinese&note=a+b%20c&flag",
        &[("X-Api-Key", MOCK_API_KEY), ("X-Custom", "Value")],
        b"",
    );
    let body = serde_json::to_vec(&valid_body()).expect("encode");
    send(
        server.port(),
        "POST",
        "/v1/create_video_from_talking_avatar",
        &[("x-api-key", MOCK_API_KEY)],
        &body,
    );
    let recorded: Vec<RecordedRequest> = server.requests();
    assert_eq!(recorded.len(), 2);
    let first = &recorded[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("GET", "/v1/voices")
    );
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        first.query,
        vec![
            pair("language", "traditional-chinese"),
            pair("note", "a b c"),
            pair("flag", "")
        ]
    );
    assert!(first.headers.contains(&pair("x-api-key", MOCK_API_KEY)));
    assert!(first.headers.contains(&pair("x-custom", "Value")));
    assert_eq!(recorded[1].body, body);
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn oversized_and_malformed_requests_get_envelopes_and_server_survives() {
    let server = start(instant());
    // Announce a body just over 10 MiB; the server must refuse without
    // waiting for it.
    let mut stream = connect(server.port());
    let head = format!(
        "POST /v1/create_video_from_talking_avatar HTTP/1.1\r\nx-api-key: {MOCK_API_KEY}\r\nContent-Length: {}\r\n\r\n",
        10 * 1024 * 1024 + 1
    );
    stream.write_all(head.as_bytes()).expect("write");
    let too_big = read_reply(&mut BufReader::new(stream));
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.json()["code"], 40000);
    assert!(
        too_big.json()["msg"]
            .as_str()
            .unwrap_or("")
            .contains("body")
    );

    let mut stream = connect(server.port());
    stream.write_all(b"NONSENSE\r\n\r\n").expect("write");
    assert_eq!(read_reply(&mut BufReader::new(stream)).status, 400);

    let mut stream = connect(server.port());
    let huge_header = format!(
        "GET /v1/voices HTTP/1.1\r\nX-Big: {}\r\n\r\n",
        "a".repeat(70_000)
    );
    // The server may answer and close before reading it all.
    let _ = stream.write_all(huge_header.as_bytes());
    assert_eq!(read_reply(&mut BufReader::new(stream)).status, 431);

    assert_eq!(get(&server, "/v1/voices").json()["code"], 0);
}

#[test]
fn dropping_the_server_frees_the_port() {
    let server = start(instant());
    let port = server.port();
    assert_eq!(server.base_url(), format!("http://127.0.0.1:{port}"));
    // An idle keep-alive connection must not keep the server alive.
    let mut idle = connect(port);
    write_request(
        &mut idle,
        "GET",
        "/v1/voices",
        &[("x-api-key", MOCK_API_KEY)],
        b"",
    );
    let mut reader = BufReader::new(idle.try_clone().expect("clone"));
    assert_eq!(read_reply(&mut reader).status, 200);
    drop(server);
    TcpListener::bind(("127.0.0.1", port)).expect("port is free after drop");
    // The idle connection was shut down by the server.
    let mut rest = Vec::new();
    let closed = reader.read_to_end(&mut rest).map(|_| rest.is_empty());
    assert!(closed.unwrap_or(true));
}

// ---------------------------------------------------------------------------
// Binary

#[test]
fn binary_runs_command_against_mock_and_returns_its_exit_code() {
    let output = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .args(["--render-ms", "0", "--", "sh", "-c"])
        .arg(r#"test -n "$JOGG_BASE_URL" && test "$JOGG_API_KEY" = jogg-mock-key && exit 3"#)
        .env("JOGG_API_KEY", "real-secret-key")
        .output()
        .expect("run jogg-mock");
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    // The banner is on stderr: stdout is the command's alone.
    assert!(output.stdout.is_empty(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("jogg-mock listening on http://127.0.0.1:"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn binary_quiet_keeps_the_commands_output_clean_for_a_json_reader() {
    let output = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .args(["--quiet", "--", "sh", "-c", r#"printf '{"a": 1}\n'"#])
        .output()
        .expect("run jogg-mock");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(output.stdout, b"{\"a\": 1}\n");
    assert!(output.stderr.is_empty(), "{output:?}");
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(parsed["a"], 1);
}

#[test]
fn binary_version_and_port_file() {
    let version = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .arg("--version")
        .output()
        .expect("run jogg-mock");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("jogg-mock {}\n", env!("CARGO_PKG_VERSION"))
    );
    let dir = std::env::temp_dir().join(format!("jogg-mock-port-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port_file = dir.join("port");
    // The command reads the file the mock wrote before starting it, and checks that the
    // port in it is the one of JOGG_BASE_URL.
    let output = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .arg("--quiet")
        .arg("--port-file")
        .arg(&port_file)
        .args(["--", "sh", "-c"])
        .arg(r#"test "$JOGG_BASE_URL" = "http://127.0.0.1:$(cat "$0")" && exit 5"#)
        .arg(&port_file)
        .output()
        .expect("run jogg-mock");
    assert_eq!(output.status.code(), Some(5), "{output:?}");
    let text = std::fs::read_to_string(&port_file).expect("port file");
    assert!(text.ends_with('\n'), "{text:?}");
    assert!(text.trim().parse::<u16>().is_ok_and(|p| p > 0), "{text:?}");
    // Nothing else was left in the directory (the file is written beside, then renamed).
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn binary_rejects_bad_flags_and_reports_unrunnable_commands() {
    let bad = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .arg("--bogus")
        .output()
        .expect("run jogg-mock");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Usage"));
    let missing = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .args(["--", "/nonexistent/jogg-mock-test-program"])
        .output()
        .expect("run jogg-mock");
    assert_eq!(missing.status.code(), Some(127));
    assert!(!missing.stderr.is_empty());
}
