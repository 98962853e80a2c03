//! Local files are opened with `O_NONBLOCK`, so that a FIFO or a device planted at a path
//! cannot hold `open()` until another program opens its other end; once the file is known to
//! be regular, the flag is cleared so that reads and writes are plain ones.

use std::fs::File;
use std::io;

/// Clears the non-blocking flag of `file`.
#[cfg(unix)]
pub(crate) fn clear(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor `file` owns, reading then writing its status flags.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn clear(_: &File) -> io::Result<()> {
    Ok(())
}
