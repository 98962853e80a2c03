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
