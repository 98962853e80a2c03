//! Lenient decoders for the places where the API's documents disagree on a member's type
//! (api-notes, part 2: identifiers and scalar types): ids that are numbers or strings, numbers sent as strings.

use serde::Deserialize;
use serde::de::{Deserializer, Error, Unexpected};
use serde_json::{Map, Value};

/// An integer, or a string holding one (D23).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| {
                D::Error::invalid_type(Unexpected::Other("non-integer number"), &"an integer")
            }),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| D::Error::invalid_value(Unexpected::Str(&s), &"an integer")),
        other => Err(D::Error::invalid_type(unexpected(&other), &"an integer")),
    }
}

/// An optional integer: absent, `null`, `""`, a number or a numeric string.
pub fn opt_lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => lenient_i64(v).map(Some).map_err(D::Error::custom),
    }
}

/// An id that may be a number or a string (D15, D17); always returned as a string.
pub fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(D::Error::invalid_type(
            unexpected(&other),
            &"a string or number id",
        )),
    }
}

/// A duration or amount that may be an int, a float or a numeric string (D66).
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::invalid_value(Unexpected::Str(&s), &"a number")),
        Some(other) => Err(D::Error::invalid_type(unexpected(&other), &"a number")),
    }
}

/// An optional string where `""` means absent (URLs before a render finishes).
pub fn opt_nonempty<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

/// A list that may be `null` instead of empty.
pub fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An optional id that may be a number or a string; `null` and `""` are absent (D46, D63).
pub fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => id_string(v)
            .map(|s| (!s.is_empty()).then_some(s))
            .map_err(D::Error::custom),
    }
}

/// An object's members, read by any of the names the documents use for them. Serde aliases
/// would refuse an object carrying two of the names; this takes the first one that has a
/// value and drops the others, and what is never read ends up in `extra`. Errors are
/// messages naming the member (`status: ...`), for `D::Error::custom`.
pub(crate) struct Members(pub(crate) Map<String, Value>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(Members)
    }
}

impl Members {
    /// Removes every one of `names` and returns the first that is neither null nor `""`.
    pub(crate) fn take(&mut self, names: &[&str]) -> Option<Value> {
        let mut found = None;
        for name in names {
            let value = self.0.remove(*name);
            let empty = matches!(&value, None | Some(Value::Null))
                || value.as_ref().and_then(Value::as_str) == Some("");
            if found.is_none() && !empty {
                found = value;
            }
        }
        found
    }

    /// A string; a number is accepted and written in decimal (ids, D15).
    pub(crate) fn string(&mut self, names: &[&str]) -> Result<Option<String>, String> {
        self.take(names)
            .map(|v| id_string(v).map_err(|e| format!("{}: {e}", names[0])))
            .transpose()
    }

    /// A string that must be there, under one of `names`.
    pub(crate) fn required(&mut self, names: &[&str]) -> Result<String, String> {
        self.string(names)?
            .ok_or_else(|| format!("missing field `{}`", names[0]))
    }

    /// A number, or a string holding one (D66).
    pub(crate) fn f64(&mut self, names: &[&str]) -> Result<Option<f64>, String> {
        Ok(self
            .take(names)
            .map(|v| opt_f64(v).map_err(|e| format!("{}: {e}", names[0])))
            .transpose()?
            .flatten())
    }

    /// An integer, or a string holding one.
    pub(crate) fn i64(&mut self, names: &[&str]) -> Result<Option<i64>, String> {
        Ok(self
            .take(names)
            .map(|v| opt_lenient_i64(v).map_err(|e| format!("{}: {e}", names[0])))
            .transpose()?
            .flatten())
    }

    pub(crate) fn into_extra(self) -> Map<String, Value> {
        self.0
    }
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Decodes a reply's `data` into a typed response; a mismatch is the API's fault, not the
/// caller's, so it is `ERR_BAD_RESPONSE` and names the operation.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    op: &crate::operation::Operation,
    reply: crate::transport::Reply,
) -> crate::Result<T> {
    serde_json::from_value(reply.data).map_err(|e| {
        let mut err = crate::Error::new(
            crate::error::ErrorKind::BadResponse,
            format!("{}: unexpected response shape: {e}", op.full_name()),
        );
        err.0.request_id = reply.request_id;
        err
    })
}

/// A list that comes bare (`[...]`) or as the one array member of an object
/// (`{"endpoints": [...]}`): the two shapes of D42.
#[derive(Debug)]
pub(crate) struct Listed<T>(pub Vec<T>);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Listed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = match Value::deserialize(d)? {
            Value::Array(items) => items,
            Value::Object(members) => {
                let mut lists = members.into_iter().filter_map(|(_, v)| match v {
                    Value::Array(items) => Some(items),
                    _ => None,
                });
                match (lists.next(), lists.next()) {
                    (Some(items), None) => items,
                    _ => {
                        return Err(D::Error::custom(
                            "expected a list, or an object with one member that is a list",
                        ));
                    }
                }
            }
            other => {
                return Err(D::Error::invalid_type(
                    unexpected(&other),
                    &"a list, or an object holding one",
                ));
            }
        };
        items
            .into_iter()
            .map(|item| T::deserialize(item).map_err(D::Error::custom))
            .collect::<Result<Vec<T>, D::Error>>()
            .map(Listed)
    }
}

/// [`decode`] straight from the reply's JSON text, without a [`serde_json::Value`] between.
pub(crate) fn decode_text<T: serde::de::DeserializeOwned>(
    op: &crate::operation::Operation,
    reply: crate::transport::RawReply,
) -> crate::Result<T> {
    serde_json::from_str(&reply.data).map_err(|e| {
        let mut err = crate::Error::new(
            crate::error::ErrorKind::BadResponse,
            format!("{}: unexpected response shape: {e}", op.full_name()),
        );
        err.0.request_id = reply.request_id;
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "id_string")]
        id: String,
        #[serde(default, deserialize_with = "opt_f64")]
        d: Option<f64>,
        #[serde(default, deserialize_with = "opt_lenient_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_nonempty")]
        u: Option<String>,
    }

    #[test]
    fn accepts_both_forms() {
        let t: T =
            serde_json::from_value(json!({"id": 12, "d": "1.5", "n": "7", "u": ""})).unwrap();
        assert_eq!(
            (t.id.as_str(), t.d, t.n, t.u),
            ("12", Some(1.5), Some(7), None)
        );
        let t: T = serde_json::from_value(json!({"id": "ab", "d": 3, "n": 4.0, "u": "x"})).unwrap();
        assert_eq!(
            (t.id.as_str(), t.d, t.n, t.u.as_deref()),
            ("ab", Some(3.0), Some(4), Some("x"))
        );
        assert!(serde_json::from_value::<T>(json!({"id": null})).is_err());
        assert!(serde_json::from_value::<T>(json!({"id": "a", "n": "x"})).is_err());
    }
}
