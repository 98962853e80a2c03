//! v1 photo avatars: AI portrait photos, then a motion that turns one into an avatar.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

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
pub use crate::types::{
    MotionModel, PhotoAge, PhotoEthnicity, PhotoGender, PhotoModel, PhotoStyle,
};

/// `POST /v1/photo_avatar/photo/generate`.
pub(crate) static GENERATE_AVATAR_PHOTO: Endpoint<CreatedPhotoGeneration> =
    Endpoint::new(Operation {
        version: Version::V1,
        method: Method::Post,
        path: "/photo_avatar/photo/generate",
        name: "generate_avatar_photo",
        schema: &Schema::of(&[
            req("age", Kind::StrEnum(PhotoAge::WORDS)),
            opt("appearance", STR),
            req("aspect_ratio", Kind::IntEnum(&[0, 1])),
            req("avatar_style", Kind::StrEnum(PhotoStyle::WORDS)),
            opt("background", STR),
            opt("ethnicity", Kind::StrEnum(PhotoEthnicity::WORDS)),
            req("gender", Kind::StrEnum(PhotoGender::WORDS)),
            opt("image_url", STR),
            req("model", Kind::StrEnum(PhotoModel::WORDS)),
        ]),
        starts: Some(&PHOTO_GENERATION),
        ..Operation::BASE
    });

/// `POST /v1/photo_avatar/new_look/generate`.
pub(crate) static GENERATE_AVATAR_NEW_LOOK: Endpoint<CreatedPhotoGeneration> =
    Endpoint::new(Operation {
        version: Version::V1,
        method: Method::Post,
        path: "/photo_avatar/new_look/generate",
        name: "generate_avatar_new_look",
        schema: &Schema::of(&[
            req("age", Kind::StrEnum(PhotoAge::WORDS)),
            opt("appearance", STR),
            req("aspect_ratio", Kind::IntEnum(&[0, 1])),
            req("avatar_style", Kind::StrEnum(PhotoStyle::WORDS)),
            opt("background", STR),
            opt("ethnicity", Kind::StrEnum(PhotoEthnicity::WORDS)),
            req("gender", Kind::StrEnum(PhotoGender::WORDS)),
            req("image_url", STR),
            req("model", Kind::StrEnum(PhotoModel::WORDS)),
        ]),
        starts: Some(&PHOTO_GENERATION),
        ..Operation::BASE
    });

/// `GET /v1/photo_avatar/generation`.
pub(crate) static GET_PHOTO_GENERATION: Endpoint<PhotoGeneration> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/photo_avatar/generation",
    name: "get_photo_generation",
    schema: &Schema::of(&[opt("photo_id", STR)]),
    polls: Some(&PHOTO_GENERATION),
    ..Operation::BASE
});

/// Photos of a new photo avatar, or a new look.
pub(crate) static PHOTO_GENERATION: TaskKind = TaskKind {
    poll: GET_PHOTO_GENERATION.op(),
    found: Found::ById("photo_id"),
    id_members: &["photo_id"],
    status: StatusForm::Values(&crate::operation::status::PHOTO_GENERATION_STATUS),
    events: &["generated_image_success", "generated_image_failed"],
};

/// `POST /v1/photo_avatar/add_motion`.
pub(crate) static ADD_PHOTO_AVATAR_MOTION: Endpoint<CreatedMotion> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/photo_avatar/add_motion",
    name: "add_photo_avatar_motion",
    schema: &Schema::of(&[
        opt("description", STR),
        req("image_url", STR),
        req("model", Kind::StrEnum(MotionModel::WORDS)),
        req("name", STR),
        opt("photo_id", STR),
        opt("welcome_msg", STR),
        req("voice_id", STR),
    ]),
    starts: Some(&MOTION),
    ..Operation::BASE
});

/// `GET /v1/photo_avatar`.
pub(crate) static GET_PHOTO_AVATAR_MOTION: Endpoint<PhotoAvatarMotion> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/photo_avatar",
    name: "get_photo_avatar_motion",
    schema: &Schema::of(&[req("motion_id", STR)]),
    polls: Some(&MOTION),
    ..Operation::BASE
});

/// Motion added to a photo avatar.
pub(crate) static MOTION: TaskKind = TaskKind {
    poll: GET_PHOTO_AVATAR_MOTION.op(),
    found: Found::ById("motion_id"),
    id_members: &["motion_id"],
    status: StatusForm::Values(&StatusValues {
        members: &["status"],
        values: &[
            ("pending", TaskStatus::Pending),
            ("completed", TaskStatus::Succeeded),
            ("error", TaskStatus::Failed),
        ],
        words: true,
    }),
    events: &["generated_motion_success", "generated_motion_failed"],
};

/// Photo shape: generation makes portrait or landscape photos only (no square, D21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PhotoOrientation {
    /// 9:16, sent as 0.
    Portrait,
    /// 16:9, sent as 1.
    Landscape,
}

impl Serialize for PhotoOrientation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_i64(match self {
            PhotoOrientation::Portrait => 0,
            PhotoOrientation::Landscape => 1,
        })
    }
}

/// What the generated person looks like: shared by [`GenerateAvatarPhoto`] and
/// [`GenerateAvatarNewLook`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhotoLook {
    pub age: PhotoAge,
    pub avatar_style: PhotoStyle,
    pub gender: PhotoGender,
    pub model: PhotoModel,
    pub aspect_ratio: PhotoOrientation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<PhotoEthnicity>,
    /// Free text: hair, clothes, expression...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appearance: Option<String>,
    /// Free text: the setting behind the person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
}

impl PhotoLook {
    /// A portrait with the `classic` model; the optional details unset.
    pub fn new(age: PhotoAge, avatar_style: PhotoStyle, gender: PhotoGender) -> Self {
        PhotoLook {
            age,
            avatar_style,
            gender,
            model: PhotoModel::Classic,
            aspect_ratio: PhotoOrientation::Portrait,
            ethnicity: None,
            appearance: None,
            background: None,
        }
    }
}

/// The request of [`PhotoAvatars::generate_photo`](crate::api::v1::photo_avatars::PhotoAvatars::generate_photo).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerateAvatarPhoto {
    #[serde(flatten)]
    pub look: PhotoLook,
    /// A reference photo to start from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// The request of [`PhotoAvatars::generate_new_look`](crate::api::v1::photo_avatars::PhotoAvatars::generate_new_look): a new look for the person in
/// `image_url`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerateAvatarNewLook {
    #[serde(flatten)]
    pub look: PhotoLook,
    pub image_url: String,
}

/// A photo generation just started (v1 and v2).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CreatedPhotoGeneration {
    #[serde(deserialize_with = "de::id_string")]
    pub photo_id: String,
}

/// A photo generation: `status` is `in_progress`, `success` or `error`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoGeneration {
    #[serde(default, deserialize_with = "opt_id")]
    pub photo_id: Option<String>,
    pub status: String,
    /// Why it failed.
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub msg: Option<String>,
    /// The four photos, once done (`null` before).
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub image_url_list: Vec<String>,
    /// Storage keys of the same photos.
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub image_key_list: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PhotoGeneration {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

/// The request of [`PhotoAvatars::add_motion`](crate::api::v1::photo_avatars::PhotoAvatars::add_motion) and `V2::add_photo_avatar_motion`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddPhotoAvatarMotion {
    /// The photo to animate (one of a generation's `image_url_list`, or your own).
    pub image_url: String,
    pub name: String,
    pub voice_id: String,
    pub model: MotionModel,
    /// The generation `image_url` came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_id: Option<String>,
    /// How the avatar moves: at most 300 bytes with model 1.0, 1500 with the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replaces the avatar's default greeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub welcome_msg: Option<String>,
}

/// A motion just started (photo avatars in v1 and v2, product avatars in v2). Every member
/// but the id is optional: the documents disagree on which come back (D46).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreatedMotion {
    #[serde(deserialize_with = "de::id_string")]
    pub motion_id: String,
    /// The avatar being made; use it with avatar type 1 once the motion completes.
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub avatar_id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A motion: `status` is `pending`, `completed` or `error` (v2 adds `processing`, `failed`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoAvatarMotion {
    #[serde(deserialize_with = "de::id_string")]
    pub motion_id: String,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub avatar_id: Option<i64>,
    pub status: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub image_url: Option<String>,
    /// The animated preview, once completed.
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub motion_preview_url: Option<String>,
    /// A string, or a number in one guide (D46).
    #[serde(default, deserialize_with = "opt_id")]
    pub voice_id: Option<String>,
    /// Why it failed: v2's `error_msg`, or a guide's `error` (D46).
    #[serde(default, alias = "error", deserialize_with = "de::opt_nonempty")]
    pub error_msg: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PhotoAvatarMotion {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

fn opt_id<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => de::id_string(v).map(Some).map_err(serde::de::Error::custom),
    }
}

/// The photo avatars operations: `client.v1().photo_avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct PhotoAvatars<'c> {
    pub(crate) client: &'c Client,
}

impl PhotoAvatars<'_> {
    /// Starts generating four portrait photos of an AI person (async, 2-5 minutes; 0.2
    /// credits). Poll with [`PhotoAvatars::get_generation`](crate::api::v1::photo_avatars::PhotoAvatars::get_generation).
    pub fn generate_photo(&self, request: &GenerateAvatarPhoto) -> Result<CreatedPhotoGeneration> {
        let op = &GENERATE_AVATAR_PHOTO;
        self.client.request(op, request)
    }

    /// Starts generating four new looks of the person in a photo (async; 0.2 credits). Poll
    /// with [`PhotoAvatars::get_generation`](crate::api::v1::photo_avatars::PhotoAvatars::get_generation).
    pub fn generate_new_look(
        &self,
        request: &GenerateAvatarNewLook,
    ) -> Result<CreatedPhotoGeneration> {
        let op = &GENERATE_AVATAR_NEW_LOOK;
        self.client.request(op, request)
    }

    /// The state of a photo generation, with its photos once it succeeded.
    pub fn get_generation(&self, photo_id: &str) -> Result<PhotoGeneration> {
        let op = &GET_PHOTO_GENERATION;
        self.client.fetch(op, &json!({ "photo_id": photo_id }))
    }

    /// Starts animating a photo into a photo avatar (async, 2-3 minutes; 2-3 credits by
    /// model). Poll with [`PhotoAvatars::get_motion`](crate::api::v1::photo_avatars::PhotoAvatars::get_motion); the avatar also appears in
    /// [`Avatars::list_photo`](crate::api::v1::avatars::Avatars::list_photo).
    pub fn add_motion(&self, request: &AddPhotoAvatarMotion) -> Result<CreatedMotion> {
        let op = &ADD_PHOTO_AVATAR_MOTION;
        self.client.request(op, request)
    }

    /// The state of a motion, with its preview once completed.
    pub fn get_motion(&self, motion_id: &str) -> Result<PhotoAvatarMotion> {
        let op = &GET_PHOTO_AVATAR_MOTION;
        self.client.fetch(op, &json!({ "motion_id": motion_id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_uses_the_exact_wire_words() {
        let mut look = PhotoLook::new(PhotoAge::YoungAdult, PhotoStyle::Social, PhotoGender::Male);
        look.ethnicity = Some(PhotoEthnicity::EastAsian);
        look.aspect_ratio = PhotoOrientation::Landscape;
        let r = GenerateAvatarNewLook {
            look,
            image_url: "https://x/p.png".into(),
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"age": "Young adult", "avatar_style": "Social", "gender": "Male",
                "model": "classic", "aspect_ratio": 1, "ethnicity": "East Asian",
                "image_url": "https://x/p.png"})
        );
        assert_eq!(
            serde_json::to_value(MotionModel::V2_0Pro).unwrap(),
            "2.0-Pro"
        );
    }

    #[test]
    fn generation_lists_may_be_null() {
        let g: PhotoGeneration = serde_json::from_value(json!({
            "photo_id": "25-a", "status": "in_progress", "msg": null,
            "image_url_list": null, "image_key_list": null
        }))
        .unwrap();
        assert!(g.image_url_list.is_empty() && g.msg.is_none());
        assert_eq!(g.task_status(), TaskStatus::Processing);
        let g: PhotoGeneration = serde_json::from_value(json!({
            "photo_id": "25-a", "status": "success", "image_url_list": ["u1", "u2"]
        }))
        .unwrap();
        assert_eq!(g.image_url_list, ["u1", "u2"]);
        assert_eq!(g.task_status(), TaskStatus::Succeeded);
    }

    #[test]
    fn motion_in_v1_spec_and_guide_forms() {
        // The spec's form.
        let m: PhotoAvatarMotion = serde_json::from_value(json!({
            "motion_id": "25-mo_1", "avatar_id": 12, "status": "pending",
            "voice_id": "en-US-JennyNeural", "motion_preview_url": ""
        }))
        .unwrap();
        assert_eq!(m.voice_id.as_deref(), Some("en-US-JennyNeural"));
        assert_eq!(m.task_status(), TaskStatus::Pending);
        assert!(m.motion_preview_url.is_none());
        // A guide's: numeric voice id, `error: null`, v2 word.
        let m: PhotoAvatarMotion = serde_json::from_value(json!({
            "motion_id": "25-mo_1", "avatar_id": "12", "status": "completed",
            "voice_id": 123, "error": null, "motion_preview_url": "https://x/m.mp4"
        }))
        .unwrap();
        assert_eq!(m.voice_id.as_deref(), Some("123"));
        assert_eq!(m.avatar_id, Some(12));
        assert_eq!(m.task_status(), TaskStatus::Succeeded);
        assert!(m.error_msg.is_none());
        let m: PhotoAvatarMotion = serde_json::from_value(json!({
            "motion_id": "x", "status": "failed", "error_msg": "no face"
        }))
        .unwrap();
        assert_eq!(m.error_msg.as_deref(), Some("no face"));
        assert_eq!(m.task_status(), TaskStatus::Failed);
        // add_motion's reply: v1 `{avatar_id, motion_id, name}` or v2 `{motion_id, status}`.
        let c: CreatedMotion =
            serde_json::from_value(json!({"avatar_id": 3, "motion_id": "m", "name": "n"})).unwrap();
        assert_eq!(c.avatar_id, Some(3));
        let c: CreatedMotion =
            serde_json::from_value(json!({"motion_id": "m", "status": "pending"})).unwrap();
        assert_eq!((c.avatar_id, c.status.as_deref()), (None, Some("pending")));
    }
}
