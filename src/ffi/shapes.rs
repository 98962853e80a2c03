//! The JSON shapes of the C interface: the options and results of waits, uploads and
//! downloads, and webhook events, read and written for C callers. The Rust API uses the
//! types themselves.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::exports::JOGG_ERR_INVALID_JSON;
use super::failure::{Failure, FfiResult};
use super::members::{self, Expect};
use crate::download::{DownloadProgress, Downloaded};
use crate::error::{Error, ErrorKind};
use crate::inbox::Delivery;
use crate::operation::Version;
use crate::upload::{UploadOptions, UploadProgress, UploadedAsset};
use crate::wait::{Finished, Progress, WaitOptions};
use crate::webhook::WebhookEvent;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaitOptionsJson {
    timeout_ms: Option<u64>,
    initial_interval_ms: Option<u64>,
    interval_ratio: Option<f64>,
    max_interval_ms: Option<u64>,
    max_polls: Option<u32>,
    webhook_slowdown: Option<f64>,
}

const WAIT_MEMBERS: &[(&str, Expect)] = &[
    ("timeout_ms", Expect::Millis),
    ("initial_interval_ms", Expect::Millis),
    ("interval_ratio", Expect::Number),
    ("max_interval_ms", Expect::Millis),
    ("max_polls", Expect::Count(u32::MAX as u64)),
    ("webhook_slowdown", Expect::Number),
];

/// The options JSON of the waits; absent members keep their defaults.
pub fn wait_options_from_json(text: &str) -> FfiResult<WaitOptions> {
    let parsed: WaitOptionsJson = serde_json::from_str(text).map_err(|e| {
        if let Some(plain) = members::plain(
            &e,
            text,
            "options_json",
            WAIT_MEMBERS,
            ErrorKind::Validation,
        ) {
            return plain.into();
        }
        let msg = e.to_string();
        match msg.split('`').nth(1) {
            Some(field) if msg.starts_with("unknown field") => {
                Error::validation(field, format!("unknown wait option: {msg}")).into()
            }
            _ if e.is_syntax() || e.is_eof() => Failure::own(
                JOGG_ERR_INVALID_JSON,
                format!("options_json: not valid JSON: {msg}"),
                Some("options_json"),
            ),
            _ => Error::validation("options_json", msg).into(),
        }
    })?;
    let mut o = WaitOptions::default();
    let ms = Duration::from_millis;
    if let Some(v) = parsed.timeout_ms {
        o.timeout = ms(v);
    }
    if let Some(v) = parsed.initial_interval_ms {
        o.initial_interval = ms(v);
    }
    if let Some(v) = parsed.interval_ratio {
        o.interval_ratio = v;
    }
    if let Some(v) = parsed.max_interval_ms {
        o.max_interval = ms(v);
    }
    if let Some(v) = parsed.webhook_slowdown {
        o.webhook_slowdown = v;
    }
    o.max_polls = parsed.max_polls;
    o.validate()?;
    Ok(o)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsJson {
    version: Option<String>,
    filename: Option<String>,
    content_type: Option<String>,
    max_bytes: Option<u64>,
}

const UPLOAD_MEMBERS: &[(&str, Expect)] = &[
    ("version", Expect::Text),
    ("filename", Expect::Text),
    ("content_type", Expect::Text),
    ("max_bytes", Expect::Count(u64::MAX)),
];

/// The options JSON of `jogg_upload_asset`: `version` (`"v1"` or `"v2"`), `filename`,
/// `content_type`, `max_bytes`; all optional, unknown members refused.
pub fn upload_options_from_json(text: &str) -> FfiResult<UploadOptions> {
    let parsed: OptionsJson = serde_json::from_str(text).map_err(|e| {
        if let Some(plain) = members::plain(
            &e,
            text,
            "options_json",
            UPLOAD_MEMBERS,
            ErrorKind::Validation,
        ) {
            return plain.into();
        }
        let msg = e.to_string();
        if e.is_syntax() || e.is_eof() {
            return Failure::own(
                JOGG_ERR_INVALID_JSON,
                format!("options_json: not valid JSON: {msg}"),
                Some("options_json"),
            );
        }
        match msg.split('`').nth(1) {
            Some(field) if msg.starts_with("unknown field") => {
                Error::validation(field, format!("unknown upload option: {msg}")).into()
            }
            _ => Error::validation("options_json", msg).into(),
        }
    })?;
    let version = match parsed.version.as_deref() {
        None | Some("v2") => Version::V2,
        Some("v1") => Version::V1,
        Some(other) => {
            return Err(Error::validation(
                "version",
                format!("must be \"v1\" or \"v2\" (got {other:?})"),
            )
            .into());
        }
    };
    Ok(UploadOptions {
        version,
        filename: parsed.filename,
        content_type: parsed.content_type,
        max_bytes: parsed.max_bytes,
    })
}

/// The event JSON passed to a C progress callback.
pub fn progress_json(progress: &Progress) -> Value {
    json!({
        "id": progress.id,
        "operation": progress.operation,
        "status": progress.status.as_str(),
        "raw_status": progress.raw_status,
        "elapsed_ms": progress.elapsed.as_millis() as u64,
        "polls": progress.polls,
        "next_poll_ms": progress.next_poll.map(|d| d.as_millis() as u64),
        "source": progress.source.as_str(),
    })
}

/// The result JSON of `jogg_wait`: the normalised status beside the raw task.
pub fn finished_json(done: &Finished) -> Value {
    json!({
        "id": done.id,
        "status": done.status.as_str(),
        "polls": done.polls,
        "elapsed_ms": done.elapsed.as_millis() as u64,
        "source": done.source.as_str(),
        "event": done.event.as_ref().map(event_json),
        "task": done.task,
    })
}

/// The result JSON of `jogg_upload_asset`.
pub fn uploaded_json(asset: &UploadedAsset) -> Value {
    json!({
        "asset_url": asset.asset_url,
        "filename": asset.filename,
        "content_type": asset.content_type,
        "bytes": asset.bytes,
        "version": asset.version.as_str(),
    })
}

/// The event JSON of `jogg_upload_asset`'s callback.
pub fn upload_progress_json(progress: &UploadProgress) -> Value {
    json!({ "bytes": progress.bytes, "total": progress.total })
}

/// The event JSON of `jogg_download`'s callback.
pub fn download_progress_json(progress: &DownloadProgress) -> Value {
    json!({ "bytes": progress.bytes, "total": progress.total })
}

/// The result JSON of `jogg_download`.
pub fn downloaded_json(done: &Downloaded) -> Value {
    json!({
        "path": done.path.to_string_lossy(),
        "bytes": done.bytes,
        "sha256": done.sha256,
        "resumed_from": done.resumed_from,
        "content_type": done.content_type,
    })
}

/// The event JSON of `jogg_webhook_parse`.
pub fn event_json(event: &WebhookEvent) -> Value {
    json!({
        "event": event.event,
        "event_id": event.event_id,
        "timestamp": event.timestamp,
        "task_kind": event.task_kind,
        "id": event.id,
        "status": event.status.as_str(),
        "video_url": event.video_url,
        "cover_url": event.cover_url,
        "error": event.error,
        "data": event.data,
    })
}

/// The event JSON of `jogg_webhook_deliver`: the event as `jogg_webhook_parse` gives it, with
/// `duplicate` and `woken`.
pub fn delivery_json(delivery: &Delivery) -> Value {
    let mut json = event_json(&delivery.event);
    json["duplicate"] = Value::Bool(delivery.duplicate);
    json["woken"] = Value::from(delivery.woken);
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn wait_options() {
        let o = wait_options_from_json(
            r#"{"timeout_ms": 10, "initial_interval_ms": 2, "max_interval_ms": 4, "max_polls": 3}"#,
        )
        .unwrap();
        assert_eq!(o.timeout, Duration::from_millis(10));
        assert_eq!(o.max_polls, Some(3));
        let e = wait_options_from_json(r#"{"timeout": 10}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(e.field(), Some("timeout"));
        let e = wait_options_from_json(r#"{"initial_interval_ms": 9, "max_interval_ms": 4}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(e.field(), Some("max_interval_ms"));
        assert_eq!(
            wait_options_from_json("{").err().map(|f| f.code),
            Some(JOGG_ERR_INVALID_JSON)
        );
        let e = wait_options_from_json(r#"{"max_polls": 0}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(e.field(), Some("max_polls"));
        // A mistyped member is named in plain words, as in the client config.
        let e = wait_options_from_json(r#"{"timeout_ms": "60s"}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(
            e.message(),
            "timeout_ms: must be a whole number of milliseconds (got \"60s\")"
        );
        let o =
            wait_options_from_json(r#"{"interval_ratio": 0.25, "webhook_slowdown": 1}"#).unwrap();
        assert_eq!((o.interval_ratio, o.webhook_slowdown), (0.25, 1.0));
        for (json, field) in [
            (r#"{"interval_ratio": -0.1}"#, "interval_ratio"),
            (r#"{"interval_ratio": 11}"#, "interval_ratio"),
            (r#"{"webhook_slowdown": 0.5}"#, "webhook_slowdown"),
        ] {
            let e = wait_options_from_json(json).err().unwrap().error;
            assert_eq!(e.field(), Some(field), "{json}");
        }
    }

    #[test]
    fn upload_options() {
        let o = upload_options_from_json(r#"{"version":"v1","max_bytes":5}"#).unwrap();
        assert_eq!((o.version, o.max_bytes), (Version::V1, Some(5)));
        assert_eq!(
            upload_options_from_json("{}").unwrap(),
            UploadOptions::default()
        );
        let e = upload_options_from_json(r#"{"version":"v3"}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(e.field(), Some("version"));
        let e = upload_options_from_json(r#"{"content_typ":"x"}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(e.field(), Some("content_typ"));
        let e = upload_options_from_json(r#"{"max_bytes":"5 MB"}"#)
            .err()
            .unwrap()
            .error;
        assert_eq!(
            e.message(),
            "max_bytes: must be a whole number, 0 or more (got \"5 MB\")"
        );
        assert_eq!(
            upload_options_from_json("{").err().map(|f| f.code),
            Some(JOGG_ERR_INVALID_JSON)
        );
    }
}
