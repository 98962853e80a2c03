//! v2 avatars.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::{Deserializer, Error as _, Unexpected};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
pub use crate::types::{AvatarAge, AvatarStyle, Ethnicity, Gender, Orientation, Scene};

/// `GET /v2/avatars/public`.
pub(crate) static LIST_PUBLIC_AVATARS: Endpoint<PublicAvatarList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/public",
    name: "list_public_avatars",
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS)),
        opt("style", Kind::StrEnum(AvatarStyle::WORDS)),
        opt("gender", Kind::StrEnum(Gender::WORDS)),
        opt("age", Kind::StrEnum(AvatarAge::WORDS)),
        opt("scene", Kind::StrEnum(Scene::WORDS)),
        opt("ethnicity", Kind::StrEnum(Ethnicity::WORDS)),
    ]),
    items: Some("avatars"),
    ..Operation::BASE
});

/// The query of the custom and photo avatar lists ([`CustomAvatarFilter`]).
static CUSTOM_AVATAR_QUERY: Schema = Schema::of(&[
    opt("page", int(Some(1), None)),
    opt("page_size", int(Some(1), Some(100))),
    opt("name", STR),
    opt(
        "status",
        Kind::StrEnum(&["processing", "completed", "failed"]),
    ),
]);

/// `GET /v2/avatars/custom`.
pub(crate) static LIST_CUSTOM_AVATARS: Endpoint<CustomAvatarList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/custom",
    name: "list_custom_avatars",
    schema: &CUSTOM_AVATAR_QUERY,
    items: Some("avatars"),
    ..Operation::BASE
});

/// `GET /v2/avatars/photo_avatars`.
pub(crate) static LIST_PHOTO_AVATARS: Endpoint<PhotoAvatarList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/photo_avatars",
    name: "list_photo_avatars",
    schema: &CUSTOM_AVATAR_QUERY,
    items: Some("avatars"),
    ..Operation::BASE
});

/// `GET /v2/avatars/product_avatars`.
pub(crate) static LIST_PRODUCT_AVATARS: Endpoint<ProductAvatarList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/avatars/product_avatars",
    name: "list_product_avatars",
    schema: &Schema::of(&[opt(
        "aspect_ratio",
        Kind::StrEnum(&["portrait", "landscape"]),
    )]),
    ..Operation::BASE
});

/// Filters and page of [`Avatars::list_public`](crate::api::v2::avatars::Avatars::list_public); all optional, combined with AND. Pages
/// start at 1; the API's default page size is 10, at most 100.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PublicAvatarFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<Orientation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<AvatarStyle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<AvatarAge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scene: Option<Scene>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<Ethnicity>,
}

/// The status words the custom and photo avatar lists filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AvatarStatusFilter {
    Processing,
    Completed,
    Failed,
}

/// Search, status filter and page of [`Avatars::list_custom`](crate::api::v2::avatars::Avatars::list_custom) and
/// [`Avatars::list_photo`](crate::api::v2::avatars::Avatars::list_photo) (both take the same query).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CustomAvatarFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Part of the avatar's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AvatarStatusFilter>,
}

/// The product-avatar list's filter: only these two shapes are accepted there (D21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductAvatarOrientation {
    Portrait,
    Landscape,
}

/// Where one of your avatars stands. The lists disagree on the form (D31): v2 instant avatars
/// say `avatar_status` in words, photo and product avatars an integer `status` 0/1/2, and the
/// v1 spec writes `"0 processing"`; all decode to this. Unknown values are kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AvatarStatus {
    Processing,
    Completed,
    Failed,
    Other(String),
}

impl AvatarStatus {
    pub fn is_terminal(&self) -> bool {
        matches!(self, AvatarStatus::Completed | AvatarStatus::Failed)
    }

    fn from_code(n: i64) -> AvatarStatus {
        match n {
            0 => AvatarStatus::Processing,
            1 => AvatarStatus::Completed,
            2 => AvatarStatus::Failed,
            other => AvatarStatus::Other(other.to_string()),
        }
    }

    fn from_text(s: &str) -> AvatarStatus {
        let t = s.trim().to_ascii_lowercase();
        // "0 processing", "1 success": the number decides.
        if let Some(n) = t.split_whitespace().next().and_then(|w| w.parse().ok()) {
            return AvatarStatus::from_code(n);
        }
        match t.as_str() {
            "processing" | "pending" | "in_progress" => AvatarStatus::Processing,
            "completed" | "success" | "succeeded" => AvatarStatus::Completed,
            "failed" | "error" => AvatarStatus::Failed,
            _ => AvatarStatus::Other(s.to_owned()),
        }
    }
}

impl<'de> Deserialize<'de> for AvatarStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(n.as_i64().map_or_else(
                || AvatarStatus::Other(n.to_string()),
                AvatarStatus::from_code,
            )),
            Value::String(s) => Ok(AvatarStatus::from_text(&s)),
            Value::Null => Err(D::Error::invalid_type(
                Unexpected::Unit,
                &"an avatar status",
            )),
            other => Err(D::Error::invalid_type(
                Unexpected::Other(&other.to_string()),
                &"an avatar status",
            )),
        }
    }
}

/// A library avatar (v2 names its id `id`, D17).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PublicAvatar {
    #[serde(alias = "avatar_id", deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub video_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    /// 0 portrait, 1 landscape, 2 square (an integer in responses).
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub aspect_ratio: Option<i64>,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub age: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PublicAvatarList {
    #[serde(default)]
    pub avatars: Vec<PublicAvatar>,
}

/// One of your instant avatars (filmed, made with v1 `create_instant_avatar`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CustomAvatar {
    #[serde(alias = "avatar_id", deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub video_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    #[serde(default)]
    pub api_only: Option<bool>,
    /// `avatar_status` in the v2 spec, `status` elsewhere (D31).
    #[serde(default, alias = "avatar_status")]
    pub status: Option<AvatarStatus>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub fail_msg: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub avatar_url: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CustomAvatarList {
    #[serde(default)]
    pub avatars: Vec<CustomAvatar>,
}

/// One of your photo avatars (made with [`PhotoAvatars::add_motion`](crate::api::v2::photo_avatars::PhotoAvatars::add_motion)).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoAvatar {
    #[serde(alias = "avatar_id", deserialize_with = "de::lenient_i64")]
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    /// An integer 0/1/2 in the v2 spec (D31).
    #[serde(default, alias = "avatar_status")]
    pub status: Option<AvatarStatus>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub fail_msg: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoAvatarList {
    #[serde(default)]
    pub avatars: Vec<PhotoAvatar>,
}

/// One of your product avatars (made with [`ProductAvatars::add_motion`](crate::api::v2::product_avatars::ProductAvatars::add_motion)); this list names
/// the id `avatar_id` (D17).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProductAvatar {
    #[serde(alias = "id", deserialize_with = "de::lenient_i64")]
    pub avatar_id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    #[serde(default, alias = "avatar_status")]
    pub status: Option<AvatarStatus>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub fail_msg: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub avatar_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub aspect_ratio: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub gender: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProductAvatarList {
    #[serde(default)]
    pub product_avatars: Vec<ProductAvatar>,
}

/// The avatars operations: `client.v2().avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct Avatars<'c> {
    pub(crate) client: &'c Client,
}

impl Avatars<'_> {
    /// One page of library avatars matching `filter`.
    pub fn list_public(&self, filter: &PublicAvatarFilter) -> Result<PublicAvatarList> {
        let op = &LIST_PUBLIC_AVATARS;
        self.client.request(op, filter)
    }

    /// One page of your instant avatars, optionally searched by name and filtered by status.
    pub fn list_custom(&self, filter: &CustomAvatarFilter) -> Result<CustomAvatarList> {
        let op = &LIST_CUSTOM_AVATARS;
        self.client.request(op, filter)
    }

    /// One page of your photo avatars; a new one shows as processing until its motion task
    /// ends (see [`PhotoAvatars::get_motion`](crate::api::v2::photo_avatars::PhotoAvatars::get_motion)).
    pub fn list_photo(&self, filter: &CustomAvatarFilter) -> Result<PhotoAvatarList> {
        let op = &LIST_PHOTO_AVATARS;
        self.client.request(op, filter)
    }

    /// Your product avatars (not paged), optionally only one frame shape.
    pub fn list_product(
        &self,
        aspect_ratio: Option<ProductAvatarOrientation>,
    ) -> Result<ProductAvatarList> {
        let params = match aspect_ratio {
            Some(a) => json!({ "aspect_ratio": a }),
            None => json!({}),
        };
        let op = &LIST_PRODUCT_AVATARS;
        self.client.fetch(op, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::AspectRatio;

    #[test]
    fn avatar_status_reads_words_numbers_and_either_member() {
        // D31: v2 instant avatars use `avatar_status` words...
        let a: CustomAvatar =
            serde_json::from_value(json!({"id": 5, "avatar_status": "completed", "fail_msg": ""}))
                .unwrap();
        assert_eq!(a.status, Some(AvatarStatus::Completed));
        assert_eq!(a.fail_msg, None);
        // ...photo avatars an int `status`, and the v1 spec "2 failed" strings.
        let p: PhotoAvatar = serde_json::from_value(json!({"id": "6", "status": 0})).unwrap();
        assert_eq!((p.id, p.status), (6, Some(AvatarStatus::Processing)));
        let p: PhotoAvatar =
            serde_json::from_value(json!({"avatar_id": 7, "avatar_status": "2 failed"})).unwrap();
        assert_eq!((p.id, p.status), (7, Some(AvatarStatus::Failed)));
        let c: CustomAvatar = serde_json::from_value(json!({"id": 8, "status": 1})).unwrap();
        assert_eq!(c.status, Some(AvatarStatus::Completed));
        let odd: AvatarStatus = serde_json::from_value(json!("queued")).unwrap();
        assert_eq!(odd, AvatarStatus::Other("queued".into()));
        assert!(!odd.is_terminal());
        assert!(serde_json::from_value::<AvatarStatus>(json!(null)).is_err());
    }

    #[test]
    fn avatar_id_member_is_id_or_avatar_id() {
        // D17: `id` in the v2 public/custom/photo lists, `avatar_id` in the product list.
        let a: PublicAvatar = serde_json::from_value(json!({"id": 81, "aspect_ratio": 1})).unwrap();
        let b: PublicAvatar = serde_json::from_value(json!({"avatar_id": "81"})).unwrap();
        assert_eq!((a.id, b.id), (81, 81));
        let p: ProductAvatar = serde_json::from_value(json!({"avatar_id": 9})).unwrap();
        let q: ProductAvatar = serde_json::from_value(json!({"id": 9, "status": "1"})).unwrap();
        assert_eq!((p.avatar_id, q.avatar_id), (9, 9));
        assert_eq!(q.status, Some(AvatarStatus::Completed));
    }

    #[test]
    fn orientation_travels_as_a_word_and_converts() {
        assert_eq!(
            serde_json::to_value(Orientation::Landscape).unwrap(),
            json!("landscape")
        );
        assert_eq!(AspectRatio::from(Orientation::Square), AspectRatio::Square);
        assert_eq!(
            Orientation::from(AspectRatio::Portrait).as_str(),
            "portrait"
        );
        let f = PublicAvatarFilter {
            scene: Some(Scene::HealthFitness),
            ethnicity: Some(Ethnicity::SouthAsian),
            age: Some(AvatarAge::YoungAdult),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(f).unwrap(),
            json!({"scene": "health_fitness", "ethnicity": "south_asian", "age": "young_adult"})
        );
    }
}
