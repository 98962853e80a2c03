//! The v2 API (`https://api.jogg.ai/v2/...`): nested request bodies, word enums in requests.

pub mod ai_scripts;
pub mod avatars;
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

use crate::client::Client;

/// The v2 operations, typed: `client.v2().get_current_user()`. They sit apart from the v1
/// methods on [`Client`] because several share a name with a v1 operation.
#[derive(Clone, Copy, Debug)]
pub struct V2<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The v2 API.
    pub fn v2(&self) -> V2<'_> {
        V2 { client: self }
    }
}
