//! Downloads against the mock: the finished video, progress, resume after a dropped
//! connection, cancel, and what is (not) left on disk after a failure.

mod common;

use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use common::{TempDir, client, mock, sample_bytes};
use jogg::{Code, CreateTalkingAvatarVideo, DownloadProgress, UploadOptions, WaitOptions};
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
        .upload_asset(&source, &UploadOptions::default())
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
        .create_video_from_talking_avatar(&CreateTalkingAvatarVideo::from_script(
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
    assert_eq!(e.code, Code::Transport, "{e}");
    assert!(e.retryable());
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
    assert_eq!(e.code, Code::NotFound);
    assert_eq!(e.http_status, Some(404));
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
    assert_eq!(e.code, Code::Cancelled);
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
    assert_eq!(e.code, Code::Cancelled);
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
    let check = |url: &str, target: &Path, code: Code, field: &str| {
        let e = c.download(url, target, keep_going).unwrap_err();
        assert_eq!(e.code, code, "{e}");
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
    };
    check(&url, &dir.path("no/such/dir/v.mp4"), Code::Io, "path");
    std::fs::create_dir(dir.path("folder")).unwrap();
    check(&url, &dir.path("folder"), Code::Io, "path");
    check(
        "http://example.com/v.mp4",
        &dir.path("v.mp4"),
        Code::Validation,
        "url",
    );
    check("not a url", &dir.path("v.mp4"), Code::Validation, "url");
    assert!(server.requests().is_empty());
}
