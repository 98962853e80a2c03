//! v1 library avatars.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;
use crate::types::AspectRatio;

/// `GET /v1/avatars`: the avatar library, filtered.
pub static LIST_AVATARS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars",
    name: "list_avatars",
    poll_with: None,
    schema: &Schema::of(&[
        opt("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        opt("style", Kind::StrEnum(&["professional", "social"])),
        opt("gender", Kind::StrEnum(&["male", "female"])),
        opt("age", Kind::StrEnum(&["adult", "senior", "young_adult"])),
        opt(
            "scene",
            Kind::StrEnum(&[
                "lifestyle",
                "outdoors",
                "business",
                "studio",
                "health_fitness",
                "education",
                "news",
            ]),
        ),
        opt(
            "ethnicity",
            Kind::StrEnum(&[
                "european",
                "african",
                "south_asian",
                "east_asian",
                "middle_eastern",
                "south_american",
                "north_american",
            ]),
        ),
    ]),
};

/// Filters of [`Client::list_avatars`]; every member optional, all combined with AND.
/// String filters take the API's lowercase values (`professional`, `female`, `young_adult`,
/// `studio`, `east_asian`...); a value outside the documented set is refused before sending.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AvatarFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Avatar {
    /// `avatar_id` in v1, `id` in v2 lists (D17).
    #[serde(alias = "id", deserialize_with = "de::lenient_i64")]
    pub avatar_id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
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
pub struct AvatarList {
    #[serde(default)]
    pub avatars: Vec<Avatar>,
}

impl Client {
    /// Library avatars matching `filter`.
    pub fn list_avatars(&self, filter: &AvatarFilter) -> Result<AvatarList> {
        let op = &LIST_AVATARS;
        de::decode(op, self.execute(op, &self.to_params(filter)?)?)
    }
}

/// `GET /v1/avatars/custom`.
pub static LIST_CUSTOM_AVATARS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars/custom",
    name: "list_custom_avatars",
    poll_with: None,
    schema: &Schema::of(&[]),
};

/// `GET /v1/avatars/photo_avatars`.
pub static LIST_PHOTO_AVATARS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars/photo_avatars",
    name: "list_photo_avatars",
    poll_with: None,
    schema: &Schema::of(&[]),
};

/// `POST /v1/avatar/create`.
pub static CREATE_INSTANT_AVATAR: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/avatar/create",
    name: "create_instant_avatar",
    poll_with: Some("/avatars/custom"),
    schema: &Schema::of(&[req("origin_url", STR), req("name", STR)]),
};

/// `DELETE /v1/avatar/custom/delete`.
pub static DELETE_INSTANT_AVATAR: Operation = Operation {
    version: Version::V1,
    method: Method::Delete,
    path: "/avatar/custom/delete",
    name: "delete_instant_avatar",
    poll_with: None,
    schema: &Schema::of(&[req("avatar_id", INT)]),
};
