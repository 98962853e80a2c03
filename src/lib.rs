//! # jogg: the Jogg.ai video-generation API
//!
//! A blocking client for the Jogg.ai API with a stable C ABI (`include/jogg.h`). The main job:
//! create a talking-avatar video, wait until it has rendered, fetch it.
//!
//! ```no_run
//! use jogg::{Client, Config, CreateTalkingAvatarVideo, WaitOptions};
//! use std::ops::ControlFlow;
//!
//! let client = Client::new(Config::new(std::env::var("JOGG_API_KEY").unwrap()))?;
//! let request = CreateTalkingAvatarVideo::from_script(81, "en-US-ChristopherNeural", "Hello!");
//! let created = client.create_video_from_talking_avatar(&request)?;
//! let project = client.wait_for_project(&created.project_id, &WaitOptions::default(), |p| {
//!     eprintln!("{} after {:?}", p.status.as_str(), p.elapsed);
//!     ControlFlow::Continue(())
//! })?;
//! println!("{}", project.video_url.unwrap_or_default());
//! # Ok::<(), jogg::Error>(())
//! ```
//!
//! Every call validates its request before sending (an error names the field), reads the
//! API's `{code, msg, data, rid}` envelope whatever the HTTP status, and reports failures as
//! one [`Error`] type carrying the API code, message, HTTP status and request id.

/// The README's Rust example compiles (rustdoc runs it as a doctest, without network).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod api;
mod client;
mod config;
mod de;
mod download;
mod error;
pub mod ffi;
/// Fuzz targets for `fuzz/` and `tests/fuzz_props.rs`; not part of the API.
#[doc(hidden)]
pub mod fuzzing;
/// Hooks for `benches/inprocess.rs` into parts the API does not expose; not part of the API.
#[doc(hidden)]
pub mod hooks;
mod limiter;
pub mod log;
mod members;
pub mod ops;
pub mod pages;
pub mod schema;
mod scrub;
mod task;
mod transport;
pub mod types;
mod upload;
mod wait;
pub mod webhook;

pub use api::v1::assets::UploadUrl;
pub use api::v1::avatars::{Avatar, AvatarFilter, AvatarList};
pub use api::v1::projects::Project;
pub use api::v1::videos::{CreateTalkingAvatarVideo, CreatedProject, Speech};
pub use api::v1::voices::{Voice, VoiceFilter, VoiceList};
pub use api::v1::webhooks::{
    CreateWebhookEndpoint, EndpointStatus, UpdateWebhookEndpoint, WebhookEndpoint,
};
pub use api::v2::V2;
pub use api::v2::assets::CreateUploadUrl;
pub use api::v2::webhooks::WebhookEndpointSpec;
pub use client::Client;
pub use config::{ApiKey, Config, DEFAULT_BASE_URL, Proxy};
pub use download::{DownloadProgress, Downloaded, part_path};
pub use error::{Code, Error, ErrorInfo, Result};
pub use limiter::{Admission, PostLimitFallback, PostLimitScope, PostSlot, PostSlotStore};
pub use log::{LogLevel, LogSink};
pub use ops::Version;
pub use task::{Found, Observed, StatusForm, StatusValues, TaskKind, TaskStatus};
pub use transport::{Method, Reply};
pub use types::{AspectRatio, AvatarType, ScreenStyle};
pub use upload::{UploadOptions, UploadProgress, UploadedAsset};
pub use wait::{Finished, Progress, WaitOptions};
pub use webhook::WebhookEvent;
