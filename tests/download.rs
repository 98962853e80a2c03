//! Downloads against the mock: the finished video, progress, resume after a dropped
//! connection, cancel, and what is (not) left on disk after a failure.

mod common;

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use common::{TempDir, client, mock, sample_bytes};
use jogg::{CreateTalkingAvatarVideo, DownloadProgress, ErrorKind, UploadOptions, WaitOptions};
use sha2::{Digest, Sha256};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn keep_going(_: &DownloadProgress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// A file of `len` bytes hosted on the mock (through the upload flow), and its URL.
fn hosted(server: &jogg_mock::MockServer, dir: &TempDir, len: usize) -> (String, Vec<u8>) {
    let bytes = sample_bytes(len, len as u64);
    let source = dir.file("source.mp4", &bytes);
    let asset = client(server)
        .upload_asset(&source, &UploadOptions::default(), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    (asset.asset_url, bytes)
}

fn range_headers(server: &jogg_mock::MockServer) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/files/"))
        .map(|r| {
            r.headers
                .iter()
                .find(|(k, _)| k == "range")
                .map(|(_, v)| v.clone())
        })
        .collect()
}

#[test]
fn finished_video_downloads_with_monotonic_progress_and_its_hash() {
    let server = mock(0);
    let c = client(&server);
    let created = c
        .v1()
        .videos()
        .create_from_talking_avatar(&CreateTalkingAvatarVideo::from_script(
            81,
            "en-US-JennyNeural",
            "Hello",
        ))
        .unwrap();
    let options = WaitOptions {
        timeout: Duration::from_secs(10),
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        max_polls: None,
        ..WaitOptions::default()
    };
    let project = c
        .wait_for_project(&created.project_id, &options, |_| ControlFlow::Continue(()))
        .unwrap();
    let url = project.video_url.unwrap();
    let expected = ureq::get(&url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_vec()
        .unwrap();

    let dir = TempDir::new("dl-video");
    let target = dir.path("video.mp4");
    let mut events = Vec::new();
    let done = c
        .download(&url, &target, |p| {
            events.push(*p);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), expected);
    assert_eq!(done.bytes, expected.len() as u64);
    assert_eq!(done.sha256, sha256_hex(&expected));
    assert_eq!(done.resumed_from, 0);
    assert_eq!(done.content_type.as_deref(), Some("video/mp4"));
    assert!(!jogg::part_path(&target).exists());
    assert_eq!(events.first().map(|p| p.bytes), Some(0));
    assert_eq!(events.last().map(|p| p.bytes), Some(done.bytes));
    assert!(events.iter().all(|p| p.total == Some(done.bytes)));
    // The key stays with the API.
    let get = server.requests().pop().unwrap();
    assert!(get.headers.iter().all(|(k, _)| k != "x-api-key"));
}

#[test]
fn progress_is_monotonic_over_many_chunks() {
    let server = mock(0);
    let dir = TempDir::new("dl-progress");
    let (url, bytes) = hosted(&server, &dir, 1_500_000);
    let mut events: Vec<DownloadProgress> = Vec::new();
    let done = client(&server)
        .download(&url, dir.path("out.mp4"), |p| {
            events.push(*p);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert!(events.len() > 3, "{} events for 1.5 MB", events.len());
    assert!(
        events.windows(2).all(|w| w[0].bytes <= w[1].bytes),
        "{events:?}"
    );
    assert!(events.iter().all(|p| p.total == Some(bytes.len() as u64)));
    assert_eq!(events.last().unwrap().bytes, bytes.len() as u64);
    assert_eq!(done.sha256, sha256_hex(&bytes));
}

#[test]
fn interrupted_transfer_leaves_no_target_and_resumes_with_range() {
    let server = mock(0);
    let dir = TempDir::new("dl-resume");
    let (url, bytes) = hosted(&server, &dir, 400_000);
    let target = dir.path("video.mp4");
    let part = jogg::part_path(&target);
    let c = client(&server);

    server.interrupt_next_download(123_456);
    let e = c.download(&url, &target, keep_going).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.is_retryable());
    assert!(!target.exists(), "a partial file reached the target path");
    let kept = std::fs::read(&part).unwrap();
    assert!(
        !kept.is_empty() && kept.len() <= 123_456,
        "{} bytes kept",
        kept.len()
    );
    assert_eq!(kept[..], bytes[..kept.len()]);

    let mut first_event = None;
    let done = c
        .download(&url, &target, |p| {
            first_event.get_or_insert(*p);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    assert_eq!(done.resumed_from, kept.len() as u64);
    assert_eq!(
        done.sha256,
        sha256_hex(&bytes),
        "the digest covers the whole file"
    );
    assert_eq!(first_event.unwrap().bytes, kept.len() as u64);
    assert!(!part.exists());
    assert_eq!(
        range_headers(&server),
        vec![None, Some(format!("bytes={}-", kept.len()))]
    );
}

#[test]
fn failure_keeps_an_existing_target_untouched() {
    let server = mock(0);
    let dir = TempDir::new("dl-keep");
    let (url, bytes) = hosted(&server, &dir, 200_000);
    let target = dir.file("video.mp4", b"the previous version");
    server.interrupt_next_download(1_000);
    client(&server)
        .download(&url, &target, keep_going)
        .unwrap_err();
    assert_eq!(std::fs::read(&target).unwrap(), b"the previous version");
    client(&server).download(&url, &target, keep_going).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
}

#[test]
fn missing_file_is_not_found_and_leaves_nothing() {
    let server = mock(0);
    let dir = TempDir::new("dl-404");
    let target = dir.path("video.mp4");
    let url = format!(
        "{}/files/ffffffffffffffffffffffffffffffff.mp4",
        server.base_url()
    );
    let e = client(&server)
        .download(&url, &target, keep_going)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.http_status(), Some(404));
    assert!(!target.exists());
    assert!(
        !jogg::part_path(&target).exists(),
        "an empty .part was left behind"
    );
}

#[test]
fn cancel_stops_and_a_later_call_resumes() {
    let server = mock(0);
    let dir = TempDir::new("dl-cancel");
    let (url, bytes) = hosted(&server, &dir, 1_000_000);
    let target = dir.path("video.mp4");
    let c = client(&server);
    let mut calls = 0;
    let e = c
        .download(&url, &target, |p| {
            calls += 1;
            if p.bytes > 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(calls, 2, "cancelled at the first chunk");
    assert!(!target.exists());
    let kept = std::fs::metadata(jogg::part_path(&target)).unwrap().len();
    assert!(kept > 0 && kept < bytes.len() as u64);
    let done = c.download(&url, &target, keep_going).unwrap();
    assert_eq!(done.resumed_from, kept);
    assert_eq!(std::fs::read(&target).unwrap(), bytes);

    // Cancelling before the first byte leaves nothing behind.
    let other = dir.path("other.mp4");
    let e = c
        .download(&url, &other, |_| ControlFlow::Break(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(!other.exists() && !jogg::part_path(&other).exists());
}

#[test]
fn server_ignoring_range_restarts_from_zero() {
    // A plain server that always sends the whole file with 200.
    let dir = TempDir::new("dl-norange");
    let body = "0123456789".repeat(10);
    let url = common::canned(Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    ));
    let target = dir.path("v.mp4");
    std::fs::write(jogg::part_path(&target), b"stale bytes from elsewhere").unwrap();
    let c = jogg::Client::new(common::config_for(&url, "k")).unwrap();
    let done = c
        .download(&format!("{url}/v.mp4"), &target, keep_going)
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), body.as_bytes());
    assert_eq!(done.resumed_from, 0);
    assert_eq!(done.sha256, sha256_hex(body.as_bytes()));
}

#[test]
fn complete_part_is_finished_without_downloading_again() {
    let server = mock(0);
    let dir = TempDir::new("dl-complete");
    let (url, bytes) = hosted(&server, &dir, 50_000);
    let target = dir.path("video.mp4");
    std::fs::write(jogg::part_path(&target), &bytes).unwrap();
    let done = client(&server).download(&url, &target, keep_going).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    assert_eq!(done.resumed_from, bytes.len() as u64);
    assert_eq!(done.sha256, sha256_hex(&bytes));
}

#[test]
fn bad_targets_and_urls_fail_before_any_request() {
    let server = mock(0);
    let dir = TempDir::new("dl-bad");
    let c = client(&server);
    let url = format!("{}/files/x.mp4", server.base_url());
    let check = |url: &str, target: &Path, code: ErrorKind, field: &str| {
        let e = c.download(url, target, keep_going).unwrap_err();
        assert_eq!(e.kind(), code, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
    };
    check(&url, &dir.path("no/such/dir/v.mp4"), ErrorKind::Io, "path");
    std::fs::create_dir(dir.path("folder")).unwrap();
    check(&url, &dir.path("folder"), ErrorKind::Io, "path");
    check(
        "http://example.com/v.mp4",
        &dir.path("v.mp4"),
        ErrorKind::Validation,
        "url",
    );
    check(
        "not a url",
        &dir.path("v.mp4"),
        ErrorKind::Validation,
        "url",
    );
    assert!(server.requests().is_empty());
}

// ---- The contract under attack: hostile file servers and a hostile file system. ----------

mod hardening;

use std::io::{Read as _, Write as _};
use std::time::Instant;

use hardening::{Action, Scripted, within};

const GUARD: Duration = Duration::from_secs(20);

/// A client for loopback file servers: no proxy, no retries, `timeout` per stall.
fn file_client(timeout: Duration) -> jogg::Config {
    let mut c = jogg::Config::new("test-key-files").with_base_url("http://127.0.0.1:1");
    c.proxy = jogg::Proxy::None;
    c.max_retries = 0;
    c.timeout = timeout;
    c.connect_timeout = timeout;
    c
}

/// A 200 with `body` and the given extra header lines.
fn file_reply(extra: &str, body: &[u8]) -> Action {
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Action::Respond(bytes)
}

#[test]
fn download_trickling_body_ends_by_transfer_deadline() {
    // One byte every 50 ms never trips a 3 s stall timeout; only a whole-transfer deadline
    // ends it.
    let files = Scripted::start(vec![Action::trickle(400, Duration::from_millis(50))]);
    let mut config = file_client(Duration::from_secs(3));
    config.transfer_timeout = Duration::from_secs(1);
    let c = jogg::Client::new(config).unwrap();
    let dir = TempDir::new("dl-trickle");
    let (url, target) = (format!("{}/v.mp4", files.url), dir.path("v.mp4"));
    let started = Instant::now();
    let e = within(GUARD, move || {
        c.download(&url, &target, keep_going).unwrap_err()
    });
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
}

#[test]
fn download_stall_is_the_timeout_code() {
    let files = Scripted::start(vec![Action::custom(|stream, _| {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n0123456789",
        );
        // Then nothing, until the client gives up.
        let mut sink = [0u8; 64];
        while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    })]);
    let c = jogg::Client::new(file_client(Duration::from_millis(300))).unwrap();
    let dir = TempDir::new("dl-stall");
    let (url, target) = (format!("{}/v.mp4", files.url), dir.path("v.mp4"));
    let e = within(GUARD, move || {
        c.download(&url, &target, keep_going).unwrap_err()
    });
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.is_retryable());
    assert!(
        e.message().contains("after 10 of 1000 bytes"),
        "{}",
        e.message()
    );
}

#[test]
fn download_refuses_a_planted_part_that_is_not_its_own_file() {
    // A .part planted as a symlink, a hard link or a FIFO: never followed, written, read from
    // or announced in a Range header.
    let dir = TempDir::new("dl-planted");
    let victim = dir.file("victim.txt", b"precious");
    let files = Scripted::start(vec![file_reply("", b"server bytes")]);
    let c = jogg::Client::new(file_client(Duration::from_secs(2))).unwrap();
    let url = format!("{}/v.mp4", files.url);

    let target = dir.path("link.mp4");
    std::os::unix::fs::symlink(&victim, jogg::part_path(&target)).unwrap();
    let e = c.download(&url, &target, keep_going).unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Io, Some("path")), "{e}");
    assert!(e.message().contains("symbolic link"), "{}", e.message());

    let target = dir.path("hard.mp4");
    std::fs::hard_link(&victim, jogg::part_path(&target)).unwrap();
    let e = c.download(&url, &target, keep_going).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert!(e.message().contains("other names"), "{}", e.message());

    let target = dir.path("fifo.mp4");
    let fifo = std::ffi::CString::new(jogg::part_path(&target).to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let (c2, url2, t2) = (c.clone(), url.clone(), target.clone());
    let e = within(GUARD, move || {
        c2.download(&url2, &t2, keep_going).unwrap_err()
    });
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert!(
        e.message().contains("not a regular file"),
        "{}",
        e.message()
    );

    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert_eq!(files.count(), 0, "a request went out for a planted .part");
}

#[test]
fn download_redirect_to_plain_http_elsewhere_is_refused() {
    // 0.0.0.0 reaches this machine but is not a loopback address: given directly it is
    // refused, and a redirect must not get it past the rule.
    let elsewhere = Scripted::start(vec![file_reply("", b"video")]);
    let port = elsewhere.url.rsplit(':').next().unwrap().to_string();
    let direct = format!("http://0.0.0.0:{port}/v.mp4");
    let first = Scripted::start(vec![hardening::respond(
        "302 Found",
        &format!("Location: {direct}\r\n"),
        "",
    )]);
    let c = jogg::Client::new(file_client(Duration::from_secs(2))).unwrap();
    let dir = TempDir::new("dl-redirect");
    let e = c
        .download(&direct, dir.path("a.mp4"), keep_going)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
    let e = c
        .download(
            &format!("{}/v.mp4", first.url),
            dir.path("b.mp4"),
            keep_going,
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse, "{e}");
    assert!(e.message().contains("loopback"), "{}", e.message());
    assert_eq!(elsewhere.count(), 0, "the redirect was followed");
    assert!(!dir.path("b.mp4").exists());

    // A redirect that keeps to the rule is followed.
    let next = Scripted::start(vec![file_reply("", b"video")]);
    let hop = Scripted::start(vec![hardening::respond(
        "302 Found",
        &format!("Location: {}/v.mp4\r\n", next.url),
        "",
    )]);
    let done = c
        .download(&format!("{}/v.mp4", hop.url), dir.path("c.mp4"), keep_going)
        .unwrap();
    assert_eq!(std::fs::read(dir.path("c.mp4")).unwrap(), b"video");
    assert_eq!(done.bytes, 5);
}

#[test]
fn download_saves_gzip_bytes_as_sent() {
    // The client asks for no content coding; a server that sends gzip anyway gets its bytes
    // saved as they are (a decoder would turn a small reply into a huge file, and make resume
    // offsets meaningless).
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0u8; 4 << 20]).unwrap();
    let wire = gz.finish().unwrap();
    let files = Scripted::start(vec![file_reply("Content-Encoding: gzip\r\n", &wire)]);
    let c = jogg::Client::new(file_client(Duration::from_secs(5))).unwrap();
    let dir = TempDir::new("dl-gzip");
    let target = dir.path("v.mp4");
    let done = c
        .download(&format!("{}/v.mp4", files.url), &target, keep_going)
        .unwrap();
    assert_eq!(done.bytes, wire.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), wire);
    let seen = files.finish();
    assert_eq!(seen[0].header("accept-encoding"), Some("identity"));
}

#[test]
fn download_cancel_message_says_what_happened_to_part() {
    let server = mock(0);
    let dir = TempDir::new("dl-cancel-words");
    let (url, _) = hosted(&server, &dir, 300_000);
    let c = client(&server);

    // Before the first byte: nothing was received, so nothing is kept.
    let early = dir.path("early.mp4");
    let e = c
        .download(&url, &early, |_| ControlFlow::Break(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(!jogg::part_path(&early).exists());
    assert!(!e.message().contains("is kept"), "{}", e.message());
    assert!(e.message().contains("removed"), "{}", e.message());

    // After some bytes: they are kept, and the message says where.
    let late = dir.path("late.mp4");
    let e = c
        .download(&url, &late, |p| {
            if p.bytes > 0 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
    let part = jogg::part_path(&late);
    let kept = std::fs::metadata(&part).unwrap().len();
    assert!(kept > 0);
    assert!(
        e.message()
            .contains(&format!("{} is kept ({kept} bytes)", part.display())),
        "{}",
        e.message()
    );

    // A failure before any byte of a fresh download: the message says the .part is gone.
    server.interrupt_next_download(0);
    let none = dir.path("none.mp4");
    let e = c.download(&url, &none, keep_going).unwrap_err();
    assert!(!jogg::part_path(&none).exists());
    assert!(e.message().contains("removed"), "{}", e.message());
}

#[test]
fn a_download_that_cannot_connect_names_the_host_and_port() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let server = mock(0);
    let dir = TempDir::new("download-refused");
    let e = client(&server)
        .download(
            &format!("http://127.0.0.1:{port}/files/video.mp4"),
            dir.path("video.mp4"),
            keep_going,
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(
        e.message()
            .contains(&format!("cannot connect to 127.0.0.1:{port}")),
        "{}",
        e.message()
    );
}
