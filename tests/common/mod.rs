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

/// As `config_for`, without retries: for tests about how one reply is reported.
pub fn config_no_retry(base_url: &str, key: &str) -> Config {
    let mut c = config_for(base_url, key);
    c.max_retries = 0;
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

/// A loopback server answering its successive connections with `responses` in order (one
/// request per connection), then closing. Returns its URL and a counter of requests served.
pub fn scripted(
    responses: Vec<&'static str>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let served = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    thread::spawn(move || {
        for response in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (format!("http://{addr}"), served)
}

/// An envelope response with a correct Content-Length.
pub fn http_response(status: &str, body: &str) -> &'static str {
    http_response_with(status, "", body)
}

/// The same with extra header lines (each ending in `\r\n`).
pub fn http_response_with(status: &str, headers: &str, body: &str) -> &'static str {
    Box::leak(
        format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    )
}

/// A C-ABI client for the mock, to drive `jogg_call` from Rust exactly as C does.
pub struct CClient(*mut jogg::ffi::jogg_client);

impl CClient {
    pub fn new(server: &MockServer) -> CClient {
        let config = std::ffi::CString::new(format!(
            r#"{{"api_key": "{MOCK_API_KEY}", "base_url": "{}", "proxy": "none"}}"#,
            server.base_url()
        ))
        .unwrap();
        let mut client = std::ptr::null_mut();
        // SAFETY: valid C string and out pointer; error detail not requested.
        let rc = unsafe {
            jogg::ffi::jogg_client_new(config.as_ptr(), &mut client, std::ptr::null_mut())
        };
        assert_eq!(rc, jogg::ffi::JOGG_OK);
        CClient(client)
    }

    /// `jogg_call`: `Ok(data)` or `Err(error JSON)`, strings freed as the contract says.
    pub fn call(
        &self,
        operation: &str,
        request: &serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let op = std::ffi::CString::new(operation).unwrap();
        let req = std::ffi::CString::new(request.to_string()).unwrap();
        let mut out = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: live client, valid C strings, writable out slots.
        let rc =
            unsafe { jogg::ffi::jogg_call(self.0, op.as_ptr(), req.as_ptr(), &mut out, &mut err) };
        let take = |p: *mut std::ffi::c_char| {
            // SAFETY: a string returned by the library, read once then freed.
            let text = unsafe { std::ffi::CStr::from_ptr(p) }
                .to_str()
                .unwrap()
                .to_owned();
            unsafe { jogg::ffi::jogg_string_free(p) };
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        };
        if rc == jogg::ffi::JOGG_OK {
            assert!(err.is_null());
            Ok(take(out))
        } else {
            assert!(out.is_null());
            let e = take(err);
            assert_eq!(e["code"], rc);
            Err(e)
        }
    }
}

impl Drop for CClient {
    fn drop(&mut self) {
        // SAFETY: created by jogg_client_new, freed once.
        unsafe { jogg::ffi::jogg_client_free(self.0) };
    }
}
