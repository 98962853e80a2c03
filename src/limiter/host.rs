//! The `host` scope: the slots of one key in a small state file that the processes of this
//! user on this host share, read and replaced under an exclusive `flock` on a lock file.
//!
//! Both live in a private directory (0700, ours; refused otherwise, since anyone who can
//! write there can stall or overrun us), named by the key's hash, never the key:
//! `post-<key id>.lock` and `post-<key id>.slots`. The state file is replaced by a rename,
//! so a process killed mid-write leaves the previous state, and the kernel drops the lock
//! of a killed process. Times are the monotonic clock in milliseconds, the same for every
//! process of the host and immune to wall-clock steps; the boot id in the file makes a
//! state written before a reboot (whose clock restarted) count for nothing.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::{Admission, PostSlot, PostSlotStore};

pub(crate) struct HostStore {
    dir: PathBuf,
    key_id: String,
    /// Test hook: this process's clock reads that many ms off.
    skew_ms: i64,
    /// The open lock file. `flock` excludes other processes, not our own threads (they share
    /// the open file), hence the mutex.
    lock: Mutex<Option<std::fs::File>>,
}

impl HostStore {
    pub(crate) fn new(dir: Option<PathBuf>, key_id: &str, skew_ms: i64) -> HostStore {
        HostStore {
            dir: dir.unwrap_or_else(default_dir),
            key_id: key_id.to_string(),
            skew_ms,
            lock: Mutex::new(None),
        }
    }

    fn path(&self, ext: &str) -> PathBuf {
        self.dir.join(format!("post-{}.{ext}", self.key_id))
    }

    /// Runs `f` on the state under the lock; writes the state back if `f` says so.
    fn with_state<T>(&self, f: impl FnOnce(&mut State, u64) -> (T, bool)) -> Result<T, String> {
        let mut lock = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        if lock.is_none() {
            *lock = Some(self.open()?);
        }
        let file = lock.as_ref().ok_or("the lock file is not open")?;
        let _held = sys::Flock::exclusive(file)
            .map_err(|e| format!("cannot lock {}: {e}", self.path("lock").display()))?;
        let now = self.now_ms();
        let mut state = self.read(now)?;
        let (answer, changed) = f(&mut state, now);
        if changed {
            self.write(&state)?;
        }
        Ok(answer)
    }

    fn open(&self) -> Result<std::fs::File, String> {
        sys::private_dir(&self.dir)?;
        sys::open_private(&self.path("lock"))
            .map_err(|e| format!("cannot open {}: {e}", self.path("lock").display()))
    }

    fn now_ms(&self) -> u64 {
        sys::monotonic_ms().saturating_add_signed(self.skew_ms)
    }

    /// The state with what expired by `now` dropped. A missing file is an empty state; a file
    /// from before the last boot too.
    fn read(&self, now: u64) -> Result<State, String> {
        let path = self.path("slots");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let mut state = State::parse(&text).ok_or_else(|| {
            format!(
                "{} is not a state file of this version of jogg; remove it",
                path.display()
            )
        })?;
        if state.boot != sys::boot_id() {
            state = State::default();
        }
        state.slots.retain(|(_, expiry)| *expiry > now);
        Ok(state)
    }

    fn write(&self, state: &State) -> Result<(), String> {
        let path = self.path("slots");
        let tmp = self.path("slots.tmp");
        let text = state.render(&sys::boot_id());
        sys::write_private(&tmp, text.as_bytes())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

impl PostSlotStore for HostStore {
    fn try_acquire(&self, slot: &PostSlot<'_>) -> Result<Admission, String> {
        self.with_state(|state, now| {
            if state.cooldown_until > now {
                return (Admission::Wait(ms(state.cooldown_until - now)), false);
            }
            if state.slots.len() < slot.limit as usize {
                state
                    .slots
                    .push((slot.id.to_string(), now + slot.hold.as_millis() as u64));
                return (Admission::Taken, true);
            }
            let first = state.slots.iter().map(|(_, e)| *e).min().unwrap_or(now);
            (Admission::Wait(ms(first - now)), false)
        })
    }

    fn release(&self, slot: &PostSlot<'_>) -> Result<(), String> {
        self.with_state(|state, now| {
            let expiry = now + slot.hold.as_millis() as u64;
            match state.slots.iter_mut().find(|(id, _)| id == slot.id) {
                Some(held) => held.1 = expiry,
                None => state.slots.push((slot.id.to_string(), expiry)),
            }
            ((), true)
        })
    }

    fn cooldown(&self, _key_id: &str, pause: Duration) -> Result<(), String> {
        self.with_state(|state, now| {
            let until = now + pause.as_millis() as u64;
            let longer = until > state.cooldown_until;
            if longer {
                state.cooldown_until = until;
            }
            ((), longer)
        })
    }

    fn describe(&self) -> String {
        format!("the host scope's directory {}", self.dir.display())
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The directory when the config names none: one per user, the same whatever the process's
/// environment (a cron job and a shell must agree), so not `$TMPDIR` or `$XDG_RUNTIME_DIR`.
fn default_dir() -> PathBuf {
    PathBuf::from(format!("/tmp/jogg-{}", sys::euid()))
}

/// The state file: a header line with the format and the boot id, the cooldown's end, then
/// one line per slot with its expiry.
#[derive(Debug, Default, PartialEq)]
struct State {
    boot: String,
    cooldown_until: u64,
    slots: Vec<(String, u64)>,
}

const HEADER: &str = "jogg-post-slots/1";

impl State {
    fn parse(text: &str) -> Option<State> {
        let mut lines = text.lines();
        let Some(header) = lines.next() else {
            return Some(State::default());
        };
        let boot = header.strip_prefix(HEADER)?.trim().to_string();
        let cooldown_until = lines.next()?.strip_prefix("cooldown ")?.parse().ok()?;
        let mut slots = Vec::new();
        for line in lines {
            let (expiry, id) = line.split_once(' ')?;
            slots.push((id.to_string(), expiry.parse().ok()?));
        }
        Some(State {
            boot,
            cooldown_until,
            slots,
        })
    }

    fn render(&self, boot: &str) -> String {
        let mut text = format!("{HEADER} {boot}\ncooldown {}\n", self.cooldown_until);
        for (id, expiry) in &self.slots {
            text.push_str(&format!("{expiry} {id}\n"));
        }
        text
    }
}

#[cfg(unix)]
mod sys {
    use std::fs::{DirBuilder, File, OpenOptions};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
    use std::path::Path;

    pub(super) fn euid() -> u32 {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() }
    }

    pub(super) fn monotonic_ms() -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec to write; CLOCK_MONOTONIC always exists.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
        (ts.tv_sec as u64) * 1000 + (ts.tv_nsec as u64) / 1_000_000
    }

    /// Linux's id of this boot; elsewhere the monotonic clock's own epoch is all we have.
    pub(super) fn boot_id() -> String {
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "-".to_string())
    }

    /// Creates `dir` (0700) if needed and checks that it is a directory of ours that no one
    /// else may open.
    pub(super) fn private_dir(dir: &Path) -> Result<(), String> {
        let shown = dir.display();
        if let Err(e) = DirBuilder::new().recursive(true).mode(0o700).create(dir) {
            return Err(format!("cannot create {shown}: {e}"));
        }
        let meta = std::fs::symlink_metadata(dir).map_err(|e| format!("{shown}: {e}"))?;
        if !meta.is_dir() {
            return Err(format!("{shown} is not a directory"));
        }
        if meta.uid() != euid() {
            return Err(format!(
                "{shown} belongs to another user (uid {}); use a directory of your own",
                meta.uid()
            ));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(format!(
                "{shown} is open to other users (mode {:o}); it must be private (chmod 700)",
                meta.mode() & 0o777
            ));
        }
        Ok(())
    }

    pub(super) fn open_private(path: &Path) -> std::io::Result<File> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)
    }

    pub(super) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path)?;
        file.write_all(bytes)
    }

    /// An exclusive `flock`, released when dropped.
    pub(super) struct Flock<'a>(&'a File);

    /// How long a POST waits for the lock. Holders keep it for a read and a write of a small
    /// file; one that holds it this long is stopped (SIGSTOP, a debugger), and waiting for it
    /// would hang every POST of the host.
    const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

    impl<'a> Flock<'a> {
        pub(super) fn exclusive(file: &'a File) -> std::io::Result<Flock<'a>> {
            let started = std::time::Instant::now();
            loop {
                // SAFETY: a valid open descriptor; flock has no memory effects.
                if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                    return Ok(Flock(file));
                }
                let e = std::io::Error::last_os_error();
                match e.kind() {
                    std::io::ErrorKind::Interrupted => {}
                    std::io::ErrorKind::WouldBlock if started.elapsed() < LOCK_WAIT => {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    std::io::ErrorKind::WouldBlock => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            format!(
                                "another process has held the lock for {} s",
                                LOCK_WAIT.as_secs()
                            ),
                        ));
                    }
                    _ => return Err(e),
                }
            }
        }
    }

    impl Drop for Flock<'_> {
        fn drop(&mut self) {
            // SAFETY: as above. Closing the file would also release it.
            unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
        }
    }
}

#[cfg(not(unix))]
mod sys {
    use std::fs::File;
    use std::path::Path;

    const UNSUPPORTED: &str = "the host scope needs a Unix system";

    pub(super) fn euid() -> u32 {
        0
    }
    pub(super) fn monotonic_ms() -> u64 {
        0
    }
    pub(super) fn boot_id() -> String {
        String::new()
    }
    pub(super) fn private_dir(_: &Path) -> Result<(), String> {
        Err(UNSUPPORTED.to_string())
    }
    pub(super) fn open_private(_: &Path) -> std::io::Result<File> {
        Err(std::io::Error::other(UNSUPPORTED))
    }
    pub(super) fn write_private(_: &Path, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::other(UNSUPPORTED))
    }
    pub(super) struct Flock;
    impl Flock {
        pub(super) fn exclusive(_: &File) -> std::io::Result<Flock> {
            Err(std::io::Error::other(UNSUPPORTED))
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jogg-host-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn slot<'a>(id: &'a str, hold_ms: u64) -> PostSlot<'a> {
        PostSlot {
            id,
            key_id: "k",
            limit: 2,
            hold: Duration::from_millis(hold_ms),
        }
    }

    #[test]
    fn two_stores_on_one_directory_share_the_count() {
        let dir = temp("share");
        let a = HostStore::new(Some(dir.clone()), "key", 0);
        let b = HostStore::new(Some(dir.clone()), "key", 0);
        assert_eq!(a.try_acquire(&slot("1", 60_000)), Ok(Admission::Taken));
        assert_eq!(b.try_acquire(&slot("2", 60_000)), Ok(Admission::Taken));
        let Ok(Admission::Wait(d)) = a.try_acquire(&slot("3", 60_000)) else {
            panic!("a third slot within the window");
        };
        assert!(d > Duration::from_secs(59), "{d:?}");
        // Released: held for its short hold only, then free for the other process.
        b.release(&slot("2", 0)).unwrap();
        assert_eq!(a.try_acquire(&slot("3", 60_000)), Ok(Admission::Taken));
        // The directory is private, the files are named by the key id.
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        assert!(dir.join("post-key.slots").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_shared_directory_is_refused() {
        let dir = temp("open");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let store = HostStore::new(Some(dir.clone()), "key", 0);
        let e = store.try_acquire(&slot("1", 1000)).unwrap_err();
        assert!(e.contains("open to other users (mode 777)"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn cooldown_is_shared_and_only_extended() {
        let dir = temp("cool");
        let a = HostStore::new(Some(dir.clone()), "key", 0);
        let b = HostStore::new(Some(dir.clone()), "key", 0);
        a.cooldown("key", Duration::from_secs(30)).unwrap();
        b.cooldown("key", Duration::from_secs(1)).unwrap();
        let Ok(Admission::Wait(d)) = b.try_acquire(&slot("1", 1000)) else {
            panic!("taken during a cooldown");
        };
        assert!(d > Duration::from_secs(29), "{d:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn state_round_trips_and_junk_is_refused() {
        let state = State {
            boot: "b".into(),
            cooldown_until: 7,
            slots: vec![("p-1".into(), 10), ("p-2".into(), 20)],
        };
        assert_eq!(State::parse(&state.render("b")), Some(state));
        assert_eq!(State::parse(""), Some(State::default()));
        assert_eq!(State::parse("something else\n"), None);
    }
}
