//! Webhook delivery: when a project's render ends, POST a signed event to
//! every enabled endpoint of its owner that subscribed to it (api-notes §8).
//!
//! Renders end in simulated time that nobody polls, so one dispatcher thread
//! sleeps until the next render ends. Each delivery then runs on its own
//! thread, so a slow receiver or a retry pause never delays another event.
//! Everything waits on one condition variable, which shutdown signals: no
//! thread outlives the server by more than one in-flight request.
//!
//! Deliveries go to receivers on this machine only: `https://` loopback
//! endpoints, trusting the mock's own CA and `webhook_ca_file`, and `http://`
//! loopback ones (which the real API would refuse, D56). An endpoint on any
//! other host is skipped: the mock never sends to the network.
//!
//! For tests of receivers, a seeded share of deliveries can be lost (never
//! sent) and each delivery delayed by a fixed pause plus a seeded spread, so
//! that deliveries go missing and arrive out of order, reproducibly.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::Shared;
use crate::areas::{ENDPOINT, PROJECT, RenderStatus, project_status};
use crate::clock::splitmix64;

/// How long a receiver has to answer (v2 docs: 5 s).
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt (v1 docs: at most 3).
const RETRIES: u32 = 3;

/// One POST of an event to an endpoint, as a test hook reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub endpoint_id: String,
    pub url: String,
    pub event: String,
    pub event_id: String,
    /// 1 for the first try, up to 4 after three retries; 0 for a lost delivery.
    pub attempt: u32,
    /// The receiver's HTTP status; `None` when it could not be reached or did
    /// not answer in time, or the delivery was lost.
    pub status: Option<u16>,
    /// Lost on purpose ([`MockConfig::webhook_drop_rate`]): nothing was sent.
    ///
    /// [`MockConfig::webhook_drop_rate`]: crate::MockConfig::webhook_drop_rate
    pub dropped: bool,
    /// How long the delivery was held back before its first try: the configured delay plus
    /// its seeded share of the spread (0 for a lost one).
    pub delay_ms: u64,
}

/// The dispatcher's queue and the bookkeeping the test hooks read.
#[derive(Default)]
pub(crate) struct Hub {
    inner: Mutex<HubState>,
    changed: Condvar,
}

#[derive(Default)]
struct HubState {
    /// Renders still to end, earliest first: (end, sequence, project id).
    due: BinaryHeap<Reverse<(Instant, u64, String)>>,
    sequence: u64,
    /// Renders being turned into deliveries plus deliveries in progress.
    busy: usize,
    stopping: bool,
    attempts: Vec<DeliveryAttempt>,
    /// Deliveries drawn for loss and delay so far: the index of the next draw.
    draws: u64,
    /// Projects whose end has been announced: a render ended early by the control API is
    /// still in `due` at its simulated end, and must not be announced twice.
    announced: HashSet<String>,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Arranges for `project_id`'s outcome to be delivered at `at`.
    pub(crate) fn schedule(&self, at: Instant, project_id: String) {
        let mut state = self.lock();
        state.sequence += 1;
        let sequence = state.sequence;
        state.due.push(Reverse((at, sequence, project_id)));
        self.changed.notify_all();
    }

    /// Wakes every waiting thread and makes them return.
    pub(crate) fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }

    pub(crate) fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.lock().attempts.clone()
    }

    /// Forgets the renders still to end and the attempts made (the control API's reset).
    /// Deliveries already under way finish, and are recorded.
    pub(crate) fn clear(&self) {
        let mut state = self.lock();
        state.due.clear();
        state.attempts.clear();
        state.announced.clear();
        self.changed.notify_all();
    }

    /// Whether `project_id`'s end is still to be announced; marks it announced.
    fn first_announcement(&self, project_id: &str) -> bool {
        self.lock().announced.insert(project_id.to_owned())
    }

    /// Blocks until no render that has ended is waiting for delivery and no
    /// delivery is in progress, or until `timeout`. Returns whether that
    /// quiet state was reached.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let ended_waiting = state
                .due
                .peek()
                .is_some_and(|Reverse((at, _, _))| *at <= now);
            if state.busy == 0 && !ended_waiting {
                return true;
            }
            let Some(left) = deadline
                .checked_duration_since(now)
                .filter(|d| !d.is_zero())
            else {
                return false;
            };
            // A render may end while we wait: wake at the next end at the latest.
            let next_end = state
                .due
                .peek()
                .map(|Reverse((at, _, _))| at.saturating_duration_since(now));
            let pause = next_end
                .map_or(left, |d| d.min(left))
                .max(Duration::from_millis(1));
            state = self
                .changed
                .wait_timeout(state, pause)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Sleeps `pause` unless the server stops first; returns false if it did.
    fn pause(&self, pause: Duration) -> bool {
        let deadline = Instant::now() + pause;
        let mut state = self.lock();
        while !state.stopping {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return true;
            };
            state = self
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        false
    }

    /// The next seeded draw for a delivery, as a number from 0 to 1 and the raw bits.
    fn draw(&self, seed: u64) -> (f64, u64) {
        let n = {
            let mut state = self.lock();
            state.draws += 1;
            state.draws
        };
        // Its own stream, apart from the request faults drawn with the same seed.
        let bits = splitmix64(seed ^ splitmix64(n ^ 0x7765_6268_6f6f_6b73));
        ((bits >> 11) as f64 / (1u64 << 53) as f64, splitmix64(bits))
    }

    fn finish_one(&self) {
        let mut state = self.lock();
        state.busy = state.busy.saturating_sub(1);
        self.changed.notify_all();
    }
}

/// The dispatcher thread: sleeps until the next render ends, then fans its
/// event out to the subscribed endpoints.
pub(crate) fn run_dispatcher(shared: &Arc<Shared>) {
    let hub = &shared.hub;
    let mut state = hub.lock();
    while !state.stopping {
        let now = Instant::now();
        let next = state.due.peek().map(|Reverse((at, _, _))| *at);
        match next {
            Some(at) if at <= now => {
                let Some(Reverse((_, _, project_id))) = state.due.pop() else {
                    continue;
                };
                // Counted busy before the lock is released, so `wait_idle`
                // never sees the gap between "ended" and "being delivered".
                state.busy += 1;
                drop(state);
                dispatch(shared, &project_id);
                hub.finish_one();
                state = hub.lock();
            }
            Some(at) => {
                state = hub
                    .changed
                    .wait_timeout(state, at - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            None => {
                state = hub
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}

/// What every endpoint of one event receives.
struct Event {
    name: &'static str,
    event_id: String,
    body: Vec<u8>,
}

#[derive(Serialize)]
struct Payload<'a> {
    event_id: &'a str,
    event: &'a str,
    timestamp: u64,
    data: Value,
}

/// Where one event goes: a registered endpoint, as its record says.
struct Endpoint {
    id: String,
    url: String,
    secret: String,
    /// `v1` or `v2`: the API it was registered through picks the `User-Agent` (D52).
    version: String,
}

/// Builds the project's event (api-notes §8.3, v1 shapes) and starts one
/// delivery per subscribed endpoint.
fn dispatch(shared: &Arc<Shared>, project_id: &str) {
    if !shared.hub.first_announcement(project_id) {
        return;
    }
    let render_ms = shared.config.render_ms;
    let (outcome, duration, endpoints) = {
        let store = shared.store();
        let Some((owner, project)) = store.find_any(PROJECT, project_id) else {
            return;
        };
        let outcome = project_status(project, project.finishes_at(render_ms), render_ms);
        let duration = match outcome {
            RenderStatus::Success => project.data["duration"].clone(),
            _ => json!(0),
        };
        let endpoints: Vec<(String, Value)> = store
            .list(owner, ENDPOINT)
            .iter()
            .map(|r| (r.id.clone(), r.data.clone()))
            .collect();
        (outcome, duration, endpoints)
    };
    let event_id = format!("evt_{}", shared.ids.hex32());
    let (name, data) = match outcome {
        RenderStatus::Success => (
            "generated_video_success",
            json!({
                "project_id": project_id,
                "video_url": format!("{}/files/{project_id}.mp4", shared.base_url),
                "duration": duration,
            }),
        ),
        _ => (
            "generated_video_failed",
            json!({
                "project_id": project_id,
                "error": {"message": "Rendering failed: the script contains the failure marker"},
            }),
        ),
    };
    let payload = Payload {
        event_id: &event_id,
        event: name,
        timestamp: shared.clock.unix_seconds(),
        data,
    };
    let Ok(body) = serde_json::to_vec(&payload) else {
        return;
    };
    let event = Arc::new(Event {
        name,
        event_id,
        body,
    });
    let subscribed = endpoints.into_iter().filter(|(_, d)| {
        d["enabled"] == true
            && d["events"]
                .as_array()
                .is_some_and(|events| events.iter().any(|n| n == name))
    });
    for (id, data) in subscribed {
        let text = |member: &str| data[member].as_str().unwrap_or_default().to_owned();
        let endpoint = Endpoint {
            id,
            url: text("url"),
            secret: text("secret"),
            version: text("version"),
        };
        if loopback_target(&endpoint.url).is_none() {
            continue;
        }
        let config = &shared.config;
        let (unit, bits) = shared.hub.draw(config.fault_seed);
        if unit < config.webhook_drop_rate {
            shared.hub.lock().attempts.push(DeliveryAttempt {
                endpoint_id: endpoint.id,
                url: endpoint.url,
                event: event.name.to_owned(),
                event_id: event.event_id.clone(),
                attempt: 0,
                status: None,
                dropped: true,
                delay_ms: 0,
            });
            continue;
        }
        let spread = match config.webhook_delay_spread_ms {
            0 => 0,
            ms => bits % (ms + 1),
        };
        let delay_ms = config.webhook_delay_ms.saturating_add(spread);
        let delay = Duration::from_millis(delay_ms);
        shared.hub.lock().busy += 1;
        let shared_for_thread = Arc::clone(shared);
        let event = Arc::clone(&event);
        let spawned = thread::Builder::new()
            .name("jogg-mock-webhook".to_owned())
            .spawn(move || {
                if delay.is_zero() || shared_for_thread.hub.pause(delay) {
                    deliver(&shared_for_thread, &endpoint, &event, delay_ms);
                }
                shared_for_thread.hub.finish_one();
            });
        if spawned.is_err() {
            shared.hub.finish_one();
        }
    }
}

/// POSTs one event to one endpoint, retrying non-2xx answers and failures.
fn deliver(shared: &Shared, endpoint: &Endpoint, event: &Event, delay_ms: u64) {
    let signature = sign(&event.body, &endpoint.secret);
    let user_agent = match endpoint.version.as_str() {
        "v1" => "Jogg-Webhook/1.0",
        _ => "JoggAI-Webhook/2.0",
    };
    let headers = [
        ("Content-Type", "application/json"),
        ("User-Agent", user_agent),
        ("X-Webhook-Event", event.name),
        ("X-Webhook-Signature", signature.as_str()),
    ];
    let retry = Duration::from_millis(shared.config.webhook_retry_ms);
    for attempt in 1..=RETRIES + 1 {
        let status = post(shared, &endpoint.url, &headers, &event.body);
        shared.hub.lock().attempts.push(DeliveryAttempt {
            endpoint_id: endpoint.id.clone(),
            url: endpoint.url.clone(),
            event: event.name.to_owned(),
            event_id: event.event_id.clone(),
            attempt,
            status,
            dropped: false,
            delay_ms,
        });
        let delivered = status.is_some_and(|s| (200..300).contains(&s));
        if delivered || attempt > RETRIES || !shared.hub.pause(retry) {
            return;
        }
    }
}

/// Lowercase hex HMAC-SHA256 of the exact bytes sent, keyed with the secret.
pub(crate) fn sign(body: &[u8], secret: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A minimal HTTP/1.1 POST to an `http://` or `https://` loopback URL;
/// returns the status of the answer, or `None` if there was none in time (or
/// the receiver's certificate was not trusted).
fn post(shared: &Shared, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Option<u16> {
    let target = loopback_target(url)?;
    let stream = TcpStream::connect_timeout(&target.address, DELIVERY_TIMEOUT).ok()?;
    stream.set_read_timeout(Some(DELIVERY_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(DELIVERY_TIMEOUT)).ok()?;
    let mut head = format!("POST {} HTTP/1.1\r\nHost: {}\r\n", target.path, target.host);
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    if !target.tls {
        return exchange(stream, head.as_bytes(), body);
    }
    let name = target.host_name();
    let name = rustls::pki_types::ServerName::try_from(name).ok()?;
    let session =
        rustls::ClientConnection::new(Arc::clone(&shared.webhook_tls), name.to_owned()).ok()?;
    exchange(
        rustls::StreamOwned::new(session, stream),
        head.as_bytes(),
        body,
    )
}

/// Sends `head` and `body` on `stream` and reads the status of the answer.
fn exchange(mut stream: impl Read + Write, head: &[u8], body: &[u8]) -> Option<u16> {
    stream.write_all(head).ok()?;
    stream.write_all(body).ok()?;
    stream.flush().ok()?;
    let mut status_line = String::new();
    BufReader::new(stream).read_line(&mut status_line).ok()?;
    let mut parts = status_line.split(' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    parts.next()?.trim().parse().ok()
}

/// Where a delivery goes.
#[derive(Debug)]
struct Target {
    address: SocketAddr,
    /// The `Host` value: the URL's authority.
    host: String,
    /// The request target: path and query.
    path: String,
    tls: bool,
}

impl Target {
    /// The host without port or brackets: the name a certificate must hold.
    fn host_name(&self) -> String {
        let host = match self.host.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !host.is_empty() => {
                host
            }
            _ => &self.host,
        };
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned()
    }
}

/// The target of an `http://` or `https://` URL whose host is loopback;
/// `None` for anything else.
fn loopback_target(url: &str) -> Option<Target> {
    let (rest, tls, default_port) = match url.strip_prefix("https://") {
        Some(rest) => (rest, true, 443),
        None => (url.strip_prefix("http://")?, false, 80),
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    let with_port = if authority.rsplit_once(':').is_some_and(|(h, p)| {
        !h.is_empty() && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':')
    }) {
        authority.to_owned()
    } else {
        format!("{authority}:{default_port}")
    };
    let address = with_port
        .to_socket_addrs()
        .ok()?
        .find(|a| a.ip().is_loopback())?;
    Some(Target {
        address,
        host: authority.to_owned(),
        path,
        tls,
    })
}

/// Whether the mock accepts `url` for an endpoint: HTTPS as the real API
/// requires, or plain HTTP to this machine so local receivers can be tested.
pub(crate) fn acceptable_endpoint_url(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    is_loopback_http(url)
}

fn is_loopback_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        assert!(acceptable_endpoint_url("https://example.com/hook"));
        assert!(acceptable_endpoint_url("http://127.0.0.1:8080/hook"));
        assert!(acceptable_endpoint_url("http://localhost/hook"));
        assert!(acceptable_endpoint_url("http://[::1]:9/x"));
        assert!(!acceptable_endpoint_url("http://example.com/hook"));
        assert!(!acceptable_endpoint_url("ftp://127.0.0.1/x"));
        assert!(!acceptable_endpoint_url("https://"));
    }

    #[test]
    fn targets() {
        let t = loopback_target("http://127.0.0.1:9000/a/b?c=d").unwrap();
        assert_eq!(t.address.port(), 9000);
        assert_eq!(
            (t.host.as_str(), t.path.as_str()),
            ("127.0.0.1:9000", "/a/b?c=d")
        );
        assert!(!t.tls);
        let t = loopback_target("http://127.0.0.1:9000").unwrap();
        assert_eq!(t.path, "/");
        assert!(loopback_target("http://192.0.2.1:80/x").is_none());
        let t = loopback_target("https://localhost:8443/hook").unwrap();
        assert!(t.tls);
        assert_eq!(t.host_name(), "localhost");
        assert!(t.address.ip().is_loopback());
        let t = loopback_target("https://[::1]:8443/hook").unwrap();
        assert_eq!(t.host_name(), "::1");
        assert_eq!(
            loopback_target("https://127.0.0.1/")
                .unwrap()
                .address
                .port(),
            443
        );
        assert!(
            loopback_target("https://example.com/hook").is_none(),
            "never the network"
        );
    }

    #[test]
    fn signature_is_hex_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign(b"what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
