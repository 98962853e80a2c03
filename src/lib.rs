//! # jogg: the Jogg.ai video-generation API
//!
//! A blocking client for the Jogg.ai API with a stable C ABI (`include/jogg.h`). The main job:
//! create a talking-avatar video, wait until it has rendered, fetch it.
//!
//! ```
//! use jogg::{Client, Config, CreateTalkingAvatarVideo, WaitOptions};
//! use std::ops::ControlFlow;
//!
//! # let mock = jogg_mock::MockServer::start(jogg_mock::MockConfig {
//! #     render_ms: 0,
//! #     ..Default::default()
//! # })
//! # .unwrap();
//! # let mut config = Config::new(jogg_mock::MOCK_API_KEY).with_base_url(mock.base_url());
//! # config.proxy = jogg::Proxy::None;
//! // `config`: `Config::new(api_key)`, or `Config::from_env()` for JOGG_API_KEY (here it is
//! // a jogg-mock's, so that this example runs as a test).
//! let client = Client::new(config)?;
//! let request = CreateTalkingAvatarVideo::from_script(81, "en-US-ChristopherNeural", "Hello!");
//! let created = client.v1().videos().create_from_talking_avatar(&request)?;
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
//!
//! ## Where things are
//!
//! - **A client**: [`Client::new`] with a [`Config`] (the API key, timeouts, retries, the
//!   POST limit and who shares it, logging). One client serves any number of threads.
//! - **Every operation, typed**: by version, then area. [`Client::v1`] gives
//!   [`V1`]: `videos()`, `projects()`, `avatars()`, `voices()`, `music()`,
//!   `visual_styles()`, `templates()`, `products()`, `scripts()`, `photo_avatars()`,
//!   `assets()`, `webhooks()`. [`Client::v2`] gives [`V2`]: `videos()`, `avatars()`,
//!   `voices()`, `music()`, `visual_styles()`, `templates()`, `products()`,
//!   `product_avatars()`, `photo_avatars()`, `scripts()`, `lip_sync()`, `translations()`,
//!   `account()`, `assets()`, `webhooks()`. Request and reply types live beside them in
//!   [`api`].
//! - **Every operation, by name**: [`Client::call`] (`"v1.get_project"` and JSON params, as
//!   the C function `jogg_call`), [`Client::paginate`] for paged lists.
//! - **Waiting for background work**: [`Client::wait_for_project`], [`Client::wait`] and
//!   [`Client::wait_many`] for any task kind ([`TaskKind::polled_by`]), and
//!   [`Client::call_and_wait`] to start a task and wait for it.
//! - **Files**: [`Client::upload_asset`] and [`Client::download`].
//! - **Webhooks**: [`webhook::verify`] and [`webhook::parse`] for deliveries; endpoints are in
//!   `webhooks()` of either version.
//!
//! ```
//! # let mock = jogg_mock::MockServer::start(Default::default()).unwrap();
//! # let mut config = jogg::Config::new(jogg_mock::MOCK_API_KEY).with_base_url(mock.base_url());
//! # config.proxy = jogg::Proxy::None;
//! # let client = jogg::Client::new(config)?;
//! let voices = client.v1().voices().list(&jogg::VoiceFilter {
//!     language: Some("english".into()),
//!     ..Default::default()
//! })?;
//! let quota = client.v2().account().remaining_quota()?;
//! let avatars = client.call("v1.list_avatars", &serde_json::json!({"gender": "female"}))?;
//! println!("{} voices, {quota} credits, {}", voices.voices.len(), avatars.data["avatars"]);
//! # assert!(!voices.voices.is_empty());
//! # Ok::<(), jogg::Error>(())
//! ```

/// The README's Rust example compiles (rustdoc runs it as a doctest, without network).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod api;
mod client;
mod clock;
mod config;
mod de;
mod download;
mod error;
#[cfg(feature = "internals")]
pub mod ffi;
#[cfg(not(feature = "internals"))]
mod ffi;
#[cfg(feature = "internals")]
pub mod fuzzing;
#[cfg(feature = "internals")]
pub mod hooks;
mod inbox;
mod limiter;
mod log;
mod nonblocking;
#[cfg(feature = "internals")]
pub mod operation;
#[cfg(not(feature = "internals"))]
mod operation;
#[cfg(feature = "internals")]
pub mod operations;
#[cfg(not(feature = "internals"))]
mod operations;
mod pages;
#[cfg(feature = "internals")]
pub mod schema;
#[cfg(not(feature = "internals"))]
mod schema;
mod scrub;
mod transport;
pub mod types;
mod upload;
mod wait;
pub mod webhook;

/// The library's insides, for its own tests, benchmarks and fuzz targets (the `internals`
/// feature): not part of the API, and may change in any release.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals {
    pub use crate::clock::ManualClock;
    pub use crate::ffi;
    pub use crate::fuzzing;
    pub use crate::hooks;
    pub use crate::operation;
    pub use crate::operations;
    pub use crate::schema;
}

pub use api::v1::V1;
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
pub use config::{ApiKey, Config, DEFAULT_BASE_URL, Proxy, TlsRoots};
pub use download::{DownloadProgress, Downloaded, part_path};
pub use error::{Error, ErrorKind, Result};
pub use inbox::{Delivery, MAX_DELIVERY_BYTES};
pub use limiter::{Admission, PostLimitFallback, PostLimitScope, PostSlot, PostSlotStore};
pub use log::{LogLevel, LogSink};
pub use operation::status::TaskStatus;
pub use operation::task::{Observed, TaskKind};
pub use operation::{Method, Version};
pub use pages::Items;
pub use transport::Reply;
pub use types::{AspectRatio, AvatarType, ScreenStyle};
pub use upload::{UploadOptions, UploadProgress, UploadedAsset};
pub use wait::{Finished, Progress, StatusSource, WaitOptions};
pub use webhook::WebhookEvent;
