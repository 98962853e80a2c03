//! Waits and webhook deliveries together: a delivery handed to the client ends the waits on
//! its task at once, with no poll after it; a lost delivery is made up for by polling; repeats,
//! early deliveries and forgeries are handled. The waits run on a manual clock, so nothing
//! here polls because time passed unless the test moves the clock; threads meet through
//! channels, never sleeps.

mod common;

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::mpsc::{Receiver as Channel, channel};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use common::{Receiver, create_video, mock_with};
use jogg::internals::ManualClock;
use jogg::webhook::{self, WebhookEvent};
use jogg::{Client, CreateWebhookEndpoint, ErrorKind, StatusSource, TaskStatus, WaitOptions};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use serde_json::json;

const SECRET: &str = "whsec_0123456789abcdef";
/// Renders that never end during a test: only deliveries end their waits.
const FOREVER: u64 = 3_600_000;

fn server(render_ms: u64) -> MockServer {
    mock_with(MockConfig {
        render_ms,
        post_limit: 1000,
        ..MockConfig::default()
    })
}

/// A client that knows `SECRET` (so it expects deliveries), without a POST limit of its own,
/// whose waits run on `clock`.
fn client(server: &MockServer, clock: &Arc<ManualClock>) -> Client {
    let mut config = common::config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit = 0;
    config.webhook_secrets = vec![SECRET.to_string()];
    Client::new(config)
        .unwrap()
        .with_manual_clock(clock.clone())
}

/// A delivery body for project `id`, as the API would send it.
fn event(event_id: &str, name: &str, id: &str) -> Vec<u8> {
    let data = if name.ends_with("_success") {
        json!({"project_id": id, "video_url": format!("https://cdn.example.com/{id}.mp4"),
               "duration": 12})
    } else {
        json!({"project_id": id, "error": {"message": "the avatar could not be rendered"}})
    };
    json!({"event_id": event_id, "event": name, "timestamp": 1_700_000_000, "data": data})
        .to_string()
        .into_bytes()
}

fn signed(body: &[u8]) -> String {
    webhook::sign(body, SECRET)
}

/// What a test learns from each progress report.
#[derive(Debug, PartialEq)]
struct Seen {
    source: StatusSource,
    status: TaskStatus,
    polls: u32,
    next_poll: Option<Duration>,
}

/// Waits for project `id` in a thread of its own; its progress reports come through the
/// channel as they happen.
fn wait_in_thread(
    c: &Client,
    id: &str,
    options: WaitOptions,
) -> (Channel<Seen>, JoinHandle<jogg::Result<jogg::Finished>>) {
    let (tx, rx) = channel();
    let (c, id) = (c.clone(), id.to_string());
    let kind = jogg::TaskKind::polled_by("v1.get_project").unwrap();
    let handle = thread::spawn(move || {
        c.wait(kind, &id, &options, |p| {
            let _ = tx.send(Seen {
                source: p.source,
                status: p.status,
                polls: p.polls,
                next_poll: p.next_poll,
            });
            ControlFlow::Continue(())
        })
    });
    (rx, handle)
}

/// Polls of project `id` the mock has received.
fn polls_of(server: &MockServer, id: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/project" && r.query.iter().any(|(_, v)| v == id))
        .count()
}

#[test]
fn a_delivery_ends_the_wait_with_no_poll_after_it() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let id = create_video(&c, "Woken by its delivery").unwrap();
    let (progress, waiting) = wait_in_thread(&c, &id, WaitOptions::default());
    let first = progress.recv().unwrap();
    assert_eq!(
        (first.source, first.status, first.polls),
        (StatusSource::Poll, TaskStatus::Pending, 1)
    );
    // The client knows a secret: the next poll is the safety net's, 6 x 5 s away.
    assert_eq!(first.next_poll, Some(Duration::from_secs(30)));

    let body = event("evt_woken", "generated_video_success", &id);
    let delivery = c.deliver_webhook(&body, Some(&signed(&body))).unwrap();
    assert_eq!((delivery.duplicate, delivery.woken), (false, 1));
    assert_eq!(delivery.event.id.as_deref(), Some(id.as_str()));

    let done = waiting.join().unwrap().unwrap();
    assert_eq!(done.source, StatusSource::Webhook);
    assert_eq!(done.polls, 1);
    assert_eq!(
        done.event.as_ref().and_then(|e| e.event_id.as_deref()),
        Some("evt_woken")
    );
    // The task reads like a finished project: the last poll with the event laid over it.
    assert_eq!(done.task["status_code"], 4);
    assert_eq!(done.task["id"], id.as_str());
    assert_eq!(
        done.task["video_url"],
        format!("https://cdn.example.com/{id}.mp4")
    );
    assert_eq!(
        jogg::internals::ffi::shapes::finished_json(&done)["source"],
        "webhook"
    );
    let last = progress.recv().unwrap();
    assert_eq!(
        (last.source, last.status, last.next_poll),
        (StatusSource::Webhook, TaskStatus::Succeeded, None)
    );
    assert!(progress.recv().is_err(), "nothing reported after the end");
    assert_eq!(polls_of(&server, &id), 1, "no poll after the delivery");
}

/// No webhook event ends a lip-sync task, so a client that expects deliveries still polls
/// it on the schedule of a program without webhooks, not the safety net's.
#[test]
fn a_task_no_delivery_can_end_is_polled_as_without_webhooks() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let created = c
        .v2()
        .lip_sync()
        .create(&jogg::api::v2::lip_sync::CreateLipSync {
            video_url: "https://cdn.example.com/talk.mp4".to_string(),
            audio_url: "https://cdn.example.com/voice.mp3".to_string(),
            playback_type: None,
        })
        .unwrap();
    let kind = jogg::TaskKind::polled_by("v2.get_lip_sync_video").unwrap();
    assert!(kind.events().is_empty());
    let (tx, progress) = channel();
    let (waiter, id) = (c.clone(), created.task_id.clone());
    let waiting = thread::spawn(move || {
        waiter.wait(kind, &id, &WaitOptions::default(), |p| {
            let _ = tx.send(p.next_poll);
            ControlFlow::Break(())
        })
    });
    assert_eq!(progress.recv().unwrap(), Some(Duration::from_secs(5)));
    assert_eq!(
        waiting.join().unwrap().unwrap_err().kind(),
        ErrorKind::Cancelled
    );
}

#[test]
fn a_lost_delivery_is_made_up_for_by_polling() {
    // Real deliveries from the mock to a receiver of the test's, which never hands them on:
    // lost. The client registered the endpoint, so it knows the secret and expects them.
    let server = server(2000);
    let clock = ManualClock::new();
    let mut config = common::config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit = 0;
    let c = Client::new(config)
        .unwrap()
        .with_manual_clock(clock.clone());
    let receiver = Receiver::start(&[200]);
    c.v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(
            &receiver.url,
            ["generated_video_success", "generated_video_failed"],
        ))
        .unwrap();
    let id = create_video(&c, "Its delivery is lost").unwrap();
    let (progress, waiting) = wait_in_thread(&c, &id, WaitOptions::default());
    let first = progress.recv().unwrap();
    assert_eq!(first.source, StatusSource::Poll);
    assert!(
        !first.status.is_terminal(),
        "the render takes 2 s: {first:?}"
    );
    let pause = first.next_poll.unwrap();
    assert_eq!(
        pause,
        Duration::from_secs(30),
        "the safety net's first pause"
    );

    // The render has ended once its delivery reaches the receiver; dropped there.
    let lost = receiver.next();
    assert_eq!(
        WebhookEvent::from_body(&lost.body).unwrap().id.as_deref(),
        Some(id.as_str())
    );
    assert_eq!(polls_of(&server, &id), 1, "no poll before the clock moves");
    clock.advance(pause);

    let done = waiting.join().unwrap().unwrap();
    assert_eq!((done.source, done.polls), (StatusSource::Poll, 2));
    assert_eq!(done.task["status_code"], 4);
    assert_eq!(polls_of(&server, &id), 2);
}

#[test]
fn a_repeated_delivery_is_recognised_and_wakes_nothing_again() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let id = create_video(&c, "Delivered twice").unwrap();
    let (progress, waiting) = wait_in_thread(&c, &id, WaitOptions::default());
    progress.recv().unwrap();
    let body = event("evt_twice", "generated_video_success", &id);
    let first = c.deliver_webhook(&body, Some(&signed(&body))).unwrap();
    let second = c.deliver_webhook(&body, Some(&signed(&body))).unwrap();
    assert_eq!((first.duplicate, first.woken), (false, 1));
    assert_eq!((second.duplicate, second.woken), (true, 0));
    assert_eq!(second.event, first.event);
    waiting.join().unwrap().unwrap();
    // A wait that starts now still ends at once (the delivery is kept), and the repeat,
    // through a clone of the client, is still a repeat.
    let again = c
        .clone()
        .wait_for_project(&id, &WaitOptions::default(), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(again.status(), TaskStatus::Succeeded);
    assert!(
        c.deliver_webhook(&body, Some(&signed(&body)))
            .unwrap()
            .duplicate
    );
}

#[test]
fn a_delivery_that_comes_before_the_wait_ends_it_without_polling() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let id = create_video(&c, "Delivered early").unwrap();
    let body = event("evt_early", "generated_video_success", &id);
    let delivery = c.deliver_webhook(&body, Some(&signed(&body))).unwrap();
    assert_eq!(delivery.woken, 0, "nobody waits yet: kept");
    let project = c
        .wait_for_project(&id, &WaitOptions::default(), |p| {
            assert_eq!(p.source, StatusSource::Webhook);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(project.id, id);
    assert_eq!(project.status(), TaskStatus::Succeeded);
    assert_eq!(
        project.video_url,
        Some(format!("https://cdn.example.com/{id}.mp4"))
    );
    assert_eq!(polls_of(&server, &id), 0);
}

#[test]
fn a_failure_delivery_fails_the_wait_with_its_message() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let id = create_video(&c, "Fails by webhook").unwrap();
    let (progress, waiting) = wait_in_thread(&c, &id, WaitOptions::default());
    progress.recv().unwrap();
    let body = event("evt_failed", "generated_video_failed", &id);
    c.deliver_webhook(&body, Some(&signed(&body))).unwrap();
    let e = waiting.join().unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed);
    assert_eq!(e.task_id(), Some(id.as_str()));
    assert!(
        e.message().contains("the avatar could not be rendered"),
        "{}",
        e.message()
    );
}

#[test]
fn forged_and_unusable_deliveries_are_refused_and_wake_nothing() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let id = create_video(&c, "Only the genuine one counts").unwrap();
    let (progress, waiting) = wait_in_thread(&c, &id, WaitOptions::default());
    progress.recv().unwrap();

    let genuine = event("evt_genuine", "generated_video_success", &id);
    let refused = |body: &[u8], signature: Option<&str>, code: ErrorKind, field: &str| {
        let e = c.deliver_webhook(body, signature).unwrap_err();
        assert_eq!(e.kind(), code, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
    };
    let sign_with = |body: &[u8], secret: &str| webhook::sign(body, secret);
    refused(&genuine, None, ErrorKind::Signature, "signature");
    refused(&genuine, Some("not hex"), ErrorKind::Signature, "signature");
    refused(
        &genuine,
        Some(&sign_with(&genuine, "whsec_forger")),
        ErrorKind::Signature,
        "signature",
    );
    let mut tampered = genuine.clone();
    tampered[10] ^= 1;
    refused(
        &tampered,
        Some(&signed(&genuine)),
        ErrorKind::Signature,
        "signature",
    );
    let not_json = b"ok".to_vec();
    refused(
        &not_json,
        Some(&signed(&not_json)),
        ErrorKind::BadResponse,
        "body",
    );
    let unknown = event("evt_unknown", "generated_nothing_success", &id);
    refused(
        &unknown,
        Some(&signed(&unknown)),
        ErrorKind::BadResponse,
        "event",
    );
    let no_task = br#"{"event_id":"e","event":"generated_video_success","data":{}}"#.to_vec();
    refused(
        &no_task,
        Some(&signed(&no_task)),
        ErrorKind::BadResponse,
        "data",
    );
    let huge = vec![b'{'; jogg::MAX_DELIVERY_BYTES + 1];
    refused(&huge, Some(&signed(&huge)), ErrorKind::BodyTooLarge, "body");
    // Genuine, for another task: accepted, wakes nobody here.
    let other = event("evt_other", "generated_video_success", "another-project");
    assert_eq!(
        c.deliver_webhook(&other, Some(&signed(&other)))
            .unwrap()
            .woken,
        0
    );
    assert!(progress.try_recv().is_err(), "nothing reached the wait");

    c.deliver_webhook(&genuine, Some(&signed(&genuine)))
        .unwrap();
    let done = waiting.join().unwrap().unwrap();
    assert_eq!(
        done.event.and_then(|e| e.event_id),
        Some("evt_genuine".to_string())
    );
    // A client that knows no secret can verify nothing.
    let plain = Client::new(common::config_for(&server.base_url(), MOCK_API_KEY)).unwrap();
    let e = plain
        .deliver_webhook(&genuine, Some(&signed(&genuine)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    // Secrets stay out of Debug output.
    let config = Client::new({
        let mut config = common::config_for(&server.base_url(), MOCK_API_KEY);
        config.webhook_secrets = vec![SECRET.to_string()];
        config
    })
    .unwrap();
    assert!(!format!("{config:?}").contains(SECRET));
}

#[test]
fn a_hundred_waits_are_woken_by_a_hundred_deliveries() {
    const WAITS: usize = 100;
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let ids: Vec<String> = (0..WAITS)
        .map(|i| create_video(&c, &format!("Video {i}")).unwrap())
        .collect();
    let waits: Vec<_> = ids
        .iter()
        .map(|id| wait_in_thread(&c, id, WaitOptions::default()))
        .collect();
    for (progress, _) in &waits {
        assert_eq!(progress.recv().unwrap().polls, 1);
    }
    // Delivered from four handler threads at once, in another order than the waits'.
    let handlers: Vec<_> = (0..4)
        .map(|h| {
            let c = c.clone();
            let mine: Vec<String> = ids.iter().rev().skip(h).step_by(4).cloned().collect();
            thread::spawn(move || {
                mine.iter()
                    .map(|id| {
                        let body = event(&format!("evt_{id}"), "generated_video_success", id);
                        c.deliver_webhook(&body, Some(&signed(&body)))
                            .unwrap()
                            .woken
                    })
                    .sum::<usize>()
            })
        })
        .collect();
    let woken: usize = handlers.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(woken, WAITS);
    for ((_, waiting), id) in waits.into_iter().zip(&ids) {
        let done = waiting.join().unwrap().unwrap();
        assert_eq!((done.source, done.polls), (StatusSource::Webhook, 1));
        assert_eq!(done.id, *id);
    }
    let polls = server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/project")
        .count();
    assert_eq!(polls, WAITS, "one poll each, none after the deliveries");
}

#[test]
fn wait_many_ends_each_task_by_its_delivery_or_by_polling() {
    let server = server(FOREVER);
    let clock = ManualClock::new();
    let c = client(&server, &clock);
    let ids: Vec<String> = (0..3)
        .map(|i| create_video(&c, &format!("Task {i}")).unwrap())
        .collect();
    let kind = jogg::TaskKind::polled_by("v1.get_project").unwrap();
    let tasks: Vec<(&jogg::TaskKind, String)> = ids.iter().map(|id| (kind, id.clone())).collect();
    let (tx, reports) = channel();
    let waiting = {
        let c = c.clone();
        let options = WaitOptions {
            timeout: Duration::from_secs(60),
            ..WaitOptions::default()
        };
        thread::spawn(move || {
            c.wait_many(&tasks, &options, |p| {
                let _ = tx.send((p.id.to_string(), p.source, p.next_poll));
                ControlFlow::Continue(())
            })
        })
    };
    for _ in 0..3 {
        reports.recv().unwrap();
    }
    for id in &ids[..2] {
        let body = event(&format!("evt_{id}"), "generated_video_success", id);
        assert_eq!(
            c.deliver_webhook(&body, Some(&signed(&body)))
                .unwrap()
                .woken,
            1
        );
        assert_eq!(
            reports.recv().unwrap(),
            (id.clone(), StatusSource::Webhook, None)
        );
    }
    // The third never gets one: the safety net polls it at 30 s, then at the deadline.
    clock.advance(Duration::from_secs(30));
    assert_eq!(
        reports.recv().unwrap(),
        (
            ids[2].clone(),
            StatusSource::Poll,
            Some(Duration::from_secs(30))
        )
    );
    clock.advance(Duration::from_secs(30));
    let results = waiting.join().unwrap();
    assert_eq!(results[0].as_ref().unwrap().source, StatusSource::Webhook);
    assert_eq!(results[1].as_ref().unwrap().source, StatusSource::Webhook);
    let e = results[2].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WaitTimeout);
    assert_eq!(polls_of(&server, &ids[2]), 3);
}

#[test]
fn mock_deliveries_fed_to_the_client_end_every_wait_even_when_some_are_lost() {
    // End to end on the system clock: the mock loses half its deliveries (seeded); a handler
    // thread feeds the rest to the client. Every wait ends; a lost one by polling.
    const TASKS: usize = 8;
    let server = mock_with(MockConfig {
        render_ms: 300,
        post_limit: 1000,
        fault_seed: 7,
        webhook_drop_rate: 0.5,
        ..MockConfig::default()
    });
    let mut config = common::config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit = 0;
    let c = Client::new(config).unwrap();
    let receiver = Receiver::start(&[200]);
    c.v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(
            &receiver.url,
            ["generated_video_success"],
        ))
        .unwrap();
    // The program's handler: every delivery received goes to the client. It outlives the
    // test's waits; the harness ends it with the process.
    {
        let c = c.clone();
        thread::spawn(move || {
            while let Some(got) = receiver.next_within(Duration::from_secs(60)) {
                let signature = got.header("x-webhook-signature");
                c.deliver_webhook(&got.body, signature).unwrap();
            }
        });
    }
    let ids: Vec<String> = (0..TASKS)
        .map(|i| create_video(&c, &format!("Lossy {i}")).unwrap())
        .collect();
    let options = WaitOptions {
        timeout: Duration::from_secs(20),
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        ..WaitOptions::default()
    };
    let kind = jogg::TaskKind::polled_by("v1.get_project").unwrap();
    let waits: Vec<_> = ids
        .iter()
        .map(|id| {
            let (c, id, options) = (c.clone(), id.clone(), options.clone());
            thread::spawn(move || c.wait(kind, &id, &options, |_| ControlFlow::Continue(())))
        })
        .collect();
    let results: Vec<jogg::Finished> = waits
        .into_iter()
        .map(|w| w.join().unwrap().unwrap())
        .collect();
    assert!(server.wait_for_webhooks(Duration::from_secs(20)));
    let lost: Vec<String> = server
        .webhook_attempts()
        .iter()
        .filter(|a| a.dropped)
        .map(|a| a.event_id.clone())
        .collect();
    assert!(
        !lost.is_empty() && lost.len() < TASKS,
        "seed 7 loses some: {lost:?}"
    );
    for done in &results {
        if let Some(event) = &done.event {
            assert!(!lost.contains(event.event_id.as_ref().unwrap()));
        }
    }
    // A lost delivery's wait can only have ended by polling: as many polled ends at least.
    let by_poll = results
        .iter()
        .filter(|d| d.source == StatusSource::Poll)
        .count();
    assert!(by_poll >= lost.len(), "{by_poll} < {}", lost.len());
}
