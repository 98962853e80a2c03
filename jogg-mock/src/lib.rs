//! `jogg-mock`: a local simulator of the Jogg.ai HTTP API.
//!
//! Why it exists: the client must be testable (and demoable) without a real
//! API key, credits or network access. The mock serves every operation of the
//! API description ([`description`], built from the vendor's specs) with the
//! real response envelope, key check, POST rate limit and a simulated render
//! clock, plus: fake media under `/files/` with `Range` support, signed upload
//! URLs that accept PUT, and signed webhook deliveries when renders end.
//!
//! Contract highlights (details in `routes`, `api`, `files`, `webhooks`):
//! - every JSON answer is `{code, msg, data, rid}` with a fresh 32-hex `rid`;
//! - business errors are HTTP 200 with `code != 0` unless
//!   [`MockConfig::http_errors`] is set (D1);
//! - every request is judged against the API description, never against the
//!   client library's own checks: what the description refuses gets 40000
//!   naming the member;
//! - webhook endpoints may be `http://` loopback URLs (the real API requires
//!   HTTPS), so receivers on this machine get deliveries;
//! - faults (5xx, 50000, 429, slow or dropped answers, broken bodies, cut
//!   downloads) are injected on request, by rule or at a seeded rate (`faults`);
//!   webhook deliveries can be lost at a seeded rate and delayed (`webhooks`).
//! - a create naming an avatar, voice, template, music track or visual style
//!   the mock does not have gets the API's 10104, unless
//!   [`MockConfig::accept_any_ids`];
//! - a control API under `/_mock/` (`control`: the request log, reset, ending
//!   tasks on demand, webhook deliveries) lets a test suite in any language use
//!   the mock as its test double; it is not API traffic (not logged, limited or
//!   faulted).
//!
//! One router (`routes`) sends each request to the handler of its operation
//! (`areas`, one per operation of the description) or to the mock's own files
//! and uploads; one store (`store`) keeps every record; one fault system
//! (`faults`) breaks replies on purpose.
//!
//! The HTTP server is hand-written on `std` (a thread per connection) so that
//! transport faults can be injected. The crate only uses `std`, `serde`,
//! `serde_json` and RustCrypto's `hmac`/`sha2` (to sign deliveries).

mod api;
mod areas;
mod catalog;
mod clock;
mod control;
pub mod description;
mod envelope;
mod faults;
mod files;
mod http;
mod limiter;
mod routes;
mod store;
pub mod tls;
mod webhooks;

pub use faults::{FAULT_HEADER, Fault, FaultKind, FaultRule};
pub use tls::{Authority, Identity, Validity};
pub use webhooks::DeliveryAttempt;

use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The API key the mock accepts by default. It is deliberately not a real
/// key shape, so a leaked log line can never be mistaken for a credential.
pub const MOCK_API_KEY: &str = "jogg-mock-key";

/// How long an idle keep-alive connection (or a stalled request) may wait
/// for bytes before its thread gives up and closes it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Bound on a blocked write, so a client that stops reading cannot pin a
/// thread forever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for its wake-up connection to the listener.
const WAKE_TIMEOUT: Duration = Duration::from_secs(1);
/// Pause after a failed `accept` (e.g. out of file descriptors) so the
/// accept loop backs off instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);
/// Bounds on the input drained after refusing a request (see `linger`).
const LINGER_TIME: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1024 * 1024;

/// Settings for one [`MockServer`]. Start from [`MockConfig::default`] and
/// override what a test needs, e.g. `render_ms: 0` for instant results.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// TCP port; 0 lets the OS choose (read it back with
    /// [`MockServer::port`]). The server always binds 127.0.0.1 only, so it
    /// is never reachable from other machines.
    pub port: u16,
    /// Accepted `x-api-key` values; any other key (or none) gets `10105`.
    /// Projects are private to the key that created them.
    pub api_keys: Vec<String>,
    /// Simulated total render time of a project, in milliseconds. Status
    /// goes start (first 10 %), waiting (to 25 %), processing, then success
    /// or failed. 0 makes every project terminal immediately.
    pub render_ms: u64,
    /// POST requests allowed per key within [`MockConfig::post_window_ms`]
    /// (the documented service limit is 20 a minute). GETs are never limited.
    pub post_limit: u32,
    /// Length of the rate-limit window, in milliseconds.
    pub post_window_ms: u64,
    /// How the window counts: sliding (any `post_window_ms` span) or fixed (consecutive
    /// spans from the first POST). The service does not document which it uses.
    pub post_window_kind: PostWindow,
    /// A script containing this text renders to status 5 (failed), to test
    /// failure handling. An empty marker disables this.
    pub fail_marker: String,
    /// `false`: business errors are HTTP 200 with `code != 0` (the service's
    /// usual behaviour). `true`: the same body with HTTP 400/401/404/429/500,
    /// to test a client's handling of non-2xx statuses.
    pub http_errors: bool,
    /// Pause before each of the (at most 3) retries of a webhook delivery
    /// that got no 2xx answer, in milliseconds (documented: 5000).
    pub webhook_retry_ms: u64,
    /// Fault rules: requests matching a rule's method and path get its fault (see
    /// [`Fault`] for the kinds; [`MockServer::add_fault`] adds rules to a running server).
    pub faults: Vec<FaultRule>,
    /// Probability, from 0 to 1, that an API request (`/v1/`, `/v2/`) gets a random fault
    /// from `fault_kinds`. Requests with a fault header or rule are not drawn.
    pub fault_rate: f64,
    /// The faults drawn by `fault_rate`, with equal chances; empty: every kind with its
    /// default parameters.
    pub fault_kinds: Vec<Fault>,
    /// Seed of the `fault_rate` draws: with the same seed and the same order of requests,
    /// the same requests fail the same way. The webhook draws below use it too.
    pub fault_seed: u64,
    /// Serve HTTPS instead of HTTP (see [`MockTls`]); `None`: plain HTTP.
    pub tls: Option<MockTls>,
    /// CA certificates (a PEM file) that webhook deliveries to `https://` loopback receivers
    /// trust, besides the mock's own CA ([`MockServer::authority`]).
    pub webhook_ca_file: Option<PathBuf>,
    /// Share, from 0 to 1, of webhook deliveries (one event to one endpoint) that are lost:
    /// never sent, as when the receiver was down through every retry. Drawn with
    /// `fault_seed`, in the order renders end; [`MockServer::webhook_attempts`] lists the
    /// lost ones with `dropped` set.
    pub webhook_drop_rate: f64,
    /// Pause before each delivery's first attempt, in milliseconds.
    pub webhook_delay_ms: u64,
    /// Each delivery also waits a share of this, drawn with `fault_seed` from 0 to it, in
    /// milliseconds: deliveries then arrive out of the order their renders ended in.
    pub webhook_delay_spread_ms: u64,
    /// `false` (the default): a create that names an avatar, voice, template, music track or
    /// visual style the mock does not have (its catalogue, or the caller's own avatars) is
    /// refused with the API's "record not found" (10104), so a test catches a wrong id.
    /// `true`: any id is taken, for tests written with a real account's ids.
    pub accept_any_ids: bool,
}

/// How the mock serves HTTPS. It makes a CA of its own when it starts
/// ([`MockServer::authority`]) and serves a certificate that CA signs; a client trusts the
/// mock by trusting that CA ([`MockServer::ca_file`]). Every URL the mock hands out (files,
/// signed upload URLs) is then `https://` too.
#[derive(Clone, Debug, Default)]
pub struct MockTls {
    /// The names the served certificate is for; empty: 127.0.0.1, ::1 and localhost. A name
    /// the client does not ask for tests its name check.
    pub names: Vec<String>,
    /// Serve a certificate that expired (valid during 2020 only).
    pub expired: bool,
    /// Where to write the CA certificate (PEM); `None`: a file in the temporary directory,
    /// removed when the server stops.
    pub ca_file: Option<PathBuf>,
}
/// How the POST rate limit counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PostWindow {
    /// At most `post_limit` POSTs in any span of `post_window_ms`.
    #[default]
    Sliding,
    /// At most `post_limit` POSTs in each of the consecutive spans of `post_window_ms` that
    /// start at the first POST the server sees; the count restarts at each boundary.
    Fixed,
}

impl std::str::FromStr for PostWindow {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "sliding" => Ok(PostWindow::Sliding),
            "fixed" => Ok(PostWindow::Fixed),
            _ => Err(format!("window kind {text:?} is not sliding or fixed")),
        }
    }
}

impl Default for MockConfig {
    /// Mirrors the real service where it documents a value (20 POSTs a
    /// minute per key, webhook retries 5 s apart) and otherwise picks values
    /// that keep demos snappy:
    /// OS-chosen port, the [`MOCK_API_KEY`] key, 3 s renders, HTTP 200
    /// business errors and `FAIL_RENDER` as the failure marker.
    fn default() -> Self {
        MockConfig {
            port: 0,
            api_keys: vec![MOCK_API_KEY.to_owned()],
            render_ms: 3000,
            post_limit: 20,
            post_window_ms: 60_000,
            post_window_kind: PostWindow::Sliding,
            fail_marker: "FAIL_RENDER".to_owned(),
            http_errors: false,
            webhook_retry_ms: 5000,
            faults: Vec::new(),
            fault_rate: 0.0,
            fault_kinds: Vec::new(),
            fault_seed: 0,
            tls: None,
            webhook_ca_file: None,
            webhook_drop_rate: 0.0,
            webhook_delay_ms: 0,
            webhook_delay_spread_ms: 0,
            accept_any_ids: false,
        }
    }
}

/// A request as the mock received it, so tests can assert on exactly what a
/// client sent (headers, query encoding, body bytes).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Request method, e.g. `GET`.
    pub method: String,
    /// Path without the query string, as sent (not percent-decoded).
    pub path: String,
    /// Query parameters in order, percent-decoded (`+` becomes a space).
    pub query: Vec<(String, String)>,
    /// Headers in order; names lowercased, values trimmed.
    pub headers: Vec<(String, String)>,
    /// Raw body bytes.
    pub body: Vec<u8>,
    /// The API operation the path resolved to (`v1.get_project`), if any.
    pub operation: Option<String>,
    /// The HTTP status answered; `None` when the connection was closed without an answer
    /// (a `drop-*` fault) or the request is still being answered.
    pub http_status: Option<u16>,
    /// The envelope `code` answered (0 for success), when the answer was an envelope.
    pub api_code: Option<i64>,
    /// The fault injected into the answer (`http5xx;times=1`), if any.
    pub fault: Option<String>,
    /// The id of the task (project, video, motion...) the request created, if it did: the
    /// handler's work counts even when a fault then broke the answer.
    pub created: Option<String>,
}

/// A running mock server on 127.0.0.1.
///
/// Dropping it stops the server: the accept loop ends, the port is released
/// and open connections are shut down. It is `Send + Sync`, so it can live in
/// a `static` or be shared between test threads.
pub struct MockServer {
    port: u16,
    base_url: String,
    /// The CA certificate's file when serving HTTPS, and whether the server made its name
    /// (then it removes the file when it stops).
    ca_file: Option<(PathBuf, bool)>,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
    dispatcher_thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Binds 127.0.0.1:`config.port` and starts serving on a background
    /// thread. Errors if `fault_rate` is not between 0 and 1, the port
    /// cannot be bound, the thread cannot be spawned, or (with TLS) the CA file
    /// cannot be written. The server is accepting connections when this returns.
    pub fn start(config: MockConfig) -> io::Result<MockServer> {
        for (name, rate) in [
            ("fault_rate", config.fault_rate),
            ("webhook_drop_rate", config.webhook_drop_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{name} {rate} is not between 0 and 1"),
                ));
            }
        }
        let authority = tls::Authority::new().map_err(io::Error::other)?;
        let webhook_trust = match &config.webhook_ca_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    io::Error::new(e.kind(), format!("webhook CA file {}: {e}", path.display()))
                })?;
                tls::parse_pem_certificates(&text).map_err(|why| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("webhook CA file {}: {why}", path.display()),
                    )
                })?
            }
            None => Vec::new(),
        };
        let webhook_tls = authority
            .client_config(&webhook_trust)
            .map_err(io::Error::other)?;
        let server_tls = match &config.tls {
            Some(settings) => {
                let names: Vec<String> = if settings.names.is_empty() {
                    tls::LOOPBACK_NAMES.iter().map(|n| n.to_string()).collect()
                } else {
                    settings.names.clone()
                };
                let validity = if settings.expired {
                    tls::Validity::Expired
                } else {
                    tls::Validity::Current
                };
                let identity = authority
                    .issue(&names, validity)
                    .map_err(io::Error::other)?;
                Some(identity.server_config().map_err(io::Error::other)?)
            }
            None => None,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))?;
        let port = listener.local_addr()?.port();
        let scheme = if server_tls.is_some() {
            "https"
        } else {
            "http"
        };
        let base_url = format!("{scheme}://127.0.0.1:{port}");
        let ca_file = match &config.tls {
            Some(settings) => {
                let (path, ours) = match &settings.ca_file {
                    Some(path) => (path.clone(), false),
                    None => (
                        std::env::temp_dir()
                            .join(format!("jogg-mock-{}-{port}-ca.pem", std::process::id())),
                        true,
                    ),
                };
                std::fs::write(&path, authority.pem()).map_err(|e| {
                    io::Error::new(e.kind(), format!("CA file {}: {e}", path.display()))
                })?;
                Some((path, ours))
            }
            None => None,
        };
        let shared = Arc::new(Shared::new(
            config,
            base_url.clone(),
            authority,
            server_tls,
            webhook_tls,
        ));
        let accept_shared = Arc::clone(&shared);
        let dispatcher_shared = Arc::clone(&shared);
        let dispatcher_thread = thread::Builder::new()
            .name("jogg-mock-webhooks".to_owned())
            .spawn(move || webhooks::run_dispatcher(&dispatcher_shared))?;
        let accept_thread = thread::Builder::new()
            .name("jogg-mock-accept".to_owned())
            .spawn(move || accept_loop(&listener, &accept_shared));
        let accept_thread = match accept_thread {
            Ok(handle) => handle,
            Err(error) => {
                shared.hub.stop();
                let _ = dispatcher_thread.join();
                return Err(error);
            }
        };
        Ok(MockServer {
            port,
            base_url,
            ca_file,
            shared,
            accept_thread: Some(accept_thread),
            dispatcher_thread: Some(dispatcher_thread),
        })
    }

    /// The bound port (the OS-chosen one when the config said 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Root URL to configure a client with: `http://127.0.0.1:<port>`, or
    /// `https://127.0.0.1:<port>` with TLS. API paths are below it (`/v1/...`),
    /// as with `https://api.jogg.ai`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// With TLS, the file holding the mock's CA certificate (PEM): give it to a
    /// client as its CA file, or in `SSL_CERT_FILE`.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_ref().map(|(path, _)| path.as_path())
    }

    /// The mock's certificate authority: it signs what the mock serves with
    /// TLS, and webhook deliveries to `https://` receivers trust it, so a test
    /// can give its own TLS servers certificates the mock accepts.
    pub fn authority(&self) -> &tls::Authority {
        &self.shared.authority
    }

    /// A snapshot of every request received so far, in arrival order,
    /// including rejected ones (bad key, unknown route). Requests too
    /// malformed to parse are not recorded.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.logged_requests()
    }

    /// Back to the state of a fresh server: no records, no logged requests or webhook
    /// attempts, empty POST windows, the config's fault rules with nothing counted. The port,
    /// the connections and the config stay. The same as `POST /_mock/reset`.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// How many records of a kind the operations created, deleted ones included
    /// (`"lip_sync"`, `"product"`, `"project"`...; each area module names its kinds).
    pub fn created(&self, kind: &str) -> usize {
        self.shared.store().created(kind)
    }

    /// How many create calls were accepted (passed auth, rate limit and
    /// validation) and produced a project.
    pub fn projects_created(&self) -> usize {
        self.shared.store().created(areas::PROJECT)
    }

    /// The bytes PUT to the signed URL behind `asset_url` (as returned by
    /// the upload-URL call), or `None` if nothing was uploaded there.
    pub fn uploaded(&self, asset_url: &str) -> Option<Vec<u8>> {
        files::uploaded(&self.shared, asset_url)
    }

    /// Fault injection: the next file served under `/files/` sends its full
    /// `Content-Length` but only `after_bytes` bytes of body, then the
    /// connection drops, as when a network fails mid-download. One-shot.
    pub fn interrupt_next_download(&self, after_bytes: usize) {
        self.shared.faults.cut_next_download(after_bytes);
    }

    /// Adds a fault rule to the running server, after those of the config
    /// (the first rule that matches a request and still strikes wins).
    pub fn add_fault(&self, rule: FaultRule) {
        self.shared.faults.add(rule);
    }

    /// How many TCP connections the server has taken so far: a test can
    /// assert that clients reuse them.
    pub fn connections_opened(&self) -> u64 {
        self.shared.next_connection.load(Ordering::Relaxed)
    }

    /// How many requests got an injected fault so far, by header, rule or
    /// rate.
    pub fn faults_injected(&self) -> usize {
        self.shared.faults.injected()
    }

    /// Every webhook delivery attempt so far, in the order they completed, and the
    /// deliveries [`MockConfig::webhook_drop_rate`] lost (`dropped`, attempt 0).
    pub fn webhook_attempts(&self) -> Vec<DeliveryAttempt> {
        self.shared.hub.attempts()
    }

    /// Blocks until every render that has ended has been delivered to its
    /// endpoints, retries included, or `timeout` passes; returns whether
    /// deliveries settled. Lets a test assert that something was *not*
    /// delivered without sleeping.
    pub fn wait_for_webhooks(&self, timeout: Duration) -> bool {
        self.shared.hub.wait_idle(timeout)
    }

    /// Blocks until the request log satisfies `done` (checked now and whenever a request
    /// arrives) or `timeout` passes; returns whether it did. Lets a test wait for requests
    /// another thread or process sends, without sleeping.
    pub fn wait_for_requests(
        &self,
        timeout: Duration,
        done: impl Fn(&[RecordedRequest]) -> bool,
    ) -> bool {
        let deadline = Instant::now() + timeout;
        let mut log = lock(&self.shared.requests);
        loop {
            if done(&log.entries) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            log = self
                .shared
                .logged
                .wait_timeout(log, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl Drop for MockServer {
    /// Sets the shutdown flag, wakes the blocking `accept` with a throwaway
    /// connection, waits for the accept thread (which owns the listener, so
    /// the port is free afterwards) and shuts down live connections so their
    /// threads end at once instead of at their idle timeout.
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        self.shared.hub.stop();
        if let Some(handle) = self.dispatcher_thread.take() {
            let _ = handle.join();
        }
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let woke = TcpStream::connect_timeout(&address, WAKE_TIMEOUT).is_ok();
        if let Some(handle) = self.accept_thread.take() {
            // Joining without a successful wake-up could block forever; the
            // detached thread then exits on the next connection it sees.
            if woke {
                let _ = handle.join();
            }
        }
        self.shared.close_connections();
        if let Some((path, true)) = &self.ca_file {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// State shared by the accept loop, connection threads and handlers.
pub(crate) struct Shared {
    pub(crate) config: MockConfig,
    pub(crate) base_url: String,
    pub(crate) clock: clock::Clock,
    pub(crate) ids: clock::IdGen,
    /// Everything the simulation remembers (records of every kind, uploads, the POST
    /// limiter).
    store: Mutex<store::Store>,
    requests: Mutex<RequestLog>,
    /// Signalled whenever a request is logged.
    logged: Condvar,
    shutdown: AtomicBool,
    /// Clones of live connection sockets, so shutdown can unblock readers.
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
    pub(crate) hub: webhooks::Hub,
    pub(crate) faults: faults::Injector,
    authority: tls::Authority,
    /// What the server serves with TLS; `None`: plain HTTP.
    server_tls: Option<Arc<rustls::ServerConfig>>,
    /// What webhook deliveries to `https://` receivers trust.
    pub(crate) webhook_tls: Arc<rustls::ClientConfig>,
}

impl Shared {
    fn new(
        config: MockConfig,
        base_url: String,
        authority: tls::Authority,
        server_tls: Option<Arc<rustls::ServerConfig>>,
        webhook_tls: Arc<rustls::ClientConfig>,
    ) -> Self {
        Shared {
            authority,
            server_tls,
            webhook_tls,
            faults: faults::Injector::new(&config),
            config,
            base_url,
            clock: clock::Clock,
            ids: clock::IdGen::new(),
            store: Mutex::new(store::Store::default()),
            requests: Mutex::new(RequestLog::default()),
            logged: Condvar::new(),
            shutdown: AtomicBool::new(false),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
            hub: webhooks::Hub::default(),
        }
    }

    /// A plain-HTTP server's state, for unit tests of the handlers.
    #[cfg(test)]
    pub(crate) fn for_tests(config: MockConfig, base_url: String) -> Self {
        let authority = tls::Authority::new().expect("a CA");
        let webhook_tls = authority.client_config(&[]).expect("client settings");
        Shared::new(config, base_url, authority, None, webhook_tls)
    }

    /// The simulation's memory. A panic in another handler must not take the whole mock
    /// down, so a poisoned lock is simply reused.
    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        lock(&self.store)
    }

    fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Logs an API request as it arrives; returns its place in the log, where its answer is
    /// noted later. A reset in between empties the log, and the notes then find nothing.
    fn record(&self, request: &http::Request) -> Logged {
        let mut log = lock(&self.requests);
        log.entries.push(RecordedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: request.body.clone(),
            operation: routes::operation(&request.method, &request.path)
                .map(|op| op.full_name().to_owned()),
            http_status: None,
            api_code: None,
            fault: None,
            created: None,
        });
        self.logged.notify_all();
        Logged {
            generation: log.generation,
            index: log.entries.len() - 1,
        }
    }

    /// Adds to a logged request what became of it.
    fn note(&self, at: Logged, change: impl FnOnce(&mut RecordedRequest)) {
        let mut log = lock(&self.requests);
        if log.generation == at.generation
            && let Some(entry) = log.entries.get_mut(at.index)
        {
            change(entry);
        }
    }

    /// Everything back to a fresh server's state, except the connections and the ids (the
    /// control API's reset, [`MockServer::reset`]).
    pub(crate) fn reset(&self) {
        self.store().clear();
        {
            let mut log = lock(&self.requests);
            log.entries.clear();
            log.generation += 1;
        }
        self.hub.clear();
        self.faults.reset(&self.config);
    }

    /// A snapshot of the request log.
    pub(crate) fn logged_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).entries.clone()
    }

    /// Registers a live connection; `None` if the server is already stopping
    /// (checked after inserting, so `close_connections` cannot miss it).
    fn register(&self, stream: &TcpStream) -> Option<Registration<'_>> {
        let id = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone().ok()?;
        lock(&self.connections).insert(id, clone);
        let registration = Registration { shared: self, id };
        (!self.is_shutting_down()).then_some(registration)
    }

    fn close_connections(&self) {
        for stream in lock(&self.connections).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// The API requests received, in arrival order (not the control API's own).
#[derive(Default)]
struct RequestLog {
    entries: Vec<RecordedRequest>,
    /// Counts resets, so that the answer to a request logged before one is not noted on an
    /// entry logged after it.
    generation: u64,
}

/// Where a request sits in the log.
#[derive(Clone, Copy)]
struct Logged {
    generation: u64,
    index: usize,
}

/// Removes a connection from the registry when its thread ends, however it
/// ends.
struct Registration<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        lock(&self.shared.connections).remove(&self.id);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts connections until shutdown, one thread each. The listener is
/// owned by this loop, so the port is released when it returns.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for incoming in listener.incoming() {
        if shared.is_shutting_down() {
            break;
        }
        match incoming {
            Ok(stream) => spawn_connection(stream, shared),
            Err(_) => thread::sleep(ACCEPT_BACKOFF),
        }
    }
}

fn spawn_connection(stream: TcpStream, shared: &Arc<Shared>) {
    let shared = Arc::clone(shared);
    // If no thread can be spawned the closure (and the stream) is dropped,
    // which closes the connection: the client sees a reset, not a hang.
    let _ = thread::Builder::new()
        .name("jogg-mock-conn".to_owned())
        .spawn(move || serve_connection(stream, &shared));
}

/// One client connection: the socket as it is, or under TLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

impl Conn {
    /// Ends a TLS session the way servers do (close_notify), so that a client can tell the
    /// end of the connection from a cut.
    fn close(&mut self) {
        if let Conn::Tls(s) = self {
            s.conn.send_close_notify();
            let _ = s.flush();
        }
    }
}

/// Serves requests on one connection until the client closes it, asks for
/// `Connection: close`, idles past [`IDLE_TIMEOUT`], sends something
/// unparseable, or the server stops. With TLS the handshake comes first; a
/// client that refuses the certificate or leaves mid-handshake only ends its
/// own connection.
fn serve_connection(stream: TcpStream, shared: &Shared) {
    let configured = stream.set_read_timeout(Some(IDLE_TIMEOUT)).is_ok()
        && stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_ok()
        && stream.set_nodelay(true).is_ok();
    let Ok(socket) = stream.try_clone() else {
        return;
    };
    let Some(_registration) = configured.then(|| shared.register(&stream)).flatten() else {
        return;
    };
    let conn = match &shared.server_tls {
        None => Conn::Plain(stream),
        Some(config) => {
            let Ok(session) = rustls::ServerConnection::new(Arc::clone(config)) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(session, stream);
            if tls.conn.complete_io(&mut tls.sock).is_err() {
                let _ = socket.shutdown(Shutdown::Both);
                return;
            }
            Conn::Tls(Box::new(tls))
        }
    };
    let mut reader = BufReader::new(conn);
    while !shared.is_shutting_down() {
        match http::read_request(&mut reader) {
            Ok(Some(request)) => {
                // The control API is not API traffic: neither logged nor faulted.
                let answered = if control::owns(&request.path) {
                    Some(control::answer(shared, &request))
                } else {
                    let logged = shared.record(&request);
                    answer(shared, &request, logged)
                };
                // `None`: a fault that drops the connection without an answer.
                let Some(response) = answered else {
                    break;
                };
                let keep_alive = request.keep_alive && !shared.is_shutting_down();
                let written = http::write_response(reader.get_mut(), &response, keep_alive);
                if written.is_err() {
                    // A cut reply ends as a failing server's would: no close_notify.
                    let _ = socket.shutdown(Shutdown::Both);
                    return;
                }
                if !keep_alive {
                    break;
                }
            }
            Ok(None) | Err(http::ReadError::Closed) => break,
            Err(http::ReadError::Reject { status, message }) => {
                let response = envelope::transport_error(shared, status, &message);
                let _ = http::write_response(reader.get_mut(), &response, false);
                reader.get_mut().close();
                linger(&mut reader, &socket);
                break;
            }
        }
    }
    reader.get_mut().close();
    let _ = socket.shutdown(Shutdown::Both);
}

/// After refusing a request whose rest was not read, drain what the client
/// is still sending for a short while before closing. Closing a socket with
/// unread input makes the kernel send a reset, which can destroy the error
/// response before the client reads it ("lingering close").
fn linger(reader: &mut BufReader<Conn>, socket: &TcpStream) {
    let _ = socket.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER_TIME;
    let mut drained = 0usize;
    let mut scratch = [0u8; 8192];
    while drained < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || socket.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match reader.read(&mut scratch) {
            Ok(0) | Err(_) => break,
            Ok(read) => drained += read,
        }
    }
}

/// The reply to one request: the handler's, or what an injected fault makes
/// of it. A fault header that does not parse is answered 400, so a typo
/// does not pass for a server that never fails. What was answered is noted in the log.
fn answer(shared: &Shared, request: &http::Request, logged: Logged) -> Option<http::Response> {
    let response = match shared.faults.select(&shared.config, request) {
        Ok(None) => Some(respond(shared, request, logged)),
        Ok(Some(fault)) => {
            let text = fault.to_string();
            shared.note(logged, |entry| entry.fault = Some(text));
            faults::apply(shared, &fault, || respond(shared, request, logged))
        }
        Err(message) => Some(envelope::transport_error(shared, 400, &message)),
    };
    if let Some(response) = &response {
        let code = envelope::code_of(response);
        shared.note(logged, |entry| {
            entry.http_status = Some(response.status);
            entry.api_code = code;
        });
    }
    response
}

/// Runs the handler, turning a panic (a mock bug) into a 50000 envelope so
/// the client still gets an answer and the connection thread survives. Notes the task it
/// created, if any.
fn respond(shared: &Shared, request: &http::Request, logged: Logged) -> http::Response {
    let response = panic::catch_unwind(AssertUnwindSafe(|| routes::dispatch(shared, request)))
        .unwrap_or_else(|_| envelope::internal_error(shared));
    if let Some(id) = routes::operation(&request.method, &request.path)
        .and_then(|op| envelope::created_task(op, &response))
    {
        shared.note(logged, |entry| entry.created = Some(id));
    }
    response
}
