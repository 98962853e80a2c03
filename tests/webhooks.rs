//! Verifying and parsing webhook deliveries: every way a signature can be wrong, and every
//! documented event name read into the normalised shape.

use jogg::webhook::{self, known_events};
use jogg::{ErrorKind, TaskStatus};
use serde_json::{Value, json};

const SECRET: &str = "a1b2c3d4e5f6g7h8";

fn body() -> Vec<u8> {
    // Spacing as a server might send it: verification must use these exact bytes.
    br#"{"event_id":"evt_9f2c", "event":"generated_video_success","timestamp":1732806631,
"data":{"project_id":"b1ac30a401234c96ad128303dfb431e2","video_url":"https://cdn.example.com/v.mp4","duration":12.5}}"#
        .to_vec()
}

fn assert_signature_error(result: jogg::Result<()>, fragment: &str) {
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature, "{e}");
    assert_eq!(e.field(), Some("signature"));
    assert!(
        e.message().contains(fragment),
        "{:?} lacks {fragment:?}",
        e.message()
    );
    assert!(
        !e.message().contains(SECRET),
        "the secret leaked: {}",
        e.message()
    );
}

#[test]
fn valid_signature_in_either_case() {
    let b = body();
    let sig = webhook::sign(&b, SECRET);
    assert_eq!(sig.len(), 64);
    assert!(
        sig.bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
    );
    webhook::verify(&b, Some(&sig), SECRET).unwrap();
    webhook::verify(&b, Some(&sig.to_ascii_uppercase()), SECRET).unwrap();
    webhook::verify(&b, Some(&format!(" {sig}\r\n")), SECRET).unwrap();
    // Secrets are used as given, bytes and all.
    webhook::verify(&b, Some(&sig), SECRET.as_bytes()).unwrap();
}

#[test]
fn tampered_body_is_rejected() {
    let b = body();
    let sig = webhook::sign(&b, SECRET);
    let mut tampered = b.clone();
    let at = tampered.windows(4).position(|w| w == b"12.5").unwrap();
    tampered[at] = b'9';
    assert_signature_error(
        webhook::verify(&tampered, Some(&sig), SECRET),
        "does not match",
    );
    // The same JSON re-serialised is a different body (D53).
    let reserialised = serde_json::to_vec(&serde_json::from_slice::<Value>(&b).unwrap()).unwrap();
    assert_signature_error(
        webhook::verify(&reserialised, Some(&sig), SECRET),
        "does not match",
    );
    assert_signature_error(webhook::verify(b"", Some(&sig), SECRET), "does not match");
}

#[test]
fn wrong_secret_is_rejected() {
    let b = body();
    let sig = webhook::sign(&b, SECRET);
    assert_signature_error(
        webhook::verify(&b, Some(&sig), "a1b2c3d4e5f6g7h9"),
        "does not match",
    );
    assert_signature_error(
        webhook::verify(&b, Some(&sig), "A1B2C3D4E5F6G7H8"),
        "does not match",
    );
}

#[test]
fn truncated_or_malformed_signatures_are_rejected() {
    let b = body();
    let sig = webhook::sign(&b, SECRET);
    assert_signature_error(
        webhook::verify(&b, Some(&sig[..63]), SECRET),
        "64 hex digits",
    );
    assert_signature_error(
        webhook::verify(&b, Some(&sig[..32]), SECRET),
        "64 hex digits",
    );
    assert_signature_error(webhook::verify(&b, Some(""), SECRET), "64 hex digits");
    assert_signature_error(
        webhook::verify(&b, Some(&format!("sha256={sig}")), SECRET),
        "64 hex digits",
    );
    assert_signature_error(
        webhook::verify(&b, Some(&format!("{sig}00")), SECRET),
        "64 hex digits",
    );
    let not_hex = format!("{}zz", &sig[..62]);
    assert_signature_error(
        webhook::verify(&b, Some(&not_hex), SECRET),
        "not hexadecimal",
    );
    // Right length, right alphabet, one digit off.
    let mut flipped = sig.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).unwrap();
    assert_signature_error(
        webhook::verify(&b, Some(&flipped), SECRET),
        "does not match",
    );
}

#[test]
fn missing_header_is_rejected() {
    assert_signature_error(webhook::verify(&body(), None, SECRET), "missing");
}

#[test]
fn empty_secret_is_a_caller_error() {
    let b = body();
    let e = webhook::verify(&b, Some(&webhook::sign(&b, "")), "").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("secret"));
}

/// One documented event: its `data` and what the normalised event must say.
struct Case {
    event: &'static str,
    data: Value,
    kind: &'static str,
    id: &'static str,
    video_url: Option<&'static str>,
    cover_url: Option<&'static str>,
    error: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let video_ok = |event, kind| Case {
        event,
        data: json!({"video_id": "v-1", "status": "completed", "video_url": "https://c/v.mp4",
                     "cover_url": "https://c/v.jpg", "duration": 30}),
        kind,
        id: "v-1",
        video_url: Some("https://c/v.mp4"),
        cover_url: Some("https://c/v.jpg"),
        error: None,
    };
    let video_failed = |event, kind| Case {
        event,
        data: json!({"video_id": "v-2", "status": "failed",
                     "error": {"code": 50000, "message": "render crashed"}}),
        kind,
        id: "v-2",
        video_url: None,
        cover_url: None,
        error: Some("render crashed"),
    };
    vec![
        Case {
            event: "generated_video_success",
            data: json!({"project_id": "p1", "video_url": "https://c/p1.mp4", "duration": 12}),
            kind: "video",
            id: "p1",
            video_url: Some("https://c/p1.mp4"),
            cover_url: None,
            error: None,
        },
        Case {
            event: "generated_video_failed",
            data: json!({"project_id": "p2", "error": {"message": "bad script"}}),
            kind: "video",
            id: "p2",
            video_url: None,
            cover_url: None,
            error: Some("bad script"),
        },
        Case {
            event: "create_avatar_success",
            data: json!({"avatar_id": 4242, "status": 1, "cover_url": "https://c/a.jpg"}),
            kind: "avatar",
            id: "4242",
            video_url: None,
            cover_url: Some("https://c/a.jpg"),
            error: None,
        },
        Case {
            event: "create_avatar_failed",
            data: json!({"avatar_id": 4243, "error": "no face found"}),
            kind: "avatar",
            id: "4243",
            video_url: None,
            cover_url: None,
            error: Some("no face found"),
        },
        video_ok("generated_avatar_video_success", "avatar_video"),
        video_failed("generated_avatar_video_failed", "avatar_video"),
        video_ok("generated_product_video_success", "product_video"),
        video_failed("generated_product_video_failed", "product_video"),
        video_ok("generated_template_video_success", "template_video"),
        video_failed("generated_template_video_failed", "template_video"),
        Case {
            event: "generated_translate_video_success",
            data: json!({"video_translate_id": "t-1", "status": "completed",
                         "url": "https://c/t.mp4", "subtitle_url": "https://c/t.srt"}),
            kind: "translate_video",
            id: "t-1",
            video_url: Some("https://c/t.mp4"),
            cover_url: None,
            error: None,
        },
        video_failed("generated_translate_video_failed", "translate_video"),
        Case {
            event: "generated_photo_avatar_success",
            data: json!({"avatar_id": 77, "status": "completed",
                         "preview_url": "https://c/pa.mp4", "cover_url": "https://c/pa.jpg"}),
            kind: "photo_avatar",
            id: "77",
            video_url: Some("https://c/pa.mp4"),
            cover_url: Some("https://c/pa.jpg"),
            error: None,
        },
        Case {
            event: "generated_photo_avatar_failed",
            data: json!({"avatar_id": 78, "status": "failed", "error": {"message": "blurry"}}),
            kind: "photo_avatar",
            id: "78",
            video_url: None,
            cover_url: None,
            error: Some("blurry"),
        },
        Case {
            event: "generated_product_avatar_success",
            data: json!({"avatar_id": 90, "status": "completed",
                         "preview_url": "https://c/pr.mp4"}),
            kind: "product_avatar",
            id: "90",
            video_url: Some("https://c/pr.mp4"),
            cover_url: None,
            error: None,
        },
        Case {
            event: "generated_product_avatar_failed",
            data: json!({"avatar_id": 91, "error_msg": "product not visible"}),
            kind: "product_avatar",
            id: "91",
            video_url: None,
            cover_url: None,
            error: Some("product not visible"),
        },
        Case {
            event: "generated_script_success",
            data: json!({"task_id": "s-1", "status": "completed",
                         "scripts": [{"script_style": "Data", "script_paragraphs": "..."}]}),
            kind: "script",
            id: "s-1",
            video_url: None,
            cover_url: None,
            error: None,
        },
        Case {
            event: "generated_script_failed",
            data: json!({"task_id": "s-2", "status": "failed", "err_msg": "too short"}),
            kind: "script",
            id: "s-2",
            video_url: None,
            cover_url: None,
            error: Some("too short"),
        },
        Case {
            event: "generated_image_success",
            data: json!({"photo_id": "25-abc", "photo_urls": ["https://c/1.jpg"]}),
            kind: "image",
            id: "25-abc",
            video_url: None,
            cover_url: None,
            error: None,
        },
        Case {
            event: "generated_image_failed",
            data: json!({"photo_id": "25-abd", "error": "moderation"}),
            kind: "image",
            id: "25-abd",
            video_url: None,
            cover_url: None,
            error: Some("moderation"),
        },
        Case {
            event: "generated_motion_success",
            data: json!({"motion_id": "25-mo_1", "motion_url": "https://c/m.mp4",
                         "photo_url": "https://c/m.jpg"}),
            kind: "motion",
            id: "25-mo_1",
            video_url: Some("https://c/m.mp4"),
            cover_url: None,
            error: None,
        },
        Case {
            event: "generated_motion_failed",
            data: json!({"motion_id": "25-mo_2", "error": "timeout"}),
            kind: "motion",
            id: "25-mo_2",
            video_url: None,
            cover_url: None,
            error: Some("timeout"),
        },
    ]
}

#[test]
fn every_documented_event_parses() {
    let cases = cases();
    let mut covered: Vec<&str> = cases.iter().map(|c| c.event).collect();
    covered.sort_unstable();
    let mut known = known_events();
    known.sort_unstable();
    assert_eq!(covered, known, "one case per documented event");
    assert_eq!(known.len(), 22);

    for (n, case) in cases.into_iter().enumerate() {
        // Some documented examples have no event_id: every other case omits it.
        let mut delivery = json!({"event": case.event, "timestamp": 1732806631 + n as i64,
                                  "data": case.data.clone()});
        if n % 2 == 0 {
            delivery["event_id"] = json!(format!("evt_{n}"));
        }
        let bytes = serde_json::to_vec(&delivery).unwrap();
        let sig = webhook::sign(&bytes, SECRET);
        let event = webhook::parse(&bytes, Some(&sig), SECRET)
            .unwrap_or_else(|e| panic!("{}: {e}", case.event));
        let want_status = if case.event.ends_with("_success") {
            TaskStatus::Succeeded
        } else {
            TaskStatus::Failed
        };
        assert_eq!(event.event, case.event);
        assert_eq!(event.task_kind, case.kind, "{}", case.event);
        assert_eq!(event.id.as_deref(), Some(case.id), "{}", case.event);
        assert_eq!(event.status, want_status, "{}", case.event);
        assert_eq!(event.video_url.as_deref(), case.video_url, "{}", case.event);
        assert_eq!(event.cover_url.as_deref(), case.cover_url, "{}", case.event);
        assert_eq!(event.error.as_deref(), case.error, "{}", case.event);
        assert_eq!(event.timestamp, Some(1732806631 + n as i64));
        assert_eq!(event.event_id, (n % 2 == 0).then(|| format!("evt_{n}")));
        assert_eq!(event.data, case.data);

        let j = jogg::internals::ffi::shapes::event_json(&event);
        for k in [
            "event",
            "event_id",
            "timestamp",
            "task_kind",
            "id",
            "status",
            "video_url",
            "cover_url",
            "error",
            "data",
        ] {
            assert!(j.get(k).is_some(), "{}: no {k} in {j}", case.event);
        }
        assert_eq!(j["status"], want_status.as_str());
    }
}

#[test]
fn unknown_events_are_accepted() {
    let parse = |event: &str| {
        let bytes = serde_json::to_vec(&json!({"event": event, "timestamp": "17",
                                                "data": {"task_id": 5}}))
        .unwrap();
        webhook::parse(&bytes, Some(&webhook::sign(&bytes, SECRET)), SECRET).unwrap()
    };
    let e = parse("generated_hologram_success");
    assert_eq!(
        (e.task_kind.as_str(), e.status),
        ("hologram", TaskStatus::Succeeded)
    );
    assert_eq!(e.id.as_deref(), Some("5"));
    assert_eq!(e.timestamp, Some(17));
    let e = parse("ping");
    assert_eq!(
        (e.task_kind.as_str(), e.status),
        ("ping", TaskStatus::Unknown)
    );
}

#[test]
fn parse_verifies_first_then_reads() {
    let b = body();
    let e = webhook::parse(&b, Some(&"0".repeat(64)), SECRET).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    let e = webhook::parse(&b, None, SECRET).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
    for bad in [
        &b"not json"[..],
        b"[1,2]",
        br#"{"data":{}}"#,
        br#"{"event":""}"#,
    ] {
        let e = webhook::parse(bad, Some(&webhook::sign(bad, SECRET)), SECRET).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::BadResponse,
            "{}",
            String::from_utf8_lossy(bad)
        );
        assert!(e.message().starts_with("webhook body:"), "{}", e.message());
    }
    let ok = webhook::parse(&b, Some(&webhook::sign(&b, SECRET)), SECRET).unwrap();
    assert_eq!(ok.event_id.as_deref(), Some("evt_9f2c"));
    assert_eq!(ok.id.as_deref(), Some("b1ac30a401234c96ad128303dfb431e2"));
    assert_eq!(ok.error, None);
}
