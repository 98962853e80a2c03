//! What the mock serves outside the API: the signed upload URLs that accept PUT, and the
//! files under `/files/` (api-notes §3.10, §9).
//!
//! An upload slot is a record of kind [`UPLOAD`] made by `create_upload_url`
//! (`areas::uploads`): the PUT needs no API key, only the URL's signature, and for v2 the
//! declared content type and size, as cloud storage binds them. The file is then served
//! under `/files/assets/<token>/<name>`. Every file under `/files/` honours single `Range`
//! requests, so clients can resume; none needs a key, like the service's media links.

use serde_json::{Value, json};

use crate::Shared;
use crate::catalog;
use crate::envelope::{CODE_NOT_FOUND, base_response, json_response};
use crate::http::{Request, Response};

/// Store kind of upload slots: `Record.id` is the token, `Record.data` holds `signature`,
/// `declared_type`, `declared_size` and the `content_type` the file is served with.
pub(crate) const UPLOAD: &str = "upload";

/// A file under `/files/`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Media<'a> {
    /// The output of a task or project once it has succeeded: `tasks/<id>.<ext>`, or
    /// `<project id>.mp4` and `.jpg`.
    Task(&'a str, &'a str),
    /// An uploaded file: `assets/<token>/<name>`.
    Asset(&'a str),
    /// A library avatar's cover and preview video.
    AvatarCover(&'a str),
    AvatarVideo(&'a str),
    /// A template's cover (`jpg`) or preview (`mp4`).
    Template(&'a str, &'a str),
    /// A background-music track.
    Music(&'a str),
    /// A voice's sample.
    VoiceSample(&'a str),
}

/// Serves one file, or a 404 when it does not exist (yet).
pub(crate) fn serve(shared: &Shared, request: &Request, media: Media) -> Response {
    let file = match media {
        Media::Task(id, ext) if task_succeeded(shared, id) => Some(match ext {
            "jpg" | "png" => (catalog::fake_jpeg(id), "image/jpeg".to_owned()),
            "mp3" | "wav" => (catalog::fake_mp3(id), "audio/mpeg".to_owned()),
            "srt" => (
                b"1\n00:00:00,000 --> 00:00:02,000\nHello\n".to_vec(),
                "text/plain".to_owned(),
            ),
            _ => (catalog::fake_mp4(id), "video/mp4".to_owned()),
        }),
        Media::Task(..) => None,
        Media::Asset(token) => asset(shared, token),
        Media::AvatarCover(id) => catalog::find_avatar(id).map(|a| {
            (
                catalog::fake_jpeg(&a.id.to_string()),
                "image/jpeg".to_owned(),
            )
        }),
        Media::AvatarVideo(id) => catalog::find_avatar(id)
            .map(|a| (catalog::fake_mp4(&a.id.to_string()), "video/mp4".to_owned())),
        Media::Template(id, ext) if id.parse::<u32>().is_ok() => match ext {
            "jpg" => Some((catalog::fake_jpeg(id), "image/jpeg".to_owned())),
            "mp4" => Some((catalog::fake_mp4(id), "video/mp4".to_owned())),
            _ => None,
        },
        Media::Template(..) => None,
        Media::Music(id) => id
            .parse::<u32>()
            .is_ok()
            .then(|| (catalog::fake_mp3(id), "audio/mpeg".to_owned())),
        Media::VoiceSample(id) => match catalog::find_voice(id) {
            Some(voice) => Some((catalog::fake_mp3(voice.voice_id), "audio/mpeg".to_owned())),
            // Cloned ("timbre") voices of the custom-voice lists.
            None if id.starts_with("tb_") => Some((catalog::fake_mp3(id), "audio/mpeg".to_owned())),
            None => None,
        },
    };
    match file {
        Some((bytes, content_type)) => ranged(shared, request, bytes, &content_type),
        None => file_not_found(shared, request),
    }
}

/// Whether the task or project `id` has succeeded, for any key (like signed media URLs on
/// the real service): its output exists from then on.
fn task_succeeded(shared: &Shared, id: &str) -> bool {
    shared
        .store()
        .has_succeeded_task(id, shared.clock.now(), shared.config.render_ms)
}

/// Always HTTP 404: this is a file server, not an API call.
fn file_not_found(shared: &Shared, request: &Request) -> Response {
    json_response(
        shared,
        404,
        CODE_NOT_FOUND,
        &format!("Record not found: file {}", request.path),
        Value::Null,
    )
}

/// A refusal from the storage host: plain text, like a bucket's error page
/// and unlike the API's envelope, which clients must not depend on here.
fn refused(status: u16, reason: &str) -> Response {
    base_response(status, "text/plain", reason.as_bytes().to_vec())
}

/// `PUT /upload/<token>?signature=...`: stores the raw body.
pub(crate) fn put_upload(shared: &Shared, request: &Request, token: &str) -> Response {
    let mut store = shared.store();
    let Some(slot) = store.find_any_mut(UPLOAD, token) else {
        return refused(404, "NoSuchUpload: unknown upload URL");
    };
    if request.query_param("signature") != slot.data["signature"].as_str() {
        return refused(
            403,
            "SignatureDoesNotMatch: the URL's signature is missing or wrong",
        );
    }
    let sent_type = request.header("content-type");
    let declared_type = slot.data["declared_type"].as_str();
    if let Some(declared) = declared_type
        && sent_type != Some(declared)
    {
        return refused(
            403,
            &format!(
                "SignatureDoesNotMatch: Content-Type must be {declared}, as declared \
                     when the URL was made"
            ),
        );
    }
    if let Some(size) = slot.data["declared_size"].as_u64()
        && request.body.len() as u64 != size
    {
        return refused(
            403,
            &format!("SignatureDoesNotMatch: the body must be the declared {size} bytes"),
        );
    }
    if declared_type.is_none()
        && let Some(sent) = sent_type.filter(|t| !t.is_empty())
    {
        slot.data["content_type"] = json!(sent);
    }
    store.put_upload(token, request.body.clone());
    base_response(200, "text/plain", Vec::new())
}

/// An uploaded file and its type, once PUT.
fn asset(shared: &Shared, token: &str) -> Option<(Vec<u8>, String)> {
    let store = shared.store();
    let bytes = store.uploaded(token)?.to_vec();
    let (_, slot) = store.find_any(UPLOAD, token)?;
    let content_type = slot.data["content_type"]
        .as_str()
        .unwrap_or("application/octet-stream");
    Some((bytes, content_type.to_owned()))
}

/// The bytes PUT for the upload behind an asset URL (test hook).
pub(crate) fn uploaded(shared: &Shared, asset_url: &str) -> Option<Vec<u8>> {
    let rest = asset_url.split("/files/assets/").nth(1)?;
    let token = rest.split('/').next()?;
    shared.store().uploaded(token).map(<[u8]>::to_vec)
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
/// download-interruption fault.
fn ranged(shared: &Shared, request: &Request, bytes: Vec<u8>, content_type: &str) -> Response {
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
    response.cut_after = shared.faults.take_download_cut();
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
}
