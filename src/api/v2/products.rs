//! v2 products and product videos.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::Error as _;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::common::{TaskError, VIDEO_LIST_QUERY, VideoListQuery};
use super::videos::CreatedVideo;
use crate::api::v1::products::{CREATE_PRODUCT_PARAMS, UPDATE_PRODUCT_PARAMS};
pub use crate::api::v1::products::{
    CreateProduct, MediaType, Product, ProductMedia, UpdateProduct,
};
use crate::client::Client;
use crate::de::{self, Members};
use crate::error::Result;
use crate::operation::Method;
#[allow(unused_imports)]
use crate::operation::status::{StatusValues, TaskStatus};
use crate::operation::task::{Found, StatusForm, TaskKind};
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::types::{AvatarType, Orientation};
pub use crate::types::{ScriptStyle, VideoLength};

// The settings a product video and its previews share ([`VideoSpec`], [`ProductVideoAvatar`],
// [`ProductVideoVoice`], [`ProductVideoAudio`]).
const VIDEO_SPEC: Kind = Kind::Object(&Schema::of(&[
    opt("aspect_ratio", Kind::StrEnum(Orientation::WORDS)),
    req("length", Kind::StrEnum(VideoLength::WORDS)),
    opt("caption", Kind::Bool),
    opt("name", STR),
]));
const VIDEO_AVATAR: Kind = Kind::Object(&Schema::of(&[
    req("id", INT),
    opt("type", Kind::IntEnum(&[0, 1])),
]));
const VIDEO_VOICE: Kind = Kind::Object(&Schema::of(&[opt("id", STR)]));
const VIDEO_AUDIO: Kind = Kind::Object(&Schema::of(&[opt("music_id", int(Some(0), None))]));

/// `POST /v2/create_video_from_product`.
pub(crate) static CREATE_VIDEO_FROM_PRODUCT: Endpoint<CreatedVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product",
    name: "create_video_from_product",
    schema: &Schema::of(&[
        req("product_id", STR),
        opt("visual_style", STR),
        req("video_spec", VIDEO_SPEC),
        req("avatar", VIDEO_AVATAR),
        req("voice", VIDEO_VOICE),
        req("audio", VIDEO_AUDIO),
        req(
            "script",
            Kind::Object(&Schema::of(&[req("style", STR), req("language", STR)])),
        ),
        opt("override_script", STR),
        opt("webhook_url", Kind::Uri),
    ]),
    starts: Some(&PRODUCT_VIDEO),
    ..Operation::BASE
});

/// `POST /v2/create_video_from_product/preview_list`.
pub(crate) static CREATE_PRODUCT_PREVIEWS: Endpoint<PreviewBatch> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product/preview_list",
    name: "create_product_previews",
    schema: &Schema::of(&[
        req("product_id", STR),
        req("visual_styles", Kind::Array(&STR)),
        req("video_spec", VIDEO_SPEC),
        req("avatar", VIDEO_AVATAR),
        req("voice", VIDEO_VOICE),
        req("audio", VIDEO_AUDIO),
        req(
            "script",
            // The spec's `language` slipped out of `script`; send it in both places (D37).
            Kind::Object(&Schema::of(&[req("style", STR), opt("language", STR)])),
        ),
        opt("language", STR),
        opt("override_script", STR),
        opt("webhook_url", Kind::Uri),
    ])
    .with_rules(&[Rule::AnyOf(&[&["language"], &["script.language"]])]),
    ..Operation::BASE
});

/// `POST /v2/create_video_from_product/render_single_preview`.
pub(crate) static RENDER_PRODUCT_PREVIEW: Endpoint<CreatedVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/create_video_from_product/render_single_preview",
    name: "render_product_preview",
    schema: &Schema::of(&[req("preview_id", STR)]),
    starts: Some(&PRODUCT_VIDEO),
    ..Operation::BASE
});

/// `POST /v2/product`.
pub(crate) static CREATE_PRODUCT: Endpoint<Product> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/product",
    name: "create_product",
    schema: &CREATE_PRODUCT_PARAMS,
    ..Operation::BASE
});

/// `PUT /v2/product`.
pub(crate) static UPDATE_PRODUCT: Endpoint<IgnoredAny> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Put,
    path: "/v2/product",
    name: "update_product",
    schema: &UPDATE_PRODUCT_PARAMS,
    ..Operation::BASE
});

/// `GET /v2/product_previews`.
pub(crate) static LIST_PRODUCT_PREVIEWS: Endpoint<ProductPreviewList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_previews",
    name: "list_product_previews",
    schema: &VIDEO_LIST_QUERY,
    polls: Some(&PRODUCT_PREVIEW),
    items: Some("previews"),
    ..Operation::BASE
});

/// One preview of a preview batch: only its list shows it, with `id` equal to the `preview_id` (D63).
pub(crate) static PRODUCT_PREVIEW: TaskKind = TaskKind {
    poll: LIST_PRODUCT_PREVIEWS.op(),
    found: Found::InList {
        list: "previews",
        id_members: &["id", "preview_id"],
    },
    id_members: &["preview_id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[],
};

/// `GET /v2/product_video/{product_video_id}`.
pub(crate) static GET_PRODUCT_VIDEO: Endpoint<ProductVideo> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_video/{product_video_id}",
    name: "get_product_video",
    schema: &Schema::of(&[req("product_video_id", Kind::Id)]),
    polls: Some(&PRODUCT_VIDEO),
    ..Operation::BASE
});

/// A product video, rendered directly or from a chosen preview.
pub(crate) static PRODUCT_VIDEO: TaskKind = TaskKind {
    poll: GET_PRODUCT_VIDEO.op(),
    found: Found::ById("product_video_id"),
    id_members: &["video_id", "product_video_id", "id"],
    status: StatusForm::Values(&crate::operation::status::V2_TASK_STATUS),
    events: &[
        "generated_product_video_success",
        "generated_product_video_failed",
    ],
};

/// `GET /v2/product_videos`.
pub(crate) static LIST_PRODUCT_VIDEOS: Endpoint<ProductVideoList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/product_videos",
    name: "list_product_videos",
    schema: &VIDEO_LIST_QUERY,
    items: Some("videos"),
    ..Operation::BASE
});

// ---------------------------------------------------------------------------
// Typed API

/// Shape, length, subtitles and name of a product video.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VideoSpec {
    /// Landscape unless set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<Orientation>,
    pub length: VideoLength,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl VideoSpec {
    pub fn new(length: VideoLength) -> Self {
        VideoSpec {
            aspect_ratio: None,
            length,
            caption: None,
            name: None,
        }
    }
}

/// The presenter of a product video (member names `id`/`type` here, unlike elsewhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ProductVideoAvatar {
    pub id: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub avatar_type: Option<AvatarType>,
}

/// The voice of a product video; the service picks one when `id` is unset.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProductVideoVoice {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Background music; `music_id: None` sends `{}`, which means none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProductVideoAudio {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub music_id: Option<u32>,
}

/// How the AI writes the script, in which language (a lowercase English name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScriptSpec {
    pub style: ScriptStyle,
    pub language: String,
}

/// The request of [`Products::create_video`](crate::api::v2::products::Products::create_video).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CreateProductVideo {
    /// From `create_product`.
    pub product_id: String,
    /// A name from `list_visual_styles`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visual_style: Option<String>,
    pub video_spec: VideoSpec,
    pub avatar: ProductVideoAvatar,
    pub voice: ProductVideoVoice,
    pub audio: ProductVideoAudio,
    pub script: ScriptSpec,
    /// Your own words instead of the AI script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_script: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
}

/// The request of [`Products::create_previews`](crate::api::v2::products::Products::create_previews): the same settings as a product video,
/// with one preview per visual style.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateProductPreviews {
    pub product_id: String,
    pub visual_styles: Vec<String>,
    pub video_spec: VideoSpec,
    pub avatar: ProductVideoAvatar,
    pub voice: ProductVideoVoice,
    pub audio: ProductVideoAudio,
    pub script: ScriptSpec,
    pub override_script: Option<String>,
    pub webhook_url: Option<String>,
}

impl Serialize for CreateProductPreviews {
    /// The spec lists `language` as required inside `script` but declares it at the top
    /// level; it goes in both places (D37).
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            product_id: &'a str,
            visual_styles: &'a [String],
            video_spec: &'a VideoSpec,
            avatar: &'a ProductVideoAvatar,
            voice: &'a ProductVideoVoice,
            audio: &'a ProductVideoAudio,
            script: &'a ScriptSpec,
            language: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            override_script: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            webhook_url: Option<&'a str>,
        }
        Wire {
            product_id: &self.product_id,
            visual_styles: &self.visual_styles,
            video_spec: &self.video_spec,
            avatar: &self.avatar,
            voice: &self.voice,
            audio: &self.audio,
            script: &self.script,
            language: &self.script.language,
            override_script: self.override_script.as_deref(),
            webhook_url: self.webhook_url.as_deref(),
        }
        .serialize(s)
    }
}

/// What [`Products::create_previews`](crate::api::v2::products::Products::create_previews) accepted: one entry per requested style.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PreviewBatch {
    #[serde(default)]
    pub previews: Vec<PreviewSubmission>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One style of a preview batch: a `preview_id` when accepted, an `err_msg` when not. The
/// preview then shows up in [`Products::list_previews`](crate::api::v2::products::Products::list_previews) with `id == preview_id` (D63).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PreviewSubmission {
    #[serde(default)]
    pub visual_style: Option<String>,
    #[serde(default, deserialize_with = "de::opt_id_string")]
    pub preview_id: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub err_msg: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A product video or preview: `status` is `processing`, `completed` or `failed` (the
/// guides add `pending`). The spec's poll answer has no id and no duration; the guides and
/// the lists add `id`, `video_duration`/`duration` and `error` (D48), all read here.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductVideo {
    /// `id`, `video_id` or `product_video_id` (D16).
    pub id: Option<String>,
    pub title: Option<String>,
    pub status: String,
    pub video_url: Option<String>,
    pub cover_url: Option<String>,
    pub video_duration: Option<f64>,
    pub created_at: Option<i64>,
    pub deducted_credit: Option<f64>,
    pub error: Option<TaskError>,
    pub extra: Map<String, Value>,
}

impl ProductVideo {
    pub fn task_status(&self) -> TaskStatus {
        TaskStatus::from_word(&self.status)
    }
}

impl<'de> Deserialize<'de> for ProductVideo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = Members::deserialize(d)?;
        let e = D::Error::custom;
        Ok(ProductVideo {
            id: m
                .string(&["id", "video_id", "product_video_id", "preview_id"])
                .map_err(e)?,
            title: m.string(&["title", "video_name", "name"]).map_err(e)?,
            status: m.required(&["status"]).map_err(e)?,
            video_url: m.string(&["video_url", "url", "result_url"]).map_err(e)?,
            cover_url: m.string(&["cover_url"]).map_err(e)?,
            video_duration: m
                .f64(&["video_duration", "duration", "duration_seconds"])
                .map_err(e)?,
            created_at: m.i64(&["created_at"]).map_err(e)?,
            deducted_credit: m.f64(&["deducted_credit"]).map_err(e)?,
            error: m.error().map_err(e)?,
            extra: m.into_extra(),
        })
    }
}

/// One page of product videos.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProductVideoList {
    #[serde(default)]
    pub videos: Vec<ProductVideo>,
    /// Matches across all pages.
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page_size: Option<i64>,
}

/// One page of product previews (items as in [`ProductVideoList`]).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ProductPreviewList {
    #[serde(default)]
    pub previews: Vec<ProductVideo>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub page_size: Option<i64>,
}

/// The products operations: `client.v2().products()`.
#[derive(Clone, Copy, Debug)]
pub struct Products<'c> {
    pub(crate) client: &'c Client,
}

impl Products<'_> {
    /// Creates a product from a web page or a description (synchronous); its `product_id`
    /// is what the product renders take. Same shapes as v1 `create_product`.
    pub fn create(&self, request: &CreateProduct) -> Result<Product> {
        let op = &CREATE_PRODUCT;
        self.client.request(op, request)
    }

    /// Changes a product; `media`, when set, replaces the whole list. No payload back.
    pub fn update(&self, request: &UpdateProduct) -> Result<()> {
        let op = &UPDATE_PRODUCT;
        self.client.request(op, request)?;
        Ok(())
    }

    /// Starts rendering a marketing video of a product and returns its id at once; poll it
    /// with [`Products::get_video`](crate::api::v2::products::Products::get_video) (renders take 5–10 minutes). Costs credits.
    pub fn create_video(&self, request: &CreateProductVideo) -> Result<CreatedVideo> {
        let op = &CREATE_VIDEO_FROM_PRODUCT;
        self.client.request(op, request)
    }

    /// Starts cheap preview renders of a product, one per visual style. There is no
    /// per-preview poll: watch [`Products::list_previews`](crate::api::v2::products::Products::list_previews) for items whose `id` is the
    /// `preview_id`, then render the chosen one with [`Products::render_preview`](crate::api::v2::products::Products::render_preview). Costs
    /// preview credits.
    pub fn create_previews(&self, request: &CreateProductPreviews) -> Result<PreviewBatch> {
        let op = &CREATE_PRODUCT_PREVIEWS;
        self.client.request(op, request)
    }

    /// Turns a finished preview into the full video (async, poll with
    /// [`Products::get_video`](crate::api::v2::products::Products::get_video)). Costs credits.
    pub fn render_preview(&self, preview_id: &str) -> Result<CreatedVideo> {
        let op = &RENDER_PRODUCT_PREVIEW;
        self.client.fetch(op, &json!({ "preview_id": preview_id }))
    }

    /// One page of your product previews (a less documented operation, D14).
    pub fn list_previews(&self, query: &VideoListQuery) -> Result<ProductPreviewList> {
        let op = &LIST_PRODUCT_PREVIEWS;
        self.client.request(op, query)
    }

    /// The state of a product video, with its URLs once completed.
    pub fn get_video(&self, product_video_id: &str) -> Result<ProductVideo> {
        let op = &GET_PRODUCT_VIDEO;
        self.client
            .fetch(op, &json!({ "product_video_id": product_video_id }))
    }

    /// One page of your product videos (a less documented operation, D14).
    pub fn list_videos(&self, query: &VideoListQuery) -> Result<ProductVideoList> {
        let op = &LIST_PRODUCT_VIDEOS;
        self.client.request(op, query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn product_video_spec_and_guide_shapes() {
        // D48: the spec's poll answer (no id, `deducted_credit`) and the guides' (`id`,
        // `duration`, `error`, `pending`).
        let spec: ProductVideo = decode(json!({
            "title": "t", "video_url": "https://x/v.mp4", "cover_url": "https://x/c.jpg",
            "status": "completed", "created_at": 1640995200, "deducted_credit": 10.5
        }));
        assert_eq!(spec.id, None);
        assert_eq!(spec.deducted_credit, Some(10.5));
        assert_eq!(spec.task_status(), TaskStatus::Succeeded);
        let guide: ProductVideo = decode(json!({
            "product_video_id": "pv_1", "status": "failed", "duration": 30,
            "error": {"code": 50000, "message": "boom"}
        }));
        assert_eq!(guide.id.as_deref(), Some("pv_1"));
        assert_eq!(guide.video_duration, Some(30.0));
        assert_eq!(guide.error.unwrap().message.as_deref(), Some("boom"));
        let listed: ProductVideo =
            decode(json!({"id": "video_123", "status": "pending", "video_duration": 30.5}));
        assert_eq!(listed.task_status(), TaskStatus::Pending);
        assert_eq!(listed.video_duration, Some(30.5));
    }

    #[test]
    fn preview_batch_entries_accepted_or_refused() {
        let batch: PreviewBatch = decode(json!({"previews": [
            {"visual_style": "A", "preview_id": "p1"},
            {"visual_style": "B", "err_msg": "no"},
            {"visual_style": "C", "preview_id": 9, "err_msg": ""}
        ]}));
        let p = &batch.previews;
        assert_eq!(
            (p[0].preview_id.as_deref(), p[0].err_msg.as_deref()),
            (Some("p1"), None)
        );
        assert_eq!(
            (p[1].preview_id.as_deref(), p[1].err_msg.as_deref()),
            (None, Some("no"))
        );
        assert_eq!(
            (p[2].preview_id.as_deref(), p[2].err_msg.as_deref()),
            (Some("9"), None)
        );
    }

    fn settings() -> (VideoSpec, ProductVideoAvatar, ScriptSpec) {
        (
            VideoSpec {
                aspect_ratio: Some(Orientation::Landscape),
                ..VideoSpec::new(VideoLength::Seconds30)
            },
            ProductVideoAvatar {
                id: 81,
                avatar_type: Some(AvatarType::Public),
            },
            ScriptSpec {
                style: ScriptStyle::STORYTIME,
                language: "english".into(),
            },
        )
    }

    #[test]
    fn previews_send_language_twice_and_no_music_as_empty_object() {
        let (video_spec, avatar, script) = settings();
        let r = CreateProductPreviews {
            product_id: "p".into(),
            visual_styles: vec!["Simple Product Switch".into()],
            video_spec,
            avatar,
            voice: ProductVideoVoice::default(),
            audio: ProductVideoAudio::default(),
            script,
            override_script: None,
            webhook_url: None,
        };
        let v = serde_json::to_value(&r).unwrap();
        // D37: `language` both in `script` and at the top level.
        assert_eq!(v["language"], "english");
        assert_eq!(
            v["script"],
            json!({"style": "Storytime", "language": "english"})
        );
        assert_eq!(v["audio"], json!({}));
        assert_eq!(
            v["video_spec"],
            json!({"aspect_ratio": "landscape", "length": "30"})
        );
        assert!(CREATE_PRODUCT_PREVIEWS.schema.check(&v).is_ok());
    }

    #[test]
    fn product_video_request_matches_the_schema() {
        let (video_spec, avatar, script) = settings();
        let r = CreateProductVideo {
            product_id: "p".into(),
            visual_style: None,
            video_spec,
            avatar,
            voice: ProductVideoVoice {
                id: Some("en-US-Guy".into()),
            },
            audio: ProductVideoAudio { music_id: Some(13) },
            script,
            override_script: None,
            webhook_url: None,
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["avatar"], json!({"id": 81, "type": 0}));
        assert_eq!(v["audio"], json!({"music_id": 13}));
        assert!(CREATE_VIDEO_FROM_PRODUCT.schema.check(&v).is_ok());
    }
}
