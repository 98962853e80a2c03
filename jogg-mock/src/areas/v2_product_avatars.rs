//! v2 product avatars: a batch of AI images of someone presenting a product, then a motion
//! task that turns one finished image into a product avatar.
//!
//! Store kinds:
//! - `product_avatar_batch`: one record per batch (id `batch_<hex>`), listing its images.
//! - `product_avatar_image`: one record per image of a batch (id `gen_<hex>`); statuses
//!   pending -> processing -> completed | failed. A batch is done when none is pending or
//!   processing.
//! - `product_avatar`: one record per motion task (id `mo_<hex>`), which is also the product
//!   avatar it makes (`data.avatar_id`); `GET /v2/avatars/product_avatars` lists these.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::catalog;
use crate::envelope::ApiError;
use crate::store::Phase;

use super::task_word;
use super::v2_photo_avatars::motion_view;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.generate_product_avatar_images", generate),
    ("v2.get_product_avatar_generation", get_generation),
    ("v2.add_product_avatar_motion", add_motion),
    ("v2.get_product_avatar_motion", get_motion),
];

pub(crate) const BATCH_KIND: &str = "product_avatar_batch";
pub(crate) const IMAGE_KIND: &str = "product_avatar_image";
pub(crate) const MOTION_KIND: &str = "product_avatar";

/// Product avatar ids count up from here, apart from library and photo avatar ids.
const FIRST_AVATAR_ID: i64 = 300_001;

fn generate(call: &Call) -> Result<Value, ApiError> {
    let source = &call.params["avatar_source"];
    let value = source.get("value").and_then(Value::as_str);
    // The spec describes `value` as the image's URL for an image source.
    if source["type"] == "image"
        && !value.is_some_and(|v| v.starts_with("https://") || v.starts_with("http://"))
    {
        return Err(ApiError::parameter(
            "avatar_source.value: must be an http:// or https:// image URL when type is \"image\"",
        ));
    }
    // A library avatar lends its gender to the product avatar made later.
    let gender = match (source["type"].as_str(), source["avatar_type"].as_str()) {
        (Some("id"), Some("public")) => source["avatar_id"]
            .as_i64()
            .and_then(|id| catalog::find_avatar(&id.to_string()))
            .map_or("", |a| a.gender),
        _ => "",
    };
    let count = call.i64("num_images").unwrap_or(1).clamp(1, 4);
    let aspect = call.str("aspect_ratio").unwrap_or("1:1");
    let mut batch = call.new_record(Value::Null);
    batch.id = format!("batch_{}", batch.id);
    let images: Vec<_> = (0..count)
        .map(|_| {
            let mut image = call.new_record(json!({
                "batch_id": batch.id,
                "aspect_ratio": aspect,
                "gender": gender,
                "image_id": format!("img_{}", &call.shared.ids.hex32()[..16]),
            }));
            image.id = format!("gen_{}", image.id);
            image
        })
        .collect();
    let generations: Vec<Value> = images
        .iter()
        .map(|r| json!({"generation_id": r.id, "status": "pending", "created_at": r.created_unix}))
        .collect();
    batch.data = json!({
        "generation_ids": images.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
    });
    let batch_id = batch.id.clone();
    let mut store = call.store();
    store.insert(call.key, BATCH_KIND, batch);
    for image in images {
        store.insert(call.key, IMAGE_KIND, image);
    }
    Ok(json!({"batch_id": batch_id, "total_submitted": count, "generations": generations}))
}

fn get_generation(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("batch_id");
    let store = call.store();
    let batch = store
        .get(call.key, BATCH_KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("product avatar batch {id}")))?;
    let done_at = |created: u64| created + call.shared.config.render_ms.div_ceil(1000);
    let mut counts = [0usize; 4];
    let generations: Vec<Value> = batch.data["generation_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| store.get(call.key, IMAGE_KIND, g.as_str()?))
        .map(|image| {
            let phase = call.phase(image);
            let slot = match phase {
                Phase::Pending => 0,
                Phase::Processing => 1,
                Phase::Succeeded => 2,
                Phase::Failed => 3,
            };
            counts[slot] += 1;
            let mut item = json!({
                "generation_id": image.id,
                "status": task_word(phase),
                "created_at": image.created_unix,
            });
            if matches!(phase, Phase::Succeeded | Phase::Failed) {
                item["completed_at"] = json!(done_at(image.created_unix));
            }
            if phase == Phase::Succeeded {
                item["image_id"] = image.data["image_id"].clone();
                item["url"] = json!(call.media_url(&image.id, "jpg"));
            }
            item
        })
        .collect();
    let [pending, processing, completed, failed] = counts;
    Ok(json!({
        "batch_id": id,
        "summary": {
            "total": generations.len(),
            "pending": pending,
            "processing": processing,
            "completed": completed,
            "failed": failed,
        },
        "generations": generations,
    }))
}

/// Integer aspect ratio of an image ratio, or of a v2 word.
fn aspect_code(value: &str) -> i64 {
    match value {
        "2:3" | "portrait" => 0,
        "3:2" | "landscape" => 1,
        _ => 2,
    }
}

fn add_motion(call: &Call) -> Result<Value, ApiError> {
    let generation_id = call.str("generation_id").unwrap_or_default();
    let mut store = call.store();
    let image = store
        .get(call.key, IMAGE_KIND, generation_id)
        .ok_or_else(|| ApiError::not_found(format!("product avatar image {generation_id}")))?;
    let phase = call.phase(image);
    if phase != Phase::Succeeded {
        return Err(ApiError::parameter(format!(
            "generation_id: image {generation_id} is {}, not completed",
            task_word(phase)
        )));
    }
    let aspect = call
        .str("aspect_ratio")
        .or_else(|| image.data["aspect_ratio"].as_str())
        .map_or(2, aspect_code);
    let gender = image.data["gender"].clone();
    let image_url = call.media_url(&image.id, "jpg");
    let avatar_id = FIRST_AVATAR_ID + store.created(MOTION_KIND) as i64;
    let name = call.str("name").unwrap_or_default().to_owned();
    let mut record = call.new_record(json!({
        "avatar_id": avatar_id,
        "generation_id": generation_id,
        "image_url": image_url,
        "name": name,
        "voice_id": call.str("voice_id"),
        "description": call.str("description"),
        "model": call.i64("model").unwrap_or(0),
        "aspect_ratio": aspect,
        "gender": gender,
    }));
    record.id = format!("mo_{}", record.id);
    let motion_id = record.id.clone();
    store.insert(call.key, MOTION_KIND, record);
    Ok(json!({"avatar_id": avatar_id, "motion_id": motion_id, "name": name}))
}

fn get_motion(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("motion_id");
    let store = call.store();
    let record = store
        .get(call.key, MOTION_KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("product avatar motion {id}")))?;
    Ok(motion_view(call, record))
}
