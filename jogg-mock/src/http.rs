//! Just enough HTTP/1.1 for the mock: one request at a time per connection,
//! `Content-Length` bodies only, keep-alive, and responses that always carry
//! `Content-Length`.
//!
//! Hand-written on purpose: owning the byte stream is what later allows fault
//! injection (dropped connections, slow bodies) that an off-the-shelf server
//! would hide. Everything a client sends is treated as hostile input: sizes
//! are bounded and malformed input becomes a [`ReadError`], never a panic.

use std::io::{self, BufRead, BufReader, Read, Write};

/// Upper bound for the request line plus all header lines, in bytes.
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Upper bound for a request body, in bytes (10 MiB).
pub(crate) const MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// Upper bound for a file PUT to a signed upload URL: above the largest
/// documented asset (100 MB of video), so clients meet their own limit first.
pub(crate) const MAX_UPLOAD_BYTES: u64 = 128 * 1024 * 1024;

/// One parsed request. Header names are lowercased; query pairs are
/// percent-decoded; `path` is the target before `?`, exactly as sent.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Whether the client allows another request on this connection.
    pub(crate) keep_alive: bool,
}

impl Request {
    /// First value of header `name` (give it in lowercase).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        first_value(&self.headers, name)
    }

    /// First value of query parameter `name`, already decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<&str> {
        first_value(&self.query, name)
    }
}

fn first_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Why no request could be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection is unusable (I/O error, idle timeout, EOF inside a
    /// request): close it without answering.
    Closed,
    /// The request is malformed or too large: answer with `status` and
    /// `message`, then close, because the stream position is unknown.
    Reject { status: u16, message: String },
}

impl ReadError {
    fn reject(status: u16, message: impl Into<String>) -> Self {
        ReadError::Reject {
            status,
            message: message.into(),
        }
    }
}

/// A response ready to be written. `Content-Length` and `Connection` are
/// added by [`write_response`], so they must not be in `headers`.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Fault injection: send only this many body bytes (with the full
    /// `Content-Length`), then drop the connection.
    pub(crate) cut_after: Option<usize>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body,
            cut_after: None,
        }
    }

    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// Reads the next request from `reader`.
///
/// `Ok(None)` means the client closed the connection cleanly between
/// requests. The connection under `reader` receives the `100 Continue` answer
/// for clients that wait for it before sending a body (curl does this for
/// large bodies).
pub(crate) fn read_request<S: Read + Write>(
    reader: &mut BufReader<S>,
) -> Result<Option<Request>, ReadError> {
    let Some(lines) = read_head(reader)? else {
        return Ok(None);
    };
    let (request_line, header_lines) = lines.split_first().ok_or(ReadError::Closed)?;
    let (method, target, http11) = parse_request_line(request_line)?;
    let headers = parse_headers(header_lines)?;
    let keep_alive = wants_keep_alive(http11, &headers);
    let length = body_length(&headers, body_limit(method, target))?;
    if http11 && length > 0 && expects_continue(&headers) {
        let interim = reader.get_mut();
        interim
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .and_then(|()| interim.flush())
            .map_err(|_| ReadError::Closed)?;
    }
    let body = read_body(reader, length)?;
    let (path, query) = split_target(target);
    Ok(Some(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: parse_query(query),
        headers,
        body,
        keep_alive,
    }))
}

/// Reads the request line and header lines (without line endings) up to the
/// empty line, within [`MAX_HEAD_BYTES`].
fn read_head<R: BufRead>(reader: &mut R) -> Result<Option<Vec<String>>, ReadError> {
    let mut lines = Vec::new();
    let mut used = 0usize;
    loop {
        let remaining = MAX_HEAD_BYTES.saturating_sub(used);
        if remaining == 0 {
            return Err(head_too_large());
        }
        let mut line = Vec::new();
        let read = reader
            .by_ref()
            .take(remaining as u64)
            .read_until(b'\n', &mut line)
            .map_err(|_| ReadError::Closed)?;
        if read == 0 {
            // EOF: clean only if nothing of this request has arrived yet.
            return if used == 0 {
                Ok(None)
            } else {
                Err(ReadError::Closed)
            };
        }
        used += read;
        if line.pop() != Some(b'\n') {
            // Either the limit cut the line or the peer hung up mid-line.
            return Err(if read == remaining {
                head_too_large()
            } else {
                ReadError::Closed
            });
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            // RFC 9112 lets servers skip blank lines before a request line.
            if lines.is_empty() {
                continue;
            }
            return Ok(Some(lines));
        }
        let text = String::from_utf8(line)
            .map_err(|_| ReadError::reject(400, "request head is not valid UTF-8"))?;
        lines.push(text);
    }
}

fn head_too_large() -> ReadError {
    ReadError::reject(
        431,
        format!("request line and headers exceed {MAX_HEAD_BYTES} bytes"),
    )
}

/// Splits `METHOD SP target SP HTTP/1.x`; returns whether the version is 1.1.
fn parse_request_line(line: &str) -> Result<(&str, &str, bool), ReadError> {
    let malformed = || ReadError::reject(400, "malformed request line");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(malformed());
    }
    if !target.starts_with('/') {
        return Err(ReadError::reject(
            400,
            "request target must be an absolute path",
        ));
    }
    match version {
        "HTTP/1.1" => Ok((method, target, true)),
        "HTTP/1.0" => Ok((method, target, false)),
        v if v.starts_with("HTTP/") => Err(ReadError::reject(505, "only HTTP/1.0 and HTTP/1.1")),
        _ => Err(malformed()),
    }
}

fn parse_headers(lines: &[String]) -> Result<Vec<(String, String)>, ReadError> {
    lines
        .iter()
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| ReadError::reject(400, "malformed header line"))?;
            // A space before the colon or a folded line is a smuggling risk
            // (RFC 9112 section 5): refuse instead of guessing.
            let valid_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'(' && b != b')');
            if !valid_name {
                return Err(ReadError::reject(400, "malformed header name"));
            }
            Ok((name.to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect()
}

fn wants_keep_alive(http11: bool, headers: &[(String, String)]) -> bool {
    let tokens: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name == "connection")
        .flat_map(|(_, value)| value.split(','))
        .map(|token| token.trim().to_ascii_lowercase())
        .collect();
    if tokens.iter().any(|t| t == "close") {
        false
    } else {
        http11 || tokens.iter().any(|t| t == "keep-alive")
    }
}

/// File uploads may be large; everything else is a JSON request.
fn body_limit(method: &str, target: &str) -> u64 {
    if method == "PUT" && target.starts_with("/upload/") {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// Body length from `Content-Length` (0 if absent). Chunked bodies are not
/// supported: refusing them is safer than misreading the stream.
fn body_length(headers: &[(String, String)], limit: u64) -> Result<u64, ReadError> {
    if headers.iter().any(|(name, _)| name == "transfer-encoding") {
        return Err(ReadError::reject(
            501,
            "Transfer-Encoding is not supported; send Content-Length",
        ));
    }
    let mut length = None;
    for (_, value) in headers.iter().filter(|(name, _)| name == "content-length") {
        let parsed =
            parse_digits(value).ok_or_else(|| ReadError::reject(400, "invalid Content-Length"))?;
        if length.is_some_and(|seen| seen != parsed) {
            return Err(ReadError::reject(400, "conflicting Content-Length headers"));
        }
        length = Some(parsed);
    }
    let length = length.unwrap_or(0);
    if length > limit {
        return Err(ReadError::reject(
            413,
            format!("Parameter error: body is larger than {limit} bytes"),
        ));
    }
    Ok(length)
}

/// Parses a non-empty run of ASCII digits (no sign, no spaces).
pub(crate) fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn expects_continue(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(name, value)| name == "expect" && value.eq_ignore_ascii_case("100-continue"))
}

/// Reads exactly `length` bytes, growing the buffer as data arrives so a
/// client announcing a large body cannot make us allocate it up front.
fn read_body<R: Read>(reader: &mut R, length: u64) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    let read = reader
        .take(length)
        .read_to_end(&mut body)
        .map_err(|_| ReadError::Closed)?;
    if read as u64 == length {
        Ok(body)
    } else {
        Err(ReadError::Closed)
    }
}

fn split_target(target: &str) -> (&str, &str) {
    // A fragment is never sent by conforming clients; drop it if present.
    let target = target.split('#').next().unwrap_or(target);
    target.split_once('?').unwrap_or((target, ""))
}

/// Splits `a=1&b=2` into decoded pairs; a key without `=` gets an empty value.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (form encoding for a space). Invalid
/// escapes are kept literally and invalid UTF-8 becomes U+FFFD, so decoding
/// never fails.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match (byte, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&hi), Some(&lo)) => hex_value(hi).zip(hex_value(lo)),
            _ => None,
        };
        match (byte, escaped) {
            (_, Some((hi, lo))) => {
                out.push((hi << 4) | lo);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (other, None) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Writes `response` in one piece, adding `Content-Length` and an explicit
/// `Connection` header so HTTP/1.0 clients know whether to reuse the socket.
/// A response with `cut_after` is sent short and then reported as an error,
/// so the caller closes the connection as a failing server would.
pub(crate) fn write_response<W: Write>(
    writer: &mut W,
    response: &Response,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason_phrase(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    let connection = if keep_alive { "keep-alive" } else { "close" };
    head.push_str(&format!("Connection: {connection}\r\n\r\n"));
    let mut bytes = head.into_bytes();
    let sent = response
        .cut_after
        .map_or(response.body.len(), |cut| cut.min(response.body.len()));
    bytes.extend_from_slice(&response.body[..sent]);
    writer.write_all(&bytes)?;
    writer.flush()?;
    if response.cut_after.is_some() {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "response cut short on purpose",
        ));
    }
    Ok(())
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}
