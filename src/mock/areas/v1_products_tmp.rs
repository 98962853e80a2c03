//! TEMPORARY stand-in for the products area's `v1.create_product`, so the product videos
//! and AI scripts of this branch can be tested alone; the lead drops this file when the
//! products area is merged. It writes the agreed record: kind `"product"`, `Record.id` =
//! `product_id`, `Record.data` = the product object as the API returns it.

use serde_json::{Value, json};

use super::v1_videos::PRODUCT;
use crate::mock::routes::ApiError;
use crate::mock::table::{Call, Handler};

pub(crate) const HANDLERS: &[(&str, Handler)] = &[("v1.create_product", create_product)];

fn create_product(call: &Call) -> Result<Value, ApiError> {
    let mut record = call.new_record(Value::Null);
    let text = |member: &str| call.str(member).unwrap_or_default().to_owned();
    let product = json!({
        "product_id": record.id,
        "url": text("url"),
        "name": text("name"),
        "description": text("description"),
        "target_audience": text("target_audience"),
        "media": call.params.get("media").cloned().unwrap_or(json!([])),
    });
    record.data = product.clone();
    call.store().insert(call.key, PRODUCT, record);
    Ok(product)
}
