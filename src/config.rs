//! Client configuration: what `jogg_client_new` takes as JSON and `Client::new` as a struct.
//!
//! Checked once, at construction, so that a bad base URL or a missing key fails there and
//! not on the first request in production.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::limiter::{self, PostLimitFallback, PostLimitScope};
use crate::log::{LogLevel, LogSink};
use crate::scrub::{redact_userinfo, url_password};

/// The API root; v1 and v2 paths are appended to it (`/v1/project`, `/v2/voices`).
pub const DEFAULT_BASE_URL: &str = "https://api.jogg.ai";
const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 5_000;
const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// One hour: a large video on a slow link (500 MB at 150 kB/s) still arrives.
const DEFAULT_TRANSFER_TIMEOUT_MS: u64 = 3_600_000;
const DEFAULT_MAX_RETRIES: u32 = 2;
/// The documented limit: 20 POSTs per minute per key (api-notes §7).
const DEFAULT_POST_LIMIT: u32 = 20;
const DEFAULT_POST_WINDOW_MS: u64 = 60_000;

/// The API key. Its `Debug` and `Display` never show it: it ends up in logs otherwise.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl Config {
    /// What the client's scrubber takes out of everything it lets out: the key, the webhook
    /// secrets, and the passwords of the URLs it is given: the proxy's (configured, or read
    /// from the environment), the base URL's and the Redis server's.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.api_key.expose().to_string()];
        let mut urls = match &self.proxy {
            Proxy::Url(url) => vec![url.clone()],
            Proxy::None => Vec::new(),
            // What ureq may read from the environment.
            Proxy::Env => [
                "ALL_PROXY",
                "all_proxy",
                "HTTPS_PROXY",
                "https_proxy",
                "HTTP_PROXY",
                "http_proxy",
            ]
            .into_iter()
            .filter_map(|name| std::env::var(name).ok())
            .collect(),
        };
        urls.push(self.base_url.clone());
        if let PostLimitScope::Redis(url) = &self.post_limit_scope {
            urls.push(url.clone());
        }
        secrets.extend(self.webhook_secrets.iter().cloned());
        secrets.extend(
            urls.iter()
                .filter_map(|url| url_password(url))
                .map(str::to_string),
        );
        secrets
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// Where requests go through. Its `Debug` hides the password of a proxy URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Proxy {
    /// `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY` from the environment (the default, except for
    /// loopback base URLs, which a proxy could never reach).
    Env,
    /// Direct connections only.
    None,
    /// This proxy URL (`http://host:port`, `https://...`).
    Url(String),
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::Env => f.write_str("Env"),
            Proxy::None => f.write_str("None"),
            Proxy::Url(url) => f.debug_tuple("Url").field(&redact_userinfo(url)).finish(),
        }
    }
}

/// The certificate authorities a client trusts before its `ca_file` is added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsRoots {
    /// The platform's trust store (on Linux and the BSDs the OpenSSL locations, honouring
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` as OpenSSL and libcurl do; the keychain on macOS;
    /// the certificate store on Windows), or the bundled roots where the system has none. A
    /// `SSL_CERT_FILE` that cannot be read fails the client, as it fails OpenSSL and curl.
    #[default]
    System,
    /// The Mozilla roots built into the library (webpki-root-certs): the same on every
    /// machine, whatever its trust store says.
    Bundled,
    /// The CAs of `ca_file` alone.
    CaFileOnly,
}

impl TlsRoots {
    /// `"system"`, `"bundled"` or `"ca_file_only"`, as in the config JSON.
    pub fn parse(text: &str) -> Option<TlsRoots> {
        match text {
            "system" => Some(TlsRoots::System),
            "bundled" => Some(TlsRoots::Bundled),
            "ca_file_only" => Some(TlsRoots::CaFileOnly),
            _ => None,
        }
    }
}

/// Everything a client needs. Build it with [`Config::new`] or [`Config::from_env`]. Its
/// `Debug` shows neither the key nor the credentials of a URL.
#[derive(Clone)]
pub struct Config {
    pub api_key: ApiKey,
    /// API root, without `/v1` or `/v2`; `https://`, or `http://` to a loopback host only.
    pub base_url: String,
    /// Time allowed to establish a connection (including TLS).
    pub connect_timeout: Duration,
    /// Time allowed for one whole request, from connecting to the last body byte. Kept to
    /// within 0.1 % (60 ms of 60 s): a reused connection's socket timeouts are reset only
    /// when they would move by more than that. For file transfers (upload, download), the
    /// longest wait for the response head or for any progress of the body.
    pub timeout: Duration,
    /// Time allowed for one whole file transfer (`upload_asset`, `download`), redirects and
    /// all; default one hour. A body that keeps trickling in slower than it could ever finish
    /// is cut off here, with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout).
    pub transfer_timeout: Duration,
    pub proxy: Proxy,
    /// A PEM file of CA certificates trusted besides [`Config::tls_roots`]: a company CA, a
    /// TLS-inspecting proxy's CA, a test server's. Read when the client is made.
    pub ca_file: Option<PathBuf>,
    /// The CAs trusted before `ca_file`'s: the system's (the default), the bundled ones, or
    /// none.
    pub tls_roots: TlsRoots,
    /// Appended to our `User-Agent` (`jogg/0.1.0 (linux; rust) <suffix>`); visible ASCII and
    /// spaces, else the client is not created.
    pub user_agent_suffix: Option<String>,
    /// Further attempts after a failure worth retrying (connection errors, timeouts, 429,
    /// 5xx, API 50000); a POST only when it certainly was not processed.
    pub max_retries: u32,
    /// POSTs allowed in any `post_window`, across everything sharing `post_limit_scope`;
    /// 0 = no client-side limit.
    pub post_limit: u32,
    pub post_window: Duration,
    /// Who shares the count of POSTs: this client, the process (the default), the host, a
    /// Redis server, or a store of the caller's own. Clients share a count when they have
    /// the same API key and base URL.
    pub post_limit_scope: PostLimitScope,
    /// The host scope's directory: private (0700), created if missing; absolute. Default
    /// `/tmp/jogg-<uid>`. Processes share a count only if they use the same directory.
    pub post_limit_dir: Option<PathBuf>,
    /// What a POST does when the shared store cannot be used.
    pub post_limit_fallback: PostLimitFallback,
    /// Test hook: the host scope's clock reads this many ms off in this process.
    pub(crate) test_clock_skew_ms: i64,
    /// How much to log ([`LogLevel`]): by default what the `JOGG_LOG` environment
    /// variable says (`debug`, `info`), else `Off`.
    pub log: LogLevel,
    /// Where log lines go; `None`: stderr.
    pub log_sink: Option<LogSink>,
    /// Secrets of webhook endpoints whose deliveries this client is handed
    /// ([`Client::deliver_webhook`](crate::Client::deliver_webhook)), beside those of the
    /// endpoints it creates itself: endpoints created before the program started, or by
    /// another program. A client that knows a secret expects deliveries, and its waits poll
    /// only as a safety net (see [`WaitOptions`](crate::WaitOptions)). Not shown by `Debug`.
    pub webhook_secrets: Vec<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key)
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("transfer_timeout", &self.transfer_timeout)
            .field("proxy", &self.proxy)
            .field("ca_file", &self.ca_file)
            .field("tls_roots", &self.tls_roots)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("max_retries", &self.max_retries)
            .field("post_limit", &self.post_limit)
            .field("post_window", &self.post_window)
            .field("log", &self.log)
            .field("log_sink", &self.log_sink)
            .field(
                "webhook_secrets",
                &format_args!("<{} redacted>", self.webhook_secrets.len()),
            )
            .finish()
    }
}

impl Config {
    /// A config for `api_key` with every default: the real API, env proxy, 5 s connect and
    /// 60 s request timeouts, logging as `JOGG_LOG` says (off when unset).
    pub fn new(api_key: impl Into<String>) -> Config {
        Config {
            api_key: ApiKey::new(api_key),
            base_url: DEFAULT_BASE_URL.to_string(),
            connect_timeout: Duration::from_millis(DEFAULT_CONNECT_TIMEOUT_MS),
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            transfer_timeout: Duration::from_millis(DEFAULT_TRANSFER_TIMEOUT_MS),
            proxy: Proxy::Env,
            ca_file: None,
            tls_roots: TlsRoots::System,
            user_agent_suffix: None,
            max_retries: DEFAULT_MAX_RETRIES,
            post_limit: DEFAULT_POST_LIMIT,
            post_window: Duration::from_millis(DEFAULT_POST_WINDOW_MS),
            post_limit_scope: PostLimitScope::default(),
            post_limit_dir: None,
            post_limit_fallback: PostLimitFallback::default(),
            test_clock_skew_ms: 0,
            log: env_log_level(),
            log_sink: None,
            webhook_secrets: Vec::new(),
        }
    }

    /// Same as [`Config::new`] with another API root (e.g. `jogg-mock`'s address).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Config {
        self.base_url = base_url.into();
        self
    }

    /// Moves this process's clock for the shared POST limit by `ms` (the library's own
    /// tests of clock skew between hosts).
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn skew_clock_for_tests(&mut self, ms: i64) {
        self.test_clock_skew_ms = ms;
    }

    /// A config from the environment, as `jogg_client_new("{}")` makes it: the key from
    /// `JOGG_API_KEY` (required), the API root from `JOGG_BASE_URL` (else the real API), the
    /// log level from `JOGG_LOG`, the proxy from the usual proxy variables; every other member
    /// at its default. Nothing is sent.
    pub fn from_env() -> Result<Config> {
        let api_key = env_nonempty("JOGG_API_KEY").ok_or_else(|| {
            config_error(
                "api_key",
                "is missing: set the JOGG_API_KEY environment variable",
            )
        })?;
        let base_url =
            env_nonempty("JOGG_BASE_URL").unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        Ok(Config::new(api_key).with_base_url(base_url))
    }
    /// Checks the config and returns the normalised base URL (no trailing slash).
    pub(crate) fn validate(&self) -> Result<String> {
        let key = self.api_key.expose();
        if key.is_empty() {
            return Err(config_error("api_key", "is empty"));
        }
        // The key becomes a header value: anything else than visible ASCII would be refused
        // by the HTTP layer later with a message that could quote it.
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(config_error(
                "api_key",
                "contains characters other than visible ASCII",
            ));
        }
        let base = self.base_url.trim_end_matches('/').to_string();
        // Checked first, so that no message below quotes a password. The key is the API's
        // only credential; a user:password@ has no use here.
        if url_password(&base).is_some() || base.contains('@') {
            return Err(config_error(
                "base_url",
                "must not contain credentials (user:password@); the API key is the only one",
            ));
        }
        let uri: ureq::http::Uri = base
            .parse()
            .map_err(|_| config_error("base_url", format!("is not a valid URL: {base:?}")))?;
        let host = uri
            .host()
            .ok_or_else(|| config_error("base_url", format!("has no host: {base:?}")))?;
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(host) => {}
            Some("http") => {
                return Err(config_error(
                    "base_url",
                    format!(
                        "plain http:// is allowed only to a loopback host (127.0.0.1, ::1, localhost); \
                         use https:// for {host} so the API key is not sent in clear text"
                    ),
                ));
            }
            _ => return Err(config_error("base_url", "must start with https://")),
        }
        if uri.query().is_some() {
            return Err(config_error("base_url", "must not have a query string"));
        }
        let path = uri.path().trim_end_matches('/');
        if path.ends_with("/v1") || path.ends_with("/v2") {
            return Err(config_error(
                "base_url",
                format!(
                    "must be the API root without the version, e.g. {DEFAULT_BASE_URL}, not {base}"
                ),
            ));
        }
        if self.connect_timeout.is_zero()
            || self.timeout.is_zero()
            || self.transfer_timeout.is_zero()
        {
            return Err(config_error("timeout_ms", "must be greater than 0"));
        }
        // It ends the User-Agent header: a CR/LF or a control byte there would be refused by
        // the HTTP layer at the first request, or split the header.
        if let Some(suffix) = &self.user_agent_suffix
            && !suffix.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
        {
            return Err(config_error(
                "user_agent_suffix",
                "must be visible ASCII and spaces",
            ));
        }
        if self.tls_roots == TlsRoots::CaFileOnly && self.ca_file.is_none() {
            return Err(config_error(
                "tls_roots",
                "\"ca_file_only\" needs a ca_file with at least one certificate",
            ));
        }
        self.validate_post_limit()?;
        if let Some(i) = self.webhook_secrets.iter().position(String::is_empty) {
            return Err(config_error(
                &format!("webhook_secrets[{i}]"),
                "is empty: give each endpoint's `secret` as the API returned it",
            ));
        }
        Ok(base)
    }

    /// The scope's own members agree with it: a Redis URL that reads, a directory only for
    /// the host scope, a fallback only where a store can fail.
    fn validate_post_limit(&self) -> Result<()> {
        if let PostLimitScope::Redis(url) = &self.post_limit_scope {
            limiter::check_redis_url(url)
                .map_err(|problem| config_error("post_limit_scope", problem))?;
        }
        if let Some(dir) = &self.post_limit_dir {
            if !matches!(self.post_limit_scope, PostLimitScope::Host) {
                return Err(config_error(
                    "post_limit_dir",
                    "applies only to the \"host\" post_limit_scope",
                ));
            }
            if !dir.is_absolute() {
                return Err(config_error(
                    "post_limit_dir",
                    "must be an absolute path (processes in other directories must find it)",
                ));
            }
        }
        if self.post_limit_fallback == PostLimitFallback::Process
            && !self.post_limit_scope.is_shared_store()
        {
            return Err(config_error(
                "post_limit_fallback",
                "applies only to a shared post_limit_scope (\"host\", redis://, a store of your own)",
            ));
        }
        Ok(())
    }

    /// What the POST limiter is built from: its members of this config.
    pub(crate) fn post_limit_settings(&self) -> limiter::Settings {
        limiter::Settings {
            limit: self.post_limit,
            window: self.post_window,
            scope: self.post_limit_scope.clone(),
            dir: self.post_limit_dir.clone(),
            fallback: self.post_limit_fallback,
            request_timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            clock_skew_ms: self.test_clock_skew_ms,
        }
    }

    /// The proxy to use once the base URL is known: `Env` never applies to loopback.
    pub(crate) fn effective_proxy(&self) -> Proxy {
        let loopback = self
            .base_url
            .parse::<ureq::http::Uri>()
            .ok()
            .and_then(|u| u.host().map(is_loopback))
            .unwrap_or(false);
        match &self.proxy {
            Proxy::Env if loopback => Proxy::None,
            p => p.clone(),
        }
    }
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// `JOGG_LOG`, the default of [`Config::log`]. A value we cannot read means off: a typo in
/// an environment variable must not stop a program that never asked for logs.
fn env_log_level() -> LogLevel {
    env_nonempty("JOGG_LOG")
        .and_then(|v| LogLevel::parse(&v))
        .unwrap_or(LogLevel::Off)
}

pub(crate) fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

pub(crate) fn positive_ms(field: &str, ms: u64) -> Result<Duration> {
    if ms == 0 {
        return Err(config_error(field, "must be greater than 0"));
    }
    Ok(Duration::from_millis(ms))
}

pub(crate) fn config_error(field: &str, problem: impl AsRef<str>) -> Error {
    let mut e = Error::validation(field, problem);
    e.0.kind = ErrorKind::InvalidConfig;
    e
}
