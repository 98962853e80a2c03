//! Fault injection: the replies a failing server or network gives, on demand, so that a
//! client's retry and "maybe processed" logic can be exercised against the real simulation.
//!
//! A fault is written `KIND[;PARAM=VALUE]...`, e.g. `http5xx;status=503;times=2`. Each request
//! is checked, in this order, for:
//! 1. the header `X-Jogg-Mock-Fault: FAULT`, which any HTTP client can send;
//! 2. rules `METHOD PATH FAULT` ([`MockConfig::faults`], `--fault`, [`MockServer::add_fault`]),
//!    for clients that cannot add headers (this library, the C/Go/Python programs);
//! 3. a rate ([`MockConfig::fault_rate`]): API requests (`/v1/`, `/v2/`) get a fault drawn from
//!    [`MockConfig::fault_kinds`] with a seeded generator, so a run is reproducible: with the
//!    same seed, the n-th API request the mock sees always gets the same fault (or none).
//!
//! `times=N` makes a fault transient: only the first N matching requests fail, later ones are
//! served normally, so a retried request can succeed. Header faults count per method, path
//! and fault text; each rule counts on its own.
//!
//! Whether a fault lets the request take effect (create the project, charge the credit) is
//! part of its definition ([`FaultKind::takes_effect`]): that is what a client cannot see and
//! what tests of "never a duplicate" need to know.
//!
//! [`MockConfig::faults`]: crate::MockConfig::faults
//! [`MockConfig::fault_rate`]: crate::MockConfig::fault_rate
//! [`MockConfig::fault_kinds`]: crate::MockConfig::fault_kinds
//! [`MockServer::add_fault`]: crate::MockServer::add_fault

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::clock::splitmix64;
use crate::envelope::{
    self, ApiError, CODE_INTERNAL, CODE_RATE_LIMITED, base_response, json_response,
};
use crate::http::{Request, Response};
use crate::{MockConfig, Shared, lock};

/// The request header that asks for a fault.
pub const FAULT_HEADER: &str = "X-Jogg-Mock-Fault";
/// Set on answered faulty replies, naming the kind, so a captured exchange explains itself.
const INJECTED_HEADER: &str = "X-Jogg-Mock-Fault-Injected";

const DEFAULT_STATUS: u16 = 500;
const DEFAULT_DELAY_MS: u64 = 2000;
const DEFAULT_RETRY_AFTER_SECS: u64 = 1;

/// What goes wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// `http5xx`: an HTTP 5xx (`status=`, default 500) with an HTML body, as from a proxy.
    Http5xx,
    /// `api50000`: the API's own internal-error envelope (code 50000).
    Api50000,
    /// `http429`: HTTP 429 with `Retry-After` (`retry_after=` seconds, default 1) and
    /// `X-RateLimit-Remaining: 0`.
    Http429,
    /// `slow`: the request is handled, then answered after `ms=` milliseconds (default 2000).
    Slow,
    /// `drop-before`: the connection is closed without acting on the request or answering.
    DropBefore,
    /// `drop-after`: the request is acted on, then the connection is closed without an answer.
    DropAfter,
    /// `malformed`: the request is acted on, then answered HTTP 200 with a body that is not
    /// JSON.
    Malformed,
    /// `truncated`: the request is acted on; the answer announces its full `Content-Length`
    /// but only half the body is sent before the connection is closed.
    Truncated,
}

/// Not an associated const: cbindgen would try to put it in the C header.
const ALL_KINDS: [FaultKind; 8] = [
    FaultKind::Http5xx,
    FaultKind::Api50000,
    FaultKind::Http429,
    FaultKind::Slow,
    FaultKind::DropBefore,
    FaultKind::DropAfter,
    FaultKind::Malformed,
    FaultKind::Truncated,
];

impl FaultKind {
    /// Every kind, in the order of the documentation.
    pub fn all() -> [FaultKind; 8] {
        ALL_KINDS
    }

    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Http5xx => "http5xx",
            FaultKind::Api50000 => "api50000",
            FaultKind::Http429 => "http429",
            FaultKind::Slow => "slow",
            FaultKind::DropBefore => "drop-before",
            FaultKind::DropAfter => "drop-after",
            FaultKind::Malformed => "malformed",
            FaultKind::Truncated => "truncated",
        }
    }

    /// Whether the request is handled (a create creates) before the fault strikes.
    pub fn takes_effect(self) -> bool {
        matches!(
            self,
            FaultKind::Slow | FaultKind::DropAfter | FaultKind::Malformed | FaultKind::Truncated
        )
    }
}

impl FromStr for FaultKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        FaultKind::all()
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = FaultKind::all().iter().map(|k| k.name()).collect();
                format!("unknown fault {text:?}; one of {}", names.join(", "))
            })
    }
}

/// One fault with its parameters; parse it from `KIND[;PARAM=VALUE]...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub kind: FaultKind,
    /// Only the first `times` matching requests get the fault; `None`: every one. Ignored by
    /// random faults (a rate has no "first N").
    pub times: Option<u32>,
    /// `slow`: the delay before answering.
    pub delay_ms: u64,
    /// `http5xx`: the HTTP status, 500 to 599.
    pub status: u16,
    /// `http429`: the `Retry-After` value, in seconds.
    pub retry_after_secs: u64,
}

impl Fault {
    /// `kind` with its default parameters, striking every time.
    pub fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            times: None,
            delay_ms: DEFAULT_DELAY_MS,
            status: DEFAULT_STATUS,
            retry_after_secs: DEFAULT_RETRY_AFTER_SECS,
        }
    }

    /// Only the first `n` matching requests get the fault.
    pub fn times(self, n: u32) -> Fault {
        Fault {
            times: Some(n),
            ..self
        }
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut parts = text.split(';').map(str::trim);
        let kind: FaultKind = parts.next().unwrap_or_default().parse()?;
        let mut fault = Fault::new(kind);
        for part in parts.filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("fault parameter {part:?} is not NAME=VALUE"))?;
            let name = name.trim();
            let number = || {
                value.trim().parse::<u64>().map_err(|_| {
                    format!("fault parameter {name} needs a whole number, got {value:?}")
                })
            };
            // A parameter that does not apply to the kind is a mistake worth reporting: the
            // user expected it to change something.
            let applies = match name {
                "times" => {
                    fault.times = Some(
                        u32::try_from(number()?)
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or("fault parameter times must be from 1 to 4294967295")?,
                    );
                    true
                }
                "ms" => {
                    fault.delay_ms = number()?;
                    kind == FaultKind::Slow
                }
                "status" => {
                    fault.status = u16::try_from(number()?)
                        .ok()
                        .filter(|s| (500..=599).contains(s))
                        .ok_or("fault parameter status must be from 500 to 599")?;
                    kind == FaultKind::Http5xx
                }
                "retry_after" => {
                    fault.retry_after_secs = number()?;
                    kind == FaultKind::Http429
                }
                _ => return Err(format!("unknown fault parameter {name:?}")),
            };
            if !applies {
                return Err(format!(
                    "fault parameter {name} does not apply to {}",
                    kind.name()
                ));
            }
        }
        Ok(fault)
    }
}

impl fmt::Display for Fault {
    /// The canonical text: the kind, then the parameters that differ from the defaults.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.name())?;
        match self.kind {
            FaultKind::Http5xx if self.status != DEFAULT_STATUS => {
                write!(f, ";status={}", self.status)?;
            }
            FaultKind::Http429 if self.retry_after_secs != DEFAULT_RETRY_AFTER_SECS => {
                write!(f, ";retry_after={}", self.retry_after_secs)?;
            }
            FaultKind::Slow if self.delay_ms != DEFAULT_DELAY_MS => {
                write!(f, ";ms={}", self.delay_ms)?;
            }
            _ => {}
        }
        if let Some(n) = self.times {
            write!(f, ";times={n}")?;
        }
        Ok(())
    }
}

/// A fault for the requests with a given method and path: `METHOD PATH FAULT`, where METHOD
/// or PATH may be `*` (any), and PATH is compared without the query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    pub method: String,
    pub path: String,
    pub fault: Fault,
}

impl FaultRule {
    fn matches(&self, request: &Request) -> bool {
        (self.method == "*" || self.method == request.method)
            && (self.path == "*" || self.path == request.path)
    }
}

impl FromStr for FaultRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut words = text.split_whitespace();
        let (Some(method), Some(path), Some(fault), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(format!(
                "fault rule {text:?} is not METHOD PATH FAULT (e.g. \"GET /v1/project http5xx;times=1\")"
            ));
        };
        if method != "*" && !method.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!(
                "fault rule method {method:?} is not GET, POST... or *"
            ));
        }
        if path != "*" && !path.starts_with('/') {
            return Err(format!(
                "fault rule path {path:?} must start with / (or be *)"
            ));
        }
        Ok(FaultRule {
            method: method.to_owned(),
            path: path.to_owned(),
            fault: fault.parse()?,
        })
    }
}

impl fmt::Display for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.method, self.path, self.fault)
    }
}

/// Decides which requests get a fault; one per server.
pub(crate) struct Injector {
    /// Rules with how many matching requests each has seen.
    rules: Mutex<Vec<(FaultRule, u32)>>,
    /// Requests seen per `METHOD PATH FAULT` asked for by header, for `times`.
    header_seen: Mutex<HashMap<String, u32>>,
    /// API requests that went through the rate draw, in arrival order.
    drawn: AtomicU64,
    injected: AtomicUsize,
    /// Armed by [`MockServer::interrupt_next_download`]: the next file served under
    /// `/files/` is cut after this many body bytes.
    ///
    /// [`MockServer::interrupt_next_download`]: crate::MockServer::interrupt_next_download
    download_cut: Mutex<Option<usize>>,
}

impl Injector {
    pub(crate) fn new(config: &MockConfig) -> Injector {
        Injector {
            rules: Mutex::new(config.faults.iter().map(|r| (r.clone(), 0)).collect()),
            header_seen: Mutex::new(HashMap::new()),
            drawn: AtomicU64::new(0),
            injected: AtomicUsize::new(0),
            download_cut: Mutex::new(None),
        }
    }

    /// One-shot: the next file download sends only `after_bytes` of its body.
    pub(crate) fn cut_next_download(&self, after_bytes: usize) {
        *lock(&self.download_cut) = Some(after_bytes);
    }

    /// Disarms and returns the download cut, if one is armed.
    pub(crate) fn take_download_cut(&self) -> Option<usize> {
        lock(&self.download_cut).take()
    }

    /// Back to the config's rules, with nothing counted or armed (the control API's reset):
    /// a `times=N` rule strikes N times again, and rules added while running are gone.
    pub(crate) fn reset(&self, config: &MockConfig) {
        *lock(&self.rules) = config.faults.iter().map(|r| (r.clone(), 0)).collect();
        lock(&self.header_seen).clear();
        self.drawn.store(0, Ordering::SeqCst);
        self.injected.store(0, Ordering::SeqCst);
        *lock(&self.download_cut) = None;
    }

    pub(crate) fn add(&self, rule: FaultRule) {
        lock(&self.rules).push((rule, 0));
    }

    pub(crate) fn injected(&self) -> usize {
        self.injected.load(Ordering::SeqCst)
    }

    /// The fault for `request`, if any; `Err` when its fault header cannot be parsed (the
    /// caller answers 400 rather than silently serving a request meant to fail).
    pub(crate) fn select(
        &self,
        config: &MockConfig,
        request: &Request,
    ) -> Result<Option<Fault>, String> {
        let chosen = match request.header(&FAULT_HEADER.to_ascii_lowercase()) {
            Some(text) => {
                let fault: Fault = text.parse().map_err(|e| format!("{FAULT_HEADER}: {e}"))?;
                let key = format!("{} {} {fault}", request.method, request.path);
                let mut seen = lock(&self.header_seen);
                let count = seen.entry(key).or_insert(0);
                *count = count.saturating_add(1);
                strikes(&fault, *count).then_some(fault)
            }
            None => self
                .by_rule(request)
                .or_else(|| self.by_rate(config, request)),
        };
        if chosen.is_some() {
            self.injected.fetch_add(1, Ordering::SeqCst);
        }
        Ok(chosen)
    }

    fn by_rule(&self, request: &Request) -> Option<Fault> {
        let mut rules = lock(&self.rules);
        rules
            .iter_mut()
            .filter(|(rule, _)| rule.matches(request))
            .find_map(|(rule, seen)| {
                *seen = seen.saturating_add(1);
                strikes(&rule.fault, *seen).then(|| rule.fault.clone())
            })
    }

    /// A seeded draw per API request: reproducible for a given order of requests.
    fn by_rate(&self, config: &MockConfig, request: &Request) -> Option<Fault> {
        let api = request.path.starts_with("/v1/") || request.path.starts_with("/v2/");
        if config.fault_rate <= 0.0 || !api {
            return None;
        }
        let n = self.drawn.fetch_add(1, Ordering::SeqCst);
        let draw = splitmix64(config.fault_seed ^ splitmix64(n));
        let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
        if unit >= config.fault_rate {
            return None;
        }
        let pick = splitmix64(draw) as usize;
        let fault = if config.fault_kinds.is_empty() {
            Fault::new(ALL_KINDS[pick % ALL_KINDS.len()])
        } else {
            config.fault_kinds[pick % config.fault_kinds.len()].clone()
        };
        Some(Fault {
            times: None,
            ..fault
        })
    }
}

/// Whether a fault strikes the `seen`-th matching request (counted from 1).
fn strikes(fault: &Fault, seen: u32) -> bool {
    fault.times.is_none_or(|n| seen <= n)
}

/// Carries out `fault` for one request; `handle` runs the normal handler. `None`: close the
/// connection without answering.
pub(crate) fn apply(
    shared: &Shared,
    fault: &Fault,
    handle: impl FnOnce() -> Response,
) -> Option<Response> {
    let tag = |response: Response| response.with_header(INJECTED_HEADER, fault.kind.name());
    match fault.kind {
        FaultKind::Http5xx => {
            let body = format!(
                "<html><head><title>{0}</title></head><body><h1>{0}</h1>\
                 <p>Injected by jogg-mock.</p></body></html>\n",
                fault.status
            );
            Some(tag(base_response(
                fault.status,
                "text/html; charset=utf-8",
                body.into_bytes(),
            )))
        }
        FaultKind::Api50000 => Some(tag(envelope::error_response(
            shared,
            &ApiError {
                code: CODE_INTERNAL,
                msg: "Internal server error (injected by jogg-mock)".to_owned(),
            },
        ))),
        // Always HTTP 429, whatever `http_errors` says: this is the proxy-level limit reply.
        FaultKind::Http429 => Some(tag(json_response(
            shared,
            429,
            CODE_RATE_LIMITED,
            "Rate limit exceeded (injected by jogg-mock). Please try again later.",
            Value::Null,
        )
        .with_header("Retry-After", fault.retry_after_secs.to_string())
        .with_header("X-RateLimit-Remaining", "0"))),
        FaultKind::Slow => {
            let response = handle();
            std::thread::sleep(Duration::from_millis(fault.delay_ms));
            Some(tag(response))
        }
        FaultKind::DropBefore => None,
        FaultKind::DropAfter => {
            drop(handle());
            None
        }
        FaultKind::Malformed => {
            drop(handle());
            // Looks like the start of an envelope, so a client that only sniffs the first
            // bytes is caught too.
            let body = br#"{"code":0,"msg":"success","data":{"#.to_vec();
            Some(tag(base_response(200, "application/json", body)))
        }
        FaultKind::Truncated => {
            let mut response = handle();
            response.cut_after = Some(response.body.len() / 2);
            Some(tag(response))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_parse_and_print_canonically() {
        let f: Fault = "http5xx; status=503 ;times=2".parse().unwrap();
        assert_eq!(f.kind, FaultKind::Http5xx);
        assert_eq!((f.status, f.times), (503, Some(2)));
        assert_eq!(f.to_string(), "http5xx;status=503;times=2");
        assert_eq!(
            "slow;ms=150".parse::<Fault>().unwrap().to_string(),
            "slow;ms=150"
        );
        assert_eq!(
            "http429;retry_after=0".parse::<Fault>().unwrap(),
            Fault {
                retry_after_secs: 0,
                ..Fault::new(FaultKind::Http429)
            }
        );
        for kind in FaultKind::all() {
            assert_eq!(kind.name().parse::<FaultKind>(), Ok(kind));
            assert_eq!(Fault::new(kind).to_string(), kind.name());
        }
    }

    #[test]
    fn bad_faults_say_what_is_wrong() {
        let err = |text: &str| text.parse::<Fault>().unwrap_err();
        assert!(err("http501").contains("one of http5xx"));
        assert!(err("slow;status=502").contains("does not apply to slow"));
        assert!(err("http5xx;status=404").contains("500 to 599"));
        assert!(err("slow;ms").contains("NAME=VALUE"));
        assert!(err("slow;ms=-1").contains("whole number"));
        assert!(err("slow;times=0").contains("times"));
        assert!(err("slow;colour=red").contains("unknown fault parameter"));
        let rule: FaultRule = "POST  /v1/product  drop-after;times=1".parse().unwrap();
        assert_eq!(rule.to_string(), "POST /v1/product drop-after;times=1");
        assert!("GET /v1/project".parse::<FaultRule>().is_err());
        assert!("get /v1/project slow".parse::<FaultRule>().is_err());
        assert!("GET v1/project slow".parse::<FaultRule>().is_err());
        assert!("* * slow".parse::<FaultRule>().is_ok());
    }

    #[test]
    fn only_the_first_times_requests_are_struck() {
        let once = Fault::new(FaultKind::Slow).times(1);
        assert!(strikes(&once, 1));
        assert!(!strikes(&once, 2));
        assert!(strikes(&Fault::new(FaultKind::Slow), 1000));
    }

    #[test]
    fn the_rate_draw_is_reproducible_and_near_its_rate() {
        let config = MockConfig {
            fault_rate: 0.25,
            fault_seed: 7,
            ..MockConfig::default()
        };
        let request = |path: &str| Request {
            method: "GET".to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Vec::new(),
            keep_alive: true,
        };
        let run = |config: &MockConfig| {
            let injector = Injector::new(config);
            (0..2000)
                .map(|_| injector.select(config, &request("/v1/project")).unwrap())
                .map(|f| f.map(|f| f.kind))
                .collect::<Vec<_>>()
        };
        let first = run(&config);
        assert_eq!(first, run(&config), "same seed, same faults");
        let struck = first.iter().flatten().count();
        assert!((400..600).contains(&struck), "{struck} of 2000 at 25 %");
        for kind in FaultKind::all() {
            assert!(first.contains(&Some(kind)), "{kind:?} never drawn");
        }
        let other = MockConfig {
            fault_seed: 8,
            ..config.clone()
        };
        assert_ne!(first, run(&other), "another seed, other faults");
        // Files are not API requests: never struck by the rate.
        let injector = Injector::new(&config);
        assert!((0..100).all(|_| {
            injector
                .select(&config, &request("/files/x.mp4"))
                .unwrap()
                .is_none()
        }));
    }
}
