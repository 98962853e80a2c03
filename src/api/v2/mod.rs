//! The v2 API (`https://api.jogg.ai/v2/...`): nested request bodies, word enums in requests.
//!
//! Its operations are methods of the area handles of [`V2`], reached with [`Client::v2`]:
//! `client.v2().videos().create_from_avatar(&request)`, `client.v2().webhooks().list_endpoints()`.

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

/// The v2 operations of a client, by area. Borrowing, free to create.
#[derive(Clone, Copy, Debug)]
pub struct V2<'c> {
    pub(crate) client: &'c Client,
}

impl Client {
    /// The v2 operations, by area.
    pub fn v2(&self) -> V2<'_> {
        V2 { client: self }
    }
}

impl<'c> V2<'c> {
    /// AI-written scripts.
    pub fn scripts(&self) -> ai_scripts::Scripts<'c> {
        ai_scripts::Scripts {
            client: self.client,
        }
    }

    /// Upload URLs for your files.
    pub fn assets(&self) -> assets::Assets<'c> {
        assets::Assets {
            client: self.client,
        }
    }

    /// Avatars: the library and your own.
    pub fn avatars(&self) -> avatars::Avatars<'c> {
        avatars::Avatars {
            client: self.client,
        }
    }

    /// Lip-sync videos.
    pub fn lip_sync(&self) -> lip_sync::LipSync<'c> {
        lip_sync::LipSync {
            client: self.client,
        }
    }

    /// Background music.
    pub fn music(&self) -> music::MusicTracks<'c> {
        music::MusicTracks {
            client: self.client,
        }
    }

    /// Photo avatars: generated photos and their motion.
    pub fn photo_avatars(&self) -> photo_avatars::PhotoAvatars<'c> {
        photo_avatars::PhotoAvatars {
            client: self.client,
        }
    }

    /// Product avatars: images and motion.
    pub fn product_avatars(&self) -> product_avatars::ProductAvatars<'c> {
        product_avatars::ProductAvatars {
            client: self.client,
        }
    }

    /// Products and their videos.
    pub fn products(&self) -> products::Products<'c> {
        products::Products {
            client: self.client,
        }
    }

    /// Video templates.
    pub fn templates(&self) -> templates::Templates<'c> {
        templates::Templates {
            client: self.client,
        }
    }

    /// Video translation and dubbing.
    pub fn translations(&self) -> translation::Translations<'c> {
        translation::Translations {
            client: self.client,
        }
    }

    /// Your account: who you are, credits left.
    pub fn account(&self) -> user::Account<'c> {
        user::Account {
            client: self.client,
        }
    }

    /// Videos: create them.
    pub fn videos(&self) -> videos::Videos<'c> {
        videos::Videos {
            client: self.client,
        }
    }

    /// Visual styles for product videos.
    pub fn visual_styles(&self) -> visual_styles::VisualStyles<'c> {
        visual_styles::VisualStyles {
            client: self.client,
        }
    }

    /// Voices: the library and your own.
    pub fn voices(&self) -> voices::Voices<'c> {
        voices::Voices {
            client: self.client,
        }
    }

    /// Webhook endpoints.
    pub fn webhooks(&self) -> webhooks::Webhooks<'c> {
        webhooks::Webhooks {
            client: self.client,
        }
    }
}
