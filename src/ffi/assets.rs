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
/// A missing, non-regular (directory, FIFO, device), empty, unreadable or oversized file
/// fails with `JOGG_ERR_IO` (`field` `"path"`) before any request. The file is opened once,
/// without waiting (a FIFO cannot block the call); its size then is what is declared to the
/// API, sent (as the PUT's Content-Length, exactly) and returned as `bytes`. A file that
/// shrinks during the upload fails with `JOGG_ERR_IO`; bytes it gains are not sent.
///
/// `cb` may be NULL; otherwise it is called when the PUT starts and after every chunk sent
/// with `{"bytes": N, "total": M}` (`total` is the size counted at open; `bytes` never
/// decreases), and `userdata` is passed through. A non-zero return cancels with
/// `JOGG_ERR_CANCELLED`. The whole upload ends by the client's `transfer_timeout_ms`, each
/// stall (no byte accepted, or no answer) by its `timeout_ms`: `JOGG_ERR_TIMEOUT`.
///
/// On success `*result_json` receives `{"asset_url", "filename", "content_type", "bytes",
/// "version"}`. Blocks the calling thread. Ownership and `error_json` as in
/// `jogg_client_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn jogg_upload_asset(
    client: *const jogg_client,
    path: *const c_char,
    options_json: *const c_char,
    cb: jogg_progress_cb,
    userdata: *mut c_void,
    result_json: *mut *mut c_char,
    error_json: *mut *mut c_char,
) -> jogg_code {
    fallible(error_json, || {
        // SAFETY: per this function's contract.
        let (client, path) = unsafe { (client_arg(client)?, str_arg(path, "path")?) };
        out_arg(result_json, "result_json")?;
        // SAFETY: per this function's contract.
        let options = match unsafe { opt_str_arg(options_json, "options_json") }? {
            Some(text) => super::shapes::upload_options_from_json(text)?,
            None => UploadOptions::default(),
        };
        let uploaded = client.upload_asset(path, &options, |progress| {
            notify(cb, userdata, &super::shapes::upload_progress_json(progress))
        })?;
        write_out(result_json, &super::shapes::uploaded_json(&uploaded));
        Ok(())
    })
}

/// Downloads `url` (a finished video's `video_url`, an asset...) to the file `path`. The bytes
/// are streamed to `<path>.part` beside it, which is renamed to `path` only when complete:
/// `path` never holds a partial file, and an existing file there is replaced only by a
/// complete download. The API key is not sent. `url`, and every redirect target, must be
/// `https://` (or `http://` to a loopback host); a redirect elsewhere is
/// `JOGG_ERR_BAD_RESPONSE`. The bytes are saved as the server sent them (the request asks
/// for no content coding, and a `Content-Encoding` in the reply is not undone).
///
/// If a `<path>.part` from an earlier failed or cancelled attempt exists, only the rest is
/// requested (HTTP Range) and appended; delete it to start over. The `.part` is opened
/// without following links: one that is a symbolic link, a hard link to another name, a FIFO
/// or anything but a regular file is refused with `JOGG_ERR_IO` before any request. Do not
/// run two downloads to the same `path` at once. `cb` may be NULL; otherwise it is called
/// before the first byte and after every chunk with `{"bytes": N, "total": M}` (`total` is
/// null when the server does not say; `bytes` never decreases), and `userdata` is passed
/// through. A non-zero return cancels with `JOGG_ERR_CANCELLED`. After a failure or a cancel
/// the message ends by saying what became of the `.part`: kept (with its size) when bytes
/// were received, removed when none were.
///
/// The whole download ends by the client's `transfer_timeout_ms` (redirects included), each
/// stall (no answer, or no byte) by its `timeout_ms`: `JOGG_ERR_TIMEOUT`.
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
            notify(
                cb,
                userdata,
                &super::shapes::download_progress_json(progress),
            )
        })?;
        write_out(result_json, &super::shapes::downloaded_json(&done));
        Ok(())
    })
}
