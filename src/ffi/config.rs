//! The config JSON of `jogg_client_new`.

use std::path::PathBuf;

use serde::Deserialize;

use super::exports::JOGG_ERR_INVALID_JSON;
use super::failure::{Failure, FfiResult};
use super::members::{self, Expect};
use crate::config::{
    Config, DEFAULT_BASE_URL, Proxy, TlsRoots, config_error, env_nonempty, positive_ms,
};
use crate::error::ErrorKind;
use crate::limiter::{PostLimitFallback, PostLimitScope};
use crate::log::LogLevel;

/// The members of the JSON form and what each holds, checked before serde reads them so that
/// a mistake is named in plain words (`timeout_ms: must be a whole number of milliseconds`).
const CONFIG_MEMBERS: &[(&str, Expect)] = &[
    ("api_key", Expect::Secret(&Expect::Text)),
    ("base_url", Expect::Secret(&Expect::Text)),
    ("connect_timeout_ms", Expect::Millis),
    ("timeout_ms", Expect::Millis),
    ("transfer_timeout_ms", Expect::Millis),
    ("proxy", Expect::Secret(&Expect::Text)),
    ("ca_file", Expect::Text),
    ("tls_roots", Expect::Text),
    ("user_agent_suffix", Expect::Text),
    ("max_retries", Expect::Count(u32::MAX as u64)),
    ("post_limit", Expect::Count(u32::MAX as u64)),
    ("post_window_ms", Expect::Millis),
    ("post_limit_scope", Expect::Secret(&Expect::Text)),
    ("post_limit_dir", Expect::Text),
    ("post_limit_fallback", Expect::Text),
    ("log", Expect::Text),
    ("webhook_secrets", Expect::Secret(&Expect::TextList)),
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
    ca_file: Option<String>,
    tls_roots: Option<String>,
    user_agent_suffix: Option<String>,
    max_retries: Option<u32>,
    post_limit: Option<u32>,
    post_window_ms: Option<u64>,
    post_limit_scope: Option<String>,
    post_limit_dir: Option<String>,
    post_limit_fallback: Option<String>,
    log: Option<String>,
    webhook_secrets: Option<Vec<String>>,
}

/// Parses the config JSON of `jogg_client_new`. `api_key` falls back to the environment
/// variable `JOGG_API_KEY`, `base_url` to `JOGG_BASE_URL`, then to the real API. Members:
/// `api_key`, `base_url`, `connect_timeout_ms`, `timeout_ms`, `transfer_timeout_ms`, `proxy`,
/// `ca_file` (a PEM file of CAs to trust too), `tls_roots` (`"system"`, `"bundled"`,
/// `"ca_file_only"`), `user_agent_suffix`, `max_retries`, `post_limit`, `post_window_ms`, `post_limit_scope`
/// (`"client"`, `"process"`, `"host"` or a `redis://host:port/db` URL), `post_limit_dir`,
/// `post_limit_fallback` (`"error"` or `"process"`), `log` (`"off"`, `"info"`,
/// `"debug"`; else the `JOGG_LOG` environment variable, else off), `webhook_secrets` (an
/// array of endpoint secrets, see [`Config::webhook_secrets`]).
pub fn config_from_json(text: &str) -> FfiResult<Config> {
    let parsed: ConfigJson = if text.trim().is_empty() {
        ConfigJson::default()
    } else {
        serde_json::from_str(text).map_err(|e| {
            // A member unknown or of the wrong type: said in plain words, member by member,
            // when the text reads as a JSON value at all.
            members::plain(
                &e,
                text,
                "config_json",
                CONFIG_MEMBERS,
                ErrorKind::InvalidConfig,
            )
            .map(Failure::from)
            .unwrap_or_else(|| config_json_error(&e))
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
            )
            .into());
        }
    };
    let mut config = Config::new(api_key).with_base_url(base_url);
    config.proxy = proxy;
    if let Some(path) = parsed.ca_file {
        if path.is_empty() {
            return Err(config_error("ca_file", "must not be empty").into());
        }
        config.ca_file = Some(PathBuf::from(path));
    }
    if let Some(text) = parsed.tls_roots {
        config.tls_roots = TlsRoots::parse(&text).ok_or_else(|| {
            config_error(
                "tls_roots",
                "must be \"system\", \"bundled\" or \"ca_file_only\"",
            )
        })?;
    }
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
            return Err(config_error("max_retries", "must be at most 10").into());
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
                )
                .into());
            }
        };
    }
    if let Some(text) = parsed.log {
        config.log = LogLevel::parse(&text)
            .ok_or_else(|| config_error("log", "must be \"off\", \"info\" or \"debug\""))?;
    }
    config.webhook_secrets = parsed.webhook_secrets.unwrap_or_default();
    Ok(config)
}

/// Whether the config JSON sets `member` (`null` is "not set", as everywhere in it). Called on
/// JSON that parsed already.
pub(super) fn sets(config_json: &str, member: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(config_json)
        .is_ok_and(|v| v.get(member).is_some_and(|m| !m.is_null()))
}

/// serde's messages name unknown and mistyped members; keep them, tagged with the member.
fn config_json_error(e: &serde_json::Error) -> Failure {
    let text = e.to_string();
    let field = text
        .split('`')
        .nth(1)
        .filter(|_| text.starts_with("unknown field") || text.starts_with("missing field"))
        .unwrap_or("config");
    if e.is_syntax() || e.is_eof() {
        return Failure::own(
            JOGG_ERR_INVALID_JSON,
            format!("config_json: not valid JSON: {text}"),
            Some("config_json"),
        );
    }
    config_error(field, &text).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> crate::Result<Config> {
        config_from_json(json).map_err(|f| f.error)
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
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("base_url"));
        assert!(e.message().contains("loopback"), "{}", e.message());
    }

    #[test]
    fn versioned_base_url_is_refused() {
        let c = cfg(r#"{"api_key":"k","base_url":"https://api.jogg.ai/v1/"}"#).unwrap();
        assert!(
            c.validate()
                .unwrap_err()
                .message()
                .contains("without the version")
        );
    }

    #[test]
    fn unknown_member_is_named() {
        let e = cfg(r#"{"api_key":"k","base_ulr":"x"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("base_ulr"));
    }

    #[test]
    fn a_member_of_the_wrong_type_is_named_with_the_type_in_plain_words() {
        let e = cfg(r#"{"api_key":"k","timeout_ms":"60s"}"#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("timeout_ms"));
        assert_eq!(
            e.message(),
            "timeout_ms: must be a whole number of milliseconds (got \"60s\")"
        );
        let e = cfg(r#"{"api_key":"k","max_retries":-2}"#).unwrap_err();
        assert_eq!(e.field(), Some("max_retries"));
        assert!(
            e.message().contains("a whole number from 0 to"),
            "{}",
            e.message()
        );
        // Members that may hold a secret describe a wrong value, never quote it.
        let e = cfg(r#"{"api_key":7}"#).unwrap_err();
        assert_eq!(e.message(), "api_key: must be a string (got a number)");
        let e = cfg(r#"{"api_key":"k","webhook_secrets":"whsec_x"}"#).unwrap_err();
        assert_eq!(
            e.message(),
            "webhook_secrets: must be an array of strings (got a string)"
        );
        assert!(cfg(r#"{"api_key":"k","proxy":null}"#).is_ok());
        let e = cfg("[]").unwrap_err();
        assert_eq!(e.field(), Some("config_json"));
    }

    #[test]
    fn a_null_member_is_not_set() {
        // So `"log": null` with a log callback logs at the default level, and
        // `"post_limit_scope": null` goes with a store of the caller's own.
        assert!(!sets(r#"{"log": null}"#, "log"));
        assert!(!sets(r#"{}"#, "post_limit_scope"));
        assert!(sets(r#"{"log": "info"}"#, "log"));
    }

    #[test]
    fn every_checked_member_is_one_serde_reads() {
        // Each is a member ConfigJson has: null, "not set", is accepted for every one.
        for (name, _) in CONFIG_MEMBERS.iter().filter(|(name, _)| *name != "api_key") {
            let json = format!(r#"{{"api_key":"k","{name}":null}}"#);
            assert!(cfg(&json).is_ok(), "{name}");
        }
    }

    #[test]
    fn bad_json_and_bad_values() {
        assert_eq!(
            config_from_json("{").err().map(|f| f.code),
            Some(JOGG_ERR_INVALID_JSON)
        );
        let e = cfg(r#"{"api_key":"k","timeout_ms":0}"#).unwrap_err();
        assert_eq!(e.field(), Some("timeout_ms"));
        let e = cfg(r#"{"api_key":"k","proxy":"socks"}"#).unwrap_err();
        assert_eq!(e.field(), Some("proxy"));
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
            assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{json}");
            assert_eq!(e.field(), Some(field), "{json}: {e}");
        }
    }

    #[test]
    fn loopback_disables_env_proxy() {
        let c = Config::new("k").with_base_url("http://127.0.0.1:1");
        assert_eq!(c.effective_proxy(), Proxy::None);
        assert_eq!(Config::new("k").effective_proxy(), Proxy::Env);
    }

    #[test]
    fn tls_members() {
        let c =
            cfg(r#"{"api_key":"k","ca_file":"/etc/corp-ca.pem","tls_roots":"bundled"}"#).unwrap();
        assert_eq!(
            c.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/corp-ca.pem"))
        );
        assert_eq!(c.tls_roots, TlsRoots::Bundled);
        assert_eq!(Config::new("k").tls_roots, TlsRoots::System);
        let e = cfg(r#"{"api_key":"k","tls_roots":"mine"}"#).unwrap_err();
        assert_eq!(e.field(), Some("tls_roots"));
        let e = cfg(r#"{"api_key":"k","ca_file":""}"#).unwrap_err();
        assert_eq!(e.field(), Some("ca_file"));
        let c = cfg(r#"{"api_key":"k","tls_roots":"ca_file_only"}"#).unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("tls_roots"));
    }
}
