//! Receiving webhook deliveries (api-notes §8): check the signature, then read the event.
//!
//! Jogg signs each delivery with the endpoint's secret: the `X-Webhook-Signature` header is
//! the lowercase hex HMAC-SHA256 of the raw request body. Verify the bytes exactly as they
//! arrived; a body re-serialised by a JSON library no longer matches (D53).
//!
//! ```
//! use jogg::webhook;
//!
//! let secret = "a1b2c3d4e5f6g7h8";
//! let body = br#"{"event_id":"evt_1","event":"generated_video_success","timestamp":1700000000,
//!     "data":{"project_id":"p1","video_url":"https://cdn.example.com/p1.mp4","duration":12}}"#;
//! let signature = webhook::sign(body, secret); // what Jogg puts in X-Webhook-Signature
//!
//! let event = webhook::parse(body, Some(&signature), secret)?;
//! assert_eq!(event.task_kind, "video");
//! assert_eq!(event.id.as_deref(), Some("p1"));
//! assert_eq!(event.status, jogg::TaskStatus::Succeeded);
//! assert!(webhook::verify(b"tampered", Some(&signature), secret).is_err());
//! # Ok::<(), jogg::Error>(())
//! ```

// The parts that the client's inbox and the task kinds build on are in their own modules,
// which know nothing of the operation table; this one gathers them as the public `webhook`
// module and adds what needs that table.

pub(crate) mod event;
pub(crate) mod signature;

pub use event::{EVENT_HEADER, WebhookEvent, parse};
pub use signature::{SIGNATURE_HEADER, sign, verify};

use crate::operation::task::TaskKind;

/// Every event name the documents list (D50), gathered from the task kinds that end with
/// them, each once. The set is open: [`parse`] accepts others.
pub fn known_events() -> Vec<&'static str> {
    TaskKind::events_of(TaskKind::all())
}
