//! Helpers shared by the integration tests: an in-process jogg-mock and clients for it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use jogg::{Client, Config, Proxy};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};

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

/// Starts a talking-avatar video with the mock catalogue's avatar and voice; its project id.
pub fn create_video(c: &Client, script: &str) -> jogg::Result<String> {
    c.v1()
        .videos()
        .create_from_talking_avatar(&jogg::CreateTalkingAvatarVideo::from_script(
            81,
            "en-US-JennyNeural",
            script,
        ))
        .map(|p| p.project_id)
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
pub struct CClient(*mut jogg::internals::ffi::jogg_client);

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
            jogg::internals::ffi::jogg_client_new(
                config.as_ptr(),
                &mut client,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(rc, jogg::internals::ffi::JOGG_OK);
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
        let rc = unsafe {
            jogg::internals::ffi::jogg_call(self.0, op.as_ptr(), req.as_ptr(), &mut out, &mut err)
        };
        let take = |p: *mut std::ffi::c_char| {
            // SAFETY: a string returned by the library, read once then freed.
            let text = unsafe { std::ffi::CStr::from_ptr(p) }
                .to_str()
                .unwrap()
                .to_owned();
            unsafe { jogg::internals::ffi::jogg_string_free(p) };
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        };
        if rc == jogg::internals::ffi::JOGG_OK {
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
        unsafe { jogg::internals::ffi::jogg_client_free(self.0) };
    }
}

/// A directory under the system temp dir, removed with its contents on drop.
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("jogg-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }

    /// Writes `bytes` to a new file `name` and returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Deterministic bytes that are not a repeated pattern, so an offset error shows.
pub fn sample_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// One request a [`Receiver`] got.
#[derive(Debug)]
pub struct Received {
    pub request_line: String,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status it was answered with.
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A webhook receiver on loopback: answers the n-th request with `statuses[n]` (the last
/// status repeats) and hands every request to the test through a channel.
pub struct Receiver {
    pub url: String,
    requests: std::sync::mpsc::Receiver<Received>,
}

impl Receiver {
    pub fn start(statuses: &[u16]) -> Receiver {
        Receiver::serve(statuses, None)
    }

    /// As [`Receiver::start`], over HTTPS with this server config (a certificate from the
    /// mock's authority, so that its deliveries trust it).
    pub fn start_tls(statuses: &[u16], tls: std::sync::Arc<rustls::ServerConfig>) -> Receiver {
        Receiver::serve(statuses, Some(tls))
    }

    fn serve(statuses: &[u16], tls: Option<std::sync::Arc<rustls::ServerConfig>>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}/hook", listener.local_addr().expect("addr"));
        let statuses = statuses.to_vec();
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { return };
                stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
                let status = *statuses.get(n).or(statuses.last()).unwrap_or(&200);
                let received = match &tls {
                    None => receive(stream, status),
                    Some(config) => {
                        let session = rustls::ServerConnection::new(config.clone()).expect("TLS");
                        receive(rustls::StreamOwned::new(session, stream), status)
                    }
                };
                let Some(received) = received else { continue };
                if tx.send(received).is_err() {
                    return;
                }
            }
        });
        Receiver { url, requests: rx }
    }

    /// The next request, waiting at most 20 s (a failure guard, not a pacing sleep).
    pub fn next(&self) -> Received {
        self.requests
            .recv_timeout(Duration::from_secs(20))
            .expect("a webhook delivery within 20 s")
    }

    /// The next request, or `None` if none comes within `timeout`.
    pub fn next_within(&self, timeout: Duration) -> Option<Received> {
        self.requests.recv_timeout(timeout).ok()
    }

    /// Requests already received, without waiting.
    pub fn pending(&self) -> Vec<Received> {
        self.requests.try_iter().collect()
    }
}

/// Reads one request from `stream` and answers it with `status`; `None` when it did not
/// arrive whole.
fn receive(stream: impl Read + Write, status: u16) -> Option<Received> {
    use std::io::{BufRead, BufReader};
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let writer = reader.get_mut();
    let _ = writer.write_all(
        format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    let _ = writer.flush();
    Some(Received {
        request_line: request_line.trim_end().to_string(),
        headers,
        body,
        answered: status,
    })
}
