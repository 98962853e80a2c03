//! A client used after `fork()`: the child never touches the connections the parent pooled,
//! so neither process reads the other's replies (pre-fork servers: gunicorn --preload, Apache
//! prefork, PHP-FPM with a module-level client).
//!
//! In its own test binary: fork() copies only the calling thread, so the child must not need
//! a lock another thread held at that moment. Here the other threads are the harness's main
//! thread (waiting) and the in-process mock's (the child never touches the mock object); the
//! child makes its requests, reports through its exit status and leaves with `_exit`, running
//! no destructor and printing nothing.

mod common;

use jogg::Client;

/// In the child: `rounds` polls of `id`, each of which must answer for `id`. Exit status 0 when
/// all did, 1 for a reply about another project, 2 for an error, 3 for a panic.
fn child(client: &Client, id: &str, rounds: usize) -> ! {
    let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        for _ in 0..rounds {
            match client.v1().projects().get(id) {
                Ok(p) if p.id == id => {}
                Ok(_) => return 1,
                Err(_) => return 2,
            }
        }
        0
    }))
    .unwrap_or(3);
    // SAFETY: ends the child at once, as a forked child of a threaded process must.
    unsafe { libc::_exit(status) }
}

fn fork_and(client: &Client, id: &str, rounds: usize) -> libc::pid_t {
    // SAFETY: the child only runs `child`, which ends in `_exit`.
    match unsafe { libc::fork() } {
        -1 => panic!("fork: {}", std::io::Error::last_os_error()),
        0 => child(client, id, rounds),
        pid => pid,
    }
}

fn exit_status(pid: libc::pid_t) -> i32 {
    let mut status = 0;
    // SAFETY: waits for our own child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status),
        "child ended by a signal: {status:#x}"
    );
    libc::WEXITSTATUS(status)
}

#[test]
fn forked_child_gets_its_own_connection_and_replies() {
    let server = common::mock(0);
    let client = common::client(&server);
    let create = |script: &str| common::create_video(&client, script).unwrap();
    // Two projects; the requests leave one idle connection in the parent's pool.
    let (mine, theirs) = (create("parent"), create("child"));
    let before = server.connections_opened();

    // The child alone first: it must open a connection of its own, not take the pooled one.
    assert_eq!(exit_status(fork_and(&client, &theirs, 1)), 0);
    assert_eq!(
        server.connections_opened(),
        before + 1,
        "the child reused a connection it inherited"
    );
    // The parent's pooled connection still works and answers the parent.
    assert_eq!(client.v1().projects().get(&mine).unwrap().id, mine);

    // Then both at once, many times over: every reply answers the process that asked.
    let pid = fork_and(&client, &theirs, 200);
    for _ in 0..200 {
        assert_eq!(client.v1().projects().get(&mine).unwrap().id, mine);
    }
    assert_eq!(
        exit_status(pid),
        0,
        "the child got an error or a reply not its own"
    );
}
