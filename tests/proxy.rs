//! A configured proxy carries HTTPS requests: the client opens a CONNECT tunnel to the API's
//! host through it, and the proxy never sees the key.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use jogg::{Client, Config, Proxy};

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
