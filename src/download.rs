//! Downloading a finished video (or any file URL) to disk.
//!
//! The bytes go to `<target>.part` beside the target and are renamed into place only once
//! complete, so the target path never holds a partial file: a reader sees the old file or the
//! new one. A `.part` left by a failed or cancelled attempt is resumed with a Range request.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::client::Client;
use crate::error::{Code, Error, Result};
use crate::transport::{Method, Transfer, check_file_url, redact_url, transport_error};

const CHUNK: usize = 64 * 1024;

/// Reported to the progress callback: before the first byte, then after every chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DownloadProgress {
    /// Bytes of the file on disk so far, counting those of a resumed `.part`. Never
    /// decreases within one call.
    pub bytes: u64,
    /// The file's size, when the server says it.
    pub total: Option<u64>,
}

impl DownloadProgress {
    /// The event JSON of `jogg_download`'s callback.
    pub fn to_json(&self) -> Value {
        json!({ "bytes": self.bytes, "total": self.total })
    }
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

impl Downloaded {
    /// The result JSON of `jogg_download`.
    pub fn to_json(&self) -> Value {
        json!({
            "path": self.path.to_string_lossy(),
            "bytes": self.bytes,
            "sha256": self.sha256,
            "resumed_from": self.resumed_from,
            "content_type": self.content_type,
        })
    }
}

/// `<target>.part`: beside the target, so the final rename stays on one file system.
pub fn part_path(target: &Path) -> PathBuf {
    let mut name = OsString::from(target.as_os_str());
    name.push(".part");
    PathBuf::from(name)
}

fn io_error(field: &str, message: String) -> Error {
    let mut e = Error::new(Code::Io, format!("{field}: {message}"));
    e.field = Some(field.into());
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
                Code::Cancelled,
                format!(
                    "download cancelled after {} bytes; {} is kept, and downloading to the \
                     same path again resumes from it",
                    self.bytes,
                    self.part.display()
                ),
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
        Code::for_api(None, status),
        format!("{what}: HTTP {status}"),
    );
    e.http_status = Some(status);
    e
}

impl Client {
    /// Downloads `url` to `path`, streaming through `<path>.part` and renaming it into place
    /// when complete. `progress` runs before the first byte and after every chunk; returning
    /// `Break` cancels with [`Code::Cancelled`].
    ///
    /// A failed or cancelled attempt keeps what it received in `<path>.part`, and the next
    /// call for the same `path` asks only for the rest (`Range`); delete the `.part` to start
    /// over. An existing file at `path` is replaced only by a complete download. Two downloads
    /// to one `path` at the same time would share the `.part`: don't. The API key is not sent:
    /// the URL is on another host. `url` must be `https://` (or `http://` to a loopback host).
    ///
    /// ```no_run
    /// # let client = jogg::Client::new(jogg::Config::new("k"))?;
    /// # let project = client.get_project("id")?;
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
        let target = path.as_ref();
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
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&part)
            .map_err(|e| io_error("path", format!("cannot write {}: {e}", part.display())))?;
        let mut sink = Sink {
            file,
            part: &part,
            hasher: Sha256::new(),
            bytes: 0,
            resumed_from: 0,
            content_type: None,
            progress,
        };
        if let Err(e) = self.fill(&uri, url, &mut sink) {
            let received = sink.bytes;
            drop(sink);
            // Keep received bytes for a resume; an empty part is only clutter.
            if received == 0 {
                let _ = std::fs::remove_file(&part);
            }
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

    /// Fills the part file from `url`, resuming from what it already holds when it can.
    fn fill<F: FnMut(&DownloadProgress) -> ControlFlow<()>>(
        &self,
        uri: &ureq::http::Uri,
        url: &str,
        sink: &mut Sink<'_, F>,
    ) -> Result<()> {
        let what = format!("GET {}", redact_url(uri));
        sink.absorb_existing()?;
        let agent = self.transport().file_agent(uri, Transfer::Download)?;
        let mut restarted = false;
        loop {
            // Byte offsets must mean the same thing on both attempts: no transparent gzip.
            let mut request = agent.get(url).header("accept-encoding", "identity");
            if sink.bytes > 0 {
                request = request.header("range", format!("bytes={}-", sink.bytes));
            }
            let response = request
                .call()
                .map_err(|e| transport_error(&e, Method::Get, &what))?;
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
                _ => return Err(status_error(&what, status)),
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
                    Err(e) => return Err(read_error(&what, &e, sink.bytes, total)),
                };
                sink.write(&buf[..n])?;
                sink.report(total)?;
            }
            if let Some(total) = total.filter(|t| *t != sink.bytes) {
                return Err(Error::new(
                    Code::Transport,
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

fn read_error(what: &str, e: &io::Error, bytes: u64, total: Option<u64>) -> Error {
    let code = if e.kind() == io::ErrorKind::TimedOut {
        Code::Timeout
    } else {
        Code::Transport
    };
    let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
    Error::new(
        code,
        format!("{what}: the transfer failed after {bytes}{of} bytes: {e}"),
    )
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
    fn part_is_beside_the_target() {
        assert_eq!(
            part_path(Path::new("/tmp/out/video.mp4")),
            PathBuf::from("/tmp/out/video.mp4.part")
        );
    }
}
