//! Webhook endpoints through the library and the mock, and the mock's signed deliveries to a
//! receiver on loopback: what arrives, retries after non-2xx, and what must not arrive.
//! Receivers block on a channel until a delivery comes; nothing sleeps.

mod common;

use std::time::Duration;

use common::{Receiver, client, create_video, mock, mock_with};
use jogg::webhook::{self, known_events};
use jogg::{
    CreateWebhookEndpoint, EndpointStatus, ErrorKind, TaskStatus, UpdateWebhookEndpoint,
    WebhookEndpointSpec,
};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use serde_json::json;

const SETTLE: Duration = Duration::from_secs(20);

fn both_outcomes() -> [&'static str; 2] {
    ["generated_video_success", "generated_video_failed"]
}

#[test]
fn v1_endpoints_round_trip() {
    let server = mock(0);
    let c = client(&server);
    let created = c
        .v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(
            "https://example.com/hook",
            ["generated_video_success"],
        ))
        .unwrap();
    assert_eq!(created.url, "https://example.com/hook");
    assert_eq!(created.status.as_deref(), Some("enabled"));
    assert_eq!(created.events, ["generated_video_success"]);
    assert_eq!(
        created.secret.len(),
        16,
        "v1 secrets are 16 characters (D20)"
    );
    assert!(created.created_at.is_some());

    let listed = c.v1().webhooks().list_endpoints().unwrap();
    assert_eq!(listed, std::slice::from_ref(&created));

    // v1 updates are partial: what is not sent keeps its value (D43).
    let updated = c
        .v1()
        .webhooks()
        .update_endpoint(
            &created.endpoint_id,
            &UpdateWebhookEndpoint {
                status: Some(EndpointStatus::Disabled),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(updated.status.as_deref(), Some("disabled"));
    assert_eq!(updated.url, created.url);
    assert_eq!(updated.events, created.events);
    assert_eq!(updated.secret, created.secret, "the secret never changes");
    let put = server.requests().pop().unwrap();
    assert_eq!(put.method, "PUT");
    assert_eq!(put.path, format!("/v1/endpoint/{}", created.endpoint_id));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&put.body).unwrap(),
        json!({"status": "disabled"})
    );

    assert_eq!(c.v1().webhooks().list_events().unwrap(), both_outcomes());

    c.v1()
        .webhooks()
        .delete_endpoint(&created.endpoint_id)
        .unwrap();
    assert!(c.v1().webhooks().list_endpoints().unwrap().is_empty());
    let e = c
        .v1()
        .webhooks()
        .delete_endpoint(&created.endpoint_id)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn v2_endpoints_round_trip() {
    let server = mock(0);
    let c = client(&server);
    let v2 = c.v2();
    let created = v2
        .webhooks()
        .create_endpoint(&WebhookEndpointSpec::new(
            "https://example.com/v2",
            [
                "generated_avatar_video_success",
                "generated_avatar_video_failed",
            ],
        ))
        .unwrap();
    assert!(created.secret.starts_with("whsec_"), "{created:?}");
    assert_eq!(
        v2.webhooks().list_endpoints().unwrap(),
        std::slice::from_ref(&created)
    );

    // v2 updates replace everything.
    let spec = WebhookEndpointSpec {
        url: "https://example.com/other".into(),
        status: EndpointStatus::Disabled,
        events: vec!["generated_script_success".into()],
    };
    let updated = v2
        .webhooks()
        .update_endpoint(&created.endpoint_id, &spec)
        .unwrap();
    assert_eq!(
        (
            updated.url.as_str(),
            updated.status.as_deref(),
            updated.events.clone()
        ),
        (
            "https://example.com/other",
            Some("disabled"),
            spec.events.clone()
        )
    );
    let mut events = v2.webhooks().list_events().unwrap();
    let mut known = known_events();
    events.sort_unstable();
    known.sort_unstable();
    assert_eq!(events, known, "the mock lists the documented set");
    v2.webhooks().delete_endpoint(&created.endpoint_id).unwrap();
    assert!(v2.webhooks().list_endpoints().unwrap().is_empty());
}

#[test]
fn endpoint_requests_are_validated_before_sending() {
    let server = mock(0);
    let c = client(&server);
    let check = |op: &str, params: serde_json::Value, field: &str| {
        let e = c.call(op, &params).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
    };
    check("v1.create_webhook_endpoint", json!({"events": []}), "url");
    check(
        "v1.create_webhook_endpoint",
        json!({"url": "https://x", "events": "generated_video_success"}),
        "events",
    );
    check(
        "v1.create_webhook_endpoint",
        json!({"url": "https://x", "events": [], "status": "on"}),
        "status",
    );
    check(
        "v2.create_webhook_endpoint",
        json!({"url": "https://x", "events": []}),
        "status",
    );
    check(
        "v2.update_webhook_endpoint",
        json!({"endpoint_id": "e", "url": "https://x", "events": []}),
        "status",
    );
    check(
        "v1.update_webhook_endpoint",
        json!({"status": "enabled"}),
        "endpoint_id",
    );
    check(
        "v1.delete_webhook_endpoint",
        json!({"endpoint_id": ""}),
        "endpoint_id",
    );
    check(
        "v2.create_upload_url",
        json!({"filename": "a.png"}),
        "content_type",
    );
    check(
        "v2.create_upload_url",
        json!({"filename": "a.png", "content_type": "image/png", "file_size": 0}),
        "file_size",
    );
    assert!(server.requests().is_empty());
}

#[test]
fn mock_enforces_the_documented_endpoint_rules() {
    // Room for 23 POSTs within the rate-limit window.
    let server = mock_with(MockConfig {
        post_limit: 100,
        ..MockConfig::default()
    });
    // Nor may the client's own POST limit (20 a minute) pace this test.
    let mut config = common::config_for(&server.base_url(), jogg_mock::MOCK_API_KEY);
    config.post_limit = 0;
    let c = jogg::Client::new(config).unwrap();
    let refused = |url: &str, events: &[&str]| {
        let e = c
            .v1()
            .webhooks()
            .create_endpoint(&CreateWebhookEndpoint::new(url, events.iter().copied()))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{e}");
        assert_eq!(e.api_code(), Some(40000));
    };
    refused("http://example.com/hook", &["generated_video_success"]);
    // v1 knows only the two video events (D50); v2 knows 22.
    refused("https://example.com/hook", &["generated_script_success"]);
    for n in 0..20 {
        c.v1()
            .webhooks()
            .create_endpoint(&CreateWebhookEndpoint::new(
                format!("https://example.com/{n}"),
                ["generated_video_success"],
            ))
            .unwrap();
    }
    refused("https://example.com/21", &["generated_video_success"]);
}

/// A v1 endpoint for `url` receiving both video outcomes; returns its secret.
fn register(c: &jogg::Client, url: &str) -> String {
    c.v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(url, both_outcomes()))
        .unwrap()
        .secret
}

#[test]
fn finished_render_is_delivered_signed_and_parses() {
    let server = mock(0);
    let c = client(&server);
    let receiver = Receiver::start(&[200]);
    let secret = register(&c, &receiver.url);
    let project_id = create_video(&c, "Deliver me").unwrap();

    let got = receiver.next();
    assert_eq!(got.request_line, "POST /hook HTTP/1.1");
    assert_eq!(
        got.header("x-webhook-event"),
        Some("generated_video_success")
    );
    assert_eq!(got.header("user-agent"), Some("Jogg-Webhook/1.0"));
    assert_eq!(got.header("content-type"), Some("application/json"));
    let signature = got.header("x-webhook-signature");
    webhook::verify(&got.body, signature, &secret).unwrap();
    let event = webhook::parse(&got.body, signature, &secret).unwrap();
    assert_eq!(event.event, "generated_video_success");
    assert_eq!(event.task_kind, "video");
    assert_eq!(event.id.as_deref(), Some(project_id.as_str()));
    assert_eq!(event.status, TaskStatus::Succeeded);
    assert_eq!(
        event.video_url,
        Some(format!("{}/files/{project_id}.mp4", server.base_url()))
    );
    assert!(
        event
            .event_id
            .as_deref()
            .is_some_and(|id| id.starts_with("evt_"))
    );
    assert!(event.timestamp.is_some());
    assert_eq!(event.error, None);
    // The delivered URL is the project's.
    let project = c.v1().projects().get(&project_id).unwrap();
    assert_eq!(project.video_url, event.video_url);

    assert!(server.wait_for_webhooks(SETTLE));
    let attempts = server.webhook_attempts();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].status, Some(200));
    assert_eq!(attempts[0].event_id, event.event_id.unwrap());
}

/// A receiver behind HTTPS, with a certificate from the mock's authority: the delivery
/// arrives over TLS, signed as over HTTP, and is recorded as answered.
#[test]
fn deliveries_reach_an_https_receiver() {
    let server = mock(0);
    let c = client(&server);
    let identity = server
        .authority()
        .issue(&["127.0.0.1".to_string()], jogg_mock::Validity::Current)
        .unwrap();
    let receiver = Receiver::start_tls(&[200], identity.server_config().unwrap());
    assert!(receiver.url.starts_with("https://127.0.0.1:"));
    let secret = register(&c, &receiver.url);
    let project_id = create_video(&c, "Deliver me over TLS").unwrap();
    let got = receiver.next();
    assert_eq!(got.request_line, "POST /hook HTTP/1.1");
    let signature = got.header("x-webhook-signature");
    let event = webhook::parse(&got.body, signature, &secret).unwrap();
    assert_eq!(event.id.as_deref(), Some(project_id.as_str()));
    assert!(server.wait_for_webhooks(SETTLE));
    let attempts = server.webhook_attempts();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].status, Some(200));
}

#[test]
fn failed_render_is_delivered_with_its_error() {
    let server = mock(0);
    let c = client(&server);
    let receiver = Receiver::start(&[204]);
    let secret = register(&c, &receiver.url);
    let project_id = create_video(&c, "This will FAIL_RENDER").unwrap();
    let got = receiver.next();
    assert_eq!(
        got.header("x-webhook-event"),
        Some("generated_video_failed")
    );
    let event = webhook::parse(&got.body, got.header("x-webhook-signature"), &secret).unwrap();
    assert_eq!(event.status, TaskStatus::Failed);
    assert_eq!(event.id.as_deref(), Some(project_id.as_str()));
    assert!(event.error.is_some_and(|m| !m.is_empty()));
    assert_eq!(event.video_url, None);
}

#[test]
fn v2_endpoints_get_the_v2_user_agent() {
    let server = mock(0);
    let c = client(&server);
    let receiver = Receiver::start(&[200]);
    let endpoint = c
        .v2()
        .webhooks()
        .create_endpoint(&WebhookEndpointSpec::new(&receiver.url, both_outcomes()))
        .unwrap();
    create_video(&c, "v2 receiver").unwrap();
    let got = receiver.next();
    assert_eq!(got.header("user-agent"), Some("JoggAI-Webhook/2.0"));
    webhook::verify(
        &got.body,
        got.header("x-webhook-signature"),
        &endpoint.secret,
    )
    .unwrap();
}

fn quick_retries() -> MockConfig {
    MockConfig {
        render_ms: 0,
        webhook_retry_ms: 10,
        ..MockConfig::default()
    }
}

#[test]
fn non_2xx_answer_is_retried_with_the_same_signed_body() {
    let server = mock_with(quick_retries());
    let c = client(&server);
    let receiver = Receiver::start(&[500, 200]);
    let secret = register(&c, &receiver.url);
    create_video(&c, "Retry me").unwrap();
    let first = receiver.next();
    let second = receiver.next();
    assert_eq!((first.answered, second.answered), (500, 200));
    assert_eq!(first.body, second.body, "a retry repeats the event");
    assert_eq!(
        first.header("x-webhook-signature"),
        second.header("x-webhook-signature")
    );
    webhook::verify(&second.body, second.header("x-webhook-signature"), &secret).unwrap();

    assert!(server.wait_for_webhooks(SETTLE));
    let attempts = server.webhook_attempts();
    let seen: Vec<(u32, Option<u16>)> = attempts.iter().map(|a| (a.attempt, a.status)).collect();
    assert_eq!(seen, [(1, Some(500)), (2, Some(200))]);
    assert!(receiver.pending().is_empty(), "no delivery after the 2xx");
}

#[test]
fn delivery_gives_up_after_three_retries() {
    let server = mock_with(quick_retries());
    let c = client(&server);
    let receiver = Receiver::start(&[503]);
    register(&c, &receiver.url);
    create_video(&c, "Never accepted").unwrap();
    for _ in 0..4 {
        assert_eq!(receiver.next().answered, 503);
    }
    assert!(server.wait_for_webhooks(SETTLE));
    let statuses: Vec<Option<u16>> = server.webhook_attempts().iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(503); 4]);
    assert!(receiver.pending().is_empty(), "more than 1 + 3 attempts");
}

#[test]
fn unreachable_receiver_counts_as_a_failed_attempt() {
    let server = mock_with(quick_retries());
    let c = client(&server);
    // A port that was free a moment ago: connections are refused.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/hook", listener.local_addr().unwrap())
    };
    register(&c, &closed);
    create_video(&c, "Nobody listens").unwrap();
    assert!(server.wait_for_webhooks(SETTLE));
    let statuses: Vec<Option<u16>> = server.webhook_attempts().iter().map(|a| a.status).collect();
    assert_eq!(statuses, [None; 4]);
}

#[test]
fn only_enabled_subscribed_endpoints_of_the_owner_are_called() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        api_keys: vec![MOCK_API_KEY.to_owned(), "other-key".to_owned()],
        ..MockConfig::default()
    })
    .unwrap();
    let c = client(&server);
    let other = jogg::Client::new(common::config_for(&server.base_url(), "other-key")).unwrap();
    let receiver = Receiver::start(&[200]);

    let disabled = c
        .v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint {
            status: Some(EndpointStatus::Disabled),
            ..CreateWebhookEndpoint::new(&receiver.url, both_outcomes())
        })
        .unwrap();
    c.v1()
        .webhooks()
        .create_endpoint(&CreateWebhookEndpoint::new(
            &receiver.url,
            ["generated_video_failed"],
        ))
        .unwrap();
    register(&other, &receiver.url);

    create_video(&c, "A success nobody subscribed to").unwrap();
    assert!(server.wait_for_webhooks(SETTLE));
    assert!(server.webhook_attempts().is_empty());
    assert!(receiver.pending().is_empty());

    // Enabling the first endpoint makes the next render reach it, once.
    c.v1()
        .webhooks()
        .update_endpoint(
            &disabled.endpoint_id,
            &UpdateWebhookEndpoint {
                status: Some(EndpointStatus::Enabled),
                ..Default::default()
            },
        )
        .unwrap();
    create_video(&c, "Now someone listens").unwrap();
    let got = receiver.next();
    webhook::verify(
        &got.body,
        got.header("x-webhook-signature"),
        &disabled.secret,
    )
    .unwrap();
    assert!(server.wait_for_webhooks(SETTLE));
    assert_eq!(server.webhook_attempts().len(), 1);
}

#[test]
fn deliveries_wait_for_the_render_to_end() {
    let server = mock(3_600_000);
    let c = client(&server);
    let receiver = Receiver::start(&[200]);
    register(&c, &receiver.url);
    create_video(&c, "Still rendering").unwrap();
    // Nothing has ended, so nothing is due: settled at once, nothing sent.
    assert!(server.wait_for_webhooks(SETTLE));
    assert!(server.webhook_attempts().is_empty());
    assert!(receiver.pending().is_empty());
}

/// A mock with instant renders whose deliveries are lost at `rate`, drawn with `seed`.
fn lossy(rate: f64, seed: u64) -> MockServer {
    mock_with(MockConfig {
        render_ms: 0,
        post_limit: 100,
        fault_seed: seed,
        webhook_drop_rate: rate,
        ..MockConfig::default()
    })
}

/// Creates `n` videos one after the other (their renders end in that order) and returns,
/// once every delivery settled, which of them had their delivery lost.
fn lost_pattern(server: &MockServer, n: usize) -> Vec<bool> {
    let mut config = common::config_for(&server.base_url(), MOCK_API_KEY);
    config.post_limit = 0;
    let c = jogg::Client::new(config).unwrap();
    let receiver = Receiver::start(&[200]);
    register(&c, &receiver.url);
    let ids: Vec<String> = (0..n)
        .map(|i| create_video(&c, &format!("Video {i}")).unwrap())
        .collect();
    assert!(server.wait_for_webhooks(SETTLE));
    let dropped = server
        .webhook_attempts()
        .iter()
        .filter(|a| a.dropped)
        .count();
    // The receiver hands a request on after answering it: take what the mock says it sent.
    let received: Vec<String> = (0..n - dropped)
        .map(|_| {
            webhook::WebhookEvent::from_body(&receiver.next().body)
                .unwrap()
                .id
                .unwrap()
        })
        .collect();
    assert!(receiver.pending().is_empty(), "a lost delivery arrived");
    ids.iter().map(|id| !received.contains(id)).collect()
}

#[test]
fn a_seeded_share_of_deliveries_is_lost_the_same_way_each_time() {
    let first = lost_pattern(&lossy(0.5, 7), 12);
    let lost = first.iter().filter(|l| **l).count();
    assert!(
        0 < lost && lost < 12,
        "seed 7 loses some, not all: {first:?}"
    );
    assert_eq!(
        lost_pattern(&lossy(0.5, 7), 12),
        first,
        "same seed, same losses"
    );
    assert_eq!(lost_pattern(&lossy(0.0, 7), 4), [false; 4]);
    assert_eq!(lost_pattern(&lossy(1.0, 7), 4), [true; 4]);
    let attempts = {
        let server = lossy(1.0, 7);
        lost_pattern(&server, 1);
        server.webhook_attempts()
    };
    assert_eq!(
        (attempts.len(), attempts[0].attempt, attempts[0].status),
        (1, 0, None),
        "a lost delivery is listed once, as never attempted"
    );
    assert!(
        MockServer::start(MockConfig {
            webhook_drop_rate: 1.5,
            ..MockConfig::default()
        })
        .is_err()
    );
}

#[test]
fn delays_hold_deliveries_back_and_reorder_them() {
    // A long delay: nothing arrives while it runs, and stopping the server ends it.
    let server = mock_with(MockConfig {
        render_ms: 0,
        webhook_delay_ms: 3_600_000,
        ..MockConfig::default()
    });
    let c = client(&server);
    let receiver = Receiver::start(&[200]);
    register(&c, &receiver.url);
    create_video(&c, "Held back").unwrap();
    assert!(!server.wait_for_webhooks(Duration::from_millis(200)));
    assert!(receiver.pending().is_empty());
    drop(server);

    // A spread: each delivery draws its own delay, so they arrive in the order of their
    // delays, not of their renders (this seed draws the first render the longer one).
    let server = mock_with(MockConfig {
        render_ms: 0,
        fault_seed: 3,
        webhook_delay_spread_ms: 1500,
        ..MockConfig::default()
    });
    let c = client(&server);
    let receiver = Receiver::start(&[200]);
    register(&c, &receiver.url);
    let first = create_video(&c, "First to end").unwrap();
    let second = create_video(&c, "Second to end").unwrap();
    // (event id, project id) in the order they arrived.
    let arrived: Vec<(String, String)> = (0..2)
        .map(|_| {
            let event = webhook::WebhookEvent::from_body(&receiver.next().body).unwrap();
            (event.event_id.unwrap(), event.id.unwrap())
        })
        .collect();
    let mut delays: Vec<(u64, String)> = server
        .webhook_attempts()
        .into_iter()
        .map(|a| (a.delay_ms, a.event_id))
        .collect();
    delays.sort();
    let by_delay: Vec<&String> = delays.iter().map(|(_, id)| id).collect();
    let arrived_events: Vec<&String> = arrived.iter().map(|(id, _)| id).collect();
    assert_eq!(
        arrived_events, by_delay,
        "deliveries arrive in the order of their delays"
    );
    let projects: Vec<String> = arrived.into_iter().map(|(_, p)| p).collect();
    assert_eq!(
        projects,
        [second, first],
        "the delays reordered the deliveries"
    );
}
