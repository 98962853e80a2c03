//! Route table, v1 video handlers and request validation; webhook endpoints
//! live in `endpoints`, uploads and media in `files`.
//!
//! Validation follows the v1 OpenAPI spec strictly (types, enums, required
//! members) with the documented corrections: `video_name` is a free string
//! (D34) and `voice_id` is only required with `script` (D36). Unknown body
//! members and query parameters are ignored (D24/D61). JSON `null` counts as
//! an absent member, the way the real (Go-style) backend treats zero values.

use std::fmt::Display;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::{self, Avatar, Voice};
use crate::http::{self, Request, Response};
use crate::state::{Admission, ApiVersion, NewProject, Project, RenderStatus};
use crate::{Shared, endpoints, files};

/// Envelope codes used by the mock (REFERENCE 5).
pub(crate) const CODE_OK: i64 = 0;
pub(crate) const CODE_RATE_LIMITED: i64 = 429;
pub(crate) const CODE_NOT_FOUND: i64 = 10104;
pub(crate) const CODE_BAD_KEY: i64 = 10105;
pub(crate) const CODE_PARAMETER: i64 = 40000;
pub(crate) const CODE_INTERNAL: i64 = 50000;

/// Lets clients and bug reports tell which mock build answered.
const VERSION_HEADER: &str = "Jogg-Mock-Version";
const MOCK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Title given to projects created without `video_name`.
const DEFAULT_TITLE: &str = "Untitled talking avatar video";

/// A business error: becomes an envelope with `data: null`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) code: i64,
    pub(crate) msg: String,
}

impl ApiError {
    /// A 40000 whose message names the offending field first.
    pub(crate) fn parameter(detail: impl Display) -> Self {
        ApiError {
            code: CODE_PARAMETER,
            msg: format!("Parameter error: {detail}"),
        }
    }

    pub(crate) fn not_found(what: impl Display) -> Self {
        ApiError {
            code: CODE_NOT_FOUND,
            msg: format!("Record not found: {what}"),
        }
    }

    fn bad_key() -> Self {
        ApiError {
            code: CODE_BAD_KEY,
            msg: "Invalid or missing API key (x-api-key header)".to_owned(),
        }
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    code: i64,
    msg: &'a str,
    data: T,
    rid: String,
}

/// What a request resolved to.
enum Route<'a> {
    CreateTalkingAvatar,
    Project,
    Avatars,
    Voices,
    Endpoints,
    CreateEndpoint(ApiVersion),
    UpdateEndpoint(ApiVersion, &'a str),
    DeleteEndpoint(ApiVersion, &'a str),
    Events(ApiVersion),
    UploadUrl(ApiVersion),
    UploadPut(&'a str),
    Asset(&'a str),
    ProjectVideo(&'a str),
    /// A library avatar's preview video (`/files/avatars/<id>.mp4`).
    AvatarVideo(&'a str),
    /// A template's cover or preview (`/files/templates/<id>.<jpg|mp4>`).
    TemplateMedia(&'a str, &'a str),
    /// A background-music track (`/files/music/<id>.mp3`).
    MusicTrack(&'a str),
    /// The output of a table-driven task (`/files/tasks/<id>.<ext>`).
    TaskMedia(&'a str, &'a str),
    ProjectCover(&'a str),
    AvatarCover(&'a str),
    VoiceSample(&'a str),
    Unknown,
}

fn route<'a>(method: &str, path: &'a str) -> Route<'a> {
    use ApiVersion::{V1, V2};
    match (method, path) {
        ("POST", "/v1/create_video_from_talking_avatar") => Route::CreateTalkingAvatar,
        ("GET", "/v1/project") => Route::Project,
        ("GET", "/v1/avatars") => Route::Avatars,
        ("GET", "/v1/voices") => Route::Voices,
        ("GET", "/v1/endpoints" | "/v2/endpoints") => Route::Endpoints,
        ("POST", "/v1/endpoint") => Route::CreateEndpoint(V1),
        ("POST", "/v2/endpoint") => Route::CreateEndpoint(V2),
        ("GET", "/v1/events") => Route::Events(V1),
        ("GET", "/v2/events") => Route::Events(V2),
        ("POST", "/v1/upload/asset") => Route::UploadUrl(V1),
        ("POST", "/v2/upload/asset") => Route::UploadUrl(V2),
        ("PUT", _) => {
            if let Some(token) = segment(path, "/upload/") {
                Route::UploadPut(token)
            } else {
                endpoint_id(path).map_or(Route::Unknown, |(v, id)| Route::UpdateEndpoint(v, id))
            }
        }
        ("DELETE", _) => {
            endpoint_id(path).map_or(Route::Unknown, |(v, id)| Route::DeleteEndpoint(v, id))
        }
        ("GET", _) => path
            .strip_prefix("/files/")
            .map_or(Route::Unknown, file_route),
        _ => Route::Unknown,
    }
}

/// The one non-empty path segment after `prefix`.
fn segment<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    path.strip_prefix(prefix)
        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// `/v1/endpoint/{id}` or `/v2/endpoint/{id}`.
fn endpoint_id(path: &str) -> Option<(ApiVersion, &str)> {
    segment(path, "/v1/endpoint/")
        .map(|id| (ApiVersion::V1, id))
        .or_else(|| segment(path, "/v2/endpoint/").map(|id| (ApiVersion::V2, id)))
}

/// Media under `/files/`: project outputs, avatar covers, voice samples.
fn file_route(name: &str) -> Route<'_> {
    let nested = |prefix: &str, suffix: &str| name.strip_prefix(prefix)?.strip_suffix(suffix);
    if let Some((id, ext)) = name.strip_prefix("tasks/").and_then(|f| f.rsplit_once('.')) {
        Route::TaskMedia(id, ext)
    } else if let Some(rest) = name.strip_prefix("assets/") {
        // assets/<token>/<file name>: the name is decoration, the token decides.
        match rest.split_once('/') {
            Some((token, _)) if !token.is_empty() => Route::Asset(token),
            _ => Route::Unknown,
        }
    } else if let Some(id) = nested("avatars/", ".jpg") {
        Route::AvatarCover(id)
    } else if let Some(id) = nested("avatars/", ".mp4") {
        Route::AvatarVideo(id)
    } else if let Some((id, ext)) = name
        .strip_prefix("templates/")
        .and_then(|f| f.rsplit_once('.'))
    {
        Route::TemplateMedia(id, ext)
    } else if let Some(id) = nested("music/", ".mp3") {
        Route::MusicTrack(id)
    } else if let Some(id) = nested("voices/", ".mp3") {
        Route::VoiceSample(id)
    } else if let Some(id) = name.strip_suffix(".mp4") {
        Route::ProjectVideo(id)
    } else if let Some(id) = name.strip_suffix(".jpg") {
        Route::ProjectCover(id)
    } else {
        Route::Unknown
    }
}

/// Answers one request. Unknown routes are resolved before authentication,
/// so a typo in a path reads as "no such route" rather than "bad key".
pub(crate) fn dispatch(shared: &Shared, request: &Request) -> Response {
    match route(&request.method, &request.path) {
        Route::CreateTalkingAvatar => with_key(shared, request, create_talking_avatar),
        Route::Project => with_key(shared, request, |shared, request, key| {
            finish(shared, get_project(shared, request, key))
        }),
        Route::Avatars => with_key(shared, request, |shared, request, _| {
            finish(shared, list_avatars(shared, request))
        }),
        Route::Voices => with_key(shared, request, |shared, request, _| {
            finish(shared, list_voices(shared, request))
        }),
        Route::Endpoints => with_key(shared, request, |shared, _, key| {
            finish(shared, Ok(endpoints::list(shared, key)))
        }),
        Route::CreateEndpoint(version) => with_key(shared, request, |shared, request, key| {
            limited_post(shared, key, || {
                finish(
                    shared,
                    endpoints::create(shared, key, version, &request.body),
                )
            })
        }),
        Route::UpdateEndpoint(version, id) => with_key(shared, request, |shared, request, key| {
            finish(
                shared,
                endpoints::update(shared, key, version, id, &request.body),
            )
        }),
        Route::DeleteEndpoint(version, id) => with_key(shared, request, |shared, _, key| {
            finish(shared, endpoints::delete(shared, key, version, id))
        }),
        Route::Events(version) => with_key(shared, request, |shared, _, _| {
            finish(shared, Ok(endpoints::events(version)))
        }),
        Route::UploadUrl(version) => with_key(shared, request, |shared, request, key| {
            limited_post(shared, key, || {
                finish(shared, files::upload_url(shared, version, &request.body))
            })
        }),
        Route::UploadPut(token) => files::put_upload(shared, request, token),
        Route::Asset(token) => files::asset(shared, request, token),
        Route::ProjectVideo(id) => project_media(shared, request, id, MediaKind::Video),
        Route::ProjectCover(id) => project_media(shared, request, id, MediaKind::Cover),
        Route::TaskMedia(id, ext) if crate::table::task_media_exists(shared, id) => {
            let (body, content_type) = match ext {
                "jpg" | "png" => (catalog::fake_jpeg(id), "image/jpeg"),
                "mp3" | "wav" => (catalog::fake_mp3(id), "audio/mpeg"),
                "srt" => (
                    b"1\n00:00:00,000 --> 00:00:02,000\nHello\n".to_vec(),
                    "text/plain",
                ),
                _ => (catalog::fake_mp4(id), "video/mp4"),
            };
            files::ranged(shared, request, body, content_type)
        }
        Route::TaskMedia(..) => file_not_found(shared, request),
        Route::MusicTrack(id) if id.parse::<u32>().is_ok() => {
            files::ranged(shared, request, catalog::fake_mp3(id), "audio/mpeg")
        }
        Route::MusicTrack(_) => file_not_found(shared, request),
        Route::AvatarCover(id) => match catalog::find_avatar(id) {
            Some(avatar) => files::ranged(
                shared,
                request,
                catalog::fake_jpeg(&avatar.id.to_string()),
                "image/jpeg",
            ),
            None => file_not_found(shared, request),
        },
        Route::VoiceSample(id) => match catalog::find_voice(id) {
            Some(voice) => files::ranged(
                shared,
                request,
                catalog::fake_mp3(voice.voice_id),
                "audio/mpeg",
            ),
            // Cloned ("timbre") voices of the custom-voice lists.
            None if id.starts_with("tb_") => {
                files::ranged(shared, request, catalog::fake_mp3(id), "audio/mpeg")
            }
            None => file_not_found(shared, request),
        },
        Route::AvatarVideo(id) => match catalog::find_avatar(id) {
            Some(avatar) => files::ranged(
                shared,
                request,
                catalog::fake_mp4(&avatar.id.to_string()),
                "video/mp4",
            ),
            None => file_not_found(shared, request),
        },
        Route::TemplateMedia(id, ext) if id.parse::<u32>().is_ok() => match ext {
            "jpg" => files::ranged(shared, request, catalog::fake_jpeg(id), "image/jpeg"),
            "mp4" => files::ranged(shared, request, catalog::fake_mp4(id), "video/mp4"),
            _ => file_not_found(shared, request),
        },
        Route::TemplateMedia(..) => file_not_found(shared, request),
        Route::Unknown => crate::table::dispatch(shared, request).unwrap_or_else(|| {
            json_response(
                shared,
                404,
                CODE_NOT_FOUND,
                &format!(
                    "Not found: no route for {} {}",
                    request.method, request.path
                ),
                Value::Null,
            )
        }),
    }
}

/// Envelope for a request that could not be parsed (too large, malformed).
pub(crate) fn transport_error(shared: &Shared, status: u16, message: &str) -> Response {
    json_response(shared, status, CODE_PARAMETER, message, Value::Null)
}

/// Envelope for a handler that panicked: a mock bug, reported as 50000.
pub(crate) fn internal_error(shared: &Shared) -> Response {
    error_response(
        shared,
        &ApiError {
            code: CODE_INTERNAL,
            msg: "Internal error in jogg-mock".to_owned(),
        },
    )
}

// ---------------------------------------------------------------------------
// Envelope helpers

pub(super) fn base_response(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response::new(status, content_type, body).with_header(VERSION_HEADER, MOCK_VERSION)
}

pub(crate) fn json_response(
    shared: &Shared,
    status: u16,
    code: i64,
    msg: &str,
    data: impl Serialize,
) -> Response {
    let envelope = Envelope {
        code,
        msg,
        data,
        rid: shared.ids.hex32(),
    };
    // Serialising these plain structs cannot fail; the fallback keeps the
    // contract (a JSON envelope) even if that ever changes.
    let body = serde_json::to_vec(&envelope).unwrap_or_else(|_| {
        br#"{"code":50000,"msg":"response serialisation failed","data":null,"rid":""}"#.to_vec()
    });
    base_response(status, "application/json", body)
}

/// The HTTP status for a business error: 200 by default (what the official
/// integration expects, D1), or a matching 4xx/5xx in `http_errors` mode.
fn error_status(shared: &Shared, code: i64) -> u16 {
    if !shared.config.http_errors {
        return 200;
    }
    match code {
        CODE_BAD_KEY => 401,
        CODE_NOT_FOUND => 404,
        CODE_RATE_LIMITED => 429,
        CODE_INTERNAL => 500,
        _ => 400,
    }
}

pub(crate) fn error_response(shared: &Shared, error: &ApiError) -> Response {
    let status = error_status(shared, error.code);
    json_response(shared, status, error.code, &error.msg, Value::Null)
}

pub(crate) fn finish<T: Serialize>(shared: &Shared, outcome: Result<T, ApiError>) -> Response {
    match outcome {
        Ok(data) => json_response(shared, 200, CODE_OK, "success", data),
        Err(error) => error_response(shared, &error),
    }
}

// ---------------------------------------------------------------------------
// Authentication

/// Runs `handler` with the caller's key if `x-api-key` is accepted; the key
/// check comes before anything else, including the rate limit.
pub(super) fn with_key(
    shared: &Shared,
    request: &Request,
    handler: impl FnOnce(&Shared, &Request, &str) -> Response,
) -> Response {
    match authenticate(shared, request) {
        Ok(key) => handler(shared, request, key),
        Err(error) => error_response(shared, &error),
    }
}

pub(crate) fn authenticate<'a>(shared: &'a Shared, request: &Request) -> Result<&'a str, ApiError> {
    let presented = request.header("x-api-key").ok_or_else(ApiError::bad_key)?;
    shared
        .config
        .api_keys
        .iter()
        .find(|key| key.as_str() == presented)
        .map(String::as_str)
        .ok_or_else(ApiError::bad_key)
}

// ---------------------------------------------------------------------------
// POST /v1/create_video_from_talking_avatar

/// The rate limit is applied before the body is even parsed, so invalid
/// POSTs use up the quota just as on the real service.
fn create_talking_avatar(shared: &Shared, request: &Request, key: &str) -> Response {
    limited_post(shared, key, || {
        let outcome =
            parse_talking_avatar(&request.body).map(|input| create_project(shared, key, input));
        finish(shared, outcome)
    })
}

/// Counts a POST against the key's window (every POST does, REFERENCE 7)
/// and runs `handler` if it fits, labelling its answer with the remainder.
pub(super) fn limited_post(
    shared: &Shared,
    key: &str,
    handler: impl FnOnce() -> Response,
) -> Response {
    let window = Duration::from_millis(shared.config.post_window_ms);
    let admission = shared.state().admit_post(
        key,
        shared.clock.now(),
        shared.config.post_limit,
        window,
        shared.config.post_window_kind,
    );
    match admission {
        Admission::Allowed { remaining } => {
            handler().with_header("X-RateLimit-Remaining", remaining.to_string())
        }
        Admission::Limited { retry_after_secs } => rate_limited(shared, retry_after_secs),
    }
}

/// The body of a JSON request, as an object.
pub(super) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(ApiError::parameter("body must be a JSON object")),
    }
}

pub(crate) fn rate_limited(shared: &Shared, retry_after_secs: u64) -> Response {
    let error = ApiError {
        code: CODE_RATE_LIMITED,
        msg:
            "Rate limit exceeded: too many POST requests for this API key. Please try again later."
                .to_owned(),
    };
    error_response(shared, &error)
        .with_header("Retry-After", retry_after_secs.to_string())
        .with_header("X-RateLimit-Remaining", "0")
}

/// The validated parts of a create request that the simulation uses.
struct TalkingAvatar {
    script: Option<String>,
    video_name: Option<String>,
}

#[derive(Serialize)]
struct Created {
    project_id: String,
}

fn create_project(shared: &Shared, key: &str, input: TalkingAvatar) -> Created {
    let id = shared.ids.hex32();
    let title = input
        .video_name
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| DEFAULT_TITLE.to_owned());
    let new_project = NewProject {
        title,
        script: input.script.as_deref(),
    };
    let finishes_at = {
        let mut state = shared.state();
        state.add_project(
            id.clone(),
            key,
            new_project,
            &shared.config.fail_marker,
            &shared.clock,
        );
        state
            .project(&id)
            .map(|project| project.finishes_at(shared.config.render_ms))
    };
    if let Some(at) = finishes_at {
        shared.hub.schedule(at, id.clone());
    }
    Created { project_id: id }
}

fn parse_talking_avatar(body: &[u8]) -> Result<TalkingAvatar, ApiError> {
    validate_talking_avatar(&json_object(body)?)
}

/// Checks the body against the v1 spec; the first problem found is reported.
fn validate_talking_avatar(fields: &Map<String, Value>) -> Result<TalkingAvatar, ApiError> {
    required_int(fields, "screen_style", Some(&[1, 2, 3]))?;
    required_int(fields, "avatar_id", None)?;
    required_int(fields, "avatar_type", Some(&[0, 1]))?;
    optional_int(fields, "aspect_ratio", Some(&[0, 1, 2]))?;
    let script = non_empty(optional_string(fields, "script")?);
    let audio_url = non_empty(optional_string(fields, "audio_url")?);
    match (script, audio_url) {
        (Some(_), Some(_)) => {
            return Err(ApiError::parameter(
                "script and audio_url are mutually exclusive, provide only one",
            ));
        }
        (None, None) => {
            return Err(ApiError::parameter(
                "script or audio_url is required (exactly one of them)",
            ));
        }
        _ => {}
    }
    let voice_id = non_empty(optional_string(fields, "voice_id")?);
    if script.is_some() && voice_id.is_none() {
        return Err(ApiError::parameter(
            "voice_id is required when script is used",
        ));
    }
    optional_bool(fields, "caption")?;
    let video_name = optional_string(fields, "video_name")?;
    Ok(TalkingAvatar {
        script: script.map(str::to_owned),
        video_name: video_name.map(str::to_owned),
    })
}

/// A member's value, with JSON `null` treated as absent.
pub(super) fn member<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|value| !value.is_null())
}

/// An integer member, optionally restricted to `allowed`. Floats, numeric
/// strings and out-of-range numbers are type errors (strict mode).
pub(super) fn optional_int(
    fields: &Map<String, Value>,
    name: &str,
    allowed: Option<&[i64]>,
) -> Result<Option<i64>, ApiError> {
    let Some(value) = member(fields, name) else {
        return Ok(None);
    };
    let number = value
        .as_i64()
        .ok_or_else(|| ApiError::parameter(format!("{name} must be an integer")))?;
    match allowed {
        Some(allowed) if !allowed.contains(&number) => Err(ApiError::parameter(format!(
            "{name} must be one of {}",
            join(allowed)
        ))),
        _ => Ok(Some(number)),
    }
}

fn required_int(
    fields: &Map<String, Value>,
    name: &str,
    allowed: Option<&[i64]>,
) -> Result<i64, ApiError> {
    optional_int(fields, name, allowed)?
        .ok_or_else(|| ApiError::parameter(format!("{name} is required")))
}

pub(super) fn optional_string<'a>(
    fields: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ApiError> {
    member(fields, name)
        .map(|value| {
            value
                .as_str()
                .ok_or_else(|| ApiError::parameter(format!("{name} must be a string")))
        })
        .transpose()
}

fn optional_bool(fields: &Map<String, Value>, name: &str) -> Result<Option<bool>, ApiError> {
    member(fields, name)
        .map(|value| {
            value
                .as_bool()
                .ok_or_else(|| ApiError::parameter(format!("{name} must be a boolean")))
        })
        .transpose()
}

/// An empty string cannot be spoken or fetched, so it counts as not given.
pub(super) fn non_empty(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.is_empty())
}

fn join<T: Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// GET /v1/project

#[derive(Serialize)]
struct ProjectView {
    id: String,
    title: String,
    video_duration: u64,
    video_url: String,
    cover_url: String,
    status_code: i64,
    status_desc: &'static str,
    created_at: u64,
}

fn get_project(shared: &Shared, request: &Request, key: &str) -> Result<ProjectView, ApiError> {
    let id = request
        .query_param("project_id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ApiError::parameter("project_id is required"))?;
    let now = shared.clock.now();
    let state = shared.state();
    let project = state
        .project_owned_by(id, key)
        .ok_or_else(|| ApiError::not_found(format!("project {id}")))?;
    let status = project.status_at(now, shared.config.render_ms);
    Ok(project_view(shared, project, status))
}

/// Result URLs exist only once the render succeeded, as on the service.
fn project_view(shared: &Shared, project: &Project, status: RenderStatus) -> ProjectView {
    let done = status == RenderStatus::Success;
    let file_url = |extension: &str| {
        if done {
            format!("{}/files/{}.{extension}", shared.base_url, project.id)
        } else {
            String::new()
        }
    };
    ProjectView {
        id: project.id.clone(),
        title: project.title.clone(),
        video_duration: project.duration_for(status),
        video_url: file_url("mp4"),
        cover_url: file_url("jpg"),
        status_code: status.code(),
        status_desc: status.description(),
        created_at: project.created_unix,
    }
}

// ---------------------------------------------------------------------------
// GET /v1/avatars

#[derive(Serialize)]
struct AvatarItem<'a> {
    avatar_id: i64,
    name: &'a str,
    cover_url: String,
    aspect_ratio: u8,
    style: &'a str,
    gender: &'a str,
    age: &'a str,
}

#[derive(Serialize)]
struct AvatarList<'a> {
    avatars: Vec<AvatarItem<'a>>,
}

/// Filters combine with AND; an absent filter matches everything.
struct AvatarFilter {
    aspect_ratio: Option<&'static str>,
    style: Option<&'static str>,
    gender: Option<&'static str>,
    age: Option<&'static str>,
    scene: Option<&'static str>,
    ethnicity: Option<&'static str>,
}

impl AvatarFilter {
    fn from_query(request: &Request) -> Result<Self, ApiError> {
        Ok(AvatarFilter {
            aspect_ratio: enum_param(request, "aspect_ratio", catalog::ASPECT_RATIOS)?,
            style: enum_param(request, "style", catalog::AVATAR_STYLES)?,
            gender: enum_param(request, "gender", catalog::AVATAR_GENDERS)?,
            age: enum_param(request, "age", catalog::AVATAR_AGES)?,
            scene: enum_param(request, "scene", catalog::AVATAR_SCENES)?,
            ethnicity: enum_param(request, "ethnicity", catalog::AVATAR_ETHNICITIES)?,
        })
    }

    fn matches(&self, avatar: &Avatar) -> bool {
        let aspect = catalog::ASPECT_RATIOS.get(usize::from(avatar.aspect_ratio));
        accepts(self.aspect_ratio, aspect.copied().unwrap_or_default())
            && accepts(self.style, avatar.style)
            && accepts(self.gender, avatar.gender)
            && accepts(self.age, avatar.age)
            && accepts(self.scene, avatar.scene)
            && accepts(self.ethnicity, avatar.ethnicity)
    }
}

fn accepts(filter: Option<&str>, value: &str) -> bool {
    filter.is_none_or(|wanted| wanted == value)
}

fn list_avatars<'a>(shared: &Shared, request: &Request) -> Result<AvatarList<'a>, ApiError> {
    let filter = AvatarFilter::from_query(request)?;
    let avatars = catalog::avatars()
        .iter()
        .filter(|avatar| filter.matches(avatar))
        .map(|avatar| AvatarItem {
            avatar_id: avatar.id,
            name: &avatar.name,
            cover_url: format!("{}/files/avatars/{}.jpg", shared.base_url, avatar.id),
            aspect_ratio: avatar.aspect_ratio,
            style: avatar.style,
            gender: avatar.gender,
            age: avatar.age,
        })
        .collect();
    Ok(AvatarList { avatars })
}

/// A query parameter restricted to `allowed` (exact, case-sensitive, D27).
/// Returns the catalogue's own `'static` spelling of the value.
fn enum_param(
    request: &Request,
    name: &str,
    allowed: &'static [&'static str],
) -> Result<Option<&'static str>, ApiError> {
    let Some(value) = request.query_param(name) else {
        return Ok(None);
    };
    allowed
        .iter()
        .find(|candidate| **candidate == value)
        .map(|candidate| Some(*candidate))
        .ok_or_else(|| ApiError::parameter(format!("{name} must be one of {}", allowed.join(", "))))
}

// ---------------------------------------------------------------------------
// GET /v1/voices

const MAX_PAGE_SIZE: u64 = 100;
const DEFAULT_PAGE_SIZE: u64 = 10;

#[derive(Serialize)]
struct VoiceItem {
    name: &'static str,
    voice_id: &'static str,
    audition_url: String,
    language: &'static str,
    gender: &'static str,
    age: &'static str,
}

#[derive(Serialize)]
struct VoiceList {
    total: usize,
    voices: Vec<VoiceItem>,
}

/// `language` is an open set (D26): an unknown one is not an error, it just
/// matches no voice.
fn list_voices(shared: &Shared, request: &Request) -> Result<VoiceList, ApiError> {
    let page = int_param(request, "page", 1, u64::MAX, "page must be an integer >= 1")?;
    let page_size = int_param(
        request,
        "page_size",
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
        "page_size must be an integer from 1 to 100",
    )?;
    let gender = enum_param(request, "gender", catalog::VOICE_GENDERS)?;
    let age = enum_param(request, "age", catalog::VOICE_AGES)?;
    let language = request.query_param("language");
    let matching: Vec<&Voice> = catalog::VOICES
        .iter()
        .filter(|voice| {
            accepts(gender, voice.gender)
                && accepts(age, voice.age)
                && accepts(language, voice.language)
        })
        .collect();
    let skip = (page - 1).saturating_mul(page_size);
    let voices = matching
        .iter()
        .skip(usize::try_from(skip).unwrap_or(usize::MAX))
        .take(usize::try_from(page_size).unwrap_or(usize::MAX))
        .map(|voice| voice_item(shared, voice))
        .collect();
    Ok(VoiceList {
        total: matching.len(),
        voices,
    })
}

fn voice_item(shared: &Shared, voice: &Voice) -> VoiceItem {
    VoiceItem {
        name: voice.name,
        voice_id: voice.voice_id,
        audition_url: format!("{}/files/voices/{}.mp3", shared.base_url, voice.voice_id),
        language: voice.language,
        gender: voice.gender,
        age: voice.age,
    }
}

/// A positive integer query parameter in `1..=max`, or `default` if absent.
fn int_param(
    request: &Request,
    name: &str,
    default: u64,
    max: u64,
    problem: &str,
) -> Result<u64, ApiError> {
    let Some(text) = request.query_param(name) else {
        return Ok(default);
    };
    http::parse_digits(text)
        .filter(|value| (1..=max).contains(value))
        .ok_or_else(|| ApiError::parameter(problem))
}

// ---------------------------------------------------------------------------
// Media under /files/ (no key needed, like the real CDN links)

enum MediaKind {
    Video,
    Cover,
}

fn project_media(shared: &Shared, request: &Request, id: &str, kind: MediaKind) -> Response {
    let now = shared.clock.now();
    let ready = shared.state().project(id).is_some_and(|project| {
        project.status_at(now, shared.config.render_ms) == RenderStatus::Success
    });
    if !ready {
        return file_not_found(shared, request);
    }
    match kind {
        MediaKind::Video => files::ranged(shared, request, catalog::fake_mp4(id), "video/mp4"),
        MediaKind::Cover => files::ranged(shared, request, catalog::fake_jpeg(id), "image/jpeg"),
    }
}

/// Always HTTP 404: this is a file server, not an API call.
pub(super) fn file_not_found(shared: &Shared, request: &Request) -> Response {
    json_response(
        shared,
        404,
        CODE_NOT_FOUND,
        &format!("Record not found: file {}", request.path),
        Value::Null,
    )
}
