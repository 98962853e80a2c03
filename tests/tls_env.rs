//! `SSL_CERT_FILE` names the trust store, as for OpenSSL and libcurl: a client with the
//! default `tls_roots` ("system") and no `ca_file` trusts what that file holds. The variable
//! is process-wide, so this is a test binary of its own with a single test.

mod common;

use common::config_for;
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
}
