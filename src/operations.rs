//! The table of every operation the library implements, and lookups by name.

use serde_json::Value;

use crate::api::{v1, v2};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::operation::Operation;
use crate::operation::task::TaskKind;
use crate::transport::Reply;

/// Every operation this library implements.
pub static OPERATIONS: &[&Operation] = &[
    v1::videos::CREATE_VIDEO_FROM_TALKING_AVATAR.op(),
    v1::projects::GET_PROJECT.op(),
    v1::avatars::LIST_AVATARS.op(),
    v1::voices::LIST_VOICES.op(),
    v1::videos::CREATE_VIDEO_WITH_VARIABLES.op(),
    v1::videos::CREATE_VIDEO_WITH_TEMPLATE.op(),
    v1::products::LIST_PRODUCTS.op(),
    v1::products::CREATE_PRODUCT.op(),
    v1::products::UPDATE_PRODUCT.op(),
    v1::ai_scripts::GENERATE_AI_SCRIPTS.op(),
    v1::videos::CREATE_VIDEO_FROM_URL.op(),
    v1::videos::CREATE_PREVIEW_VIDEO.op(),
    v1::music::LIST_MUSICS.op(),
    v1::music::LIST_CUSTOM_MUSICS.op(),
    v1::avatars::LIST_CUSTOM_AVATARS.op(),
    v1::avatars::LIST_PHOTO_AVATARS.op(),
    v1::voices::LIST_CUSTOM_VOICES.op(),
    v1::avatars::CREATE_INSTANT_AVATAR.op(),
    v1::avatars::DELETE_INSTANT_AVATAR.op(),
    v1::visual_styles::LIST_VISUAL_STYLES.op(),
    v1::templates::LIST_TEMPLATES.op(),
    v1::templates::LIST_CUSTOM_TEMPLATES.op(),
    v1::photo_avatars::GENERATE_AVATAR_PHOTO.op(),
    v1::photo_avatars::GENERATE_AVATAR_NEW_LOOK.op(),
    v1::photo_avatars::GET_PHOTO_GENERATION.op(),
    v1::photo_avatars::ADD_PHOTO_AVATAR_MOTION.op(),
    v1::photo_avatars::GET_PHOTO_AVATAR_MOTION.op(),
    v2::lip_sync::CREATE_LIP_SYNC_VIDEO.op(),
    v2::lip_sync::GET_LIP_SYNC_VIDEO.op(),
    v2::ai_scripts::CREATE_AI_SCRIPTS.op(),
    v2::ai_scripts::GET_AI_SCRIPTS_RESULT.op(),
    v2::videos::GET_AVATAR_VIDEO.op(),
    v2::avatars::LIST_PUBLIC_AVATARS.op(),
    v2::avatars::LIST_CUSTOM_AVATARS.op(),
    v2::avatars::LIST_PHOTO_AVATARS.op(),
    v2::avatars::LIST_PRODUCT_AVATARS.op(),
    v2::videos::CREATE_VIDEO_FROM_AVATAR.op(),
    v2::products::CREATE_VIDEO_FROM_PRODUCT.op(),
    v2::products::CREATE_PRODUCT_PREVIEWS.op(),
    v2::products::RENDER_PRODUCT_PREVIEW.op(),
    v2::videos::CREATE_VIDEO_WITH_TEMPLATE.op(),
    v2::music::LIST_MUSICS.op(),
    v2::photo_avatars::GET_PHOTO_AVATAR_MOTION.op(),
    v2::photo_avatars::ADD_PHOTO_AVATAR_MOTION.op(),
    v2::photo_avatars::GET_PHOTO_GENERATION.op(),
    v2::photo_avatars::GENERATE_AVATAR_PHOTO.op(),
    v2::products::CREATE_PRODUCT.op(),
    v2::products::UPDATE_PRODUCT.op(),
    v2::product_avatars::GET_PRODUCT_AVATAR_MOTION.op(),
    v2::product_avatars::ADD_PRODUCT_AVATAR_MOTION.op(),
    v2::product_avatars::GENERATE_PRODUCT_AVATAR_IMAGES.op(),
    v2::product_avatars::GET_PRODUCT_AVATAR_GENERATION.op(),
    v2::products::LIST_PRODUCT_PREVIEWS.op(),
    v2::products::GET_PRODUCT_VIDEO.op(),
    v2::products::LIST_PRODUCT_VIDEOS.op(),
    v2::templates::GET_CUSTOM_TEMPLATE.op(),
    v2::videos::GET_TEMPLATE_VIDEO.op(),
    v2::videos::LIST_TEMPLATE_VIDEOS.op(),
    v2::templates::LIST_TEMPLATES.op(),
    v2::templates::LIST_CUSTOM_TEMPLATES.op(),
    v2::user::GET_REMAINING_QUOTA.op(),
    v2::user::GET_CURRENT_USER.op(),
    v2::translation::CREATE_VIDEO_TRANSLATION.op(),
    v2::translation::GET_VIDEO_TRANSLATION.op(),
    v2::translation::LIST_TRANSLATION_LANGUAGES.op(),
    v2::visual_styles::LIST_VISUAL_STYLES.op(),
    v2::voices::LIST_VOICES.op(),
    v2::voices::LIST_CUSTOM_VOICES.op(),
    v1::assets::CREATE_UPLOAD_URL.op(),
    v1::webhooks::LIST_WEBHOOK_ENDPOINTS.op(),
    v1::webhooks::CREATE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::UPDATE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::DELETE_WEBHOOK_ENDPOINT.op(),
    v1::webhooks::LIST_WEBHOOK_EVENTS.op(),
    v2::assets::CREATE_UPLOAD_URL.op(),
    v2::webhooks::LIST_WEBHOOK_ENDPOINTS.op(),
    v2::webhooks::CREATE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::UPDATE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::DELETE_WEBHOOK_ENDPOINT.op(),
    v2::webhooks::LIST_WEBHOOK_EVENTS.op(),
];

/// Looks an operation up by its full name (`v1.get_project`).
pub fn find(full_name: &str) -> Option<&'static Operation> {
    let (version, name) = full_name.split_once('.')?;
    OPERATIONS
        .iter()
        .copied()
        .find(|op| op.version.as_str() == version && op.name == name)
}

/// Looks an operation up for a caller: an unknown name is an error that suggests the
/// closest known name.
pub fn lookup(full_name: &str) -> Result<&'static Operation> {
    find(full_name).ok_or_else(|| {
        // A near miss ("v1.get_projects") or a prefix ("v2.get_lip_sync").
        let closest = OPERATIONS
            .iter()
            .map(|op| op.full_name())
            .min_by_key(|name| edit_distance(name, full_name))
            .filter(|name| edit_distance(name, full_name) <= 3)
            .or_else(|| {
                OPERATIONS
                    .iter()
                    .map(|op| op.full_name())
                    .find(|name| full_name.len() > 4 && name.starts_with(full_name))
            });
        let hint = match closest {
            Some(name) => format!("; did you mean {name:?}?"),
            None => "; names look like \"v1.get_project\" (see jogg_operations)".to_string(),
        };
        Error::new(
            ErrorKind::UnknownOperation,
            format!("unknown operation {full_name:?}{hint}"),
        )
    })
}

/// Levenshtein distance, for suggestions only.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

impl Client {
    /// Runs any operation of the API by its name, `"v1.get_project"` or
    /// `"v2.create_video_from_avatar"`, with its params as one JSON object: members named in
    /// the path template fill the path, the others go to the query string (GET, DELETE) or the
    /// body (POST, PUT). The params are checked before anything is sent; the reply's `data`
    /// comes back as sent. The typed methods of [`Client::v1`] and [`Client::v2`] do the same
    /// with Rust types.
    ///
    /// ```
    /// # let mock = jogg_mock::MockServer::start(Default::default()).unwrap();
    /// # let mut config = jogg::Config::new(jogg_mock::MOCK_API_KEY).with_base_url(mock.base_url());
    /// # config.proxy = jogg::Proxy::None;
    /// # let client = jogg::Client::new(config)?;
    /// # let p1 = client.call("v1.create_video_from_talking_avatar", &serde_json::json!({
    /// #     "script": "Hi", "avatar_id": 81, "avatar_type": 0,
    /// #     "voice_id": "en-US-ChristopherNeural", "screen_style": 1})).unwrap().data;
    /// # let p1 = p1["project_id"].as_str().unwrap();
    /// let reply = client.call("v1.get_project", &serde_json::json!({"project_id": p1}))?;
    /// println!("{}", reply.data["status_code"]);
    /// # Ok::<(), jogg::Error>(())
    /// ```
    pub fn call(&self, operation: &str, params: &Value) -> Result<Reply> {
        self.execute(lookup(operation)?, params)
    }
}

impl TaskKind {
    /// The kind polled by the operation named `poll` (`v1.get_project`).
    pub fn polled_by(poll: &str) -> Result<&'static TaskKind> {
        find(poll).and_then(|op| op.polls).ok_or_else(|| {
            let known: Vec<String> = OPERATIONS
                .iter()
                .filter(|op| op.polls.is_some())
                .map(|op| op.full_name())
                .collect();
            Error::validation(
                "operation",
                format!("{poll:?} does not poll a task; one of {}", known.join(", ")),
            )
        })
    }

    /// Every kind of task, once each, in the order of the operation table.
    pub fn all() -> impl Iterator<Item = &'static TaskKind> {
        OPERATIONS.iter().filter_map(|op| op.polls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_unique_and_found() {
        let mut seen = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(seen.insert(op.full_name()));
            assert!(std::ptr::eq(find(&op.full_name()).unwrap(), *op));
        }
        assert!(find("v1.nope").is_none());
        assert!(find("get_project").is_none());
    }

    #[test]
    fn the_endpoint_creations_alone_teach_the_client_a_secret() {
        let learning: Vec<String> = OPERATIONS
            .iter()
            .filter(|op| op.signing_secret.is_some())
            .map(|op| op.full_name())
            .collect();
        assert_eq!(
            learning,
            ["v1.create_webhook_endpoint", "v2.create_webhook_endpoint"]
        );
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let e = lookup("v1.get_projects").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownOperation);
        assert!(
            e.message().contains("did you mean \"v1.get_project\""),
            "{}",
            e.message()
        );
        let e = lookup("launch_rockets").unwrap_err();
        assert!(e.message().contains("jogg_operations"), "{}", e.message());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn description_places_params() {
        let d = find("v2.get_lip_sync_video").unwrap().describe();
        assert_eq!(d["path"], "/v2/lip_sync_video/{task_id}");
        assert_eq!(
            d["params"][0],
            json!({"name": "task_id", "required": true, "in": "path"})
        );
        let d = find("v1.create_video_from_talking_avatar")
            .unwrap()
            .describe();
        assert_eq!(d["async"], true);
        assert_eq!(d["poll_with"], "v1.get_project");
        assert!(
            d["params"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["in"] == "body")
        );
    }
}
