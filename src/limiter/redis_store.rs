//! The `redis://` scope: the slots of one key in a Redis sorted set scored by expiry, taken
//! and released by server-side scripts, so that workers on any number of hosts share one
//! count.
//!
//! Every time comes from the Redis server's clock (`TIME` inside the script): hosts' clocks
//! differ, Redis's is the one all workers see. A script runs atomically, so "drop the expired
//! slots, count, add" cannot interleave with another worker's. Slots are leases (see the
//! module above): a worker killed with slots in flight frees them when they expire. The
//! cooldown after a 429 is a key with a time to live; the sorted set gets one too, so an
//! idle key leaves nothing behind.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::Script;

use super::{Admission, PostSlot, PostSlotStore};

/// KEYS: the slots, the cooldown. ARGV: limit, lease in ms, slot id. Returns 0 when the slot
/// was taken, else the ms to wait. (`replicate_commands` lets Redis 3.2 to 4 write after
/// `TIME`; from Redis 5 on it is the default and the call does nothing.)
const ACQUIRE: &str = r"
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cool = redis.call('PTTL', KEYS[2])
if cool > 0 then return cool end
local hold = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
";

/// KEYS: the slots. ARGV: hold in ms, slot id. The slot now expires `hold` from now.
const RELEASE: &str = r"
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], now + hold, ARGV[2])
if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
return 0
";

/// KEYS: the cooldown. ARGV: pause in ms. Extends, never shortens.
const COOLDOWN: &str = r"
local pause = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < pause then redis.call('SET', KEYS[1], '1', 'PX', pause) end
return 0
";

pub(crate) struct RedisStore {
    /// The URL with any password replaced, for messages.
    shown: String,
    client: Result<redis::Client, String>,
    timeout: Duration,
    slots_key: String,
    cooldown_key: String,
    /// One connection per client, opened at the first POST and again after a failure.
    conn: Mutex<Option<redis::Connection>>,
    scripts: [Script; 3],
}

impl RedisStore {
    pub(crate) fn new(url: &str, key_id: &str, timeout: Duration) -> RedisStore {
        RedisStore {
            shown: redact(url),
            client: redis::Client::open(url).map_err(|_| "not a valid redis:// URL".to_string()),
            timeout,
            // One hash tag, so that both keys live on one node of a cluster.
            slots_key: format!("jogg:post:{{{key_id}}}:slots"),
            cooldown_key: format!("jogg:post:{{{key_id}}}:cooldown"),
            conn: Mutex::new(None),
            scripts: [
                Script::new(ACQUIRE),
                Script::new(RELEASE),
                Script::new(COOLDOWN),
            ],
        }
    }

    /// Runs `call` on the connection, opening it first if needed. A connection that fails is
    /// dropped and the call tried once more on a new one (Redis restarted, an idle connection
    /// closed); a second failure is the store's error.
    fn with_conn<T>(
        &self,
        call: impl Fn(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, String> {
        let client = self.client.as_ref().map_err(String::clone)?;
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut last = String::new();
        for _ in 0..2 {
            if conn.is_none() {
                match self.connect(client) {
                    Ok(c) => *conn = Some(c),
                    Err(e) => {
                        last = e;
                        continue;
                    }
                }
            }
            let Some(c) = conn.as_mut() else { continue };
            match call(c) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    *conn = None;
                    last = describe(&e);
                    // A reply of the server (a script error) would be the same again.
                    if !(e.is_io_error() || e.is_connection_dropped() || e.is_timeout()) {
                        break;
                    }
                }
            }
        }
        Err(last)
    }

    fn connect(&self, client: &redis::Client) -> Result<redis::Connection, String> {
        let conn = client
            .get_connection_with_timeout(self.timeout)
            .map_err(|e| describe(&e))?;
        conn.set_read_timeout(Some(self.timeout))
            .and_then(|()| conn.set_write_timeout(Some(self.timeout)))
            .map_err(|e| describe(&e))?;
        Ok(conn)
    }
}

impl PostSlotStore for RedisStore {
    fn try_acquire(&self, slot: &PostSlot<'_>) -> Result<Admission, String> {
        let wait: u64 = self.with_conn(|c| {
            self.scripts[0]
                .key(&self.slots_key)
                .key(&self.cooldown_key)
                .arg(slot.limit)
                .arg(slot.hold.as_millis() as u64)
                .arg(slot.id)
                .invoke(c)
        })?;
        Ok(match wait {
            0 => Admission::Taken,
            ms => Admission::Wait(Duration::from_millis(ms)),
        })
    }

    fn release(&self, slot: &PostSlot<'_>) -> Result<(), String> {
        self.with_conn(|c| {
            self.scripts[1]
                .key(&self.slots_key)
                .arg(slot.hold.as_millis() as u64)
                .arg(slot.id)
                .invoke(c)
        })
    }

    fn cooldown(&self, _key_id: &str, pause: Duration) -> Result<(), String> {
        self.with_conn(|c| {
            self.scripts[2]
                .key(&self.cooldown_key)
                .arg(pause.as_millis().max(1) as u64)
                .invoke(c)
        })
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}

/// A Redis error in our words: the kind of failure and the server's or the system's text.
/// Neither holds the URL (nor its password).
fn describe(e: &redis::RedisError) -> String {
    if e.is_connection_refusal() {
        return format!("connection refused ({e})");
    }
    e.to_string()
}

/// `url` checked as the config does: `redis://` and something the redis crate can read.
/// The error never quotes the URL, which may hold a password.
pub(crate) fn check_url(url: &str) -> Result<(), &'static str> {
    if !url.starts_with("redis://") {
        return Err("must be \"client\", \"process\", \"host\" or a redis:// URL");
    }
    redis::Client::open(url)
        .map(drop)
        .map_err(|_| "is not a valid redis:// URL (redis://host:port/db)")
}

/// The URL for messages and `Debug`: scheme, host, port and database; any user or password
/// replaced, any query left out.
pub(crate) fn redact(url: &str) -> String {
    let Some(rest) = url.strip_prefix("redis://") else {
        return "<redis URL>".to_string();
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rfind('@') {
        Some(at) => format!("redis://<redacted>@{}{path}", &authority[at + 1..]),
        None => format!("redis://{authority}{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact("redis://:s3cret@10.0.0.5:6379/2?protocol=resp3"),
            "redis://<redacted>@10.0.0.5:6379/2"
        );
        assert_eq!(redact("redis://user:pw@h/0"), "redis://<redacted>@h/0");
        assert_eq!(
            redact("redis://127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
        assert!(check_url("redis://127.0.0.1:6379/0").is_ok());
        assert!(check_url("rediss://127.0.0.1/0").is_err());
        assert!(check_url("redis://127.0.0.1:notaport/0").is_err());
    }

    #[test]
    fn an_unreachable_server_is_the_stores_error() {
        // Port 1 on loopback: nothing listens.
        let store = RedisStore::new("redis://:pw@127.0.0.1:1/0", "k", Duration::from_secs(1));
        let slot = PostSlot {
            id: "1",
            key_id: "k",
            limit: 1,
            hold: Duration::from_secs(1),
        };
        let e = store.try_acquire(&slot).unwrap_err();
        assert!(e.contains("refused"), "{e}");
        assert!(!e.contains("pw"), "{e}");
        assert_eq!(store.describe(), "redis://<redacted>@127.0.0.1:1/0");
    }
}
