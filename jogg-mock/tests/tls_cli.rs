//! `jogg-mock --tls` from the command line: the CA file it writes and prints, the address it
//! announces, and what a wrapped command is given to trust it.

use std::process::Command;

fn mock() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jogg-mock"))
}

#[test]
fn tls_writes_its_ca_and_hands_it_to_the_command() {
    let ca = std::env::temp_dir().join(format!("jogg-mock-cli-{}-ca.pem", std::process::id()));
    let out = mock()
        .args(["--tls", "--tls-name", "localhost", "--tls-ca-file"])
        .arg(&ca)
        .args(["--", "sh", "-c"])
        .arg(r#"echo "child $JOGG_BASE_URL $SSL_CERT_FILE $JOGG_MOCK_CA_FILE"; head -n 1 "$SSL_CERT_FILE""#)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The mock's own lines go to stderr; stdout is the command's alone.
    let said = String::from_utf8(out.stderr).unwrap();
    let said: Vec<&str> = said.lines().collect();
    let shown = ca.display().to_string();
    assert_eq!(said[0], format!("jogg-mock CA certificate: {shown}"));
    let base = said[1]
        .strip_prefix("jogg-mock listening on ")
        .expect("the address line");
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("child {base} {shown} {shown}"));
    assert_eq!(lines[1], "-----BEGIN CERTIFICATE-----");
    // A file the user named is theirs: it stays.
    assert!(ca.exists());
    std::fs::remove_file(&ca).unwrap();
}

#[test]
fn tls_flags_take_no_value_and_without_tls_nothing_is_set() {
    let out = mock().args(["--tls=yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls takes no value"));
    let out = mock()
        .args([
            "--",
            "sh",
            "-c",
            r#"echo "[$SSL_CERT_FILE][$JOGG_MOCK_CA_FILE]""#,
        ])
        .env_remove("SSL_CERT_FILE")
        .env_remove("JOGG_MOCK_CA_FILE")
        .output()
        .unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(
        said.starts_with("jogg-mock listening on http://127.0.0.1:"),
        "{said}"
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[][]\n");
}
