//! The client: a cheap-to-clone handle on one configured transport.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::clock::Clock;
#[cfg(feature = "internals")]
use crate::clock::ManualClock;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::inbox::Inbox;
use crate::operation::{self, Endpoint, Operation};
use crate::transport::{RawReply, Reply, Transport};

/// A Jogg API client. Clones share one connection pool; use it from any number of threads.
///
/// ```
/// # let mock = jogg_mock::MockServer::start(Default::default()).unwrap();
/// # let mut config = jogg::Config::new(jogg_mock::MOCK_API_KEY).with_base_url(mock.base_url());
/// # config.proxy = jogg::Proxy::None;
/// // jogg::Config::new("my-api-key") for the real API: here a jogg-mock's, to run as a test.
/// let client = jogg::Client::new(config)?;
/// let voices = client.v1().voices().list(&jogg::VoiceFilter {
///     language: Some("english".into()),
///     ..Default::default()
/// })?;
/// println!("{} English voices", voices.total.unwrap_or(0));
/// # Ok::<(), jogg::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    transport: Arc<Transport>,
    /// Webhook deliveries handed to this client (or a clone), for its waits.
    inbox: Arc<Inbox>,
    clock: Clock,
}

impl Client {
    /// Checks `config` (base URL scheme, timeouts, key form) and builds the connection pool.
    /// Nothing is sent.
    pub fn new(config: Config) -> Result<Client> {
        let inbox = Arc::new(Inbox::new(&config.webhook_secrets));
        Ok(Client {
            transport: Arc::new(Transport::new(config)?),
            inbox,
            clock: Clock::System,
        })
    }

    /// This client with its waits on `clock`, a clock that moves only when told to: for
    /// tests of the poll schedule, without sleeping. Not part of the API.
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub fn with_manual_clock(mut self, clock: Arc<ManualClock>) -> Client {
        self.clock = Clock::Manual(clock);
        self
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn inbox(&self) -> &Inbox {
        &self.inbox
    }

    /// The API root this client talks to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Runs an operation with JSON params: validates them, sends, and returns the reply's
    /// `data` as sent. The typed methods, [`Client::call`] and the C ABI are built on this.
    pub(crate) fn execute(&self, op: &Operation, params: &Value) -> Result<Reply> {
        self.execute_until(op, params, None)
    }

    /// [`Client::call`] ending by `until` when given.
    pub(crate) fn execute_until(
        &self,
        op: &Operation,
        params: &Value,
        until: Option<std::time::Instant>,
    ) -> Result<Reply> {
        let reply = self.execute_raw_until(op, params, until)?;
        self.scrubbed(reply.parse().map_err(|mut e| {
            e.0.message = format!("{}: {}", op.full_name(), e.0.message);
            e
        }))
    }

    /// [`Client::call`] with `data` left as the JSON text the server sent.
    pub(crate) fn execute_raw(&self, op: &Operation, params: &Value) -> Result<RawReply> {
        self.execute_raw_until(op, params, None)
    }

    /// [`Client::execute_raw`] ending by `until` when given, retries included (a wait's poll
    /// near the wait's deadline).
    pub(crate) fn execute_raw_until(
        &self,
        op: &Operation,
        params: &Value,
        until: Option<std::time::Instant>,
    ) -> Result<RawReply> {
        let p = operation::prepare(op, params).map_err(|mut e| {
            e.0.message = format!("{}: {}", op.full_name(), e.0.message);
            e
        })?;
        let reply = self
            .transport
            .send(p.method, &p.path, &p.query, p.body.as_ref(), until)?;
        // However the endpoint was made (typed method, C, `jogg_call`), its deliveries can
        // then be checked.
        if let Some(secret) = op.signing_secret.and_then(|read| read(&reply.data)) {
            self.inbox.learn_secret(secret);
        }
        Ok(reply)
    }

    /// A result on its way out: its error scrubbed (see [`crate::scrub`]). Every public
    /// method that can quote what a server sent ends with this.
    pub(crate) fn scrubbed<T>(&self, r: Result<T>) -> Result<T> {
        self.transport.scrubber().result(r)
    }

    /// Sends a typed request and decodes the reply's `data`: the body of most typed methods.
    pub(crate) fn request<R: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
        request: &R,
    ) -> Result<T> {
        self.fetch(endpoint, &self.to_params(request)?)
    }

    /// Sends JSON params and decodes the reply's `data` into the endpoint's type (a mismatch
    /// is `ERR_BAD_RESPONSE`).
    pub(crate) fn fetch<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint<T>,
        params: &Value,
    ) -> Result<T> {
        self.scrubbed(crate::de::decode_text(
            endpoint,
            self.execute_raw(endpoint, params)?,
        ))
    }

    /// A typed request as JSON params for [`Client::call`].
    pub(crate) fn to_params<T: Serialize>(&self, request: &T) -> Result<Value> {
        serde_json::to_value(request)
            .map_err(|e| Error::new(ErrorKind::Internal, format!("request encoding failed: {e}")))
    }
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
};
