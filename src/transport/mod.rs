//! HTTP to the Jogg API: one ureq agent per client, the `x-api-key` header, and the
//! `{code, msg, data, rid}` envelope turned into `Ok(data)` or an [`Error`].
//!
//! The envelope is read whatever the HTTP status: the API reports business errors as HTTP 200
//! with `code != 0` (api-notes §5, D1) and may also use 4xx/5xx with the same body.

use std::fmt::Display;
use std::mem::ManuallyDrop;
use std::sync::Arc;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use ureq::http::header::{self, HeaderName, HeaderValue};

use crate::config::{Config, Proxy, is_loopback};
use crate::error::{Error, ErrorKind, Result};
use crate::limiter::PostLimiter;
use crate::log::{LogLevel, Logger};
use crate::operation::Method;
use crate::scrub::Scrubber;

mod connect;
mod roots;
mod tcp;

/// Largest response body we read into memory; larger ones are refused, not truncated.
const MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// A `Retry-After` longer than this is reported instead of waited out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The largest `retry_after_ms` reported (one day): a hint beyond says only "much later", and
/// a number near `u64::MAX` would overflow whatever the caller adds it to.
pub(crate) const RETRY_AFTER_CAP_MS: u64 = 24 * 60 * 60 * 1000;
/// Idle connections the API agent keeps (see [`Transport::new`]).
const IDLE_CONNECTIONS: usize = 16;
const BACKOFF_BASE: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// A successful reply: the envelope's `data` (`null` when absent) and its `rid`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub data: Value,
    pub request_id: Option<String>,
}

/// A successful reply whose `data` is still the JSON text the server sent (`null` when
/// absent): what the C ABI hands out as it is, and what typed replies decode from without a
/// [`Value`] in between.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawReply {
    pub data: String,
    pub request_id: Option<String>,
}

impl RawReply {
    /// The reply with `data` as a [`Value`]. `data` was checked to be JSON when the envelope
    /// was read, so this fails only on nesting deeper than serde_json reads.
    pub fn parse(self) -> Result<Reply> {
        match serde_json::from_str(&self.data) {
            Ok(data) => Ok(Reply {
                data,
                request_id: self.request_id,
            }),
            Err(e) => {
                let mut err = Error::new(
                    ErrorKind::BadResponse,
                    format!("the reply's data could not be read: {e}"),
                );
                err.0.request_id = self.request_id;
                Err(err)
            }
        }
    }
}

/// "GET /v1/project": how errors name a request. Formatted only when an error is.
#[derive(Clone, Copy)]
pub(crate) struct What<'a>(pub Method, pub &'a str);

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0.as_str(), self.1)
    }
}

pub(crate) struct Transport {
    agents: Agents,
    base_url: String,
    /// The `x-api-key` value, built once and marked sensitive.
    key_header: HeaderValue,
    /// The `host` and `user-agent` values ureq would otherwise make for every request.
    host_header: HeaderValue,
    agent_header: HeaderValue,
    config: Config,
    /// The roots every agent of this client trusts (`tls_roots` and `ca_file`).
    tls: ureq::tls::TlsConfig,
    posts: PostLimiter,
    log: Logger,
    scrubber: Arc<Scrubber>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &crate::scrub::redact_userinfo(&self.base_url))
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(config: Config) -> Result<Transport> {
        let base_url = config.validate()?;
        let proxy = build_proxy(&config.effective_proxy())?;
        let tls = roots::tls_config(&config)?;
        let agent = ureq::Agent::config_builder()
            .tls_config(tls.clone())
            .http_status_as_error(false)
            // The key travels in a custom header, which ureq would carry across a redirect to
            // any host; the API never redirects, so a redirect is answered as an error.
            .max_redirects(0)
            // Every request goes to one host: keep a connection for each of up to 16 threads
            // sharing the client (ureq keeps 3 a host), or the rest reconnect, TLS and all.
            .max_idle_connections(IDLE_CONNECTIONS)
            .max_idle_connections_per_host(IDLE_CONNECTIONS)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .proxy(proxy)
            .build();
        let agents = Agents::new(agent, &base_url);
        let posts = PostLimiter::new(
            &config.post_limit_settings(),
            &base_url,
            config.api_key.expose(),
        );
        let scrubber = Arc::new(Scrubber::new(config.secrets()));
        let log = Logger::new(config.log, config.log_sink.clone(), scrubber.clone());
        // Config::validate has checked the key and the suffix; the base URL parsed there too.
        let mut key_header = header_value(config.api_key.expose())?;
        key_header.set_sensitive(true);
        let host_header = header_value(&host_and_port(&base_url))?;
        let agent_header = header_value(&user_agent(&config))?;
        Ok(Transport {
            agents,
            base_url,
            key_header,
            host_header,
            agent_header,
            config,
            tls,
            posts,
            log,
            scrubber,
        })
    }

    /// The scrubber every error and log line of this client goes through.
    pub(crate) fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }

    /// The config the client was made with (checked).
    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// An agent for one request to a URL the API hands out (a signed upload URL, a rendered
    /// file), which lives on another host: it has no way to send the API key. The client's
    /// `timeout` bounds each stall (waiting for the response head, each read or write of the
    /// body); `deadline` (the transfer's, from `transfer_timeout`) bounds the whole. Redirects
    /// are not followed here: a download follows them itself, checking each target.
    pub(crate) fn file_agent(
        &self,
        target: &ureq::http::Uri,
        transfer: Transfer,
        deadline: Instant,
    ) -> Result<ureq::Agent> {
        let loopback = target.host().is_some_and(is_loopback);
        let proxy = match self.config.proxy {
            Proxy::Env if loopback => None,
            ref p => build_proxy(p)?,
        };
        let stall = Some(self.config.timeout);
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::new(
                ErrorKind::Timeout,
                format!(
                    "the transfer took longer than transfer_timeout_ms ({} ms)",
                    self.config.transfer_timeout.as_millis()
                ),
            ));
        }
        let builder = ureq::Agent::config_builder()
            .tls_config(self.tls.clone())
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(self.config.connect_timeout))
            .timeout_global(Some(left))
            .timeout_recv_response(stall)
            .proxy(proxy)
            .user_agent(user_agent(&self.config));
        let builder = match transfer {
            Transfer::Upload => builder.timeout_per_write(stall),
            Transfer::Download => builder.timeout_per_read(stall),
        };
        Ok(new_agent(builder.build(), LiteralResolver::default()))
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends a request, retrying what is safe to retry (see [`should_retry`]) up to
    /// `max_retries` times with jittered exponential backoff or the server's `Retry-After`.
    /// POSTs wait for the POST limiter first (a limiter whose store cannot be used fails the
    /// call before anything is sent); a POST answered 429 with `Retry-After` pauses every
    /// client sharing the limiter. `path` starts with `/v1/` or `/v2/`. With `until`, every
    /// attempt ends by then (each gets what is left, if less than the client's `timeout`) and
    /// no retry starts that could not finish before it.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
        until: Option<Instant>,
    ) -> Result<RawReply> {
        check_url_length(&self.base_url, path, query)?;
        let mut attempt = 0;
        let m = method.as_str();
        loop {
            let budget = match until {
                Some(until) => {
                    let left = until.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        let e = Error::new(
                            ErrorKind::Timeout,
                            format!("{m} {path}: no time was left to send it"),
                        );
                        return Err(self.scrubber.error(with_attempts(e, attempt)));
                    }
                    (left < self.config.timeout).then_some(left)
                }
                None => None,
            };
            let ticket = match method {
                Method::Post => self
                    .posts
                    .acquire(&self.log, until)
                    .map_err(|e| self.scrubber.error(e))?,
                _ => None,
            };
            // Only the debug log reports the time taken.
            let started = self
                .log
                .enabled(LogLevel::Debug)
                .then(std::time::Instant::now);
            let result = self.send_once(method, path, query, body, budget);
            if let Some(ticket) = ticket {
                self.posts.release(ticket, &self.log);
            }
            if let Err(e) = &result
                && method == Method::Post
                && e.0.kind == ErrorKind::RateLimited
                && let Some(ms) = e.0.retry_after_ms
            {
                self.posts.cooldown(Duration::from_millis(ms), &self.log);
            }
            let n = attempt + 1;
            let err = match result {
                Ok((mut reply, status)) => {
                    // A rid is the server's text: it leaves the library scrubbed, as errors do.
                    if let Some(rid) = &mut reply.request_id
                        && let std::borrow::Cow::Owned(clean) = self.scrubber.text(rid)
                    {
                        *rid = clean;
                    }
                    let rid = reply.request_id.as_deref().unwrap_or("-");
                    self.log.log(LogLevel::Debug, || {
                        format!(
                            "{m} {path} attempt={n} status={status} request_id={rid} elapsed_ms={}",
                            started.map_or(0, |t| t.elapsed().as_millis())
                        )
                    });
                    self.log.log(LogLevel::Info, || {
                        format!("{m} {path} status={status} attempts={n} request_id={rid}")
                    });
                    return Ok(reply);
                }
                Err(e) => e,
            };
            let status = err
                .http_status()
                .map_or_else(|| "-".to_string(), |s| s.to_string());
            let rid = err.0.request_id.as_deref().unwrap_or("-");
            let reason = err.kind().as_str();
            self.log.log(LogLevel::Debug, || {
                format!(
                    "{m} {path} attempt={n} status={status} error={reason} request_id={rid} elapsed_ms={}",
                    started.map_or(0, |t| t.elapsed().as_millis())
                )
            });
            let delay = retry_delay(&err, attempt)
                .filter(|d| until.is_none_or(|until| Instant::now() + *d < until));
            match delay {
                Some(d) if attempt < self.config.max_retries && should_retry(&err, method) => {
                    self.log.log(LogLevel::Debug, || {
                        format!(
                            "{m} {path} retry attempt={} delay_ms={} reason={reason}",
                            n + 1,
                            d.as_millis()
                        )
                    });
                    std::thread::sleep(d);
                    attempt += 1;
                }
                _ => {
                    self.log.log(LogLevel::Info, || {
                        format!(
                            "{m} {path} status={status} error={reason} attempts={n} request_id={rid}"
                        )
                    });
                    return Err(self.scrubber.error(with_attempts(err, n)));
                }
            }
        }
    }

    /// The request as the API wants it: the URL built and parsed once, the key and `accept`
    /// headers, and a POST/PUT body as JSON (`content-type` as ureq's `send_json` sets it).
    fn run(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
        budget: Option<Duration>,
    ) -> std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        use ureq::http::Method as M;
        let uri = ureq::http::Uri::try_from(build_url(&self.base_url, path, query))
            .map_err(ureq::http::Error::from)?;
        let mut request = ureq::http::Request::new(());
        *request.method_mut() = match method {
            Method::Get => M::GET,
            Method::Post => M::POST,
            Method::Put => M::PUT,
            Method::Delete => M::DELETE,
        };
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(header::HOST, self.host_header.clone());
        headers.insert(X_API_KEY, self.key_header.clone());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::USER_AGENT, self.agent_header.clone());
        // Replies are decoded by `read_body`.
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        let agent = self.agents.get();
        // Less time than the client's timeout (a wait's deadline is near): this request only.
        let mut request = match budget {
            Some(budget) => agent
                .configure_request(request)
                .timeout_global(Some(budget))
                .build(),
            None => request,
        };
        match (method, body) {
            (Method::Get | Method::Delete, _) => agent.run(request),
            (_, Some(body)) => {
                let json = serde_json::to_vec_pretty(body)?;
                request.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                );
                agent.run(request.map(|()| json))
            }
            (_, None) => agent.run(request.map(|()| &[][..])),
        }
    }

    fn send_once(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
        budget: Option<Duration>,
    ) -> Result<(RawReply, u16)> {
        let what = What(method, path);
        let mut response = self.run(method, path, query, body, budget).map_err(|e| {
            let peer = host_and_port(&self.base_url);
            transport_error(&e, method, &what, Some(&peer), self.config.connect_timeout)
        })?;
        let status = response.status().as_u16();
        // The envelope's `rid` is the request id; a gateway's header stands in when the body
        // has none (an HTML error page).
        let header_rid = |headers: &ureq::http::HeaderMap| {
            header_str(headers, &X_REQUEST_ID)
                .or_else(|| header_str(headers, &REQUEST_ID))
                .filter(|v| !v.is_empty() && v.len() <= 200)
                .map(str::to_string)
        };
        if (300..400).contains(&status) {
            let headers = response.headers();
            let location = header_str(headers, &header::LOCATION);
            let mut e = redirect_error(status, location, method, &what);
            e.0.request_id = header_rid(headers);
            return Err(e);
        }
        let read = read_body(&mut response);
        let headers = response.headers();
        let body = read.map_err(|e| {
            let mut err = transport_error(
                &ureq::Error::from(e),
                method,
                &what,
                Some(&host_and_port(&self.base_url)),
                self.config.connect_timeout,
            );
            err.0.http_status = Some(status);
            err.0.request_id = header_rid(headers);
            err
        })?;
        let retry_after = || {
            header_str(headers, &header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(v, SystemTime::now()))
        };
        match decode_envelope(status, body, retry_after, method, &what) {
            Ok(mut reply) => {
                if reply.request_id.is_none() {
                    reply.request_id = header_rid(headers);
                }
                Ok((reply, status))
            }
            Err(mut e) => {
                if e.0.request_id.is_none() {
                    e.0.request_id = header_rid(headers);
                }
                Err(e)
            }
        }
    }
}

/// A reply's body, at most [`MAX_BODY_BYTES`] once decoded: as sent, or gunzipped when the
/// server used the `gzip` the request offers.
fn read_body(response: &mut ureq::http::Response<ureq::Body>) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let gzip = header_str(response.headers(), &header::CONTENT_ENCODING)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    // Sized from Content-Length, with a byte to spare for the NUL of a C string.
    let expected = response.body().content_length().unwrap_or(0);
    let mut body = Vec::with_capacity(expected.min(MAX_BODY_BYTES) as usize + 1);
    let reader = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES)
        .reader();
    if !gzip {
        let mut reader = reader;
        reader.read_to_end(&mut body)?;
        return Ok(body);
    }
    // A byte past the limit tells a body of exactly the limit from a larger one.
    flate2::read::GzDecoder::new(reader)
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut body)?;
    if body.len() as u64 > MAX_BODY_BYTES {
        return Err(std::io::Error::other(ureq::Error::BodyExceedsLimit(
            MAX_BODY_BYTES,
        )));
    }
    Ok(body)
}

/// The API agent of the process using the client. A forked child must never use the
/// connections its parent pooled: they are the same sockets, and both processes would read
/// each other's replies. So a process other than the one that made the client gets an agent
/// of its own (a fresh pool) at its first request, and leaves the creator's alone: it never
/// uses it, nor drops it (dropping could write to the shared sockets: a TLS close_notify).
struct Agents {
    creator: u32,
    own: ManuallyDrop<ureq::Agent>,
    /// The agent of the last process other than the creator to use the client, or null. A
    /// slot is only ever replaced by a process that is not its `pid` (a fork's copy of this
    /// memory), so within one process a slot it installed stays valid while `Agents` lives.
    forked: AtomicPtr<ForkedAgent>,
    config: ureq::config::Config,
    base_url: String,
}

struct ForkedAgent {
    pid: u32,
    agent: ureq::Agent,
}

impl Agents {
    fn new(config: ureq::config::Config, base_url: &str) -> Agents {
        Agents {
            creator: std::process::id(),
            own: ManuallyDrop::new(new_agent(
                config.clone(),
                LiteralResolver::knowing(base_url),
            )),
            forked: AtomicPtr::new(std::ptr::null_mut()),
            config,
            base_url: base_url.to_string(),
        }
    }

    /// The agent for this process.
    fn get(&self) -> &ureq::Agent {
        let pid = std::process::id();
        if pid == self.creator {
            return &self.own;
        }
        let current = self.forked.load(Ordering::Acquire);
        // SAFETY: a non-null `forked` is a leaked Box that is freed only by `drop`.
        if let Some(slot) = unsafe { current.as_ref() }
            && slot.pid == pid
        {
            return &slot.agent;
        }
        let fresh = Box::into_raw(Box::new(ForkedAgent {
            pid,
            agent: new_agent(
                self.config.clone(),
                LiteralResolver::knowing(&self.base_url),
            ),
        }));
        match self
            .forked
            .compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire)
        {
            // `current`, if any, was another process's: left as it is, never freed here.
            // SAFETY: just installed; freed only by `drop`.
            Ok(_) => unsafe { &(*fresh).agent },
            Err(winner) => {
                // Another thread of this process installed one first; ours never connected.
                // SAFETY: `fresh` came from Box::into_raw above and was never shared.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: installed by a thread of this process, so for this pid; freed only
                // by `drop`.
                unsafe { &(*winner).agent }
            }
        }
    }
}

impl Drop for Agents {
    fn drop(&mut self) {
        let pid = std::process::id();
        let forked = *self.forked.get_mut();
        // SAFETY: as in `get`; freed here only when this process made it.
        if unsafe { forked.as_ref() }.is_some_and(|slot| slot.pid == pid) {
            // SAFETY: a Box this process leaked in `get`, no longer reachable.
            drop(unsafe { Box::from_raw(forked) });
        }
        if pid == self.creator {
            // SAFETY: dropped once, here; `own` is not used after.
            unsafe { ManuallyDrop::drop(&mut self.own) };
        }
    }
}

/// `host` as ureq sets it: the URL's host, with the port unless it is the scheme's own.
fn host_and_port(url: &str) -> String {
    let Ok(uri) = url.parse::<ureq::http::Uri>() else {
        return String::new();
    };
    let host = uri.host().unwrap_or_default();
    match uri.port_u16() {
        Some(port) if Some(port) != default_port(&uri) => format!("{host}:{port}"),
        _ => host.to_string(),
    }
}

/// A header value made once per client from text the config checked.
fn header_value(text: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(text).map_err(|_| {
        Error::new(
            ErrorKind::Internal,
            "a checked config value is not a header value",
        )
    })
}

fn default_port(uri: &ureq::http::Uri) -> Option<u16> {
    match uri.scheme_str()? {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

fn header_str<'a>(headers: &'a ureq::http::HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `base` + `path` + the query, encoded as ureq's `.query()` does.
pub(crate) fn build_url(base: &str, path: &str, query: &[(String, String)]) -> String {
    let mut url = String::with_capacity(base.len() + path.len() + 64);
    url.push_str(base);
    url.push_str(path);
    for (i, (k, v)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        encode_query(k, &mut url);
        url.push('=');
        encode_query(v, &mut url);
    }
    url
}

/// Appends `s` percent-encoded for a query string, with the set ureq's `.query()` uses:
/// controls, space, non-ASCII and ``"#$%&'+,/:;<=>?@[\]^`{|}``.
fn encode_query(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const PLAIN: [bool; 256] = {
        let mut plain = [false; 256];
        let mut b = 0x21;
        while b < 0x7f {
            plain[b] = true;
            b += 1;
        }
        let encoded = br##""#$%&'+,/:;<=>?@[\]^`{|}"##;
        let mut i = 0;
        while i < encoded.len() {
            plain[encoded[i] as usize] = false;
            i += 1;
        }
        plain
    };
    for b in s.bytes() {
        if PLAIN[usize::from(b)] {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// The longest URL we send. The `http` crate refuses URIs over 64 KiB (and ureq 3.5 panics
/// on one built with `.query()`); servers and proxies commonly stop at 8-16 KiB. An id or a
/// filter that long is a mistake, reported before sending and naming the parameter.
const MAX_URL_BYTES: usize = 16 * 1024;

fn check_url_length(base: &str, path: &str, query: &[(String, String)]) -> Result<()> {
    // Worst case: every byte of the query percent-encoded (3 bytes).
    let encoded = |s: &str| s.len() * 3;
    let total = base.len()
        + path.len()
        + query
            .iter()
            .map(|(k, v)| encoded(k) + encoded(v) + 2)
            .sum::<usize>();
    if total <= MAX_URL_BYTES {
        return Ok(());
    }
    let field = query
        .iter()
        .max_by_key(|(_, v)| v.len())
        .filter(|(_, v)| encoded(v) >= path.len())
        .map(|(k, _)| k.as_str())
        .unwrap_or("path");
    Err(Error::validation(
        field,
        format!(
            "is too long to send in a URL (the request's URL would be up to {total} bytes; \
             the limit is {MAX_URL_BYTES})"
        ),
    ))
}

/// Whether `err` may be cured by sending again: connection failures, timeouts, 429, 5xx and
/// API 50000; a POST (it creates, and costs) only if it certainly was not processed. A reply
/// that is not JSON at all is garbled in transit or by a proxy: worth one more GET.
fn should_retry(err: &Error, method: Method) -> bool {
    // A 2xx body that is not the envelope is a garbled answer (a proxy, a cut connection):
    // worth one more GET. A redirect is also "bad", but asking again would change nothing.
    let garbled = err.0.kind == ErrorKind::BadResponse
        && method == Method::Get
        && err.0.http_status.is_some_and(|s| (200..300).contains(&s));
    (err.0.kind.passes() || garbled) && (method != Method::Post || !err.0.maybe_processed)
}

/// How long to wait before attempt `attempt + 1`: the server's hint when it gives one (`None`
/// when that is too long to wait inside a call), else `min(0.5 s * 2^n, 8 s)` less up to 25 %.
fn retry_delay(err: &Error, attempt: u32) -> Option<Duration> {
    if let Some(ms) = err.0.retry_after_ms {
        let hint = Duration::from_millis(ms);
        return (hint <= MAX_RETRY_AFTER).then_some(hint);
    }
    let backoff = BACKOFF_BASE
        .saturating_mul(1u32 << attempt.min(16))
        .min(BACKOFF_CAP);
    Some(backoff.mul_f64(1.0 - 0.25 * jitter()))
}

/// A number in [0, 1) that differs between calls and processes; spreading retries needs no
/// better randomness than the standard library's hasher keys.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn with_attempts(mut err: Error, attempts: u32) -> Error {
    if attempts > 1 {
        err.0.message = format!("{} (after {attempts} attempts)", err.0.message);
    }
    err
}

/// An agent with ureq's connector chain (CONNECT proxy, TCP, rustls), our [`tcp`] connections
/// in place of ureq's, and [`LiteralResolver`]; each stage's failures tagged with the stage
/// ([`connect::Staged`]).
fn new_agent(config: ureq::config::Config, resolver: LiteralResolver) -> ureq::Agent {
    use connect::{Stage, Staged};
    use ureq::unversioned::transport::{ConnectProxyConnector, Connector, RustlsConnector};
    let connector = ()
        .chain(Staged {
            connector: ConnectProxyConnector::default(),
            stage: Stage::Proxy,
        })
        .chain(Staged {
            connector: tcp::TcpConnector,
            stage: Stage::Tcp,
        })
        .chain(Staged {
            connector: RustlsConnector::default(),
            stage: Stage::Tls,
        });
    ureq::Agent::with_parts(config, connector, resolver)
}

/// ureq's resolver, except for an IP literal host (`http://127.0.0.1:8080`, `http://[::1]`):
/// that is its own address, returned as is. ureq's `DefaultResolver` runs every lookup,
/// literal or not, on a new thread when a timeout applies (always, here: `timeout_global`),
/// and it is asked on every request, pooled connection or not: a thread spawned and joined
/// per call. A host name still goes to the `DefaultResolver` (getaddrinfo, with its timeout),
/// as do forms std would parse differently (`127.1`): those are not literals here.
#[derive(Debug, Default)]
struct LiteralResolver {
    names: ureq::unversioned::resolver::DefaultResolver,
    /// The base URL's scheme and authority with its address, when its host is a literal:
    /// every request of the API agent asks for it, so it is parsed once.
    known: Option<(String, String, std::net::SocketAddr)>,
}

impl LiteralResolver {
    fn knowing(base_url: &str) -> LiteralResolver {
        let known = base_url.parse::<ureq::http::Uri>().ok().and_then(|uri| {
            let addr = literal_addr(&uri)?;
            Some((
                uri.scheme_str()?.to_string(),
                uri.authority()?.as_str().to_string(),
                addr,
            ))
        });
        LiteralResolver {
            known,
            ..LiteralResolver::default()
        }
    }

    fn literal(&self, uri: &ureq::http::Uri) -> Option<std::net::SocketAddr> {
        match &self.known {
            Some((scheme, authority, addr))
                if uri.scheme_str() == Some(scheme.as_str())
                    && uri.authority().map(|a| a.as_str()) == Some(authority.as_str()) =>
            {
                Some(*addr)
            }
            _ => literal_addr(uri),
        }
    }
}

impl ureq::unversioned::resolver::Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> std::result::Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        if let Some(addr) = self.literal(uri)
            && config
                .ip_family()
                .keep_wanted(std::iter::once(addr))
                .count()
                == 1
        {
            let mut addrs = self.empty();
            addrs.push(addr);
            return Ok(addrs);
        }
        self.names
            .resolve(uri, config, timeout)
            .map_err(|e| connect::tag(connect::Stage::Resolve, connect::host_port(uri), e))
    }
}

/// The socket address of an `http`/`https` URI whose host is an IP literal.
fn literal_addr(uri: &ureq::http::Uri) -> Option<std::net::SocketAddr> {
    let default_port = default_port(uri)?;
    let host = uri.host()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: std::net::IpAddr = host.parse().ok()?;
    Some(std::net::SocketAddr::new(
        ip,
        uri.port_u16().unwrap_or(default_port),
    ))
}

/// What a [`Transport::file_agent`] is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transfer {
    Upload,
    Download,
}

fn build_proxy(proxy: &Proxy) -> Result<Option<ureq::Proxy>> {
    Ok(match proxy {
        Proxy::Env => ureq::Proxy::try_from_env(),
        Proxy::None => None,
        // The URL may hold proxy credentials: never echo it.
        Proxy::Url(url) => Some(
            ureq::Proxy::new(url)
                .map_err(|_| crate::config::config_error("proxy", "is not a valid proxy URL"))?,
        ),
    })
}

fn user_agent(config: &Config) -> String {
    let mut user_agent = format!(
        "jogg/{} ({}; rust) ureq/3",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS
    );
    if let Some(suffix) = &config.user_agent_suffix {
        user_agent.push(' ');
        user_agent.push_str(suffix);
    }
    user_agent
}

/// Checks a URL that is not the API's (a file to download, a signed upload URL): `https://`,
/// or `http://` to a loopback host, as for the base URL. Returns the parsed URL, or the
/// reason it is refused.
pub(crate) fn check_file_url(url: &str) -> std::result::Result<ureq::http::Uri, String> {
    let uri: ureq::http::Uri = url.parse().map_err(|_| "is not a valid URL".to_string())?;
    let host = uri.host().ok_or_else(|| "has no host".to_string())?;
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => Err(format!(
            "plain http:// is allowed only to a loopback host; use https:// for {host}"
        )),
        _ => Err("must start with https://".to_string()),
    }
}

/// A URL for messages: scheme, host, port and path only. Signed URLs carry their signature
/// in the query string and a URL may carry credentials before the host; either would grant
/// access to whoever reads the log.
pub(crate) fn redact_url(uri: &ureq::http::Uri) -> String {
    let port = uri.port_u16().map(|p| format!(":{p}")).unwrap_or_default();
    format!(
        "{}://{}{port}{}",
        uri.scheme_str().unwrap_or("?"),
        uri.host().unwrap_or(""),
        uri.path()
    )
}

/// `Retry-After` as milliseconds from `now`: seconds (fractions allowed) or an HTTP date (a
/// date already past is 0), at most [`RETRY_AFTER_CAP_MS`].
fn parse_retry_after(v: &str, now: SystemTime) -> Option<u64> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return seconds_to_ms(secs);
    }
    let at = httpdate::parse_http_date(v).ok()?;
    let ms = at.duration_since(now).map_or(0, |d| d.as_millis());
    Some(
        u64::try_from(ms)
            .unwrap_or(u64::MAX)
            .min(RETRY_AFTER_CAP_MS),
    )
}

/// A hint in seconds as capped milliseconds; `None` for a negative or non-finite one.
fn seconds_to_ms(secs: f64) -> Option<u64> {
    // `as` saturates: a hint of 1e300 s is "too long", never a panic (found by
    // tests/fuzz_props.rs; Duration::from_secs_f64 panics past u64::MAX seconds).
    (secs.is_finite() && secs >= 0.0).then(|| ((secs * 1000.0) as u64).min(RETRY_AFTER_CAP_MS))
}

/// The code of an I/O error met while streaming a body: a timeout (a socket timeout, or
/// ureq's own deadline wrapped in the error) is [`ErrorKind::Timeout`], the rest
/// [`ErrorKind::Transport`].
pub(crate) fn stream_error_code(e: &std::io::Error) -> ErrorKind {
    let wrapped = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>());
    if e.kind() == std::io::ErrorKind::TimedOut || matches!(wrapped, Some(ureq::Error::Timeout(_)))
    {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    }
}

/// An error of a request that could not be completed. `peer` names the server (`host:port`)
/// where `what` does not already, for failures after the connection was made: connect and
/// TLS failures name it themselves.
pub(crate) fn transport_error(
    e: &ureq::Error,
    method: Method,
    what: &dyn Display,
    peer: Option<&str>,
    connect_timeout: Duration,
) -> Error {
    use ureq::Error as U;
    // Any failure while connecting: nothing was sent.
    if let Some(failure) = connect::failure(e) {
        let (code, words) = connect::describe(failure, connect_timeout.as_millis());
        return Error::new(code, format!("{what}: {words}"));
    }
    let (code, sent) = match e {
        // No connection was made in time: a connect failure, as a refusal is.
        U::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => (ErrorKind::Connect, false),
        U::Timeout(_) => (ErrorKind::Timeout, true),
        U::HostNotFound | U::ConnectionFailed => (ErrorKind::Connect, false),
        U::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            (ErrorKind::Connect, false)
        }
        U::Tls(_) | U::Rustls(_) | U::Pem(_) => (ErrorKind::Tls, false),
        U::BodyExceedsLimit(_) => (ErrorKind::BodyTooLarge, true),
        _ => (ErrorKind::Transport, true),
    };
    let detail = match e {
        U::BodyExceedsLimit(_) => format!("response body exceeds {MAX_BODY_BYTES} bytes"),
        U::Timeout(ureq::Timeout::RecvResponse) => "no answer in time".to_string(),
        U::Timeout(ureq::Timeout::RecvBody) => {
            "the answer did not arrive whole in time".to_string()
        }
        U::Timeout(
            ureq::Timeout::SendRequest | ureq::Timeout::SendBody | ureq::Timeout::Await100,
        ) => "the request could not be sent in time".to_string(),
        U::Timeout(_) => "no complete answer in time".to_string(),
        U::Io(_) => connect::io_words(e),
        other => other.to_string(),
    };
    let mut err = match peer {
        Some(peer) => Error::new(code, format!("{what} to {peer}: {detail}")),
        None => Error::new(code, format!("{what}: {detail}")),
    };
    err.0.maybe_processed = sent && method != Method::Get;
    err
}

/// A 3xx from the API. The key travels in a custom header that a redirect would carry to
/// whatever host the `Location` names, so redirects are never followed (`max_redirects(0)`);
/// the error names the target's host so a wrong `base_url` is easy to spot.
fn redirect_error(
    status: u16,
    location: Option<&str>,
    method: Method,
    what: &dyn Display,
) -> Error {
    let target = location
        .and_then(|l| l.parse::<ureq::http::Uri>().ok())
        .map(|u| match u.host() {
            Some(_) => format!(" to {}", redact_url(&u)),
            None => format!(" to the path {}", u.path()),
        })
        .unwrap_or_default();
    let mut e = Error::new(
        ErrorKind::BadResponse,
        format!(
            "{what}: HTTP {status}: the server redirects{target}; redirects are not followed, \
             so the API key is never sent to another address (check base_url)"
        ),
    );
    e.0.http_status = Some(status);
    // A redirect after a POST may come from a proxy that already passed it on.
    e.0.maybe_processed = method != Method::Get;
    e
}

/// The envelope rules of api-notes §4-5: body first, HTTP status as the fallback.
/// `retry_after_ms` (the header's hint) is asked for only when the reply is an error.
pub(crate) fn decode_envelope(
    status: u16,
    body: Vec<u8>,
    retry_after_ms: impl FnOnce() -> Option<u64>,
    method: Method,
    what: &dyn Display,
) -> Result<RawReply> {
    let http_ok = (200..300).contains(&status);
    let body = match http_ok {
        true => match plain_success(body) {
            Ok(reply) => return Ok(reply),
            Err(body) => body,
        },
        false => body,
    };
    general_rules(status, &body, retry_after_ms(), method, what)
}

/// [`decode_envelope`] for any reply, through a [`Value`].
pub(crate) fn general_rules(
    status: u16,
    body: &[u8],
    retry_after_ms: Option<u64>,
    method: Method,
    what: &dyn Display,
) -> Result<RawReply> {
    let http_ok = (200..300).contains(&status);
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let Some(Value::Object(obj)) = parsed else {
        let mut e = if http_ok {
            Error::new(
                ErrorKind::BadResponse,
                format!("{what}: HTTP {status} with a body that is not a JSON object"),
            )
        } else {
            Error::new(
                ErrorKind::for_api(None, status),
                format!("{what}: HTTP {status} without a JSON envelope"),
            )
        };
        e.0.http_status = Some(status);
        e.0.retry_after_ms = retry_after_ms;
        e.0.maybe_processed = method != Method::Get && (http_ok || status >= 500);
        return Err(e);
    };
    let request_id = match obj.get("rid") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let api_code = match obj.get("code") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    if http_ok && api_code.unwrap_or(0) == 0 {
        // Some v1 replies carry no envelope at all (D42): then the object is the payload.
        // Either way `data` is the server's own text, member order and spelling included.
        let data = if obj.contains_key("code") || obj.contains_key("data") {
            raw_member(body, "data").unwrap_or_else(|| "null".to_string())
        } else {
            String::from_utf8_lossy(body).trim().to_string()
        };
        return Ok(RawReply { data, request_id });
    }
    let api_message = obj.get("msg").and_then(Value::as_str).map(str::to_string);
    let code = ErrorKind::for_api(api_code.filter(|c| *c != 0), status);
    let detail = api_message
        .clone()
        .unwrap_or_else(|| format!("HTTP {status}"));
    let mut e = match api_code.filter(|c| *c != 0) {
        Some(c) => Error::new(code, format!("{what}: API error {c}: {detail}")),
        None => Error::new(code, format!("{what}: HTTP {status}: {detail}")),
    };
    e.0.http_status = Some(status);
    e.0.api_code = api_code.filter(|c| *c != 0);
    e.0.api_message = api_message;
    e.0.api_data = obj.get("data").filter(|data| !data.is_null()).cloned();
    e.0.request_id = request_id;
    e.0.retry_after_ms = retry_after_ms.or_else(|| body_retry_after(&obj));
    e.0.maybe_processed = method != Method::Get && code == ErrorKind::Server;
    Err(e)
}

/// The text of one member of a JSON object, as sent (the last one, where a member is repeated,
/// as a parse into a tree would keep).
fn raw_member(body: &[u8], name: &str) -> Option<String> {
    let members: std::collections::HashMap<String, &RawValue> =
        serde_json::from_slice(body).ok()?;
    members.get(name).map(|raw| raw.get().to_string())
}

/// The reply nearly every call gets, `{"code": 0, "msg": ..., "data": ..., "rid": "..."}`,
/// read without building a tree: `data` stays the text the server sent, cut out of the body
/// in place. Anything else (another code or a code as a string, a bare object, a member twice,
/// a `rid` that is not a string, text that is not JSON) gives the body back for the general
/// rules, so both paths agree wherever this one answers (`tests::fast_and_general_paths_agree`).
fn plain_success(body: Vec<u8>) -> std::result::Result<RawReply, Vec<u8>> {
    #[derive(Deserialize)]
    struct Envelope<'a> {
        #[serde(borrow)]
        code: Option<&'a RawValue>,
        #[serde(borrow)]
        data: Option<&'a RawValue>,
        #[serde(borrow)]
        rid: Option<std::borrow::Cow<'a, str>>,
    }
    let text = String::from_utf8(body).map_err(|e| e.into_bytes())?;
    let (span, request_id) = match serde_json::from_str::<Envelope>(&text) {
        Ok(env) if env.code.is_some_and(|c| c.get() == "0") => {
            let span = env.data.map(|d| {
                let start = d.get().as_ptr() as usize - text.as_ptr() as usize;
                start..start + d.get().len()
            });
            let rid = env.rid.filter(|r| !r.is_empty()).map(|r| r.into_owned());
            (span, rid)
        }
        _ => return Err(text.into_bytes()),
    };
    let data = match span {
        Some(span) => {
            let mut text = text;
            text.truncate(span.end);
            text.drain(..span.start);
            text
        }
        None => "null".to_string(),
    };
    Ok(RawReply { data, request_id })
}

/// Panics if [`plain_success`] answers for `body` otherwise than the general rules would:
/// run by the unit tests and on every fuzz input.
#[cfg(any(test, feature = "internals"))]
pub(crate) fn assert_paths_agree(body: &[u8]) {
    let Ok(fast) = plain_success(body.to_vec()) else {
        return;
    };
    let what = What(Method::Get, "/v1/x");
    let general = general_rules(200, body, None, Method::Get, &what);
    // Text may differ in spacing, key order and number spelling; the JSON may not. What only
    // the text form can hold (a number past f64, nesting past serde_json's limit) fails
    // wherever a Value is made of it.
    match (fast.parse(), general.and_then(RawReply::parse)) {
        (Ok(f), Ok(g)) => {
            assert_eq!(f.data, g.data, "data of {body:?}");
            assert_eq!(f.request_id, g.request_id, "rid of {body:?}");
        }
        (Err(_), Err(_)) => {}
        (f, g) => panic!("{body:?}: fast path {f:?}, general rules {g:?}"),
    }
}

/// D5: the retry hint may also come in the body, as `retryAfter`/`retry_after` seconds.
fn body_retry_after(obj: &serde_json::Map<String, Value>) -> Option<u64> {
    let data = obj.get("data").and_then(Value::as_object);
    ["retryAfter", "retry_after"]
        .iter()
        .find_map(|k| obj.get(*k).or_else(|| data.and_then(|d| d.get(*k))))
        .and_then(Value::as_f64)
        .and_then(seconds_to_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(status: u16, body: &str) -> Result<Reply> {
        let what = What(Method::Get, "/v1/x");
        decode_envelope(status, body.into(), || None, Method::Get, &what).and_then(RawReply::parse)
    }

    #[test]
    fn a_user_agent_suffix_that_cannot_be_a_header_is_a_config_error() {
        let mut config = Config::new("k").with_base_url("http://127.0.0.1:1");
        config.user_agent_suffix = Some("myapp/1.0\r\nx-evil: 1".into());
        let e = Transport::new(config.clone()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("user_agent_suffix"));
        config.user_agent_suffix = Some("myapp/1.0 (build 7)".into());
        let t = Transport::new(config).unwrap();
        assert_eq!(
            t.agent_header.to_str().unwrap(),
            format!("{} myapp/1.0 (build 7)", user_agent(&Config::new("k")))
        );
    }

    #[test]
    fn query_encoding_is_ureqs() {
        let mut out = String::new();
        encode_query("a b&c=d/é~_.-!*()", &mut out);
        assert_eq!(out, "a%20b%26c%3Dd%2F%C3%A9~_.-!*()");
        // Every ASCII byte: the visible ones pass but for ureq's set, the rest are encoded.
        for b in 0u8..128 {
            let mut out = String::new();
            encode_query(&char::from(b).to_string(), &mut out);
            let special = br##""#$%&'+,/:;<=>?@[\]^`{|}"##.contains(&b);
            let plain = b.is_ascii_graphic() && !special;
            assert_eq!(out.len() == 1, plain, "byte {b:#04x} gave {out}");
        }
    }

    #[test]
    fn fast_and_general_paths_agree() {
        for body in [
            r#"{"code":0,"msg":"Success","data":{"a":1,"b":[1,2.5,"x\u00e9"]},"rid":"ab"}"#,
            r#" { "rid" : "r\"1" , "data" : [ 1 , 2 ] , "code" : 0 } "#,
            r#"{"code":0,"data":null,"rid":null}"#,
            r#"{"code":0}"#,
            r#"{"code":0,"rid":""}"#,
            r#"{"code":0,"data":"text","extra":{"deep":[[[]]]}}"#,
            r#"{"code":0,"data":1e400}"#,
            r#"{"code":"0","data":{}}"#,
            r#"{"code":0.0,"data":{}}"#,
            r#"{"code":0,"data":{},"data":[]}"#,
            r#"{"code":0,"data":{},"rid":7}"#,
            r#"{"data":{"a":1}}"#,
            r#"{"endpoint_id":"e1"}"#,
            r#"{"code":0,"data":{}} trailing"#,
            "[1,2]",
            "",
        ] {
            assert_paths_agree(body.as_bytes());
        }
        // The fast path answers the common shape, keeping `data` as sent.
        let r = plain_success(br#"{"code":0,"data":{"b":1, "a":2},"rid":"x"}"#.to_vec()).unwrap();
        assert_eq!(r.data, r#"{"b":1, "a":2}"#);
        assert_eq!(r.request_id.as_deref(), Some("x"));
        // And gives every other shape back untouched.
        let odd = br#"{"code":"0","data":{}}"#.to_vec();
        assert_eq!(plain_success(odd.clone()).unwrap_err(), odd);
    }

    #[test]
    fn success_returns_data_and_rid() {
        let r = decode(
            200,
            r#"{"code":0,"msg":"Success","data":{"a":1},"rid":"ab"}"#,
        )
        .unwrap();
        assert_eq!(r.data, json!({"a":1}));
        assert_eq!(r.request_id.as_deref(), Some("ab"));
        let r = decode(200, r#"{"code":0,"msg":"ok","rid":""}"#).unwrap();
        assert_eq!(r.data, Value::Null);
        assert_eq!(r.request_id, None);
    }

    #[test]
    fn business_error_on_http_200() {
        let e = decode(200, r#"{"code":10104,"msg":"record not found","rid":"r1"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.api_code(), Some(10104));
        assert_eq!(e.request_id(), Some("r1"));
        assert_eq!(e.http_status(), Some(200));
        assert!(e.message().contains("record not found"));
    }

    #[test]
    fn http_error_without_json() {
        let e = decode(502, "<html>bad gateway</html>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(e.http_status(), Some(502));
        let e = decode(200, "not json").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadResponse);
    }

    #[test]
    fn http_error_with_zero_code_is_still_an_error() {
        let e = decode(500, r#"{"code":0,"msg":"boom"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Server);
        assert_eq!(e.api_code(), None);
    }

    #[test]
    fn bare_object_is_payload() {
        let r = decode(200, r#"{"endpoint_id":"e1"}"#).unwrap();
        assert_eq!(r.data, json!({"endpoint_id":"e1"}));
    }

    #[test]
    fn retry_after_from_body() {
        let e = decode(
            200,
            r#"{"code":429,"msg":"slow down","data":{"retryAfter":2}}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.retry_after().map(|d| d.as_millis() as u64), Some(2000));
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(parse_retry_after("3", now), Some(3000));
        assert_eq!(parse_retry_after(" 0.25 ", now), Some(250));
        // The three date forms HTTP allows, five seconds ahead; a past date is "now".
        for date in [
            "Wed, 21 Oct 2015 07:28:05 GMT",
            "Wednesday, 21-Oct-15 07:28:05 GMT",
            "Wed Oct 21 07:28:05 2015",
        ] {
            assert_eq!(parse_retry_after(date, now), Some(5000), "{date}");
        }
        assert_eq!(
            parse_retry_after("Tue, 20 Oct 2015 07:28:00 GMT", now),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 31 Dec 2099 23:59:59 GMT", now),
            Some(RETRY_AFTER_CAP_MS)
        );
        assert_eq!(parse_retry_after("1e300", now), Some(RETRY_AFTER_CAP_MS));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn absurd_retry_hints_do_not_panic() {
        for hint in ["1e300", "1.8e19", "-1", "1e-300"] {
            let body = format!(r#"{{"code":429,"msg":"slow","retryAfter":{hint}}}"#);
            let e = decode(200, &body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::RateLimited);
        }
        let e = decode(200, r#"{"code":429,"retryAfter":1e300}"#).unwrap_err();
        assert_eq!(
            e.retry_after().map(|d| d.as_millis() as u64),
            Some(RETRY_AFTER_CAP_MS)
        );
        assert_eq!(retry_delay(&e, 0), None, "too long to wait: reported");
    }

    #[test]
    fn retry_policy() {
        let mut e = Error::new(ErrorKind::Server, "boom");
        assert!(should_retry(&e, Method::Get));
        e.0.maybe_processed = true;
        assert!(!should_retry(&e, Method::Post), "never a duplicate create");
        assert!(should_retry(&e, Method::Put), "updates are idempotent");
        let mut limited = Error::new(ErrorKind::RateLimited, "slow down");
        assert!(should_retry(&limited, Method::Post));
        limited.0.retry_after_ms = Some(1500);
        assert_eq!(retry_delay(&limited, 0), Some(Duration::from_millis(1500)));
        limited.0.retry_after_ms = Some(120_000);
        assert_eq!(
            retry_delay(&limited, 0),
            None,
            "too long: report it instead"
        );
        assert!(!should_retry(
            &Error::new(ErrorKind::InvalidRequest, "x"),
            Method::Get
        ));
        for attempt in 0..6 {
            let d = retry_delay(&Error::new(ErrorKind::Timeout, "t"), attempt).unwrap();
            let full = BACKOFF_BASE.saturating_mul(1 << attempt).min(BACKOFF_CAP);
            assert!(d <= full && d >= full.mul_f64(0.75), "{attempt}: {d:?}");
        }
    }

    #[test]
    fn literal_hosts_skip_the_resolver() {
        let addr = |u: &str| literal_addr(&u.parse().unwrap());
        assert_eq!(
            addr("http://127.0.0.1:8080/v1"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(addr("https://[::1]/x"), Some("[::1]:443".parse().unwrap()));
        assert_eq!(
            addr("http://10.0.0.7"),
            Some("10.0.0.7:80".parse().unwrap())
        );
        assert_eq!(addr("https://api.jogg.ai/v1"), None, "a name is looked up");
        assert_eq!(
            addr("http://127.1:80/"),
            None,
            "left to getaddrinfo, as before"
        );
        assert_eq!(addr("socks5://127.0.0.1:1080"), None);
        // The base URL's own literal is remembered; other URIs are still read as they come.
        let r = LiteralResolver::knowing("http://127.0.0.1:8080");
        let lit = |u: &str| r.literal(&u.parse().unwrap());
        assert_eq!(
            lit("http://127.0.0.1:8080/v1/project?x=1"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            lit("http://127.0.0.1:9090/"),
            Some("127.0.0.1:9090".parse().unwrap())
        );
        assert_eq!(
            lit("https://127.0.0.1:8080/"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(lit("https://files.example.com/"), None);
        assert!(
            LiteralResolver::knowing("https://api.jogg.ai")
                .known
                .is_none()
        );
    }

    #[test]
    fn file_urls() {
        assert!(check_file_url("https://cdn.example.com/v.mp4").is_ok());
        assert!(check_file_url("http://127.0.0.1:9/v.mp4").is_ok());
        assert!(
            check_file_url("http://cdn.example.com/v.mp4")
                .unwrap_err()
                .contains("loopback")
        );
        assert!(check_file_url("ftp://x/y").is_err());
        assert!(check_file_url("not a url").is_err());
        let uri =
            check_file_url("https://u:pw@s3.example.com:8443/b/k?X-Amz-Signature=abc").unwrap();
        assert_eq!(redact_url(&uri), "https://s3.example.com:8443/b/k");
    }

    #[test]
    fn server_error_on_post_may_have_been_processed() {
        let what = What(Method::Post, "/v1/x");
        let body = br#"{"code":50000,"msg":"x"}"#.to_vec();
        let e = decode_envelope(200, body, || None, Method::Post, &what).unwrap_err();
        assert!(e.maybe_processed());
    }
}
