//! Threads sharing one client keep their connections: each request after the first on a
//! thread goes over a kept-alive connection, however many threads return theirs at once.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use jogg::VoiceFilter;

#[test]
fn eight_threads_reuse_eight_connections() {
    let server = common::mock(0);
    let client = common::client(&server);
    const THREADS: usize = 8;
    const ROUNDS: usize = 20;
    // Each round every thread makes one request, and no round starts before all eight have
    // finished the last one, so all eight connections are back in the pool together: a pool
    // that kept fewer idle connections than threads would open new ones every round.
    let barrier = Arc::new(Barrier::new(THREADS));
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (client, barrier) = (client.clone(), Arc::clone(&barrier));
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    barrier.wait();
                    let voices = client.v1().voices().list(&VoiceFilter::default()).unwrap();
                    assert!(!voices.voices.is_empty());
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(server.requests().len(), THREADS * ROUNDS);
    let opened = server.connections_opened();
    assert!(
        opened <= THREADS as u64,
        "{opened} connections for {THREADS} threads"
    );
}
