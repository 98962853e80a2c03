//! The one scrubber that every string leaving a client goes through: error details, log lines
//! and `Debug` output. It takes out the client's secrets (the API key, the password of a proxy
//! URL) and escapes control characters, so that a value a server chose (a `rid`, an id, a URL,
//! a message) can neither reveal a secret nor forge a second log line or drive a terminal.
//!
//! Where a secret is taken out depends on its length. One of [`ANYWHERE`] characters or more
//! (a real API key) is replaced wherever it occurs, even inside a longer word: a server may
//! echo it glued to anything. A shorter one (a placeholder such as `x` or `test`, a short
//! proxy password) is replaced only where it stands as a whole token, between characters
//! that cannot be part of a key (anything but letters, digits, `-` and `_`): that is how a
//! header value or an echoed key appears, and text such as `x-api-key` or `/v1/voices` is
//! left as it is when the key is `x` or `1`.

use std::borrow::Cow;

use crate::error::Error;

/// What a secret is replaced with.
const REDACTED: &str = "<redacted>";
/// The length from which a secret is replaced inside words too (see the module comment).
pub(crate) const ANYWHERE: usize = 16;

#[derive(Default)]
pub(crate) struct Scrubber {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Vec<String>,
}

impl Scrubber {
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Scrubber {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Scrubber { secrets }
    }

    /// `text` without secrets and with control characters escaped.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for secret in &self.secrets {
            if let Some(clean) = redact(&out, secret) {
                out = Cow::Owned(clean);
            }
        }
        match escape_controls(&out) {
            Cow::Borrowed(_) => out,
            Cow::Owned(escaped) => Cow::Owned(escaped),
        }
    }

    fn string(&self, s: &mut String) {
        if let Cow::Owned(clean) = self.text(s) {
            *s = clean;
        }
    }

    /// Every text member of `err`: whoever wrote them (we, or a server we quote).
    pub fn error(&self, mut err: Error) -> Error {
        let info = &mut *err.0;
        self.string(&mut info.message);
        for s in [
            &mut info.field,
            &mut info.api_message,
            &mut info.request_id,
            &mut info.task_id,
        ]
        .into_iter()
        .flatten()
        .chain(info.fields.iter_mut())
        {
            self.string(s);
        }
        if let Some(data) = &mut info.api_data {
            self.value(data);
        }
        err
    }

    /// Every string of a JSON value a server sent, keys included.
    fn value(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.string(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(members) => {
                let dirty = members
                    .keys()
                    .any(|k| matches!(self.text(k), Cow::Owned(_)));
                if dirty {
                    *members = std::mem::take(members)
                        .into_iter()
                        .map(|(k, v)| (self.text(&k).into_owned(), v))
                        .collect();
                }
                members.values_mut().for_each(|v| self.value(v));
            }
            _ => {}
        }
    }

    /// A result's error scrubbed, its value untouched.
    pub fn result<T>(&self, r: crate::Result<T>) -> crate::Result<T> {
        r.map_err(|e| self.error(e))
    }
}

/// `text` with `secret` replaced where it may stand (see the module comment); `None` when
/// there is nothing to replace.
fn redact(text: &str, secret: &str) -> Option<String> {
    if !text.contains(secret) {
        return None;
    }
    if secret.chars().count() >= ANYWHERE {
        return Some(text.replace(secret, REDACTED));
    }
    let key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut replaced = false;
    for (at, _) in text.match_indices(secret) {
        let end = at + secret.len();
        let alone = !text[..at].chars().next_back().is_some_and(key_char)
            && !text[end..].chars().next().is_some_and(key_char);
        if alone {
            out.push_str(&text[copied..at]);
            out.push_str(REDACTED);
            copied = end;
            replaced = true;
        }
    }
    out.push_str(&text[copied..]);
    replaced.then_some(out)
}

/// Control characters written as Rust escapes (`\n`, `\u{1b}`), everything else as it is:
/// one event stays one line, and no escape sequence reaches a terminal.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The password of a URL's `user:password@`, if it has one.
pub(crate) fn url_password(url: &str) -> Option<&str> {
    let userinfo = userinfo(url)?;
    userinfo.split_once(':').map(|(_, pw)| pw)
}

/// `url` with any `user:password@` before the host replaced, for messages and `Debug`.
pub(crate) fn redact_userinfo(url: &str) -> Cow<'_, str> {
    match userinfo(url) {
        Some(info) => {
            let start = info.as_ptr() as usize - url.as_ptr() as usize;
            let mut out = String::with_capacity(url.len());
            out.push_str(&url[..start]);
            out.push_str(REDACTED);
            out.push_str(&url[start + info.len()..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(url),
    }
}

/// The `user:password` of a URL's authority (between `://` and the last `@` before the path).
fn userinfo(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    authority.rfind('@').map(|at| &authority[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_errors_api_data_is_scrubbed_too() {
        let s = Scrubber::new(["sk-0123456789abcdef".to_string()]);
        let mut e = Error::new(crate::ErrorKind::Api, "API error 777");
        e.0.api_data = Some(serde_json::json!({
            "echo": "key sk-0123456789abcdef",
            "list": [1, "line\nsk-0123456789abcdef"],
            "sk-0123456789abcdef": true,
        }));
        let e = s.error(e);
        assert_eq!(
            e.api_data().unwrap(),
            &serde_json::json!({
                "echo": "key <redacted>",
                "list": [1, "line\\n<redacted>"],
                "<redacted>": true,
            })
        );
    }

    #[test]
    fn secrets_and_controls() {
        let s = Scrubber::new(["key".to_string(), "keyring".to_string(), String::new()]);
        assert_eq!(
            s.text("a keyring and a key"),
            "a <redacted> and a <redacted>"
        );
        assert_eq!(s.text("r1\n\u{1b}[2Jx\t"), r"r1\n\u{1b}[2Jx\t");
        assert!(matches!(s.text("plain"), Cow::Borrowed(_)));
        let mut e = Error::new(crate::ErrorKind::Api, "key\nkey");
        e.0.request_id = Some("key".into());
        let e = s.error(e);
        assert_eq!(e.message(), r"<redacted>\n<redacted>");
        assert_eq!(e.request_id(), Some("<redacted>"));
    }

    #[test]
    fn a_short_secret_is_replaced_only_as_a_whole_token() {
        let x = Scrubber::new(["x".to_string()]);
        let text = "Invalid or missing API key (x-api-key header)";
        assert!(matches!(x.text(text), Cow::Borrowed(_)));
        assert_eq!(
            x.text("key x was refused: \"x\""),
            "key <redacted> was refused: \"<redacted>\""
        );
        assert_eq!(x.text("xx x-y x"), "xx x-y <redacted>");
        let one = Scrubber::new(["1".to_string()]);
        assert_eq!(one.text("GET /v1/voices 1"), "GET /v1/voices <redacted>");
        assert_eq!(one.text("page 1 of 12"), "page <redacted> of 12");
        // A real key (ANYWHERE characters or more) goes wherever it appears.
        let long = "sk-0123456789abcdef";
        assert!(long.len() >= ANYWHERE);
        let key = Scrubber::new([long.to_string()]);
        assert_eq!(
            key.text(&format!("k={long}x y{long}")),
            "k=<redacted>x y<redacted>"
        );
    }

    #[test]
    fn url_credentials() {
        let url = "http://user:pw@proxy.example:3128/x@y";
        assert_eq!(url_password(url), Some("pw"));
        assert_eq!(
            redact_userinfo(url),
            "http://<redacted>@proxy.example:3128/x@y"
        );
        assert_eq!(url_password("http://proxy.example:3128"), None);
        assert_eq!(redact_userinfo("https://h/p?a@b"), "https://h/p?a@b");
        assert_eq!(redact_userinfo("no scheme@host"), "no scheme@host");
        assert_eq!(url_password("https://u:p:q@h"), Some("p:q"));
    }
}
