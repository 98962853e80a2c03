//! Every v1 operation of the slice, typed, against the in-process mock.

mod common;

use std::collections::HashSet;

use common::{client, mock};
use jogg::{
    AspectRatio, AvatarFilter, AvatarType, CreateTalkingAvatarVideo, ErrorKind, ScreenStyle,
    Speech, TaskStatus, VoiceFilter,
};

#[test]
fn list_avatars_honours_every_filter() {
    let server = mock(0);
    let c = client(&server);
    let all = c
        .v1()
        .avatars()
        .list(&AvatarFilter::default())
        .unwrap()
        .avatars;
    assert!(all.len() >= 40, "catalogue has {} avatars", all.len());
    let filter = AvatarFilter {
        aspect_ratio: Some(AspectRatio::Landscape),
        gender: Some("female".into()),
        style: Some("professional".into()),
        ..Default::default()
    };
    let some = c.v1().avatars().list(&filter).unwrap().avatars;
    assert!(!some.is_empty() && some.len() < all.len());
    for a in &some {
        assert_eq!(a.aspect_ratio, Some(1));
        assert_eq!(a.gender.as_deref(), Some("female"));
        assert_eq!(a.style.as_deref(), Some("professional"));
        assert!(a.cover_url.is_some());
    }
    // Filters the items do not carry still narrow the list, and reach the server as sent.
    let studio = c
        .v1()
        .avatars()
        .list(&AvatarFilter {
            scene: Some("studio".into()),
            ethnicity: Some("east_asian".into()),
            ..Default::default()
        })
        .unwrap()
        .avatars;
    assert!(studio.len() < all.len());
    let last = server.requests().pop().unwrap();
    assert_eq!(last.path, "/v1/avatars");
    assert!(last.query.contains(&("scene".into(), "studio".into())));
    assert!(
        last.query
            .contains(&("ethnicity".into(), "east_asian".into()))
    );
}

#[test]
fn list_voices_pages_and_filters() {
    let server = mock(0);
    let c = client(&server);
    let filter = |page| VoiceFilter {
        language: Some("english".into()),
        gender: Some("female".into()),
        page: Some(page),
        page_size: Some(5),
        ..Default::default()
    };
    let p1 = c.v1().voices().list(&filter(1)).unwrap();
    let p2 = c.v1().voices().list(&filter(2)).unwrap();
    let total = p1.total.unwrap();
    assert!(total > 5, "need a second page, total {total}");
    assert_eq!(p1.voices.len(), 5);
    assert_eq!(p2.total, Some(total));
    let ids1: HashSet<_> = p1.voices.iter().map(|v| v.voice_id.clone()).collect();
    assert!(p2.voices.iter().all(|v| !ids1.contains(&v.voice_id)));
    for v in p1.voices.iter().chain(&p2.voices) {
        assert_eq!(v.language.as_deref(), Some("english"));
        assert_eq!(v.gender.as_deref(), Some("female"));
        assert!(v.audio_url.is_some(), "audition_url decoded as audio_url");
    }
}

#[test]
fn create_then_get_project() {
    let server = mock(0);
    let c = client(&server);
    let mut req = CreateTalkingAvatarVideo::from_script(87, "en-US-JennyNeural", "Hello there");
    req.aspect_ratio = Some(AspectRatio::Portrait);
    req.caption = Some(true);
    req.video_name = Some("greeting".into());
    let created = c.v1().videos().create_from_talking_avatar(&req).unwrap();
    assert_eq!(created.project_id.len(), 32);
    assert_eq!(server.projects_created(), 1);

    let sent = server.requests().pop().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"script": "Hello there", "voice_id": "en-US-JennyNeural",
            "avatar_id": 87, "avatar_type": 0, "screen_style": 1, "aspect_ratio": 0,
            "caption": true, "video_name": "greeting"})
    );
    let key = sent.headers.iter().find(|(k, _)| k == "x-api-key").unwrap();
    assert_eq!(key.1, jogg_mock::MOCK_API_KEY);

    let p = c.v1().projects().get(&created.project_id).unwrap();
    assert_eq!(p.id, created.project_id);
    assert_eq!(p.status(), TaskStatus::Succeeded);
    assert_eq!(p.title.as_deref(), Some("greeting"));
    assert!(p.video_url.unwrap().starts_with(&server.base_url()));
}

#[test]
fn audio_request_sends_no_voice() {
    let server = mock(0);
    let c = client(&server);
    let req = CreateTalkingAvatarVideo {
        speech: Speech::Audio {
            url: "https://example.com/a.mp3".into(),
        },
        // The mock knows avatars of the library and of the caller's own making: 82 is one of
        // the library (the wire form is what this checks).
        avatar_id: 82,
        avatar_type: AvatarType::Custom,
        screen_style: ScreenStyle::GreenScreen,
        aspect_ratio: None,
        caption: None,
        video_name: None,
    };
    c.v1().videos().create_from_talking_avatar(&req).unwrap();
    let body: serde_json::Value =
        serde_json::from_slice(&server.requests().pop().unwrap().body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"audio_url": "https://example.com/a.mp3", "avatar_id": 82,
            "avatar_type": 1, "screen_style": 2})
    );
}

#[test]
fn project_of_unknown_id_is_not_found() {
    let server = mock(0);
    let e = client(&server)
        .v1()
        .projects()
        .get("0123456789abcdef")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.api_code(), Some(10104));
    assert_eq!(e.request_id().map(str::len), Some(32));
}
