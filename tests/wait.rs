//! The wait loop against the mock's simulated render time: success, failure, deadline, cancel.

mod common;

use std::ops::ControlFlow;
use std::time::Duration;

use common::{client, create_video, mock};
use jogg::{ErrorKind, TaskStatus, WaitOptions};

fn fast(timeout_ms: u64) -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_millis(timeout_ms),
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(40),
        max_polls: None,
        ..WaitOptions::default()
    }
}

#[test]
fn waits_through_every_status_to_success() {
    let server = mock(300);
    let c = client(&server);
    let id = create_video(&c, "Hello").unwrap();
    let mut seen = Vec::new();
    let mut last_elapsed = Duration::ZERO;
    let mut pauses = Vec::new();
    let mut calls = 0;
    let p = c
        .wait_for_project(&id, &fast(20_000), |p| {
            assert_eq!(p.id, id);
            calls += 1;
            assert_eq!(p.polls, calls);
            assert!(p.elapsed >= last_elapsed);
            last_elapsed = p.elapsed;
            pauses.extend(p.next_poll);
            let code = p.raw_status.as_i64().unwrap();
            if seen.last() != Some(&code) {
                seen.push(code);
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
    let id = create_video(&c, "this one will FAIL_RENDER").unwrap();
    let e = c
        .wait_for_project(&id, &fast(5_000), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed);
    assert_eq!(e.task_id(), Some(id.as_str()));
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["task_id"],
        id.as_str()
    );
    // The project's own status text; a v1 project gives no reason.
    assert!(
        e.message()
            .ends_with(&format!("{id} ended failed (status 5, \"failed\")")),
        "{}",
        e.message()
    );
    assert_eq!(e.api_message(), None);
}

#[test]
fn a_failed_task_says_why_when_the_api_does() {
    let server = mock(0);
    let c = client(&server);
    let e = c
        .call_and_wait(
            "v2.create_lip_sync_video",
            &serde_json::json!({"video_url": "https://example.com/FAIL_RENDER.mp4",
                                "audio_url": "https://example.com/a.mp3"}),
            &fast(5_000),
            |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed);
    let reason = "the audio could not be aligned with the video";
    assert!(
        e.message().ends_with(&format!(": {reason}")),
        "{}",
        e.message()
    );
    assert_eq!(e.api_message(), Some(reason));
    assert_eq!(
        jogg::internals::ffi::failure::error_json(&e)["api_message"],
        reason
    );
}

#[test]
fn deadline_is_respected_and_keeps_the_id() {
    let server = mock(3_600_000);
    let c = client(&server);
    let id = create_video(&c, "slow").unwrap();
    let mut polls = 0;
    let e = c
        .wait_for_project(&id, &fast(100), |p| {
            polls = p.polls;
            assert!(p.elapsed <= Duration::from_millis(100) || p.next_poll.is_none());
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitTimeout);
    assert_eq!(e.task_id(), Some(id.as_str()));
    assert!(polls >= 2, "polled until the deadline, got {polls}");
    // The task still exists: waiting again resumes without creating a new one.
    assert_eq!(server.projects_created(), 1);
    assert_eq!(
        c.v1().projects().get(&id).unwrap().status(),
        TaskStatus::Pending
    );
}

#[test]
fn callback_cancels() {
    let server = mock(3_600_000);
    let c = client(&server);
    let id = create_video(&c, "slow").unwrap();
    let mut calls = 0;
    let e = c
        .wait_for_project(&id, &fast(60_000), |_| {
            calls += 1;
            ControlFlow::Break(())
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(calls, 1);
    assert_eq!(e.task_id(), Some(id.as_str()));
}

#[test]
fn unknown_project_fails_at_the_first_poll() {
    let server = mock(0);
    let e = client(&server)
        .wait_for_project("missing", &fast(60_000), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.task_id(), Some("missing"));
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
    assert_eq!(e.field(), Some("max_interval_ms"));
    assert!(server.requests().is_empty());
}

fn kind(poll: &str) -> &'static jogg::TaskKind {
    jogg::TaskKind::polled_by(poll).unwrap()
}

#[test]
fn any_task_kind_is_waited_with_one_vocabulary() {
    let server = mock(0);
    let c = client(&server);
    let created = c
        .v2()
        .lip_sync()
        .create(&jogg::api::v2::lip_sync::CreateLipSync {
            video_url: "https://example.com/v.mp4".into(),
            audio_url: "https://example.com/a.mp3".into(),
            playback_type: None,
        })
        .unwrap();
    let mut raw = Vec::new();
    let done = c
        .wait(
            kind("v2.get_lip_sync_video"),
            &created.task_id,
            &fast(5_000),
            |p| {
                raw.push(p.raw_status.clone());
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(done.status, TaskStatus::Succeeded);
    assert_eq!(raw.last().unwrap(), "success", "the raw word is kept");
    assert_eq!(done.task["task_id"], created.task_id.as_str());
    assert_eq!(
        jogg::internals::ffi::shapes::finished_json(&done)["status"],
        "succeeded"
    );
}

#[test]
fn wait_many_polls_only_unfinished_tasks() {
    let server = mock(300);
    let c = client(&server);
    let ids: Vec<String> = (0..3)
        .map(|i| create_video(&c, &format!("video {i}")).unwrap())
        .collect();
    let failing = create_video(&c, "this one FAIL_RENDERs").unwrap();
    let mut tasks: Vec<(&jogg::TaskKind, String)> = ids
        .iter()
        .map(|id| (kind("v1.get_project"), id.clone()))
        .collect();
    tasks.push((kind("v1.get_project"), failing.clone()));
    let mut reported = std::collections::HashMap::<String, u32>::new();
    let results = c.wait_many(&tasks, &fast(20_000), |p| {
        *reported.entry(p.id.to_string()).or_default() = p.polls;
        ControlFlow::Continue(())
    });
    assert_eq!(results.len(), 4);
    for (result, id) in results.iter().take(3).zip(&ids) {
        let done = result.as_ref().unwrap();
        assert_eq!(&done.id, id);
        assert_eq!(done.task["status_code"], 4);
    }
    let e = results[3].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed);
    assert_eq!(e.task_id(), Some(failing.as_str()));
    // Each task was polled exactly as often as reported: none after it finished.
    for (id, polls) in &reported {
        let sent = server
            .requests()
            .iter()
            .filter(|r| r.path == "/v1/project" && r.query.iter().any(|(_, v)| v == id))
            .count();
        assert_eq!(sent as u32, *polls, "{id}");
    }
}

#[test]
fn poll_budget_is_never_exceeded() {
    let server = mock(3_600_000);
    let c = client(&server);
    let id = create_video(&c, "slow").unwrap();
    let mut options = fast(60_000);
    options.max_polls = Some(3);
    let e = c
        .wait(kind("v1.get_project"), &id, &options, |_| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitTimeout);
    assert!(e.message().contains("budget"), "{}", e.message());
    let polls = server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/project")
        .count();
    assert_eq!(polls, 3);
}

#[test]
fn create_and_wait_can_be_resumed_without_paying_twice() {
    let server = mock(300);
    let c = client(&server);
    let op = "v1.create_video_from_talking_avatar";
    let request = serde_json::json!({"script": "hello", "voice_id": "en-US-JennyNeural",
        "avatar_id": 81, "avatar_type": 0, "screen_style": 1});
    let mut options = fast(60_000);
    options.max_polls = Some(1);
    let e = c
        .call_and_wait(op, &request, &options, |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitTimeout);
    let id = e
        .task_id()
        .expect("the created id travels with the error")
        .to_string();
    let done = c
        .wait(kind("v1.get_project"), &id, &fast(20_000), |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(done.task["id"], id.as_str());
    assert_eq!(server.projects_created(), 1);

    let (created, done) = c
        .call_and_wait(op, &request, &fast(20_000), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(created["project_id"], done.id.as_str());
    let e = c
        .call_and_wait(
            "v2.get_current_user",
            &serde_json::json!({}),
            &fast(1_000),
            |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("operation"));
}
