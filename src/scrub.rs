//! The one scrubber that every string leaving a client goes through: error details, log lines
//! and `Debug` output. It takes out the client's secrets (the API key, the password of a proxy
//! URL) and escapes control characters, so that a value a server chose (a `rid`, an id, a URL,
//! a message) can neither reveal a secret nor forge a second log line or drive a terminal.

use std::borrow::Cow;

use crate::error::Error;

/// What a secret is replaced with.
const REDACTED: &str = "<redacted>";

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
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
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
        {
            self.string(s);
        }
        err
    }

    /// A result's error scrubbed, its value untouched.
    pub fn result<T>(&self, r: crate::Result<T>) -> crate::Result<T> {
        r.map_err(|e| self.error(e))
    }
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
