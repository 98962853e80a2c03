//! v1 video renders: talking avatar, template, legacy variable, product URL and preview.
//! Each becomes a project (store kind [`PROJECT`]) that `GET /v1/project` follows through
//! `status_code` 1, 2, 3 and 4 or 5 (api-notes §6.1); a talking-avatar render also announces
//! its end to the owner's webhook endpoints (`webhooks`).
//!
//! Reads the `"product"` records of the products area (`Record.id` = `product_id`,
//! `Record.data` = the product object as the API returns it).

use std::time::Instant;

use serde_json::{Map, Value, json};

use super::v1_templates;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::Record;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    (
        "v1.create_video_from_talking_avatar",
        create_video_from_talking_avatar,
    ),
    ("v1.get_project", get_project),
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

/// Store kind of v1 projects: `Record.data` holds `title` and `duration` (seconds of the
/// finished video).
pub(crate) const PROJECT: &str = "project";

/// Assumed speaking rate, to turn a script into a video length and to size generated
/// scripts (about 150 words a minute).
const CHARS_PER_SECOND: usize = 15;
/// Length reported for audio-driven videos, whose audio the mock never fetches.
const AUDIO_VIDEO_SECONDS: u64 = 10;
/// Title given to talking-avatar projects created without `video_name`.
const DEFAULT_TITLE: &str = "Untitled talking avatar video";

/// v1 `status_code` values (api-notes §6.1) that the simulation goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenderStatus {
    Start,
    Waiting,
    Processing,
    Success,
    Failed,
}

impl RenderStatus {
    fn code(self) -> i64 {
        match self {
            RenderStatus::Start => 1,
            RenderStatus::Waiting => 2,
            RenderStatus::Processing => 3,
            RenderStatus::Success => 4,
            RenderStatus::Failed => 5,
        }
    }

    fn description(self) -> &'static str {
        match self {
            RenderStatus::Start => "start",
            RenderStatus::Waiting => "waiting",
            RenderStatus::Processing => "processing",
            RenderStatus::Success => "success",
            RenderStatus::Failed => "failed",
        }
    }
}

/// A project's status at `now` for a render lasting `render_ms`: the first 10 % is
/// "start", up to 25 % "waiting", then "processing" until done. Integer arithmetic keeps
/// the thresholds exact.
pub(crate) fn project_status(project: &Record, now: Instant, render_ms: u64) -> RenderStatus {
    let elapsed = now.saturating_duration_since(project.created).as_millis();
    let total = u128::from(render_ms);
    if elapsed >= total || project.ended.is_some() {
        return if project.fails {
            RenderStatus::Failed
        } else {
            RenderStatus::Success
        };
    }
    if elapsed * 100 < total * 10 {
        RenderStatus::Start
    } else if elapsed * 100 < total * 25 {
        RenderStatus::Waiting
    } else {
        RenderStatus::Processing
    }
}

fn script_seconds(script: &str) -> u64 {
    let chars = script.chars().count() as u64;
    chars.div_ceil(CHARS_PER_SECOND as u64).max(1)
}

/// Adds a project owned by the caller, lasting as long as `script` takes to say (or the
/// audio default), failing if `fails`.
fn add_project(call: &Call, title: String, script: Option<&str>, fails: bool) -> Record {
    let duration = script.map_or(AUDIO_VIDEO_SECONDS, script_seconds);
    let mut record = call.new_record(json!({"title": title, "duration": duration}));
    record.fails = fails;
    call.store().insert(call.key, PROJECT, record.clone());
    record
}

/// Adds a project for the renders other than the talking avatar. They fail when the fail
/// marker is anywhere in the request (as `Call::new_record` does), so a marked request hands
/// its whole text over as the script; a failed project has no duration, so the substitution
/// shows nowhere else.
fn start_project(call: &Call, title: String, script: String) -> Value {
    let marker = call.shared.config.fail_marker.as_str();
    let request_text = Value::Object(call.params.clone()).to_string();
    let marked = !marker.is_empty() && request_text.contains(marker);
    let script = if marked { request_text } else { script };
    let project = add_project(call, title, Some(&script), marked);
    json!({"project_id": project.id})
}

/// `POST /v1/create_video_from_talking_avatar`: the project fails when its script carries
/// the fail marker; its end is delivered to the owner's webhook endpoints.
fn create_video_from_talking_avatar(call: &Call) -> Result<Value, ApiError> {
    let marker = call.shared.config.fail_marker.as_str();
    let script = call.str("script");
    let fails = !marker.is_empty() && script.is_some_and(|s| s.contains(marker));
    let title = title_or(call, || DEFAULT_TITLE.to_owned());
    let project = add_project(call, title, script, fails);
    let at = project.finishes_at(call.shared.config.render_ms);
    call.shared.hub.schedule(at, project.id.clone());
    Ok(json!({"project_id": project.id}))
}

/// `GET /v1/project`. Result URLs exist only once the render succeeded, as on the service.
fn get_project(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("project_id");
    let store = call.store();
    let project = store
        .get(call.key, PROJECT, &id)
        .ok_or_else(|| ApiError::not_found(format!("project {id}")))?;
    let shared = call.shared;
    let status = project_status(project, shared.clock.now(), shared.config.render_ms);
    let done = status == RenderStatus::Success;
    let file_url = |extension: &str| {
        if done {
            format!("{}/files/{}.{extension}", shared.base_url, project.id)
        } else {
            String::new()
        }
    };
    Ok(json!({
        "id": project.id,
        "title": project.data["title"],
        "video_duration": if done { project.data["duration"].clone() } else { json!(0) },
        "video_url": file_url("mp4"),
        "cover_url": file_url("jpg"),
        "status_code": status.code(),
        "status_desc": status.description(),
        "created_at": project.created_unix,
    }))
}

fn title_or(call: &Call, fallback: impl FnOnce() -> String) -> String {
    call.str("video_name")
        .filter(|n| !n.trim().is_empty())
        .map_or_else(fallback, str::to_owned)
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
    let template = v1_templates::lookup(call, templates, template_id)?;
    // What the description requires of each variable type was checked by its judge; the
    // script variables are what gets spoken.
    let spoken: Vec<String> = variables(call)
        .iter()
        .filter(|v| v.get("type").and_then(Value::as_str) == Some("script"))
        .filter_map(|v| properties(v)?.get("content")?.as_str())
        .map(str::to_owned)
        .collect();
    let title = title_or(call, || template.1.to_owned());
    Ok(start_project(call, title, spoken.join(" ")))
}

fn create_video_with_variables(call: &Call) -> Result<Value, ApiError> {
    // The description holds `lang` to this operation's 27 languages and `without_tts` to 0
    // or 1. The template type is free text here (D24): look in both collections.
    let template_id = call.i64("template_id").unwrap_or_default();
    let template = match v1_templates::find(v1_templates::LIBRARY, template_id) {
        Some(template) => *template,
        None => v1_templates::lookup(call, v1_templates::CUSTOM, template_id)?,
    };
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
        v1_templates::lookup(call, templates, template_id)?;
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
    let (name, script) = product_video(call)?;
    let title = title_or(call, || name);
    Ok(start_project(call, title, script))
}

fn create_preview_video(call: &Call) -> Result<Value, ApiError> {
    let (name, script) = product_video(call)?;
    Ok(start_project(call, format!("Preview: {name}"), script))
}

#[cfg(test)]
mod tests {
    //! Time-dependent rules checked with synthetic instants, which the black-box tests
    //! cannot do without sleeping.

    use std::time::Duration;

    use super::*;

    #[test]
    fn status_follows_render_fractions() {
        let mut project = Record {
            id: "p".to_owned(),
            created: Instant::now(),
            created_unix: 0,
            fails: false,
            ended: None,
            data: json!({}),
        };
        let at = |ms: u64| project.created + Duration::from_millis(ms);
        let status = |p: &Record, ms: u64| project_status(p, at(ms), 1000);
        assert_eq!(status(&project, 0), RenderStatus::Start);
        assert_eq!(status(&project, 99), RenderStatus::Start);
        assert_eq!(status(&project, 100), RenderStatus::Waiting);
        assert_eq!(status(&project, 249), RenderStatus::Waiting);
        assert_eq!(status(&project, 250), RenderStatus::Processing);
        assert_eq!(status(&project, 999), RenderStatus::Processing);
        assert_eq!(status(&project, 1000), RenderStatus::Success);
        assert_eq!(project_status(&project, at(0), 0), RenderStatus::Success);
        project.fails = true;
        assert_eq!(status(&project, 1000), RenderStatus::Failed);
    }

    #[test]
    fn script_length_drives_duration() {
        assert_eq!(script_seconds(""), 1);
        assert_eq!(script_seconds(&"a".repeat(15)), 1);
        assert_eq!(script_seconds(&"a".repeat(16)), 2);
    }
}
