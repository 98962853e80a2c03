//! The table-driven operations end to end: typed v2 methods and `jogg_call` against the
//! mock's simulation of the same operations.

mod common;

use common::{CClient, client, mock};
use jogg::ErrorKind;
use jogg::api::v2::lip_sync::{CreateLipSync, PlaybackType};
use serde_json::json;

fn lip_sync_request() -> CreateLipSync {
    CreateLipSync {
        video_url: "https://example.com/in.mp4".into(),
        audio_url: "https://example.com/voice.mp3".into(),
        playback_type: Some(PlaybackType::NormalReverse),
    }
}

#[test]
fn current_user_and_quota() {
    let server = mock(0);
    let c = client(&server);
    let user = c.v2().account().current_user().unwrap();
    assert_eq!(user.username.as_deref(), Some("jogg-mock"));
    assert!(user.email.unwrap().contains('@'));
    assert_eq!(c.v2().account().remaining_quota().unwrap(), 1000.0);

    let cc = CClient::new(&server);
    let data = cc.call("v2.get_current_user", &json!({})).unwrap();
    assert_eq!(data["username"], "jogg-mock");
    let data = cc.call("v2.get_remaining_quota", &json!(null)).unwrap();
    assert_eq!(data["remaining_quota"], 1000.0);
}

#[test]
fn lip_sync_moves_through_its_statuses() {
    let server = mock(300);
    let c = client(&server);
    let created = c.v2().lip_sync().create(&lip_sync_request()).unwrap();
    assert_eq!(created.task_id.len(), 36, "a UUID: {}", created.task_id);
    assert_eq!(created.status.as_deref(), Some("pending"));
    let sent = server.requests().pop().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["playback_type"], "normal_reverse");

    let first = c.v2().lip_sync().get(&created.task_id).unwrap();
    assert_eq!(first.status, "pending");
    assert!(first.data.is_none() && first.completed_at.is_none());
    assert_eq!(server.created("lip_sync"), 1);
}

#[test]
fn lip_sync_success_and_failure_results() {
    let server = mock(0);
    let c = client(&server);
    let id = c
        .v2()
        .lip_sync()
        .create(&lip_sync_request())
        .unwrap()
        .task_id;
    let done = c.v2().lip_sync().get(&id).unwrap();
    assert_eq!(done.status, "success");
    let result = done.data.unwrap();
    let url = result.result_url.unwrap();
    assert!(url.starts_with(&server.base_url()));
    assert!(done.completed_at.is_some());
    assert!(done.error.is_none());
    // The result URL serves a video.
    let agent = ureq::Agent::new_with_defaults();
    let mut response = agent.get(&url).call().unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.body_mut().read_to_vec().unwrap().len() > 100);

    let mut failing = lip_sync_request();
    failing.audio_url = "https://example.com/FAIL_RENDER.mp3".into();
    let id = c.v2().lip_sync().create(&failing).unwrap().task_id;
    let failed = c.v2().lip_sync().get(&id).unwrap();
    assert_eq!(failed.status, "failed");
    assert!(failed.error.unwrap().message.unwrap().contains("audio"));
    assert!(failed.data.is_none());
}

#[test]
fn lip_sync_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let created = cc
        .call(
            "v2.create_lip_sync_video",
            &json!({"video_url": "https://example.com/in.mp4", "audio_url": "https://example.com/a.mp3"}),
        )
        .unwrap();
    let id = created["task_id"].as_str().unwrap();
    let task = cc
        .call("v2.get_lip_sync_video", &json!({"task_id": id}))
        .unwrap();
    assert_eq!(task["status"], "success");
    assert_eq!(task["task_id"], id);

    let e = cc
        .call("v2.get_lip_sync_video", &json!({"task_id": "nope"}))
        .unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_NOT_FOUND");
    assert_eq!(e["api_code"], 10104);
    let e = cc
        .call(
            "v2.create_lip_sync_video",
            &json!({"video_url": "https://e.com/v.mp4", "audio_url": "a.mp3"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "audio_url");
    let e = cc
        .call(
            "v2.create_lip_sync_video",
            &json!({"video_url": "https://e.com/v.mp4", "audio_url": "https://e.com/a.mp3", "playback_type": "loop"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "playback_type");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("normal_reverse_by_audio")
    );
    let e = cc.call("v2.get_lip_sync", &json!({})).unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_UNKNOWN_OPERATION");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("v2.get_lip_sync_video")
    );
    assert_eq!(
        server.created("lip_sync"),
        1,
        "invalid requests were not sent"
    );
}

#[test]
fn music_pages() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let p1 = cc
        .call("v2.list_musics", &json!({"page_size": 10}))
        .unwrap();
    let p3 = cc
        .call("v2.list_musics", &json!({"page": 3, "page_size": 10}))
        .unwrap();
    assert_eq!(p1["music"].as_array().unwrap().len(), 10);
    assert_eq!(p1["pagination"]["total_items"], 23);
    assert_eq!(p1["pagination"]["total_pages"], 3);
    assert_eq!(p3["music"].as_array().unwrap().len(), 3);
    let e = cc
        .call("v2.list_musics", &json!({"page_size": 0}))
        .unwrap_err();
    assert_eq!(e["field"], "page_size");
    // The invalid request was not sent: the last one is page 3.
    let sent = server.requests().pop().unwrap();
    assert!(sent.query.contains(&("page".into(), "3".into())));
}

#[test]
fn table_operations_need_the_key_and_count_posts() {
    let server = jogg_mock::MockServer::start(jogg_mock::MockConfig {
        render_ms: 0,
        post_limit: 1,
        ..Default::default()
    })
    .unwrap();
    // Without the client's own limiter and retries, the mock's 429 shows.
    let mut config = common::config_no_retry(&server.base_url(), jogg_mock::MOCK_API_KEY);
    config.post_limit = 0;
    let c = jogg::Client::new(config).unwrap();
    c.v2().lip_sync().create(&lip_sync_request()).unwrap();
    let e = c.v2().lip_sync().create(&lip_sync_request()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    let bad = jogg::Client::new(common::config_for(&server.base_url(), "wrong")).unwrap();
    assert_eq!(
        bad.v2().account().current_user().unwrap_err().kind(),
        ErrorKind::Auth
    );
}

#[test]
fn paged_lists_walk_to_the_end() {
    let server = mock(0);
    let c = client(&server);
    let op = "v1.list_voices";
    let filter = json!({"language": "english", "gender": "female", "page_size": 4});
    let voices: Vec<jogg::Voice> = c
        .paginate(op, &filter)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let total = c
        .v1()
        .voices()
        .list(&jogg::VoiceFilter {
            language: Some("english".into()),
            gender: Some("female".into()),
            ..Default::default()
        })
        .unwrap()
        .total
        .unwrap();
    assert_eq!(voices.len() as i64, total);
    let ids: std::collections::HashSet<_> = voices.iter().map(|v| v.voice_id.clone()).collect();
    assert_eq!(ids.len(), voices.len(), "no item twice");
    // 14 items at 4 a page: 4 requests, the last one short.
    let pages = server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/voices")
        .count();
    assert_eq!(pages, 4 + 1);

    let cc = CClient::new(&server);
    let all = cc
        .call(
            "v2.list_musics",
            &json!({"all_pages": true, "page_size": 10}),
        )
        .unwrap();
    assert_eq!(all["music"].as_array().unwrap().len(), 23);
    assert_eq!(all["pages"], 3);
    let e = cc
        .call("v2.get_current_user", &json!({"all_pages": true}))
        .unwrap_err();
    assert_eq!(e["field"], "all_pages");
    let e = cc
        .call("v2.list_musics", &json!({"all_pages": "yes"}))
        .unwrap_err();
    assert_eq!(e["field"], "all_pages");
}
