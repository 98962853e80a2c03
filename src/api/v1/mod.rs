//! The v1 API (`https://api.jogg.ai/v1`): flat request bodies, integer enums.

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
