//! v2 voices.
//!
//! Operation table entries (paths and parameter schemas, from the v2 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, STR, Schema, TEXT, int, opt, req};
use crate::types::Gender;
pub use crate::types::VoiceAge;

/// `GET /v2/voices`.
pub(crate) static LIST_VOICES: Endpoint<VoicePage> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/voices",
    name: "list_voices",
    schema: &Schema::of(&[
        opt("page", int(Some(1), None)),
        opt("page_size", int(Some(1), Some(100))),
        opt("gender", Kind::StrEnum(Gender::WORDS)),
        opt("language", Kind::LowerText),
        opt("age", Kind::StrEnum(VoiceAge::WORDS)),
        opt("use_case", Kind::LowerText),
    ]),
    items: Some("voices"),
    ..Operation::BASE
});

/// `GET /v2/voices/custom`.
pub(crate) static LIST_CUSTOM_VOICES: Endpoint<CustomVoiceList> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/voices/custom",
    name: "list_custom_voices",
    schema: &Schema::of(&[opt("language", Kind::LowerText)]),
    ..Operation::BASE
});

/// Filters and page of [`Voices::list`](crate::api::v2::voices::Voices::list); all optional, combined with AND. Pages start at
/// 1; the API's default page size is 10, at most 100.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LibraryVoiceFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// A lowercase English language name: `english`, `spanish`... (an open set, D26).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<VoiceAge>,
    /// What the voice suits, e.g. `narrative_story` (an open set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_case: Option<String>,
}

/// A text-to-speech voice: a library voice, or one of your cloned voices (which carry only
/// name, id, sample and language).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VoiceItem {
    #[serde(deserialize_with = "de::id_string")]
    pub voice_id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// A sample of the voice: `audio_url` in v2, `audition_url` in the v1 spec (D28).
    #[serde(default, alias = "audition_url", deserialize_with = "de::opt_nonempty")]
    pub audio_url: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub age: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub accent: Option<String>,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub use_case: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of library voices. v2 says whether more pages follow but gives no total; the
/// v1 list does the opposite (D29), so both are optional.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct VoicePage {
    #[serde(default)]
    pub voices: Vec<VoiceItem>,
    #[serde(default)]
    pub has_more: Option<bool>,
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total: Option<i64>,
}

/// Your cloned voices: all of them, with their count (not paged).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CustomVoiceList {
    #[serde(default, deserialize_with = "de::opt_lenient_i64")]
    pub total: Option<i64>,
    #[serde(default)]
    pub voices: Vec<VoiceItem>,
}

/// The voices operations: `client.v2().voices()`.
#[derive(Clone, Copy, Debug)]
pub struct Voices<'c> {
    pub(crate) client: &'c Client,
}

impl Voices<'_> {
    /// One page of library voices matching `filter`.
    pub fn list(&self, filter: &LibraryVoiceFilter) -> Result<VoicePage> {
        let op = &LIST_VOICES;
        self.client.request(op, filter)
    }

    /// Your cloned voices, optionally only those of one language.
    pub fn list_custom(&self, language: Option<&str>) -> Result<CustomVoiceList> {
        let params = match language {
            Some(l) => json!({ "language": l }),
            None => json!({}),
        };
        let op = &LIST_CUSTOM_VOICES;
        self.client.fetch(op, &params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_carry_has_more_or_total() {
        // D29: v2 library pages say `has_more`, v1 ones `total`.
        let v2: VoicePage = serde_json::from_value(json!({
            "voices": [{"voice_id": "a", "audio_url": "https://x/a.mp3", "accent": "british",
                        "use_case": "news"}],
            "has_more": true
        }))
        .unwrap();
        assert_eq!((v2.has_more, v2.total), (Some(true), None));
        assert_eq!(v2.voices[0].accent.as_deref(), Some("british"));
        let v1: VoicePage = serde_json::from_value(json!({
            "voices": [{"voice_id": "b", "audition_url": "https://x/b.mp3"}], "total": "12"
        }))
        .unwrap();
        assert_eq!((v1.has_more, v1.total), (None, Some(12)));
        // D28: the sample URL member has two names.
        assert_eq!(v1.voices[0].audio_url.as_deref(), Some("https://x/b.mp3"));
    }
}
