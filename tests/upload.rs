//! Uploading local files as assets against the mock: the bytes that arrive, what is sent
//! where, and every way a file can be unusable.

mod common;

use std::path::Path;

use common::{TempDir, client, mock, sample_bytes};
use jogg::{Code, UploadOptions, Version};
use jogg_mock::MOCK_API_KEY;

fn v1() -> UploadOptions {
    UploadOptions {
        version: Version::V1,
        ..UploadOptions::default()
    }
}

#[test]
fn v2_round_trip_delivers_the_exact_bytes_without_the_key() {
    let server = mock(0);
    let dir = TempDir::new("upload-v2");
    let bytes = sample_bytes(300_000, 1);
    let path = dir.file("portrait.png", &bytes);

    let asset = client(&server)
        .upload_asset(&path, &UploadOptions::default())
        .unwrap();
    assert_eq!(
        server.uploaded(&asset.asset_url).as_deref(),
        Some(&bytes[..])
    );
    assert_eq!(asset.bytes, bytes.len() as u64);
    assert_eq!(asset.filename, "portrait.png");
    assert_eq!(asset.content_type, "image/png");
    assert_eq!(asset.version, Version::V2);

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one URL request, one PUT");
    let ask = &requests[0];
    assert_eq!(ask.path, "/v2/upload/asset");
    let body: serde_json::Value = serde_json::from_slice(&ask.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"filename": "portrait.png", "content_type": "image/png",
                           "file_size": 300_000})
    );
    let put = &requests[1];
    assert_eq!(put.method, "PUT");
    assert!(put.path.starts_with("/upload/"), "{}", put.path);
    let header = |name: &str| {
        put.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-api-key"), None, "the key went to the upload host");
    assert_eq!(header("content-type"), Some("image/png"));
    assert_eq!(header("content-length"), Some("300000"));
    assert!(
        !requests[1..]
            .iter()
            .any(|r| r.headers.iter().any(|(_, v)| v.contains(MOCK_API_KEY)))
    );
}

#[test]
fn v1_round_trip_uses_octet_stream_and_asset_id() {
    let server = mock(0);
    let dir = TempDir::new("upload-v1");
    let bytes = sample_bytes(5_000, 2);
    let path = dir.file("voice.mp3", &bytes);
    let options = UploadOptions {
        filename: Some("narration.mp3".into()),
        ..v1()
    };
    let asset = client(&server).upload_asset(&path, &options).unwrap();
    assert_eq!(
        server.uploaded(&asset.asset_url).as_deref(),
        Some(&bytes[..])
    );
    assert_eq!(asset.filename, "narration.mp3");
    assert!(
        asset.asset_url.ends_with("/narration.mp3"),
        "{}",
        asset.asset_url
    );
    let requests = server.requests();
    assert_eq!(requests[0].path, "/v1/upload/asset");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[0].body).unwrap(),
        serde_json::json!({"filename": "narration.mp3"})
    );
    let put = &requests[1];
    assert!(
        put.headers
            .contains(&("content-type".into(), "application/octet-stream".into()))
    );
    // The asset is then downloadable, as the create calls will fetch it.
    let out = dir.path("back.mp3");
    let done = client(&server)
        .download(&asset.asset_url, &out, |_| {
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    assert_eq!(done.bytes, 5_000);
}

#[test]
fn explicit_content_type_and_unknown_extension() {
    let server = mock(0);
    let dir = TempDir::new("upload-type");
    let path = dir.file("clip.bin", b"not empty");
    let e = client(&server)
        .upload_asset(&path, &UploadOptions::default())
        .unwrap_err();
    assert_eq!(e.code, Code::Validation);
    assert_eq!(e.field.as_deref(), Some("content_type"));
    assert!(server.requests().is_empty());

    let options = UploadOptions {
        content_type: Some("video/mp4".into()),
        ..UploadOptions::default()
    };
    let asset = client(&server).upload_asset(&path, &options).unwrap();
    assert_eq!(asset.content_type, "video/mp4");
    let put = server.requests().pop().unwrap();
    assert!(
        put.headers
            .contains(&("content-type".into(), "video/mp4".into()))
    );
}

/// Asserts an Io error naming `path` with `fragment` in its message, and that nothing was sent.
fn assert_refused(
    server: &jogg_mock::MockServer,
    path: &Path,
    options: &UploadOptions,
    fragment: &str,
) {
    let e = client(server).upload_asset(path, options).unwrap_err();
    assert_eq!(e.code, Code::Io, "{e}");
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(
        e.message.contains(fragment),
        "{:?} lacks {fragment:?}",
        e.message
    );
    assert!(
        server.requests().is_empty(),
        "a request was sent for a bad file"
    );
}

#[test]
fn bad_files_fail_before_any_request() {
    let server = mock(0);
    let dir = TempDir::new("upload-bad");
    let options = UploadOptions::default();

    assert_refused(&server, &dir.path("missing.png"), &options, "no such file");
    assert_refused(&server, &dir.path("missing.png"), &v1(), "no such file");

    // A path through a regular file: the OS refuses to look it up at all.
    let plain = dir.file("plain.txt", b"x");
    assert_refused(&server, &plain.join("x.png"), &options, "cannot read");

    std::fs::create_dir(dir.path("folder.png")).unwrap();
    assert_refused(
        &server,
        &dir.path("folder.png"),
        &options,
        "not a regular file",
    );

    let empty = dir.file("empty.mp3", b"");
    assert_refused(&server, &empty, &options, "is empty");

    // Over the documented 10 MiB for images; sparse, so nothing is written to disk.
    let big = dir.path("huge.png");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(10 * 1024 * 1024 + 1)
        .unwrap();
    assert_refused(
        &server,
        &big,
        &options,
        "the limit for image/png is 10485760 bytes",
    );
    // The same size is fine as video, and a caller's own limit applies too.
    let small = dir.file("small.mp4", &[1; 100]);
    let tight = UploadOptions {
        max_bytes: Some(99),
        ..UploadOptions::default()
    };
    assert_refused(&server, &small, &tight, "100 bytes");
}

#[test]
fn mock_refuses_a_put_that_contradicts_the_declared_type() {
    let server = mock(0);
    let signed = client(&server)
        .v2()
        .create_upload_url(&jogg::CreateUploadUrl {
            filename: "a.png".into(),
            content_type: "image/jpeg".into(),
            file_size: None,
        })
        .unwrap();
    let put = |content_type: &str| {
        ureq::Agent::new_with_defaults()
            .put(&signed.sign_url)
            .header("content-type", content_type)
            .config()
            .http_status_as_error(false)
            .build()
            .send(&b"png bytes"[..])
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(put("image/png"), 403);
    assert!(server.uploaded(&signed.asset_url).is_none());
    assert_eq!(put("image/jpeg"), 200);
    assert_eq!(
        server.uploaded(&signed.asset_url).as_deref(),
        Some(&b"png bytes"[..])
    );
}

#[test]
fn refused_put_is_reported_without_the_signed_query() {
    let storage = common::canned(common::http_response(
        "403 Forbidden",
        "<Error>AccessDenied</Error>",
    ));
    let api = common::canned(common::http_response(
        "200 OK",
        &format!(
            r#"{{"code":0,"msg":"ok","data":{{"sign_url":"{storage}/bucket/a.png?X-Signature=SECRETSIG","asset_url":"https://cdn.example.com/a.png"}},"rid":"r1"}}"#
        ),
    ));
    let c = jogg::Client::new(common::config_for(&api, "k")).unwrap();
    let dir = TempDir::new("upload-403");
    let path = dir.file("a.png", b"png bytes");
    let e = c
        .upload_asset(&path, &UploadOptions::default())
        .unwrap_err();
    assert_eq!(e.code, Code::Forbidden);
    assert_eq!(e.http_status, Some(403));
    assert!(
        e.message.contains(&format!("PUT {storage}/bucket/a.png")),
        "{}",
        e.message
    );
    assert!(!e.message.contains("SECRETSIG"), "{}", e.message);
    assert!(!e.maybe_processed);
}
