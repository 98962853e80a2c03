//! Signed upload URLs (api-notes §3.10, §9): `create_upload_url` hands out
//! `/upload/<token>?signature=...` on the mock itself and the address the file will have,
//! `/files/assets/<token>/<name>`. The slot is a record of kind `files::UPLOAD`; `files`
//! takes the PUT and serves the file.
//!
//! v1 takes a file name and calls the file's address `asset_id`; v2 also takes the content
//! type and size the PUT must match, and calls the address `asset_url`.

use serde_json::{Value, json};

use crate::api::{Call, Handler};
use crate::envelope::ApiError;
use crate::files::UPLOAD;

pub(crate) const HANDLERS: &[(&str, Handler)] = &[
    ("v1.create_upload_url", create_v1),
    ("v2.create_upload_url", create_v2),
];

fn create_v1(call: &Call) -> Result<Value, ApiError> {
    let (sign_url, asset_url) = open_slot(call, None, None);
    Ok(json!({ "sign_url": sign_url, "asset_id": asset_url }))
}

fn create_v2(call: &Call) -> Result<Value, ApiError> {
    let content_type = call.str("content_type").unwrap_or_default().to_owned();
    let size = call.params.get("file_size").and_then(Value::as_u64);
    let (sign_url, asset_url) = open_slot(call, Some(content_type), size);
    Ok(json!({ "sign_url": sign_url, "asset_url": asset_url }))
}

/// Stores an upload slot and returns its signed URL and the file's future address.
fn open_slot(call: &Call, declared_type: Option<String>, size: Option<u64>) -> (String, String) {
    let shared = call.shared;
    let filename = call.str("filename").unwrap_or_default();
    let token = shared.ids.hex32();
    let signature = shared.ids.hex32();
    let base = &shared.base_url;
    let sign_url = format!("{base}/upload/{token}?signature={signature}");
    let asset_url = format!("{base}/files/assets/{token}/{}", encode_segment(filename));
    let content_type = declared_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let mut record = call.new_record(json!({
        "signature": signature,
        "declared_type": declared_type,
        "declared_size": size,
        "content_type": content_type,
    }));
    record.id = token;
    record.fails = false;
    call.store().insert(call.key, UPLOAD, record);
    (sign_url, asset_url)
}

/// Percent-encodes a file name for a URL path segment.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded() {
        assert_eq!(encode_segment("my photo.png"), "my%20photo.png");
    }
}
