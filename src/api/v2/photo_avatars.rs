//! v2 photo avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use crate::api::v1::photo_avatars::{
    AddPhotoAvatarMotion, CreatedMotion, CreatedPhotoGeneration,
};
use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::Orientation;
pub use crate::types::{
    MotionModel, PhotoAge, PhotoEthnicity, PhotoGender, PhotoModel, PhotoStyle,
};

/// `GET /v2/photo_avatar`.
pub(crate) static GET_PHOTO_AVATAR_MOTION: Endpoint<AvatarMotion> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/photo_avatar",
    name: "get_photo_avatar_motion",
    schema: &Schema::of(&[req("motion_id", STR)]),
    polls: Some(&MOTION),
    ..Operation::BASE
});

/// Motion added to a v2 photo avatar.
pub(crate) static MOTION: TaskKind = TaskKind {
    poll: GET_PHOTO_AVATAR_MOTION.op(),
    found: Found::ById("motion_id"),
    id_members: &["motion_id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_motion_success",
        "generated_motion_failed",
        "generated_photo_avatar_success",
        "generated_photo_avatar_failed",
    ],
};

/// `POST /v2/photo_avatar/add_motion`.
pub(crate) static ADD_PHOTO_AVATAR_MOTION: Endpoint<CreatedMotion> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/photo_avatar/add_motion",
    name: "add_photo_avatar_motion",
    schema: &Schema::of(&[
        req("image_url", Kind::Uri),
        opt("photo_id", STR),
        req("name", STR),
        req("voice_id", STR),
        req("model", Kind::StrEnum(MotionModel::WORDS)),
        opt("description", STR),
        opt("welcome_msg", STR),
    ]),
    starts: Some(&MOTION),
    ..Operation::BASE
});

/// `GET /v2/photo_avatar/photo`.
pub(crate) static GET_PHOTO_GENERATION: Endpoint<PhotoGeneration> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/photo_avatar/photo",
    name: "get_photo_generation",
    schema: &Schema::of(&[req("photo_id", STR)]),
    polls: Some(&PHOTO_GENERATION),
    ..Operation::BASE
});

/// Photos of a new v2 photo avatar.
pub(crate) static PHOTO_GENERATION: TaskKind = TaskKind {
    poll: GET_PHOTO_GENERATION.op(),
    found: Found::ById("photo_id"),
    id_members: &["photo_id"],
    status: StatusForm::Values(&crate::operation::status::PHOTO_GENERATION_STATUS),
    events: &["generated_image_success", "generated_image_failed"],
};

/// `POST /v2/photo_avatar/photo/generate`.
pub(crate) static GENERATE_AVATAR_PHOTO: Endpoint<CreatedPhotoGeneration> =
    Endpoint::new(Operation {
        version: Version::V2,
        method: Method::Post,
        path: "/v2/photo_avatar/photo/generate",
        name: "generate_avatar_photo",
        schema: &Schema::of(&[
            req("age", Kind::StrEnum(PhotoAge::WORDS)),
            req("avatar_style", Kind::StrEnum(PhotoStyle::WORDS)),
            req("gender", Kind::StrEnum(PhotoGender::WORDS)),
            req("model", Kind::StrEnum(PhotoModel::WORDS)),
            req("aspect_ratio", Kind::StrEnum(Orientation::WORDS)),
            opt("ethnicity", Kind::StrEnum(PhotoEthnicity::WORDS)),
            opt("background", STR),
            opt("appearance", STR),
            opt("image_url", STR),
        ]),
        starts: Some(&PHOTO_GENERATION),
        ..Operation::BASE
    });

/// The request of [`PhotoAvatars::generate_photo`](crate::api::v2::photo_avatars::PhotoAvatars::generate_photo). `new` takes the required members; set the
/// optional ones on the result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerateAvatarPhoto {
    pub age: PhotoAge,
    pub avatar_style: PhotoStyle,
    pub gender: PhotoGender,
    pub model: PhotoModel,
    pub aspect_ratio: Orientation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<PhotoEthnicity>,
    /// Free text describing the backdrop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Free text describing the person (hair, clothes...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appearance: Option<String>,
    /// A reference photo to take after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

impl GenerateAvatarPhoto {
    pub fn new(
        age: PhotoAge,
        avatar_style: PhotoStyle,
        gender: PhotoGender,
        model: PhotoModel,
        aspect_ratio: Orientation,
    ) -> GenerateAvatarPhoto {
        GenerateAvatarPhoto {
            age,
            avatar_style,
            gender,
            model,
            aspect_ratio,
            ethnicity: None,
            background: None,
            appearance: None,
            image_url: None,
        }
    }
}

/// A photo-generation task: `status` is `in_progress`, `success` or `error`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoGeneration {
    #[serde(deserialize_with = "de::id_string")]
    pub photo_id: String,
    pub status: String,
    /// Why it failed (`null` otherwise).
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub msg: Option<String>,
    /// The generated portraits (four) once it succeeded; empty before (`null` on the wire).
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub image_url_list: Vec<String>,
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub image_key_list: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A motion task (photo or product avatar): `status` is `pending`, `processing`, `completed`
/// or `failed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AvatarMotion {
    #[serde(deserialize_with = "de::id_string")]
    pub motion_id: String,
    pub status: String,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub avatar_id: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub image_url: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// A short clip of the animated avatar, once completed.
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub motion_preview_url: Option<String>,
    /// A string, or an int in one guide example (D46).
    #[serde(default, deserialize_with = "de::opt_id_string")]
    pub voice_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub error_msg: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The photo avatars operations: `client.v2().photo_avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct PhotoAvatars<'c> {
    pub(crate) client: &'c Client,
}

impl PhotoAvatars<'_> {
    /// Starts generating four AI portraits (async, costs credits: 0.2 a call); poll with
    /// [`PhotoAvatars::get_generation`](crate::api::v2::photo_avatars::PhotoAvatars::get_generation) (typically 2–5 minutes).
    pub fn generate_photo(&self, request: &GenerateAvatarPhoto) -> Result<CreatedPhotoGeneration> {
        let op = &GENERATE_AVATAR_PHOTO;
        self.client.request(op, request)
    }

    /// A photo-generation task's state, with the image URLs once it succeeded.
    pub fn get_generation(&self, photo_id: &str) -> Result<PhotoGeneration> {
        let op = &GET_PHOTO_GENERATION;
        self.client.fetch(op, &json!({ "photo_id": photo_id }))
    }

    /// Animates a portrait into a photo avatar (async, costs credits by motion model); poll
    /// with [`PhotoAvatars::get_motion`](crate::api::v2::photo_avatars::PhotoAvatars::get_motion). The avatar appears in [`Avatars::list_photo`](crate::api::v2::avatars::Avatars::list_photo)
    /// at once, as processing.
    pub fn add_motion(&self, request: &AddPhotoAvatarMotion) -> Result<CreatedMotion> {
        let op = &ADD_PHOTO_AVATAR_MOTION;
        self.client.request(op, request)
    }

    /// A photo-avatar motion task's state, with the preview once completed.
    pub fn get_motion(&self, motion_id: &str) -> Result<AvatarMotion> {
        let op = &GET_PHOTO_AVATAR_MOTION;
        self.client.fetch(op, &json!({ "motion_id": motion_id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_request_uses_the_exact_case() {
        let mut r = GenerateAvatarPhoto::new(
            PhotoAge::YoungAdult,
            PhotoStyle::Social,
            PhotoGender::Female,
            PhotoModel::Modern,
            Orientation::Portrait,
        );
        r.ethnicity = Some(PhotoEthnicity::EastAsian);
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"age": "Young adult", "avatar_style": "Social", "gender": "Female",
                   "model": "modern", "aspect_ratio": "portrait", "ethnicity": "East Asian"})
        );
        assert_eq!(
            serde_json::to_value(MotionModel::V2_0Pro).unwrap(),
            json!("2.0-Pro")
        );
    }

    #[test]
    fn generation_lists_may_be_null() {
        let g: PhotoGeneration = serde_json::from_value(json!({
            "photo_id": "25-ab", "status": "in_progress",
            "image_url_list": null, "image_key_list": null, "msg": null
        }))
        .unwrap();
        assert!(g.image_url_list.is_empty() && g.msg.is_none());
        let g: PhotoGeneration = serde_json::from_value(json!({
            "photo_id": "25-ab", "status": "success", "image_url_list": ["https://x/1.jpg"]
        }))
        .unwrap();
        assert_eq!(g.image_url_list, ["https://x/1.jpg"]);
    }

    #[test]
    fn motion_members_take_both_documented_forms() {
        // D46: the create answer has `status` (spec) or `name` (v1) and maybe no avatar_id.
        let a: CreatedMotion =
            serde_json::from_value(json!({"motion_id": "m", "status": "pending"})).unwrap();
        let b: CreatedMotion =
            serde_json::from_value(json!({"motion_id": "m", "avatar_id": "12", "name": "Ann"}))
                .unwrap();
        assert_eq!((a.avatar_id, a.status.as_deref()), (None, Some("pending")));
        assert_eq!((b.avatar_id, b.name.as_deref()), (Some(12), Some("Ann")));
        // D46: `voice_id` is an int in one guide example; `error_msg` is null until failure.
        let m: AvatarMotion = serde_json::from_value(json!({
            "motion_id": "25-mo_1", "status": "completed", "voice_id": 123,
            "error_msg": null, "error": null
        }))
        .unwrap();
        assert_eq!(m.voice_id.as_deref(), Some("123"));
        assert!(m.error_msg.is_none());
        assert!(m.extra.contains_key("error"));
        let m: AvatarMotion = serde_json::from_value(json!({
            "motion_id": "m", "status": "failed", "voice_id": "en-US-GuyNeural",
            "error_msg": "no face found"
        }))
        .unwrap();
        assert_eq!(m.voice_id.as_deref(), Some("en-US-GuyNeural"));
        assert_eq!(m.error_msg.as_deref(), Some("no face found"));
    }
}
