//! The control API (`/_mock/...`) and the catalogue checks, black-box over HTTP as a test
//! suite in another language uses them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// `(status, JSON body)` of a request; `key` adds the API key, `body` makes it a JSON POST.
fn send(base: &str, method: &str, path: &str, key: bool, body: Option<&Value>) -> (u16, Value) {
    let agent = agent();
    let url = format!("{base}{path}");
    let mut response = match (method, body) {
        ("GET", _) => {
            let request = agent.get(&url);
            let request = if key {
                request.header("x-api-key", MOCK_API_KEY)
            } else {
                request
            };
            request.call()
        }
        (_, body) => {
            let request = agent.post(&url).header("content-type", "application/json");
            let request = if key {
                request.header("x-api-key", MOCK_API_KEY)
            } else {
                request
            };
            request.send(body.map(Value::to_string).unwrap_or_default())
        }
    }
    .expect("the mock answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).expect("a JSON body"))
}

fn control(server: &MockServer, method: &str, path: &str) -> (u16, Value) {
    send(&server.base_url(), method, path, false, None)
}

fn api_post(server: &MockServer, path: &str, body: &Value) -> Value {
    send(&server.base_url(), "POST", path, true, Some(body)).1
}

fn api_get(server: &MockServer, path: &str) -> Value {
    send(&server.base_url(), "GET", path, true, None).1
}

fn talking(avatar_id: Value, voice_id: &str) -> Value {
    json!({"script": "Hello there.", "voice_id": voice_id, "avatar_id": avatar_id,
           "avatar_type": 0, "screen_style": 1})
}

const CREATE: &str = "/v1/create_video_from_talking_avatar";

fn create(server: &MockServer) -> String {
    let reply = api_post(server, CREATE, &talking(json!(81), "en-US-JennyNeural"));
    assert_eq!(reply["code"], 0, "{reply}");
    reply["data"]["project_id"].as_str().unwrap().to_owned()
}

fn start(render_ms: u64) -> MockServer {
    MockServer::start(MockConfig {
        render_ms,
        ..MockConfig::default()
    })
    .expect("mock starts")
}

/// A render long enough to be ended on demand only.
const HELD: u64 = 3_600_000;

#[test]
fn health_needs_no_key_and_names_the_version() {
    let server = start(0);
    let (status, body) = control(&server, "GET", "/_mock/health");
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["base_url"], server.base_url());
    let (status, body) = control(&server, "GET", "/_mock/nothing");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("/_mock/requests"));
    let (status, _) = control(&server, "GET", "/_mock/reset");
    assert_eq!(status, 405);
}

#[test]
fn the_request_log_says_what_was_sent_answered_and_created() {
    let server = start(0);
    let id = create(&server);
    let bad = api_post(&server, CREATE, &json!({"script": "x"}));
    assert_eq!(bad["code"], 40000);
    let project = api_get(&server, &format!("/v1/project?project_id={id}"));
    assert_eq!(project["data"]["status_code"], 4);
    let (status, log) = control(&server, "GET", "/_mock/requests");
    assert_eq!(status, 200);
    assert_eq!(log["count"], 3, "{log}");
    let first = &log["requests"][0];
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], CREATE);
    assert_eq!(first["operation"], "v1.create_video_from_talking_avatar");
    assert_eq!(first["body"]["avatar_id"], 81);
    assert_eq!(
        (first["http_status"].clone(), first["api_code"].clone()),
        (json!(200), json!(0))
    );
    assert_eq!(first["created"], id.as_str());
    assert_eq!(first["fault"], Value::Null);
    assert_eq!(log["requests"][1]["api_code"], 40000);
    assert_eq!(log["requests"][1]["created"], Value::Null);
    assert_eq!(log["requests"][2]["query"], json!({"project_id": id}));
    // Filters, and the control requests themselves are not in the log.
    let (_, creates) = control(
        &server,
        "GET",
        "/_mock/requests?operation=v1.create_video_from_talking_avatar",
    );
    assert_eq!(creates["count"], 2);
    let (_, gets) = control(&server, "GET", "/_mock/requests?method=get");
    assert_eq!(gets["count"], 1);
    assert_eq!(gets["requests"][0]["path"], "/v1/project");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn control_requests_are_neither_counted_nor_faulted() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        post_limit: 1,
        faults: vec!["* * http5xx".parse().unwrap()],
        ..MockConfig::default()
    })
    .unwrap();
    for _ in 0..3 {
        assert_eq!(control(&server, "POST", "/_mock/reset").0, 200);
        assert_eq!(control(&server, "GET", "/_mock/health").0, 200);
    }
    assert_eq!(server.faults_injected(), 0);
    // The API's one POST of the window is still there, and the rule faults it.
    let agent = agent();
    let response = agent
        .post(format!("{}{CREATE}", server.base_url()))
        .header("x-api-key", MOCK_API_KEY)
        .send(talking(json!(81), "en-US-JennyNeural").to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let (_, log) = control(&server, "GET", "/_mock/requests");
    assert_eq!(log["count"], 1);
    assert_eq!(log["requests"][0]["fault"], "http5xx");
    assert_eq!(log["requests"][0]["http_status"], 500);
    // The handler ran before the fault broke the answer: nothing was created.
    assert_eq!(log["requests"][0]["created"], Value::Null);
}

#[test]
fn a_fault_that_acts_then_breaks_the_answer_still_logs_the_task_it_created() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        faults: vec![format!("POST {CREATE} malformed;times=1").parse().unwrap()],
        ..MockConfig::default()
    })
    .unwrap();
    let agent = agent();
    let response = agent
        .post(format!("{}{CREATE}", server.base_url()))
        .header("x-api-key", MOCK_API_KEY)
        .send(talking(json!(81), "en-US-JennyNeural").to_string())
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let (_, log) = control(&server, "GET", "/_mock/requests");
    let entry = &log["requests"][0];
    assert_eq!(entry["fault"], "malformed;times=1");
    assert_eq!(
        entry["api_code"],
        Value::Null,
        "the answer was not an envelope"
    );
    assert!(
        entry["created"].as_str().is_some_and(|id| id.len() == 32),
        "{entry}"
    );
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn reset_forgets_records_log_windows_and_fault_counts() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        post_limit: 1,
        faults: vec!["GET /v1/voices api50000;times=1".parse().unwrap()],
        ..MockConfig::default()
    })
    .unwrap();
    let id = create(&server);
    assert_eq!(api_get(&server, "/v1/voices")["code"], 50000);
    assert_eq!(api_get(&server, "/v1/voices")["code"], 0);
    assert_eq!(
        control(&server, "POST", "/_mock/reset").1,
        json!({"reset": true})
    );
    assert_eq!(server.projects_created(), 0);
    assert_eq!(control(&server, "GET", "/_mock/requests").1["count"], 0);
    let gone = api_get(&server, &format!("/v1/project?project_id={id}"));
    assert_eq!(gone["code"], 10104);
    // The fault strikes once more, and the POST window is empty again.
    assert_eq!(api_get(&server, "/v1/voices")["code"], 50000);
    create(&server);
    assert_eq!(server.projects_created(), 1);
    // The hook does the same.
    server.reset();
    assert!(server.requests().is_empty());
}

#[test]
fn tasks_end_on_demand_once() {
    let server = start(HELD);
    let id = create(&server);
    let project =
        |id: &str| api_get(&server, &format!("/v1/project?project_id={id}"))["data"].clone();
    assert_eq!(project(&id)["status_code"], 1);
    let (status, body) = control(&server, "POST", &format!("/_mock/tasks/{id}/finish"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"id": id, "kind": "project", "status": "succeeded"})
    );
    let done = project(&id);
    assert_eq!(done["status_code"], 4);
    assert!(done["video_url"].as_str().unwrap().ends_with(".mp4"));
    let (status, body) = control(&server, "POST", &format!("/_mock/tasks/{id}/fail"));
    assert_eq!(status, 409);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("already ended (succeeded)")
    );

    let other = create(&server);
    assert_eq!(
        control(&server, "POST", &format!("/_mock/tasks/{other}/fail")).0,
        200
    );
    assert_eq!(project(&other)["status_code"], 5);
    assert_eq!(project(&other)["video_url"], "");

    // A v2 task too.
    let v2 = api_post(
        &server,
        "/v2/create_video_from_avatar",
        &json!({"avatar": {"avatar_type": 0, "avatar_id": 81},
                "voice": {"type": "script", "script": "Hi", "voice_id": "en-US-JennyNeural"},
                "aspect_ratio": "portrait", "screen_style": 1}),
    );
    let video = v2["data"]["video_id"].as_str().unwrap();
    assert_eq!(
        control(&server, "POST", &format!("/_mock/tasks/{video}/finish")).0,
        200
    );
    let polled = api_get(&server, &format!("/v2/avatar_video/{video}"));
    assert_eq!(polled["data"]["status"], "completed", "{polled}");

    assert_eq!(control(&server, "POST", "/_mock/tasks/nope/finish").0, 404);
}

/// A receiver that answers 200 to every request, and counts them.
fn receiver() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
        }
    });
    (url, rx)
}

#[test]
fn ending_a_render_on_demand_delivers_its_webhook() {
    let server = start(HELD);
    let (url, deliveries) = receiver();
    let endpoint = api_post(
        &server,
        "/v1/endpoint",
        &json!({"url": url, "events": ["generated_video_success", "generated_video_failed"]}),
    );
    assert_eq!(endpoint["code"], 0, "{endpoint}");
    let id = create(&server);
    assert_eq!(
        control(&server, "POST", &format!("/_mock/tasks/{id}/fail")).0,
        200
    );
    assert!(server.wait_for_webhooks(Duration::from_secs(10)));
    let body: Value = serde_json::from_str(&deliveries.recv().unwrap()).unwrap();
    assert_eq!(body["event"], "generated_video_failed");
    assert_eq!(body["data"]["project_id"], id.as_str());
    let (_, log) = control(&server, "GET", "/_mock/webhooks");
    assert_eq!(log["count"], 1, "{log}");
    assert_eq!(log["deliveries"][0]["event"], "generated_video_failed");
    assert_eq!(log["deliveries"][0]["status"], 200);
    assert_eq!(log["deliveries"][0]["attempt"], 1);
}

#[test]
fn ids_the_mock_does_not_have_are_refused_with_10104() {
    let server = start(0);
    for (body, member) in [
        (
            talking(json!(99999), "en-US-JennyNeural"),
            "avatar_id 99999",
        ),
        (
            talking(json!(81), "xx-NoSuchVoice"),
            "voice_id \"xx-NoSuchVoice\"",
        ),
    ] {
        let reply = api_post(&server, CREATE, &body);
        assert_eq!(reply["code"], 10104, "{reply}");
        let msg = reply["msg"].as_str().unwrap();
        assert!(msg.contains(member), "{msg}");
        assert!(msg.contains("--accept-any-ids"), "{msg}");
    }
    let v2 = |avatar: i64, voice: &str| {
        json!({"avatar": {"avatar_type": 0, "avatar_id": avatar},
               "voice": {"type": "script", "script": "Hi", "voice_id": voice},
               "aspect_ratio": "portrait", "screen_style": 1})
    };
    let reply = api_post(
        &server,
        "/v2/create_video_from_avatar",
        &v2(5, "en-US-JennyNeural"),
    );
    assert_eq!(reply["code"], 10104);
    assert!(
        reply["msg"]
            .as_str()
            .unwrap()
            .contains("avatar.avatar_id 5")
    );
    let reply = api_post(&server, "/v2/create_video_from_avatar", &v2(81, "nope"));
    assert!(reply["msg"].as_str().unwrap().contains("voice.voice_id"));
    assert_eq!(
        api_post(
            &server,
            "/v2/create_video_from_avatar",
            &v2(81, "en-US-GuyNeural")
        )["code"],
        0
    );
    let template = json!({"template_id": 99999, "lang": "english", "template_type": "common",
                          "variables": []});
    let reply = api_post(&server, "/v1/create_video_with_template", &template);
    assert_eq!(reply["code"], 10104, "{reply}");
    let music = json!({"template_id": 136, "lang": "english", "template_type": "common",
                       "variables": [], "music_id": 4242});
    let reply = api_post(&server, "/v1/create_video_with_template", &music);
    assert_eq!(reply["code"], 10104, "{reply}");
    assert!(reply["msg"].as_str().unwrap().contains("music_id 4242"));
    // Nothing was created by the refused requests.
    assert_eq!(server.projects_created(), 0);
    assert_eq!(server.created("avatar_video"), 1);
}

#[test]
fn your_own_avatars_and_voices_are_known_too() {
    let server = start(0);
    let made = api_post(
        &server,
        "/v1/avatar/create",
        &json!({"origin_url": "https://example.com/me.mp4", "name": "Me"}),
    );
    let avatar = made["data"]["avatar_id"].clone();
    let custom_voice = api_get(&server, "/v2/voices/custom")["data"]["voices"][0]["voice_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body = talking(avatar, &custom_voice);
    body["avatar_type"] = json!(1);
    assert_eq!(api_post(&server, CREATE, &body)["code"], 0);
}

#[test]
fn accept_any_ids_takes_made_up_ids() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        accept_any_ids: true,
        ..MockConfig::default()
    })
    .unwrap();
    assert_eq!(
        api_post(&server, CREATE, &talking(json!(99999), "xx-NoSuchVoice"))["code"],
        0
    );
    let template = json!({"template_id": 99999, "lang": "english", "template_type": "common",
                          "variables": [], "music_id": 4242});
    assert_eq!(
        api_post(&server, "/v1/create_video_with_template", &template)["code"],
        0
    );
    // And from the command line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
        .args(["--accept-any-ids", "--render-ms", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_owned();
    let reply = send(
        &base,
        "POST",
        CREATE,
        true,
        Some(&talking(json!(99999), "x")),
    )
    .1;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(reply["code"], 0, "{reply}");
}
