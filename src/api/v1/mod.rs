//! The v1 API (`https://api.jogg.ai/v1`): flat request bodies, integer enums.
//!
//! Its operations are methods of the area handles of [`V1`], reached with [`Client::v1`]:
//! `client.v1().voices().list(&filter)`, `client.v1().videos().create_from_talking_avatar(..)`.

pub mod ai_scripts;
pub mod assets;
pub mod avatars;
pub mod music;
pub mod photo_avatars;
pub mod products;
pub mod projects;
pub mod templates;
pub mod videos;
pub mod visual_styles;
pub mod voices;
pub mod webhooks;

use crate::client::Client;

/// The v1 operations of a client, by area. Borrowing, free to create.
#[derive(Clone, Copy, Debug)]
pub struct V1<'c> {
    pub(crate) client: &'c Client,
}

impl Client {
    /// The v1 operations, by area.
    pub fn v1(&self) -> V1<'_> {
        V1 { client: self }
    }
}

impl<'c> V1<'c> {
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

    /// Products and their videos.
    pub fn products(&self) -> products::Products<'c> {
        products::Products {
            client: self.client,
        }
    }

    /// Projects: the state of a v1 video.
    pub fn projects(&self) -> projects::Projects<'c> {
        projects::Projects {
            client: self.client,
        }
    }

    /// Video templates.
    pub fn templates(&self) -> templates::Templates<'c> {
        templates::Templates {
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
