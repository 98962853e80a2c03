//! Threads sharing one client keep their connections: each request after the first on a
//! thread goes over a kept-alive connection, however many threads return theirs at once.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use jogg::{CreateTalkingAvatarVideo, VoiceFilter};

#[test]
fn eight_threads_reuse_eight_connections() {
    let server = common::mock(0);
    let client = common::client(&server);
    const THREADS: usize = 8;
    const ROUNDS: usize = 20;
    // Each round every thread makes one request, and no round starts before all eight have
    // finished the last one, so all eight connections are back in the pool together: a pool
    // that kept fewer idle connections than threads would open new ones every round.
    let barrier = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (client, barrier) = (client.clone(), Arc::clone(&barrier));
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    barrier.wait();
                    let voices = client.v1().voices().list(&VoiceFilter::default()).unwrap();
                    assert!(!voices.voices.is_empty());
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(server.requests().len(), THREADS * ROUNDS);
    let opened = server.connections_opened();
    assert!(
        opened <= THREADS as u64,
        "{opened} connections for {THREADS} threads"
    );
}

/// A server that answers each request as if the connection stayed open (no
/// `Connection: close`) and then closes it at once, reporting each close: what a server
/// does when it reaches its keep-alive limit or restarts.
fn closing_after_each_reply() -> (String, std::sync::mpsc::Receiver<()>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed, on_close) = std::sync::mpsc::channel();
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut head = Vec::new();
            let mut byte = [0u8];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
            let length = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let mut body = vec![0u8; length];
            if stream.read_exact(&mut body).is_err() {
                continue;
            }
            count.fetch_add(1, Ordering::SeqCst);
            let reply = r#"{"code":0,"msg":"Success","data":{"project_id":"p1"},"rid":"r1"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{reply}",
                reply.len()
            );
            drop(stream);
            if closed.send(()).is_err() {
                return;
            }
        }
    });
    (url, on_close, served)
}

/// A POST sent right after the server closed the kept-alive connection must not go out on
/// it: the pool checks the connection every time it hands one out, so the POST opens a new
/// one and succeeds. Sent on the closed one, it would fail as "maybe processed" although the
/// server never received it. No retries here, so a retry cannot hide it.
#[test]
fn a_post_right_after_the_server_closed_goes_on_a_fresh_connection() {
    let (url, on_close, served) = closing_after_each_reply();
    let mut config = common::config_no_retry(&url, "liveness-test-key");
    config.post_limit = 0;
    let client = jogg::Client::new(config).unwrap();
    let request = CreateTalkingAvatarVideo::from_script(81, "en-US-JennyNeural", "Hi");
    for i in 0..40 {
        let created = client.v1().videos().create_from_talking_avatar(&request);
        assert!(created.is_ok(), "POST {i}: {:?}", created.unwrap_err());
        // The server has closed the connection the reply came on before the next POST.
        on_close.recv().unwrap();
    }
    assert_eq!(served.load(Ordering::SeqCst), 40);
}
