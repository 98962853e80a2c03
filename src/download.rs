//! Downloading a finished video (or any file URL) to disk.
//!
//! The bytes go to `<target>.part` beside the target and are renamed into place only once
//! complete, so the target path never holds a partial file: a reader sees the old file or the
//! new one. A `.part` left by a failed or cancelled attempt is resumed with a Range request.
//!
//! The `.part` is opened without following a link and must be a regular file with no other
//! name: a link or a FIFO planted there is refused, never written through, read from, or
//! announced in a Range header. Redirects are followed here, each target held to the rule of
//! the first URL (`https://`, or `http://` to a loopback host), and the bytes are saved as
//! they arrive: no content coding is undone.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::Method;
use crate::transport::{Transfer, check_file_url, redact_url, stream_error_code, transport_error};

const CHUNK: usize = 64 * 1024;
/// Redirects followed at most (CDNs send one or two, to an edge host).
const MAX_REDIRECTS: usize = 5;

/// Reported to the progress callback: before the first byte, then after every chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes of the file on disk so far, counting those of a resumed `.part`. Never
    /// decreases within one call.
    pub bytes: u64,
    /// The file's size, when the server says it.
    pub total: Option<u64>,
}

/// A completed download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Downloaded {
    pub path: PathBuf,
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the whole file.
    pub sha256: String,
    /// Bytes taken from an earlier attempt's `.part` (0 for a fresh download).
    pub resumed_from: u64,
    pub content_type: Option<String>,
}

/// `<target>.part`: beside the target, so the final rename stays on one file system.
pub fn part_path(target: &Path) -> PathBuf {
    let mut name = OsString::from(target.as_os_str());
    name.push(".part");
    PathBuf::from(name)
}

fn io_error(field: &str, message: String) -> Error {
    let mut e = Error::new(ErrorKind::Io, format!("{field}: {message}"));
    e.0.field = Some(field.into());
    e
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The part file, the hash of what it holds, and the callback.
struct Sink<'a, F> {
    file: File,
    part: &'a Path,
    hasher: Sha256,
    bytes: u64,
    resumed_from: u64,
    content_type: Option<String>,
    progress: F,
}

impl<F: FnMut(&DownloadProgress) -> ControlFlow<()>> Sink<'_, F> {
    /// Hashes what an earlier attempt left, so that the digest covers the whole file, and
    /// leaves the cursor at its end for the rest.
    fn absorb_existing(&mut self) -> Result<()> {
        let fail =
            |e: io::Error| io_error("path", format!("cannot read {}: {e}", self.part.display()));
        self.file.seek(SeekFrom::Start(0)).map_err(fail)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match self.file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(fail(e)),
            };
            self.hasher.update(&buf[..n]);
            self.bytes += n as u64;
        }
        self.resumed_from = self.bytes;
        Ok(())
    }

    /// Forgets what the part file holds (the server sent the whole file instead of the rest).
    fn restart(&mut self) -> Result<()> {
        self.file
            .set_len(0)
            .and_then(|()| self.file.seek(SeekFrom::Start(0)).map(drop))
            .map_err(|e| {
                io_error(
                    "path",
                    format!("cannot truncate {}: {e}", self.part.display()),
                )
            })?;
        self.hasher = Sha256::new();
        self.bytes = 0;
        self.resumed_from = 0;
        Ok(())
    }

    fn report(&mut self, total: Option<u64>) -> Result<()> {
        let p = DownloadProgress {
            bytes: self.bytes,
            total,
        };
        match (self.progress)(&p) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::new(
                ErrorKind::Cancelled,
                format!("download cancelled after {} bytes", self.bytes),
            )),
        }
    }

    fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.file
            .write_all(chunk)
            .map_err(|e| io_error("path", format!("cannot write {}: {e}", self.part.display())))?;
        self.hasher.update(chunk);
        self.bytes += chunk.len() as u64;
        Ok(())
    }
}

/// `Content-Range: bytes <start>-<end>/<total|*>` as (start, total).
fn content_range(value: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = total.trim().parse().ok();
    let start = match range.trim() {
        "*" => None,
        r => Some(r.split_once('-')?.0.trim().parse().ok()?),
    };
    Some((start, total))
}

fn header<'a>(response: &'a ureq::http::Response<ureq::Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn status_error(what: &str, status: u16) -> Error {
    let mut e = Error::new(
        ErrorKind::for_api(None, status),
        format!("{what}: HTTP {status}"),
    );
    e.0.http_status = Some(status);
    e
}

impl Client {
    /// Downloads `url` to `path`, streaming through `<path>.part` and renaming it into place
    /// when complete. `progress` runs before the first byte and after every chunk; returning
    /// `Break` cancels with [`ErrorKind::Cancelled`].
    ///
    /// A failed or cancelled attempt keeps what it received in `<path>.part` (one that
    /// received nothing removes the `.part` it made; the error message says which), and the
    /// next call for the same `path` asks only for the rest (`Range`); delete the `.part` to
    /// start over. A `.part` that is a link, a FIFO or has other names is refused
    /// ([`ErrorKind::Io`]). An existing file at `path` is replaced only by a complete download. Two
    /// downloads to one `path` at the same time would share the `.part`: don't. The API key is
    /// not sent: the URL is on another host. `url`, and every redirect target, must be
    /// `https://` (or `http://` to a loopback host). The bytes are saved as sent (a
    /// `Content-Encoding` is not undone). The whole download ends by the client's
    /// `transfer_timeout`, and each stall by its `timeout` ([`ErrorKind::Timeout`]).
    ///
    /// ```no_run
    /// # let client = jogg::Client::new(jogg::Config::new("k"))?;
    /// # let project = client.v1().projects().get("id")?;
    /// let url = project.video_url.expect("rendered");
    /// let done = client.download(&url, "video.mp4", |p| {
    ///     eprintln!("{} of {:?} bytes", p.bytes, p.total);
    ///     std::ops::ControlFlow::Continue(())
    /// })?;
    /// println!("{} bytes, sha256 {}", done.bytes, done.sha256);
    /// # Ok::<(), jogg::Error>(())
    /// ```
    pub fn download(
        &self,
        url: &str,
        path: impl AsRef<Path>,
        progress: impl FnMut(&DownloadProgress) -> ControlFlow<()>,
    ) -> Result<Downloaded> {
        self.scrubbed(self.download_to(url, path.as_ref(), progress))
    }

    fn download_to(
        &self,
        url: &str,
        target: &Path,
        progress: impl FnMut(&DownloadProgress) -> ControlFlow<()>,
    ) -> Result<Downloaded> {
        let deadline = Instant::now() + self.transport().config().transfer_timeout;
        let uri = check_file_url(url).map_err(|why| Error::validation("url", why))?;
        if target.as_os_str().is_empty() {
            return Err(Error::validation("path", "must not be empty"));
        }
        if target.is_dir() {
            return Err(io_error(
                "path",
                format!("{} is a directory", target.display()),
            ));
        }
        let part = part_path(target);
        // Opened before any request: an unwritable target costs nothing.
        let file = open_part(&part)?;
        let mut sink = Sink {
            file,
            part: &part,
            hasher: Sha256::new(),
            bytes: 0,
            resumed_from: 0,
            content_type: None,
            progress,
        };
        if let Err(mut e) = self.fill(&uri, &mut sink, deadline) {
            let received = sink.bytes;
            drop(sink);
            // Keep received bytes for a resume; an empty part is only clutter. Either way the
            // message says what became of it.
            let fate = if received > 0 {
                format!(
                    "{} is kept ({received} bytes), and downloading to the same path again \
                     resumes from it",
                    part.display()
                )
            } else {
                match std::fs::remove_file(&part) {
                    Ok(()) => format!("nothing was received, so {} was removed", part.display()),
                    Err(err) => format!(
                        "nothing was received; {} could not be removed: {err}",
                        part.display()
                    ),
                }
            };
            e.0.message = format!("{}; {fate}", e.0.message);
            return Err(e);
        }
        let Sink {
            file,
            hasher,
            bytes,
            resumed_from,
            content_type,
            ..
        } = sink;
        file.sync_all()
            .map_err(|e| io_error("path", format!("cannot write {}: {e}", part.display())))?;
        drop(file);
        std::fs::rename(&part, target).map_err(|e| {
            io_error(
                "path",
                format!(
                    "cannot move {} to {}: {e}",
                    part.display(),
                    target.display()
                ),
            )
        })?;
        Ok(Downloaded {
            path: target.to_path_buf(),
            bytes,
            sha256: hex(&hasher.finalize()),
            resumed_from,
            content_type,
        })
    }

    /// GETs `uri` (with a Range from `from` when not 0), following redirects whose targets
    /// pass [`check_file_url`]. Returns the final response and the name of the request.
    fn get_following(
        &self,
        uri: &ureq::http::Uri,
        from: u64,
        deadline: Instant,
    ) -> Result<(ureq::http::Response<ureq::Body>, String)> {
        let mut uri = uri.clone();
        for _ in 0..=MAX_REDIRECTS {
            let what = format!("GET {}", redact_url(&uri));
            let agent = self
                .transport()
                .file_agent(&uri, Transfer::Download, deadline)?;
            // Byte offsets must mean the same thing on every attempt: no content coding.
            let mut request = agent.get(&uri).header("accept-encoding", "identity");
            if from > 0 {
                request = request.header("range", format!("bytes={from}-"));
            }
            let response = request.call().map_err(|e| {
                transport_error(
                    &e,
                    Method::Get,
                    &what,
                    None,
                    self.transport().config().connect_timeout,
                )
            })?;
            let status = response.status().as_u16();
            if !(300..400).contains(&status) || status == 304 {
                return Ok((response, what));
            }
            let location = header(&response, "location").unwrap_or_default();
            let next = resolve(&uri, location)
                .ok_or_else(|| redirect_error(&what, status, "to an address that is not a URL"))?;
            uri = check_file_url(&next).map_err(|why| {
                let target = next
                    .parse::<ureq::http::Uri>()
                    .map(|u| redact_url(&u))
                    .unwrap_or_default();
                redirect_error(&what, status, &format!("to {target}, which {why}"))
            })?;
        }
        Err(Error::new(
            ErrorKind::BadResponse,
            format!(
                "GET {}: more than {MAX_REDIRECTS} redirects",
                redact_url(&uri)
            ),
        ))
    }

    /// Fills the part file from `uri`, resuming from what it already holds when it can.
    fn fill<F: FnMut(&DownloadProgress) -> ControlFlow<()>>(
        &self,
        uri: &ureq::http::Uri,
        sink: &mut Sink<'_, F>,
        deadline: Instant,
    ) -> Result<()> {
        sink.absorb_existing()?;
        let mut restarted = false;
        loop {
            let (response, what) = self.get_following(uri, sink.bytes, deadline)?;
            let what = what.as_str();
            let status = response.status().as_u16();
            let range = header(&response, "content-range").and_then(content_range);
            let length = header(&response, "content-length").and_then(|v| v.trim().parse().ok());
            let total = match status {
                206 if sink.bytes > 0
                    && range.is_some_and(|(start, _)| start == Some(sink.bytes)) =>
                {
                    range
                        .and_then(|(_, t)| t)
                        .or(length.map(|n: u64| n + sink.bytes))
                }
                200 => {
                    if sink.bytes > 0 {
                        // The server ignored the Range: what it sends is the whole file.
                        sink.restart()?;
                    }
                    length
                }
                // The part already holds the whole file: an earlier attempt stopped between
                // the last byte and the rename.
                416 if sink.bytes > 0 && range.and_then(|(_, t)| t) == Some(sink.bytes) => {
                    return sink.report(Some(sink.bytes));
                }
                // A range we did not ask for, or the file changed size: start over, once.
                206 | 416 if sink.bytes > 0 && !restarted => {
                    sink.restart()?;
                    restarted = true;
                    continue;
                }
                _ => return Err(status_error(what, status)),
            };
            sink.content_type = header(&response, "content-type").map(str::to_string);
            sink.report(total)?;
            let mut reader = response.into_body().into_reader();
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(read_error(what, e, sink.bytes, total)),
                };
                sink.write(&buf[..n])?;
                sink.report(total)?;
            }
            if let Some(total) = total.filter(|t| *t != sink.bytes) {
                return Err(Error::new(
                    ErrorKind::Transport,
                    format!(
                        "{what}: the connection ended after {} of {total} bytes",
                        sink.bytes
                    ),
                ));
            }
            return Ok(());
        }
    }
}

/// Opens (or creates) the `.part` for reading and writing, without following a link and
/// without waiting on a FIFO, and checks it is a regular file with no other name: writing
/// through anything else would change a file this call did not make.
fn open_part(part: &Path) -> Result<File> {
    let shown = part.display();
    let file = open_no_follow(part).map_err(|e| {
        let why = if e.raw_os_error() == Some(libc::ELOOP) {
            "is a symbolic link; it is not followed (remove it)".to_string()
        } else {
            format!("cannot be written: {e}")
        };
        io_error("path", format!("{shown} {why}"))
    })?;
    let meta = file
        .metadata()
        .map_err(|e| io_error("path", format!("cannot read {shown}: {e}")))?;
    if !meta.is_file() {
        return Err(io_error(
            "path",
            format!("{shown} is not a regular file (remove it)"),
        ));
    }
    if links(&meta) > 1 {
        return Err(io_error(
            "path",
            format!("{shown} has other names (hard links); it is not written (remove it)"),
        ));
    }
    crate::nonblocking::clear(&file)
        .map_err(|e| io_error("path", format!("cannot write {shown}: {e}")))?;
    Ok(file)
}

#[cfg(unix)]
fn open_no_follow(part: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o644)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(part)
}

#[cfg(not(unix))]
fn open_no_follow(part: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(part)
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// A redirect's `Location` against the URL that sent it: absolute, scheme-relative,
/// host-relative or path-relative.
fn resolve(base: &ureq::http::Uri, location: &str) -> Option<String> {
    let location = location.trim();
    if location.is_empty() {
        return None;
    }
    if location.contains("://") {
        return Some(location.to_string());
    }
    let scheme = base.scheme_str()?;
    if let Some(rest) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    let authority = base.authority()?.as_str();
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    let dir = &base.path()[..base.path().rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    Some(format!("{scheme}://{authority}{dir}{location}"))
}

fn redirect_error(what: &str, status: u16, why: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::BadResponse,
        format!("{what}: HTTP {status} redirects {why}; not followed"),
    );
    e.0.http_status = Some(status);
    e
}

fn read_error(what: &str, e: io::Error, bytes: u64, total: Option<u64>) -> Error {
    let kind = stream_error_code(&e);
    let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
    Error::new(
        kind,
        format!("{what}: the transfer failed after {bytes}{of} bytes: {e}"),
    )
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(
            content_range("bytes 100-199/200"),
            Some((Some(100), Some(200)))
        );
        assert_eq!(content_range("bytes 5-9/*"), Some((Some(5), None)));
        assert_eq!(content_range("bytes */42"), Some((None, Some(42))));
        assert_eq!(content_range("items 1-2/3"), None);
        assert_eq!(content_range("bytes x-1/2"), None);
    }

    #[test]
    fn redirect_targets() {
        let base: ureq::http::Uri = "https://cdn.example.com/a/b/v.mp4?sig=1".parse().unwrap();
        let r = |l: &str| resolve(&base, l);
        assert_eq!(
            r("https://edge.example.net/x").unwrap(),
            "https://edge.example.net/x"
        );
        assert_eq!(
            r("//edge.example.net/x").unwrap(),
            "https://edge.example.net/x"
        );
        assert_eq!(r("/x/y.mp4").unwrap(), "https://cdn.example.com/x/y.mp4");
        assert_eq!(r("w.mp4").unwrap(), "https://cdn.example.com/a/b/w.mp4");
        assert_eq!(r(" "), None);
    }

    #[test]
    fn part_is_beside_the_target() {
        assert_eq!(
            part_path(Path::new("/tmp/out/video.mp4")),
            PathBuf::from("/tmp/out/video.mp4.part")
        );
    }
}
