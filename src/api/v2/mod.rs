//! The v2 API (`https://api.jogg.ai/v2/...`): nested request bodies, word enums in requests.
//!
//! v2 operations often share a name with their v1 counterpart, so their typed methods live on
//! a view, [`V2`], reached with [`Client::v2`]: `client.v2().list_webhook_endpoints()`.

pub mod ai_scripts;
pub mod assets;
pub mod avatars;
pub mod common;
pub mod lip_sync;
pub mod music;
pub mod photo_avatars;
pub mod product_avatars;
pub mod products;
pub mod templates;
pub mod translation;
pub mod user;
pub mod videos;
pub mod visual_styles;
pub mod voices;
pub mod webhooks;

use crate::client::Client;

/// The v2 operations of a client. Borrowing, free to create.
#[derive(Clone, Copy, Debug)]
pub struct V2<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The v2 operations.
    pub fn v2(&self) -> V2<'_> {
        V2 { client: self }
    }
}
