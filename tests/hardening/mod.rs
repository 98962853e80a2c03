//! Scripted loopback servers for the fault matrix and the secrets tests: each connection gets
//! the next [`Action`] of a script (one request per connection), and every request is
//! recorded with its headers, so a test can count creates and look for the key.
//!
//! No sleeps: a slow server holds the connection until the client gives up and closes it;
//! every blocking read has a generous timeout only as a guard against a hung test.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use jogg::{Client, Config, LogLevel, LogSink, Proxy};

/// A guard on every blocking read of the servers: far longer than any client timeout here.
const GUARD: Duration = Duration::from_secs(30);

/// What the server does with one connection.
#[derive(Clone)]
pub enum Action {
    /// Answer with these raw bytes (status line included), then close.
    Respond(Vec<u8>),
    /// Read the request and answer nothing until the client closes the connection.
    Hold,
    /// Read the request, then reset the connection (RST, not FIN).
    Reset,
    /// A head announcing `Content-Length: announced` followed by only `body`, then close.
    Truncated { announced: usize, body: Vec<u8> },
    /// A 200 whose JSON-ish body is `len` bytes, with a Content-Length or chunked.
    Big { len: usize, chunked: bool },
    /// Anything else: the test's own code gets the connection and the request it carried.
    Custom(Handler),
}

/// What a [`Action::Custom`] runs: the connection, and the request already read from it.
pub type Handler = Arc<dyn Fn(&mut TcpStream, &Seen) + Send + Sync>;

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Respond(b) => write!(f, "Respond({} bytes)", b.len()),
            Action::Hold => f.write_str("Hold"),
            Action::Reset => f.write_str("Reset"),
            Action::Truncated { announced, .. } => write!(f, "Truncated({announced})"),
            Action::Big { len, chunked } => write!(f, "Big({len}, {chunked})"),
            Action::Custom(_) => f.write_str("Custom"),
        }
    }
}

impl Action {
    /// A custom action from a closure.
    pub fn custom(f: impl Fn(&mut TcpStream, &Seen) + Send + Sync + 'static) -> Action {
        Action::Custom(Arc::new(f))
    }

    /// A 200 head announcing `len` bytes, then one byte every `every` until `len` are sent or
    /// the client goes away: a body that never stalls long enough for a per-read timeout.
    pub fn trickle(len: usize, every: Duration) -> Action {
        Action::custom(move |stream, _| {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for _ in 0..len {
                // The hostile server's pace, not a synchronisation: it sends slowly on purpose.
                thread::sleep(every);
                if stream.write_all(b"x").is_err() {
                    return;
                }
            }
        })
    }
}

/// One request a scripted server received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub request_line: String,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The whole request as text, for "is the key anywhere in it".
    pub fn text(&self) -> String {
        let mut t = self.request_line.clone();
        for (k, v) in &self.headers {
            t.push_str(&format!("\n{k}: {v}"));
        }
        t.push('\n');
        t.push_str(&String::from_utf8_lossy(&self.body));
        t
    }
}

/// A server running a script. Connections beyond the script are refused (the listener is
/// closed once the script is done).
pub struct Scripted {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    worker: Option<thread::JoinHandle<()>>,
}

impl Scripted {
    pub fn start(actions: Vec<Action>) -> Scripted {
        Scripted::start_on("127.0.0.1", actions)
    }

    /// On another loopback address (`127.0.0.2`): another host, for redirect tests.
    pub fn start_on(ip: &str, actions: Vec<Action>) -> Scripted {
        let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let worker = thread::spawn(move || {
            for action in actions {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                serve(stream, action, &log);
            }
        });
        Scripted {
            url,
            seen,
            worker: Some(worker),
        }
    }

    /// Requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Waits until the script has run to its end (every connection served).
    pub fn finish(mut self) -> Vec<Seen> {
        if let Some(w) = self.worker.take() {
            w.join().expect("server thread");
        }
        self.seen()
    }
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    if request_line.is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        request_line: request_line.trim_end().to_string(),
        headers,
        body,
    })
}

fn serve(mut stream: TcpStream, action: Action, log: &Mutex<Vec<Seen>>) {
    stream.set_read_timeout(Some(GUARD)).ok();
    stream.set_write_timeout(Some(GUARD)).ok();
    let Some(seen) = read_request(&stream) else {
        return;
    };
    let seen_copy = seen.clone();
    log.lock().unwrap().push(seen);
    match action {
        Action::Respond(bytes) => {
            let _ = stream.write_all(&bytes);
        }
        Action::Hold => {
            // Until the client gives up: EOF or an error ends the read.
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
        }
        Action::Reset => reset(&stream),
        Action::Custom(f) => f(&mut stream, &seen_copy),
        Action::Truncated { announced, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: gw-truncated\r\nContent-Length: {announced}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
        Action::Big { len, chunked } => {
            let framing = if chunked {
                "Transfer-Encoding: chunked".to_string()
            } else {
                format!("Content-Length: {len}")
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: gw-big\r\n{framing}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            // `{"data":"aaaa...` never closed: the client must stop at its limit anyway.
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            let _ = stream.write_all(b"");
            while sent < len {
                let n = chunk.len().min(len - sent);
                let ok = if chunked {
                    stream
                        .write_all(format!("{n:x}\r\n").as_bytes())
                        .and_then(|()| stream.write_all(&chunk[..n]))
                        .and_then(|()| stream.write_all(b"\r\n"))
                } else {
                    stream.write_all(&chunk[..n])
                };
                if ok.is_err() {
                    return; // the client stopped reading: what we want
                }
                sent += n;
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n");
            }
        }
    }
}

/// Closes with RST: SO_LINGER on, timeout 0.
fn reset(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A full HTTP response with a JSON body and a gateway request id header.
pub fn respond(status: &str, extra_headers: &str, body: &str) -> Action {
    Action::Respond(
        format!(
            "HTTP/1.1 {status}\r\n{extra_headers}X-Request-Id: gw-1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A successful envelope.
pub fn ok(data: &str) -> Action {
    respond(
        "200 OK",
        "",
        &format!(r#"{{"code":0,"msg":"Success","data":{data},"rid":"rid-ok"}}"#),
    )
}

/// Log lines collected from a client's sink.
#[derive(Clone, Default)]
pub struct Lines(Arc<Mutex<Vec<(LogLevel, String)>>>);

impl Lines {
    pub fn sink(&self) -> LogSink {
        let lines = self.0.clone();
        LogSink::new(move |level, line| lines.lock().unwrap().push((level, line.to_string())))
    }

    pub fn all(&self) -> Vec<(LogLevel, String)> {
        self.0.lock().unwrap().clone()
    }
}

/// A client for `url`: no proxy, one retry, 400 ms per request, no POST pacing, debug log
/// into `lines`.
pub fn client(url: &str, key: &str, lines: &Lines) -> Client {
    let mut c = Config::new(key).with_base_url(url);
    c.proxy = Proxy::None;
    c.max_retries = 1;
    c.timeout = Duration::from_millis(400);
    c.connect_timeout = Duration::from_millis(400);
    c.post_limit = 0;
    c.log = LogLevel::Debug;
    c.log_sink = Some(lines.sink());
    Client::new(c).expect("valid config")
}

/// Runs `f` on another thread and fails the test if it takes longer than `limit`: the
/// "never a hang" check, not a timing goal.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the call did not return within {limit:?}: a hang"))
}

/// A server for one connection that the test drives from the start (before the request is
/// read): for a client that must be caught in the middle of sending. Returns its URL.
pub fn serve_raw(handler: impl FnOnce(TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            stream.set_read_timeout(Some(GUARD)).ok();
            stream.set_write_timeout(Some(GUARD)).ok();
            handler(stream);
        }
    });
    url
}

/// Reads an HTTP request head (through the blank line) from `stream`, byte by byte so that
/// nothing of the body is consumed. Returns it with names lowercased.
pub fn read_head(stream: &mut TcpStream) -> Option<Seen> {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Seen {
        request_line,
        headers,
        body: Vec::new(),
    })
}
