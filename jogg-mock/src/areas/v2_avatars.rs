//! v2 avatar lists: the library (the shared catalogue, paged) and the caller's own avatars,
//! newest first.
//!
//! Stores nothing itself. It reads:
//! - `photo_avatar` and `product_avatar` (the motion tasks of `v2_photo_avatars` and
//!   `v2_product_avatars`: each motion task is the avatar it makes);
//! - `instant_avatar`: instant avatars, which only v1 `create_instant_avatar` makes. That
//!   area owns the kind; each record's `data` is expected to hold `avatar_id` (int) and
//!   `name`, and its phase is the avatar's training state.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::catalog::{self, Avatar};
use crate::envelope::ApiError;
use crate::store::{Phase, Record};

use super::v2_photo_avatars::{self as photo, MOTION_FAILURE};
use super::v2_product_avatars as product;
use super::{avatar_code, list_word};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.list_public_avatars", list_public),
    ("v2.list_custom_avatars", list_custom),
    ("v2.list_photo_avatars", list_photo),
    ("v2.list_product_avatars", list_product),
];

/// Instant avatars, stored by the v1 avatars area (see the module comment).
pub(crate) const INSTANT_AVATAR_KIND: &str = "instant_avatar";

/// A v2 aspect-ratio word as the integer the responses use.
fn aspect_code(word: &str) -> u8 {
    match word {
        "portrait" => 0,
        "landscape" => 1,
        _ => 2,
    }
}

fn list_public(call: &Call) -> Result<Value, ApiError> {
    let wanted = |name: &str, value: &str| call.str(name).is_none_or(|w| w == value);
    let matches = |a: &Avatar| {
        call.str("aspect_ratio")
            .is_none_or(|w| aspect_code(w) == a.aspect_ratio)
            && wanted("style", a.style)
            && wanted("gender", a.gender)
            && wanted("age", a.age)
            && wanted("scene", a.scene)
            && wanted("ethnicity", a.ethnicity)
    };
    let base = &call.shared.base_url;
    let all = catalog::avatars()
        .iter()
        .filter(|a| matches(a))
        .map(|a| {
            json!({
                "id": a.id,
                "name": a.name,
                "video_url": format!("{base}/files/avatars/{}.mp4", a.id),
                "cover_url": format!("{base}/files/avatars/{}.jpg", a.id),
                "aspect_ratio": a.aspect_ratio,
                "style": a.style,
                "gender": a.gender,
                "age": a.age,
            })
        })
        .collect();
    // The spec's answer has no paging member: only the page itself.
    let (page, _) = call.paginate(all);
    Ok(json!({"avatars": page}))
}

/// The caller's records of `kind`, newest first, that pass the `name` search (case-blind
/// substring) and `status` filter.
fn own<'a>(call: &Call, records: &'a [Record]) -> Vec<(&'a Record, Phase)> {
    let needle = call.str("name").map(str::to_lowercase);
    records
        .iter()
        .rev()
        .map(|r| (r, call.phase(r)))
        .filter(|(r, phase)| {
            let name = r.data["name"].as_str().unwrap_or_default().to_lowercase();
            needle.as_ref().is_none_or(|n| name.contains(n.as_str()))
                && call.str("status").is_none_or(|s| s == list_word(*phase))
        })
        .collect()
}

fn list_custom(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let all = own(call, store.list(call.key, INSTANT_AVATAR_KIND))
        .into_iter()
        .map(|(r, phase)| {
            let done = phase == Phase::Succeeded;
            let media = |ext| {
                if done {
                    call.media_url(&r.id, ext)
                } else {
                    String::new()
                }
            };
            json!({
                "id": r.data["avatar_id"],
                "name": r.data["name"],
                "video_url": media("mp4"),
                "cover_url": media("jpg"),
                "api_only": true,
                "avatar_status": list_word(phase),
                "fail_msg": if phase == Phase::Failed { "training failed: the face left the frame too often" } else { "" },
                "avatar_url": media("mp4"),
            })
        })
        .collect();
    let (page, _) = call.paginate(all);
    Ok(json!({"avatars": page}))
}

fn fail_msg(phase: Phase) -> &'static str {
    if phase == Phase::Failed {
        MOTION_FAILURE
    } else {
        ""
    }
}

fn list_photo(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let all = own(call, store.list(call.key, photo::MOTION_KIND))
        .into_iter()
        .map(|(r, phase)| {
            // The portrait stands in for the cover until the animation exists.
            let cover = match phase {
                Phase::Succeeded => json!(call.media_url(&r.id, "jpg")),
                _ => r.data["image_url"].clone(),
            };
            json!({
                "id": r.data["avatar_id"],
                "name": r.data["name"],
                "cover_url": cover,
                "status": avatar_code(phase),
                "fail_msg": fail_msg(phase),
            })
        })
        .collect();
    let (page, _) = call.paginate(all);
    Ok(json!({"avatars": page}))
}

fn list_product(call: &Call) -> Result<Value, ApiError> {
    let wanted = call.str("aspect_ratio").map(aspect_code);
    let store = call.store();
    let avatars: Vec<Value> = store
        .list(call.key, product::MOTION_KIND)
        .iter()
        .rev()
        .filter(|r| wanted.is_none_or(|w| r.data["aspect_ratio"].as_u64() == Some(u64::from(w))))
        .map(|r| {
            let phase = call.phase(r);
            let done = phase == Phase::Succeeded;
            json!({
                "avatar_id": r.data["avatar_id"],
                "name": r.data["name"],
                "cover_url": if done { json!(call.media_url(&r.id, "jpg")) } else { r.data["image_url"].clone() },
                "status": avatar_code(phase),
                "fail_msg": fail_msg(phase),
                "avatar_url": if done { call.media_url(&r.id, "mp4") } else { String::new() },
                "aspect_ratio": r.data["aspect_ratio"],
                "gender": r.data["gender"],
            })
        })
        .collect();
    Ok(json!({"product_avatars": avatars}))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{MockConfig, Shared};

    fn call<'a>(shared: &'a Shared, key: &'a str, params: Value) -> Call<'a> {
        let params = params.as_object().cloned().unwrap_or_default();
        Call {
            shared,
            key,
            params,
        }
    }

    /// Instant avatars come from another area's create; stored here the way it stores
    /// them: one ready, one still training, one failed (for k1), one for k2.
    fn seeded() -> Shared {
        let shared = Shared::for_tests(
            MockConfig {
                render_ms: 60_000,
                ..MockConfig::default()
            },
            "http://127.0.0.1:9".to_owned(),
        );
        let add = |key: &str, id: i64, name: &str, age_ms: u64| {
            let maker = call(&shared, key, json!({"name": name}));
            let mut r = maker.new_record(json!({"avatar_id": id, "name": name}));
            r.created -= Duration::from_millis(age_ms);
            shared.store().insert(key, INSTANT_AVATAR_KIND, r);
        };
        add("k1", 11, "Anna Sales Pitch", 120_000);
        add("k1", 12, "Ben Support", 0);
        add("k1", 13, "Carla FAIL_RENDER", 120_000);
        add("k2", 21, "Other Anna", 120_000);
        shared
    }

    fn ids(data: &Value) -> Vec<i64> {
        data["avatars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn custom_list_searches_filters_and_pages_instant_avatars() {
        let shared = seeded();
        let list = |key, params| list_custom(&call(&shared, key, params)).unwrap();
        let all = list("k1", json!({}));
        assert_eq!(ids(&all), [13, 12, 11], "newest first");
        let anna = &all["avatars"][2];
        assert_eq!(anna["avatar_status"], "completed");
        assert!(anna["video_url"].as_str().unwrap().ends_with(".mp4"));
        assert_eq!(all["avatars"][1]["avatar_status"], "processing");
        assert_eq!(all["avatars"][1]["cover_url"], "");
        assert_eq!(all["avatars"][0]["avatar_status"], "failed");
        assert_ne!(all["avatars"][0]["fail_msg"], "");

        assert_eq!(ids(&list("k1", json!({"name": "anna"}))), [11]);
        assert_eq!(ids(&list("k1", json!({"status": "processing"}))), [12]);
        assert_eq!(ids(&list("k1", json!({"status": "failed"}))), [13]);
        assert_eq!(
            ids(&list("k1", json!({"name": "a", "status": "completed"}))),
            [11]
        );
        assert_eq!(ids(&list("k1", json!({"page": 2, "page_size": 2}))), [11]);
        assert_eq!(ids(&list("k2", json!({}))), [21], "keys do not share");
        assert!(ids(&list("k3", json!({}))).is_empty());
    }
}
