//! Which certificate authorities the client trusts: the system's trust store (as OpenSSL and
//! libcurl find it, `SSL_CERT_FILE` and `SSL_CERT_DIR` included), or the Mozilla roots built
//! into the library, plus the CAs of a `ca_file`.
//!
//! The system store is read with rustls-native-certs (the rustls project's own reader of
//! every platform's store) once per process and per value of those two variables: a store
//! holds a few hundred certificates, and reading it for every client would cost milliseconds
//! each time.

use std::sync::{Arc, Mutex, PoisonError};

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::config::{Config, TlsRoots, config_error};
use crate::error::Result;

type Certs = Arc<Vec<Certificate<'static>>>;

/// The TLS settings of every agent of a client: the roots chosen by `tls_roots` and
/// `ca_file`. Fails, naming the member, when the CA file cannot be read or holds no
/// certificate, or when nothing at all would be trusted.
pub(crate) fn tls_config(config: &Config) -> Result<TlsConfig> {
    let extra = match &config.ca_file {
        Some(path) => read_ca_file(path)?,
        None => Vec::new(),
    };
    let base: Certs = match config.tls_roots {
        TlsRoots::System => {
            check_ssl_cert_file()?;
            check_ssl_cert_dir()?;
            let system = system_roots();
            if system.is_empty() {
                bundled_roots()
            } else {
                system
            }
        }
        TlsRoots::Bundled => bundled_roots(),
        TlsRoots::CaFileOnly => Arc::new(Vec::new()),
    };
    let roots = if extra.is_empty() {
        base
    } else {
        let mut all = Vec::with_capacity(base.len() + extra.len());
        all.extend(base.iter().cloned());
        all.extend(extra);
        Arc::new(all)
    };
    if roots.is_empty() {
        return Err(config_error(
            "tls_roots",
            "\"ca_file_only\" needs a ca_file with at least one certificate",
        ));
    }
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::Specific(roots))
        .build())
}

/// A `SSL_CERT_FILE` that cannot be read is refused, as OpenSSL and curl refuse it, rather than
/// passed over for the bundled roots: whoever set it expects that file to be trusted.
fn check_ssl_cert_file() -> Result<()> {
    let Some(path) = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    match std::fs::File::open(&path) {
        Ok(_) => Ok(()),
        Err(e) => Err(config_error(
            "tls_roots",
            format!(
                "the system's trust store is the file SSL_CERT_FILE names, {}, which cannot be \
                 read: {e}",
                std::path::Path::new(&path).display()
            ),
        )),
    }
}

/// A `SSL_CERT_DIR` none of whose directories can be read would trust nothing, and the client
/// would quietly fall back to the bundled roots: refused for the same reason as a bad
/// `SSL_CERT_FILE`. One unreadable entry of several is passed over, as OpenSSL does.
fn check_ssl_cert_dir() -> Result<()> {
    let Some(dirs) = std::env::var_os("SSL_CERT_DIR").filter(|d| !d.is_empty()) else {
        return Ok(());
    };
    let listed: Vec<_> = std::env::split_paths(&dirs)
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    let mut last = None;
    for dir in &listed {
        match std::fs::read_dir(dir) {
            Ok(_) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    let why = last.map_or_else(|| "it lists no directory".to_string(), |e| e.to_string());
    Err(config_error(
        "tls_roots",
        format!(
            "the system's trust store is in the directories SSL_CERT_DIR names, {}, none of \
             which can be read: {why}",
            std::path::Path::new(&dirs).display()
        ),
    ))
}

/// The CA certificates of a PEM file; other PEM sections (a key) are passed over.
fn read_ca_file(path: &std::path::Path) -> Result<Vec<Certificate<'static>>> {
    let shown = path.display();
    let bytes = std::fs::read(path)
        .map_err(|e| config_error("ca_file", format!("cannot read {shown}: {e}")))?;
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(&bytes) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(config_error(
                    "ca_file",
                    format!("{shown} is not a PEM certificate bundle: {e}"),
                ));
            }
        }
    }
    if certs.is_empty() {
        return Err(config_error(
            "ca_file",
            format!("{shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
        ));
    }
    Ok(certs)
}

/// The system's trust store, read once per process and per `SSL_CERT_FILE`/`SSL_CERT_DIR`;
/// empty where the system has none. Certificates it cannot parse are passed over, as
/// OpenSSL does.
fn system_roots() -> Certs {
    type Cache = Option<((Option<String>, Option<String>), Certs)>;
    static CACHE: Mutex<Cache> = Mutex::new(None);
    let key = (
        std::env::var("SSL_CERT_FILE").ok(),
        std::env::var("SSL_CERT_DIR").ok(),
    );
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((seen, certs)) = cache.as_ref()
        && *seen == key
    {
        return certs.clone();
    }
    let found = rustls_native_certs::load_native_certs();
    let certs: Certs = Arc::new(
        found
            .certs
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned())
            .collect(),
    );
    *cache = Some((key, certs.clone()));
    certs
}

/// The Mozilla roots built into the library (webpki-root-certs).
fn bundled_roots() -> Certs {
    static BUNDLED: std::sync::OnceLock<Certs> = std::sync::OnceLock::new();
    BUNDLED
        .get_or_init(|| {
            Arc::new(
                webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|der| Certificate::from_der(der.as_ref()).to_owned())
                    .collect(),
            )
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_ca_file_that_is_not_pem_is_a_config_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("jogg-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("not.pem");
        std::fs::write(&path, "hello").unwrap();
        let mut config = Config::new("k");
        config.ca_file = Some(path.clone());
        let e = tls_config(&config).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("ca_file"));
        assert!(
            e.message().contains("holds no PEM certificate"),
            "{}",
            e.message()
        );
        config.ca_file = Some(dir.join("missing.pem"));
        let e = tls_config(&config).unwrap_err();
        assert_eq!(e.field(), Some("ca_file"));
        assert!(e.message().contains("cannot read"), "{}", e.message());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bundled_roots_are_there_and_ca_file_only_needs_a_file() {
        assert!(bundled_roots().len() > 100);
        let mut config = Config::new("k");
        config.tls_roots = TlsRoots::CaFileOnly;
        let e = tls_config(&config).unwrap_err();
        assert_eq!(e.field(), Some("tls_roots"));
    }
}
