//! v2 asset upload URLs (api-notes §3.10, §9).

use serde::Serialize;

use crate::api::v1::assets::UploadUrl;
use crate::client::Client;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
use crate::schema::{Field, Kind, Schema};

/// `POST /v2/upload/asset`.
pub(crate) static CREATE_UPLOAD_URL: Endpoint<UploadUrl> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/upload/asset",
    name: "create_upload_url",
    schema: &Schema {
        fields: &[
            Field {
                name: "filename",
                kind: Kind::Str { non_empty: true },
                required: true,
            },
            // Signed URLs bind it: the PUT must declare the same type.
            Field {
                name: "content_type",
                kind: Kind::Str { non_empty: true },
                required: true,
            },
            Field {
                name: "file_size",
                kind: Kind::Int {
                    min: Some(1),
                    max: None,
                },
                required: false,
            },
        ],
        rules: &[],
    },
    ..Operation::BASE
});

/// The request of [`Assets::create_upload_url`](crate::api::v2::assets::Assets::create_upload_url).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateUploadUrl {
    pub filename: String,
    /// The file's MIME type (`image/png`, `audio/mpeg`, `video/mp4`...).
    pub content_type: String,
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// The assets operations: `client.v2().assets()`.
#[derive(Clone, Copy, Debug)]
pub struct Assets<'c> {
    pub(crate) client: &'c Client,
}

impl Assets<'_> {
    /// Asks for a signed URL to upload a file to.
    pub fn create_upload_url(&self, request: &CreateUploadUrl) -> Result<UploadUrl> {
        self.client.request(&CREATE_UPLOAD_URL, request)
    }
}
