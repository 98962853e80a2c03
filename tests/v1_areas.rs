//! The v1 areas beyond the talking avatar, typed and through `jogg_call`, against the
//! in-process mock: template/variable/product renders polled as projects, AI scripts,
//! music, instant and photo avatars, custom voices, visual styles and templates.
//!
//! Product-video and AI-script tests create their product with the real `v1.create_product`
//! operation (simulated by the products area).

mod common;

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::Duration;

use common::{CClient, client, config_for, mock, mock_with};
use jogg::api::v1::ai_scripts::GenerateAiScripts;
use jogg::api::v1::avatars::{AvatarStatus, CreateInstantAvatar};
use jogg::api::v1::photo_avatars::{
    AddPhotoAvatarMotion, GenerateAvatarNewLook, GenerateAvatarPhoto, MotionModel, PhotoAge,
    PhotoEthnicity, PhotoGender, PhotoLook, PhotoStyle,
};
use jogg::api::v1::videos::{
    AvatarChoice, CreateVideoFromUrl, CreateVideoWithTemplate, CreateVideoWithVariables,
    LegacyVariable, ProductTemplateType, ProductVideo, ScriptStyle, TemplateType, TemplateVariable,
    VideoLength,
};
use jogg::{AspectRatio, AvatarType, Client, ErrorKind, TaskStatus, WaitOptions};
use jogg_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

/// Long enough that nothing finishes during a test.
const FOREVER_MS: u64 = 3_600_000;

fn two_keys(render_ms: u64) -> MockServer {
    mock_with(MockConfig {
        render_ms,
        api_keys: vec!["k1".into(), "k2".into()],
        ..MockConfig::default()
    })
}

fn client_for(server: &MockServer, key: &str) -> Client {
    Client::new(config_for(&server.base_url(), key)).unwrap()
}

/// Fetches a URL the mock handed out; returns the body length.
fn download(url: &str) -> usize {
    let agent = ureq::Agent::new_with_defaults();
    let mut response = agent.get(url).call().unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.body_mut().read_to_vec().unwrap().len()
}

fn last_body(server: &MockServer) -> Value {
    serde_json::from_slice(&server.requests().pop().unwrap().body).unwrap()
}

/// A product through the products area's own operation.
fn create_product(c: &Client, name: &str, description: &str) -> String {
    let op = "v1.create_product";
    let reply = c
        .call(
            op,
            &json!({"name": name, "description": description, "target_audience": "runners",
                "media": [{"type": 1, "name": "front", "url": "https://example.com/p.png"}]}),
        )
        .unwrap();
    reply.data["product_id"].as_str().unwrap().to_owned()
}

/// `jogg_call` refused it before sending: a validation error naming `field`.
fn assert_refused(server: &MockServer, call: impl FnOnce() -> Result<Value, Value>, field: &str) {
    let before = server.requests().len();
    let e = call().unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_VALIDATION", "{e}");
    assert_eq!(e["field"], field, "{e}");
    assert_eq!(server.requests().len(), before, "nothing was sent");
}

fn quick() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(5),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(10),
        max_polls: None,
        ..WaitOptions::default()
    }
}

// ---------------------------------------------------------------------------------------
// Template and variable renders

fn template_request() -> CreateVideoWithTemplate {
    let mut r = CreateVideoWithTemplate::new(
        139,
        TemplateType::Common,
        "english",
        vec![
            TemplateVariable::text("headline", "Spring sale"),
            TemplateVariable::script("voiceover", "Everything is twenty percent off this week."),
            TemplateVariable::image_url("logo", "https://example.com/logo.png"),
        ],
    );
    r.avatar = Some(AvatarChoice {
        avatar_id: 81,
        avatar_type: AvatarType::Public,
    });
    r.music_id = Some(3);
    r
}

#[test]
fn template_video_is_a_project() {
    let server = mock(0);
    let c = client(&server);
    let created = c
        .v1()
        .videos()
        .create_with_template(&template_request())
        .unwrap();
    assert_eq!(created.project_id.len(), 32);
    assert_eq!(server.projects_created(), 1);
    let body = last_body(&server);
    assert_eq!(body["template_type"], "common");
    assert_eq!(body["avatar_id"], 81);
    assert_eq!(
        body["variables"][2],
        json!({"type": "image", "name": "logo",
        "properties": {"url": "https://example.com/logo.png"}})
    );

    let project = c
        .wait_for_project(&created.project_id, &quick(), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(project.status(), TaskStatus::Succeeded);
    // Named after the template when no video name is given.
    assert_eq!(project.title.as_deref(), Some("Tech explainer"));
    // The script variable is what is spoken: 43 characters at 15 a second.
    assert_eq!(project.video_duration, Some(3.0));
    assert!(download(&project.video_url.unwrap()) > 100);

    let mut named = template_request();
    named.video_name = Some("April promo".into());
    let id = c
        .v1()
        .videos()
        .create_with_template(&named)
        .unwrap()
        .project_id;
    assert_eq!(
        c.v1().projects().get(&id).unwrap().title.as_deref(),
        Some("April promo")
    );
}

#[test]
fn template_video_progress_failure_and_ownership() {
    let server = two_keys(FOREVER_MS);
    let k1 = client_for(&server, "k1");
    let id = k1
        .v1()
        .videos()
        .create_with_template(&template_request())
        .unwrap()
        .project_id;
    let p = k1.v1().projects().get(&id).unwrap();
    assert_eq!((p.status_code, p.video_url), (1, None));
    let e = client_for(&server, "k2")
        .v1()
        .projects()
        .get(&id)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let server = mock(0);
    let c = client(&server);
    let mut failing = template_request();
    failing.variables[1] = TemplateVariable::script("voiceover", "FAIL_RENDER please");
    let id = c
        .v1()
        .videos()
        .create_with_template(&failing)
        .unwrap()
        .project_id;
    assert_eq!(
        c.v1().projects().get(&id).unwrap().status(),
        TaskStatus::Failed
    );
    let e = c
        .wait_for_project(&id, &quick(), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed);
}

#[test]
fn template_video_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let created = cc
        .call(
            "v1.create_video_with_template",
            &json!({"template_id": 2400, "template_type": "user", "lang": "spanish",
                "variables": [{"type": "video", "name": "clip", "properties": {"asset_id": 77}}]}),
        )
        .unwrap();
    let id = created["project_id"].as_str().unwrap();
    let project = cc
        .call("v1.get_project", &json!({"project_id": id}))
        .unwrap();
    assert_eq!(project["status_code"], 4);
    assert_eq!(project["title"], "Charger promo");

    // Checked by the mock: the template must exist in the named collection, and each
    // variable carries the member its type needs.
    let e = cc
        .call(
            "v1.create_video_with_template",
            &json!({"template_id": 2400, "template_type": "common", "lang": "english",
                "variables": []}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
    let e = cc
        .call(
            "v1.create_video_with_template",
            &json!({"template_id": 139, "template_type": "common", "lang": "english",
                "variables": [{"type": "image", "name": "logo", "properties": {"content": "x"}}]}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 40000);
    assert!(
        e["message"].as_str().unwrap().contains(
            "variables[0].properties.url: is required (or give variables[0].properties.asset_id)"
        ),
        "{e}"
    );
    let e = cc
        .call(
            "v1.create_video_with_template",
            &json!({"template_id": 139, "template_type": "common", "lang": "english",
                "music_id": 4242, "variables": []}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
    assert_eq!(server.projects_created(), 1);

    let ok = json!({"template_id": 139, "template_type": "common", "lang": "english",
        "variables": [{"type": "text", "name": "t", "properties": {"content": "x"}}]});
    let with = |member: &str, value: Value| {
        let mut r = ok.clone();
        r[member] = value;
        r
    };
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_video_with_template",
                &with("template_type", json!("library")),
            )
        },
        "template_type",
    );
    let mut no_vars = ok.clone();
    no_vars.as_object_mut().unwrap().remove("variables");
    assert_refused(
        &server,
        || cc.call("v1.create_video_with_template", &no_vars),
        "variables",
    );
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_video_with_template",
                &with("colour", json!("red")),
            )
        },
        "colour",
    );
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_video_with_template",
                &with(
                    "variables",
                    json!([{"type": "audio", "name": "a", "properties": {}}]),
                ),
            )
        },
        "variables[0].type",
    );
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn legacy_variable_render() {
    let server = mock(0);
    let c = client(&server);
    let mut properties = serde_json::Map::new();
    properties.insert("content".into(), json!("Hello from the old endpoint"));
    let request = CreateVideoWithVariables {
        template_id: 2401,
        template_type: "custom".into(),
        text: "default".into(),
        lang: "english".into(),
        variables: vec![LegacyVariable {
            name: "intro".into(),
            kind: "text".into(),
            properties,
        }],
        dp_id: Some(0),
        timbre_id: None,
        without_tts: Some(false),
    };
    let id = c
        .v1()
        .videos()
        .create_with_variables(&request)
        .unwrap()
        .project_id;
    assert_eq!(last_body(&server)["without_tts"], 0);
    let p = c.v1().projects().get(&id).unwrap();
    assert_eq!(p.status(), TaskStatus::Succeeded);
    assert_eq!(p.title.as_deref(), Some("Spring newsletter"));

    let cc = CClient::new(&server);
    let ok = json!({"text": "t", "lang": "polish", "template_id": 136,
        "template_type": "user", "variables": []});
    let created = cc.call("v1.create_video_with_variables", &ok).unwrap();
    assert_eq!(created["project_id"].as_str().unwrap().len(), 32);
    // This operation lists 27 languages only.
    let mut danish = ok.clone();
    danish["lang"] = json!("danish");
    let e = cc
        .call("v1.create_video_with_variables", &danish)
        .unwrap_err();
    assert_eq!(e["api_code"], 40000);
    assert!(e["message"].as_str().unwrap().contains("lang"), "{e}");
    let mut unknown = ok.clone();
    unknown["template_id"] = json!(5);
    let e = cc
        .call("v1.create_video_with_variables", &unknown)
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
    assert_eq!(server.projects_created(), 2);

    let mut no_text = ok.clone();
    no_text.as_object_mut().unwrap().remove("text");
    assert_refused(
        &server,
        || cc.call("v1.create_video_with_variables", &no_text),
        "text",
    );
    let mut bad = ok.clone();
    bad["template_id"] = json!("136");
    assert_refused(
        &server,
        || cc.call("v1.create_video_with_variables", &bad),
        "template_id",
    );
    let mut extra = ok;
    extra["dp"] = json!(1);
    assert_refused(
        &server,
        || cc.call("v1.create_video_with_variables", &extra),
        "dp",
    );
}

// ---------------------------------------------------------------------------------------
// Product videos

#[test]
fn product_video_and_preview() {
    let server = mock(0);
    let c = client(&server);
    let product_id = create_product(&c, "Trail Bottle", "A bottle that never leaks.");
    let mut video = ProductVideo::new(&product_id, 81, ScriptStyle::SOFT_SELLING);
    video.video_length = VideoLength::Seconds30;
    video.aspect_ratio = AspectRatio::Landscape;
    video.visual_style = Some("Simple Product Switch".into());
    video.template_type = ProductTemplateType::Custom;
    video.template_id = Some(2402);
    let mut request = CreateVideoFromUrl::from(video.clone());
    request.music_id = Some(9001);
    request.video_name = Some("Bottle ad".into());
    let id = c
        .v1()
        .videos()
        .create_from_url(&request)
        .unwrap()
        .project_id;
    let body = last_body(&server);
    assert_eq!(body["video_length"], "30");
    assert_eq!(body["aspect_ratio"], 1);
    assert_eq!(body["template_type"], "custom");
    assert_eq!(body["script_style"], "Soft Selling");
    let p = c
        .wait_for_project(&id, &quick(), |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(p.title.as_deref(), Some("Bottle ad"));
    // The written script fills the requested length.
    assert_eq!(p.video_duration, Some(30.0));
    assert!(download(&p.cover_url.unwrap()) > 10);

    let preview = c.v1().videos().create_preview(&video).unwrap().project_id;
    let body = last_body(&server);
    assert!(body.get("music_id").is_none() && body.get("video_name").is_none());
    let p = c.v1().projects().get(&preview).unwrap();
    assert_eq!(p.title.as_deref(), Some("Preview: Trail Bottle"));

    let mut own_script = ProductVideo::new(&product_id, 81, ScriptStyle::new("Challenge"));
    own_script.override_script = Some("Thirty characters of my script".into());
    let id = c
        .v1()
        .videos()
        .create_from_url(&own_script.into())
        .unwrap()
        .project_id;
    assert_eq!(
        c.v1().projects().get(&id).unwrap().video_duration,
        Some(2.0)
    );
    assert_eq!(server.projects_created(), 3);
}

#[test]
fn product_videos_need_the_callers_product() {
    let server = two_keys(FOREVER_MS);
    let k1 = client_for(&server, "k1");
    let k2 = client_for(&server, "k2");
    let product_id = create_product(&k1, "Desk Lamp", "Warm light.");
    let video = ProductVideo::new(&product_id, 81, ScriptStyle::DATA);
    let id = k1.v1().videos().create_preview(&video).unwrap().project_id;
    assert_eq!(
        k1.v1().projects().get(&id).unwrap().status(),
        TaskStatus::Pending
    );
    let e = k2.v1().videos().create_preview(&video).unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
    let e = k1
        .v1()
        .videos()
        .create_from_url(&ProductVideo::new("0".repeat(32), 81, ScriptStyle::DATA).into())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let mut styled = video.clone();
    styled.visual_style = Some("Wobbly".into());
    // A visual style the service does not have is a record it cannot find.
    let e = k1.v1().videos().create_preview(&styled).unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
    assert!(e.message().contains("visual_style"), "{}", e.message());
    let mut templated = video;
    templated.template_id = Some(2400);
    let e = k1.v1().videos().create_preview(&templated).unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::NotFound,
        "2400 is a custom template, not a library one"
    );
    assert_eq!(server.projects_created(), 1);
}

#[test]
fn product_videos_through_jogg_call() {
    let server = mock(0);
    let c = client(&server);
    let product_id = create_product(&c, "Yoga Mat", "Grips on any floor.");
    let cc = CClient::new(&server);
    let ok = json!({"product_id": product_id, "aspect_ratio": 2, "video_length": "15",
        "language": "english", "avatar_id": 81, "avatar_type": 0,
        "script_style": "Humor & Meme", "template_type": "public"});
    for op in ["v1.create_video_from_url", "v1.create_preview_video"] {
        let created = cc.call(op, &ok).unwrap();
        let id = created["project_id"].as_str().unwrap();
        let p = cc
            .call("v1.get_project", &json!({"project_id": id}))
            .unwrap();
        assert_eq!(p["status_code"], 4, "{op}");
        assert_eq!(p["video_duration"], 15, "{op}");
    }
    // The spec lists `language` as required for both renders (it also gives it a default):
    // the client lets the full render go without it, and the service refuses it.
    let mut no_language = ok.clone();
    no_language.as_object_mut().unwrap().remove("language");
    let e = cc
        .call("v1.create_video_from_url", &no_language)
        .unwrap_err();
    assert_eq!(
        (e["api_code"].clone(), e["api_message"].clone()),
        (
            json!(40000),
            json!("Parameter error: language: is required")
        )
    );
    assert_refused(
        &server,
        || cc.call("v1.create_preview_video", &no_language),
        "language",
    );
    let mut failing = ok.clone();
    failing["override_script"] = json!("FAIL_RENDER");
    let id = cc.call("v1.create_preview_video", &failing).unwrap()["project_id"].clone();
    let p = cc
        .call("v1.get_project", &json!({"project_id": id}))
        .unwrap();
    assert_eq!(
        (p["status_code"].clone(), p["video_url"].clone()),
        (json!(5), json!(""))
    );
    assert_eq!(server.projects_created(), 3);

    let with = |member: &str, value: Value| {
        let mut r = ok.clone();
        r[member] = value;
        r
    };
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_video_from_url",
                &with("video_length", json!("45")),
            )
        },
        "video_length",
    );
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_video_from_url",
                &with("template_type", json!("user")),
            )
        },
        "template_type",
    );
    assert_refused(
        &server,
        || cc.call("v1.create_preview_video", &with("music_id", json!(3))),
        "music_id",
    );
    let mut no_style = ok;
    no_style.as_object_mut().unwrap().remove("script_style");
    assert_refused(
        &server,
        || cc.call("v1.create_video_from_url", &no_style),
        "script_style",
    );
    assert_eq!(server.projects_created(), 3);
}

// ---------------------------------------------------------------------------------------
// AI scripts

#[test]
fn ai_scripts_in_several_styles() {
    let server = mock(0);
    let c = client(&server);
    let mut request =
        GenerateAiScripts::described("Owala FreeSip", "A bottle you can sip or swig.");
    request.video_length = Some(VideoLength::Seconds15);
    let short = c
        .v1()
        .scripts()
        .generate(&request)
        .unwrap()
        .generated_scripts;
    assert!(short.len() >= 3);
    let styles: HashSet<&str> = short.iter().map(|s| s.script_style.as_str()).collect();
    assert_eq!(styles.len(), short.len(), "one script per style");
    assert!(
        short
            .iter()
            .all(|s| s.script_paragraphs.contains("Owala FreeSip"))
    );
    request.video_length = Some(VideoLength::Seconds60);
    let long = c
        .v1()
        .scripts()
        .generate(&request)
        .unwrap()
        .generated_scripts;
    assert!(long[0].script_paragraphs.len() > short[0].script_paragraphs.len());

    let product_id = create_product(&c, "Trail Bottle", "Never leaks.");
    let mut request = GenerateAiScripts::for_product(&product_id);
    request.language = "german".into();
    let scripts = c
        .v1()
        .scripts()
        .generate(&request)
        .unwrap()
        .generated_scripts;
    assert!(scripts[0].script_paragraphs.contains("Trail Bottle"));
    assert!(
        scripts[0].script_paragraphs.contains("runners"),
        "the product's audience"
    );
    assert!(scripts[0].script_paragraphs.starts_with("[german]"));
    let e = c
        .v1()
        .scripts()
        .generate(&GenerateAiScripts::for_product("f".repeat(32)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let cc = CClient::new(&server);
    let data = cc
        .call(
            "v1.generate_ai_scripts",
            &json!({"name": "Lamp", "description": "Warm", "language": "english",
                "target_audience": "night owls"}),
        )
        .unwrap();
    let first = &data["generated_scripts"][0];
    assert!(
        first["script_paragraphs"]
            .as_str()
            .unwrap()
            .contains("night owls")
    );
    assert!(first["script_style"].is_string());

    let ok = json!({"name": "Lamp", "description": "Warm", "language": "english"});
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.generate_ai_scripts",
                &json!({"name": "Lamp", "language": "english"}),
            )
        },
        "description",
    );
    assert_refused(
        &server,
        || cc.call("v1.generate_ai_scripts", &json!({"language": "english"})),
        "product_id",
    );
    let mut bad = ok.clone();
    bad["video_length"] = json!("45");
    assert_refused(
        &server,
        || cc.call("v1.generate_ai_scripts", &bad),
        "video_length",
    );
    let mut no_language = ok.clone();
    no_language.as_object_mut().unwrap().remove("language");
    assert_refused(
        &server,
        || cc.call("v1.generate_ai_scripts", &no_language),
        "language",
    );
    let mut extra = ok;
    extra["tone"] = json!("loud");
    assert_refused(
        &server,
        || cc.call("v1.generate_ai_scripts", &extra),
        "tone",
    );
}

// ---------------------------------------------------------------------------------------
// Music, voices, visual styles, templates

#[test]
fn music_lists() {
    let server = mock(0);
    let c = client(&server);
    let library = c.v1().music().list().unwrap().music;
    assert_eq!(library.len(), 13);
    assert!(
        library
            .iter()
            .all(|m| m.duration.unwrap() > 0.0 && m.name.is_some())
    );
    assert!(download(library[0].music_url.as_deref().unwrap()) > 100);
    let custom = c.v1().music().list_custom().unwrap().music;
    let ids: Vec<i64> = custom.iter().map(|m| m.id).collect();
    assert_eq!(ids, [9001, 9002]);

    let cc = CClient::new(&server);
    for op in ["v1.list_musics", "v1.list_custom_musics"] {
        let data = cc.call(op, &json!({})).unwrap();
        // The array key of the v1 spec (D30), which the typed decoder reads too.
        assert!(data.get("music").is_none(), "{op}");
        assert!(!data["avatars"].as_array().unwrap().is_empty(), "{op}");
    }
    assert_refused(
        &server,
        || cc.call("v1.list_musics", &json!({"page": 2})),
        "page",
    );
    assert_refused(
        &server,
        || cc.call("v1.list_custom_musics", &json!([])),
        "request",
    );
}

#[test]
fn custom_voices_by_language() {
    let server = mock(0);
    let c = client(&server);
    let all = c.v1().voices().list_custom(None).unwrap();
    assert_eq!(all.total, Some(4));
    assert_eq!(all.voices.len(), 4);
    assert!(all.voices.iter().all(|v| v.voice_id.starts_with("tb_")));
    let english = c.v1().voices().list_custom(Some("english")).unwrap();
    assert_eq!(english.total, Some(2));
    for v in &english.voices {
        assert_eq!(v.language.as_deref(), Some("english"));
        assert!(
            v.audio_url.is_some(),
            "audition_url read as audio_url (D28)"
        );
    }
    assert_eq!(
        c.v1().voices().list_custom(Some("german")).unwrap().total,
        Some(0)
    );

    let cc = CClient::new(&server);
    let data = cc
        .call("v1.list_custom_voices", &json!({"language": "spanish"}))
        .unwrap();
    assert_eq!(data["total"], 1);
    assert!(data["voices"][0]["audition_url"].is_string());
    assert_refused(
        &server,
        || cc.call("v1.list_custom_voices", &json!({"gender": "male"})),
        "gender",
    );
    assert_refused(
        &server,
        || cc.call("v1.list_custom_voices", &json!({"language": true})),
        "language",
    );
}

#[test]
fn visual_styles_and_templates_by_shape() {
    let server = mock(0);
    let c = client(&server);
    let all = c.v1().visual_styles().list(None).unwrap().visual_styles;
    assert_eq!(all.len(), 7);
    let square = c
        .v1()
        .visual_styles()
        .list(Some(AspectRatio::Square))
        .unwrap()
        .visual_styles;
    assert!(!square.is_empty() && square.len() < all.len());
    assert!(square.iter().any(|s| s.name == "Carousel"));
    assert!(
        server
            .requests()
            .pop()
            .unwrap()
            .query
            .contains(&("aspect_ratio".into(), "2".into()))
    );

    let library = c.v1().templates().list(None).unwrap().templates;
    assert_eq!(library.len(), 10);
    let landscape = c
        .v1()
        .templates()
        .list(Some(AspectRatio::Landscape))
        .unwrap()
        .templates;
    assert_eq!(landscape.len(), 4);
    assert!(
        landscape
            .iter()
            .all(|t| t.aspect_ratio == Some(1) && t.cover_url.is_some())
    );
    let mine = c.v1().templates().list_custom(None).unwrap().templates;
    assert_eq!(
        mine.iter().map(|t| t.id).collect::<Vec<_>>(),
        [2400, 2401, 2402]
    );
    let portrait = c
        .v1()
        .templates()
        .list_custom(Some(AspectRatio::Portrait))
        .unwrap()
        .templates;
    assert_eq!(portrait.len(), 1);
    assert_eq!(portrait[0].name.as_deref(), Some("Charger promo"));

    let cc = CClient::new(&server);
    let every = cc
        .call("v1.list_visual_styles", &json!({"aspect_ratio": -1}))
        .unwrap();
    assert_eq!(every["visual_styles"].as_array().unwrap().len(), 7);
    let portrait = cc
        .call("v1.list_templates", &json!({"aspect_ratio": 0}))
        .unwrap();
    assert_eq!(portrait["templates"].as_array().unwrap().len(), 4);
    let mine = cc
        .call("v1.list_custom_templates", &json!({"aspect_ratio": -1}))
        .unwrap();
    assert_eq!(mine["templates"].as_array().unwrap().len(), 3);
    for op in [
        "v1.list_visual_styles",
        "v1.list_templates",
        "v1.list_custom_templates",
    ] {
        assert_refused(
            &server,
            || cc.call(op, &json!({"aspect_ratio": 3})),
            "aspect_ratio",
        );
        assert_refused(&server, || cc.call(op, &json!({"ratio": 1})), "ratio");
    }
}

// ---------------------------------------------------------------------------------------
// Instant avatars

#[test]
fn instant_avatar_lifecycle_per_key() {
    let server = two_keys(0);
    let k1 = client_for(&server, "k1");
    let k2 = client_for(&server, "k2");
    let request = CreateInstantAvatar {
        origin_url: "https://example.com/me.mp4".into(),
        name: "Me at my desk".into(),
    };
    let created = k1.v1().avatars().create_instant(&request).unwrap();
    let second = k1.v1().avatars().create_instant(&request).unwrap();
    assert_ne!(created.avatar_id, second.avatar_id);
    assert_eq!(server.created("instant_avatar"), 2);
    let list = k1.v1().avatars().list_custom().unwrap();
    assert_eq!(list.avatars.len(), 2);
    assert_eq!(list.avatars[0].avatar_id, second.avatar_id, "newest first");
    let mine = list.find(created.avatar_id).unwrap();
    assert_eq!(mine.status, AvatarStatus::Ready);
    assert_eq!(mine.name.as_deref(), Some("Me at my desk"));
    assert!(mine.fail_msg.is_none());
    assert!(download(mine.cover_url.as_deref().unwrap()) > 10);

    assert!(k2.v1().avatars().list_custom().unwrap().avatars.is_empty());
    let e = k2
        .v1()
        .avatars()
        .delete_instant(created.avatar_id)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    k1.v1().avatars().delete_instant(created.avatar_id).unwrap();
    let left = k1.v1().avatars().list_custom().unwrap();
    assert!(left.find(created.avatar_id).is_none());
    assert_eq!(left.avatars.len(), 1);
    let e = k1
        .v1()
        .avatars()
        .delete_instant(created.avatar_id)
        .unwrap_err();
    assert_eq!(e.api_code(), Some(10104));
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.method, "DELETE");
    assert!(
        sent.query
            .contains(&("avatar_id".into(), created.avatar_id.to_string()))
    );
}

#[test]
fn instant_avatar_progress_and_failure() {
    let server = mock(FOREVER_MS);
    let c = client(&server);
    let id = c
        .v1()
        .avatars()
        .create_instant(&CreateInstantAvatar {
            origin_url: "https://example.com/me.mp4".into(),
            name: "Me".into(),
        })
        .unwrap()
        .avatar_id;
    let a = c
        .v1()
        .avatars()
        .list_custom()
        .unwrap()
        .find(id)
        .cloned()
        .unwrap();
    assert_eq!((a.status, a.cover_url), (AvatarStatus::Processing, None));

    let server = mock(0);
    let cc = CClient::new(&server);
    let created = cc
        .call(
            "v1.create_instant_avatar",
            &json!({"origin_url": "https://example.com/FAIL_RENDER.mp4", "name": "Blurry"}),
        )
        .unwrap();
    let id = created["avatar_id"].as_i64().unwrap();
    let list = cc.call("v1.list_custom_avatars", &json!({})).unwrap();
    let item = &list["avatars"][0];
    assert_eq!(
        (item["avatar_id"].as_i64(), item["status"].as_i64()),
        (Some(id), Some(2))
    );
    assert!(!item["fail_msg"].as_str().unwrap().is_empty());
    assert_eq!(item["cover_url"], "");
    let deleted = cc
        .call("v1.delete_instant_avatar", &json!({"avatar_id": id}))
        .unwrap();
    assert_eq!(deleted, Value::Null);
    let list = cc.call("v1.list_custom_avatars", &json!(null)).unwrap();
    assert_eq!(list["avatars"], json!([]));

    let e = cc
        .call(
            "v1.create_instant_avatar",
            &json!({"origin_url": "me.mp4", "name": "x"}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 40000);
    assert_eq!(server.created("instant_avatar"), 1);
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_instant_avatar",
                &json!({"origin_url": "https://e.com/v.mp4"}),
            )
        },
        "name",
    );
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.create_instant_avatar",
                &json!({"origin_url": "https://e.com/v.mp4", "name": "x", "quality": "high"}),
            )
        },
        "quality",
    );
    assert_refused(
        &server,
        || cc.call("v1.delete_instant_avatar", &json!({"avatar_id": "one"})),
        "avatar_id",
    );
    assert_refused(
        &server,
        || cc.call("v1.delete_instant_avatar", &json!({})),
        "avatar_id",
    );
    assert_eq!(server.created("instant_avatar"), 1);
}

// ---------------------------------------------------------------------------------------
// Photo avatars

fn look() -> PhotoLook {
    let mut look = PhotoLook::new(
        PhotoAge::Adult,
        PhotoStyle::Professional,
        PhotoGender::Female,
    );
    look.ethnicity = Some(PhotoEthnicity::SouthAmerican);
    look.appearance = Some("short curly hair, green blazer".into());
    look
}

#[test]
fn photo_generation_and_new_look() {
    let server = mock(0);
    let c = client(&server);
    let created = c
        .v1()
        .photo_avatars()
        .generate_photo(&GenerateAvatarPhoto {
            look: look(),
            image_url: None,
        })
        .unwrap();
    assert!(created.photo_id.starts_with("25-"));
    let body = last_body(&server);
    assert_eq!(body["age"], "Adult");
    assert_eq!(body["ethnicity"], "South American");
    assert_eq!(body["aspect_ratio"], 0);
    let g = c
        .v1()
        .photo_avatars()
        .get_generation(&created.photo_id)
        .unwrap();
    assert_eq!(g.task_status(), TaskStatus::Succeeded);
    assert_eq!(g.photo_id.as_deref(), Some(created.photo_id.as_str()));
    assert_eq!(g.image_url_list.len(), 4);
    assert_eq!(g.image_key_list.len(), 4);
    assert_eq!(g.image_url_list.iter().collect::<HashSet<_>>().len(), 4);
    for url in &g.image_url_list {
        assert!(download(url) > 10);
    }

    let again = c
        .v1()
        .photo_avatars()
        .generate_new_look(&GenerateAvatarNewLook {
            look: look(),
            image_url: g.image_url_list[0].clone(),
        })
        .unwrap();
    assert_ne!(again.photo_id, created.photo_id);
    assert_eq!(
        c.v1()
            .photo_avatars()
            .get_generation(&again.photo_id)
            .unwrap()
            .status,
        "success"
    );
    assert_eq!(server.created("photo_generation"), 2);
}

#[test]
fn photo_generation_progress_failure_and_validation() {
    let server = two_keys(FOREVER_MS);
    let k1 = client_for(&server, "k1");
    let id = k1
        .v1()
        .photo_avatars()
        .generate_photo(&GenerateAvatarPhoto {
            look: look(),
            image_url: None,
        })
        .unwrap()
        .photo_id;
    let g = k1.v1().photo_avatars().get_generation(&id).unwrap();
    assert_eq!(g.status, "in_progress");
    assert!(g.image_url_list.is_empty());
    let e = client_for(&server, "k2")
        .v1()
        .photo_avatars()
        .get_generation(&id)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let server = mock(0);
    let cc = CClient::new(&server);
    let ok = json!({"age": "Young adult", "avatar_style": "Social", "gender": "Male",
        "model": "modern", "aspect_ratio": 1, "background": "FAIL_RENDER"});
    let id = cc.call("v1.generate_avatar_photo", &ok).unwrap()["photo_id"].clone();
    let g = cc
        .call("v1.get_photo_generation", &json!({"photo_id": id}))
        .unwrap();
    assert_eq!(g["status"], "error");
    assert!(g["msg"].is_string());
    assert_eq!(g["image_url_list"], Value::Null);
    let mut look = ok.clone();
    look["image_url"] = json!("https://example.com/me.png");
    look["background"] = json!("a beach");
    let id = cc.call("v1.generate_avatar_new_look", &look).unwrap()["photo_id"].clone();
    let g = cc
        .call("v1.get_photo_generation", &json!({"photo_id": id}))
        .unwrap();
    assert_eq!(g["status"], "success");
    let e = cc.call("v1.get_photo_generation", &json!({})).unwrap_err();
    assert_eq!(e["api_code"], 40000, "nothing to look up without an id");
    assert_eq!(server.created("photo_generation"), 2);

    let with = |member: &str, value: Value| {
        let mut r = ok.clone();
        r[member] = value;
        r
    };
    // Case matters (D27), squares are not offered, and the new look needs its photo.
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.generate_avatar_photo",
                &with("age", json!("young adult")),
            )
        },
        "age",
    );
    assert_refused(
        &server,
        || cc.call("v1.generate_avatar_photo", &with("aspect_ratio", json!(2))),
        "aspect_ratio",
    );
    assert_refused(
        &server,
        || cc.call("v1.generate_avatar_new_look", &ok),
        "image_url",
    );
    // A guide's member that the spec does not have (D45).
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.generate_avatar_photo",
                &with("photo_url", json!("https://e.com/p.png")),
            )
        },
        "photo_url",
    );
    let mut no_gender = ok;
    no_gender.as_object_mut().unwrap().remove("gender");
    assert_refused(
        &server,
        || cc.call("v1.generate_avatar_photo", &no_gender),
        "gender",
    );
    assert_eq!(server.created("photo_generation"), 2);
}

fn motion_request(image_url: &str, photo_id: Option<String>) -> AddPhotoAvatarMotion {
    AddPhotoAvatarMotion {
        image_url: image_url.into(),
        name: "Office Ana".into(),
        voice_id: "en-US-JennyNeural".into(),
        model: MotionModel::V2_0,
        photo_id,
        description: Some("nods and smiles".into()),
        welcome_msg: None,
    }
}

#[test]
fn photo_motion_makes_a_photo_avatar() {
    let server = two_keys(0);
    let k1 = client_for(&server, "k1");
    let photo = k1
        .v1()
        .photo_avatars()
        .generate_photo(&GenerateAvatarPhoto {
            look: look(),
            image_url: None,
        })
        .unwrap()
        .photo_id;
    let image = k1
        .v1()
        .photo_avatars()
        .get_generation(&photo)
        .unwrap()
        .image_url_list[1]
        .clone();
    let created = k1
        .v1()
        .photo_avatars()
        .add_motion(&motion_request(&image, Some(photo.clone())))
        .unwrap();
    assert!(created.motion_id.starts_with("25-mo_"));
    assert_eq!(created.name.as_deref(), Some("Office Ana"));
    let avatar_id = created.avatar_id.unwrap();
    assert_eq!(last_body(&server)["model"], "2.0");

    let m = k1
        .v1()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(m.task_status(), TaskStatus::Succeeded);
    assert_eq!(m.status, "completed");
    assert_eq!(m.avatar_id, Some(avatar_id));
    assert_eq!(m.image_url.as_deref(), Some(image.as_str()));
    assert_eq!(m.voice_id.as_deref(), Some("en-US-JennyNeural"));
    assert!(download(m.motion_preview_url.as_deref().unwrap()) > 100);

    let list = k1.v1().avatars().list_photo().unwrap();
    let a = list.find(avatar_id).unwrap();
    assert_eq!(a.status, AvatarStatus::Ready);
    assert_eq!(a.style.as_deref(), Some("professional"));
    assert_eq!(a.gender.as_deref(), Some("female"));
    assert_eq!(a.cover_url.as_deref(), Some(image.as_str()));
    // Photo and instant avatars never share an id.
    let instant = k1
        .v1()
        .avatars()
        .create_instant(&CreateInstantAvatar {
            origin_url: "https://example.com/v.mp4".into(),
            name: "n".into(),
        })
        .unwrap();
    assert_ne!(instant.avatar_id, avatar_id);

    let k2 = client_for(&server, "k2");
    assert!(k2.v1().avatars().list_photo().unwrap().avatars.is_empty());
    let e = k2
        .v1()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = k2
        .v1()
        .photo_avatars()
        .add_motion(&motion_request(&image, Some(photo)))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "another key's generation");
    assert_eq!(server.created("photo_motion"), 1);
}

#[test]
fn photo_motion_progress_failure_and_limits() {
    let server = mock(FOREVER_MS);
    let c = client(&server);
    let created = c
        .v1()
        .photo_avatars()
        .add_motion(&motion_request("https://example.com/me.png", None))
        .unwrap();
    let m = c
        .v1()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!((m.status.as_str(), m.motion_preview_url), ("pending", None));
    let a = c.v1().avatars().list_photo().unwrap().avatars[0].clone();
    assert_eq!(a.status, AvatarStatus::Processing);

    let server = mock(0);
    let cc = CClient::new(&server);
    let ok = json!({"image_url": "https://example.com/me.png", "name": "Ana",
        "voice_id": "en-US-JennyNeural", "model": "1.0", "description": "waves"});
    let mut failing = ok.clone();
    failing["welcome_msg"] = json!("FAIL_RENDER");
    let created = cc.call("v1.add_photo_avatar_motion", &failing).unwrap();
    let m = cc
        .call(
            "v1.get_photo_avatar_motion",
            &json!({"motion_id": created["motion_id"]}),
        )
        .unwrap();
    assert_eq!(m["status"], "error");
    assert_eq!(m["motion_preview_url"], "");
    let list = cc.call("v1.list_photo_avatars", &json!({})).unwrap();
    assert_eq!(list["avatars"][0]["status"], 2);
    assert_eq!(list["avatars"][0]["avatar_id"], created["avatar_id"]);

    // Description limits by model, in bytes (D47).
    let mut long = ok.clone();
    long["description"] = json!("é".repeat(151));
    let e = cc.call("v1.add_photo_avatar_motion", &long).unwrap_err();
    assert_eq!(e["api_code"], 40000);
    assert!(e["message"].as_str().unwrap().contains("300 bytes"), "{e}");
    long["model"] = json!("2.0-Pro");
    cc.call("v1.add_photo_avatar_motion", &long).unwrap();
    let e = cc
        .call(
            "v1.get_photo_avatar_motion",
            &json!({"motion_id": "25-mo_missing"}),
        )
        .unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_NOT_FOUND");
    let mut unknown_photo = ok.clone();
    unknown_photo["photo_id"] = json!("25-nothing");
    let e = cc
        .call("v1.add_photo_avatar_motion", &unknown_photo)
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
    assert_eq!(server.created("photo_motion"), 2);

    let with = |member: &str, value: Value| {
        let mut r = ok.clone();
        r[member] = value;
        r
    };
    assert_refused(
        &server,
        || cc.call("v1.add_photo_avatar_motion", &with("model", json!("4.0"))),
        "model",
    );
    // A guide's capitalised member (D45).
    assert_refused(
        &server,
        || {
            cc.call(
                "v1.add_photo_avatar_motion",
                &with("Description", json!("x")),
            )
        },
        "Description",
    );
    let mut no_voice = ok;
    no_voice.as_object_mut().unwrap().remove("voice_id");
    assert_refused(
        &server,
        || cc.call("v1.add_photo_avatar_motion", &no_voice),
        "voice_id",
    );
    assert_refused(
        &server,
        || cc.call("v1.get_photo_avatar_motion", &json!({})),
        "motion_id",
    );
    assert_eq!(server.created("photo_motion"), 2);
}
