//! The one router: every request the mock answers is resolved here, to an operation of the
//! API description (its path templates, D12: a literal route beats a parameterised one) or to
//! one of the mock's own non-API routes (signed-upload PUTs and the media under `/files/`).
//! The control API under `/_mock/` is not routed here: it is not API traffic, so it is
//! answered before the request log and the faults see it (`control`).
//!
//! Unknown routes are resolved before authentication, so a typo in a path reads as "no such
//! route" rather than "bad key".

use serde_json::Value;

use crate::description::{self, Operation};
use crate::envelope::{CODE_NOT_FOUND, json_response};
use crate::files::{self, Media};
use crate::http::{Request, Response};
use crate::{Shared, api};

/// What a request resolved to.
enum Route<'a> {
    /// An operation of the API, with the values its path template matched.
    Api(&'static Operation, Vec<(String, String)>),
    /// `PUT /upload/<token>`: the body of a signed upload.
    UploadPut(&'a str),
    /// `GET /files/...`: something the mock serves without a key.
    File(Media<'a>),
    Unknown,
}

fn route<'a>(method: &str, path: &'a str) -> Route<'a> {
    if let Some((op, params)) = find_operation(method, path) {
        return Route::Api(op, params);
    }
    match method {
        "PUT" => segment(path, "/upload/").map_or(Route::Unknown, Route::UploadPut),
        "GET" => path
            .strip_prefix("/files/")
            .and_then(file_route)
            .map_or(Route::Unknown, Route::File),
        _ => Route::Unknown,
    }
}

/// Answers one request.
pub(crate) fn dispatch(shared: &Shared, request: &Request) -> Response {
    match route(&request.method, &request.path) {
        Route::Api(op, params) => api::answer(shared, request, op, params),
        Route::UploadPut(token) => files::put_upload(shared, request, token),
        Route::File(media) => files::serve(shared, request, media),
        Route::Unknown => json_response(
            shared,
            404,
            CODE_NOT_FOUND,
            &format!(
                "Not found: no route for {} {}",
                request.method, request.path
            ),
            Value::Null,
        ),
    }
}

/// The API operation a request's method and path resolve to, if any (for the request log).
pub(crate) fn operation(method: &str, path: &str) -> Option<&'static Operation> {
    find_operation(method, path).map(|(op, _)| op)
}

/// The operation whose method and path template match, with the path parameters; a literal
/// segment beats a parameter (`/v2/video_translate/target_languages` is not a translation
/// id, D12), and a trailing slash is optional (the spec's `POST /v2/video_translate/`).
fn find_operation(method: &str, path: &str) -> Option<(&'static Operation, Vec<(String, String)>)> {
    let path = path.trim_end_matches('/');
    description::operations()
        .iter()
        .filter(|op| op.method() == method)
        .filter_map(|op| {
            match_template(op.path().trim_end_matches('/'), path).map(|params| (op, params))
        })
        .min_by_key(|(_, params)| params.len())
}

fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(&p) {
        match ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if !ps.is_empty() => {
                params.push((name.to_owned(), crate::http::percent_decode(ps)));
            }
            Some(_) => return None,
            None if ts == ps => {}
            None => return None,
        }
    }
    Some(params)
}

/// The one non-empty path segment after `prefix`.
fn segment<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    path.strip_prefix(prefix)
        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// Media under `/files/`: task and project outputs, uploaded assets, catalogue media.
fn file_route(name: &str) -> Option<Media<'_>> {
    let nested = |prefix: &str, suffix: &str| name.strip_prefix(prefix)?.strip_suffix(suffix);
    let with_ext = |prefix: &str| name.strip_prefix(prefix)?.rsplit_once('.');
    if let Some((id, ext)) = with_ext("tasks/") {
        Some(Media::Task(id, ext))
    } else if let Some(rest) = name.strip_prefix("assets/") {
        // assets/<token>/<file name>: the name is decoration, the token decides.
        match rest.split_once('/') {
            Some((token, _)) if !token.is_empty() => Some(Media::Asset(token)),
            _ => None,
        }
    } else if let Some(id) = nested("avatars/", ".jpg") {
        Some(Media::AvatarCover(id))
    } else if let Some(id) = nested("avatars/", ".mp4") {
        Some(Media::AvatarVideo(id))
    } else if let Some((id, ext)) = with_ext("templates/") {
        Some(Media::Template(id, ext))
    } else if let Some(id) = nested("music/", ".mp3") {
        Some(Media::Music(id))
    } else if let Some(id) = nested("voices/", ".mp3") {
        Some(Media::VoiceSample(id))
    } else if let Some(id) = name.strip_suffix(".mp4") {
        Some(Media::Task(id, "mp4"))
    } else {
        name.strip_suffix(".jpg").map(|id| Media::Task(id, "jpg"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(method: &str, path: &str) -> Option<(String, Vec<(String, String)>)> {
        match route(method, path) {
            Route::Api(op, params) => Some((op.full_name().to_owned(), params)),
            _ => None,
        }
    }

    #[test]
    fn literal_routes_beat_templates() {
        let (op, params) = api("GET", "/v2/video_translate/target_languages").unwrap();
        assert_eq!(op, "v2.list_translation_languages");
        assert!(params.is_empty());
        let (op, params) = api("GET", "/v2/video_translate/abc").unwrap();
        assert_eq!(op, "v2.get_video_translation");
        assert_eq!(
            params,
            vec![("video_translate_id".to_owned(), "abc".to_owned())]
        );
        let (op, _) = api("POST", "/v2/video_translate").unwrap();
        assert_eq!(op, "v2.create_video_translation");
        let (op, params) = api("PUT", "/v1/endpoint/a%2Fb").unwrap();
        assert_eq!(op, "v1.update_webhook_endpoint");
        assert_eq!(params, vec![("endpoint_id".to_owned(), "a/b".to_owned())]);
        assert!(api("GET", "/v2/nothing").is_none());
        assert!(api("GET", "/v2/lip_sync_video/").is_none());
    }

    #[test]
    fn every_operation_of_the_description_has_a_route_to_itself() {
        for op in description::operations() {
            let path = op.path().replace(['{', '}'], "");
            let (found, _) = api(op.method(), &path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(found, op.full_name());
        }
    }

    #[test]
    fn non_api_routes() {
        assert!(matches!(
            route("PUT", "/upload/tok"),
            Route::UploadPut("tok")
        ));
        assert!(matches!(route("PUT", "/upload/a/b"), Route::Unknown));
        assert!(matches!(
            route("GET", "/files/tasks/t1.srt"),
            Route::File(Media::Task("t1", "srt"))
        ));
        assert!(matches!(
            route("GET", "/files/abc.mp4"),
            Route::File(Media::Task("abc", "mp4"))
        ));
        assert!(matches!(
            route("GET", "/files/assets/tok/a.png"),
            Route::File(Media::Asset("tok"))
        ));
        assert!(matches!(route("GET", "/files/assets/tok"), Route::Unknown));
        assert!(matches!(route("DELETE", "/files/abc.mp4"), Route::Unknown));
    }
}
