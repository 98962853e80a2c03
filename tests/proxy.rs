//! A configured proxy carries HTTPS requests: the client opens a CONNECT tunnel to the API's
//! host through it, and the proxy never sees the key.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use jogg::{Client, Config, ErrorKind, LogLevel, LogSink, Proxy, VoiceFilter};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer, MockTls};

const KEY: &str = "proxy-test-key-5f0c9e";

/// A proxy on loopback that reads one request head and refuses it with a 502. Its thread
/// returns the head, or nothing if no client came within 10 s.
fn refusing_proxy() -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut stream = loop {
            match listener.accept() {
                Ok((stream, _)) => break stream,
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                Err(_) => return String::new(),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = stream.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, handle)
}

#[test]
fn https_goes_through_a_connect_tunnel_and_the_proxy_never_sees_the_key() {
    let (proxy, seen) = refusing_proxy();
    let mut config = Config::new(KEY).with_base_url("https://api.jogg.ai");
    config.proxy = Proxy::Url(proxy);
    config.max_retries = 0;
    let client = Client::new(config).unwrap();
    let err = client.v1().projects().get("p1").unwrap_err();
    let head = seen.join().unwrap();
    assert!(
        head.starts_with("CONNECT api.jogg.ai:443 HTTP/1.1\r\n"),
        "the proxy got {head:?}"
    );
    assert!(!head.contains(KEY), "the key reached the proxy: {head:?}");
    assert!(!err.message().contains(KEY));
}

const PROXY_USER: &str = "corp-user";
const PROXY_PASSWORD: &str = "pr0xy-S3CRET-pw";

/// A CONNECT proxy on loopback that wants Basic credentials: a CONNECT without them, or with
/// others, gets 407; with them, a tunnel to the loopback port asked for. Returns its port and
/// every request head it received.
fn authenticating_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    let wanted = base64(&format!("{PROXY_USER}:{PROXY_PASSWORD}"));
    thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let mut head = Vec::new();
            let mut byte = [0u8];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            seen.lock().unwrap().push(head.clone());
            // The header's name and scheme in any case; the credentials exactly.
            let authorized = head.lines().any(|l| {
                l.split_once(':').is_some_and(|(name, value)| {
                    name.eq_ignore_ascii_case("proxy-authorization")
                        && value.trim().split_once(' ').is_some_and(|(scheme, creds)| {
                            scheme.eq_ignore_ascii_case("basic") && creds == wanted
                        })
                })
            });
            // Only ever a tunnel to this machine.
            let target = head
                .strip_prefix("CONNECT 127.0.0.1:")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|p| p.parse::<u16>().ok());
            let (true, Some(target)) = (authorized, target) else {
                let _ = client.write_all(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                      Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n",
                );
                continue;
            };
            let Ok(upstream) = TcpStream::connect(("127.0.0.1", target)) else {
                let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
                continue;
            };
            let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
            pipe(client, upstream);
        }
    });
    (port, heads)
}

/// Copies bytes both ways until either side closes.
fn pipe(a: TcpStream, b: TcpStream) {
    let (mut a2, mut b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let (mut a, mut b) = (a, b);
    thread::spawn(move || {
        let _ = std::io::copy(&mut a2, &mut b2);
        let _ = b2.shutdown(std::net::Shutdown::Write);
    });
    thread::spawn(move || {
        let _ = std::io::copy(&mut b, &mut a);
        let _ = a.shutdown(std::net::Shutdown::Write);
    });
}

fn base64(text: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A client of the TLS mock through the proxy, with these proxy credentials, logging every
/// line to `lines`.
fn through_proxy(
    server: &MockServer,
    proxy_port: u16,
    password: &str,
    lines: &Arc<Mutex<Vec<String>>>,
) -> Client {
    let mut config = Config::new(MOCK_API_KEY).with_base_url(server.base_url());
    config.proxy = Proxy::Url(format!(
        "http://{PROXY_USER}:{password}@127.0.0.1:{proxy_port}"
    ));
    config.ca_file = Some(server.ca_file().unwrap().into());
    config.max_retries = 0;
    config.log = LogLevel::Debug;
    let sink = Arc::clone(lines);
    config.log_sink = Some(LogSink::new(move |_, line| {
        sink.lock().unwrap().push(line.to_string())
    }));
    Client::new(config).unwrap()
}

#[test]
fn https_goes_through_a_proxy_that_wants_basic_credentials() {
    let server = MockServer::start(MockConfig {
        tls: Some(MockTls::default()),
        ..MockConfig::default()
    })
    .unwrap();
    let (proxy_port, heads) = authenticating_proxy();
    let lines = Arc::new(Mutex::new(Vec::new()));

    let client = through_proxy(&server, proxy_port, PROXY_PASSWORD, &lines);
    let voices = client.v1().voices().list(&VoiceFilter::default()).unwrap();
    assert!(!voices.voices.is_empty());
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1, "one tunnel: {heads:?}");
    assert!(
        heads[0].starts_with(&format!("CONNECT 127.0.0.1:{} HTTP/1.1\r\n", server.port())),
        "{heads:?}"
    );
    assert!(
        !heads[0].contains(MOCK_API_KEY),
        "the key reached the proxy"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "the request went through the tunnel"
    );

    // Wrong credentials: a connect error naming the proxy, nothing sent, and the password
    // (in clear or in Basic form) in no error and no log line.
    let wrong = "wr0ng-S3CRET-pw";
    let client = through_proxy(&server, proxy_port, wrong, &lines);
    let e = client
        .v1()
        .videos()
        .create_from_talking_avatar(&jogg::CreateTalkingAvatarVideo::from_script(
            81,
            "en-US-JennyNeural",
            "Hi",
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(
        e.message()
            .contains(&format!("through the proxy 127.0.0.1:{proxy_port}")),
        "{e}"
    );
    assert!(e.message().contains("407"), "{e}");
    assert!(!e.maybe_processed(), "{e}");
    assert_eq!(server.requests().len(), 1, "nothing more reached the API");
    let shown = format!(
        "{e} {e:?} {}",
        jogg::internals::ffi::failure::error_json(&e)
    );
    let lines = lines.lock().unwrap().join("\n");
    assert!(!lines.is_empty());
    for secret in [
        PROXY_PASSWORD.to_string(),
        wrong.to_string(),
        base64(&format!("{PROXY_USER}:{wrong}")),
        base64(&format!("{PROXY_USER}:{PROXY_PASSWORD}")),
    ] {
        assert!(!shown.contains(&secret), "{secret} in {shown}");
        assert!(!lines.contains(&secret), "{secret} in the log:\n{lines}");
    }
}

/// A proxy that is not there: a connect error that says it was the proxy that could not be
/// reached, and nothing of its credentials.
#[test]
fn an_unreachable_proxy_is_named_without_its_credentials() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = Config::new(MOCK_API_KEY).with_base_url("https://api.jogg.ai");
    config.proxy = Proxy::Url(format!(
        "http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"
    ));
    config.max_retries = 0;
    let e = Client::new(config)
        .unwrap()
        .v1()
        .projects()
        .get("p1")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(
        e.message().contains(&format!(
            "cannot connect to the proxy 127.0.0.1:{port}: connection refused"
        )),
        "{e}"
    );
    assert!(!format!("{e:?}").contains(PROXY_PASSWORD));
}
