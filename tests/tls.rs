//! HTTPS as the real API speaks it, offline: jogg-mock serving TLS with a CA it makes, the
//! client trusting that CA through `ca_file` (or not at all), certificates that are expired
//! or for another name, a server that leaves mid-handshake, a host that does not resolve.
//! Every TLS refusal is `ErrorKind::Tls`, names the host and port, is never retried and never
//! "maybe processed": nothing was sent.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{TempDir, config_for, sample_bytes};
use jogg::{
    AvatarFilter, Client, Config, CreateTalkingAvatarVideo, ErrorKind, TlsRoots, UploadOptions,
    VoiceFilter, WaitOptions,
};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer, MockTls};

fn tls_mock(tls: MockTls) -> MockServer {
    MockServer::start(MockConfig {
        render_ms: 0,
        tls: Some(tls),
        ..MockConfig::default()
    })
    .expect("TLS mock starts")
}

/// A client of `server` that trusts its CA through `ca_file`.
fn trusting(server: &MockServer) -> Config {
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    config.ca_file = Some(server.ca_file().expect("a TLS mock has a CA file").into());
    config
}

fn create(client: &Client) -> jogg::Result<jogg::CreatedProject> {
    client
        .v1()
        .videos()
        .create_from_talking_avatar(&CreateTalkingAvatarVideo::from_script(
            81,
            "en-US-JennyNeural",
            "Hello over TLS",
        ))
}

/// What every refused handshake must look like: `ErrorKind::Tls` naming the server, never
/// retryable, never maybe processed, the server asked nothing, one connection for the three
/// attempts a default client may make.
fn assert_refused(server: &MockServer, e: &jogg::Error, words: &str) {
    let port = server.port();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(e.message().contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(e.message().contains(words), "{e}");
    assert!(
        !e.message().contains("Other(") && !e.message().contains("{"),
        "debug text: {e}"
    );
    assert!(!e.is_retryable() && !e.maybe_processed(), "{e}");
    assert_eq!(
        jogg::internals::ffi::failure::error_json(e)["name"],
        "JOGG_ERR_TLS"
    );
    assert_eq!(
        jogg::internals::ffi::failure::error_json(e)["retryable"],
        false
    );
    assert!(server.requests().is_empty(), "the server got a request");
    assert_eq!(server.connections_opened(), 1, "a TLS refusal was retried");
}

#[test]
fn the_mission_runs_over_https_with_the_ca_given_by_file() {
    let server = tls_mock(MockTls::default());
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    let client = Client::new(trusting(&server)).unwrap();
    let avatars = client
        .v1()
        .avatars()
        .list(&AvatarFilter::default())
        .unwrap();
    assert!(!avatars.avatars.is_empty());
    let voices = client.v1().voices().list(&VoiceFilter::default()).unwrap();
    assert!(!voices.voices.is_empty());
    let created = create(&client).unwrap();
    let project = client
        .wait_for_project(&created.project_id, &WaitOptions::default(), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    let url = project.video_url.expect("a rendered video");
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let dir = TempDir::new("tls-mission");
    let done = client
        .download(&url, dir.path("video.mp4"), |_| ControlFlow::Continue(()))
        .unwrap();
    assert!(done.bytes > 0);
    assert_eq!(
        std::fs::metadata(dir.path("video.mp4")).unwrap().len(),
        done.bytes
    );
    // Every request went over the one kept-alive TLS connection of the API, plus the
    // download's own.
    assert!(
        server.connections_opened() <= 3,
        "{}",
        server.connections_opened()
    );
}

#[test]
fn an_upload_goes_to_a_signed_https_url() {
    let server = tls_mock(MockTls::default());
    let mut config = trusting(&server);
    // The mock's CA alone is enough: nothing else is trusted.
    config.tls_roots = TlsRoots::CaFileOnly;
    let client = Client::new(config).unwrap();
    let dir = TempDir::new("tls-upload");
    let bytes = sample_bytes(300_000, 7);
    let source = dir.file("voice.mp3", &bytes);
    let asset = client
        .upload_asset(&source, &UploadOptions::default(), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    let put = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("the file was PUT");
    assert!(put.path.starts_with("/upload/"), "{}", put.path);
    assert_eq!(server.uploaded(&asset.asset_url), Some(bytes));
    assert!(asset.asset_url.starts_with("https://127.0.0.1:"));
}

#[test]
fn without_the_ca_the_handshake_is_refused_as_tls() {
    let server = tls_mock(MockTls::default());
    let mut config = config_for(&server.base_url(), MOCK_API_KEY);
    // Bundled roots: whatever this machine's store holds, the mock's fresh CA is not there.
    config.tls_roots = TlsRoots::Bundled;
    let client = Client::new(config).unwrap();
    let e = create(&client).unwrap_err();
    assert_refused(&server, &e, "unknown issuer");
}

#[test]
fn an_expired_certificate_is_refused_as_tls() {
    let server = tls_mock(MockTls {
        expired: true,
        ..MockTls::default()
    });
    let e = create(&Client::new(trusting(&server)).unwrap()).unwrap_err();
    assert_refused(&server, &e, "expired");
}

#[test]
fn a_certificate_for_another_name_is_refused_as_tls() {
    let server = tls_mock(MockTls {
        names: vec!["files.example.com".into()],
        ..MockTls::default()
    });
    let e = create(&Client::new(trusting(&server)).unwrap()).unwrap_err();
    assert_refused(&server, &e, "not valid for the name 127.0.0.1");
    assert!(e.message().contains("name mismatch"), "{e}");
}

#[test]
fn a_ca_file_that_cannot_be_read_fails_the_client_naming_it() {
    let mut config = Config::new("k").with_base_url("https://127.0.0.1:1");
    config.ca_file = Some("/nonexistent/corp-ca.pem".into());
    let e = Client::new(config).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert_eq!(e.field(), Some("ca_file"));
    assert!(e.message().contains("/nonexistent/corp-ca.pem"), "{e}");
}

/// A server that reads the client's first flight and closes: the handshake never completes.
#[test]
fn a_server_that_closes_mid_handshake_is_a_tls_error_and_nothing_was_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            // The ClientHello's record header, then its body, all read: closing with
            // nothing unread sends a FIN, as a server that gives up does.
            let mut header = [0u8; 5];
            if stream.read_exact(&mut header).is_err() {
                continue;
            }
            let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
            let mut body = vec![0u8; len];
            let _ = stream.read_exact(&mut body);
            assert_eq!(header[0], 22, "a TLS handshake record");
        }
    });
    let mut config = config_for(&format!("https://127.0.0.1:{port}"), MOCK_API_KEY);
    config.tls_roots = TlsRoots::Bundled;
    let e = create(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(e.message().contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(e.message().contains("handshake failure"), "{e}");
    assert!(!e.maybe_processed() && !e.is_retryable(), "{e}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "not retried");
}

/// A label longer than 63 bytes cannot be put in a DNS query: the system's resolver refuses
/// the name without asking any server (so this test stays on this machine), as it refuses a
/// name that does not exist.
#[test]
fn a_host_that_does_not_resolve_is_a_connect_error_naming_it_and_nothing_was_sent() {
    let host = format!("{}.example", "a".repeat(64));
    let mut config = config_for(&format!("https://{host}"), MOCK_API_KEY);
    config.max_retries = 0;
    let e = create(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(
        e.message().contains(&format!("cannot resolve {host}:443")),
        "{e}"
    );
    assert!(!e.maybe_processed(), "{e}");
    assert!(e.is_retryable(), "{e}");
}

#[test]
fn a_refused_connection_names_the_host_and_port() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = config_for(&format!("https://127.0.0.1:{port}"), MOCK_API_KEY);
    config.max_retries = 0;
    let e = create(&Client::new(config).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(
        e.message().contains(&format!(
            "cannot connect to 127.0.0.1:{port}: connection refused"
        )),
        "{e}"
    );
    assert!(!e.maybe_processed());
}
