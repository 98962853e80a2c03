//! v2 templates: a fixed library, and a fixed set of "your" templates (designed in the web
//! app, so there is no operation that creates one), the same for every key. Template
//! renders look their template up here.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.list_templates", list_templates),
    ("v2.list_custom_templates", list_custom_templates),
    ("v2.get_custom_template", get_custom_template),
];

pub(crate) struct Template {
    pub(crate) id: i64,
    pub(crate) name: &'static str,
    /// 0 portrait, 1 landscape, 2 square.
    pub(crate) aspect_ratio: i64,
    /// (type, name, required)
    pub(crate) variables: &'static [(&'static str, &'static str, bool)],
}

const SHOWCASE: &[(&str, &str, bool)] = &[
    ("text", "title", true),
    ("script", "script", true),
    ("image", "product_image", false),
];
const CLIP: &[(&str, &str, bool)] = &[
    ("script", "script", true),
    ("video", "background_video", false),
];

/// The library (ids of the vendor examples first).
const LIBRARY: &[Template] = &[
    template(149, "Product Showcase", 1, SHOWCASE),
    template(143, "Security Camera Add-on", 0, SHOWCASE),
    template(108, "Toyland Cartoon Stickers", 0, CLIP),
    template(151, "Morning Routine", 0, CLIP),
    template(152, "Unboxing Day", 1, SHOWCASE),
    template(153, "Square Promo", 2, SHOWCASE),
    template(154, "Quick Tip", 2, CLIP),
];

/// "Your" templates.
const CUSTOM: &[Template] = &[
    template(2001, "Spring Sale Announcement", 0, SHOWCASE),
    template(2002, "Weekly Update", 1, CLIP),
    template(2003, "Customer Story", 1, SHOWCASE),
    template(2004, "Square Teaser", 2, CLIP),
];

const fn template(
    id: i64,
    name: &'static str,
    aspect_ratio: i64,
    variables: &'static [(&'static str, &'static str, bool)],
) -> Template {
    Template {
        id,
        name,
        aspect_ratio,
        variables,
    }
}

/// A library or custom template by id, for renders.
pub(crate) fn find(id: i64) -> Option<&'static Template> {
    LIBRARY.iter().chain(CUSTOM).find(|t| t.id == id)
}

/// What a render of a template the mock has never seen uses, with `accept_any_ids`.
const UNSEEN: Template = template(0, "Your template", 1, SHOWCASE);

/// The template a render names, or 10104 (see [`crate::MockConfig::accept_any_ids`]).
pub(crate) fn lookup(call: &Call, id: i64) -> Result<&'static Template, ApiError> {
    match find(id) {
        Some(template) => Ok(template),
        None if call.shared.config.accept_any_ids => Ok(&UNSEEN),
        None => Err(ApiError::not_found(format!(
            "template {id} (jogg-mock takes any id when started with --accept-any-ids)"
        ))),
    }
}

fn ratio_code(word: &str) -> i64 {
    match word {
        "portrait" => 0,
        "landscape" => 1,
        _ => 2,
    }
}

/// Cover and preview live under `/files/templates/`.
fn summary(call: &Call, t: &Template) -> Value {
    let base = &call.shared.base_url;
    json!({
        "id": t.id,
        "name": t.name,
        "cover_url": format!("{base}/files/templates/{}.jpg", t.id),
        "preview_url": format!("{base}/files/templates/{}.mp4", t.id),
        "aspect_ratio": t.aspect_ratio,
    })
}

fn filtered(call: &Call, templates: &[Template]) -> Value {
    let wanted = call.str("aspect_ratio").map(ratio_code);
    let list: Vec<Value> = templates
        .iter()
        .filter(|t| wanted.is_none_or(|w| t.aspect_ratio == w))
        .map(|t| summary(call, t))
        .collect();
    json!({ "templates": list })
}

fn list_templates(call: &Call) -> Result<Value, ApiError> {
    Ok(filtered(call, LIBRARY))
}

fn list_custom_templates(call: &Call) -> Result<Value, ApiError> {
    Ok(filtered(call, CUSTOM))
}

/// The spec names the id `template_id` here; `required` comes from the spec's detail
/// schema and the guide (D19).
fn get_custom_template(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("id");
    let t = id
        .parse::<i64>()
        .ok()
        .and_then(|n| CUSTOM.iter().find(|t| t.id == n))
        .ok_or_else(|| ApiError::not_found(format!("custom template {id}")))?;
    let mut out = summary(call, t);
    let obj = out.as_object_mut().expect("summary is an object");
    let id = obj.remove("id").unwrap_or_default();
    obj.insert("template_id".into(), id);
    let variables: Vec<Value> = t
        .variables
        .iter()
        .map(|(kind, name, required)| json!({"type": kind, "name": name, "required": required}))
        .collect();
    obj.insert("variables".into(), Value::from(variables));
    Ok(out)
}
