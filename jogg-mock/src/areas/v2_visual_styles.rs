//! v2 visual styles: the fixed list of product-video layouts, each made for some frame
//! shapes. Stores nothing.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[("v2.list_visual_styles", list_visual_styles)];

/// (id, name, shapes it renders in).
pub(super) const STYLES: &[(u32, &str, &[&str])] = &[
    (
        2400,
        "Simple split screen template",
        &["portrait", "landscape"],
    ),
    (
        2401,
        "Full screen avatar with captions",
        &["portrait", "landscape", "square"],
    ),
    (
        2402,
        "Product close-up with voice-over",
        &["portrait", "square"],
    ),
    (2403, "Picture in picture showcase", &["landscape"]),
    (2404, "Unboxing story", &["portrait"]),
    (2405, "Side by side comparison", &["landscape", "square"]),
    (2406, "Bold headline carousel", &["square"]),
    (2407, "Lifestyle montage", &["portrait", "landscape"]),
    // The name in the vendor's own v2 examples.
    (
        2408,
        "Dynamic Showcase",
        &["portrait", "landscape", "square"],
    ),
];

fn list_visual_styles(call: &Call) -> Result<Value, ApiError> {
    let styles: Vec<Value> = STYLES
        .iter()
        .filter(|(_, _, shapes)| call.str("aspect_ratio").is_none_or(|a| shapes.contains(&a)))
        .map(|(id, name, _)| json!({"id": id, "name": name}))
        .collect();
    Ok(json!({"visual_styles": styles}))
}
