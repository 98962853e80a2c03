//! v2 AI scripts: an async task that writes a few short scripts about a product.
//!
//! Store kind: `ai_script` (one record per task; `data` keeps what the scripts are written
//! from). Statuses: pending -> processing -> completed | failed (api-notes §6.2).

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::store::Phase;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v2.create_ai_scripts", create),
    ("v2.get_ai_scripts_result", get),
];

pub(crate) const KIND: &str = "ai_script";

/// The v2 styles; a task writes the requested one first, then two others for variety.
const STYLES: &[&str] = &[
    "Don't Worry",
    "Storytime",
    "Discovery",
    "Data",
    "Top 3 reasons",
    "Light marketing",
];

/// Kind of the v2 products area's records, read only to name a product given by id.
const PRODUCT_KIND: &str = "product";

fn create(call: &Call) -> Result<Value, ApiError> {
    let info = &call.params["product_info"];
    let data = &info["data"];
    let text = |name: &str| data.get(name).and_then(Value::as_str);
    // The description says which members each source needs (its judge has checked them);
    // other members are tolerated, as the Postman collection sends name and description
    // along with an id (D40).
    let (product, about) = match info["source_type"].as_str() {
        Some("id") => (product_name(call, text("id").unwrap_or_default()), None),
        _ => (
            text("name").unwrap_or_default().to_owned(),
            text("description").map(str::to_owned),
        ),
    };
    let mut record = call.new_record(json!({
        "product": product,
        "about": about,
        "style": call.str("script_style"),
        "length": call.str("video_length_seconds"),
        "audience": call.str("target_audience"),
        "language": call.str("language"),
    }));
    record.id = format!("task_{}", record.id);
    let id = record.id.clone();
    call.store().insert(call.key, KIND, record);
    Ok(json!({"task_id": id}))
}

/// A saved product's name when the products area stored one under this key, else a neutral
/// phrase: the id is not checked here, the products area owns those records.
fn product_name(call: &Call, id: &str) -> String {
    call.store()
        .get(call.key, PRODUCT_KIND, id)
        .and_then(|r| r.data.get("name")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "this product".to_owned())
}

fn get(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("task_id");
    let store = call.store();
    let record = store
        .get(call.key, KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("AI script task {id}")))?;
    Ok(match call.phase(record) {
        Phase::Pending => json!({"task_id": id, "status": "pending"}),
        Phase::Processing => json!({"task_id": id, "status": "processing"}),
        Phase::Failed => json!({
            "task_id": id,
            "status": "failed",
            "err_msg": "Failed to generate script: the product information was too thin to write from",
        }),
        Phase::Succeeded => json!({
            "task_id": id,
            "status": "completed",
            "data": {"generated_scripts": scripts(&record.data)},
        }),
    })
}

fn scripts(input: &Value) -> Vec<Value> {
    let asked = input["style"].as_str().unwrap_or(STYLES[0]);
    let others = STYLES.iter().copied().filter(|s| *s != asked).take(2);
    std::iter::once(asked)
        .chain(others)
        .map(|style| json!({"script_style": style, "script_paragraphs": paragraphs(input, style)}))
        .collect()
}

/// Paragraph count follows the video length: about one paragraph per 12 seconds.
fn paragraphs(input: &Value, style: &str) -> Vec<String> {
    let product = input["product"].as_str().unwrap_or("this product");
    let audience = input["audience"].as_str().unwrap_or("everyone");
    let count = match input["length"].as_str() {
        Some("15") => 2,
        Some("60") => 5,
        _ => 3,
    };
    let opening = match style {
        "Storytime" => format!("Last week I finally tried {product}, and here is what happened."),
        "Discovery" => format!("I did not expect much from {product}. I was wrong."),
        "Data" => format!("Nine in ten testers kept using {product} after the first week."),
        "Top 3 reasons" => format!("Three reasons {product} belongs in your day."),
        "Light marketing" => format!("Meet {product}: small change, big difference."),
        _ => format!("Worried it is too good to be true? {product} is simpler than you think."),
    };
    let mut out = vec![opening];
    if let Some(about) = input["about"].as_str() {
        out.push(about.to_owned());
    }
    out.push(format!(
        "Made for {audience}, it fits right into your routine."
    ));
    out.push("It takes a minute to start and keeps paying off every day.".to_owned());
    out.push("People who switched say they will not go back.".to_owned());
    out.truncate(count - 1);
    out.push(format!("Try {product} today."));
    out
}
