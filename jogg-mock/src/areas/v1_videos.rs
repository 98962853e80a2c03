//! v1 video renders other than the talking avatar: template, legacy variable, product URL
//! and preview. Each becomes a project of the same simulation as
//! `create_video_from_talking_avatar` (mock `state`), so `GET /v1/project` and
//! `wait_for_project` follow it through `status_code` 1, 2, 3 and 4 or 5.
//!
//! Reads the `"product"` records of the products area (`Record.id` = `product_id`,
//! `Record.data` = the product object as the API returns it).

use serde_json::{Map, Value, json};

use super::{v1_music, v1_templates};
use crate::routes::ApiError;
use crate::state::NewProject;
use crate::table::{Call, Handler};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.create_video_with_template", create_video_with_template),
    (
        "v1.create_video_with_variables",
        create_video_with_variables,
    ),
    ("v1.create_video_from_url", create_video_from_url),
    ("v1.create_preview_video", create_preview_video),
];

/// Store kind of products (written by the products area).
pub(super) const PRODUCT: &str = "product";

/// Speaking rate of the project simulation (`state`), to size generated scripts.
const CHARS_PER_SECOND: usize = 15;

/// The languages `/create_video_with_variable` lists: the first 27 of the 54 (REFERENCE 2.3).
const LEGACY_LANGUAGES: &[&str] = &[
    "english",
    "filipino",
    "french",
    "german",
    "hindi",
    "indonesian",
    "italian",
    "japanese",
    "korean",
    "malay",
    "portuguese",
    "russian",
    "spanish",
    "thai",
    "vietnamese",
    "arabic",
    "greek",
    "turkish",
    "slovenian",
    "croatian",
    "romanian",
    "chinese",
    "bengali",
    "urdu",
    "hungarian",
    "traditional-chinese",
    "polish",
];

/// Adds a project owned by the caller. The simulation decides failure from the script it
/// is given, while table operations fail when the marker is anywhere in the request (as
/// `Call::new_record` does), so a marked request hands its whole text over as the script;
/// a failed project has no duration, so the substitution shows nowhere else.
fn start_project(call: &Call, title: String, script: String) -> Value {
    let shared = call.shared;
    let marker = shared.config.fail_marker.as_str();
    let request_text = Value::Object(call.params.clone()).to_string();
    let script = if !marker.is_empty() && request_text.contains(marker) {
        request_text
    } else {
        script
    };
    let id = shared.ids.hex32();
    shared.state().add_project(
        id.clone(),
        call.key,
        NewProject {
            title,
            script: Some(&script),
        },
        marker,
        &shared.clock,
    );
    json!({"project_id": id})
}

fn title_or(call: &Call, fallback: impl FnOnce() -> String) -> String {
    call.str("video_name")
        .filter(|n| !n.trim().is_empty())
        .map_or_else(fallback, str::to_owned)
}

fn check_music(call: &Call) -> Result<(), ApiError> {
    match call.i64("music_id") {
        Some(id) if !v1_music::exists(id) => Err(ApiError::not_found(format!("music {id}"))),
        _ => Ok(()),
    }
}

fn variables<'a>(call: &'a Call) -> &'a [Value] {
    call.params
        .get("variables")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn properties(variable: &Value) -> Option<&Map<String, Value>> {
    variable.get("properties").and_then(Value::as_object)
}

fn create_video_with_template(call: &Call) -> Result<Value, ApiError> {
    let template_id = call.i64("template_id").unwrap_or_default();
    let templates = match call.str("template_type") {
        Some("user") => v1_templates::CUSTOM,
        _ => v1_templates::LIBRARY,
    };
    let template = v1_templates::find(templates, template_id)
        .ok_or_else(|| ApiError::not_found(format!("template {template_id}")))?;
    check_music(call)?;
    let mut spoken = Vec::new();
    for (i, variable) in variables(call).iter().enumerate() {
        let props = properties(variable);
        let has = |member: &str| props.is_some_and(|p| p.contains_key(member));
        match variable.get("type").and_then(Value::as_str) {
            Some(kind @ ("text" | "script")) => {
                if !has("content") {
                    return Err(ApiError::parameter(format!(
                        "variables[{i}].properties.content: {kind} variables need content"
                    )));
                }
                if kind == "script" {
                    let content = props.and_then(|p| p.get("content")).and_then(Value::as_str);
                    spoken.push(content.unwrap_or_default().to_owned());
                }
            }
            Some(kind) if !has("url") && !has("asset_id") => {
                return Err(ApiError::parameter(format!(
                    "variables[{i}].properties: {kind} variables need url or asset_id"
                )));
            }
            _ => {}
        }
    }
    let title = title_or(call, || template.1.to_owned());
    Ok(start_project(call, title, spoken.join(" ")))
}

fn create_video_with_variables(call: &Call) -> Result<Value, ApiError> {
    let lang = call.str("lang").unwrap_or_default();
    if !LEGACY_LANGUAGES.contains(&lang) {
        return Err(ApiError::parameter(format!(
            "lang: {lang:?} is not one of this operation's languages ({})",
            LEGACY_LANGUAGES.join(", ")
        )));
    }
    if let Some(v) = call.i64("without_tts").filter(|v| !matches!(v, 0 | 1)) {
        return Err(ApiError::parameter(format!(
            "without_tts: must be 0 or 1 (got {v})"
        )));
    }
    // The template type is free text here (D24): look in both collections.
    let template_id = call.i64("template_id").unwrap_or_default();
    let template = v1_templates::find(v1_templates::CUSTOM, template_id)
        .or_else(|| v1_templates::find(v1_templates::LIBRARY, template_id))
        .ok_or_else(|| ApiError::not_found(format!("template {template_id}")))?;
    let mut spoken = vec![call.str("text").unwrap_or_default().to_owned()];
    for variable in variables(call) {
        if let Some(content) = properties(variable)
            .and_then(|p| p.get("content"))
            .and_then(Value::as_str)
        {
            spoken.push(content.to_owned());
        }
    }
    Ok(start_project(call, template.1.to_owned(), spoken.join(" ")))
}

/// The product a product video is about, or 10104.
fn product(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("product_id");
    call.store()
        .get(call.key, PRODUCT, &id)
        .map(|r| r.data.clone())
        .ok_or_else(|| ApiError::not_found(format!("product {id}")))
}

/// The checks shared by the product renders; returns the product's name and the script.
fn product_video(call: &Call) -> Result<(String, String), ApiError> {
    let product = product(call)?;
    if let Some(template_id) = call.i64("template_id") {
        let templates = match call.str("template_type") {
            Some("custom") => v1_templates::CUSTOM,
            _ => v1_templates::LIBRARY,
        };
        if v1_templates::find(templates, template_id).is_none() {
            return Err(ApiError::not_found(format!("template {template_id}")));
        }
    }
    if let Some(style) = call.str("visual_style") {
        if !v1_templates::VISUAL_STYLES.iter().any(|s| s.1 == style) {
            return Err(ApiError::parameter(format!(
                "visual_style: {style:?} is not a name from /visual_styles"
            )));
        }
    }
    let name = product["name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .unwrap_or("Untitled product")
        .to_owned();
    let script = match call.str("override_script") {
        Some(script) => script.to_owned(),
        None => {
            let seconds: usize = call
                .str("video_length")
                .and_then(|l| l.parse().ok())
                .unwrap_or(15);
            let description = product["description"].as_str().unwrap_or_default();
            written_script(&name, description, seconds * CHARS_PER_SECOND)
        }
    };
    Ok((name, script))
}

/// A stand-in for the AI script: the product's own words, repeated to the video length.
fn written_script(name: &str, description: &str, chars: usize) -> String {
    let sentence = format!("Meet {name}. {description} ");
    sentence.chars().cycle().take(chars).collect()
}

fn create_video_from_url(call: &Call) -> Result<Value, ApiError> {
    check_music(call)?;
    let (name, script) = product_video(call)?;
    let title = title_or(call, || name);
    Ok(start_project(call, title, script))
}

fn create_preview_video(call: &Call) -> Result<Value, ApiError> {
    let (name, script) = product_video(call)?;
    Ok(start_project(call, format!("Preview: {name}"), script))
}
