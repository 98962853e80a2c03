//! The API description: what every operation of the Jogg.ai API accepts, and a judge that
//! checks a request against it.
//!
//! The facts come from `api/description.json` in the repository, which
//! `tools/import-api.py` builds from the vendor's OpenAPI specs, Postman collection and
//! operations table, plus our documented corrections (`docs/api-description.md` describes the
//! file, `docs/api-notes.md` the notes its corrections cite). The file is compiled into this
//! crate, so the judge needs nothing at run time.
//!
//! The mock answers every API request with this judge, so a request the mock accepts is one
//! the specs accept, whatever the client library believes. It is public so that anyone can
//! check their own requests the same way:
//!
//! ```
//! use jogg_mock::description::{find, judge};
//! use serde_json::json;
//!
//! let op = find("v1.get_project").expect("a documented operation");
//! let params = json!({"project_id": "fa6228c0f52c4f3986e88f7ffa5d2864"});
//! assert!(judge(op, params.as_object().unwrap()).is_empty());
//!
//! let op = find("v2.create_video_from_avatar").unwrap();
//! let params = json!({
//!     "avatar": {"avatar_id": 81, "avatar_type": 0},
//!     "voice": {"type": "speech", "voice_id": "en-US-ChristopherNeural"},
//!     "aspect_ratio": "portrait",
//!     "screen_style": 1
//! });
//! let violations = judge(op, params.as_object().unwrap());
//! assert_eq!(violations[0].field, "voice.type");
//! ```
//!
//! Parameters are given flat, the way a caller of `jogg_call` gives them: path, query and body
//! members in one JSON object. Path and query parameters may be a JSON value of their type or
//! the text that would stand in the URL (`"page": "2"` is an integer 2; `"x"` is not an
//! integer); body members must have their JSON type. A `null` member counts as absent.
//! Members the description does not know are not violations, since the service ignores them
//! (notes D24, D61); [`unknown_members`] lists them for callers who treat them as typos.

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The description as committed, compiled in.
const DESCRIPTION_JSON: &str = include_str!("../../api/description.json");

/// Every operation of the API (80), in the order of the vendor's operations table.
pub fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let description: Description = serde_json::from_str(DESCRIPTION_JSON)
            .unwrap_or_else(|e| panic!("api/description.json does not parse: {e}"));
        description.operations
    })
}

/// The operation with this full name (`v1.get_project`, `v2.create_video_from_avatar`).
pub fn find(full_name: &str) -> Option<&'static Operation> {
    operations().iter().find(|op| op.name == full_name)
}

#[derive(Deserialize)]
struct Description {
    operations: Vec<Operation>,
}

/// One operation of the API.
#[derive(Debug, Deserialize)]
pub struct Operation {
    name: String,
    version: String,
    method: String,
    path: String,
    params: Vec<Param>,
    #[serde(default)]
    constraints: Option<Schema>,
    #[serde(default)]
    task: Option<Task>,
    #[serde(default)]
    paging: Option<Paging>,
    events: Vec<String>,
    examples: Examples,
}

impl Operation {
    /// The full name, `<version>.<name>`: `v1.get_project`.
    pub fn full_name(&self) -> &str {
        &self.name
    }

    /// The name without its version: `get_project`.
    pub fn name(&self) -> &str {
        self.name
            .split_once('.')
            .map_or(&self.name, |(_, name)| name)
    }

    /// `v1` or `v2`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path as sent, with `{name}` for each path parameter: `/v1/project`,
    /// `/v2/lip_sync_video/{task_id}`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The parameters, in the spec's order (path and query first, then body members).
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Rules across parameters (exactly one of two members, one required with another...),
    /// as a schema of the whole flat parameter object.
    pub fn constraints(&self) -> Option<&Schema> {
        self.constraints.as_ref()
    }

    /// The background task this operation starts, if it starts one.
    pub fn task(&self) -> Option<&Task> {
        self.task.as_ref()
    }

    /// How this list operation pages, if it does.
    pub fn paging(&self) -> Option<&Paging> {
        self.paging.as_ref()
    }

    /// The webhook events the operation's task can produce.
    pub fn events(&self) -> &[String] {
        &self.events
    }

    /// The vendor's example requests and replies.
    pub fn examples(&self) -> &Examples {
        &self.examples
    }
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A member of the JSON body.
    Body,
}

/// One parameter of an operation.
#[derive(Debug, Deserialize)]
pub struct Param {
    name: String,
    #[serde(rename = "in")]
    place: Place,
    required: bool,
    schema: Schema,
}

impl Param {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn place(&self) -> Place {
        self.place
    }

    pub fn required(&self) -> bool {
        self.required
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// A JSON type of the schema subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonType {
    Integer,
    Number,
    String,
    Boolean,
    Object,
    Array,
}

impl JsonType {
    fn article(self) -> &'static str {
        match self {
            JsonType::Integer => "an integer",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Boolean => "true or false",
            JsonType::Object => "an object",
            JsonType::Array => "an array",
        }
    }

    fn holds(self, value: &Value) -> bool {
        match self {
            JsonType::Integer => as_integer(value).is_some(),
            JsonType::Number => value.is_number(),
            JsonType::String => value.is_string(),
            JsonType::Boolean => value.is_boolean(),
            JsonType::Object => value.is_object(),
            JsonType::Array => value.is_array(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Types {
    One(JsonType),
    Many(Vec<JsonType>),
}

/// A schema of the subset `docs/api-description.md` defines: JSON Schema's `type` (one or a
/// list), `format: uri`, `const`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`,
/// `nullable`, `default`, `properties`, `required`, `additionalProperties`, `items`, and for
/// rules across members `oneOf` and `anyOf` of requirements and `allOf` of `if`/`then` pairs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    #[serde(rename = "type", default)]
    types: Option<Types>,
    #[serde(default)]
    format: Option<String>,
    #[serde(rename = "const", default)]
    constant: Option<Value>,
    #[serde(rename = "enum", default)]
    allowed: Option<Vec<Value>>,
    #[serde(default)]
    minimum: Option<f64>,
    #[serde(default)]
    maximum: Option<f64>,
    #[serde(rename = "minLength", default)]
    min_length: Option<u64>,
    #[serde(rename = "maxLength", default)]
    max_length: Option<u64>,
    #[serde(default)]
    nullable: bool,
    #[serde(default)]
    default: Option<Value>,
    #[serde(default, deserialize_with = "ordered_properties")]
    properties: Option<Vec<(String, Schema)>>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(rename = "additionalProperties", default)]
    additional_properties: bool,
    #[serde(default)]
    items: Option<Box<Schema>>,
    #[serde(rename = "oneOf", default)]
    one_of: Vec<Schema>,
    #[serde(rename = "anyOf", default)]
    any_of: Vec<Schema>,
    #[serde(rename = "allOf", default)]
    all_of: Vec<Schema>,
    #[serde(rename = "if", default)]
    condition: Option<Box<Schema>>,
    #[serde(rename = "then", default)]
    then: Option<Box<Schema>>,
}

impl Schema {
    /// The JSON types a value may have; empty when any type is fine.
    pub fn types(&self) -> Vec<JsonType> {
        match &self.types {
            None => Vec::new(),
            Some(Types::One(t)) => vec![*t],
            Some(Types::Many(ts)) => ts.clone(),
        }
    }

    /// The allowed values, when the set is closed.
    pub fn allowed(&self) -> Option<&[Value]> {
        self.allowed.as_deref()
    }

    /// Inclusive bounds of a number.
    pub fn minimum(&self) -> Option<f64> {
        self.minimum
    }

    pub fn maximum(&self) -> Option<f64> {
        self.maximum
    }

    /// Whether the string must be an absolute URI (`format: uri`).
    pub fn is_uri(&self) -> bool {
        self.format.as_deref() == Some("uri")
    }

    /// The value the service assumes when the member is absent, when the specs say.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// The members of an object, in the spec's order.
    pub fn properties(&self) -> &[(String, Schema)] {
        self.properties.as_deref().unwrap_or(&[])
    }

    /// The schema of member `name` of an object.
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The members an object must have.
    pub fn required(&self) -> &[String] {
        &self.required
    }

    /// The schema of an array's items.
    pub fn items(&self) -> Option<&Schema> {
        self.items.as_deref()
    }

    /// Whether an object takes any members (no declared list to compare with).
    fn is_free_form(&self) -> bool {
        self.additional_properties || self.properties.is_none()
    }
}

/// `properties` in the file's order (serde_json's map would sort them).
fn ordered_properties<'de, D>(deserializer: D) -> Result<Option<Vec<(String, Schema)>>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Ordered;
    impl<'de> Visitor<'de> for Ordered {
        type Value = Vec<(String, Schema)>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of member schemas")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((name, schema)) = map.next_entry::<String, Schema>()? {
                if out.iter().any(|(n, _)| *n == name) {
                    return Err(de::Error::custom(format!("member {name} declared twice")));
                }
                out.push((name, schema));
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Ordered).map(Some)
}

/// A background task an operation starts.
#[derive(Debug, Deserialize)]
pub struct Task {
    id_members: Vec<String>,
    #[serde(default)]
    id_array: Option<String>,
    poll: String,
    #[serde(default)]
    poll_param: Option<String>,
    #[serde(default)]
    list: Option<TaskList>,
    status: StatusFacts,
}

impl Task {
    /// Where the new task's id is in the reply's `data`: member names, preferred first.
    pub fn id_members(&self) -> &[String] {
        &self.id_members
    }

    /// When the reply starts several tasks: the array of `data` whose items carry the ids.
    pub fn id_array(&self) -> Option<&str> {
        self.id_array.as_deref()
    }

    /// The full name of the operation that reports the task's state.
    pub fn poll(&self) -> &str {
        &self.poll
    }

    /// The parameter of the polling operation that takes the id (`None` for list polls).
    pub fn poll_param(&self) -> Option<&str> {
        self.poll_param.as_deref()
    }

    /// For tasks followed in a list: where the item is.
    pub fn list(&self) -> Option<&TaskList> {
        self.list.as_ref()
    }

    /// How the poll reply's status reads.
    pub fn status(&self) -> &StatusFacts {
        &self.status
    }
}

/// A task found in a list: the list's member in `data` and the item's id member.
#[derive(Debug, Deserialize)]
pub struct TaskList {
    items: String,
    id_member: String,
}

impl TaskList {
    pub fn items(&self) -> &str {
        &self.items
    }

    pub fn id_member(&self) -> &str {
        &self.id_member
    }
}

/// How a poll reply's status reads.
#[derive(Debug, Deserialize)]
pub struct StatusFacts {
    members: Vec<String>,
    #[serde(default)]
    each_of: Option<String>,
    states: Vec<StateValue>,
}

#[derive(Debug, Deserialize)]
struct StateValue {
    value: Value,
    state: TaskState,
}

impl StatusFacts {
    /// The members that hold the status, preferred first.
    pub fn members(&self) -> &[String] {
        &self.members
    }

    /// For batches: the array whose items each have a status; the batch is over when every
    /// item's state is final.
    pub fn each_of(&self) -> Option<&str> {
        self.each_of.as_deref()
    }

    /// The state a raw status value means, if the specs declare it.
    pub fn state_of(&self, raw: &Value) -> Option<TaskState> {
        self.states
            .iter()
            .find(|s| s.value == *raw)
            .map(|s| s.state)
    }

    /// Every declared raw value with its state.
    pub fn states(&self) -> impl Iterator<Item = (&Value, TaskState)> {
        self.states.iter().map(|s| (&s.value, s.state))
    }
}

/// The one vocabulary every task's status maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskState {
    Pending,
    Processing,
    Succeeded,
    Failed,
    Deleted,
}

impl TaskState {
    /// Whether the task is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskState::Succeeded | TaskState::Failed | TaskState::Deleted
        )
    }
}

/// How a list operation pages.
#[derive(Debug, Deserialize)]
pub struct Paging {
    items: String,
    page: String,
    page_size: String,
}

impl Paging {
    /// The array member of `data` that holds the page's items.
    pub fn items(&self) -> &str {
        &self.items
    }

    /// The parameter naming the page (from 1).
    pub fn page(&self) -> &str {
        &self.page
    }

    /// The parameter naming the page size.
    pub fn page_size(&self) -> &str {
        &self.page_size
    }
}

/// The vendor's examples for one operation.
#[derive(Debug, Deserialize)]
pub struct Examples {
    requests: Vec<ExampleRequest>,
    responses: Vec<ExampleResponse>,
}

impl Examples {
    pub fn requests(&self) -> &[ExampleRequest] {
        &self.requests
    }

    pub fn responses(&self) -> &[ExampleResponse] {
        &self.responses
    }
}

/// An example request, as flat parameters (path, query and body members together).
#[derive(Debug, Deserialize)]
pub struct ExampleRequest {
    source: String,
    params: Map<String, Value>,
}

impl ExampleRequest {
    /// Where the example comes from: `postman: <item>`, `openapi-v2 member examples`...
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }
}

/// An example reply: the whole envelope (`{code, msg, data, ...}`).
#[derive(Debug, Deserialize)]
pub struct ExampleResponse {
    source: String,
    #[serde(default)]
    status: Option<u16>,
    body: Value,
}

impl ExampleResponse {
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The HTTP status the example is given for, when known.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    pub fn body(&self) -> &Value {
        &self.body
    }
}

// ---------------------------------------------------------------------------------------------
// The judge

/// One reason a request would be refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The member at fault, as a dotted path: `voice.type`, `variables[0].name`.
    pub field: String,
    /// What is wrong with it: `is required`, `must be one of 0, 1 (got 7)`.
    pub problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl Violation {
    fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Every reason the API would refuse `params` for `op`, in the order of the parameters
/// (then the rules across them); empty when the request is acceptable.
pub fn judge(op: &Operation, params: &Map<String, Value>) -> Vec<Violation> {
    let mut out = Vec::new();
    for param in &op.params {
        match present(params, &param.name) {
            None if param.required => out.push(Violation::new(&param.name, "is required")),
            None => {}
            Some(value) => {
                let from_url = param.place != Place::Body;
                check(&param.schema, value, &param.name, from_url, &mut out);
            }
        }
    }
    if let Some(constraints) = &op.constraints {
        let typed = typed_params(op, params);
        rules(constraints, &typed, "", &mut out);
    }
    out
}

/// The members of `params` the description does not declare, as dotted paths, at any depth
/// (inside objects whose members are declared). The service ignores them; a strict caller
/// may treat them as typos.
pub fn unknown_members(op: &Operation, params: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, value) in params {
        match op.param(name) {
            None => out.push(name.clone()),
            Some(param) => unknown_in(&param.schema, value, name, &mut out),
        }
    }
    out
}

/// `params` as the service reads them: only the declared parameters, without `null`
/// members, path and query text turned into the declared JSON type when it is one (`"2"`
/// for an integer becomes 2; a number for a string becomes its text). Values that do not
/// convert are kept as given, for [`judge`] to report.
pub fn typed_params(op: &Operation, params: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for param in &op.params {
        let Some(value) = present(params, &param.name) else {
            continue;
        };
        let value = if param.place == Place::Body {
            value.clone()
        } else {
            from_text(&param.schema, value).unwrap_or_else(|| value.clone())
        };
        out.insert(param.name.clone(), value);
    }
    out
}

/// A member, with `null` counted as absent.
fn present<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

/// The integer a JSON value holds (`3` or `3.0`), if it holds one.
fn as_integer(value: &Value) -> Option<i128> {
    if let Some(n) = value.as_i64() {
        return Some(i128::from(n));
    }
    if let Some(n) = value.as_u64() {
        return Some(i128::from(n));
    }
    let f = value.as_f64()?;
    // Exactly representable integers only: beyond 2^53 a float is no longer exact.
    (f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15).then_some(f as i128)
}

/// URL text (or a number standing for an id) as the schema's type, when it converts.
fn from_text(schema: &Schema, value: &Value) -> Option<Value> {
    let types = schema.types();
    if types.is_empty() || types.iter().any(|t| t.holds(value)) {
        return None;
    }
    match value {
        Value::String(text) => types.iter().find_map(|t| match t {
            JsonType::Integer => parse_integer(text),
            JsonType::Number => text
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && !text.starts_with('+') && !text.trim().is_empty())
                .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
            JsonType::Boolean => match text.as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => None,
        }),
        // An id the documents type as a number in one place and as text in another (D15):
        // in a URL both are the same characters.
        Value::Number(n) if types.contains(&JsonType::String) => Some(Value::String(n.to_string())),
        _ => None,
    }
}

/// A decimal integer as written in a URL: an optional `-`, then digits only.
fn parse_integer(text: &str) -> Option<Value> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>()
        .map(Value::from)
        .ok()
        .or_else(|| text.parse::<u64>().map(Value::from).ok())
}

/// Checks one value against its schema, adding what is wrong to `out`.
fn check(schema: &Schema, value: &Value, path: &str, from_url: bool, out: &mut Vec<Violation>) {
    if value.is_null() {
        if !schema.nullable {
            out.push(Violation::new(path, "must not be null"));
        }
        return;
    }
    let converted = if from_url {
        from_text(schema, value)
    } else {
        None
    };
    let value = converted.as_ref().unwrap_or(value);
    let types = schema.types();
    if !types.is_empty() && !types.iter().any(|t| t.holds(value)) {
        let wanted: Vec<&str> = types.iter().map(|t| t.article()).collect();
        out.push(Violation::new(
            path,
            format!("must be {} (got {})", wanted.join(" or "), describe(value)),
        ));
        return;
    }
    if let Some(constant) = &schema.constant
        && !same(constant, value)
    {
        out.push(Violation::new(
            path,
            format!("must be {} (got {})", constant, describe(value)),
        ));
        return;
    }
    if let Some(allowed) = &schema.allowed
        && !allowed.iter().any(|a| same(a, value))
    {
        let list: Vec<String> = allowed.iter().map(plain).collect();
        out.push(Violation::new(
            path,
            format!(
                "must be one of {} (got {})",
                list.join(", "),
                describe(value)
            ),
        ));
        return;
    }
    match value {
        Value::Number(_) => bounds(schema, value, path, out),
        Value::String(text) => text_rules(schema, text, path, out),
        Value::Object(members) => object(schema, members, path, out),
        Value::Array(items) => {
            if let Some(item) = schema.items() {
                for (i, v) in items.iter().enumerate() {
                    check(item, v, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        _ => {}
    }
}

fn bounds(schema: &Schema, value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(n) = value.as_f64() else {
        return;
    };
    let low = schema.minimum.filter(|m| n < *m);
    let high = schema.maximum.filter(|m| n > *m);
    if low.is_none() && high.is_none() {
        return;
    }
    let range = match (schema.minimum, schema.maximum) {
        (Some(a), Some(b)) => format!("between {} and {}", number(a), number(b)),
        (Some(a), None) => format!("at least {}", number(a)),
        (None, Some(b)) => format!("at most {}", number(b)),
        (None, None) => return,
    };
    out.push(Violation::new(
        path,
        format!("must be {range} (got {value})"),
    ));
}

fn text_rules(schema: &Schema, text: &str, path: &str, out: &mut Vec<Violation>) {
    let chars = text.chars().count() as u64;
    if let Some(min) = schema.min_length.filter(|m| chars < *m) {
        out.push(Violation::new(
            path,
            format!("must be at least {min} characters long (got {chars})"),
        ));
    }
    if let Some(max) = schema.max_length.filter(|m| chars > *m) {
        out.push(Violation::new(
            path,
            format!("must be at most {max} characters long (got {chars})"),
        ));
    }
    if schema.is_uri() && !is_uri(text) {
        out.push(Violation::new(
            path,
            format!(
                "must be an absolute URI such as https://host/path (got {})",
                Value::String(text.to_owned())
            ),
        ));
    }
}

/// An absolute URI: a scheme, a colon, something after it, and no spaces or control
/// characters anywhere.
fn is_uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn object(schema: &Schema, members: &Map<String, Value>, path: &str, out: &mut Vec<Violation>) {
    let prefix = |name: &str| format!("{path}.{name}");
    for (name, sub) in schema.properties() {
        if let Some(value) = present(members, name) {
            check(sub, value, &prefix(name), false, out);
        }
    }
    for name in &schema.required {
        if present(members, name).is_none() {
            out.push(Violation::new(prefix(name), "is required"));
        }
    }
    rules(schema, members, path, out);
}

// Rules across members: `oneOf`/`anyOf` of requirements, `allOf` of `if`/`then`. A
// requirement names members that must be present (`required`), possibly inside nested
// objects (`properties`), possibly as alternatives (`anyOf`, `oneOf`).

fn rules(schema: &Schema, members: &Map<String, Value>, path: &str, out: &mut Vec<Violation>) {
    if !schema.any_of.is_empty()
        && let Some(v) = alternatives(&schema.any_of, members, path, false)
    {
        out.push(v);
    }
    if !schema.one_of.is_empty()
        && let Some(v) = alternatives(&schema.one_of, members, path, true)
    {
        out.push(v);
    }
    for part in &schema.all_of {
        let (Some(condition), Some(then)) = (&part.condition, &part.then) else {
            continue;
        };
        if !holds(condition, members) {
            continue;
        }
        let when = describe_condition(condition);
        if let Some(v) = requirement(then, members, path) {
            out.push(Violation::new(
                v.field,
                format!("{} when {when}", v.problem),
            ));
        }
    }
}

/// What a requirement misses, as a violation, or `None` when it is met.
fn requirement(req: &Schema, members: &Map<String, Value>, path: &str) -> Option<Violation> {
    let missing = unmet(req, members, path);
    if let Some(first) = missing.first() {
        return Some(Violation::new(first.clone(), "is required"));
    }
    if !req.any_of.is_empty()
        && let Some(v) = alternatives(&req.any_of, members, path, false)
    {
        return Some(v);
    }
    if !req.one_of.is_empty() {
        return alternatives(&req.one_of, members, path, true);
    }
    None
}

/// The paths a requirement's `required` and nested `properties` miss (not its alternatives).
fn unmet(req: &Schema, members: &Map<String, Value>, path: &str) -> Vec<String> {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    let mut out: Vec<String> = req
        .required
        .iter()
        .filter(|name| present(members, name).is_none())
        .map(|name| join(name))
        .collect();
    for (name, sub) in req.properties() {
        let inner = present(members, name).and_then(Value::as_object);
        let empty = Map::new();
        out.extend(unmet(sub, inner.unwrap_or(&empty), &join(name)));
    }
    out
}

fn met(req: &Schema, members: &Map<String, Value>) -> bool {
    requirement(req, members, "").is_none()
}

/// A violated `anyOf` (`exactly` false) or `oneOf` (`exactly` true), or `None`.
fn alternatives(
    branches: &[Schema],
    members: &Map<String, Value>,
    path: &str,
    exactly: bool,
) -> Option<Violation> {
    let satisfied: Vec<usize> = (0..branches.len())
        .filter(|i| met(&branches[*i], members))
        .collect();
    let summaries: Vec<String> = branches.iter().map(|b| summary(b, path)).collect();
    if satisfied.is_empty() {
        let field = unmet(&branches[0], members, path)
            .into_iter()
            .next()
            .unwrap_or_else(|| summaries[0].clone());
        let others = summaries[1..].join(", or ");
        let tail = if exactly { "; not both" } else { "" };
        let problem = if others.is_empty() {
            "is required".to_owned()
        } else {
            format!("is required (or give {others}{tail})")
        };
        return Some(Violation::new(field, problem));
    }
    if exactly && satisfied.len() > 1 {
        let first = &summaries[satisfied[0]];
        let field = summaries[satisfied[1]].clone();
        return Some(Violation::new(
            field,
            format!("must not be given together with {first} (exactly one of them)"),
        ));
    }
    None
}

/// A requirement in words: the paths it asks for, joined by "and".
fn summary(req: &Schema, path: &str) -> String {
    let empty = Map::new();
    let mut names = unmet(req, &empty, path);
    for alts in [&req.any_of, &req.one_of] {
        if !alts.is_empty() {
            let inner: Vec<String> = alts.iter().map(|b| summary(b, path)).collect();
            names.push(inner.join(" or "));
        }
    }
    names.join(" and ")
}

/// Whether an `if` holds: every tested member has the value (`const`) or one of the values
/// (`enum`), and every `required` member is present.
fn holds(condition: &Schema, members: &Map<String, Value>) -> bool {
    let values_hold = condition.properties().iter().all(|(name, test)| {
        let Some(value) = present(members, name) else {
            return false;
        };
        test.constant.as_ref().is_none_or(|c| same(c, value))
            && test
                .allowed
                .as_ref()
                .is_none_or(|a| a.iter().any(|x| same(x, value)))
    });
    values_hold
        && condition
            .required
            .iter()
            .all(|n| present(members, n).is_some())
}

fn describe_condition(condition: &Schema) -> String {
    let mut parts: Vec<String> = condition
        .properties()
        .iter()
        .map(|(name, test)| match (&test.constant, &test.allowed) {
            (Some(c), _) => format!("{name} is {c}"),
            (None, Some(a)) => {
                let list: Vec<String> = a.iter().map(Value::to_string).collect();
                format!("{name} is one of {}", list.join(", "))
            }
            (None, None) => format!("{name} is given"),
        })
        .collect();
    for name in &condition.required {
        if condition.property(name).is_none() {
            parts.push(format!("{name} is given"));
        }
    }
    parts.join(" and ")
}

fn unknown_in(schema: &Schema, value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(members) if !schema.is_free_form() => {
            for (name, v) in members {
                match schema.property(name) {
                    None => out.push(format!("{path}.{name}")),
                    Some(sub) => unknown_in(sub, v, &format!("{path}.{name}"), out),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.items() {
                for (i, v) in items.iter().enumerate() {
                    unknown_in(item, v, &format!("{path}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

/// JSON equality where `1` and `1.0` are the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (as_integer(a), as_integer(b)) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

/// An allowed value as listed in a message: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A value as quoted in a message; long text is cut.
fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() > 40 => {
            let head: String = s.chars().take(40).collect();
            format!("{}...", Value::String(head))
        }
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn verdict(op: &str, params: Value) -> Vec<String> {
        let op = find(op).unwrap_or_else(|| panic!("{op} is described"));
        judge(op, params.as_object().expect("an object"))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_description_has_the_80_operations_once_each() {
        let ops = operations();
        assert_eq!(ops.len(), 80);
        let mut names: Vec<&str> = ops.iter().map(Operation::full_name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 80);
        let project = find("v1.get_project").unwrap();
        assert_eq!((project.method(), project.path()), ("GET", "/v1/project"));
        assert_eq!((project.version(), project.name()), ("v1", "get_project"));
        assert!(find("v1.nothing").is_none());
    }

    #[test]
    fn every_task_is_polled_by_a_described_operation_with_that_parameter() {
        for op in operations() {
            let Some(task) = op.task() else { continue };
            let poll = find(task.poll()).unwrap_or_else(|| panic!("{} polls nothing", op.name));
            match (task.poll_param(), task.list()) {
                (Some(param), None) => assert!(poll.param(param).is_some(), "{}", op.name),
                (None, Some(list)) => assert!(!list.items().is_empty()),
                _ => panic!("{}: a task is polled by id or found in a list", op.name),
            }
            assert!(!task.id_members().is_empty());
        }
        let project = find("v1.create_video_from_talking_avatar")
            .unwrap()
            .task()
            .unwrap();
        let status = project.status();
        assert_eq!(status.members()[0], "status_code");
        assert_eq!(status.state_of(&json!(4)), Some(TaskState::Succeeded));
        assert_eq!(status.state_of(&json!(99)), Some(TaskState::Deleted));
        assert_eq!(status.state_of(&json!(7)), None);
        let avatar = find("v1.create_instant_avatar").unwrap().task().unwrap();
        assert_eq!(
            avatar.status().state_of(&json!("2 failed")),
            Some(TaskState::Failed)
        );
        assert_eq!(avatar.list().unwrap().id_member(), "avatar_id");
    }

    #[test]
    fn required_members_types_and_enums_are_named() {
        assert_eq!(
            verdict("v1.get_project", json!({})),
            ["project_id: is required"]
        );
        assert_eq!(
            verdict(
                "v2.create_video_from_avatar",
                json!({"avatar": {"avatar_id": "81", "avatar_type": 7},
                       "voice": {"type": "script", "voice_id": "v", "script": "Hi"},
                       "aspect_ratio": 0, "screen_style": 1})
            ),
            [
                "avatar.avatar_type: must be one of 0, 1 (got 7)",
                "avatar.avatar_id: must be an integer (got \"81\")",
                "aspect_ratio: must be a string (got 0)",
            ]
        );
    }

    #[test]
    fn query_and_path_text_stands_for_its_type_but_body_members_do_not() {
        assert!(verdict("v2.list_musics", json!({"page": "2", "page_size": 10})).is_empty());
        assert_eq!(
            verdict("v2.list_musics", json!({"page": "x"})),
            ["page: must be an integer (got \"x\")"]
        );
        assert_eq!(
            verdict("v2.list_musics", json!({"page": "0"})),
            ["page: must be at least 1 (got 0)"]
        );
        assert!(verdict("v2.get_custom_template", json!({"id": "12"})).is_empty());
        // An id typed as text in one spec and as a number in another reads the same in a URL.
        assert!(verdict("v1.get_project", json!({"project_id": 12345})).is_empty());
        assert_eq!(
            verdict(
                "v2.create_lip_sync_video",
                json!({"video_url": "https://h/v.mp4", "audio_url": "https://h/a.mp3",
                       "playback_type": 1})
            ),
            ["playback_type: must be a string (got 1)"]
        );
    }

    #[test]
    fn empty_text_is_text_unless_a_uri_or_an_enum_is_asked_for() {
        let product = json!({"url": "", "name": "Blush", "target_audience": ""});
        assert!(verdict("v2.create_product", product).is_empty());
        assert_eq!(
            verdict(
                "v2.create_lip_sync_video",
                json!({"video_url": "", "audio_url": "https://h/a.mp3"})
            ),
            ["video_url: must be an absolute URI such as https://host/path (got \"\")"]
        );
        assert_eq!(
            verdict("v2.list_voices", json!({"gender": ""})),
            ["gender: must be one of female, male (got \"\")"]
        );
    }

    #[test]
    fn null_is_absent_and_unknown_members_are_listed_apart() {
        let op = find("v2.create_product").unwrap();
        let params = json!({"name": "Blush", "url": null, "colour": "red",
                            "media": [{"type": 1, "size": 3}]});
        let params = params.as_object().unwrap();
        assert!(judge(op, params).is_empty());
        assert_eq!(unknown_members(op, params), ["colour", "media[0].size"]);
    }

    #[test]
    fn rules_across_members_name_a_member_and_the_alternatives() {
        let talking = |extra: Value| {
            let mut params = json!({"screen_style": 1, "avatar_id": 81, "avatar_type": 0});
            params
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            verdict("v1.create_video_from_talking_avatar", params)
        };
        assert_eq!(
            talking(json!({})),
            ["script: is required (or give audio_url; not both)"]
        );
        assert_eq!(
            talking(json!({"script": "Hi", "audio_url": "https://h/a.mp3", "voice_id": "v"})),
            ["audio_url: must not be given together with script (exactly one of them)"]
        );
        assert_eq!(
            talking(json!({"script": "Hi"})),
            ["voice_id: is required when script is given"]
        );
        assert!(talking(json!({"audio_url": "https://h/a.mp3"})).is_empty());
        assert_eq!(
            verdict(
                "v1.generate_ai_scripts",
                json!({"language": "english", "name": "x"})
            ),
            ["product_id: is required (or give name and description)"]
        );
        assert_eq!(
            verdict("v2.create_product", json!({})),
            ["url: is required (or give name)"]
        );
    }

    #[test]
    fn conditions_inside_objects_and_arrays_use_the_full_path() {
        let voice = json!({"type": "audio", "voice_id": "v"});
        assert_eq!(
            verdict(
                "v2.create_video_from_avatar",
                json!({"avatar": {"avatar_id": 81, "avatar_type": 0}, "voice": voice,
                       "aspect_ratio": "portrait", "screen_style": 1})
            ),
            ["voice.audio_url: is required when type is \"audio\""]
        );
        assert_eq!(
            verdict(
                "v2.create_video_with_template",
                json!({"template_id": 1, "voice_language": "english", "variables": [
                    {"type": "text", "name": "a", "properties": {"content": "x"}},
                    {"type": "image", "name": "b", "properties": {}}]})
            ),
            [
                "variables[1].properties.url: is required (or give variables[1].properties.asset_id, \
              or variables[1].properties.content) when type is one of \"image\", \"video\""
            ]
        );
        assert_eq!(
            verdict(
                "v2.create_product_previews",
                json!({"product_id": "p", "visual_styles": ["s"], "video_spec": {"length": "15"},
                       "avatar": {"id": 1}, "voice": {}, "audio": {},
                       "script": {"style": "Data"}})
            ),
            ["language: is required (or give script.language)"]
        );
    }

    #[test]
    fn every_example_parses_into_its_operation() {
        let requests: usize = operations()
            .iter()
            .map(|op| op.examples().requests().len())
            .sum();
        let responses: usize = operations()
            .iter()
            .map(|op| op.examples().responses().len())
            .sum();
        assert!(requests > 50 && responses > 50, "{requests} {responses}");
        for op in operations() {
            for example in op.examples().responses() {
                assert!(
                    example.body().is_object(),
                    "{}: {}",
                    op.name,
                    example.source()
                );
            }
        }
    }
}
