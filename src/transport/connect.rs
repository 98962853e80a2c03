//! Connecting, before anything is sent: the name lookup, a CONNECT tunnel through a proxy, TCP
//! and TLS. A failure at any of these stages is tagged with the stage and the host and port it
//! concerned, so that the error can say what failed and where, in words, and that the request
//! never left the machine (it cannot have been processed).

use std::fmt;
use std::io;

use ureq::unversioned::transport::{ConnectionDetails, Connector, Transport};

use crate::error::ErrorKind;

/// Where a connection attempt failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Looking up the host's addresses.
    Resolve,
    /// Opening the CONNECT tunnel (reaching the proxy, or the proxy's refusal).
    Proxy,
    /// The TCP connection.
    Tcp,
    /// The TLS handshake.
    Tls,
}

/// A connection that could not be made: carried inside ureq's error as an I/O error, since
/// ureq passes a connector's errors through unchanged.
#[derive(Debug)]
pub(crate) struct ConnectFailure {
    pub stage: Stage,
    /// `host:port` the stage was about (the proxy's, for [`Stage::Proxy`]).
    pub target: String,
    /// The connection that failed was the one to the proxy.
    pub to_proxy: bool,
    pub cause: ureq::Error,
}

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {}: {}", self.stage, self.target, self.cause)
    }
}

impl std::error::Error for ConnectFailure {}

/// `e` tagged as a failure of `stage` concerning `target`. A failure already tagged by an
/// inner stage (the proxy's own connection, made through the same chain) keeps its tag, the
/// more precise, and is marked as concerning the proxy.
pub(crate) fn tag(stage: Stage, target: String, mut e: ureq::Error) -> ureq::Error {
    if let ureq::Error::Io(io) = &mut e
        && let Some(inner) = io
            .get_mut()
            .and_then(|i| i.downcast_mut::<ConnectFailure>())
    {
        inner.to_proxy |= stage == Stage::Proxy;
        return e;
    }
    ureq::Error::Io(io::Error::other(ConnectFailure {
        stage,
        target,
        to_proxy: false,
        cause: e,
    }))
}

/// The connect failure inside `e`, if it is one.
pub(crate) fn failure(e: &ureq::Error) -> Option<&ConnectFailure> {
    match e {
        ureq::Error::Io(io) => io.get_ref()?.downcast_ref::<ConnectFailure>(),
        _ => None,
    }
}

/// `host:port` of a URI, the port the scheme's own when none is given.
pub(crate) fn host_port(uri: &ureq::http::Uri) -> String {
    let host = uri.host().unwrap_or("?");
    let port = uri.port_u16().or_else(|| match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    });
    match port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// One connector of ureq's chain, its failures tagged with `stage`.
#[derive(Debug)]
pub(crate) struct Staged<C> {
    pub connector: C,
    pub stage: Stage,
}

impl<In: Transport, C: Connector<In>> Connector<In> for Staged<C> {
    type Out = C::Out;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.connector.connect(details, chained).map_err(|e| {
            let target = match (self.stage, details.config.proxy()) {
                (Stage::Proxy, Some(proxy)) => format!("{}:{}", proxy.host(), proxy.port()),
                _ => host_port(details.uri),
            };
            tag(self.stage, target, e)
        })
    }
}

/// The code and the words for a failure to connect. Never retryable as TLS: a certificate
/// refused now is refused on the next attempt too.
pub(crate) fn describe(f: &ConnectFailure, connect_timeout_ms: u128) -> (ErrorKind, String) {
    let target = &if f.to_proxy {
        format!("the proxy {}", f.target)
    } else {
        f.target.clone()
    };
    // Out of time: the connect timeout, or the request's own deadline when that came first.
    let late = match f.cause {
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => Some(format!(
            "within connect_timeout_ms ({connect_timeout_ms} ms)"
        )),
        ureq::Error::Timeout(_) => Some("before the request's deadline".to_string()),
        _ => None,
    };
    match (f.stage, late) {
        (Stage::Resolve, Some(late)) => (
            ErrorKind::Connect,
            format!("cannot resolve {target}: no answer {late}"),
        ),
        (Stage::Resolve, None) => (
            ErrorKind::Connect,
            format!("cannot resolve {target}: {}", resolve_words(&f.cause)),
        ),
        (Stage::Tcp, Some(late)) => (
            ErrorKind::Connect,
            format!("cannot connect to {target}: no connection {late}"),
        ),
        (Stage::Tcp, None) => (
            ErrorKind::Connect,
            format!("cannot connect to {target}: {}", io_words(&f.cause)),
        ),
        (Stage::Proxy, late) => {
            let words = match (&f.cause, late) {
                (_, Some(late)) => format!("no tunnel {late}"),
                (ureq::Error::ConnectProxyFailed(reason), None) => proxy_words(reason),
                (other, None) => io_words(other),
            };
            (
                ErrorKind::Connect,
                format!("cannot open a tunnel through the proxy {target}: {words}"),
            )
        }
        (Stage::Tls, Some(late)) => (
            ErrorKind::Connect,
            format!("TLS handshake with {target} not done {late}"),
        ),
        (Stage::Tls, None) => (
            ErrorKind::Tls,
            format!(
                "TLS handshake with {target} failed: {}",
                tls_words(&f.cause, &f.target)
            ),
        ),
    }
}

fn resolve_words(e: &ureq::Error) -> String {
    match e {
        ureq::Error::HostNotFound => "the name has no address".to_string(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

pub(crate) fn io_words(e: &ureq::Error) -> String {
    let ureq::Error::Io(io) = e else {
        return e.to_string();
    };
    match io.kind() {
        io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        io::ErrorKind::ConnectionReset => "connection reset".to_string(),
        io::ErrorKind::HostUnreachable => "host unreachable".to_string(),
        io::ErrorKind::NetworkUnreachable => "network unreachable".to_string(),
        io::ErrorKind::UnexpectedEof => "the connection was closed".to_string(),
        _ => io.to_string(),
    }
}

/// ureq's reason for a refused CONNECT, `proxy server responded 407/407 Proxy Authentication
/// Required`, as the status alone; credentials are never part of it.
fn proxy_words(reason: &str) -> String {
    let status = reason
        .strip_prefix("proxy server responded ")
        .and_then(|rest| rest.split('/').next())
        .and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(407) => "HTTP 407: the proxy wants credentials, or refused the ones in the proxy URL"
            .to_string(),
        Some(status) => format!("the proxy answered HTTP {status}"),
        None => reason.to_string(),
    }
}

/// A TLS failure in words: the rustls error inside ureq's, however it is wrapped.
fn tls_words(e: &ureq::Error, target: &str) -> String {
    let host = target.rsplit_once(':').map_or(target, |(h, _)| h);
    let rustls_error = match e {
        ureq::Error::Rustls(r) => Some(r),
        ureq::Error::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    if let Some(r) = rustls_error {
        return rustls_words(r, host);
    }
    match e {
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "the server closed the connection during the handshake (handshake failure)".to_string()
        }
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::ConnectionReset => {
            "the server reset the connection during the handshake (handshake failure)".to_string()
        }
        ureq::Error::Tls(what) => format!("handshake failure: {what}"),
        ureq::Error::Io(io) => format!("handshake failure: {io}"),
        other => format!("handshake failure: {other}"),
    }
}

fn rustls_words(e: &rustls::Error, host: &str) -> String {
    use rustls::CertificateError as C;
    const TRUST: &str = "trust its CA with ca_file, or check tls_roots";
    match e {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::UnknownIssuer => format!(
                "the server's certificate is signed by an unknown issuer (not a trusted CA): {TRUST}"
            ),
            C::Expired | C::ExpiredContext { .. } => {
                "the server's certificate has expired".to_string()
            }
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the server's certificate is not valid yet (check this machine's clock)".to_string()
            }
            C::NotValidForName => {
                format!("the server's certificate is not valid for the name {host} (name mismatch)")
            }
            C::NotValidForNameContext { presented, .. } => format!(
                "the server's certificate is not valid for the name {host} (name mismatch; it \
                 is for {})",
                presented.join(", ")
            ),
            C::Revoked => "the server's certificate has been revoked".to_string(),
            C::BadSignature => "the server's certificate has a bad signature".to_string(),
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
                "the server's certificate is not for use by a server".to_string()
            }
            other => format!("the server's certificate was refused: {other}: {TRUST}"),
        },
        rustls::Error::AlertReceived(alert) => {
            format!("the server refused the handshake (handshake failure; TLS alert {alert:?})")
        }
        rustls::Error::PeerIncompatible(why) => {
            format!(
                "the server supports no TLS version or cipher suite this client has (handshake failure: {why:?})"
            )
        }
        rustls::Error::NoCertificatesPresented => {
            "the server presented no certificate (handshake failure)".to_string()
        }
        other => format!("handshake failure: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure_of(stage: Stage, cause: ureq::Error) -> ConnectFailure {
        ConnectFailure {
            stage,
            target: "api.example.com:443".to_string(),
            to_proxy: false,
            cause,
        }
    }

    #[test]
    fn tls_failures_are_tls_and_in_words() {
        let cert = |c| {
            let f = failure_of(
                Stage::Tls,
                ureq::Error::Io(io::Error::new(
                    io::ErrorKind::InvalidData,
                    rustls::Error::InvalidCertificate(c),
                )),
            );
            describe(&f, 5000)
        };
        let (code, text) = cert(rustls::CertificateError::UnknownIssuer);
        assert_eq!(code, ErrorKind::Tls);
        assert!(text.contains("api.example.com:443"), "{text}");
        assert!(text.contains("unknown issuer"), "{text}");
        assert!(
            cert(rustls::CertificateError::Expired)
                .1
                .contains("expired")
        );
        assert!(
            cert(rustls::CertificateError::NotValidForName)
                .1
                .contains("not valid for the name api.example.com")
        );
        let eof = failure_of(
            Stage::Tls,
            ureq::Error::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "tls handshake eof",
            )),
        );
        let (code, text) = describe(&eof, 5000);
        assert_eq!(code, ErrorKind::Tls);
        assert!(text.contains("handshake failure"), "{text}");
        assert!(!ErrorKind::Tls.passes());
    }

    #[test]
    fn other_stages_are_connect_errors_naming_the_target() {
        let dns = failure_of(
            Stage::Resolve,
            ureq::Error::Io(io::Error::other("failed to lookup address information")),
        );
        let (code, text) = describe(&dns, 5000);
        assert_eq!(code, ErrorKind::Connect);
        assert!(
            text.starts_with("cannot resolve api.example.com:443"),
            "{text}"
        );
        let refused = failure_of(
            Stage::Tcp,
            ureq::Error::Io(io::ErrorKind::ConnectionRefused.into()),
        );
        assert_eq!(
            describe(&refused, 5000).1,
            "cannot connect to api.example.com:443: connection refused"
        );
        let proxy = ConnectFailure {
            stage: Stage::Proxy,
            target: "proxy.example.com:3128".into(),
            to_proxy: false,
            cause: ureq::Error::ConnectProxyFailed(
                "proxy server responded 407/407 Proxy Authentication Required".into(),
            ),
        };
        let (code, text) = describe(&proxy, 5000);
        assert_eq!(code, ErrorKind::Connect);
        assert!(text.contains("proxy.example.com:3128"), "{text}");
        assert!(text.contains("HTTP 407"), "{text}");
    }

    #[test]
    fn a_timeout_says_which_deadline_ran_out() {
        let connect = failure_of(Stage::Tls, ureq::Error::Timeout(ureq::Timeout::Connect));
        let (code, text) = describe(&connect, 5000);
        assert_eq!(code, ErrorKind::Connect);
        assert_eq!(
            text,
            "TLS handshake with api.example.com:443 not done within connect_timeout_ms (5000 ms)"
        );
        let global = failure_of(Stage::Tcp, ureq::Error::Timeout(ureq::Timeout::Global));
        assert_eq!(
            describe(&global, 5000).1,
            "cannot connect to api.example.com:443: no connection before the request's deadline"
        );
    }

    #[test]
    fn an_inner_tag_is_kept() {
        let inner = tag(
            Stage::Tcp,
            "127.0.0.1:3128".into(),
            ureq::Error::Io(io::ErrorKind::ConnectionRefused.into()),
        );
        let outer = tag(Stage::Proxy, "127.0.0.1:3128".into(), inner);
        let f = failure(&outer).unwrap();
        assert_eq!(f.stage, Stage::Tcp);
        assert_eq!(
            describe(f, 5000).1,
            "cannot connect to the proxy 127.0.0.1:3128: connection refused"
        );
    }
}
