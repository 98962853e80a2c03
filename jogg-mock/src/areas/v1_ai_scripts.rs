//! v1 AI scripts: synchronous, one script per style, written from a stored product (the
//! `"product"` records of the products area) or from the name and description given.

use serde_json::{Value, json};

use super::v1_videos::PRODUCT;
use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[("v1.generate_ai_scripts", generate)];

/// The styles the generator answers with: names from both versions' lists, as the real
/// generator mixes them (D25).
const STYLES: &[&str] = &["Don't Worry", "Storytime", "Discovery", "Light marketing"];

fn generate(call: &Call) -> Result<Value, ApiError> {
    let (name, description, stored_audience) = match call.str("product_id") {
        Some(id) => {
            let store = call.store();
            let product = &store
                .get(call.key, PRODUCT, id)
                .ok_or_else(|| ApiError::not_found(format!("product {id}")))?
                .data;
            let text = |member: &str| product[member].as_str().unwrap_or_default().to_owned();
            (text("name"), text("description"), text("target_audience"))
        }
        None => (
            call.str("name").unwrap_or_default().to_owned(),
            call.str("description").unwrap_or_default().to_owned(),
            String::new(),
        ),
    };
    let audience = call
        .str("target_audience")
        .map(str::to_owned)
        .filter(|a| !a.is_empty())
        .or(Some(stored_audience).filter(|a| !a.is_empty()))
        .unwrap_or_else(|| "everyone".to_owned());
    // Longer videos get more sentences: roughly one per seven seconds.
    let sentences = match call.str("video_length").unwrap_or("30") {
        "15" => 2,
        "60" => 8,
        _ => 4,
    };
    let language = call.str("language").unwrap_or("english");
    let scripts: Vec<Value> = STYLES
        .iter()
        .map(|style| {
            let text = script(style, &name, &description, &audience, sentences);
            // Other languages are marked rather than translated.
            let text = if language == "english" {
                text
            } else {
                format!("[{language}] {text}")
            };
            json!({"script_paragraphs": text, "script_style": style})
        })
        .collect();
    Ok(json!({"generated_scripts": scripts}))
}

fn script(style: &str, name: &str, description: &str, audience: &str, sentences: usize) -> String {
    let opening = match style {
        "Don't Worry" => format!("Worried about the little things? {name} has you covered."),
        "Storytime" => format!("Last week I finally tried {name}, and here is what happened."),
        "Discovery" => format!("I just found something great: {name}."),
        _ => format!("Looking for an easy upgrade? Say hello to {name}."),
    };
    let body = [
        description.to_owned(),
        format!("It was made with {audience} in mind."),
        format!("{name} fits right into your day."),
        "It is simple to start with and hard to put down.".to_owned(),
        "People who try it keep coming back to it.".to_owned(),
        "Every detail is there for a reason.".to_owned(),
        format!("Give {name} a try and see the difference."),
    ];
    let mut parts = vec![opening];
    parts.extend(
        body.into_iter()
            .filter(|s| !s.is_empty())
            .take(sentences - 1),
    );
    parts.join(" ")
}
