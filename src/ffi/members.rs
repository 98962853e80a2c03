//! The members of an options object (the client config, a wait's options) checked one by one
//! before serde reads them, so that a mistake is named in the caller's words: the member, and
//! what it must be (`timeout_ms: must be a whole number of milliseconds (got "60s")`), not
//! serde's (`invalid type: string "60s", expected u64`).

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// What a member must hold. `null` is always accepted: it means "not set".
#[derive(Clone, Copy, Debug)]
pub(crate) enum Expect {
    Text,
    /// A whole number of milliseconds, 0 or more.
    Millis,
    /// A whole number, 0 or more, at most this.
    Count(u64),
    /// Any number.
    Number,
    /// An array of strings.
    TextList,
    /// What `Text` or `TextList` holds, where a value may be a secret (a key, a URL with
    /// credentials): a wrong one is described by its kind, never quoted back.
    Secret(&'static Expect),
}

impl Expect {
    fn words(self) -> String {
        match self {
            Expect::Text => "a string".to_string(),
            Expect::Millis => "a whole number of milliseconds".to_string(),
            Expect::Count(u64::MAX) => "a whole number, 0 or more".to_string(),
            Expect::Count(max) => format!("a whole number from 0 to {max}"),
            Expect::Number => "a number".to_string(),
            Expect::TextList => "an array of strings".to_string(),
            Expect::Secret(inner) => inner.words(),
        }
    }

    fn accepts(self, value: &Value) -> bool {
        match self {
            Expect::Text => value.is_string(),
            Expect::Millis => value.as_u64().is_some(),
            Expect::Count(max) => value.as_u64().is_some_and(|n| n <= max),
            Expect::Number => value.is_number(),
            Expect::TextList => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            Expect::Secret(inner) => inner.accepts(value),
        }
    }
}

/// Checks `value` (the parsed JSON of `what`, e.g. `config_json`) against `members`: it must be
/// an object whose members are all known and of the expected type. Errors carry `code` and
/// are of `kind` and name the member (or `what` when the whole value is wrong).
pub(crate) fn check<'a>(
    value: &'a Value,
    what: &str,
    members: &[(&str, Expect)],
    kind: ErrorKind,
) -> Result<&'a Map<String, Value>> {
    let error = |field: &str, problem: String| {
        let mut e = Error::validation(field, problem);
        e.0.kind = kind;
        e
    };
    let Value::Object(object) = value else {
        return Err(error(
            what,
            format!("must be a JSON object (got {})", shown(value)),
        ));
    };
    for (name, member) in object {
        let Some((_, expect)) = members.iter().find(|(known, _)| known == name) else {
            let known: Vec<&str> = members.iter().map(|(n, _)| *n).collect();
            return Err(error(
                name,
                format!("unknown member; expected one of {}", known.join(", ")),
            ));
        };
        if !member.is_null() && !expect.accepts(member) {
            let got = match expect {
                Expect::Secret(_) => kind_of(member),
                _ => shown(member),
            };
            return Err(error(
                name,
                format!("must be {} (got {got})", expect.words()),
            ));
        }
    }
    Ok(object)
}

/// serde's error `e` on `text` said in plain words ([`check`]) when it is about a member
/// unknown or of the wrong type; `None` when it is about something else (the syntax).
pub(crate) fn plain(
    e: &serde_json::Error,
    text: &str,
    what: &str,
    members: &[(&str, Expect)],
    kind: ErrorKind,
) -> Option<Error> {
    if !e.is_data() {
        return None;
    }
    let value = serde_json::from_str::<Value>(text).ok()?;
    check(&value, what, members, kind).err()
}

/// A bad value as a message shows it: short scalars as written, the rest by kind.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => kind_of(value),
    }
}

/// A value by its kind alone.
fn kind_of(value: &Value) -> String {
    match value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MEMBERS: &[(&str, Expect)] = &[
        ("name", Expect::Text),
        ("timeout_ms", Expect::Millis),
        ("retries", Expect::Count(10)),
        ("names", Expect::TextList),
    ];

    fn problem(value: Value) -> Error {
        check(&value, "options_json", MEMBERS, ErrorKind::InvalidConfig).unwrap_err()
    }

    #[test]
    fn names_the_member_and_the_type_in_plain_words() {
        let e = problem(json!({"timeout_ms": "60s"}));
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_eq!(e.field(), Some("timeout_ms"));
        assert_eq!(
            e.message(),
            "timeout_ms: must be a whole number of milliseconds (got \"60s\")"
        );
        assert_eq!(
            problem(json!({"timeout_ms": -1})).message(),
            "timeout_ms: must be a whole number of milliseconds (got -1)"
        );
        assert_eq!(
            problem(json!({"retries": 11})).message(),
            "retries: must be a whole number from 0 to 10 (got 11)"
        );
        assert_eq!(
            problem(json!({"name": 3})).message(),
            "name: must be a string (got 3)"
        );
        assert_eq!(
            problem(json!({"nmae": "x"})).message(),
            "nmae: unknown member; expected one of name, timeout_ms, retries, names"
        );
        assert_eq!(problem(json!([1])).field(), Some("options_json"));
        assert_eq!(
            problem(json!({"names": ["a", 1]})).message(),
            "names: must be an array of strings (got an array)"
        );
        // A member that may hold a secret is described, never quoted.
        let secret = [("key", Expect::Secret(&Expect::Text))];
        let e = check(
            &json!({"key": 12345}),
            "o",
            &secret,
            ErrorKind::InvalidConfig,
        )
        .unwrap_err();
        assert_eq!(e.message(), "key: must be a string (got a number)");
        let ok = json!({"name": null, "timeout_ms": 5, "retries": 10, "names": ["a"]});
        assert!(check(&ok, "options_json", MEMBERS, ErrorKind::InvalidConfig).is_ok());
    }
}
