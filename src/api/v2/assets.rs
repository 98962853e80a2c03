//! v2 asset upload URLs (REFERENCE §3.10, §9).

use serde::Serialize;

use super::V2;
use crate::api::v1::assets::{UploadUrl, decode_upload_url};
use crate::error::Result;
use crate::ops::{Operation, Version};
use crate::schema::{Field, Kind, Schema};
use crate::transport::Method;

/// `POST /v2/upload/asset`.
pub static CREATE_UPLOAD_URL: Operation = Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/upload/asset",
    name: "create_upload_url",
    poll_with: None,
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
};

/// The request of [`V2::create_upload_url`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CreateUploadUrl {
    pub filename: String,
    /// The file's MIME type (`image/png`, `audio/mpeg`, `video/mp4`...).
    pub content_type: String,
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

impl V2<'_> {
    /// Asks for a signed URL to upload a file to.
    pub fn create_upload_url(&self, request: &CreateUploadUrl) -> Result<UploadUrl> {
        let op = &CREATE_UPLOAD_URL;
        let params = self.client.to_params(request)?;
        let reply = self.client.execute(op, &params)?;
        self.client.scrubbed(decode_upload_url(op, reply))
    }
}
