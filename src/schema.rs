//! Request validation from a declarative description of each operation's parameters.
//!
//! Typed Rust requests and C JSON requests both pass through `Schema::check_placed` before anything
//! is sent, so a mistake gets the same message whichever language made it, and the message
//! names the field (`avatar_type: must be one of 0, 1 (got 7)`).

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

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
    /// A filter from an open set of words the API spells in lower case (language names):
    /// sent lower-cased, so that `English` finds what `english` does instead of nothing.
    LowerText,
    /// An identifier: a non-empty string, or an integer (ids whose type the documents
    /// disagree on, D15/D19).
    Id,
    /// An absolute `http://` or `https://` URL (the specs' `format: uri`).
    Uri,
    Bool,
    /// A nested object with its own members and rules.
    Object(&'static Schema),
    /// An array whose items are all of one kind.
    Array(&'static Kind),
    /// Any JSON object, passed through unchecked (free-form `properties`).
    AnyObject,
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
    /// At least one of these members must be present.
    AtLeastOne(&'static [&'static str]),
    /// At least one of these groups must be present whole; a member may be a dotted path into
    /// a nested object (`script.language`).
    AnyOf(&'static [&'static [&'static str]]),
    /// When member `when` equals `equals`, every `require` member must be present
    /// (`voice.type = "script"` needs `script`). Other members are not refused: the vendor's
    /// own examples send `audio_url` beside a script.
    Case {
        when: &'static str,
        equals: &'static str,
        require: &'static [&'static str],
    },
}

/// The parameters of one operation.
#[derive(Debug)]
pub struct Schema {
    pub fields: &'static [Field],
    pub rules: &'static [Rule],
}

/// Shorthands that keep the operation tables readable.
pub const INT: Kind = Kind::Int {
    min: None,
    max: None,
};
/// A string that must not be empty.
pub const STR: Kind = Kind::Str { non_empty: true };
/// A string that may be empty (names, free text).
pub const TEXT: Kind = Kind::Str { non_empty: false };

/// A required member.
pub const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

/// An optional member.
pub const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

/// An integer within inclusive bounds.
pub const fn int(min: Option<i64>, max: Option<i64>) -> Kind {
    Kind::Int { min, max }
}

impl Schema {
    /// A schema without cross-field rules.
    pub const fn of(fields: &'static [Field]) -> Schema {
        Schema { fields, rules: &[] }
    }

    /// This schema with rules across its members.
    pub const fn with_rules(self, rules: &'static [Rule]) -> Schema {
        Schema {
            fields: self.fields,
            rules,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Validates `params` and returns them without `null` members (`null` means "not set", so
    /// an optional member can be written as `null` by a caller whose JSON library emits it).
    #[cfg(test)]
    pub fn check(&self, params: &Value) -> Result<Map<String, Value>> {
        self.check_placed(params, &|_| false)
    }

    /// `Schema::check` for an operation whose top-level members named by `in_url` travel in
    /// the URL (path and query): there an integer may also be given as its decimal text, as it
    /// is written in a URL anyway (`"aspect_ratio": "0"`).
    pub fn check_placed(
        &self,
        params: &Value,
        in_url: &dyn Fn(&str) -> bool,
    ) -> Result<Map<String, Value>> {
        if params.is_null() {
            // `null` is "no parameters", like a NULL request pointer in C.
            return self.check_object(&Map::new(), "", in_url);
        }
        let Value::Object(obj) = params else {
            return Err(Error::validation(
                "request",
                format!("must be a JSON object (got {})", type_name(params)),
            ));
        };
        self.check_object(obj, "", in_url)
    }

    /// Validates one object level; `prefix` is the path of this object (`voice.`) for messages.
    fn check_object(
        &self,
        obj: &Map<String, Value>,
        prefix: &str,
        in_url: &dyn Fn(&str) -> bool,
    ) -> Result<Map<String, Value>> {
        let mut out = Map::new();
        for (name, value) in obj {
            let path = match prefix {
                "" => std::borrow::Cow::Borrowed(name.as_str()),
                _ => std::borrow::Cow::Owned(format!("{prefix}{name}")),
            };
            let Some(field) = self.field(name) else {
                return Err(Error::validation(
                    path,
                    format!("unknown field; expected one of {}", self.names()),
                ));
            };
            if value.is_null() {
                continue;
            }
            let place = Place {
                required: field.required,
                in_url: prefix.is_empty() && in_url(name),
            };
            out.insert(name.clone(), check_kind(&field.kind, value, &path, place)?);
        }
        self.check_missing(&out, prefix)?;
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
                            format!("{prefix}{field}"),
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
                            format!("{prefix}{field}"),
                            format!("is required when {when} is set"),
                        ));
                    }
                }
                Rule::AtLeastOne(names) => {
                    if !names.iter().any(|n| out.contains_key(*n)) {
                        return Err(Error::validation(
                            format!("{prefix}{}", names[0]),
                            format!("at least one of {} is required", names.join(", ")),
                        ));
                    }
                }
                Rule::AnyOf(groups) => {
                    let whole = |group: &&[&str]| group.iter().all(|m| has_path(&out, m));
                    if !groups.iter().any(whole) {
                        // Name the first member missing from the group closest to complete.
                        let present = |g: &&[&str]| g.iter().filter(|m| has_path(&out, m)).count();
                        let most = groups.iter().map(present).max().unwrap_or(0);
                        let closest = groups
                            .iter()
                            .find(|g| present(g) == most)
                            .expect("a rule names at least one group");
                        let missing = closest
                            .iter()
                            .find(|m| !has_path(&out, m))
                            .expect("an incomplete group misses a member");
                        let choices: Vec<String> = groups.iter().map(|g| g.join(" and ")).collect();
                        return Err(Error::validation(
                            format!("{prefix}{missing}"),
                            format!("is required: give {}", choices.join(", or ")),
                        ));
                    }
                }
                Rule::Case {
                    when,
                    equals,
                    require,
                } => {
                    if out.get(*when).and_then(Value::as_str) != Some(*equals) {
                        continue;
                    }
                    if let Some(missing) = require.iter().find(|n| !out.contains_key(**n)) {
                        return Err(Error::validation(
                            format!("{prefix}{missing}"),
                            format!("is required when {when} is {equals:?}"),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every member this level lacks, in one error: the required ones, those a rule requires
    /// given what is present, and the choices no member was given for ("exactly one of
    /// script, audio_url"). One missing member alone keeps its own message
    /// (`avatar_id: is required`); a single unmade choice is left to the rules below, which
    /// word it. `field` names the first member to add, `fields` all of them (for a choice,
    /// its first member).
    fn check_missing(&self, out: &Map<String, Value>, prefix: &str) -> Result<()> {
        // (member, the condition that makes it required)
        let mut missing: Vec<(String, Option<String>)> = self
            .fields
            .iter()
            .filter(|f| f.required && !out.contains_key(f.name))
            .map(|f| (format!("{prefix}{}", f.name), None))
            .collect();
        // (first member, wording)
        let mut choices: Vec<(String, String)> = Vec::new();
        for rule in self.rules {
            match rule {
                Rule::RequiredWith { field, when }
                    if out.contains_key(*when)
                        && !out.contains_key(*field)
                        && !missing
                            .iter()
                            .any(|(m, _)| *m == format!("{prefix}{field}")) =>
                {
                    missing.push((
                        format!("{prefix}{field}"),
                        Some(format!("when {when} is set")),
                    ));
                }
                Rule::Case {
                    when,
                    equals,
                    require,
                } if out.get(*when).and_then(Value::as_str) == Some(*equals) => {
                    for name in require.iter().filter(|n| !out.contains_key(**n)) {
                        if missing.iter().any(|(m, _)| *m == format!("{prefix}{name}")) {
                            continue;
                        }
                        missing.push((
                            format!("{prefix}{name}"),
                            Some(format!("when {when} is {equals:?}")),
                        ));
                    }
                }
                Rule::ExactlyOne(names) if !names.iter().any(|n| out.contains_key(*n)) => {
                    choices.push((
                        format!("{prefix}{}", names[0]),
                        format!("exactly one of {} is required", names.join(", ")),
                    ));
                }
                Rule::AtLeastOne(names) if !names.iter().any(|n| out.contains_key(*n)) => {
                    choices.push((
                        format!("{prefix}{}", names[0]),
                        format!("at least one of {} is required", names.join(", ")),
                    ));
                }
                _ => {}
            }
        }
        let err = match (missing.as_slice(), choices.len()) {
            ([], 0 | 1) => return Ok(()),
            ([(name, when)], 0) => {
                let when = when.as_deref().map(|w| format!(" {w}")).unwrap_or_default();
                Error::validation(name.as_str(), format!("is required{when}"))
            }
            _ => {
                let mut parts = Vec::new();
                match missing.as_slice() {
                    [] => {}
                    [(name, when)] => {
                        let when = when.as_deref().map(|w| format!(" {w}")).unwrap_or_default();
                        parts.push(format!("{name}: is required{when}"));
                    }
                    several => {
                        let names: Vec<&str> = several.iter().map(|(n, _)| n.as_str()).collect();
                        let whens: Vec<String> = several
                            .iter()
                            .filter_map(|(n, w)| w.as_ref().map(|w| format!("{n} {w}")))
                            .collect();
                        let whens = match whens.as_slice() {
                            [] => String::new(),
                            _ => format!(" ({})", whens.join("; ")),
                        };
                        parts.push(format!("{}: are required{whens}", names.join(", ")));
                    }
                }
                parts.extend(choices.iter().map(|(_, wording)| wording.clone()));
                let fields: Vec<String> = missing
                    .into_iter()
                    .map(|(n, _)| n)
                    .chain(choices.into_iter().map(|(n, _)| n))
                    .collect();
                let mut message = parts.join("; ");
                if !message.starts_with(fields[0].as_str()) {
                    message = format!("{}: {message}", fields[0]);
                }
                Error::new(ErrorKind::Validation, message).with_fields(fields)
            }
        };
        Err(err)
    }

    fn names(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a member, possibly a dotted path into nested objects, is present.
fn has_path(obj: &Map<String, Value>, path: &str) -> bool {
    match path.split_once('.') {
        None => obj.get(path).is_some_and(|v| !v.is_null()),
        Some((head, rest)) => obj
            .get(head)
            .and_then(Value::as_object)
            .is_some_and(|inner| has_path(inner, rest)),
    }
}

/// What a value's place in the request allows.
#[derive(Clone, Copy)]
struct Place {
    /// An empty string is refused only where the member is required: no spec sets a minimum
    /// length, and the vendor's own examples send `""` for optional text.
    required: bool,
    /// The value is written into the URL, so an integer may come as its decimal text.
    in_url: bool,
}

/// Checks one value and returns it as it will be sent (nested objects without their nulls).
fn check_kind(kind: &Kind, value: &Value, name: &str, place: Place) -> Result<Value> {
    let bad_type =
        |want: &str| Error::validation(name, format!("must be {want} (got {})", describe(value)));
    match kind {
        Kind::Int { min, max } => {
            let n = integer(value, place).ok_or_else(|| bad_type("an integer"))?;
            let fits = n.is_ok_and(|n| !min.is_some_and(|m| n < m) && !max.is_some_and(|m| n > m));
            if !fits {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("between {a} and {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, b) => format!("at most {}", b.unwrap_or(i64::MAX)),
                };
                let got = n.map_or_else(|big| big.to_string(), |n| n.to_string());
                return Err(Error::validation(
                    name,
                    format!("must be {range} (got {got})"),
                ));
            }
            return Ok(as_sent(value, n));
        }
        Kind::IntEnum(allowed) => {
            let n = integer(value, place).ok_or_else(|| bad_type("an integer"))?;
            if !n.is_ok_and(|n| allowed.contains(&n)) {
                let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
                let got = n.map_or_else(|big| big.to_string(), |n| n.to_string());
                return Err(Error::validation(
                    name,
                    format!("must be one of {} (got {got})", list.join(", ")),
                ));
            }
            return Ok(as_sent(value, n));
        }
        // In a URL every value is text: a number given for a string is written as it reads.
        Kind::Str { .. } | Kind::Id | Kind::LowerText if place.in_url && value.is_number() => {}
        Kind::Str { non_empty } => {
            let s = value.as_str().ok_or_else(|| bad_type("a string"))?;
            if *non_empty && place.required && s.trim().is_empty() {
                return Err(Error::validation(name, "must not be empty"));
            }
        }
        Kind::LowerText => {
            let s = value.as_str().ok_or_else(|| bad_type("a string"))?;
            return Ok(Value::String(s.to_lowercase()));
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
        Kind::Id => {
            let ok = value.as_i64().is_some()
                || value.as_u64().is_some()
                || value
                    .as_str()
                    .is_some_and(|s| !place.required || !s.trim().is_empty());
            if !ok {
                return Err(bad_type("a non-empty string or integer id"));
            }
        }
        Kind::Uri => {
            let s = value.as_str().ok_or_else(|| bad_type("a URL string"))?;
            let rest = s
                .strip_prefix("https://")
                .or_else(|| s.strip_prefix("http://"))
                .ok_or_else(|| bad_type("an http:// or https:// URL"))?;
            if rest.is_empty() || rest.starts_with('/') || s.chars().any(char::is_whitespace) {
                return Err(bad_type("an http:// or https:// URL"));
            }
        }
        Kind::Bool => {
            value.as_bool().ok_or_else(|| bad_type("true or false"))?;
        }
        Kind::Object(schema) => {
            let obj = value.as_object().ok_or_else(|| bad_type("an object"))?;
            return Ok(Value::Object(schema.check_object(
                obj,
                &format!("{name}."),
                &|_| false,
            )?));
        }
        Kind::Array(item) => {
            let items = value.as_array().ok_or_else(|| bad_type("an array"))?;
            return items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let item_place = Place {
                        required: false,
                        in_url: false,
                    };
                    check_kind(item, v, &format!("{name}[{i}]"), item_place)
                })
                .collect::<Result<Vec<_>>>()
                .map(Value::Array);
        }
        Kind::AnyObject => {
            value.as_object().ok_or_else(|| bad_type("an object"))?;
        }
    }
    Ok(value.clone())
}

/// An integer as it goes out: URL text as the caller wrote it, a JSON number as the integer it
/// is (`-0` becomes `0`).
fn as_sent(value: &Value, n: std::result::Result<i64, u64>) -> Value {
    match value {
        Value::String(_) => value.clone(),
        _ => Value::from(n.unwrap_or_default()),
    }
}

/// An integer as JSON writes it, or in the URL as its decimal text: `Ok` when it fits an
/// i64, `Err` with the value when it is a larger unsigned one (out of range, not of the wrong
/// type). `-0`, which serde_json reads as a float, is 0.
fn integer(value: &Value, place: Place) -> Option<std::result::Result<i64, u64>> {
    if let (Value::String(s), true) = (value, place.in_url) {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return match s.parse::<i64>() {
            Ok(i) => Some(Ok(i)),
            Err(_) => s.parse::<u64>().ok().map(Err),
        };
    }
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(Ok(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Err(u));
    }
    let f = n.as_f64()?;
    (f == 0.0 && f.is_sign_negative()).then_some(Ok(0))
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
                kind: Kind::Array(&STR),
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
        assert_eq!(e.field(), Some("idd"));
        assert!(e.message().contains("unknown field"), "{}", e.message());
        assert_eq!(err(json!({"url": "u"})).message(), "id: is required");
        assert_eq!(
            err(json!({"id": "3", "url": "u"})).message(),
            "id: must be an integer (got \"3\")"
        );
        assert_eq!(
            err(json!({"id": 300, "url": "u"})).message(),
            "id: must be between 1 and 100 (got 300)"
        );
        assert_eq!(
            err(json!({"id": 1, "url": "u", "kind": "c"})).message(),
            "kind: must be one of a, b (got \"c\")"
        );
        assert_eq!(err(json!([1])).field(), Some("request"));
    }

    #[test]
    fn empty_text_is_refused_only_where_required() {
        static REQUIRED: Schema = Schema::of(&[req("id", STR), opt("note", STR)]);
        assert_eq!(
            REQUIRED.check(&json!({"id": " "})).unwrap_err().message(),
            "id: must not be empty"
        );
        assert!(REQUIRED.check(&json!({"id": "a", "note": ""})).is_ok());
        assert!(S.check(&json!({"id": 1, "url": ""})).is_ok());
    }

    #[test]
    fn integers_in_the_url_may_be_decimal_text() {
        let in_url = |name: &str| name == "id";
        let out = S
            .check_placed(&json!({"id": "42", "url": "u"}), &in_url)
            .unwrap();
        assert_eq!(out["id"], json!("42"));
        assert!(
            S.check_placed(&json!({"id": "-3", "url": "u"}), &in_url)
                .is_err()
        );
        for bad in ["4x", "", " 4", "+4", "4.0", "1e2"] {
            let e = S
                .check_placed(&json!({"id": bad, "url": "u"}), &in_url)
                .unwrap_err();
            assert_eq!(e.field(), Some("id"), "{bad:?}");
        }
        // In a body the JSON type is what the API reads, so text stays refused.
        assert!(S.check(&json!({"id": "42", "url": "u"})).is_err());
    }

    #[test]
    fn string_arrays() {
        let out = S
            .check(&json!({"id": 1, "url": "u", "tags": ["a", "b"]}))
            .unwrap();
        assert_eq!(out["tags"], json!(["a", "b"]));
        assert!(S.check(&json!({"id": 1, "url": "u", "tags": []})).is_ok());
        assert_eq!(
            err(json!({"id": 1, "url": "u", "tags": "a"})).message(),
            "tags: must be an array (got \"a\")"
        );
        assert_eq!(
            err(json!({"id": 1, "url": "u", "tags": ["a", 3]})).message(),
            "tags[1]: must be a string (got 3)"
        );
        assert!(S.check(&json!({"id": 1, "url": "u", "tags": [""]})).is_ok());
    }

    #[test]
    fn cross_field_rules() {
        assert!(err(json!({"id": 1})).message().contains("got none"));
        assert!(
            err(json!({"id": 1, "url": "u", "text": "t", "voice": "v"}))
                .message()
                .contains("got both")
        );
        let e = err(json!({"id": 1, "text": "t"}));
        assert_eq!(e.field(), Some("voice"));
    }

    static INNER: Schema = Schema {
        fields: &[
            Field {
                name: "type",
                kind: Kind::StrEnum(&["script", "audio"]),
                required: true,
            },
            Field {
                name: "url",
                kind: Kind::Uri,
                required: false,
            },
        ],
        rules: &[],
    };
    static OUTER: Schema = Schema {
        fields: &[
            Field {
                name: "voice",
                kind: Kind::Object(&INNER),
                required: true,
            },
            Field {
                name: "list",
                kind: Kind::Array(&Kind::Object(&INNER)),
                required: false,
            },
            Field {
                name: "props",
                kind: Kind::AnyObject,
                required: false,
            },
        ],
        rules: &[],
    };

    #[test]
    fn nested_paths_are_named() {
        let e = OUTER.check(&json!({"voice": {"typ": "x"}})).unwrap_err();
        assert_eq!(e.field(), Some("voice.typ"));
        let e = OUTER.check(&json!({"voice": {}})).unwrap_err();
        assert_eq!(e.message(), "voice.type: is required");
        let e = OUTER
            .check(
                &json!({"voice": {"type": "audio"}, "list": [{"type": "script"}, {"type": "x"}]}),
            )
            .unwrap_err();
        assert_eq!(e.field(), Some("list[1].type"));
        let e = OUTER
            .check(&json!({"voice": {"type": "audio", "url": "ftp://x"}}))
            .unwrap_err();
        assert_eq!(e.field(), Some("voice.url"));
        let ok = OUTER
            .check(&json!({"voice": {"type": "audio", "url": null}, "props": {"anything": [1]}}))
            .unwrap();
        assert_eq!(ok["voice"], json!({"type": "audio"}));
        assert!(
            OUTER
                .check(&json!({"voice": {"type": "audio"}, "props": 3}))
                .is_err()
        );
    }

    static CASES: Schema = Schema {
        fields: &[
            req("type", Kind::StrEnum(&["script", "audio"])),
            opt("script", STR),
            opt("audio_url", Kind::Uri),
            opt("name", STR),
            opt("url", STR),
        ],
        rules: &[
            Rule::Case {
                when: "type",
                equals: "script",
                require: &["script"],
            },
            Rule::AtLeastOne(&["name", "url"]),
        ],
    };

    #[test]
    fn case_and_at_least_one() {
        let e = CASES
            .check(&json!({"type": "script", "name": "n"}))
            .unwrap_err();
        assert_eq!(e.message(), "script: is required when type is \"script\"");
        // A member the case does not need is not refused: the vendor's examples send both.
        assert!(
            CASES
                .check(
                    &json!({"type": "script", "script": "s", "audio_url": "https://a/b", "name": "n"}),
                )
                .is_ok()
        );
        assert!(
            CASES
                .check(&json!({"type": "audio", "audio_url": "https://a/b", "url": "u"}))
                .is_ok()
        );
        let e = CASES.check(&json!({"type": "audio"})).unwrap_err();
        assert_eq!(e.message(), "name: at least one of name, url is required");
    }

    #[test]
    fn any_of_whole_groups_with_nested_members() {
        static GROUPS: Schema = Schema::of(&[
            opt("name", STR),
            opt("url", STR),
            opt("voice", Kind::AnyObject),
        ])
        .with_rules(&[Rule::AnyOf(&[&["name"], &["voice.id", "url"]])]);
        assert!(GROUPS.check(&json!({"name": "n"})).is_ok());
        assert!(
            GROUPS
                .check(&json!({"url": "u", "voice": {"id": 3}}))
                .is_ok()
        );
        let e = GROUPS.check(&json!({"url": "u"})).unwrap_err();
        assert_eq!(e.field(), Some("voice.id"));
        assert_eq!(
            e.message(),
            "voice.id: is required: give name, or voice.id and url"
        );
        // A null member is absent, nested or not.
        assert!(
            GROUPS
                .check(&json!({"url": "u", "voice": {"id": null}}))
                .is_err()
        );
    }

    #[test]
    fn every_missing_member_is_reported_at_once() {
        static MAIN: Schema = Schema {
            fields: &[
                opt("script", STR),
                opt("audio_url", STR),
                req("screen_style", INT),
                req("avatar_id", INT),
                req("avatar_type", INT),
                opt("voice_id", STR),
            ],
            rules: &[
                Rule::ExactlyOne(&["script", "audio_url"]),
                Rule::RequiredWith {
                    field: "voice_id",
                    when: "script",
                },
            ],
        };
        let e = MAIN.check(&json!({"script": "Hi"})).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(
            e.message(),
            "screen_style, avatar_id, avatar_type, voice_id: are required (voice_id when \
             script is set)"
        );
        assert_eq!(e.field(), Some("screen_style"));
        assert_eq!(
            e.fields(),
            ["screen_style", "avatar_id", "avatar_type", "voice_id"]
        );
        let e = MAIN.check(&json!({})).unwrap_err();
        assert_eq!(
            e.message(),
            "screen_style, avatar_id, avatar_type: are required; exactly one of script, \
             audio_url is required"
        );
        assert_eq!(e.fields().last(), Some(&"script"));
        let e = MAIN
            .check(&json!({"voice_id": "v", "screen_style": 1, "avatar_type": 0}))
            .unwrap_err();
        assert_eq!(
            e.message(),
            "avatar_id: is required; exactly one of script, audio_url is required"
        );
        assert_eq!(e.fields(), ["avatar_id", "script"]);
        // One missing member keeps its own message; a mistyped member is reported first.
        let e = MAIN
            .check(&json!({"script": "Hi", "voice_id": "v", "avatar_id": 1, "avatar_type": 0}))
            .unwrap_err();
        assert_eq!(e.message(), "screen_style: is required");
        assert_eq!(e.fields(), ["screen_style"]);
        let e = MAIN.check(&json!({"avatar_id": "one"})).unwrap_err();
        assert_eq!(e.field(), Some("avatar_id"));
        assert!(
            e.message().contains("must be an integer"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn query_values() {
        assert_eq!(query_value(&json!("a b")), "a b");
        assert_eq!(query_value(&json!(7)), "7");
        assert_eq!(query_value(&json!(true)), "true");
    }
}
