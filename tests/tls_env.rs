//! `SSL_CERT_FILE` and `SSL_CERT_DIR` name the trust store, as for OpenSSL and libcurl: a
//! client with the default `tls_roots` ("system") and no `ca_file` trusts what they hold, and
//! nothing else. The variables are process-wide, so this is a test binary of its own with a
//! single test.

mod common;

use common::{TempDir, config_for};
use jogg::{Client, ErrorKind, TlsRoots, VoiceFilter};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer, MockTls};

#[test]
fn ssl_cert_file_is_the_system_trust_store() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        tls: Some(MockTls::default()),
        ..MockConfig::default()
    })
    .unwrap();
    let ca = server.ca_file().unwrap().to_path_buf();
    // SAFETY: the only test of this binary sets it before any thread of its own reads the
    // environment; the mock's threads do not.
    unsafe { std::env::set_var("SSL_CERT_FILE", &ca) };
    unsafe { std::env::remove_var("SSL_CERT_DIR") };

    let config = config_for(&server.base_url(), MOCK_API_KEY);
    assert_eq!(config.tls_roots, TlsRoots::System);
    assert!(config.ca_file.is_none());
    let voices = Client::new(config)
        .unwrap()
        .v1()
        .voices()
        .list(&VoiceFilter::default());
    assert!(!voices.unwrap().voices.is_empty());

    // The bundled roots ignore the system's store, and so the variable.
    let mut bundled = config_for(&server.base_url(), MOCK_API_KEY);
    bundled.tls_roots = TlsRoots::Bundled;
    let e = Client::new(bundled)
        .unwrap()
        .v1()
        .voices()
        .list(&VoiceFilter::default())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(e.message().contains("unknown issuer"), "{e}");

    // A variable naming a file that is not there fails the client, naming both, as OpenSSL
    // and curl refuse it; it is not quietly replaced by the bundled roots.
    let missing = ca.with_file_name("no-such-ca-bundle.pem");
    unsafe { std::env::set_var("SSL_CERT_FILE", &missing) };
    let e = Client::new(config_for(&server.base_url(), MOCK_API_KEY)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert!(e.message().contains("SSL_CERT_FILE"), "{e}");
    assert!(e.message().contains("no-such-ca-bundle.pem"), "{e}");

    // A store that does not hold the mock's CA but another of the same name (another mock's):
    // the default roots refuse the handshake, and the client does not retry it.
    let other = MockServer::start(MockConfig {
        tls: Some(MockTls::default()),
        ..MockConfig::default()
    })
    .unwrap();
    unsafe { std::env::set_var("SSL_CERT_FILE", other.ca_file().unwrap()) };
    let e = list_voices(&server).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e}");
    assert!(!e.is_retryable(), "{e}");
    assert!(e.message().contains("bad signature"), "{e}");

    // SSL_CERT_DIR alone: every file of the directory is read.
    let dir = TempDir::new("cert-dir");
    std::fs::copy(&ca, dir.path("mock-ca.pem")).unwrap();
    unsafe { std::env::remove_var("SSL_CERT_FILE") };
    unsafe { std::env::set_var("SSL_CERT_DIR", dir.path("")) };
    assert!(!list_voices(&server).unwrap().voices.is_empty());

    // A directory that cannot be read is refused by name, not replaced by the bundled roots.
    unsafe { std::env::set_var("SSL_CERT_DIR", dir.path("no-such-dir")) };
    let e = Client::new(config_for(&server.base_url(), MOCK_API_KEY)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig, "{e}");
    assert!(e.message().contains("SSL_CERT_DIR"), "{e}");
    assert!(e.message().contains("no-such-dir"), "{e}");
}

fn list_voices(server: &MockServer) -> jogg::Result<jogg::VoiceList> {
    Client::new(config_for(&server.base_url(), MOCK_API_KEY))?
        .v1()
        .voices()
        .list(&VoiceFilter::default())
}
