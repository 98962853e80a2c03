//! v1 asset upload URLs (api-notes §3.10, §9). [`Client::upload_asset`] runs the whole
//! upload; this is its first step, for callers who PUT the bytes themselves.
//!
//! [`Client::upload_asset`]: crate::Client::upload_asset

use serde::Deserialize;
use serde_json::json;

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
use crate::schema::{Field, Kind, Schema};

/// `POST /v1/upload/asset`.
pub(crate) static CREATE_UPLOAD_URL: Endpoint<UploadUrl> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/upload/asset",
    name: "create_upload_url",
    schema: &Schema {
        fields: &[Field {
            name: "filename",
            kind: Kind::Str { non_empty: true },
            required: true,
        }],
        rules: &[],
    },
    ..Operation::BASE
});

/// Where to PUT a file, and the address it will have afterwards.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "UploadUrlReply")]
pub struct UploadUrl {
    /// A pre-signed URL: PUT the raw bytes there, without the API key.
    pub sign_url: String,
    /// The hosted file, for `audio_url`, `media[].url`... (v2 `asset_url`, v1 `asset_id`,
    /// which v1 documents as the address of the uploaded file).
    pub asset_url: String,
}

/// The reply of either version, before its two names for the asset's address are merged.
#[derive(Deserialize)]
pub(crate) struct UploadUrlReply {
    sign_url: String,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    asset_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    asset_id: Option<String>,
}

impl TryFrom<UploadUrlReply> for UploadUrl {
    type Error = &'static str;

    fn try_from(reply: UploadUrlReply) -> std::result::Result<UploadUrl, &'static str> {
        Ok(UploadUrl {
            sign_url: reply.sign_url,
            asset_url: reply
                .asset_url
                .or(reply.asset_id)
                .ok_or("the reply has neither asset_url nor asset_id")?,
        })
    }
}

/// The assets operations: `client.v1().assets()`.
#[derive(Clone, Copy, Debug)]
pub struct Assets<'c> {
    pub(crate) client: &'c Client,
}

impl Assets<'_> {
    /// Asks for a signed URL to upload `filename` to (v1).
    pub fn create_upload_url(&self, filename: &str) -> Result<UploadUrl> {
        self.client
            .fetch(&CREATE_UPLOAD_URL, &json!({ "filename": filename }))
    }
}
