//! Signed upload URLs and the files the mock serves (REFERENCE 3.10, 9).
//!
//! `POST /v{1,2}/upload/asset` hands out `/upload/<token>?signature=...` on
//! the mock itself. A PUT there needs no API key, only the signature, and for
//! v2 the declared content type and size, as cloud storage binds them. The
//! file is then served under `/files/assets/<token>/<name>`. Every file under
//! `/files/` honours single `Range` requests, so clients can resume.

use serde_json::{Map, Value, json};

use crate::Shared;
use crate::http::{Request, Response};
use crate::routes::{
    ApiError, base_response, file_not_found, json_object, member, non_empty, optional_string,
};
use crate::state::{ApiVersion, Upload};

/// `POST /v1/upload/asset {filename}` -> `{sign_url, asset_id}`;
/// `POST /v2/upload/asset {filename, content_type, file_size?}` ->
/// `{sign_url, asset_url}`.
pub(crate) fn upload_url(
    shared: &Shared,
    version: ApiVersion,
    body: &[u8],
) -> Result<Value, ApiError> {
    let fields = json_object(body)?;
    let filename = non_empty(optional_string(&fields, "filename")?)
        .ok_or_else(|| ApiError::parameter("filename is required"))?
        .to_owned();
    let (declared_type, declared_size) = match version {
        ApiVersion::V1 => (None, None),
        ApiVersion::V2 => {
            let content_type = non_empty(optional_string(&fields, "content_type")?)
                .ok_or_else(|| ApiError::parameter("content_type is required"))?;
            (Some(content_type.to_owned()), file_size(&fields)?)
        }
    };
    let token = shared.ids.hex32();
    let signature = shared.ids.hex32();
    let sign_url = format!("{}/upload/{token}?signature={signature}", shared.base_url);
    let asset_url = format!(
        "{}/files/assets/{token}/{}",
        shared.base_url,
        encode_segment(&filename)
    );
    let upload = Upload {
        signature,
        content_type: declared_type
            .clone()
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        declared_type,
        declared_size,
        bytes: None,
    };
    shared.state().uploads.insert(token, upload);
    Ok(match version {
        // v1 calls the address of the uploaded file `asset_id`.
        ApiVersion::V1 => json!({ "sign_url": sign_url, "asset_id": asset_url }),
        ApiVersion::V2 => json!({ "sign_url": sign_url, "asset_url": asset_url }),
    })
}

fn file_size(fields: &Map<String, Value>) -> Result<Option<u64>, ApiError> {
    match member(fields, "file_size") {
        None => Ok(None),
        Some(value) => value
            .as_u64()
            .filter(|size| *size >= 1)
            .map(Some)
            .ok_or_else(|| ApiError::parameter("file_size must be an integer >= 1")),
    }
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

/// A refusal from the storage host: plain text, like a bucket's error page
/// and unlike the API's envelope, which clients must not depend on here.
fn refused(status: u16, reason: &str) -> Response {
    base_response(status, "text/plain", reason.as_bytes().to_vec())
}

/// `PUT /upload/<token>?signature=...`: stores the raw body.
pub(crate) fn put_upload(shared: &Shared, request: &Request, token: &str) -> Response {
    let mut state = shared.state();
    let Some(upload) = state.uploads.get_mut(token) else {
        return refused(404, "NoSuchUpload: unknown upload URL");
    };
    if request.query_param("signature") != Some(upload.signature.as_str()) {
        return refused(
            403,
            "SignatureDoesNotMatch: the URL's signature is missing or wrong",
        );
    }
    let sent_type = request.header("content-type");
    if let Some(declared) = &upload.declared_type {
        if sent_type != Some(declared.as_str()) {
            return refused(
                403,
                &format!(
                    "SignatureDoesNotMatch: Content-Type must be {declared}, as declared \
                     when the URL was made"
                ),
            );
        }
    }
    if let Some(size) = upload.declared_size {
        if request.body.len() as u64 != size {
            return refused(
                403,
                &format!("SignatureDoesNotMatch: the body must be the declared {size} bytes"),
            );
        }
    }
    if upload.declared_type.is_none() {
        if let Some(sent) = sent_type.filter(|t| !t.is_empty()) {
            upload.content_type = sent.to_owned();
        }
    }
    upload.bytes = Some(request.body.clone());
    base_response(200, "text/plain", Vec::new())
}

/// `GET /files/assets/<token>/<name>`: an uploaded file, once PUT.
pub(crate) fn asset(shared: &Shared, request: &Request, token: &str) -> Response {
    let found = shared.state().uploads.get(token).and_then(|upload| {
        let bytes = upload.bytes.clone()?;
        Some((bytes, upload.content_type.clone()))
    });
    match found {
        Some((bytes, content_type)) => ranged(shared, request, bytes, &content_type),
        None => file_not_found(shared, request),
    }
}

/// The bytes PUT for the upload behind an asset URL (test hook).
pub(crate) fn uploaded(shared: &Shared, asset_url: &str) -> Option<Vec<u8>> {
    let rest = asset_url.split("/files/assets/").nth(1)?;
    let token = rest.split('/').next()?;
    shared.state().uploads.get(token)?.bytes.clone()
}

/// What a `Range` header asks for, against a file of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    /// Inclusive byte positions.
    Part(usize, usize),
    Unsatisfiable,
}

/// Single ranges only (`bytes=a-b`, `bytes=a-`, `bytes=-n`); anything else
/// is ignored and the whole file is sent, which RFC 9110 allows.
fn wanted(range: Option<&str>, len: usize) -> Wanted {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Wanted::Whole;
    };
    let number = |text: &str| crate::http::parse_digits(text.trim());
    match (first.trim().is_empty(), number(first), number(last)) {
        // Suffix: the last n bytes.
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                Wanted::Unsatisfiable
            } else {
                let n = usize::try_from(n).unwrap_or(usize::MAX).min(len);
                Wanted::Part(len - n, len - 1)
            }
        }
        (false, Some(start), end) => {
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            if start >= len {
                return Wanted::Unsatisfiable;
            }
            let end = match end {
                Some(end) => usize::try_from(end).unwrap_or(usize::MAX),
                None if last.trim().is_empty() => len - 1,
                None => return Wanted::Whole,
            };
            if end < start {
                return Wanted::Whole;
            }
            Wanted::Part(start, end.min(len - 1))
        }
        _ => Wanted::Whole,
    }
}

/// Serves `bytes`, or the part a `Range` header asks for; applies the
/// download-interruption test hook.
pub(crate) fn ranged(
    shared: &Shared,
    request: &Request,
    bytes: Vec<u8>,
    content_type: &str,
) -> Response {
    let len = bytes.len();
    let response = match wanted(request.header("range"), len) {
        Wanted::Whole => base_response(200, content_type, bytes),
        Wanted::Part(start, end) => base_response(206, content_type, bytes[start..=end].to_vec())
            .with_header("Content-Range", format!("bytes {start}-{end}/{len}")),
        Wanted::Unsatisfiable => {
            return base_response(416, "text/plain", Vec::new())
                .with_header("Content-Range", format!("bytes */{len}"))
                .with_header("Accept-Ranges", "bytes");
        }
    };
    let mut response = response.with_header("Accept-Ranges", "bytes");
    response.cut_after = shared.take_download_cut();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=2-"), 10), Wanted::Part(2, 9));
        assert_eq!(wanted(Some("bytes=2-4"), 10), Wanted::Part(2, 4));
        assert_eq!(wanted(Some("bytes=2-40"), 10), Wanted::Part(2, 9));
        assert_eq!(wanted(Some("bytes=-3"), 10), Wanted::Part(7, 9));
        assert_eq!(wanted(Some("bytes=10-"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-1,4-5"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=5-2"), 10), Wanted::Whole);
    }

    #[test]
    fn names_are_encoded() {
        assert_eq!(encode_segment("my photo.png"), "my%20photo.png");
    }
}
