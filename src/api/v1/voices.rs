//! v1 library voices.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::VoiceAge;

/// `GET /v1/voices`: the voice library, filtered and paged.
pub(crate) static LIST_VOICES: Endpoint<VoiceList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/voices",
    name: "list_voices",
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("gender", Kind::StrEnum(&["male", "female"])),
        opt("age", Kind::StrEnum(VoiceAge::WORDS)),
        // An open set of lowercase English names (`english`, `spanish`...; D26), so
        // `English` is sent as `english`.
        opt("language", Kind::LowerText),
    ]),
    items: Some("voices"),
    ..Operation::BASE
});

/// Filters and paging of [`Voices::list`](crate::api::v1::voices::Voices::list). Pages start at 1; the API's default page
/// size is 10, at most 100.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VoiceFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// `male` or `female`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `young`, `middle_aged` or `old`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    /// A lowercase English language name: `english`, `spanish`, `chinese (simplified)`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Voice {
    #[serde(deserialize_with = "de::id_string")]
    pub voice_id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// A sample of the voice: `audition_url` in the v1 spec, `audio_url` elsewhere (D28).
    #[serde(default, alias = "audition_url", deserialize_with = "de::opt_nonempty")]
    pub audio_url: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub age: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VoiceList {
    /// Matches across all pages (v1); v2 says `has_more` instead (D29).
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total: Option<i64>,
    #[serde(default)]
    pub has_more: Option<bool>,
    #[serde(default)]
    pub voices: Vec<Voice>,
}

/// The voices operations: `client.v1().voices()`.
#[derive(Clone, Copy, Debug)]
pub struct Voices<'c> {
    pub(crate) client: &'c Client,
}

impl Voices<'_> {
    /// One page of library voices matching `filter`.
    pub fn list(&self, filter: &VoiceFilter) -> Result<VoiceList> {
        let op = &LIST_VOICES;
        self.client.request(op, filter)
    }
}

/// `GET /v1/voices/custom`.
pub(crate) static LIST_CUSTOM_VOICES: Endpoint<VoiceList> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/voices/custom",
    name: "list_custom_voices",
    schema: &Schema::of(&[opt("language", Kind::LowerText)]),
    ..Operation::BASE
});

impl Voices<'_> {
    /// Your cloned voices, all of them or those of one `language` (a lowercase English
    /// name). The sample member is read from `audition_url` or `audio_url` (D28).
    pub fn list_custom(&self, language: Option<&str>) -> Result<VoiceList> {
        let params = match language {
            Some(language) => serde_json::json!({ "language": language }),
            None => serde_json::json!({}),
        };
        let op = &LIST_CUSTOM_VOICES;
        self.client.fetch(op, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sample_url_under_either_name() {
        for key in ["audition_url", "audio_url"] {
            let list: VoiceList = serde_json::from_value(json!({
                "total": 1,
                "voices": [{"voice_id": "tb_1", "name": "Me", key: "https://x/1.mp3"}]
            }))
            .unwrap();
            assert_eq!(list.voices[0].audio_url.as_deref(), Some("https://x/1.mp3"));
            assert_eq!(list.total, Some(1));
        }
    }
}
