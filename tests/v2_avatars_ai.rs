//! v2 avatars (library and your own), AI scripts, photo and product avatars, voices, music
//! and visual styles: typed methods and `jogg_call` against the in-process mock.

mod common;

use common::{CClient, client, config_for, mock, mock_with};
use jogg::api::v2::ai_scripts::{CreateAiScripts, ProductInfo, ScriptStyle, VideoLength};
use jogg::api::v2::avatars::{
    AvatarAge, AvatarStatus, AvatarStatusFilter, AvatarStyle, CustomAvatarFilter, Ethnicity,
    Gender, Orientation, ProductAvatarOrientation, PublicAvatarFilter, Scene,
};
use jogg::api::v2::music::PageParams;
use jogg::api::v2::photo_avatars::{
    AddPhotoAvatarMotion, GenerateAvatarPhoto, MotionModel, PhotoAge, PhotoGender, PhotoModel,
    PhotoStyle,
};
use jogg::api::v2::product_avatars::{
    AddProductAvatarMotion, AvatarSource, GenerateProductAvatarImages, ImageAspectRatio,
    ImageQuality, SourceAvatarType,
};
use jogg::api::v2::voices::{LibraryVoiceFilter, VoiceAge};
use jogg::{Client, ErrorKind};
use jogg_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

/// Long enough that nothing finishes while a test runs.
const FOREVER_MS: u64 = 3_600_000;

fn two_keys(render_ms: u64) -> (MockServer, Client, Client) {
    let server = mock_with(MockConfig {
        api_keys: vec!["k1".into(), "k2".into()],
        render_ms,
        ..MockConfig::default()
    });
    let k1 = Client::new(config_for(&server.base_url(), "k1")).unwrap();
    let k2 = Client::new(config_for(&server.base_url(), "k2")).unwrap();
    (server, k1, k2)
}

fn download(url: &str) -> Vec<u8> {
    let agent = ureq::Agent::new_with_defaults();
    let mut response = agent.get(url).call().unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.body_mut().read_to_vec().unwrap()
}

fn status_of(url: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent.get(url).call().unwrap().status().as_u16()
}

/// A `jogg_call` the library refuses before sending: the error names `field`, and the mock
/// saw no request.
fn refused(server: &MockServer, cc: &CClient, op: &str, params: Value, field: &str) -> Value {
    let before = server.requests().len();
    let e = cc.call(op, &params).unwrap_err();
    assert_eq!(e["name"], "JOGG_ERR_VALIDATION", "{e}");
    assert_eq!(e["field"], field, "{e}");
    assert_eq!(server.requests().len(), before, "{op} was sent anyway");
    e
}

/// A `jogg_call` the mock refuses with a parameter error mentioning `text`.
fn rejected_by_api(cc: &CClient, op: &str, params: Value, text: &str) {
    let e = cc.call(op, &params).unwrap_err();
    assert_eq!(e["api_code"], 40000, "{e}");
    assert!(e["api_message"].as_str().unwrap().contains(text), "{e}");
}

fn body_of_last(server: &MockServer) -> Value {
    serde_json::from_slice(&server.requests().pop().unwrap().body).unwrap()
}

// ---------------------------------------------------------------------------------------
// AI scripts

fn scripts_request(info: ProductInfo) -> CreateAiScripts {
    CreateAiScripts {
        language: "english".into(),
        video_length_seconds: VideoLength::Seconds60,
        script_style: ScriptStyle::STORYTIME,
        product_info: info,
        target_audience: Some("trail runners".into()),
    }
}

fn bottle() -> ProductInfo {
    ProductInfo::Details {
        name: "FreeSip Bottle".into(),
        description: "Keeps water cold for a whole day.".into(),
    }
}

#[test]
fn ai_scripts_complete_with_several_styles() {
    let server = mock(0);
    let c = client(&server);
    let created = c.v2().scripts().create(&scripts_request(bottle())).unwrap();
    assert!(created.task_id.starts_with("task_"), "{}", created.task_id);
    let sent = body_of_last(&server);
    assert_eq!(
        sent["product_info"],
        json!({"source_type": "details", "data": {"name": "FreeSip Bottle", "description": "Keeps water cold for a whole day."}})
    );
    assert_eq!(sent["video_length_seconds"], "60");
    assert_eq!(sent["script_style"], "Storytime");

    let task = c.v2().scripts().get_result(&created.task_id).unwrap();
    assert_eq!(task.status, "completed");
    assert_eq!(task.task_id, created.task_id);
    assert!(task.err_msg.is_none());
    assert_eq!(task.scripts.len(), 3);
    let first = &task.scripts[0];
    assert_eq!(first.script_style.as_deref(), Some("Storytime"));
    assert_eq!(
        first.script_paragraphs.len(),
        5,
        "60 s gets five paragraphs"
    );
    let text = first.text();
    assert!(text.contains("FreeSip Bottle") && text.contains("cold for a whole day"));
    assert!(text.contains("trail runners"));
    let styles: Vec<_> = task
        .scripts
        .iter()
        .map(|s| s.script_style.clone())
        .collect();
    assert_eq!(
        styles
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len(),
        3
    );
    assert_eq!(server.created("ai_script"), 1);
}

#[test]
fn ai_scripts_pending_then_failed() {
    let server = mock(FOREVER_MS);
    let c = client(&server);
    let id = c
        .v2()
        .scripts()
        .create(&scripts_request(bottle()))
        .unwrap()
        .task_id;
    let task = c.v2().scripts().get_result(&id).unwrap();
    assert_eq!(task.status, "pending");
    assert!(task.scripts.is_empty() && task.err_msg.is_none());

    let server = mock(0);
    let c = client(&server);
    let mut failing = scripts_request(bottle());
    failing.target_audience = Some("FAIL_RENDER".into());
    let id = c.v2().scripts().create(&failing).unwrap().task_id;
    let task = c.v2().scripts().get_result(&id).unwrap();
    assert_eq!(task.status, "failed");
    assert!(task.scripts.is_empty());
    assert!(task.err_msg.unwrap().contains("Failed to generate"));
}

#[test]
fn ai_scripts_are_private_to_their_key() {
    let (_server, k1, k2) = two_keys(0);
    let mut by_id = scripts_request(ProductInfo::Id("NTQ0MTkzNjg".into()));
    by_id.video_length_seconds = VideoLength::Seconds15;
    by_id.script_style = ScriptStyle::new("Data");
    let id = k1.v2().scripts().create(&by_id).unwrap().task_id;
    let task = k1.v2().scripts().get_result(&id).unwrap();
    assert_eq!(task.scripts[0].script_paragraphs.len(), 2);
    assert_eq!(task.scripts[0].script_style.as_deref(), Some("Data"));
    let e = k2.v2().scripts().get_result(&id).unwrap_err();
    assert_eq!((e.kind(), e.api_code()), (ErrorKind::NotFound, Some(10104)));
}

#[test]
fn ai_scripts_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    // As the Postman collection does: an id source with name and description along (D40).
    let created = cc
        .call(
            "v2.create_ai_scripts",
            &json!({
                "language": "spanish", "video_length_seconds": "30", "script_style": "Don't Worry",
                "product_info": {"source_type": "id", "data": {"id": "p1", "name": "N", "description": "D"}}
            }),
        )
        .unwrap();
    let id = created["task_id"].as_str().unwrap();
    let task = cc
        .call("v2.get_ai_scripts_result", &json!({"task_id": id}))
        .unwrap();
    assert_eq!(task["status"], "completed");
    let scripts = task["data"]["generated_scripts"].as_array().unwrap();
    assert_eq!(scripts[0]["script_style"], "Don't Worry");
    assert_eq!(scripts[0]["script_paragraphs"].as_array().unwrap().len(), 3);

    let e = cc
        .call("v2.get_ai_scripts_result", &json!({"task_id": "task_nope"}))
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
    // The source type decides which data members are needed; the mock checks it.
    let base = |info: Value| json!({"language": "english", "video_length_seconds": "15", "script_style": "Data", "product_info": info});
    rejected_by_api(
        &cc,
        "v2.create_ai_scripts",
        base(json!({"source_type": "details", "data": {"name": "Only a name"}})),
        "product_info.data.description",
    );
    rejected_by_api(
        &cc,
        "v2.create_ai_scripts",
        base(json!({"source_type": "id", "data": {"name": "N", "description": "D"}})),
        "product_info.data.id",
    );
    assert_eq!(server.created("ai_script"), 1);

    // Refused before sending: wrong enum, missing member, unknown member.
    refused(
        &server,
        &cc,
        "v2.create_ai_scripts",
        json!({"language": "english", "video_length_seconds": "45", "script_style": "Data",
               "product_info": {"source_type": "id", "data": {"id": "p"}}}),
        "video_length_seconds",
    );
    refused(
        &server,
        &cc,
        "v2.create_ai_scripts",
        json!({"video_length_seconds": "15", "script_style": "Data",
               "product_info": {"source_type": "id", "data": {"id": "p"}}}),
        "language",
    );
    refused(
        &server,
        &cc,
        "v2.create_ai_scripts",
        base(json!({"source_type": "url", "data": {"id": "p"}})),
        "product_info.source_type",
    );
    refused(
        &server,
        &cc,
        "v2.create_ai_scripts",
        base(json!({"source_type": "id", "data": {"id": "p", "sku": "X1"}})),
        "product_info.data.sku",
    );
    refused(
        &server,
        &cc,
        "v2.get_ai_scripts_result",
        json!({}),
        "task_id",
    );
}

// ---------------------------------------------------------------------------------------
// Photo avatars

fn photo_request() -> GenerateAvatarPhoto {
    let mut r = GenerateAvatarPhoto::new(
        PhotoAge::YoungAdult,
        PhotoStyle::Professional,
        PhotoGender::Female,
        PhotoModel::Modern,
        Orientation::Portrait,
    );
    r.appearance = Some("short dark hair, navy blazer".into());
    r
}

fn motion_request(image_url: &str, photo_id: Option<String>, name: &str) -> AddPhotoAvatarMotion {
    AddPhotoAvatarMotion {
        image_url: image_url.into(),
        photo_id,
        name: name.into(),
        voice_id: "en-US-JennyNeural".into(),
        model: MotionModel::V2_0,
        description: Some("nods and smiles".into()),
        welcome_msg: None,
    }
}

#[test]
fn photo_generation_then_motion_makes_a_photo_avatar() {
    let server = mock(0);
    let c = client(&server);
    let photo_id = c
        .v2()
        .photo_avatars()
        .generate_photo(&photo_request())
        .unwrap()
        .photo_id;
    assert!(photo_id.starts_with("25-"), "{photo_id}");
    let sent = body_of_last(&server);
    assert_eq!(
        (&sent["age"], &sent["aspect_ratio"]),
        (&json!("Young adult"), &json!("portrait"))
    );

    let done = c.v2().photo_avatars().get_generation(&photo_id).unwrap();
    assert_eq!(done.status, "success");
    assert!(done.msg.is_none());
    assert_eq!(done.image_url_list.len(), 4);
    assert_eq!(done.image_key_list.len(), 4);
    let distinct: std::collections::HashSet<_> = done.image_url_list.iter().collect();
    assert_eq!(distinct.len(), 4);
    let image = download(&done.image_url_list[2]);
    assert_eq!(&image[..2], &[0xFF, 0xD8], "a JPEG");

    let created = c
        .v2()
        .photo_avatars()
        .add_motion(&motion_request(
            &done.image_url_list[0],
            Some(photo_id.clone()),
            "Nora",
        ))
        .unwrap();
    assert!(created.motion_id.starts_with("25-mo_"));
    assert_eq!(created.status.as_deref(), Some("completed"));
    let avatar_id = created.avatar_id.unwrap();

    let motion = c
        .v2()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(motion.status, "completed");
    assert_eq!(motion.avatar_id, Some(avatar_id));
    assert_eq!(motion.name.as_deref(), Some("Nora"));
    assert_eq!(motion.voice_id.as_deref(), Some("en-US-JennyNeural"));
    assert_eq!(motion.image_url.as_deref(), Some(&*done.image_url_list[0]));
    assert!(motion.error_msg.is_none());
    let preview = download(&motion.motion_preview_url.unwrap());
    assert_eq!(&preview[4..8], b"ftyp", "an MP4");

    let list = c
        .v2()
        .avatars()
        .list_photo(&CustomAvatarFilter::default())
        .unwrap();
    assert_eq!(list.avatars.len(), 1);
    let avatar = &list.avatars[0];
    assert_eq!(avatar.id, avatar_id);
    assert_eq!(avatar.name.as_deref(), Some("Nora"));
    assert_eq!(avatar.status, Some(AvatarStatus::Completed));
    assert!(avatar.fail_msg.is_none());
    assert_eq!(server.created("photo_avatar"), 1);
}

#[test]
fn photo_tasks_report_progress_and_media_wait_for_success() {
    let server = mock(FOREVER_MS);
    let c = client(&server);
    let photo_id = c
        .v2()
        .photo_avatars()
        .generate_photo(&photo_request())
        .unwrap()
        .photo_id;
    let running = c.v2().photo_avatars().get_generation(&photo_id).unwrap();
    assert_eq!(running.status, "in_progress");
    assert!(running.image_url_list.is_empty());
    // The would-be image is not served yet.
    assert_eq!(
        status_of(&format!("{}/files/tasks/{photo_id}.jpg", server.base_url())),
        404
    );

    let created = c
        .v2()
        .photo_avatars()
        .add_motion(&motion_request("https://example.com/me.png", None, "Ravi"))
        .unwrap();
    assert_eq!(created.status.as_deref(), Some("pending"));
    let motion = c
        .v2()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(motion.status, "pending");
    assert!(motion.motion_preview_url.is_none() && motion.error_msg.is_none());

    let filter = |status| CustomAvatarFilter {
        status: Some(status),
        ..Default::default()
    };
    let processing = c
        .v2()
        .avatars()
        .list_photo(&filter(AvatarStatusFilter::Processing))
        .unwrap();
    assert_eq!(processing.avatars.len(), 1);
    assert_eq!(processing.avatars[0].status, Some(AvatarStatus::Processing));
    // Until the animation exists the portrait is the cover.
    assert_eq!(
        processing.avatars[0].cover_url.as_deref(),
        Some("https://example.com/me.png")
    );
    let completed = c
        .v2()
        .avatars()
        .list_photo(&filter(AvatarStatusFilter::Completed))
        .unwrap();
    assert!(completed.avatars.is_empty());
}

#[test]
fn photo_failures_carry_their_messages() {
    let server = mock(0);
    let c = client(&server);
    let mut failing = photo_request();
    failing.background = Some("FAIL_RENDER".into());
    let photo_id = c
        .v2()
        .photo_avatars()
        .generate_photo(&failing)
        .unwrap()
        .photo_id;
    let failed = c.v2().photo_avatars().get_generation(&photo_id).unwrap();
    assert_eq!(failed.status, "error");
    assert!(failed.msg.unwrap().contains("failed"));
    assert!(failed.image_url_list.is_empty());

    let mut bad_motion = motion_request("https://example.com/me.png", None, "Zed");
    bad_motion.description = Some("FAIL_RENDER".into());
    let created = c.v2().photo_avatars().add_motion(&bad_motion).unwrap();
    c.v2()
        .photo_avatars()
        .add_motion(&motion_request("https://example.com/ok.png", None, "Amy"))
        .unwrap();
    let motion = c
        .v2()
        .photo_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(motion.status, "failed");
    assert!(motion.error_msg.unwrap().contains("no face"));
    assert!(motion.motion_preview_url.is_none());
    let failed = c
        .v2()
        .avatars()
        .list_photo(&CustomAvatarFilter {
            status: Some(AvatarStatusFilter::Failed),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.avatars.len(), 1);
    assert_eq!(failed.avatars[0].name.as_deref(), Some("Zed"));
    assert_eq!(failed.avatars[0].status, Some(AvatarStatus::Failed));
    assert!(failed.avatars[0].fail_msg.is_some());
}

#[test]
fn photo_avatars_page_search_and_stay_with_their_key() {
    let (server, k1, k2) = two_keys(0);
    let names = [
        "Ada Studio",
        "Bo Office",
        "Cy Studio",
        "Di Outdoors",
        "Ed Studio",
    ];
    let mut ids = Vec::new();
    for name in names {
        let m = k1
            .v2()
            .photo_avatars()
            .add_motion(&motion_request("https://example.com/p.png", None, name))
            .unwrap();
        ids.push(m.avatar_id.unwrap());
    }
    let page = |n| {
        k1.v2()
            .avatars()
            .list_photo(&CustomAvatarFilter {
                page: Some(n),
                page_size: Some(2),
                ..Default::default()
            })
            .unwrap()
            .avatars
            .into_iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    let (p1, p2, p3) = (page(1), page(2), page(3));
    assert_eq!((p1.len(), p2.len(), p3.len()), (2, 2, 1));
    let mut seen: Vec<i64> = [p1.clone(), p2, p3].concat();
    assert_eq!(p1[0], ids[4], "newest first");
    seen.sort_unstable();
    ids.sort_unstable();
    assert_eq!(seen, ids, "pages are disjoint and cover the list");
    assert!(page(4).is_empty());

    let studio = k1
        .v2()
        .avatars()
        .list_photo(&CustomAvatarFilter {
            name: Some("STUDIO".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(studio.avatars.len(), 3);
    assert!(
        studio
            .avatars
            .iter()
            .all(|a| a.name.as_deref().unwrap().ends_with("Studio"))
    );
    let sent = server.requests().pop().unwrap();
    assert!(sent.query.contains(&("name".into(), "STUDIO".into())));

    assert!(
        k2.v2()
            .avatars()
            .list_photo(&CustomAvatarFilter::default())
            .unwrap()
            .avatars
            .is_empty()
    );
    // A photo id names one of the caller's own generations.
    let photo_id = k1
        .v2()
        .photo_avatars()
        .generate_photo(&photo_request())
        .unwrap()
        .photo_id;
    let e = k2
        .v2()
        .photo_avatars()
        .get_generation(&photo_id)
        .unwrap_err();
    assert_eq!(e.api_code(), Some(10104));
    let e = k2
        .v2()
        .photo_avatars()
        .add_motion(&motion_request(
            "https://example.com/p.png",
            Some(photo_id),
            "Thief",
        ))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let motion = k1
        .v2()
        .photo_avatars()
        .add_motion(&motion_request("https://example.com/p.png", None, "Mine"))
        .unwrap()
        .motion_id;
    assert_eq!(
        k2.v2()
            .photo_avatars()
            .get_motion(&motion)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn photo_avatars_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let created = cc
        .call(
            "v2.generate_avatar_photo",
            &json!({"age": "Elderly", "avatar_style": "Social", "gender": "Male",
                    "model": "classic", "aspect_ratio": "square", "ethnicity": "Middle Eastern"}),
        )
        .unwrap();
    let photo_id = created["photo_id"].as_str().unwrap();
    let done = cc
        .call("v2.get_photo_generation", &json!({"photo_id": photo_id}))
        .unwrap();
    assert_eq!(done["status"], "success");
    let url = done["image_url_list"][0].as_str().unwrap().to_owned();
    let motion = cc
        .call(
            "v2.add_photo_avatar_motion",
            &json!({"image_url": url, "photo_id": photo_id, "name": "Omar",
                    "voice_id": "ar-SA-HamedNeural", "model": "3.0", "welcome_msg": "Marhaba"}),
        )
        .unwrap();
    assert_eq!(motion["status"], "completed");
    let got = cc
        .call(
            "v2.get_photo_avatar_motion",
            &json!({"motion_id": motion["motion_id"]}),
        )
        .unwrap();
    assert_eq!(got["avatar_id"], motion["avatar_id"]);
    assert_eq!(got["error_msg"], Value::Null);
    let list = cc
        .call(
            "v2.list_photo_avatars",
            &json!({"status": "completed", "name": "omar"}),
        )
        .unwrap();
    assert_eq!(list["avatars"][0]["id"], motion["avatar_id"]);
    assert_eq!(list["avatars"][0]["status"], 1, "an int status (D31)");

    let e = cc
        .call(
            "v2.add_photo_avatar_motion",
            &json!({"image_url": url, "photo_id": "25-unknown", "name": "X",
                    "voice_id": "v", "model": "1.0"}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);

    // Case matters (D27), the model is required, and the G2 page's `photo_url` is not a
    // member (D45).
    let photo = |extra: Value| {
        let mut p = json!({"age": "Adult", "avatar_style": "Professional", "gender": "Female",
                           "model": "modern", "aspect_ratio": "portrait"});
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p
    };
    refused(
        &server,
        &cc,
        "v2.generate_avatar_photo",
        photo(json!({"age": "young adult"})),
        "age",
    );
    refused(
        &server,
        &cc,
        "v2.generate_avatar_photo",
        photo(json!({"aspect_ratio": 0})),
        "aspect_ratio",
    );
    let mut no_model = photo(json!({}));
    no_model.as_object_mut().unwrap().remove("model");
    refused(&server, &cc, "v2.generate_avatar_photo", no_model, "model");
    refused(
        &server,
        &cc,
        "v2.generate_avatar_photo",
        photo(json!({"photo_url": "https://e.com/a.png"})),
        "photo_url",
    );
    refused(
        &server,
        &cc,
        "v2.add_photo_avatar_motion",
        json!({"image_url": url, "name": "X", "voice_id": "v", "model": "2.5"}),
        "model",
    );
    refused(
        &server,
        &cc,
        "v2.get_photo_avatar_motion",
        json!({}),
        "motion_id",
    );
    refused(
        &server,
        &cc,
        "v2.get_photo_generation",
        json!({"photo_id": "p", "verbose": true}),
        "verbose",
    );
}

// ---------------------------------------------------------------------------------------
// Product avatars

fn images_request(num_images: u8, aspect: ImageAspectRatio) -> GenerateProductAvatarImages {
    GenerateProductAvatarImages {
        product_image_url: "https://example.com/bottle.jpg".into(),
        // Library avatar 81 is Amanda, female.
        avatar_source: AvatarSource::Id {
            avatar_id: 81,
            avatar_type: SourceAvatarType::Public,
        },
        prompt: Some("holding the bottle at a trailhead".into()),
        quality: ImageQuality::High,
        aspect_ratio: aspect,
        num_images,
        webhook_url: None,
    }
}

fn product_motion(generation_id: &str, name: &str) -> AddProductAvatarMotion {
    AddProductAvatarMotion {
        generation_id: generation_id.into(),
        model: Some(1),
        name: name.into(),
        voice_id: "en-US-AriaNeural".into(),
        description: "raises the bottle and smiles".into(),
        aspect_ratio: None,
    }
}

#[test]
fn product_avatar_images_then_motion_makes_a_product_avatar() {
    let server = mock(0);
    let c = client(&server);
    let batch = c
        .v2()
        .product_avatars()
        .generate_images(&images_request(3, ImageAspectRatio::Portrait2x3))
        .unwrap();
    assert!(batch.batch_id.starts_with("batch_"));
    assert_eq!(batch.total_submitted, Some(3));
    assert_eq!(batch.generations.len(), 3);
    let sent = body_of_last(&server);
    assert_eq!(
        sent["avatar_source"],
        json!({"type": "id", "avatar_id": 81, "avatar_type": "public"})
    );
    assert_eq!(sent["aspect_ratio"], "2:3");

    let state = c
        .v2()
        .product_avatars()
        .get_generation(&batch.batch_id)
        .unwrap();
    assert!(state.is_finished());
    assert_eq!((state.summary.total, state.summary.completed), (3, 3));
    let first = &state.generations[0];
    assert_eq!(first.generation_id, batch.generations[0].generation_id);
    assert_eq!(first.status, "completed");
    assert!(first.image_id.is_some() && first.completed_at.is_some());
    let url = first.url.clone().unwrap();
    assert_eq!(&download(&url)[..2], &[0xFF, 0xD8]);

    let created = c
        .v2()
        .product_avatars()
        .add_motion(&product_motion(&first.generation_id, "Trail Amanda"))
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("Trail Amanda"));
    let avatar_id = created.avatar_id.unwrap();
    let motion = c
        .v2()
        .product_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(motion.status, "completed");
    assert_eq!(motion.avatar_id, Some(avatar_id));
    assert_eq!(motion.image_url.as_deref(), Some(&*url));
    download(&motion.motion_preview_url.unwrap());

    let all = c.v2().avatars().list_product(None).unwrap().product_avatars;
    assert_eq!(all.len(), 1);
    let avatar = &all[0];
    assert_eq!(avatar.avatar_id, avatar_id);
    assert_eq!(avatar.status, Some(AvatarStatus::Completed));
    assert_eq!(
        avatar.aspect_ratio,
        Some(0),
        "2:3 images make a portrait avatar"
    );
    assert_eq!(avatar.gender.as_deref(), Some("female"));
    download(avatar.avatar_url.as_deref().unwrap());
    let portrait = c
        .v2()
        .avatars()
        .list_product(Some(ProductAvatarOrientation::Portrait))
        .unwrap();
    assert_eq!(portrait.product_avatars.len(), 1);
    let landscape = c
        .v2()
        .avatars()
        .list_product(Some(ProductAvatarOrientation::Landscape))
        .unwrap();
    assert!(landscape.product_avatars.is_empty());
    assert_eq!(server.created("product_avatar_image"), 3);
    assert_eq!(server.created("product_avatar"), 1);
}

#[test]
fn product_avatar_motion_needs_a_completed_image_of_the_same_key() {
    let (server, k1, k2) = two_keys(FOREVER_MS);
    let batch = k1
        .v2()
        .product_avatars()
        .generate_images(&images_request(2, ImageAspectRatio::Square))
        .unwrap();
    let state = k1
        .v2()
        .product_avatars()
        .get_generation(&batch.batch_id)
        .unwrap();
    assert!(!state.is_finished());
    assert_eq!((state.summary.total, state.summary.pending), (2, 2));
    assert!(state.generations.iter().all(|g| g.url.is_none()));
    let generation = &batch.generations[0].generation_id;
    let e = k1
        .v2()
        .product_avatars()
        .add_motion(&product_motion(generation, "Too soon"))
        .unwrap_err();
    assert_eq!(e.api_code(), Some(40000));
    assert!(e.message().contains("generation_id"), "{}", e.message());
    let e = k2
        .v2()
        .product_avatars()
        .add_motion(&product_motion(generation, "Not mine"))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        k2.v2()
            .product_avatars()
            .get_generation(&batch.batch_id)
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    assert_eq!(server.created("product_avatar"), 0);
}

#[test]
fn product_avatar_failures() {
    let server = mock(0);
    let c = client(&server);
    let mut failing = images_request(2, ImageAspectRatio::Landscape3x2);
    failing.prompt = Some("FAIL_RENDER".into());
    let batch = c.v2().product_avatars().generate_images(&failing).unwrap();
    let state = c
        .v2()
        .product_avatars()
        .get_generation(&batch.batch_id)
        .unwrap();
    assert!(state.is_finished());
    assert_eq!((state.summary.failed, state.summary.completed), (2, 0));
    assert!(state.generations.iter().all(|g| g.status == "failed"));
    let e = c
        .v2()
        .product_avatars()
        .add_motion(&product_motion(&batch.generations[0].generation_id, "Nope"))
        .unwrap_err();
    assert_eq!(e.api_code(), Some(40000));

    let good = c
        .v2()
        .product_avatars()
        .generate_images(&images_request(1, ImageAspectRatio::Landscape3x2))
        .unwrap();
    let mut motion = product_motion(&good.generations[0].generation_id, "Shaky");
    motion.description = "FAIL_RENDER".into();
    let created = c.v2().product_avatars().add_motion(&motion).unwrap();
    let got = c
        .v2()
        .product_avatars()
        .get_motion(&created.motion_id)
        .unwrap();
    assert_eq!(got.status, "failed");
    assert!(got.error_msg.is_some() && got.motion_preview_url.is_none());
    let list = c
        .v2()
        .avatars()
        .list_product(Some(ProductAvatarOrientation::Landscape))
        .unwrap()
        .product_avatars;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, Some(AvatarStatus::Failed));
    assert!(list[0].fail_msg.is_some() && list[0].avatar_url.is_none());
}

#[test]
fn product_avatars_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let batch = cc
        .call(
            "v2.generate_product_avatar_images",
            &json!({"product_image_url": "https://e.com/p.jpg",
                    "avatar_source": {"type": "description", "value": "a cheerful chef"},
                    "quality": "low", "aspect_ratio": "1:1", "num_images": 1}),
        )
        .unwrap();
    assert_eq!(batch["total_submitted"], 1);
    let state = cc
        .call(
            "v2.get_product_avatar_generation",
            &json!({"batch_id": batch["batch_id"]}),
        )
        .unwrap();
    assert_eq!(state["summary"]["completed"], 1);
    let generation = state["generations"][0]["generation_id"].clone();
    let created = cc
        .call(
            "v2.add_product_avatar_motion",
            &json!({"generation_id": generation, "name": "Chef", "voice_id": "en-US-GuyNeural",
                    "description": "stirs", "aspect_ratio": "landscape", "model": 2}),
        )
        .unwrap();
    let motion = cc
        .call(
            "v2.get_product_avatar_motion",
            &json!({"motion_id": created["motion_id"]}),
        )
        .unwrap();
    assert_eq!(motion["status"], "completed");
    assert_eq!(motion["name"], "Chef");
    let list = cc
        .call(
            "v2.list_product_avatars",
            &json!({"aspect_ratio": "landscape"}),
        )
        .unwrap();
    assert_eq!(
        list["product_avatars"][0]["avatar_id"],
        created["avatar_id"]
    );
    assert_eq!(list["product_avatars"][0]["aspect_ratio"], 1);

    // An image source's value is the image's URL: the mock checks it.
    rejected_by_api(
        &cc,
        "v2.generate_product_avatar_images",
        json!({"product_image_url": "https://e.com/p.jpg",
               "avatar_source": {"type": "image", "value": "a photo of me"},
               "quality": "low", "aspect_ratio": "1:1", "num_images": 1}),
        "avatar_source.value",
    );
    let e = cc
        .call(
            "v2.get_product_avatar_motion",
            &json!({"motion_id": "mo_unknown"}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);

    let images = |source: Value, extra: Value| {
        let mut p = json!({"product_image_url": "https://e.com/p.jpg", "avatar_source": source,
                           "quality": "medium", "aspect_ratio": "3:2", "num_images": 2});
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p
    };
    let public = json!({"type": "id", "avatar_id": 81, "avatar_type": "public"});
    refused(
        &server,
        &cc,
        "v2.generate_product_avatar_images",
        images(public.clone(), json!({"aspect_ratio": "16:9"})),
        "aspect_ratio",
    );
    refused(
        &server,
        &cc,
        "v2.generate_product_avatar_images",
        images(public.clone(), json!({"num_images": 5})),
        "num_images",
    );
    refused(
        &server,
        &cc,
        "v2.generate_product_avatar_images",
        images(json!({"type": "id", "avatar_id": 81}), json!({})),
        "avatar_source.avatar_type",
    );
    refused(
        &server,
        &cc,
        "v2.generate_product_avatar_images",
        images(public, json!({"style": "studio"})),
        "style",
    );
    refused(
        &server,
        &cc,
        "v2.add_product_avatar_motion",
        json!({"generation_id": "g", "name": "n", "voice_id": "v"}),
        "description",
    );
    refused(
        &server,
        &cc,
        "v2.add_product_avatar_motion",
        json!({"generation_id": "g", "name": "n", "voice_id": "v", "description": "d", "model": 3}),
        "model",
    );
    refused(
        &server,
        &cc,
        "v2.list_product_avatars",
        json!({"aspect_ratio": "square"}),
        "aspect_ratio",
    );
    assert_eq!(server.created("product_avatar_batch"), 1);
}

// ---------------------------------------------------------------------------------------
// Library and instant avatars

#[test]
fn public_avatars_filter_and_page() {
    let server = mock(0);
    let c = client(&server);
    let page = |n| {
        c.v2()
            .avatars()
            .list_public(&PublicAvatarFilter {
                page: Some(n),
                page_size: Some(20),
                ..Default::default()
            })
            .unwrap()
            .avatars
    };
    let (p1, p2, p3) = (page(1), page(2), page(3));
    assert_eq!((p1.len(), p2.len(), p3.len()), (20, 20, 2));
    let mut ids: Vec<i64> = p1.iter().chain(&p2).chain(&p3).map(|a| a.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 42, "pages are disjoint");
    assert!(
        c.v2()
            .avatars()
            .list_public(&PublicAvatarFilter::default())
            .unwrap()
            .avatars
            .len()
            == 10,
        "default page size"
    );
    let amanda = &p1[0];
    assert_eq!((amanda.id, amanda.aspect_ratio), (81, Some(0)));
    assert!(amanda.name.as_deref().unwrap().starts_with("Amanda"));
    download(amanda.cover_url.as_deref().unwrap());
    assert!(amanda.video_url.is_some());

    let filter = PublicAvatarFilter {
        aspect_ratio: Some(Orientation::Landscape),
        gender: Some(Gender::Female),
        style: Some(AvatarStyle::Professional),
        page_size: Some(100),
        ..Default::default()
    };
    let some = c.v2().avatars().list_public(&filter).unwrap().avatars;
    assert!(!some.is_empty() && some.len() < 42);
    for a in &some {
        assert_eq!(a.aspect_ratio, Some(1));
        assert_eq!(a.gender.as_deref(), Some("female"));
        assert_eq!(a.style.as_deref(), Some("professional"));
    }
    let sent = server.requests().pop().unwrap();
    assert!(
        sent.query
            .contains(&("aspect_ratio".into(), "landscape".into()))
    );
    // Filters the items do not show still narrow the list.
    let narrow = c
        .v2()
        .avatars()
        .list_public(&PublicAvatarFilter {
            scene: Some(Scene::News),
            ethnicity: Some(Ethnicity::NorthAmerican),
            age: Some(AvatarAge::Senior),
            page_size: Some(100),
            ..Default::default()
        })
        .unwrap()
        .avatars;
    assert!(narrow.len() < 6, "{}", narrow.len());
    assert!(narrow.iter().all(|a| a.age.as_deref() == Some("senior")));
}

#[test]
fn public_and_custom_avatars_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let square = cc
        .call(
            "v2.list_public_avatars",
            &json!({"aspect_ratio": "square", "style": "social", "page_size": 100}),
        )
        .unwrap();
    let items = square["avatars"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|a| a["aspect_ratio"] == 2 && a["style"] == "social")
    );
    assert!(items[0]["id"].is_i64(), "v2 names the id `id` (D17)");
    // v1's integer aspect ratio is not the v2 filter (D21).
    refused(
        &server,
        &cc,
        "v2.list_public_avatars",
        json!({"aspect_ratio": 1}),
        "aspect_ratio",
    );
    refused(
        &server,
        &cc,
        "v2.list_public_avatars",
        json!({"page_size": 101}),
        "page_size",
    );
    refused(
        &server,
        &cc,
        "v2.list_public_avatars",
        json!({"hair": "long"}),
        "hair",
    );

    // Instant avatars come only from v1 `create_instant_avatar`; none exist here.
    let custom = cc
        .call(
            "v2.list_custom_avatars",
            &json!({"status": "completed", "name": "anna", "page": 1}),
        )
        .unwrap();
    assert_eq!(custom, json!({"avatars": []}));
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.path, "/v2/avatars/custom");
    assert!(sent.query.contains(&("status".into(), "completed".into())));
    refused(
        &server,
        &cc,
        "v2.list_custom_avatars",
        json!({"status": 1}),
        "status",
    );
    refused(
        &server,
        &cc,
        "v2.list_custom_avatars",
        json!({"status": "success"}),
        "status",
    );
}

#[test]
fn custom_avatars_typed() {
    let (_server, k1, _k2) = two_keys(0);
    let filter = CustomAvatarFilter {
        name: Some("anna".into()),
        status: Some(AvatarStatusFilter::Completed),
        page: Some(1),
        page_size: Some(5),
    };
    let list = k1.v2().avatars().list_custom(&filter).unwrap();
    assert!(list.avatars.is_empty());
    // A photo avatar is not an instant avatar (D62: the spec's list has instant ones only).
    k1.v2()
        .photo_avatars()
        .add_motion(&motion_request("https://example.com/p.png", None, "Anna"))
        .unwrap();
    let list = k1
        .v2()
        .avatars()
        .list_custom(&CustomAvatarFilter::default())
        .unwrap();
    assert!(list.avatars.is_empty());
}

// ---------------------------------------------------------------------------------------
// Voices

#[test]
fn library_voices_page_with_has_more() {
    let server = mock(0);
    let c = client(&server);
    let page = |n| {
        c.v2()
            .voices()
            .list(&LibraryVoiceFilter {
                page: Some(n),
                page_size: Some(5),
                language: Some("english".into()),
                gender: Some(Gender::Female),
                ..Default::default()
            })
            .unwrap()
    };
    let (p1, p2, p3) = (page(1), page(2), page(3));
    assert_eq!(
        (p1.voices.len(), p2.voices.len(), p3.voices.len()),
        (5, 5, 4)
    );
    assert_eq!(
        (p1.has_more, p2.has_more, p3.has_more),
        (Some(true), Some(true), Some(false))
    );
    assert!(p1.total.is_none(), "v2 gives no total (D29)");
    // A last page that is exactly full has nothing after it.
    let exact = c
        .v2()
        .voices()
        .list(&LibraryVoiceFilter {
            page: Some(2),
            page_size: Some(7),
            language: Some("english".into()),
            gender: Some(Gender::Female),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((exact.voices.len(), exact.has_more), (7, Some(false)));
    let mut ids: Vec<_> = [&p1, &p2, &p3]
        .iter()
        .flat_map(|p| p.voices.iter().map(|v| v.voice_id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 14, "pages are disjoint");
    let jenny = &p1.voices[0];
    assert_eq!(jenny.voice_id, "en-US-JennyNeural");
    assert_eq!(jenny.accent.as_deref(), Some("american"));
    assert!(jenny.use_case.is_some());
    download(jenny.audio_url.as_deref().unwrap());

    let news = c
        .v2()
        .voices()
        .list(&LibraryVoiceFilter {
            use_case: Some("news".into()),
            age: Some(VoiceAge::Old),
            page_size: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert!(!news.voices.is_empty());
    assert!(
        news.voices
            .iter()
            .all(|v| { v.use_case.as_deref() == Some("news") && v.age.as_deref() == Some("old") })
    );
    assert_eq!(news.has_more, Some(false));
    let sent = server.requests().pop().unwrap();
    assert!(sent.query.contains(&("age".into(), "old".into())));
}

#[test]
fn custom_voices_belong_to_their_key() {
    let (_server, k1, k2) = two_keys(0);
    let mine = k1.v2().voices().list_custom(None).unwrap();
    assert_eq!(mine.total, Some(3));
    assert_eq!(mine.voices.len(), 3);
    assert!(mine.voices.iter().all(|v| v.voice_id.starts_with("tb_")));
    let spanish = k1.v2().voices().list_custom(Some("spanish")).unwrap();
    assert_eq!(spanish.total, Some(1));
    assert_eq!(spanish.voices[0].language.as_deref(), Some("spanish"));
    let theirs = k2.v2().voices().list_custom(None).unwrap();
    assert!(
        theirs
            .voices
            .iter()
            .all(|v| mine.voices.iter().all(|m| m.voice_id != v.voice_id))
    );
    assert_eq!(
        k1.v2().voices().list_custom(Some("klingon")).unwrap().total,
        Some(0)
    );
}

#[test]
fn voices_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let page = cc
        .call(
            "v2.list_voices",
            &json!({"language": "german", "gender": "male", "page_size": 1}),
        )
        .unwrap();
    assert_eq!(page["voices"].as_array().unwrap().len(), 1);
    assert_eq!(page["voices"][0]["language"], "german");
    assert_eq!(page["has_more"], true);
    assert!(page.get("total").is_none());
    let custom = cc
        .call("v2.list_custom_voices", &json!({"language": "english"}))
        .unwrap();
    assert_eq!(custom["total"], 2);
    assert_eq!(custom["voices"][0]["language"], "english");

    // The G2 page's capitalised gender is wrong (D27, D60); Postman's `only_minmax` is no
    // documented member (D61).
    refused(
        &server,
        &cc,
        "v2.list_voices",
        json!({"gender": "Male"}),
        "gender",
    );
    refused(&server, &cc, "v2.list_voices", json!({"page": 0}), "page");
    refused(
        &server,
        &cc,
        "v2.list_voices",
        json!({"only_minmax": true}),
        "only_minmax",
    );
    // Optional text may be empty (no spec sets a minimum length): it is sent as written.
    cc.call("v2.list_custom_voices", &json!({"language": ""}))
        .unwrap();
    let sent = server.requests().pop().unwrap();
    assert_eq!(sent.query, [("language".to_string(), String::new())]);
}

// ---------------------------------------------------------------------------------------
// Music and visual styles

#[test]
fn music_pages_typed_and_through_jogg_call() {
    let server = mock(0);
    let c = client(&server);
    let p1 = c.v2().music().list(PageParams::default()).unwrap();
    let p3 = c
        .v2()
        .music()
        .list(PageParams {
            page: Some(3),
            page_size: Some(10),
        })
        .unwrap();
    assert_eq!((p1.music.len(), p3.music.len()), (10, 3));
    let pagination = p3.pagination.unwrap();
    assert_eq!(
        (
            pagination.page,
            pagination.total_items,
            pagination.total_pages
        ),
        (Some(3), Some(23), Some(3))
    );
    assert!(
        p1.music
            .iter()
            .all(|m| p3.music.iter().all(|n| n.id != m.id))
    );
    let track = &p1.music[0];
    assert!(track.duration.unwrap() > 0.0);
    download(track.music_url.as_deref().unwrap());

    let cc = CClient::new(&server);
    let p2 = cc
        .call("v2.list_musics", &json!({"page": 2, "page_size": 20}))
        .unwrap();
    assert_eq!(p2["music"].as_array().unwrap().len(), 3);
    refused(
        &server,
        &cc,
        "v2.list_musics",
        json!({"genre": "jazz"}),
        "genre",
    );
}

#[test]
fn visual_styles_by_shape() {
    let server = mock(0);
    let c = client(&server);
    let all = c.v2().visual_styles().list(None).unwrap().visual_styles;
    let square = c
        .v2()
        .visual_styles()
        .list(Some(Orientation::Square))
        .unwrap()
        .visual_styles;
    assert!(!square.is_empty() && square.len() < all.len());
    assert!(square.iter().all(|s| all.contains(s)));
    assert!(all.iter().any(|s| s.name == "Simple split screen template"));
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        sent.query,
        vec![("aspect_ratio".to_string(), "square".to_string())]
    );

    let cc = CClient::new(&server);
    let landscape = cc
        .call(
            "v2.list_visual_styles",
            &json!({"aspect_ratio": "landscape"}),
        )
        .unwrap();
    let names: Vec<&str> = landscape["visual_styles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Picture in picture showcase"));
    assert!(!names.contains(&"Unboxing story"), "portrait only");
    refused(
        &server,
        &cc,
        "v2.list_visual_styles",
        json!({"aspect_ratio": "16:9"}),
        "aspect_ratio",
    );
    refused(
        &server,
        &cc,
        "v2.list_visual_styles",
        json!({"aspect_ratio": -1}),
        "aspect_ratio",
    );
    refused(
        &server,
        &cc,
        "v2.list_visual_styles",
        json!({"kind": "split"}),
        "kind",
    );
}
