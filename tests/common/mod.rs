//! Helpers shared by the integration tests: an in-process jogg-mock and clients for it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use jogg::mock::{MOCK_API_KEY, MockConfig, MockServer};
use jogg::{Client, Config, Proxy};

/// A mock whose renders take `render_ms`.
pub fn mock(render_ms: u64) -> MockServer {
    MockServer::start(MockConfig {
        render_ms,
        ..MockConfig::default()
    })
    .expect("mock starts on loopback")
}

pub fn mock_with(config: MockConfig) -> MockServer {
    MockServer::start(config).expect("mock starts on loopback")
}

pub fn config_for(base_url: &str, key: &str) -> Config {
    let mut c = Config::new(key).with_base_url(base_url);
    c.proxy = Proxy::None;
    c
}

pub fn client(server: &MockServer) -> Client {
    Client::new(config_for(&server.base_url(), MOCK_API_KEY)).expect("valid config")
}

/// A one-shot HTTP server on loopback that answers every request on its first connection
/// with `response` (raw bytes, status line included). For replies the mock never gives.
pub fn canned(response: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://{addr}")
}

/// An envelope response with a correct Content-Length.
pub fn http_response(status: &str, body: &str) -> &'static str {
    Box::leak(
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    )
}
