//! v1 visual styles and templates: fixed catalogues. Templates are designed in the web app,
//! so "your" templates are the same fixed set for every key here; the video handlers
//! (`v1_videos`) check template ids against these lists.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_visual_styles", list_visual_styles),
    ("v1.list_templates", list_templates),
    ("v1.list_custom_templates", list_custom_templates),
];

/// (id, name, aspect ratios it exists in).
pub(super) const VISUAL_STYLES: &[(i64, &str, &[i64])] = &[
    (3100, "Simple split screen template", &[0, 1, 2]),
    (3101, "Simple Product Switch", &[0, 1]),
    (3102, "Picture in picture", &[0, 1, 2]),
    (3103, "Full screen avatar", &[0]),
    (3104, "Product showcase", &[1, 2]),
    (3105, "Green screen overlay", &[0, 1]),
    (3106, "Carousel", &[2]),
];

/// A template: (id, name, aspect ratio).
pub(super) type Template = (i64, &'static str, i64);

/// The library: every aspect ratio has several templates.
pub(super) const LIBRARY: &[Template] = &[
    (136, "Robot vacuum launch", 0),
    (137, "Morning routine", 0),
    (138, "Unboxing", 0),
    (139, "Tech explainer", 1),
    (140, "Product comparison", 1),
    (141, "Customer story", 1),
    (142, "Flash sale", 2),
    (143, "Recipe card", 2),
    (144, "Before and after", 0),
    (145, "Top three reasons", 1),
];

/// Your templates.
pub(super) const CUSTOM: &[Template] = &[
    (2400, "Charger promo", 0),
    (2401, "Spring newsletter", 1),
    (2402, "Store opening", 2),
];

pub(super) fn find(templates: &[Template], id: i64) -> Option<&Template> {
    templates.iter().find(|t| t.0 == id)
}

/// The template a render names, or 10104; with `accept_any_ids`, an unknown id stands for a
/// template of the caller's account that the mock has never seen.
pub(super) fn lookup(call: &Call, templates: &[Template], id: i64) -> Result<Template, ApiError> {
    match find(templates, id) {
        Some(template) => Ok(*template),
        None if call.shared.config.accept_any_ids => Ok((id, "Your template", 0)),
        None => Err(ApiError::not_found(format!(
            "template {id} (jogg-mock takes any id when started with --accept-any-ids)"
        ))),
    }
}

/// The `aspect_ratio` filter: absent or -1 is every shape.
fn shape_matches(call: &Call, ratio: i64) -> bool {
    match call.i64("aspect_ratio") {
        None | Some(-1) => true,
        Some(wanted) => wanted == ratio,
    }
}

fn list_visual_styles(call: &Call) -> Result<Value, ApiError> {
    let styles: Vec<Value> = VISUAL_STYLES
        .iter()
        .filter(|(_, _, ratios)| ratios.iter().any(|r| shape_matches(call, *r)))
        .map(|(id, name, _)| json!({"id": id, "name": name}))
        .collect();
    Ok(json!({"visual_styles": styles}))
}

fn template_list(call: &Call, templates: &[Template]) -> Value {
    let base = &call.shared.base_url;
    let items: Vec<Value> = templates
        .iter()
        .filter(|(_, _, ratio)| shape_matches(call, *ratio))
        .map(|(id, name, ratio)| {
            json!({
                "id": id,
                "name": name,
                "cover_url": format!("{base}/files/templates/{id}.jpg"),
                "preview_url": format!("{base}/files/templates/{id}.mp4"),
                "aspect_ratio": ratio,
            })
        })
        .collect();
    json!({"templates": items})
}

fn list_templates(call: &Call) -> Result<Value, ApiError> {
    Ok(template_list(call, LIBRARY))
}

fn list_custom_templates(call: &Call) -> Result<Value, ApiError> {
    Ok(template_list(call, CUSTOM))
}
