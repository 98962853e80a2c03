//! Client configuration: what `jogg_client_new` takes as JSON and `Client::new` as a struct.
//!
//! Checked once, at construction, so that a bad base URL or a missing key fails there and
//! not on the first request in production.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Code, Error, Result};
use crate::limiter::{PostLimitFallback, PostLimitScope};
use crate::log::{LogLevel, LogSink};
use crate::members::{self, Expect};
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
    /// What the client's scrubber takes out of everything it lets out: the key and the
    /// password of the proxy URL (configured, or read from the environment).
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.api_key.expose().to_string()];
        let proxies = match &self.proxy {
            Proxy::Url(url) => vec![url.clone()],
            Proxy::None => Vec::new(),
            // What ureq may read from the environment.
            Proxy::Env => ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"]
                .into_iter()
                .filter_map(|name| std::env::var(name).ok())
                .collect(),
        };
        secrets.extend(
            proxies
                .iter()
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

/// Everything a client needs. Build it with [`Config::new`] or [`Config::from_json`]. Its
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
    /// is cut off here, with [`Code::Timeout`](crate::Code::Timeout).
    pub transfer_timeout: Duration,
    pub proxy: Proxy,
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
    #[doc(hidden)]
    pub test_clock_skew_ms: i64,
    /// How much to log (see [`crate::log`]): by default what the `JOGG_LOG` environment
    /// variable says (`debug`, `info`), else `Off`.
    pub log: LogLevel,
    /// Where log lines go; `None`: stderr.
    pub log_sink: Option<LogSink>,
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
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("max_retries", &self.max_retries)
            .field("post_limit", &self.post_limit)
            .field("post_window", &self.post_window)
            .field("log", &self.log)
            .field("log_sink", &self.log_sink)
            .finish()
    }
}

/// The members of the JSON form and what each holds, checked before serde reads them so that
/// a mistake is named in plain words (`timeout_ms: must be a whole number of milliseconds`).
const CONFIG_MEMBERS: &[(&str, Expect)] = &[
    ("api_key", Expect::Text),
    ("base_url", Expect::Text),
    ("connect_timeout_ms", Expect::Millis),
    ("timeout_ms", Expect::Millis),
    ("transfer_timeout_ms", Expect::Millis),
    ("proxy", Expect::Text),
    ("user_agent_suffix", Expect::Text),
    ("max_retries", Expect::Count(u32::MAX as u64)),
    ("post_limit", Expect::Count(u32::MAX as u64)),
    ("post_window_ms", Expect::Millis),
    ("post_limit_scope", Expect::Text),
    ("post_limit_dir", Expect::Text),
    ("post_limit_fallback", Expect::Text),
    ("log", Expect::Text),
];

/// The JSON form. Every member optional; unknown members are an error so a typo is caught.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigJson {
    api_key: Option<String>,
    base_url: Option<String>,
    connect_timeout_ms: Option<u64>,
    timeout_ms: Option<u64>,
    transfer_timeout_ms: Option<u64>,
    proxy: Option<String>,
    user_agent_suffix: Option<String>,
    max_retries: Option<u32>,
    post_limit: Option<u32>,
    post_window_ms: Option<u64>,
    post_limit_scope: Option<String>,
    post_limit_dir: Option<String>,
    post_limit_fallback: Option<String>,
    log: Option<String>,
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
        }
    }

    /// Same as [`Config::new`] with another API root (e.g. `jogg-mock`'s address).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Config {
        self.base_url = base_url.into();
        self
    }

    /// Parses the config JSON of `jogg_client_new`. `api_key` falls back to the environment
    /// variable `JOGG_API_KEY`, `base_url` to `JOGG_BASE_URL`, then to the real API. Members:
    /// `api_key`, `base_url`, `connect_timeout_ms`, `timeout_ms`, `transfer_timeout_ms`, `proxy`,
    /// `user_agent_suffix`, `max_retries`, `post_limit`, `post_window_ms`, `post_limit_scope`
    /// (`"client"`, `"process"`, `"host"` or a `redis://host:port/db` URL), `post_limit_dir`,
    /// `post_limit_fallback` (`"error"` or `"process"`), `log` (`"off"`, `"info"`,
    /// `"debug"`; else the `JOGG_LOG` environment variable, else off).
    pub fn from_json(text: &str) -> Result<Config> {
        let parsed: ConfigJson = if text.trim().is_empty() {
            ConfigJson::default()
        } else {
            serde_json::from_str(text).map_err(|e| {
                // A member unknown or of the wrong type: said in plain words, member by
                // member, when the text reads as a JSON value at all.
                let plain = e.is_data().then(|| {
                    let value = serde_json::from_str::<serde_json::Value>(text).ok()?;
                    members::check(&value, "config_json", CONFIG_MEMBERS, Code::InvalidConfig).err()
                });
                plain.flatten().unwrap_or_else(|| config_json_error(&e))
            })?
        };
        let api_key = parsed
            .api_key
            .or_else(|| env_nonempty("JOGG_API_KEY"))
            .ok_or_else(|| {
                config_error(
                    "api_key",
                    "is missing: set it in the config or in the JOGG_API_KEY environment variable",
                )
            })?;
        let base_url = parsed
            .base_url
            .or_else(|| env_nonempty("JOGG_BASE_URL"))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let proxy = match parsed.proxy.as_deref() {
            None | Some("env") => Proxy::Env,
            Some("none") => Proxy::None,
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                Proxy::Url(url.to_string())
            }
            Some(_) => {
                return Err(config_error(
                    "proxy",
                    "must be \"env\", \"none\" or an http:// or https:// proxy URL",
                ));
            }
        };
        let mut config = Config::new(api_key).with_base_url(base_url);
        config.proxy = proxy;
        config.user_agent_suffix = parsed.user_agent_suffix;
        if let Some(ms) = parsed.connect_timeout_ms {
            config.connect_timeout = positive_ms("connect_timeout_ms", ms)?;
        }
        if let Some(ms) = parsed.timeout_ms {
            config.timeout = positive_ms("timeout_ms", ms)?;
        }
        if let Some(ms) = parsed.transfer_timeout_ms {
            config.transfer_timeout = positive_ms("transfer_timeout_ms", ms)?;
        }
        if let Some(n) = parsed.max_retries {
            if n > 10 {
                return Err(config_error("max_retries", "must be at most 10"));
            }
            config.max_retries = n;
        }
        if let Some(n) = parsed.post_limit {
            config.post_limit = n;
        }
        if let Some(ms) = parsed.post_window_ms {
            config.post_window = positive_ms("post_window_ms", ms)?;
        }
        if let Some(text) = parsed.post_limit_scope {
            config.post_limit_scope = PostLimitScope::parse(&text).ok_or_else(|| {
                config_error(
                    "post_limit_scope",
                    "must be \"client\", \"process\", \"host\" or a redis:// URL",
                )
            })?;
        }
        config.post_limit_dir = parsed.post_limit_dir.map(PathBuf::from);
        if let Some(text) = parsed.post_limit_fallback {
            config.post_limit_fallback = match text.as_str() {
                "error" => PostLimitFallback::Error,
                "process" => PostLimitFallback::Process,
                _ => {
                    return Err(config_error(
                        "post_limit_fallback",
                        "must be \"error\" or \"process\"",
                    ));
                }
            };
        }
        if let Some(text) = parsed.log {
            config.log = LogLevel::parse(&text)
                .ok_or_else(|| config_error("log", "must be \"off\", \"info\" or \"debug\""))?;
        }
        Ok(config)
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
        self.validate_post_limit()?;
        Ok(base)
    }

    /// The scope's own members agree with it: a Redis URL that reads, a directory only for
    /// the host scope, a fallback only where a store can fail.
    fn validate_post_limit(&self) -> Result<()> {
        if let PostLimitScope::Redis(url) = &self.post_limit_scope {
            crate::limiter::check_redis_url(url)
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

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn positive_ms(field: &str, ms: u64) -> Result<Duration> {
    if ms == 0 {
        return Err(config_error(field, "must be greater than 0"));
    }
    Ok(Duration::from_millis(ms))
}

fn config_error(field: &str, problem: impl AsRef<str>) -> Error {
    let mut e = Error::validation(field, problem);
    e.code = Code::InvalidConfig;
    e
}

/// serde's messages name unknown and mistyped members; keep them, tagged with the member.
fn config_json_error(e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let field = text
        .split('`')
        .nth(1)
        .filter(|_| text.starts_with("unknown field") || text.starts_with("missing field"))
        .unwrap_or("config");
    let mut err = config_error(field, &text);
    if e.is_syntax() || e.is_eof() {
        err.code = Code::InvalidJson;
        err.field = Some("config_json".into());
        err.message = format!("config_json: not valid JSON: {text}");
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> Result<Config> {
        Config::from_json(json)
    }

    #[test]
    fn http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            "https://api.jogg.ai",
        ] {
            let c = cfg(&format!(r#"{{"api_key":"k","base_url":"{ok}"}}"#)).unwrap();
            assert!(c.validate().is_ok(), "{ok}");
        }
        let c = cfg(r#"{"api_key":"k","base_url":"http://api.jogg.ai"}"#).unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert_eq!(e.field.as_deref(), Some("base_url"));
        assert!(e.message.contains("loopback"), "{}", e.message);
    }

    #[test]
    fn versioned_base_url_is_refused() {
        let c = cfg(r#"{"api_key":"k","base_url":"https://api.jogg.ai/v1/"}"#).unwrap();
        assert!(
            c.validate()
                .unwrap_err()
                .message
                .contains("without the version")
        );
    }

    #[test]
    fn unknown_member_is_named() {
        let e = cfg(r#"{"api_key":"k","base_ulr":"x"}"#).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert_eq!(e.field.as_deref(), Some("base_ulr"));
    }

    #[test]
    fn a_member_of_the_wrong_type_is_named_with_the_type_in_plain_words() {
        let e = cfg(r#"{"api_key":"k","timeout_ms":"60s"}"#).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert_eq!(e.field.as_deref(), Some("timeout_ms"));
        assert_eq!(
            e.message,
            "timeout_ms: must be a whole number of milliseconds (got \"60s\")"
        );
        assert!(!e.message.contains("u64"));
        let e = cfg(r#"{"api_key":"k","max_retries":-2}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("max_retries"));
        assert!(
            e.message.contains("a whole number from 0 to"),
            "{}",
            e.message
        );
        let e = cfg(r#"{"api_key":7}"#).unwrap_err();
        assert_eq!(e.message, "api_key: must be a string (got 7)");
        assert!(cfg(r#"{"api_key":"k","proxy":null}"#).is_ok());
        let e = cfg("[]").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("config_json"));
    }

    #[test]
    fn bad_json_and_bad_values() {
        assert_eq!(cfg("{").unwrap_err().code, Code::InvalidJson);
        let e = cfg(r#"{"api_key":"k","timeout_ms":0}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("timeout_ms"));
        let e = cfg(r#"{"api_key":"k","proxy":"socks"}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("proxy"));
    }

    #[test]
    fn key_is_never_printed() {
        let c = cfg(r#"{"api_key":"sk-SENTINEL-123"}"#).unwrap();
        assert!(!format!("{c:?}").contains("SENTINEL"));
        let c = cfg("{\"api_key\":\"sk-SENTINEL\\n\"}").unwrap();
        let e = c.validate().unwrap_err();
        assert!(!format!("{e:?}{e}").contains("SENTINEL"));
    }

    #[test]
    fn post_limit_scope_members() {
        let c = cfg(r#"{"api_key":"k","post_limit_scope":"host","post_limit_dir":"/tmp/x","post_limit_fallback":"process"}"#).unwrap();
        assert!(matches!(c.post_limit_scope, PostLimitScope::Host));
        assert!(c.validate().is_ok());
        let c = cfg(r#"{"api_key":"k","post_limit_scope":"redis://:s3cret@127.0.0.1:6379/1"}"#)
            .unwrap();
        assert!(c.validate().is_ok());
        assert!(!format!("{c:?}").contains("s3cret"), "{c:?}");
        for (json, field) in [
            (r#"{"post_limit_scope":"cluster"}"#, "post_limit_scope"),
            (
                r#"{"post_limit_scope":"redis://h:port/0"}"#,
                "post_limit_scope",
            ),
            (r#"{"post_limit_dir":"/tmp/x"}"#, "post_limit_dir"),
            (
                r#"{"post_limit_scope":"host","post_limit_dir":"rel"}"#,
                "post_limit_dir",
            ),
            (
                r#"{"post_limit_fallback":"process"}"#,
                "post_limit_fallback",
            ),
            (r#"{"post_limit_fallback":"maybe"}"#, "post_limit_fallback"),
        ] {
            let json = json.replacen('{', r#"{"api_key":"k","#, 1);
            let e = cfg(&json).and_then(|c| c.validate().map(drop)).unwrap_err();
            assert_eq!(e.code, Code::InvalidConfig, "{json}");
            assert_eq!(e.field.as_deref(), Some(field), "{json}: {e}");
        }
    }

    #[test]
    fn loopback_disables_env_proxy() {
        let c = Config::new("k").with_base_url("http://127.0.0.1:1");
        assert_eq!(c.effective_proxy(), Proxy::None);
        assert_eq!(Config::new("k").effective_proxy(), Proxy::Env);
    }
}
