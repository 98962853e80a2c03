//! The TCP connections under the API agent: ureq's `TcpConnector`, cut down to the system calls
//! a request on a reused connection cannot do without.
//!
//! On a kept-alive connection ureq's own transport spends more system calls around each request
//! than the request itself takes: two `setsockopt` calls (its deadline changes by microseconds
//! from call to call, so the socket timeouts are set again every time) and, twice per request
//! (when the connection goes back to the pool and when it comes out), a liveness probe of three
//! calls: non-blocking on, a one-byte read, non-blocking off. Here the timeouts are set only when
//! they move by more than [`TIMEOUT_SLACK`], and the probe is one `recv(MSG_PEEK | MSG_DONTWAIT)`,
//! made every time it is asked for: a connection the server closed a moment after its last
//! reply must be seen closed before a request is written on it, or a POST would fail as
//! "maybe processed" although the server never received it.
//! Everything else (connect order and per-address budget, `TCP_NODELAY`, EINTR handling,
//! shutdown registration, buffers) follows ureq.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::Duration;

use ureq::Timeout;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};

/// A socket timeout is left as it is while the wanted one is within 1/1000 of it: a deadline is
/// then kept to 0.1 % (60 ms of a 60 s timeout), and a run of requests sets it once.
const TIMEOUT_SLACK: u32 = 1000;
/// The least connect budget an address gets when a host has several (as ureq).
const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);

/// Opens plain TCP connections; a transport already made by an earlier connector in the chain
/// (a CONNECT proxy tunnel) is passed on untouched.
#[derive(Debug, Default)]
pub(crate) struct TcpConnector;

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let stream = connect_any(details)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let stream = Arc::new(stream);
        (details.register_shutdown)(Arc::downgrade(&stream) as Weak<dyn ShutdownHandle>)?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TcpTransport {
            stream,
            buffers,
            read_timeout: None,
            write_timeout: None,
        })))
    }
}

/// Tries the resolved addresses in order. Each gets an equal share of what is left of the
/// connect budget (at least [`MIN_PER_ADDRESS`]); a refusal or an unreachable address moves on
/// to the next, any other error ends the attempt.
fn connect_any(details: &ConnectionDetails) -> Result<TcpStream, ureq::Error> {
    let budget = details.timeout.not_zero().map(|d| *d);
    let started = std::time::Instant::now();
    let addrs: &[SocketAddr] = &details.addrs;
    let mut last = None;
    for (i, addr) in addrs.iter().enumerate() {
        let attempt = match budget {
            Some(total) => {
                let left = total.saturating_sub(started.elapsed());
                if left.is_zero() {
                    // Whichever deadline ran out, no connection was made in time.
                    return Err(ureq::Error::Timeout(Timeout::Connect));
                }
                let share = left / (addrs.len() - i) as u32;
                TcpStream::connect_timeout(addr, share.max(MIN_PER_ADDRESS))
            }
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                last = Some(ureq::Error::Timeout(Timeout::Connect));
            }
            Err(e) if address_specific(&e) => last = Some(ureq::Error::Io(e)),
            Err(e) => return Err(e.into()),
        }
    }
    Err(last.unwrap_or_else(|| {
        ureq::Error::Io(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "Connection refused",
        ))
    }))
}

/// A failure that concerns the address tried, so another address of the host may work.
fn address_specific(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

pub(crate) struct TcpTransport {
    /// Shared (weakly) with the agent's shutdown handle.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    /// The timeouts last set on the socket.
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl std::fmt::Debug for TcpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpTransport")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

/// The timeout `next` asks for, `None` for none; an expired one is a timeout error.
fn wanted(next: NextTimeout) -> Result<Option<Duration>, ureq::Error> {
    if next.after.is_not_happening() {
        return Ok(None);
    }
    if next.after.is_zero() {
        return Err(ureq::Error::Timeout(next.reason));
    }
    Ok(Some(*next.after))
}

/// Whether the socket's timeout `set` must change to give `want`.
fn must_reset(set: Option<Duration>, want: Option<Duration>) -> bool {
    match (set, want) {
        (Some(set), Some(want)) => set.abs_diff(want) > want / TIMEOUT_SLACK,
        (None, None) => false,
        _ => true,
    }
}

/// An I/O error as ureq reports it: a socket timeout (`EAGAIN` under `SO_RCVTIMEO`) is the
/// timeout `reason`.
fn io_error(e: io::Error, reason: Timeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let next = timeout.for_write();
        let want = wanted(next)?;
        if must_reset(self.write_timeout, want) {
            self.stream.set_write_timeout(want)?;
            self.write_timeout = want;
        }
        let output = &self.buffers.output()[..amount];
        (&*self.stream)
            .write_all(output)
            .map_err(|e| io_error(e, next.reason))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let next = timeout.for_read();
        let want = wanted(next)?;
        if must_reset(self.read_timeout, want) {
            self.stream.set_read_timeout(want)?;
            self.read_timeout = want;
        }
        let started = std::time::Instant::now();
        let amount = loop {
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                // Linux does not restart a socket read under SO_RCVTIMEO after a signal; go on
                // with what is left of the timeout (none left: a timeout).
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(want) = want else {
                        return Err(e.into());
                    };
                    let left = want.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(ureq::Error::Timeout(next.reason));
                    }
                    self.stream.set_read_timeout(Some(left))?;
                    self.read_timeout = Some(left);
                }
                result => break result.map_err(|e| io_error(e, next.reason))?,
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    /// Open means: nothing to read and no error pending. Bytes nobody asked for, an end of
    /// stream or a reset all mean the connection must not be used again.
    fn is_open(&mut self) -> bool {
        probe(&self.stream)
    }
}

#[cfg(unix)]
fn probe(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    // SAFETY: a one-byte read into a local, on a descriptor `stream` owns.
    let n = unsafe {
        libc::recv(
            stream.as_raw_fd(),
            (&raw mut byte).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

#[cfg(not(unix))]
fn probe(stream: &TcpStream) -> bool {
    let mut byte = [0u8];
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let idle = matches!(stream.peek(&mut byte), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && idle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_move_only_past_the_slack() {
        let s = |ms| Some(Duration::from_millis(ms));
        assert!(!must_reset(s(60_000), s(59_999)));
        assert!(!must_reset(s(60_000), s(60_050)));
        assert!(must_reset(s(60_000), s(59_900)));
        assert!(must_reset(s(100), s(99)));
        assert!(must_reset(None, s(1)));
        assert!(must_reset(s(1), None));
        assert!(!must_reset(None, None));
    }

    #[test]
    fn probe_tells_idle_from_closed_and_from_unasked_bytes() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        assert!(probe(&client), "an idle connection is open");
        server.write_all(b"x").unwrap();
        // The byte is in flight on loopback; a blocking peek waits for it without consuming.
        client.peek(&mut [0u8]).unwrap();
        assert!(
            !probe(&client),
            "unasked bytes mean the connection is not reusable"
        );
        let mut byte = [0u8];
        (&client).read_exact(&mut byte).unwrap();
        assert!(probe(&client));
        drop(server);
        client.peek(&mut [0u8]).unwrap();
        assert!(!probe(&client), "a closed connection is not open");
    }
}
