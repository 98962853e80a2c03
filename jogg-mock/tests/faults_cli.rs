//! Faults asked for by any HTTP client: by request header, and by rule on the command line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use jogg_mock::{FAULT_HEADER, FaultKind, MOCK_API_KEY, MockConfig, MockServer};
use serde_json::Value;

fn server() -> MockServer {
    MockServer::start(MockConfig {
        render_ms: 0,
        ..MockConfig::default()
    })
    .expect("the mock starts on a free loopback port")
}

// ---------------------------------------------------------------------------------------------
// Asking by header (any HTTP client) and from the binary.

fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get_with_header(agent: &ureq::Agent, url: &str, fault: &str) -> (u16, String, Vec<String>) {
    let mut response = agent
        .get(url)
        .header("x-api-key", MOCK_API_KEY)
        .header(FAULT_HEADER, fault)
        .call()
        .unwrap();
    let headers = ["content-type", "retry-after", "x-ratelimit-remaining"]
        .iter()
        .map(|h| {
            response
                .headers()
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap(),
        headers,
    )
}

#[test]
fn a_request_header_asks_for_a_fault() {
    let server = server();
    let agent = raw_agent();
    let url = format!("{}/v1/avatars", server.base_url());
    let (status, body, headers) = get_with_header(&agent, &url, "http5xx;status=503;times=1");
    assert_eq!(status, 503);
    assert!(headers[0].starts_with("text/html"), "{headers:?}");
    assert!(body.contains("<html>"));
    // Same request, same fault text: its one failure is spent.
    let (status, body, _) = get_with_header(&agent, &url, "http5xx;status=503;times=1");
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], 0);

    let (status, body, headers) = get_with_header(&agent, &url, "http429;retry_after=3");
    assert_eq!(status, 429);
    assert_eq!(headers[1..], ["3", "0"]);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], 429);

    let (status, body, _) = get_with_header(&agent, &url, "api50000");
    assert_eq!((status, body.contains(r#""code":50000"#)), (200, true));

    // A typo is refused, not served as if no fault had been asked for.
    let (status, body, _) = get_with_header(&agent, &url, "http600");
    assert_eq!(status, 400);
    assert!(body.contains("X-Jogg-Mock-Fault"), "{body}");
    assert_eq!(server.faults_injected(), 3);
}

#[test]
fn the_binary_takes_fault_rules_and_documents_them() {
    let exe = env!("CARGO_BIN_EXE_jogg-mock");
    let help = Command::new(exe).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for word in FaultKind::all().map(FaultKind::name) {
        assert!(help.contains(word), "--help lacks {word}");
    }
    for word in [
        FAULT_HEADER,
        "--fault-rate",
        "--fault-seed",
        "times=N",
        "fixed",
        "--webhook-drop-rate",
        "--webhook-delay-ms",
        "--webhook-delay-spread-ms",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let bad = Command::new(exe)
        .args(["--webhook-drop-rate", "1.5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--webhook-drop-rate"));
    let ran = Command::new(exe)
        .args([
            "--webhook-drop-rate=0.1",
            "--webhook-delay-ms",
            "20",
            "--webhook-delay-spread-ms=30",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert!(ran.status.success(), "{ran:?}");
    let bad = Command::new(exe)
        .args(["--fault", "GET /v1/avatars http600"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown fault"));

    let mut child = Command::new(exe)
        .args([
            "--fault",
            "GET /v1/avatars http5xx;times=1",
            "--fault-rate=0",
            "--faults",
            "slow;ms=10,http5xx",
            "--post-window-kind",
            "fixed",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The banner is on stderr.
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_owned();
    let agent = raw_agent();
    let get = || {
        agent
            .get(format!("{base}/v1/avatars"))
            .header("x-api-key", MOCK_API_KEY)
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    let statuses = [get(), get()];
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(statuses, [500, 200]);
}
