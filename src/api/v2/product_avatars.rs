//! v2 product avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::photo_avatars::{AvatarMotion, CreatedMotion};
use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::types::Orientation;

/// `GET /v2/product_avatar`.
pub(crate) static GET_PRODUCT_AVATAR_MOTION: Endpoint<AvatarMotion> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_avatar",
    name: "get_product_avatar_motion",
    schema: &Schema::of(&[req("motion_id", STR)]),
    polls: Some(&MOTION),
    ..Operation::BASE
});

/// Motion added to a product avatar.
pub(crate) static MOTION: TaskKind = TaskKind {
    poll: GET_PRODUCT_AVATAR_MOTION.op(),
    found: Found::ById("motion_id"),
    id_members: &["motion_id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_product_avatar_success",
        "generated_product_avatar_failed",
    ],
};

/// `POST /v2/product_avatar/add_motion`.
pub(crate) static ADD_PRODUCT_AVATAR_MOTION: Endpoint<CreatedMotion> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/product_avatar/add_motion",
    name: "add_product_avatar_motion",
    schema: &Schema::of(&[
        req("generation_id", STR),
        opt("model", int(Some(0), Some(2))),
        req("name", STR),
        req("voice_id", STR),
        req("description", STR),
        opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS)),
    ]),
    starts: Some(&MOTION),
    ..Operation::BASE
});

/// `POST /v2/product_avatar/generation`.
pub(crate) static GENERATE_PRODUCT_AVATAR_IMAGES: Endpoint<CreatedImageBatch> =
    Endpoint::new(Operation {
        version: Version::V2,
        method: Method::Post,
        path: "/v2/product_avatar/generation",
        name: "generate_product_avatar_images",
        schema: &Schema::of(&[
            req("product_image_url", Kind::Uri),
            req(
                "avatar_source",
                Kind::Object(&Schema {
                    fields: &[
                        req("type", Kind::StrEnum(&["id", "image", "description"])),
                        opt("value", STR),
                        opt("avatar_id", INT),
                        opt("avatar_type", Kind::StrEnum(&["public", "photo", "custom"])),
                    ],
                    rules: &[
                        Rule::Case {
                            when: "type",
                            equals: "id",
                            require: &["avatar_id", "avatar_type"],
                        },
                        Rule::Case {
                            when: "type",
                            equals: "image",
                            require: &["value"],
                        },
                        Rule::Case {
                            when: "type",
                            equals: "description",
                            require: &["value"],
                        },
                    ],
                }),
            ),
            opt("prompt", STR),
            req("quality", Kind::StrEnum(&["medium", "high", "low"])),
            req("aspect_ratio", Kind::StrEnum(&["3:2", "2:3", "1:1"])),
            req("num_images", int(Some(1), Some(4))),
            opt("webhook_url", Kind::Uri),
        ]),
        starts: Some(&IMAGE_BATCH),
        ..Operation::BASE
    });

/// `GET /v2/product_avatar/generation/{batch_id}`.
pub(crate) static GET_PRODUCT_AVATAR_GENERATION: Endpoint<ImageBatch> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_avatar/generation/{batch_id}",
    name: "get_product_avatar_generation",
    schema: &Schema::of(&[req("batch_id", Kind::Id)]),
    polls: Some(&IMAGE_BATCH),
    ..Operation::BASE
});

/// A batch of product-avatar images.
pub(crate) static IMAGE_BATCH: TaskKind = TaskKind {
    poll: GET_PRODUCT_AVATAR_GENERATION.op(),
    found: Found::ById("batch_id"),
    id_members: &["batch_id"],
    status: StatusForm::BatchSummary,
    events: &[],
};

/// Which kind of avatar an [`AvatarSource::Id`] names (words here, unlike `avatar_type`
/// elsewhere: D23).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceAvatarType {
    Public,
    Photo,
    Custom,
}

/// Who presents the product in the generated images.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AvatarSource {
    /// An existing avatar.
    Id {
        avatar_id: i64,
        avatar_type: SourceAvatarType,
    },
    /// A person from an image: `value` is its URL.
    Image { value: String },
    /// A person described in words.
    Description { value: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageQuality {
    Low,
    Medium,
    High,
}

/// The frame of generated product-avatar images (ratios, not the words used elsewhere: D21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ImageAspectRatio {
    #[serde(rename = "3:2")]
    Landscape3x2,
    #[serde(rename = "2:3")]
    Portrait2x3,
    #[serde(rename = "1:1")]
    Square,
}

/// The request of [`ProductAvatars::generate_images`](crate::api::v2::product_avatars::ProductAvatars::generate_images).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenerateProductAvatarImages {
    pub product_image_url: String,
    pub avatar_source: AvatarSource,
    /// Extra direction for the image model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    pub quality: ImageQuality,
    pub aspect_ratio: ImageAspectRatio,
    /// 1 to 4.
    pub num_images: u8,
    /// Called when the batch ends (payload undocumented, D55).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// One image of a batch: `status` is `pending`, `processing`, `completed` or `failed`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ImageGeneration {
    #[serde(deserialize_with = "de::id_string")]
    pub generation_id: String,
    #[serde(default)]
    pub status: String,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub created_at: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub completed_at: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub image_id: Option<String>,
    /// The image, once completed.
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub url: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A batch just submitted.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CreatedImageBatch {
    #[serde(deserialize_with = "de::id_string")]
    pub batch_id: String,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total_submitted: Option<i64>,
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub generations: Vec<ImageGeneration>,
}

/// How many images of a batch are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct BatchSummary {
    #[serde(default)]
    pub total: u32,
    #[serde(default)]
    pub pending: u32,
    #[serde(default)]
    pub processing: u32,
    #[serde(default)]
    pub completed: u32,
    #[serde(default)]
    pub failed: u32,
}

/// A batch of product-avatar images.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ImageBatch {
    #[serde(deserialize_with = "de::id_string")]
    pub batch_id: String,
    #[serde(default)]
    pub summary: BatchSummary,
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub generations: Vec<ImageGeneration>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ImageBatch {
    /// Whether every image has ended (the docs' rule: no image pending or processing).
    pub fn is_finished(&self) -> bool {
        self.summary.pending + self.summary.processing == 0
    }
}

/// The request of [`ProductAvatars::add_motion`](crate::api::v2::product_avatars::ProductAvatars::add_motion).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddProductAvatarMotion {
    /// A completed image of one of your batches.
    pub generation_id: String,
    /// Model 0, 1 or 2 (the docs say no more).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<u8>,
    pub name: String,
    pub voice_id: String,
    /// How the avatar should move.
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<Orientation>,
}

/// The product avatars operations: `client.v2().product_avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct ProductAvatars<'c> {
    pub(crate) client: &'c Client,
}

impl ProductAvatars<'_> {
    /// Starts generating images of an avatar presenting a product (async, a batch of
    /// `num_images`; costs credits, at a price the docs do not state); poll with
    /// [`ProductAvatars::get_generation`](crate::api::v2::product_avatars::ProductAvatars::get_generation). Less documented (D14).
    pub fn generate_images(
        &self,
        request: &GenerateProductAvatarImages,
    ) -> Result<CreatedImageBatch> {
        let op = &GENERATE_PRODUCT_AVATAR_IMAGES;
        self.client.request(op, request)
    }

    /// A batch's state; it is finished when [`ImageBatch::is_finished`].
    pub fn get_generation(&self, batch_id: &str) -> Result<ImageBatch> {
        let op = &GET_PRODUCT_AVATAR_GENERATION;
        self.client.fetch(op, &json!({ "batch_id": batch_id }))
    }

    /// Turns a completed generated image into a product avatar (async, costs credits); poll
    /// with [`ProductAvatars::get_motion`](crate::api::v2::product_avatars::ProductAvatars::get_motion). The avatar appears in
    /// [`Avatars::list_product`](crate::api::v2::avatars::Avatars::list_product) at once, as processing.
    pub fn add_motion(&self, request: &AddProductAvatarMotion) -> Result<CreatedMotion> {
        let op = &ADD_PRODUCT_AVATAR_MOTION;
        self.client.request(op, request)
    }

    /// A product-avatar motion task's state, with the preview once completed.
    pub fn get_motion(&self, motion_id: &str) -> Result<AvatarMotion> {
        let op = &GET_PRODUCT_AVATAR_MOTION;
        self.client.fetch(op, &json!({ "motion_id": motion_id }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatar_source_has_the_wire_shape() {
        let id = AvatarSource::Id {
            avatar_id: 81,
            avatar_type: SourceAvatarType::Public,
        };
        assert_eq!(
            serde_json::to_value(id).unwrap(),
            json!({"type": "id", "avatar_id": 81, "avatar_type": "public"})
        );
        let image = AvatarSource::Image {
            value: "https://e.com/p.jpg".into(),
        };
        assert_eq!(
            serde_json::to_value(image).unwrap(),
            json!({"type": "image", "value": "https://e.com/p.jpg"})
        );
        assert_eq!(
            serde_json::to_value(ImageAspectRatio::Portrait2x3).unwrap(),
            json!("2:3")
        );
    }

    #[test]
    fn batch_is_finished_when_nothing_waits() {
        let b: ImageBatch = serde_json::from_value(json!({
            "batch_id": "b",
            "summary": {"total": 2, "pending": 0, "processing": 1, "completed": 1, "failed": 0},
            "generations": [{"generation_id": "g1", "status": "completed", "url": "https://x/1.jpg"},
                            {"generation_id": "g2", "status": "processing"}]
        }))
        .unwrap();
        assert!(!b.is_finished());
        assert_eq!(b.generations[0].url.as_deref(), Some("https://x/1.jpg"));
        let b: ImageBatch = serde_json::from_value(json!({
            "batch_id": 7,
            "summary": {"total": 1, "pending": 0, "processing": 0, "completed": 0, "failed": 1},
            "generations": null
        }))
        .unwrap();
        assert!(b.is_finished() && b.generations.is_empty());
        assert_eq!(b.batch_id, "7");
    }
}
