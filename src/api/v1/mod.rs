//! The v1 API (`https://api.jogg.ai/v1`): flat request bodies, integer enums.

pub mod assets;
pub mod avatars;
pub mod projects;
pub mod videos;
pub mod voices;
pub mod webhooks;
