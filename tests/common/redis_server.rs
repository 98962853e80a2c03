//! A real `redis-server` for the shared POST limit: started on a free loopback port with a
//! temporary directory, no persistence and no password, stopped when dropped. Used by
//! tests/shared_limit.rs and benches/shared_limit.rs (through `#[path]`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
}

/// `redis-server` on PATH, else Debian's path. Missing is a failure, not a skip: CI installs it.
fn binary() -> PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("redis-server"))
            .find(|p| p.is_file())
    });
    on_path
        .or_else(|| Some(PathBuf::from("/usr/bin/redis-server")).filter(|p| p.is_file()))
        .expect(
            "redis-server not found on PATH or in /usr/bin: install Debian's redis-server \
             package (apt-get install redis-server; .ci/run does)",
        )
}

impl RedisServer {
    /// A new server. The port is one the system just said was free; another process can
    /// take it before redis-server binds it, and then redis-server exits: that is retried on
    /// another port.
    pub fn start() -> RedisServer {
        let mut last = String::new();
        for _ in 0..5 {
            match RedisServer::try_start() {
                Ok(server) => return server,
                Err(why) => last = why,
            }
        }
        panic!("redis-server did not start: {last}");
    }

    fn try_start() -> Result<RedisServer, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let dir = std::env::temp_dir().join(format!("jogg-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("redis temp dir");
        let mut child = Command::new(binary())
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start redis-server");
        // Its log says when it listens, or why it could not; the rest is read and dropped.
        let stdout = child.stdout.take().expect("piped stdout");
        let (ready, listening) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut log = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Ready to accept connections") {
                    let _ = ready.send(Ok(()));
                }
                if log.len() < 20 {
                    log.push(line);
                }
            }
            // The server exited (before it was ready, if nothing was sent yet).
            let _ = ready.send(Err(log.join("\n")));
        });
        let server = RedisServer {
            child: Some(child),
            port,
            dir,
        };
        match listening.recv_timeout(Duration::from_secs(30)) {
            Ok(Ok(())) => {}
            Ok(Err(log)) => return Err(format!("it exited on port {port}:\n{log}")),
            Err(_) => return Err(format!("not ready on port {port} after 30 s")),
        }
        assert_eq!(server.ping().expect("PING"), "PONG");
        Ok(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(2))
    }

    fn ping(&self) -> redis::RedisResult<String> {
        redis::cmd("PING").query(&mut self.connection()?)
    }

    /// Commands clients have sent: the scripts' EVALSHA (and EVAL, SCRIPT LOAD) and the
    /// connections' handshakes, from `INFO commandstats`; not the commands the scripts ran
    /// inside the server, nor INFO itself. Each is one round trip.
    pub fn client_commands(&self) -> u64 {
        let info: String = redis::cmd("INFO")
            .arg("commandstats")
            .query(&mut self.connection().expect("connect to redis"))
            .expect("INFO commandstats");
        info.lines()
            .filter_map(|l| l.strip_prefix("cmdstat_")?.split_once(":calls="))
            .filter(|(name, _)| {
                [
                    "eval", "evalsha", "script", "hello", "client", "select", "auth", "ping",
                ]
                .contains(&name.split('|').next().unwrap_or(name))
            })
            .filter_map(|(_, rest)| rest.split(',').next()?.parse::<u64>().ok())
            .sum()
    }

    /// Stops the server now (a store going away mid-run).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
