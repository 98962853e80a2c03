//! Uploading a local file as an asset (api-notes §9): ask the API for a signed URL, PUT the
//! file's bytes there, return the address to put in a create request.
//!
//! Everything that can be known about the file is checked before the first request, so a
//! typo in a path costs nothing and says what is wrong. The file is opened once and what was
//! opened is checked (never the path, then the file by name: another program could swap
//! them in between), and the PUT sends exactly the bytes counted then, whatever the file
//! does meanwhile.

use std::fs::File;
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use crate::api::v1::assets::UploadUrl;
use crate::api::v2::assets::CreateUploadUrl;
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::Method;
use crate::operation::Version;
use crate::transport::{Transfer, check_file_url, redact_url, stream_error_code, transport_error};

const MIB: u64 = 1024 * 1024;
/// The documented limits (api-notes §9), read as MiB: the API has the last word, this check
/// only spares a doomed upload of a file that is clearly too large.
const IMAGE_LIMIT: u64 = 10 * MIB;
const AUDIO_LIMIT: u64 = 20 * MIB;
const VIDEO_LIMIT: u64 = 100 * MIB;

/// How to upload. The default asks the v2 API (permanent storage, content type bound to the
/// URL) and derives the name and type from the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadOptions {
    /// Which API hands out the signed URL.
    pub version: Version,
    /// The name to declare; defaults to the file's name.
    pub filename: Option<String>,
    /// The MIME type to declare; defaults to one derived from the extension (`.png`,
    /// `.jpg`, `.webp`, `.gif`, `.mp4`, `.webm`, `.mov`, `.mp3`, `.wav`, `.m4a`).
    pub content_type: Option<String>,
    /// Refuse larger files; defaults to the documented limit of the type (images 10 MiB,
    /// audio 20 MiB, video and anything else 100 MiB).
    pub max_bytes: Option<u64>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            version: Version::V2,
            filename: None,
            content_type: None,
            max_bytes: None,
        }
    }
}

/// A finished upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedAsset {
    /// The hosted file: use it as `audio_url`, `media[].url`, `image_url`...
    pub asset_url: String,
    pub filename: String,
    /// The type declared to the API and sent with the bytes.
    pub content_type: String,
    pub bytes: u64,
    pub version: Version,
}

/// Reported to an upload's progress callback: when the PUT starts, then after every chunk
/// handed to the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UploadProgress {
    /// Bytes of the file sent so far; never decreases.
    pub bytes: u64,
    /// The file's size when it was opened: what the upload sends, exactly.
    pub total: u64,
}

/// A local file that passed every check, open for reading.
struct LocalFile {
    file: File,
    len: u64,
    filename: String,
    content_type: String,
    /// The path, for messages.
    shown: String,
}

fn io_error(message: String) -> Error {
    let mut e = Error::new(ErrorKind::Io, format!("path: {message}"));
    e.0.field = Some("path".into());
    e
}

impl LocalFile {
    fn open(path: &Path, options: &UploadOptions) -> Result<LocalFile> {
        let shown = path.display();
        let file = open_without_blocking(path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => io_error(format!("no such file: {shown}")).with_source(e),
            _ => io_error(format!("cannot read {shown}: {e}")).with_source(e),
        })?;
        let meta = file
            .metadata()
            .map_err(|e| io_error(format!("cannot read {shown}: {e}")))?;
        if !meta.is_file() {
            return Err(io_error(format!("{shown} is not a regular file")));
        }
        crate::nonblocking::clear(&file)
            .map_err(|e| io_error(format!("cannot read {shown}: {e}")))?;
        let len = meta.len();
        if len == 0 {
            return Err(io_error(format!(
                "{shown} is empty; there is nothing to upload"
            )));
        }
        let filename = match &options.filename {
            Some(name) if !name.trim().is_empty() => name.clone(),
            Some(_) => return Err(Error::validation("filename", "must not be empty")),
            None => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| io_error(format!("{shown} has no file name")))?,
        };
        let content_type = match &options.content_type {
            Some(t) if !t.trim().is_empty() => t.clone(),
            Some(_) => return Err(Error::validation("content_type", "must not be empty")),
            None => guess_content_type(&filename)
                .ok_or_else(|| {
                    Error::validation(
                        "content_type",
                        format!(
                            "cannot tell the type of {filename:?} from its extension; \
                             set content_type (e.g. \"image/png\")"
                        ),
                    )
                })?
                .to_string(),
        };
        let limit = options
            .max_bytes
            .unwrap_or_else(|| limit_for(&content_type));
        if len > limit {
            return Err(io_error(format!(
                "{shown} is {len} bytes; the limit for {content_type} is {limit} bytes"
            )));
        }
        Ok(LocalFile {
            file,
            len,
            filename,
            content_type,
            shown: shown.to_string(),
        })
    }
}

/// Opens `path` for reading without waiting: a FIFO or a device opened plainly can block
/// until another program opens its other end. The flag means nothing to a regular file.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Why the PUT's body stopped early: told apart from a network error once ureq returns.
#[derive(Debug)]
enum Stopped {
    /// The file ended after `got` of the `len` bytes it had when opened.
    Shrank { got: u64, len: u64 },
    /// The progress callback asked to stop, after `sent` bytes.
    Cancelled { sent: u64 },
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::Shrank { got, len } => write!(f, "the file ended after {got} of {len} bytes"),
            Stopped::Cancelled { sent } => write!(f, "cancelled after {sent} bytes"),
        }
    }
}

impl std::error::Error for Stopped {}

/// The PUT's body: exactly the `len` bytes counted at open, whatever the file does meanwhile
/// (bytes it gains are not sent; bytes it loses end the upload with an error rather than an
/// endless wait for them), with progress after every chunk.
struct Counted<'a, F> {
    file: &'a mut File,
    len: u64,
    sent: u64,
    started: bool,
    progress: F,
}

impl<F: FnMut(&UploadProgress) -> ControlFlow<()>> Counted<'_, F> {
    fn report(&mut self) -> io::Result<()> {
        let p = UploadProgress {
            bytes: self.sent,
            total: self.len,
        };
        match (self.progress)(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(io::Error::other(Stopped::Cancelled { sent: self.sent })),
        }
    }
}

impl<F: FnMut(&UploadProgress) -> ControlFlow<()>> Read for Counted<'_, F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.started = true;
            self.report()?;
        }
        let left = self.len - self.sent;
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = loop {
            match self.file.read(&mut buf[..want]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            return Err(io::Error::other(Stopped::Shrank {
                got: self.sent,
                len: self.len,
            }));
        }
        self.sent += n as u64;
        self.report()?;
        Ok(n)
    }
}

/// The MIME types of the formats the docs list for images, video and audio.
fn guess_content_type(filename: &str) -> Option<&'static str> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        _ => return None,
    })
}

fn limit_for(content_type: &str) -> u64 {
    let family = content_type.split('/').next().unwrap_or("");
    match family.trim().to_ascii_lowercase().as_str() {
        "image" => IMAGE_LIMIT,
        "audio" => AUDIO_LIMIT,
        _ => VIDEO_LIMIT,
    }
}

impl Client {
    /// Uploads the file at `path` and returns its asset URL. The API key goes only to the
    /// API; the bytes go to the signed URL it returns, streamed from disk.
    ///
    /// Missing, non-regular (a directory, a FIFO, a device), empty, unreadable and oversized
    /// files fail with [`ErrorKind::Io`] (field `path`) before any request; so does an extension
    /// with no known type when `content_type` is not given ([`ErrorKind::Validation`]). The file
    /// is opened once; its size then is what is declared, sent and returned as `bytes`. A
    /// file that shrinks meanwhile fails with [`ErrorKind::Io`]; bytes it gains are not sent.
    ///
    /// `progress` runs when the PUT starts and after every chunk sent; returning `Break`
    /// cancels with [`ErrorKind::Cancelled`]. The whole upload ends by the client's
    /// `transfer_timeout`, and each stall by its `timeout` ([`ErrorKind::Timeout`]).
    ///
    /// ```no_run
    /// let client = jogg::Client::new(jogg::Config::new("my-api-key"))?;
    /// let options = jogg::UploadOptions::default();
    /// let asset = client.upload_asset("voice-over.mp3", &options, |p| {
    ///     eprintln!("{} of {} bytes", p.bytes, p.total);
    ///     std::ops::ControlFlow::Continue(())
    /// })?;
    /// println!("use {} as audio_url", asset.asset_url);
    /// # Ok::<(), jogg::Error>(())
    /// ```
    pub fn upload_asset(
        &self,
        path: impl AsRef<Path>,
        options: &UploadOptions,
        progress: impl FnMut(&UploadProgress) -> ControlFlow<()>,
    ) -> Result<UploadedAsset> {
        self.scrubbed(self.upload(path.as_ref(), options, progress))
    }

    fn upload(
        &self,
        path: &Path,
        options: &UploadOptions,
        progress: impl FnMut(&UploadProgress) -> ControlFlow<()>,
    ) -> Result<UploadedAsset> {
        let mut local = LocalFile::open(path, options)?;
        let signed = match options.version {
            Version::V1 => self.v1().assets().create_upload_url(&local.filename)?,
            Version::V2 => self.v2().assets().create_upload_url(&CreateUploadUrl {
                filename: local.filename.clone(),
                content_type: local.content_type.clone(),
                file_size: Some(local.len),
            })?,
        };
        // v2 signs the declared type into the URL; v1 documents octet-stream (D41).
        let put_type = match options.version {
            Version::V1 => "application/octet-stream",
            Version::V2 => local.content_type.as_str(),
        };
        let body = Counted {
            file: &mut local.file,
            len: local.len,
            sent: 0,
            started: false,
            progress,
        };
        put_file(self, &signed, body, put_type, &local.shown)?;
        Ok(UploadedAsset {
            asset_url: signed.asset_url,
            filename: local.filename,
            content_type: local.content_type,
            bytes: local.len,
            version: options.version,
        })
    }
}

/// PUTs `body` to the signed URL with its exact length as Content-Length.
fn put_file<F: FnMut(&UploadProgress) -> ControlFlow<()>>(
    client: &Client,
    signed: &UploadUrl,
    mut body: Counted<'_, F>,
    content_type: &str,
    shown: &str,
) -> Result<()> {
    let uri = check_file_url(&signed.sign_url).map_err(|why| {
        Error::new(
            ErrorKind::BadResponse,
            format!("the API returned an unusable sign_url: it {why}"),
        )
    })?;
    let what = format!("PUT {}", redact_url(&uri));
    let deadline = Instant::now() + client.transport().config().transfer_timeout;
    let agent = client
        .transport()
        .file_agent(&uri, Transfer::Upload, deadline)?;
    let len = body.len;
    let sent = agent
        .put(&signed.sign_url)
        .header("content-type", content_type)
        .header("content-length", len.to_string())
        .send(ureq::SendBody::from_reader(&mut body));
    let response = sent.map_err(|e| {
        let mut err = match e {
            ureq::Error::Io(io) => match io.get_ref().and_then(|i| i.downcast_ref::<Stopped>()) {
                Some(Stopped::Shrank { got, len }) => io_error(format!(
                    "{shown} ended after {got} of the {len} bytes it had when opened: the file \
                     changed during the upload"
                )),
                Some(Stopped::Cancelled { sent }) => Error::new(
                    ErrorKind::Cancelled,
                    format!("{what}: upload cancelled after {sent} of {len} bytes"),
                ),
                None => {
                    let timed_out = stream_error_code(&io) == ErrorKind::Timeout;
                    let mut err = transport_error(
                        &ureq::Error::Io(io),
                        Method::Put,
                        &what,
                        None,
                        client.transport().config().connect_timeout,
                    );
                    if timed_out {
                        err.0.kind = ErrorKind::Timeout;
                    }
                    err
                }
            },
            other => transport_error(
                &other,
                Method::Put,
                &what,
                None,
                client.transport().config().connect_timeout,
            ),
        };
        // Uploading again is harmless: no credits, same object.
        err.0.maybe_processed = false;
        err
    })?;
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        // Storage hosts answer with nothing, XML or an envelope: success is the status.
        return Ok(());
    }
    let mut e = Error::new(
        ErrorKind::for_api(None, status),
        format!("{what}: HTTP {status}: the upload was refused"),
    );
    e.0.http_status = Some(status);
    Err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_limits() {
        assert_eq!(guess_content_type("a.PNG"), Some("image/png"));
        assert_eq!(guess_content_type("x.tar.mov"), Some("video/quicktime"));
        assert_eq!(guess_content_type("noext"), None);
        assert_eq!(guess_content_type("a.txt"), None);
        assert_eq!(limit_for("image/jpeg"), IMAGE_LIMIT);
        assert_eq!(limit_for("audio/mpeg"), AUDIO_LIMIT);
        assert_eq!(limit_for("application/pdf"), VIDEO_LIMIT);
    }
}
