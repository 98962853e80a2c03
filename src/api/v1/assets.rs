//! v1 asset upload URLs (REFERENCE §3.10, §9). [`Client::upload_asset`] runs the whole
//! upload; this is its first step, for callers who PUT the bytes themselves.
//!
//! [`Client::upload_asset`]: crate::Client::upload_asset

use serde::Deserialize;
use serde_json::json;

use crate::client::Client;
use crate::de;
use crate::error::{Code, Error, Result};
use crate::ops::{Operation, Version};
use crate::schema::{Field, Kind, Schema};
use crate::transport::{Method, Reply};

/// `POST /v1/upload/asset`.
pub static CREATE_UPLOAD_URL: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/upload/asset",
    name: "create_upload_url",
    poll_with: None,
    schema: &Schema {
        fields: &[Field {
            name: "filename",
            kind: Kind::Str { non_empty: true },
            required: true,
        }],
        rules: &[],
    },
};

/// Where to PUT a file, and the address it will have afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadUrl {
    /// A pre-signed URL: PUT the raw bytes there, without the API key.
    pub sign_url: String,
    /// The hosted file, for `audio_url`, `media[].url`... (v2 `asset_url`, v1 `asset_id`,
    /// which v1 documents as the address of the uploaded file).
    pub asset_url: String,
}

#[derive(Deserialize)]
struct Wire {
    sign_url: String,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    asset_url: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    asset_id: Option<String>,
}

/// Reads either version's reply into one shape.
pub(crate) fn decode_upload_url(op: &Operation, reply: Reply) -> Result<UploadUrl> {
    let request_id = reply.request_id.clone();
    let wire: Wire = de::decode(op, reply)?;
    let asset_url = wire.asset_url.or(wire.asset_id).ok_or_else(|| {
        let mut e = Error::new(
            Code::BadResponse,
            format!(
                "{}: the reply has neither asset_url nor asset_id",
                op.full_name()
            ),
        );
        e.request_id = request_id;
        e
    })?;
    Ok(UploadUrl {
        sign_url: wire.sign_url,
        asset_url,
    })
}

impl Client {
    /// Asks for a signed URL to upload `filename` to (v1).
    pub fn create_upload_url(&self, filename: &str) -> Result<UploadUrl> {
        let op = &CREATE_UPLOAD_URL;
        self.scrubbed(decode_upload_url(
            op,
            self.execute(op, &json!({ "filename": filename }))?,
        ))
    }
}
