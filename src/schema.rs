//! Request validation from a declarative description of each operation's parameters.
//!
//! Typed Rust requests and C JSON requests both pass through [`Schema::check`] before anything
//! is sent, so a mistake gets the same message whichever language made it, and the message
//! names the field (`avatar_type: must be one of 0, 1 (got 7)`).

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The type and allowed values of one parameter.
#[derive(Debug)]
pub enum Kind {
    /// An integer, inclusive bounds when given.
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    IntEnum(&'static [i64]),
    /// A string; `non_empty` refuses `""` (an id that is always required to be meaningful).
    Str {
        non_empty: bool,
    },
    /// A string from a closed set, exact case (D27).
    StrEnum(&'static [&'static str]),
    Bool,
    /// An array of non-empty strings from an open set (webhook event names, D50): the API
    /// adds names over time, so the client checks the shape and leaves the names to it.
    StrArray,
}

/// One parameter of an operation.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

/// A rule across fields.
#[derive(Debug)]
pub enum Rule {
    /// Exactly one of these members must be present.
    ExactlyOne(&'static [&'static str]),
    /// `field` is required when `when` is present.
    RequiredWith {
        field: &'static str,
        when: &'static str,
    },
}

/// The parameters of one operation.
#[derive(Debug)]
pub struct Schema {
    pub fields: &'static [Field],
    pub rules: &'static [Rule],
}

impl Schema {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Validates `params` and returns them without `null` members (`null` means "not set", so
    /// an optional member can be written as `null` by a caller whose JSON library emits it).
    pub fn check(&self, params: &Value) -> Result<Map<String, Value>> {
        let Value::Object(obj) = params else {
            return Err(Error::validation(
                "request",
                format!("must be a JSON object (got {})", type_name(params)),
            ));
        };
        let mut out = Map::new();
        for (name, value) in obj {
            let Some(field) = self.field(name) else {
                return Err(Error::validation(
                    name.as_str(),
                    format!("unknown field; expected one of {}", self.names()),
                ));
            };
            if value.is_null() {
                continue;
            }
            check_kind(field, value)?;
            out.insert(name.clone(), value.clone());
        }
        for field in self.fields.iter().filter(|f| f.required) {
            if !out.contains_key(field.name) {
                return Err(Error::validation(field.name, "is required"));
            }
        }
        for rule in self.rules {
            match rule {
                Rule::ExactlyOne(names) => {
                    let present: Vec<&str> = names
                        .iter()
                        .copied()
                        .filter(|n| out.contains_key(*n))
                        .collect();
                    if present.len() != 1 {
                        // Name a real member: the one to add, or the one to remove.
                        let (field, which) = match present.last() {
                            None => (names[0], "none"),
                            Some(last) => (*last, "both"),
                        };
                        return Err(Error::validation(
                            field,
                            format!(
                                "exactly one of {} is required (got {which})",
                                names.join(", ")
                            ),
                        ));
                    }
                }
                Rule::RequiredWith { field, when } => {
                    if out.contains_key(*when) && !out.contains_key(*field) {
                        return Err(Error::validation(
                            *field,
                            format!("is required when {when} is set"),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    fn names(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn check_kind(field: &Field, value: &Value) -> Result<()> {
    let name = field.name;
    let bad_type =
        |want: &str| Error::validation(name, format!("must be {want} (got {})", describe(value)));
    match &field.kind {
        Kind::Int { min, max } => {
            let n = value.as_i64().ok_or_else(|| bad_type("an integer"))?;
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("between {a} and {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => unreachable!("no bound was violated"),
                };
                return Err(Error::validation(
                    name,
                    format!("must be {range} (got {n})"),
                ));
            }
        }
        Kind::IntEnum(allowed) => {
            let n = value.as_i64().ok_or_else(|| bad_type("an integer"))?;
            if !allowed.contains(&n) {
                let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
                return Err(Error::validation(
                    name,
                    format!("must be one of {} (got {n})", list.join(", ")),
                ));
            }
        }
        Kind::Str { non_empty } => {
            let s = value.as_str().ok_or_else(|| bad_type("a string"))?;
            if *non_empty && s.trim().is_empty() {
                return Err(Error::validation(name, "must not be empty"));
            }
        }
        Kind::StrEnum(allowed) => {
            let s = value.as_str().ok_or_else(|| bad_type("a string"))?;
            if !allowed.contains(&s) {
                return Err(Error::validation(
                    name,
                    format!("must be one of {} (got {s:?})", allowed.join(", ")),
                ));
            }
        }
        Kind::Bool => {
            value.as_bool().ok_or_else(|| bad_type("true or false"))?;
        }
        Kind::StrArray => {
            let items = value
                .as_array()
                .ok_or_else(|| bad_type("an array of strings"))?;
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if !s.trim().is_empty() => {}
                    Some(_) => {
                        return Err(Error::validation(
                            name,
                            format!("item {i} must not be empty"),
                        ));
                    }
                    None => {
                        return Err(Error::validation(
                            name,
                            format!("item {i} must be a string (got {})", describe(item)),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short rendering of a bad value for a message: scalars verbatim, containers by type.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => type_name(other).to_string(),
    }
}

/// A parameter as it goes into a query string: strings as they are, numbers and booleans in
/// their JSON spelling.
pub(crate) fn query_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static S: Schema = Schema {
        fields: &[
            Field {
                name: "id",
                kind: Kind::Int {
                    min: Some(1),
                    max: Some(100),
                },
                required: true,
            },
            Field {
                name: "kind",
                kind: Kind::StrEnum(&["a", "b"]),
                required: false,
            },
            Field {
                name: "text",
                kind: Kind::Str { non_empty: false },
                required: false,
            },
            Field {
                name: "url",
                kind: Kind::Str { non_empty: true },
                required: false,
            },
            Field {
                name: "voice",
                kind: Kind::Str { non_empty: true },
                required: false,
            },
            Field {
                name: "tags",
                kind: Kind::StrArray,
                required: false,
            },
        ],
        rules: &[
            Rule::ExactlyOne(&["text", "url"]),
            Rule::RequiredWith {
                field: "voice",
                when: "text",
            },
        ],
    };

    fn err(v: Value) -> Error {
        S.check(&v).unwrap_err()
    }

    #[test]
    fn accepts_valid_and_drops_nulls() {
        let out = S
            .check(&json!({"id": 3, "url": "u", "kind": null}))
            .unwrap();
        assert_eq!(Value::Object(out), json!({"id": 3, "url": "u"}));
    }

    #[test]
    fn names_the_field() {
        let e = err(json!({"idd": 3}));
        assert_eq!(e.field.as_deref(), Some("idd"));
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert_eq!(err(json!({"url": "u"})).message, "id: is required");
        assert_eq!(
            err(json!({"id": "3", "url": "u"})).message,
            "id: must be an integer (got \"3\")"
        );
        assert_eq!(
            err(json!({"id": 300, "url": "u"})).message,
            "id: must be between 1 and 100 (got 300)"
        );
        assert_eq!(
            err(json!({"id": 1, "url": "u", "kind": "c"})).message,
            "kind: must be one of a, b (got \"c\")"
        );
        assert_eq!(
            err(json!({"id": 1, "url": ""})).message,
            "url: must not be empty"
        );
        assert_eq!(err(json!([1])).field.as_deref(), Some("request"));
    }

    #[test]
    fn string_arrays() {
        let out = S
            .check(&json!({"id": 1, "url": "u", "tags": ["a", "b"]}))
            .unwrap();
        assert_eq!(out["tags"], json!(["a", "b"]));
        assert!(S.check(&json!({"id": 1, "url": "u", "tags": []})).is_ok());
        assert_eq!(
            err(json!({"id": 1, "url": "u", "tags": "a"})).message,
            "tags: must be an array of strings (got \"a\")"
        );
        assert_eq!(
            err(json!({"id": 1, "url": "u", "tags": ["a", 3]})).message,
            "tags: item 1 must be a string (got 3)"
        );
        let e = err(json!({"id": 1, "url": "u", "tags": [""]}));
        assert_eq!(e.field.as_deref(), Some("tags"));
        assert_eq!(e.message, "tags: item 0 must not be empty");
    }

    #[test]
    fn cross_field_rules() {
        assert!(err(json!({"id": 1})).message.contains("got none"));
        assert!(
            err(json!({"id": 1, "url": "u", "text": "t", "voice": "v"}))
                .message
                .contains("got both")
        );
        let e = err(json!({"id": 1, "text": "t"}));
        assert_eq!(e.field.as_deref(), Some("voice"));
    }

    #[test]
    fn query_values() {
        assert_eq!(query_value(&json!("a b")), "a b");
        assert_eq!(query_value(&json!(7)), "7");
        assert_eq!(query_value(&json!(true)), "true");
    }
}
