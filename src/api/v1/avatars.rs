//! v1 avatars: the library, and the instant and photo avatars you made.

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

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
use crate::types::{AspectRatio, AvatarAge, AvatarStyle, Ethnicity, Scene};

/// `GET /v1/avatars`: the avatar library, filtered.
pub(crate) static LIST_AVATARS: Endpoint<AvatarList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars",
    name: "list_avatars",
    schema: &Schema::of(&[
        opt("aspect_ratio", Kind::IntEnum(&[0, 1, 2])),
        opt("style", Kind::StrEnum(AvatarStyle::WORDS)),
        // The v2 filter lists the same two words the other way round.
        opt("gender", Kind::StrEnum(&["male", "female"])),
        opt("age", Kind::StrEnum(AvatarAge::WORDS)),
        opt("scene", Kind::StrEnum(Scene::WORDS)),
        opt("ethnicity", Kind::StrEnum(Ethnicity::WORDS)),
    ]),
    ..Operation::BASE
});

/// Filters of [`Avatars::list`](crate::api::v1::avatars::Avatars::list); every member optional, all combined with AND.
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

/// The avatars operations: `client.v1().avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct Avatars<'c> {
    pub(crate) client: &'c Client,
}

impl Avatars<'_> {
    /// Library avatars matching `filter`.
    pub fn list(&self, filter: &AvatarFilter) -> Result<AvatarList> {
        let op = &LIST_AVATARS;
        self.client.request(op, filter)
    }
}

/// `GET /v1/avatars/custom`.
pub(crate) static LIST_CUSTOM_AVATARS: Endpoint<CustomAvatarList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars/custom",
    name: "list_custom_avatars",
    schema: &Schema::of(&[]),
    polls: Some(&INSTANT_AVATAR),
    ..Operation::BASE
});

/// An instant avatar: it has no status operation, so it is found in the custom-avatar list (D64).
pub(crate) static INSTANT_AVATAR: TaskKind = TaskKind {
    poll: LIST_CUSTOM_AVATARS.op(),
    found: Found::InList {
        list: "avatars",
        id_members: &["avatar_id", "id"],
    },
    id_members: &["avatar_id", "id"],
    status: StatusForm::Values(&crate::operation::status::AVATAR_STATUS),
    events: &["create_avatar_success", "create_avatar_failed"],
};

/// `GET /v1/avatars/photo_avatars`.
pub(crate) static LIST_PHOTO_AVATARS: Endpoint<PhotoAvatarList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/avatars/photo_avatars",
    name: "list_photo_avatars",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// `POST /v1/avatar/create`.
pub(crate) static CREATE_INSTANT_AVATAR: Endpoint<CreatedAvatar> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/avatar/create",
    name: "create_instant_avatar",
    schema: &Schema::of(&[req("origin_url", STR), req("name", STR)]),
    starts: Some(&INSTANT_AVATAR),
    ..Operation::BASE
});

/// `DELETE /v1/avatar/custom/delete`.
pub(crate) static DELETE_INSTANT_AVATAR: Endpoint<IgnoredAny> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Delete,
    path: "/avatar/custom/delete",
    name: "delete_instant_avatar",
    schema: &Schema::of(&[req("avatar_id", INT)]),
    ..Operation::BASE
});

/// Where an avatar you made stands. The lists send an integer (0, 1, 2); the v1 spec writes
/// the values as `"0 processing"`, `"1 success"`, `"2 failed"`, and v2 lists use words
/// (D31). All of these decode here; anything else is kept in `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AvatarStatus {
    Processing,
    Ready,
    Failed,
    Other(String),
}

impl AvatarStatus {
    fn from_word(word: &str) -> AvatarStatus {
        let word = word.trim();
        // "0 processing" and friends: the number decides.
        let lead = word.split_whitespace().next().unwrap_or_default();
        match lead.parse::<i64>() {
            Ok(0) => return AvatarStatus::Processing,
            Ok(1) => return AvatarStatus::Ready,
            Ok(2) => return AvatarStatus::Failed,
            _ => {}
        }
        match word.to_ascii_lowercase().as_str() {
            "processing" | "pending" | "in_progress" => AvatarStatus::Processing,
            "completed" | "success" | "succeeded" => AvatarStatus::Ready,
            "failed" | "error" => AvatarStatus::Failed,
            _ => AvatarStatus::Other(word.to_owned()),
        }
    }

    pub fn task_status(&self) -> TaskStatus {
        match self {
            AvatarStatus::Processing => TaskStatus::Processing,
            AvatarStatus::Ready => TaskStatus::Succeeded,
            AvatarStatus::Failed => TaskStatus::Failed,
            AvatarStatus::Other(_) => TaskStatus::Unknown,
        }
    }
}

impl Default for AvatarStatus {
    /// No status given.
    fn default() -> Self {
        AvatarStatus::Other(String::new())
    }
}

impl<'de> Deserialize<'de> for AvatarStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Number(n) => AvatarStatus::from_word(&n.to_string()),
            Value::String(s) => AvatarStatus::from_word(&s),
            other => AvatarStatus::Other(other.to_string()),
        })
    }
}

/// One of your instant avatars.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CustomAvatar {
    #[serde(alias = "id", deserialize_with = "de::lenient_i64")]
    pub avatar_id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    /// `status` in v1, `avatar_status` in v2 (D31); `Other("")` when the reply has neither.
    #[serde(alias = "avatar_status", default)]
    pub status: AvatarStatus,
    /// Why the avatar could not be made.
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub fail_msg: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CustomAvatarList {
    #[serde(default)]
    pub avatars: Vec<CustomAvatar>,
}

impl CustomAvatarList {
    pub fn find(&self, avatar_id: i64) -> Option<&CustomAvatar> {
        self.avatars.iter().find(|a| a.avatar_id == avatar_id)
    }
}

/// One of your photo avatars (made with `add_photo_avatar_motion`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoAvatar {
    #[serde(alias = "id", deserialize_with = "de::lenient_i64")]
    pub avatar_id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub cover_url: Option<String>,
    #[serde(alias = "avatar_status", default)]
    pub status: AvatarStatus,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub fail_msg: Option<String>,
    /// A number, not always 0-2 (the spec's example says 9, D21).
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub aspect_ratio: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub style: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub gender: Option<String>,
    /// Free text (`25-35` in the spec's example).
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub age: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PhotoAvatarList {
    #[serde(default)]
    pub avatars: Vec<PhotoAvatar>,
}

impl PhotoAvatarList {
    pub fn find(&self, avatar_id: i64) -> Option<&PhotoAvatar> {
        self.avatars.iter().find(|a| a.avatar_id == avatar_id)
    }
}

/// The request of [`Avatars::create_instant`](crate::api::v1::avatars::Avatars::create_instant).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateInstantAvatar {
    /// The filmed source video (1080p at 30 fps recommended; larger input is scaled down).
    pub origin_url: String,
    pub name: String,
}

/// An avatar just accepted for making.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CreatedAvatar {
    /// `id` in an older guide (D64).
    #[serde(alias = "id", deserialize_with = "de::lenient_i64")]
    pub avatar_id: i64,
}

impl Avatars<'_> {
    /// Your instant avatars, with the making status of each.
    pub fn list_custom(&self) -> Result<CustomAvatarList> {
        let op = &LIST_CUSTOM_AVATARS;
        self.client.fetch(op, &serde_json::json!({}))
    }

    /// Your photo avatars, with the making status of each.
    pub fn list_photo(&self) -> Result<PhotoAvatarList> {
        let op = &LIST_PHOTO_AVATARS;
        self.client.fetch(op, &serde_json::json!({}))
    }

    /// Starts making an instant avatar from a filmed video. Costs 100 credits. There is no
    /// status operation: find `avatar_id` in [`Avatars::list_custom`](crate::api::v1::avatars::Avatars::list_custom) until its
    /// status is [`AvatarStatus::Ready`] or [`AvatarStatus::Failed`] (D64).
    pub fn create_instant(&self, request: &CreateInstantAvatar) -> Result<CreatedAvatar> {
        let op = &CREATE_INSTANT_AVATAR;
        self.client.request(op, request)
    }

    /// Deletes one of your instant avatars.
    pub fn delete_instant(&self, avatar_id: i64) -> Result<()> {
        let op = &DELETE_INSTANT_AVATAR;
        self.client
            .fetch(op, &serde_json::json!({ "avatar_id": avatar_id }))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn avatar_status_in_every_form() {
        let cases = [
            (json!(0), AvatarStatus::Processing),
            (json!("0 processing"), AvatarStatus::Processing),
            (json!("processing"), AvatarStatus::Processing),
            (json!(1), AvatarStatus::Ready),
            (json!("1 success"), AvatarStatus::Ready),
            (json!("completed"), AvatarStatus::Ready),
            (json!(2), AvatarStatus::Failed),
            (json!("2 failed"), AvatarStatus::Failed),
            (json!("failed"), AvatarStatus::Failed),
            (json!(7), AvatarStatus::Other("7".into())),
        ];
        for (raw, want) in cases {
            let got: AvatarStatus = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(got, want, "{raw}");
        }
        assert_eq!(AvatarStatus::Ready.task_status(), TaskStatus::Succeeded);
        assert_eq!(
            AvatarStatus::Other("x".into()).task_status(),
            TaskStatus::Unknown
        );
    }

    #[test]
    fn custom_avatar_v1_and_v2_members() {
        let v1: CustomAvatar = serde_json::from_value(json!({
            "avatar_id": 5, "name": "Me", "cover_url": "", "status": 0, "fail_msg": ""
        }))
        .unwrap();
        assert_eq!(
            (v1.avatar_id, v1.status, v1.cover_url, v1.fail_msg),
            (5, AvatarStatus::Processing, None, None)
        );
        let v2: CustomAvatar = serde_json::from_value(json!({
            "id": "6", "avatar_status": "failed", "fail_msg": "blurry", "api_only": true
        }))
        .unwrap();
        assert_eq!(v2.avatar_id, 6);
        assert_eq!(v2.status, AvatarStatus::Failed);
        assert_eq!(v2.fail_msg.as_deref(), Some("blurry"));
        assert_eq!(v2.extra["api_only"], true);
        let created: CreatedAvatar = serde_json::from_value(json!({"id": 9})).unwrap();
        assert_eq!(created.avatar_id, 9);
    }
}
