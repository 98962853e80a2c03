//! Products, shared by v1 and v2 (and by the v1 product-video handlers).
//!
//! Kind `"product"`: `Record.id` is the `product_id` (32 hex) and `Record.data` is the
//! product object exactly as the API returns it:
//! `{product_id, url, name, description, target_audience, media: [{type, name, url,
//! description}]}`. Strings the caller never set are `""` and `media` is `[]`.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.list_products", list),
    ("v1.create_product", create),
    ("v1.update_product", update),
];

pub(crate) const KIND: &str = "product";

/// The product object of `product_id` for the caller's key, or 10104.
pub(crate) fn find(call: &Call, product_id: &str) -> Result<Value, ApiError> {
    call.store()
        .get(call.key, KIND, product_id)
        .map(|record| record.data.clone())
        .ok_or_else(|| ApiError::not_found(format!("product {product_id}")))
}

/// `data` is a bare array of product objects (D4), oldest first.
fn list(call: &Call) -> Result<Value, ApiError> {
    let store = call.store();
    let products: Vec<Value> = store
        .list(call.key, KIND)
        .iter()
        .map(|r| r.data.clone())
        .collect();
    Ok(Value::from(products))
}

/// Creates from a page URL or from the caller's description (the schema already requires
/// one of `url`/`name`, D57). A URL stands for a crawl: members the caller did not give are
/// filled from the page, here from the URL's last path segment; given members win (G2
/// allows both).
pub(crate) fn create(call: &Call) -> Result<Value, ApiError> {
    let mut record = call.new_record(Value::Null);
    let url = call.str("url").unwrap_or_default();
    let crawled_name = (!url.is_empty()).then(|| name_from_url(url));
    let name = call
        .str("name")
        .map(str::to_owned)
        .or(crawled_name)
        .unwrap_or_default();
    let description = match call.str("description") {
        Some(d) => d.to_owned(),
        None if !url.is_empty() => format!("{name}, as described on its product page."),
        None => String::new(),
    };
    record.data = json!({
        "product_id": record.id,
        "url": url,
        "name": name,
        "description": description,
        "target_audience": call.str("target_audience").unwrap_or_default(),
        "media": media(call.params.get("media")),
    });
    let product = record.data.clone();
    call.store().insert(call.key, KIND, record);
    Ok(product)
}

/// Changes the given members; `media` replaces the whole list. No payload (D4).
pub(crate) fn update(call: &Call) -> Result<Value, ApiError> {
    let id = call.id("product_id");
    let mut store = call.store();
    let record = store
        .get_mut(call.key, KIND, &id)
        .ok_or_else(|| ApiError::not_found(format!("product {id}")))?;
    for field in ["name", "description", "target_audience"] {
        if let Some(value) = call.str(field) {
            record.data[field] = json!(value);
        }
    }
    if let Some(list) = call.params.get("media") {
        record.data["media"] = media(Some(list));
    }
    Ok(Value::Null)
}

/// Media items with every member present, as the API returns them.
fn media(list: Option<&Value>) -> Value {
    let items = list
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .map(|m| {
            json!({
                "type": m.get("type").cloned().unwrap_or(json!(1)),
                "name": m.get("name").and_then(Value::as_str).unwrap_or_default(),
                "url": m.get("url").and_then(Value::as_str).unwrap_or_default(),
                "description": m.get("description").and_then(Value::as_str).unwrap_or_default(),
            })
        })
        .collect()
}

/// `https://shop.example.com/p/happy-blush-rose?x=1` reads as "Happy Blush Rose".
fn name_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let segment = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty() && !s.contains('.'))
        .unwrap_or("Product");
    segment
        .split(['-', '_', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_last_segment() {
        assert_eq!(
            name_from_url("https://shop.example.com/p/happy-blush_rose?x=1"),
            "Happy Blush Rose"
        );
        assert_eq!(name_from_url("https://shop.example.com/"), "Product");
        assert_eq!(name_from_url("https://shop.example.com"), "Product");
    }
}
