//! The wait loop against the mock's simulated render time: success, failure, deadline, cancel.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use common::{client, mock};
use jogg::{Code, CreateTalkingAvatarVideo, TaskStatus, WaitOptions};

fn fast(timeout_ms: u64) -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_millis(timeout_ms),
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(40),
    }
}

fn create(c: &jogg::Client, script: &str) -> String {
    c.create_video_from_talking_avatar(&CreateTalkingAvatarVideo::from_script(
        1,
        "en-US-JennyNeural",
        script,
    ))
    .unwrap()
    .project_id
}

#[test]
fn waits_through_every_status_to_success() {
    let server = mock(300);
    let c = client(&server);
    let id = create(&c, "Hello");
    let mut seen = Vec::new();
    let mut last_elapsed = Duration::ZERO;
    let mut pauses = Vec::new();
    let mut calls = 0;
    let p = c
        .wait_for_project(&id, &fast(20_000), |p| {
            assert_eq!(p.project_id, id);
            calls += 1;
            assert_eq!(p.polls, calls);
            assert!(p.elapsed >= last_elapsed);
            last_elapsed = p.elapsed;
            pauses.extend(p.next_poll);
            if seen.last() != Some(&p.status_code) {
                seen.push(p.status_code);
            }
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(p.status(), TaskStatus::Succeeded);
    assert!(p.video_url.is_some());
    assert_eq!(*seen.last().unwrap(), 4);
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "statuses go forward: {seen:?}"
    );
    // The interval grows, then stays at the ceiling.
    assert!(pauses.windows(2).all(|w| w[0] <= w[1]), "{pauses:?}");
    assert!(pauses.iter().all(|d| *d <= Duration::from_millis(40)));
}

#[test]
fn failed_render_is_task_failed_with_the_id() {
    let server = mock(0);
    let c = client(&server);
    let id = create(&c, "this one will FAIL_RENDER");
    let e = c
        .wait_for_project(&id, &fast(5_000), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.code, Code::TaskFailed);
    assert_eq!(e.task_id.as_deref(), Some(id.as_str()));
    assert_eq!(e.to_json()["task_id"], id.as_str());
}

#[test]
fn deadline_is_respected_and_keeps_the_id() {
    let server = mock(3_600_000);
    let c = client(&server);
    let id = create(&c, "slow");
    let mut polls = 0;
    let e = c
        .wait_for_project(&id, &fast(100), |p| {
            polls = p.polls;
            assert!(p.elapsed <= Duration::from_millis(100) || p.next_poll.is_none());
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert_eq!(e.code, Code::WaitTimeout);
    assert_eq!(e.task_id.as_deref(), Some(id.as_str()));
    assert!(polls >= 2, "polled until the deadline, got {polls}");
    // The task still exists: waiting again resumes without creating a new one.
    assert_eq!(server.projects_created(), 1);
    assert_eq!(c.get_project(&id).unwrap().status(), TaskStatus::Pending);
}

#[test]
fn callback_cancels() {
    let server = mock(3_600_000);
    let c = client(&server);
    let id = create(&c, "slow");
    let mut calls = 0;
    let e = c
        .wait_for_project(&id, &fast(60_000), |_| {
            calls += 1;
            ControlFlow::Break(())
        })
        .unwrap_err();
    assert_eq!(e.code, Code::Cancelled);
    assert_eq!(calls, 1);
    assert_eq!(e.task_id.as_deref(), Some(id.as_str()));
}

#[test]
fn unknown_project_fails_at_the_first_poll() {
    let server = mock(0);
    let e = client(&server)
        .wait_for_project("missing", &fast(60_000), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.code, Code::NotFound);
    assert_eq!(e.task_id.as_deref(), Some("missing"));
}

#[test]
fn bad_options_are_refused() {
    let server = mock(0);
    let options = WaitOptions {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(5),
        ..WaitOptions::default()
    };
    let e = client(&server)
        .wait_for_project("x", &options, |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("max_interval_ms"));
    assert!(server.requests().is_empty());
}
