//! Uploading local files as assets against the mock: the bytes that arrive, what is sent
//! where, and every way a file can be unusable.

mod common;

use std::ops::ControlFlow;
use std::path::Path;

use common::{TempDir, client, mock, sample_bytes};
use jogg::{ErrorKind, UploadOptions, UploadProgress, Version};
use jogg_mock::MOCK_API_KEY;

fn go_on(_: &UploadProgress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

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
        .upload_asset(&path, &UploadOptions::default(), go_on)
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
    let asset = client(&server)
        .upload_asset(&path, &options, go_on)
        .unwrap();
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
        .upload_asset(&path, &UploadOptions::default(), go_on)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("content_type"));
    assert!(server.requests().is_empty());

    let options = UploadOptions {
        content_type: Some("video/mp4".into()),
        ..UploadOptions::default()
    };
    let asset = client(&server)
        .upload_asset(&path, &options, go_on)
        .unwrap();
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
    let e = client(server)
        .upload_asset(path, options, go_on)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert_eq!(e.field(), Some("path"));
    assert!(
        e.message().contains(fragment),
        "{:?} lacks {fragment:?}",
        e.message()
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
        .assets()
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
    let c = jogg::Client::new(common::config_for(&api, "test-key")).unwrap();
    let dir = TempDir::new("upload-403");
    let path = dir.file("a.png", b"png bytes");
    let e = c
        .upload_asset(&path, &UploadOptions::default(), go_on)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(e.http_status(), Some(403));
    assert!(
        e.message().contains(&format!("PUT {storage}/bucket/a.png")),
        "{}",
        e.message()
    );
    assert!(!e.message().contains("SECRETSIG"), "{}", e.message());
    assert!(!e.maybe_processed());
}

// ---- The contract under attack: files that change, files that are not files. -------------

mod hardening;

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hardening::{Action, Lines, Scripted, respond, serve_raw, within};

const GUARD: Duration = Duration::from_secs(20);

/// An API that hands out `sign_url` on `storage`, running `before_reply` first (to change the
/// file between the client's open and its PUT).
fn signing_api(storage: &str, before_reply: impl Fn() + Send + Sync + 'static) -> Scripted {
    let body = format!(
        r#"{{"code":0,"msg":"ok","data":{{"sign_url":"{storage}/bucket/clip?sig=1","asset_url":"https://cdn.example.com/clip"}},"rid":"r1"}}"#
    );
    Scripted::start(vec![Action::custom(move |stream, _| {
        before_reply();
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
    })])
}

#[test]
fn upload_short_file_ends_by_deadline() {
    // A file that yields fewer bytes than its size said: cut short while the PUT is under way
    // (as a sysfs file, or a file truncated by another program). 64 MiB: more than loopback's
    // socket buffers, so the client is still reading the file when it shrinks.
    let dir = TempDir::new("upload-short");
    let path = dir.path("clip.mp4");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    let shrink = path.clone();
    let storage = serve_raw(move |mut stream| {
        hardening::read_head(&mut stream).expect("a PUT");
        let mut buf = vec![0u8; 256 * 1024];
        stream.read_exact(&mut buf).expect("the first bytes");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&shrink)
            .unwrap()
            .set_len(1000)
            .unwrap();
        // Take whatever else comes until the client gives up.
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    });
    let api = signing_api(&storage, || {});
    let c = hardening::client(&api.url, "k", &Lines::default());
    let started = Instant::now();
    let e = within(GUARD, move || {
        c.upload_asset(&path, &UploadOptions::default(), go_on)
            .expect_err("a file that shrank cannot be uploaded whole")
    });
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert_eq!(e.field(), Some("path"));
    assert!(
        e.message().contains("changed during the upload"),
        "{}",
        e.message()
    );
}

#[test]
fn upload_of_a_sysfs_file_whose_size_overstates_its_content_ends_with_an_error() {
    // sysfs files say 4096 bytes whatever they hold ("0-1\n" here): the upload must not wait
    // for the bytes that never come, nor send a short body as the whole file.
    let path = std::path::PathBuf::from("/sys/devices/system/cpu/online");
    let meta = std::fs::metadata(&path).expect("sysfs is mounted on Linux");
    let content = std::fs::read(&path).unwrap();
    assert!(
        (content.len() as u64) < meta.len(),
        "{} bytes of {}",
        content.len(),
        meta.len()
    );
    let storage = serve_raw(|mut stream| {
        hardening::read_head(&mut stream).expect("a PUT");
        let mut buf = vec![0u8; 8192];
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    });
    let api = signing_api(&storage, || {});
    let c = hardening::client(&api.url, "k", &Lines::default());
    let e = within(GUARD, move || {
        let options = UploadOptions {
            content_type: Some("text/plain".into()),
            ..UploadOptions::default()
        };
        c.upload_asset(&path, &options, go_on)
            .expect_err("a file shorter than its size cannot be uploaded whole")
    });
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert_eq!(e.field(), Some("path"));
    assert!(
        e.message().contains("changed during the upload"),
        "{}",
        e.message()
    );
}

#[test]
fn upload_opens_the_file_once_so_a_swapped_in_fifo_cannot_block() {
    // Another program swaps a FIFO and a regular file at the path as fast as it can (one
    // atomic exchange each time, so both are there as often). Checking the path and then
    // opening it by name can open the FIFO, and open() then waits forever for a writer;
    // opening once and checking what was opened cannot.
    let dir = TempDir::new("upload-fifo-race");
    let path = dir.path("clip.mp4");
    let other = dir.path("other.mp4");
    std::fs::write(&path, b"video bytes").unwrap();
    let c_other = std::ffi::CString::new(other.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_other.as_ptr(), 0o600) }, 0);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(std::sync::Barrier::new(2));
    let racer = {
        let (stop, started) = (stop.clone(), started.clone());
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        std::thread::spawn(move || {
            started.wait();
            let mut swaps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // SAFETY: two valid NUL-terminated paths; renameat2 with RENAME_EXCHANGE swaps
                // them atomically.
                let rc = unsafe {
                    libc::syscall(
                        libc::SYS_renameat2,
                        libc::AT_FDCWD,
                        c_path.as_ptr(),
                        libc::AT_FDCWD,
                        c_other.as_ptr(),
                        libc::RENAME_EXCHANGE,
                    )
                };
                assert_eq!(rc, 0, "{}", std::io::Error::last_os_error());
                swaps += 1;
            }
            swaps
        })
    };
    // Nothing listens on port 1: a regular file gets as far as the API and fails to connect.
    let mut config = jogg::Config::new("k").with_base_url("http://127.0.0.1:1");
    config.proxy = jogg::Proxy::None;
    config.max_retries = 0;
    // Each attempt asks for a signed URL with a POST: no pacing of those.
    config.post_limit = 0;
    let c = jogg::Client::new(config).unwrap();
    started.wait();
    let (fifos, files) = within(GUARD, move || {
        let (mut fifos, mut files) = (0, 0);
        for _ in 0..20_000 {
            let e = c
                .upload_asset(&path, &UploadOptions::default(), go_on)
                .expect_err("never uploaded");
            match e.kind() {
                ErrorKind::Io => {
                    assert!(e.message().contains("not a regular file"), "{e}");
                    fifos += 1;
                }
                ErrorKind::Connect => files += 1,
                other => panic!("{other:?}: {e}"),
            }
        }
        (fifos, files)
    });
    stop.store(true, Ordering::Relaxed);
    let swaps = racer.join().unwrap();
    assert!(
        fifos > 0 && files > 0 && swaps > 0,
        "{fifos} FIFOs, {files} files, {swaps} swaps: the race never ran"
    );
}

#[test]
fn upload_refuses_a_fifo_without_blocking() {
    let dir = TempDir::new("upload-fifo");
    let path = dir.path("pipe.mp4");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let server = mock(0);
    let c = client(&server);
    let e = within(GUARD, move || {
        c.upload_asset(&path, &UploadOptions::default(), go_on)
            .unwrap_err()
    });
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert!(e.message().contains("not a regular file"), "{e}");
    assert!(server.requests().is_empty());
}

#[test]
fn upload_of_a_growing_file_sends_exactly_the_bytes_counted() {
    // The file grows between the client's open and its PUT (a recording still being written):
    // the size declared to the API, the PUT's Content-Length, the bytes sent and the result's
    // `bytes` must all be the size counted at open, and the PUT must stay within max_bytes.
    let dir = TempDir::new("upload-grow");
    let original = sample_bytes(1000, 7);
    let path = dir.file("clip.png", &original);
    let storage = Scripted::start(vec![respond("200 OK", "", "")]);
    let grow = path.clone();
    let api = signing_api(&storage.url, move || {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&grow)
            .unwrap();
        f.write_all(&[0xAB; 500]).unwrap();
    });
    let c = hardening::client(&api.url, "k", &Lines::default());
    let options = UploadOptions {
        max_bytes: Some(1000),
        ..UploadOptions::default()
    };
    let asset = within(GUARD, move || c.upload_asset(&path, &options, go_on)).expect("uploaded");
    let declared: serde_json::Value = serde_json::from_slice(&api.finish()[0].body).unwrap();
    assert_eq!(declared["file_size"], 1000);
    let put = storage.finish();
    assert_eq!(put[0].header("content-length"), Some("1000"));
    assert_eq!(
        put[0].body, original,
        "the PUT sent other bytes than counted"
    );
    assert_eq!(asset.bytes, 1000);
}

#[test]
fn upload_progress_reports_every_chunk_and_can_cancel() {
    let server = mock(0);
    let dir = TempDir::new("upload-progress");
    let bytes = sample_bytes(1_500_000, 3);
    let path = dir.file("clip.mp4", &bytes);
    let mut events: Vec<UploadProgress> = Vec::new();
    let asset = client(&server)
        .upload_asset(&path, &UploadOptions::default(), |p| {
            events.push(*p);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(
        server.uploaded(&asset.asset_url).as_deref(),
        Some(&bytes[..])
    );
    assert!(events.len() > 3, "{} events for 1.5 MB", events.len());
    assert_eq!(events[0].bytes, 0);
    assert!(
        events.windows(2).all(|w| w[0].bytes <= w[1].bytes),
        "{events:?}"
    );
    assert!(events.iter().all(|p| p.total == 1_500_000));
    assert_eq!(events.last().unwrap().bytes, 1_500_000);

    let e = client(&server)
        .upload_asset(&path, &UploadOptions::default(), |p| {
            if p.bytes > 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(e.message().contains("of 1500000 bytes"), "{}", e.message());
}
