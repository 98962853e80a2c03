//! Files in and out: `jogg_upload_asset` and `jogg_download`.

// As in exports.rs: each function's safety contract is its header comment.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{c_char, c_void};

use super::boundary::{client_arg, fallible, notify, opt_str_arg, out_arg, str_arg, write_out};
use super::exports::{jogg_client, jogg_code, jogg_progress_cb};
use crate::upload::UploadOptions;

/// Uploads the local file at `path` as an asset and returns its URL, for `audio_url`,
/// `media[].url` and the like in a create request. The API is asked for a signed upload URL
/// and the file is streamed there with a PUT; the API key is sent to the API only.
///
/// `options_json` may be NULL or an object with any of: `version` (`"v2"`, the default, or
/// `"v1"`), `filename` (declared name; default: the file's name), `content_type` (declared
/// MIME type; default: from the extension `.jpg` `.jpeg` `.png` `.webp` `.gif` `.mp4` `.webm`
/// `.mov` `.mp3` `.wav` `.m4a`, required for others), `max_bytes` (default: the documented
/// limit, 10 MiB for images, 20 MiB for audio, 100 MiB otherwise).
///
/// A missing, non-regular, empty, unreadable or oversized file fails with `JOGG_ERR_IO`
/// (`field` `"path"`) before any request. On success `*result_json` receives
/// `{"asset_url", "filename", "content_type", "bytes", "version"}`. Blocks the calling
/// thread. Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_upload_asset(
    client: *const jogg_client,
    path: *const c_char,
    options_json: *const c_char,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, path) = unsafe { (client_arg(client)?, str_arg(path, "path")?) };
        out_arg(result_json, "result_json")?;
        // SAFETY: per this function's contract.
        let options = match unsafe { opt_str_arg(options_json, "options_json") }? {
            Some(text) => UploadOptions::from_json(text)?,
            None => UploadOptions::default(),
        };
        let uploaded = client.upload_asset(path, &options)?;
        write_out(result_json, &uploaded.to_json());
        Ok(())
    })
}

/// Downloads `url` (a finished video's `video_url`, an asset...) to the file `path`. The bytes
/// are streamed to `<path>.part` beside it, which is renamed to `path` only when complete:
/// `path` never holds a partial file, and an existing file there is replaced only by a
/// complete download. The API key is not sent. `url` must be `https://` (or `http://` to a
/// loopback host).
///
/// If a `<path>.part` from an earlier failed or cancelled attempt exists, only the rest is
/// requested (HTTP Range) and appended; delete it to start over. Do not run two downloads to
/// the same `path` at once. `cb` may be NULL; otherwise
/// it is called before the first byte and after every chunk with `{"bytes": N, "total": M}`
/// (`total` is null when the server does not say; `bytes` never decreases), and `userdata` is
/// passed through. A non-zero return cancels with `JOGG_ERR_CANCELLED`, keeping the `.part`.
///
/// On success `*result_json` receives `{"path", "bytes", "sha256" (lowercase hex of the whole
/// file), "resumed_from" (bytes reused from a `.part`), "content_type"}`. A target that cannot
/// be written fails with `JOGG_ERR_IO` before any request. Blocks the calling thread.
/// Ownership and `error_json` as in `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_download(
    client: *const jogg_client,
    url: *const c_char,
    path: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, url, path) = unsafe {
            (
                client_arg(client)?,
                str_arg(url, "url")?,
                str_arg(path, "path")?,
            )
        };
        out_arg(result_json, "result_json")?;
        let done = client.download(url, path, |progress| {
            notify(cb, userdata, &progress.to_json())
        })?;
        write_out(result_json, &done.to_json());
        Ok(())
    })
}
