//! v2 avatar and template videos, templates, translation, products and product renders:
//! typed methods and `jogg_call` against the mock's simulation.

mod common;

use std::collections::HashSet;

use common::{CClient, client, config_for, mock_with};
use jogg::api::v2::products::{
    CreateProduct, CreateProductPreviews, CreateProductVideo, ProductVideoAudio,
    ProductVideoAvatar, ProductVideoVoice, ScriptSpec, ScriptStyle, UpdateProduct, VideoLength,
    VideoSpec,
};
use jogg::api::v2::translation::CreateVideoTranslation;
use jogg::api::v2::videos::{
    CreateAvatarVideo, CreateTemplateVideo, ListStatus, SortOrder, TemplateVariable, VariableKind,
    VariableProperties, VideoListQuery, VoiceInput,
};
use jogg::types::Orientation;
use jogg::{AvatarType, Client, ErrorKind, ScreenStyle, TaskStatus};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use serde_json::{Value, json};

/// Long enough that nothing finishes during a test.
const FOREVER_MS: u64 = 3_600_000;

/// A mock with a second key `k2` and no practical POST limit.
fn server(render_ms: u64) -> MockServer {
    mock_with(MockConfig {
        api_keys: vec![MOCK_API_KEY.into(), "k2".into()],
        render_ms,
        post_limit: 10_000,
        ..MockConfig::default()
    })
}

fn other_key(server: &MockServer) -> Client {
    Client::new(config_for(&server.base_url(), "k2")).unwrap()
}

fn last_body(server: &MockServer) -> Value {
    serde_json::from_slice(&server.requests().pop().unwrap().body).unwrap()
}

/// Fetches a URL the mock handed out: `(status, body bytes)`.
fn download(url: &str) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_vec().unwrap())
}

fn avatar_request(script: &str) -> CreateAvatarVideo {
    CreateAvatarVideo {
        caption: Some(true),
        video_name: Some("Welcome".into()),
        ..CreateAvatarVideo::from_script(
            81,
            "en-US-ChristopherNeural",
            script,
            Orientation::Portrait,
        )
    }
}

// ---------------------------------------------------------------------------
// Avatar videos

#[test]
fn avatar_video_starts_pending() {
    let server = server(FOREVER_MS);
    let c = client(&server);
    let created = c
        .v2()
        .videos()
        .create_from_avatar(&avatar_request("Hello and welcome"))
        .unwrap();
    assert_eq!(created.video_id.len(), 32);
    assert_eq!(
        last_body(&server),
        json!({"avatar": {"avatar_id": 81, "avatar_type": 0},
               "voice": {"type": "script", "voice_id": "en-US-ChristopherNeural", "script": "Hello and welcome"},
               "aspect_ratio": "portrait", "screen_style": 1, "caption": true, "video_name": "Welcome"})
    );
    let v = c.v2().videos().get_avatar_video(&created.video_id).unwrap();
    assert_eq!(v.status, "pending");
    assert_eq!(v.task_status(), TaskStatus::Pending);
    assert_eq!(v.video_id.as_deref(), Some(created.video_id.as_str()));
    assert!(v.video_url.is_none() && v.cover_url.is_none() && v.duration.is_none());
    assert!(v.created_at.unwrap() > 1_600_000_000);
    assert_eq!(server.created("avatar_video"), 1);
}

#[test]
fn avatar_video_completes_or_fails() {
    let server = server(0);
    let c = client(&server);
    let script =
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
    let id = c
        .v2()
        .videos()
        .create_from_avatar(&avatar_request(script))
        .unwrap()
        .video_id;
    let done = c.v2().videos().get_avatar_video(&id).unwrap();
    assert_eq!(done.status, "completed");
    assert_eq!(done.duration, Some(6.0), "15 words at 2.5 words a second");
    let (status, bytes) = download(done.video_url.as_deref().unwrap());
    assert_eq!(status, 200);
    assert_eq!(&bytes[4..8], b"ftyp");
    let (status, bytes) = download(done.cover_url.as_deref().unwrap());
    assert_eq!((status, &bytes[..2]), (200, &[0xFF, 0xD8][..]));

    // An audio-driven render that fails.
    let mut failing = avatar_request("");
    failing.avatar.avatar_type = AvatarType::Custom;
    failing.screen_style = ScreenStyle::GreenScreen;
    failing.voice = VoiceInput::Audio {
        voice_id: "en-US-ChristopherNeural".into(),
        audio_url: "https://cdn.example.com/FAIL_RENDER.mp3".into(),
    };
    let id = c
        .v2()
        .videos()
        .create_from_avatar(&failing)
        .unwrap()
        .video_id;
    let body = last_body(&server);
    assert_eq!(
        body["voice"],
        json!({"type": "audio", "voice_id": "en-US-ChristopherNeural", "audio_url": "https://cdn.example.com/FAIL_RENDER.mp3"})
    );
    let failed = c.v2().videos().get_avatar_video(&id).unwrap();
    assert_eq!(failed.task_status(), TaskStatus::Failed);
    assert!(failed.video_url.is_none());
    let (status, _) = download(&format!("{}/files/tasks/{id}.mp4", server.base_url()));
    assert_eq!(status, 404, "a failed render has no video");

    let e = other_key(&server)
        .v2()
        .videos()
        .get_avatar_video(&id)
        .unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
}

#[test]
fn avatar_video_through_jogg_call_and_validation() {
    let server = server(0);
    let cc = CClient::new(&server);
    let request = json!({
        "avatar": {"avatar_id": 81, "avatar_type": 0},
        "voice": {"type": "script", "voice_id": "en-US-ChristopherNeural", "script": "Hi there"},
        "aspect_ratio": "landscape", "screen_style": 1
    });
    let created = cc.call("v2.create_video_from_avatar", &request).unwrap();
    let id = created["video_id"].as_str().unwrap();
    let v = cc.call("v2.get_avatar_video", &json!({"id": id})).unwrap();
    assert_eq!(v["status"], "completed");
    assert_eq!(v["video_id"], id);
    assert!(v["video_url"].as_str().unwrap().ends_with(".mp4"));

    let sent = server.requests().len();
    let with = |path: &[&str], value: Value| {
        let mut r = request.clone();
        let mut at = &mut r;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = value;
        r
    };
    for (bad, field) in [
        // Wrong enum: v2 takes words (D21).
        (with(&["aspect_ratio"], json!(0)), "aspect_ratio"),
        (with(&["screen_style"], json!(0)), "screen_style"),
        // Missing required member: voice_id even for audio (D36).
        (
            with(
                &["voice"],
                json!({"type": "audio", "audio_url": "https://x.example/a.mp3"}),
            ),
            "voice.voice_id",
        ),
        // Unknown member.
        (with(&["avatar", "id"], json!(81)), "avatar.id"),
    ] {
        let e = cc.call("v2.create_video_from_avatar", &bad).unwrap_err();
        assert_eq!(e["field"], field, "{e}");
        assert_eq!(e["name"], "JOGG_ERR_VALIDATION");
    }
    assert_eq!(server.requests().len(), sent, "nothing invalid was sent");
    assert_eq!(server.created("avatar_video"), 1);
    let e = cc
        .call("v2.get_avatar_video", &json!({"id": "nope"}))
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
}

// ---------------------------------------------------------------------------
// Templates

#[test]
fn templates_library_custom_and_detail() {
    let server = server(0);
    let c = client(&server);
    let all = c.v2().templates().list(None).unwrap().templates;
    assert!(all.len() >= 5);
    assert!(
        all.iter()
            .any(|t| t.id == "149" && t.name.as_deref() == Some("Product Showcase"))
    );
    let landscape = c
        .v2()
        .templates()
        .list(Some(Orientation::Landscape))
        .unwrap()
        .templates;
    assert!(!landscape.is_empty() && landscape.len() < all.len());
    assert!(landscape.iter().all(|t| t.aspect_ratio == Some(1)));
    let q = server.requests().pop().unwrap();
    assert_eq!(
        q.query,
        vec![("aspect_ratio".to_string(), "landscape".to_string())]
    );

    let mine = c.v2().templates().list_custom(None).unwrap().templates;
    assert!(!mine.is_empty());
    let ids: HashSet<_> = all.iter().map(|t| &t.id).collect();
    assert!(
        mine.iter().all(|t| !ids.contains(&t.id)),
        "library and custom differ"
    );
    let square = c
        .v2()
        .templates()
        .list_custom(Some(Orientation::Square))
        .unwrap()
        .templates;
    assert!(square.iter().all(|t| t.aspect_ratio == Some(2)) && !square.is_empty());

    let detail = c.v2().templates().get_custom(&mine[0].id).unwrap();
    assert_eq!(
        detail.template.id, mine[0].id,
        "template_id read as the id (D19)"
    );
    assert_eq!(detail.template.name, mine[0].name);
    assert!(!detail.variables.is_empty());
    assert!(
        detail
            .variables
            .iter()
            .all(|v| v.kind.is_some() && v.required.is_some())
    );
    let e = c.v2().templates().get_custom("149").unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::NotFound,
        "a library template is not one of mine"
    );
}

#[test]
fn templates_through_jogg_call() {
    let server = server(0);
    let cc = CClient::new(&server);
    let lib = cc
        .call("v2.list_templates", &json!({"aspect_ratio": "portrait"}))
        .unwrap();
    let lib = lib["templates"].as_array().unwrap();
    assert!(!lib.is_empty() && lib.iter().all(|t| t["aspect_ratio"] == 0));
    let mine = cc.call("v2.list_custom_templates", &json!({})).unwrap();
    let first = mine["templates"][0]["id"].as_i64().unwrap();
    let detail = cc
        .call("v2.get_custom_template", &json!({"id": first}))
        .unwrap();
    assert_eq!(detail["template_id"], first);
    assert!(detail["variables"][0]["name"].is_string());

    let sent = server.requests().len();
    let e = cc
        .call("v2.list_templates", &json!({"aspect_ratio": "vertical"}))
        .unwrap_err();
    assert_eq!(e["field"], "aspect_ratio");
    let e = cc.call("v2.get_custom_template", &json!({})).unwrap_err();
    assert_eq!(e["field"], "id");
    let e = cc
        .call("v2.list_custom_templates", &json!({"ratio": "square"}))
        .unwrap_err();
    assert_eq!(e["field"], "ratio");
    assert_eq!(server.requests().len(), sent);
}

// ---------------------------------------------------------------------------
// Template videos

fn template_request(name: &str) -> CreateTemplateVideo {
    CreateTemplateVideo {
        template_id: 149,
        voice_language: "english".into(),
        variables: vec![
            TemplateVariable::text("title", name),
            TemplateVariable::script("script", "Meet the new blush. <break time=\"1s\" /> Soft."),
            TemplateVariable::image("product_image", "https://cdn.example.com/blush.png"),
        ],
        video_name: Some(name.into()),
        voice_id: Some("en-US-ChristopherNeural".into()),
        captions_enabled: Some(true),
        ..Default::default()
    }
}

#[test]
fn template_video_progress_and_result() {
    let slow = server(FOREVER_MS);
    let c = client(&slow);
    let id = c
        .v2()
        .videos()
        .create_with_template(&template_request("Spring"))
        .unwrap()
        .video_id;
    let body = last_body(&slow);
    assert_eq!(
        body["variables"][2],
        json!({"type": "image", "name": "product_image", "properties": {"url": "https://cdn.example.com/blush.png"}})
    );
    assert_eq!(body["captions_enabled"], true);
    let v = c.v2().videos().get_template_video(&id).unwrap();
    assert_eq!(
        (v.status.as_str(), v.completed_at, &v.result),
        ("pending", None, &None)
    );

    let fast = server(0);
    let c = client(&fast);
    let id = c
        .v2()
        .videos()
        .create_with_template(&template_request("Spring"))
        .unwrap()
        .video_id;
    let v = c.v2().videos().get_template_video(&id).unwrap();
    assert_eq!(v.task_status(), TaskStatus::Succeeded);
    assert_eq!(v.video_id.as_deref(), Some(id.as_str()));
    assert!(v.completed_at.unwrap() >= v.created_at.unwrap());
    let r = v.result.unwrap();
    assert_eq!(r.video_name.as_deref(), Some("Spring"));
    assert_eq!(r.duration_seconds, Some(30.5));
    assert_eq!(r.deducted_credit, Some(1.0));
    assert_eq!(download(r.url.as_deref().unwrap()).0, 200);
    assert_eq!(download(r.cover_url.as_deref().unwrap()).0, 200);

    let mut failing = template_request("Spring");
    failing.variables[1] = TemplateVariable::script("script", "FAIL_RENDER");
    let id = c
        .v2()
        .videos()
        .create_with_template(&failing)
        .unwrap()
        .video_id;
    let v = c.v2().videos().get_template_video(&id).unwrap();
    assert_eq!(v.status, "failed");
    assert!(v.result.is_none() && v.completed_at.is_some());
    assert_eq!(
        other_key(&fast)
            .v2()
            .videos()
            .get_template_video(&id)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn template_video_checks_the_template_and_its_variables() {
    let server = server(0);
    let c = client(&server);
    let mut unknown = template_request("x");
    unknown.template_id = 99_999;
    let e = c.v2().videos().create_with_template(&unknown).unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
    // A text variable without its content passes the schema; the API refuses it (D39).
    let mut empty = template_request("x");
    empty.variables[0] = TemplateVariable {
        kind: VariableKind::Text,
        name: "title".into(),
        properties: VariableProperties::default(),
    };
    let e = c.v2().videos().create_with_template(&empty).unwrap_err();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::InvalidRequest, Some(40000))
    );
    assert!(
        e.message().contains("variables[0].properties.content"),
        "{}",
        e.message()
    );
    let mut no_media = template_request("x");
    no_media.variables[2].properties = VariableProperties::default();
    let e = c.v2().videos().create_with_template(&no_media).unwrap_err();
    assert!(
        e.message().contains("variables[2].properties.url"),
        "{}",
        e.message()
    );
    // The URL of an image may come as `content`.
    let mut as_content = template_request("x");
    as_content.variables[2].properties = VariableProperties {
        content: Some("https://cdn.example.com/blush.png".into()),
        ..Default::default()
    };
    c.v2().videos().create_with_template(&as_content).unwrap();
    assert_eq!(server.created("template_video"), 1);
}

#[test]
fn template_video_through_jogg_call() {
    let server = server(0);
    let cc = CClient::new(&server);
    // `webhook_url` where the spec puts it, inside `properties` (D38), and a string asset id.
    let created = cc
        .call(
            "v2.create_video_with_template",
            &json!({
                "template_id": 2001, "voice_language": "english",
                "variables": [
                    {"type": "text", "name": "title", "properties": {"content": "Sale", "webhook_url": "https://hooks.example.com/t"}},
                    {"type": "image", "name": "product_image", "properties": {"asset_id": "img_abc123"}}
                ]
            }),
        )
        .unwrap();
    let id = created["video_id"].as_str().unwrap();
    let v = cc
        .call("v2.get_template_video", &json!({"video_id": id}))
        .unwrap();
    assert_eq!(v["status"], "completed");
    assert_eq!(
        v["data"]["video_name"], "Spring Sale Announcement",
        "named after its template"
    );
    assert!(v["data"]["url"].as_str().unwrap().contains(id));
    let list = cc.call("v2.list_template_videos", &json!({})).unwrap();
    assert_eq!(list["data"][0]["video_id"], id);
    assert_eq!(list["pagination"]["total_items"], 1);

    let sent = server.requests().len();
    let e = cc
        .call(
            "v2.create_video_with_template",
            &json!({"template_id": 149, "voice_language": "english",
                    "variables": [{"type": "audio", "name": "a", "properties": {}}]}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "variables[0].type");
    let e = cc
        .call(
            "v2.create_video_with_template",
            &json!({"template_id": 149, "variables": []}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "voice_language");
    let e = cc
        .call(
            "v2.create_video_with_template",
            &json!({"template_id": 149, "voice_language": "english", "variables": [], "lang": "english"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "lang", "the v1 name is not a v2 member (D38)");
    let e = cc
        .call("v2.list_template_videos", &json!({"status": 2}))
        .unwrap_err();
    assert_eq!(e["field"], "status");
    assert_eq!(server.requests().len(), sent);
}

#[test]
fn template_video_history_pages_filters_and_sorts() {
    let server = server(0);
    let c = client(&server);
    for i in 0..12 {
        let mut r = template_request(&format!("video {i:02}"));
        if i % 4 == 3 {
            r.variables[0] = TemplateVariable::text("title", "FAIL_RENDER");
        }
        c.v2().videos().create_with_template(&r).unwrap();
    }
    let page = |p: u32| {
        c.v2()
            .videos()
            .list_template_videos(&VideoListQuery {
                page: Some(p),
                page_size: Some(5),
                ..Default::default()
            })
            .unwrap()
    };
    let (p1, p2, p3) = (page(1), page(2), page(3));
    assert_eq!((p1.data.len(), p2.data.len(), p3.data.len()), (5, 5, 2));
    assert_eq!(p1.pagination.total_items, Some(12));
    assert_eq!(p1.pagination.total_pages, Some(3));
    assert_eq!(p2.pagination.page, Some(2));
    let ids: HashSet<_> = p1
        .data
        .iter()
        .chain(&p2.data)
        .chain(&p3.data)
        .map(|v| v.video_id.clone())
        .collect();
    assert_eq!(ids.len(), 12, "pages are disjoint");
    // Newest first by default.
    assert_eq!(p1.data[0].video_name.as_deref(), Some("video 11"));
    assert_eq!(p3.data[1].video_name.as_deref(), Some("video 00"));
    let done = &p1.data[1];
    assert_eq!(done.status, "completed");
    assert!(done.url.is_some() && done.duration_seconds == Some(30.5));

    let failed = c
        .v2()
        .videos()
        .list_template_videos(&VideoListQuery {
            status: Some(ListStatus::Failed),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.data.len(), 3);
    assert_eq!(failed.pagination.total_items, Some(3));
    for v in &failed.data {
        assert_eq!(v.task_status(), TaskStatus::Failed);
        let error = v.error.as_ref().unwrap();
        assert!(
            error.code.as_ref().unwrap().is_string(),
            "a string code (D48)"
        );
        assert!(v.url.is_none());
    }
    let succeeded = c
        .v2()
        .videos()
        .list_template_videos(&VideoListQuery {
            status: Some(ListStatus::Succeeded),
            sort_by: Some("video_name".into()),
            sort_order: Some(SortOrder::Asc),
            page_size: Some(100),
            ..Default::default()
        })
        .unwrap();
    let names: Vec<_> = succeeded
        .data
        .iter()
        .map(|v| v.video_name.clone().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names.len(), 9);
    assert_eq!(names, sorted);
    let q = &server.requests().pop().unwrap().query;
    for pair in [
        ("status", "4"),
        ("sort_by", "video_name"),
        ("sort_order", "asc"),
        ("page_size", "100"),
    ] {
        assert!(q.contains(&(pair.0.into(), pair.1.into())), "{q:?}");
    }
    let processing = c
        .v2()
        .videos()
        .list_template_videos(&VideoListQuery {
            status: Some(ListStatus::Processing),
            ..Default::default()
        })
        .unwrap();
    assert!(processing.data.is_empty());
    assert!(
        other_key(&server)
            .v2()
            .videos()
            .list_template_videos(&VideoListQuery::default())
            .unwrap()
            .data
            .is_empty()
    );
}

// ---------------------------------------------------------------------------
// Translation

#[test]
fn translation_languages_and_lifecycle() {
    let server = server(0);
    let c = client(&server);
    let languages = c.v2().translations().list_languages().unwrap();
    assert!(languages.contains(&"spanish".to_string()));
    assert!(
        languages
            .iter()
            .all(|l| l.chars().all(|ch| !ch.is_ascii_uppercase()))
    );

    let request = CreateVideoTranslation {
        title: Some("Hola".into()),
        output_voice: Some("es-ES-ElviraNeural".into()),
        callback_url: Some("https://hooks.example.com/vt".into()),
        ..CreateVideoTranslation::new("https://cdn.example.com/talk.mp4", "spanish")
    };
    let id = c
        .v2()
        .translations()
        .create(&request)
        .unwrap()
        .video_translate_id;
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        sent.path, "/v2/video_translate/",
        "sent with the spec's slash (D12)"
    );
    let t = c.v2().translations().get(&id).unwrap();
    assert_eq!(t.task_status(), TaskStatus::Succeeded);
    assert_eq!(t.title.as_deref(), Some("Hola"));
    assert_eq!(t.video_translate_id.as_deref(), Some(id.as_str()));
    let (status, bytes) = download(t.url.as_deref().unwrap());
    assert_eq!((status, &bytes[4..8]), (200, &b"ftyp"[..]));
    let (status, srt) = download(t.subtitle_url.as_deref().unwrap());
    assert_eq!(status, 200);
    assert!(String::from_utf8(srt).unwrap().contains("-->"));

    let no_subs = CreateVideoTranslation {
        add_subtitles: Some(false),
        ..CreateVideoTranslation::new("https://cdn.example.com/talk.mp4", "french")
    };
    let id2 = c
        .v2()
        .translations()
        .create(&no_subs)
        .unwrap()
        .video_translate_id;
    let t = c.v2().translations().get(&id2).unwrap();
    assert!(t.url.is_some() && t.subtitle_url.is_none());

    let failing = CreateVideoTranslation::new("https://cdn.example.com/FAIL_RENDER.mp4", "german");
    let id3 = c
        .v2()
        .translations()
        .create(&failing)
        .unwrap()
        .video_translate_id;
    let t = c.v2().translations().get(&id3).unwrap();
    assert_eq!((t.status.as_str(), t.url), ("failed", None));

    // Codes are refused: the names from the list are required (D26).
    let e = c
        .v2()
        .translations()
        .create(&CreateVideoTranslation::new(
            "https://cdn.example.com/a.mp4",
            "es",
        ))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::InvalidRequest, Some(40000))
    );
    assert!(e.message().contains("output_language"));
    assert_eq!(server.created("video_translation"), 3);
    assert_eq!(
        other_key(&server)
            .v2()
            .translations()
            .get(&id)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn translation_pending_and_through_jogg_call() {
    let server = server(FOREVER_MS);
    let cc = CClient::new(&server);
    let langs = cc
        .call("v2.list_translation_languages", &json!(null))
        .unwrap();
    assert!(
        langs["languages"]
            .as_array()
            .unwrap()
            .contains(&json!("japanese"))
    );
    let created = cc
        .call(
            "v2.create_video_translation",
            &json!({"video_url": "https://cdn.example.com/a.mp4", "output_language": "japanese"}),
        )
        .unwrap();
    let id = created["video_translate_id"].as_str().unwrap();
    let t = cc
        .call(
            "v2.get_video_translation",
            &json!({"video_translate_id": id}),
        )
        .unwrap();
    assert_eq!(t["status"], "pending");
    assert!(t.get("url").is_none() && t.get("subtitle_url").is_none());
    assert_eq!(t["title"], "Video in japanese");

    let sent = server.requests().len();
    let e = cc
        .call(
            "v2.create_video_translation",
            &json!({"video_url": "https://cdn.example.com/a.mp4"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "output_language");
    let e = cc
        .call(
            "v2.create_video_translation",
            &json!({"video_url": "a.mp4", "output_language": "spanish"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "video_url");
    let e = cc
        .call(
            "v2.create_video_translation",
            &json!({"video_url": "https://cdn.example.com/a.mp4", "output_language": "spanish", "enable_subtitles": true}),
        )
        .unwrap_err();
    assert_eq!(
        e["field"], "enable_subtitles",
        "the guide's name is not the spec's (D60)"
    );
    let e = cc
        .call(
            "v2.create_video_translation",
            &json!({"video_url": "https://cdn.example.com/a.mp4", "output_language": "spanish", "add_subtitles": "yes"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "add_subtitles");
    assert_eq!(server.requests().len(), sent);
}

// ---------------------------------------------------------------------------
// Products and product renders

fn product_video_request(product_id: &str, name: &str) -> CreateProductVideo {
    CreateProductVideo {
        product_id: product_id.into(),
        visual_style: Some("Simple Product Switch".into()),
        video_spec: VideoSpec {
            aspect_ratio: Some(Orientation::Portrait),
            caption: Some(true),
            name: Some(name.into()),
            ..VideoSpec::new(VideoLength::Seconds30)
        },
        avatar: ProductVideoAvatar {
            id: 81,
            avatar_type: Some(AvatarType::Public),
        },
        voice: ProductVideoVoice {
            id: Some("en-US-ChristopherNeural".into()),
        },
        audio: ProductVideoAudio {
            music_id: Some(501),
        },
        script: ScriptSpec {
            style: ScriptStyle::STORYTIME,
            language: "english".into(),
        },
        override_script: None,
        webhook_url: Some("https://hooks.example.com/pv".into()),
    }
}

fn previews_request(product_id: &str, styles: &[&str]) -> CreateProductPreviews {
    let r = product_video_request(product_id, "Preview");
    CreateProductPreviews {
        product_id: r.product_id,
        visual_styles: styles.iter().map(|s| s.to_string()).collect(),
        video_spec: r.video_spec,
        avatar: r.avatar,
        voice: r.voice,
        audio: r.audio,
        script: r.script,
        override_script: None,
        webhook_url: None,
    }
}

#[test]
fn v2_products_are_the_v1_products() {
    let server = server(0);
    let c = client(&server);
    let p = c
        .v2()
        .products()
        .create(&CreateProduct {
            target_audience: Some("Runners".into()),
            ..CreateProduct::from_url("https://shop.example.com/p/trail-shoe")
        })
        .unwrap();
    assert_eq!(p.name.as_deref(), Some("Trail Shoe"));
    assert_eq!(p.target_audience.as_deref(), Some("Runners"));
    c.v2()
        .products()
        .update(&UpdateProduct {
            product_id: p.product_id.clone(),
            name: Some("Trail Shoe 2".into()),
            ..Default::default()
        })
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PUT", "/v2/product")
    );
    let listed = c.v1().products().list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].product_id, p.product_id);
    assert_eq!(listed[0].name.as_deref(), Some("Trail Shoe 2"));
    let e = other_key(&server)
        .v2()
        .products()
        .update(&UpdateProduct {
            product_id: p.product_id.clone(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let cc = CClient::new(&server);
    let q = cc
        .call(
            "v2.create_product",
            &json!({"name": "Mug", "media": [{"type": 1, "url": "https://x.example/m.png"}]}),
        )
        .unwrap();
    assert_eq!(q["url"], "");
    assert_eq!(q["media"][0]["type"], 1);
    let id = q["product_id"].as_str().unwrap();
    assert!(
        cc.call(
            "v2.update_product",
            &json!({"product_id": id, "description": "Holds tea"})
        )
        .unwrap()
        .is_null()
    );
    assert_eq!(
        cc.call("v1.list_products", &json!({})).unwrap()[1]["description"],
        "Holds tea"
    );

    let sent = server.requests().len();
    let e = cc
        .call("v2.create_product", &json!({"description": "d"}))
        .unwrap_err();
    assert_eq!(e["field"], "url", "url or name (D57)");
    let e = cc
        .call(
            "v2.update_product",
            &json!({"product_id": id, "media": [{"type": "image"}]}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "media[0].type");
    assert_eq!(server.requests().len(), sent);
}

#[test]
fn product_video_lifecycle() {
    let slow = server(FOREVER_MS);
    let c = client(&slow);
    let e = c
        .v2()
        .products()
        .create_video(&product_video_request(
            "0123456789abcdef0123456789abcdef",
            "x",
        ))
        .unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
    let p = c
        .v2()
        .products()
        .create(&CreateProduct::manual("Lamp", "Warm light"))
        .unwrap();
    let created = c
        .v2()
        .products()
        .create_video(&product_video_request(&p.product_id, "Lamp ad"))
        .unwrap();
    assert_eq!(created.status.as_deref(), Some("processing"));
    let body = last_body(&slow);
    assert_eq!(
        body["video_spec"],
        json!({"aspect_ratio": "portrait", "length": "30", "caption": true, "name": "Lamp ad"})
    );
    assert_eq!(
        body["script"],
        json!({"style": "Storytime", "language": "english"})
    );
    let v = c.v2().products().get_video(&created.video_id).unwrap();
    assert_eq!(
        v.status, "processing",
        "the spec's product vocabulary has no pending"
    );
    assert_eq!(v.title.as_deref(), Some("Lamp ad"));
    assert!(v.video_url.is_none());
    assert_eq!(v.deducted_credit, Some(1.0), "charged on acceptance");
    assert_eq!(
        other_key(&slow)
            .v2()
            .products()
            .get_video(&created.video_id)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    let fast = server(0);
    let c = client(&fast);
    let p = c
        .v2()
        .products()
        .create(&CreateProduct::manual("Lamp", "Warm light"))
        .unwrap();
    let id = c
        .v2()
        .products()
        .create_video(&product_video_request(&p.product_id, "Lamp ad"))
        .unwrap()
        .video_id;
    let v = c.v2().products().get_video(&id).unwrap();
    assert_eq!(v.task_status(), TaskStatus::Succeeded);
    assert_eq!(download(v.video_url.as_deref().unwrap()).0, 200);
    assert_eq!(download(v.cover_url.as_deref().unwrap()).0, 200);
    let mut failing = product_video_request(&p.product_id, "Lamp ad");
    failing.override_script = Some("FAIL_RENDER".into());
    let id = c.v2().products().create_video(&failing).unwrap().video_id;
    let v = c.v2().products().get_video(&id).unwrap();
    assert_eq!(v.task_status(), TaskStatus::Failed);
    assert!(v.error.unwrap().message.is_some());
    assert!(v.video_url.is_none());
}

#[test]
fn product_previews_then_render() {
    let slow = server(FOREVER_MS);
    let c = client(&slow);
    let p = c
        .v2()
        .products()
        .create(&CreateProduct::manual("Lamp", "Warm light"))
        .unwrap();
    let batch = c
        .v2()
        .products()
        .create_previews(&previews_request(
            &p.product_id,
            &[
                "Simple Product Switch",
                "Dynamic Showcase",
                "Simple Product Switch",
            ],
        ))
        .unwrap();
    let body = last_body(&slow);
    assert_eq!(body["language"], "english", "sent in both places (D37)");
    assert_eq!(body["script"]["language"], "english");
    let accepted: Vec<_> = batch
        .previews
        .iter()
        .filter_map(|p| p.preview_id.clone())
        .collect();
    assert_eq!(accepted.len(), 2);
    assert!(
        batch.previews[2].err_msg.is_some() && batch.previews[2].preview_id.is_none(),
        "a repeated style is refused"
    );
    assert_eq!(
        batch.previews[1].visual_style.as_deref(),
        Some("Dynamic Showcase")
    );
    let list = c
        .v2()
        .products()
        .list_previews(&VideoListQuery::default())
        .unwrap();
    assert_eq!(list.total, Some(2));
    let listed: HashSet<_> = list.previews.iter().filter_map(|v| v.id.clone()).collect();
    assert_eq!(
        listed,
        accepted.iter().cloned().collect(),
        "preview ids are the list ids (D63)"
    );
    assert!(
        list.previews
            .iter()
            .all(|v| v.status == "processing" && v.video_url.is_none())
    );
    let e = c.v2().products().render_preview(&accepted[0]).unwrap_err();
    assert_eq!(
        (e.kind(), e.api_code()),
        (ErrorKind::InvalidRequest, Some(40000)),
        "not ready yet"
    );
    assert_eq!(
        c.v2().products().render_preview("nope").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(slow.created("product_video"), 0);

    let fast = server(0);
    let c = client(&fast);
    let p = c
        .v2()
        .products()
        .create(&CreateProduct::manual("Lamp", "Warm light"))
        .unwrap();
    let batch = c
        .v2()
        .products()
        .create_previews(&previews_request(&p.product_id, &["Simple Product Switch"]))
        .unwrap();
    let preview_id = batch.previews[0].preview_id.clone().unwrap();
    let done = c
        .v2()
        .products()
        .list_previews(&VideoListQuery {
            status: Some(ListStatus::Succeeded),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(done.previews[0].id.as_deref(), Some(preview_id.as_str()));
    assert_eq!(done.previews[0].video_duration, Some(30.0));
    assert_eq!(
        download(done.previews[0].video_url.as_deref().unwrap()).0,
        200
    );
    let rendered = c.v2().products().render_preview(&preview_id).unwrap();
    assert_eq!(last_body(&fast), json!({"preview_id": preview_id}));
    let v = c.v2().products().get_video(&rendered.video_id).unwrap();
    assert_eq!(v.status, "completed");
    assert_eq!(v.title.as_deref(), Some("Preview (Simple Product Switch)"));
    let videos = c
        .v2()
        .products()
        .list_videos(&VideoListQuery::default())
        .unwrap();
    assert_eq!(
        videos.videos[0].id.as_deref(),
        Some(rendered.video_id.as_str())
    );
    assert!(
        other_key(&fast)
            .v2()
            .products()
            .render_preview(&preview_id)
            .is_err()
    );

    // A failed preview cannot be rendered.
    let mut failing = previews_request(&p.product_id, &["Dynamic Showcase"]);
    failing.override_script = Some("FAIL_RENDER".into());
    let bad = c
        .v2()
        .products()
        .create_previews(&failing)
        .unwrap()
        .previews[0]
        .preview_id
        .clone()
        .unwrap();
    let failed = c
        .v2()
        .products()
        .list_previews(&VideoListQuery {
            status: Some(ListStatus::Failed),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.previews.len(), 1);
    assert_eq!(failed.previews[0].id.as_deref(), Some(bad.as_str()));
    assert_eq!(
        c.v2()
            .products()
            .render_preview(&bad)
            .unwrap_err()
            .api_code(),
        Some(40000)
    );
}

#[test]
fn product_renders_through_jogg_call() {
    let server = server(0);
    let cc = CClient::new(&server);
    let p = cc
        .call(
            "v2.create_product",
            &json!({"url": "https://shop.example.com/p/lamp"}),
        )
        .unwrap();
    let pid = p["product_id"].as_str().unwrap();
    let base = json!({
        "product_id": pid,
        "video_spec": {"length": "15"},
        "avatar": {"id": 81},
        "voice": {},
        "audio": {},
        "script": {"style": "Data", "language": "english"}
    });
    let created = cc.call("v2.create_video_from_product", &base).unwrap();
    let vid = created["video_id"].as_str().unwrap();
    let v = cc
        .call("v2.get_product_video", &json!({"product_video_id": vid}))
        .unwrap();
    assert_eq!(v["status"], "completed");
    assert_eq!(v["title"], "Lamp video");
    let list = cc
        .call("v2.list_product_videos", &json!({"page_size": 1}))
        .unwrap();
    assert_eq!(
        (list["total"].clone(), list["page_size"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(list["videos"][0]["id"], vid);
    assert_eq!(list["videos"][0]["video_duration"], 15.0);

    // Previews: `language` only at the top level is accepted too (D37).
    let mut previews = base.clone();
    previews["visual_styles"] = json!(["Simple Product Switch"]);
    previews["script"] = json!({"style": "Data"});
    previews["language"] = json!("english");
    let batch = cc.call("v2.create_product_previews", &previews).unwrap();
    let preview_id = batch["previews"][0]["preview_id"].as_str().unwrap();
    let list = cc
        .call("v2.list_product_previews", &json!({"status": 4}))
        .unwrap();
    assert_eq!(list["previews"][0]["id"], preview_id);
    let rendered = cc
        .call(
            "v2.render_product_preview",
            &json!({"preview_id": preview_id}),
        )
        .unwrap();
    assert_eq!(rendered["status"], "processing");
    // Without any language (at the top or in the script) nothing is sent.
    previews.as_object_mut().unwrap().remove("language");
    let before = server.requests().len();
    let e = cc
        .call("v2.create_product_previews", &previews)
        .unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_VALIDATION", "{e}");
    assert_eq!(e["field"], "language", "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("script.language"),
        "{e}"
    );
    assert_eq!(server.requests().len(), before);
    let mut none = previews.clone();
    none["visual_styles"] = json!([]);
    none["language"] = json!("english");
    let e = cc.call("v2.create_product_previews", &none).unwrap_err();
    assert!(
        e["message"].as_str().unwrap().contains("visual_styles"),
        "{e}"
    );

    let sent = server.requests().len();
    let mut bad = base.clone();
    bad["video_spec"]["length"] = json!(30);
    assert_eq!(
        cc.call("v2.create_video_from_product", &bad).unwrap_err()["field"],
        "video_spec.length"
    );
    let mut bad = base.clone();
    bad["video_spec"]["aspect_ratio"] = json!(1);
    assert_eq!(
        cc.call("v2.create_video_from_product", &bad).unwrap_err()["field"],
        "video_spec.aspect_ratio"
    );
    let mut bad = base.clone();
    bad.as_object_mut().unwrap().remove("audio");
    assert_eq!(
        cc.call("v2.create_video_from_product", &bad).unwrap_err()["field"],
        "audio"
    );
    let mut bad = base.clone();
    bad["avatar_id"] = json!(81);
    assert_eq!(
        cc.call("v2.create_video_from_product", &bad).unwrap_err()["field"],
        "avatar_id",
        "the guide's flat shape (D60)"
    );
    assert_eq!(
        cc.call("v2.render_product_preview", &json!({}))
            .unwrap_err()["field"],
        "preview_id"
    );
    assert_eq!(
        cc.call("v2.list_product_previews", &json!({"sort_order": "up"}))
            .unwrap_err()["field"],
        "sort_order"
    );
    assert_eq!(
        cc.call("v2.list_product_videos", &json!({"page": 0}))
            .unwrap_err()["field"],
        "page"
    );
    assert_eq!(server.requests().len(), sent);
}

#[test]
fn product_video_history_pages() {
    let server = server(0);
    let c = client(&server);
    let p = c
        .v2()
        .products()
        .create(&CreateProduct::manual("Lamp", "Warm light"))
        .unwrap();
    for i in 0..13 {
        let mut r = product_video_request(&p.product_id, &format!("ad {i:02}"));
        if i % 5 == 0 {
            r.override_script = Some("FAIL_RENDER".into());
        }
        c.v2().products().create_video(&r).unwrap();
    }
    let page = |n: u32, order: Option<SortOrder>| {
        c.v2()
            .products()
            .list_videos(&VideoListQuery {
                page: Some(n),
                page_size: Some(5),
                sort_order: order,
                ..Default::default()
            })
            .unwrap()
    };
    let pages: Vec<_> = (1..=3).map(|n| page(n, None)).collect();
    assert_eq!(
        pages.iter().map(|p| p.videos.len()).collect::<Vec<_>>(),
        [5, 5, 3]
    );
    assert!(
        pages
            .iter()
            .all(|p| p.total == Some(13) && p.page_size == Some(5))
    );
    assert_eq!(pages[2].page, Some(3));
    let ids: HashSet<_> = pages
        .iter()
        .flat_map(|p| &p.videos)
        .filter_map(|v| v.id.clone())
        .collect();
    assert_eq!(ids.len(), 13);
    assert_eq!(pages[0].videos[0].title.as_deref(), Some("ad 12"));
    assert_eq!(
        page(1, Some(SortOrder::Asc)).videos[0].title.as_deref(),
        Some("ad 00")
    );
    let failed = c
        .v2()
        .products()
        .list_videos(&VideoListQuery {
            status: Some(ListStatus::Failed),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.total, Some(3));
    assert!(
        failed
            .videos
            .iter()
            .all(|v| v.status == "failed" && v.video_url.is_none())
    );
    assert_eq!(
        other_key(&server)
            .v2()
            .products()
            .list_videos(&VideoListQuery::default())
            .unwrap()
            .total,
        Some(0)
    );
}
