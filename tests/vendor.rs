//! The client held against the API description (`api/description.json`, imported from the
//! vendor's specs), not against itself:
//! - every operation of the description is declared once in the client, with the same method,
//!   path, task, polling, status values, paging and events;
//! - every vendor example request the description accepts goes through `jogg_call` and is sent
//!   exactly as written; every one it refuses, the client refuses too, before sending; every
//!   example response decodes, through `jogg_call` and through the typed method's own type;
//! - generated requests, valid and invalid, and `""` in every text member get the same
//!   verdict from the client's checks and from the description's judge, except where
//!   `docs/validation-differences.md` says the client is deliberately stricter or looser, and
//!   why;
//! - replies come back as the server wrote them: member order in every reply shape, a wait's
//!   project as `jogg_get_project` gives it, the `data` of an error with an unknown code.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{CStr, CString, c_char};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;

use jogg::TaskStatus;
use jogg::internals::operation::task::{Found, StatusForm};
use jogg::internals::operations as ops;
use jogg_mock::description::{
    self as desc, JsonType, Place, Schema, TaskState, judge, unknown_members,
};
use jogg_mock::{MOCK_API_KEY, MockConfig, MockServer};
use proptest::prelude::*;
use proptest::test_runner::{
    Config as RunnerConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner,
};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// The facts

#[test]
fn the_client_declares_every_operation_of_the_description_and_no_other() {
    let described: BTreeSet<&str> = desc::operations().iter().map(|op| op.full_name()).collect();
    let declared: BTreeSet<String> = ops::OPERATIONS.iter().map(|op| op.full_name()).collect();
    let declared: BTreeSet<&str> = declared.iter().map(String::as_str).collect();
    assert_eq!(
        described.len(),
        80,
        "the description lists the API's 80 operations"
    );
    assert_eq!(declared, described);
    for d in desc::operations() {
        let op = ops::find(d.full_name()).unwrap();
        assert_eq!(op.method.as_str(), d.method(), "{}", d.full_name());
        assert_eq!(op.http_path(), d.path(), "{}", d.full_name());
        for param in d.params() {
            assert!(
                op.schema.field(param.name()).is_some(),
                "{}: the client does not declare the parameter {}",
                d.full_name(),
                param.name()
            );
            let client_required = op.schema.field(param.name()).unwrap().required;
            if param.place() == Place::Path {
                assert!(client_required, "{}: {}", d.full_name(), param.name());
            }
        }
    }
}

/// What a task kind of the client says about a raw status value, read the way a poll reads it.
fn client_reads(kind: &jogg::TaskKind, member: &str, raw: &Value) -> TaskStatus {
    let task = json!({ member: raw, "id": "t1", "avatar_id": "t1", "preview_id": "t1" });
    let data = match kind.found() {
        Found::ById(_) => task,
        Found::InList { list, .. } => json!({ *list: [task] }),
    };
    kind.observe(&data, "t1").status
}

fn same_state(state: TaskState, status: TaskStatus) -> bool {
    matches!(
        (state, status),
        (TaskState::Pending, TaskStatus::Pending)
            | (TaskState::Processing, TaskStatus::Processing)
            | (TaskState::Succeeded, TaskStatus::Succeeded)
            | (TaskState::Failed, TaskStatus::Failed)
            | (TaskState::Deleted, TaskStatus::Deleted)
    )
}

#[test]
fn tasks_polls_status_values_paging_and_events_agree() {
    let mut problems = Vec::new();
    for d in desc::operations() {
        let name = d.full_name();
        let op = ops::find(name).unwrap();
        match (d.task(), op.starts) {
            (None, None) => {}
            // Several tasks at once (ids in an array of the reply): waited on one by one.
            (Some(task), None) if task.id_array().is_some() => {}
            (Some(task), Some(kind)) => {
                if kind.poll_operation() != task.poll() {
                    problems.push(format!(
                        "{name}: polled by {} in the client, {} in the description",
                        kind.poll_operation(),
                        task.poll()
                    ));
                }
                for member in task.id_members() {
                    if !kind.id_members().contains(&member.as_str()) {
                        problems.push(format!("{name}: the client never reads the id in {member}"));
                    }
                }
                match (kind.found(), task.poll_param(), task.list()) {
                    (Found::ById(param), Some(p), None) if *param == p => {}
                    (Found::InList { list, id_members }, None, Some(l))
                        if *list == l.items() && id_members.contains(&l.id_member()) => {}
                    (found, param, list) => problems.push(format!(
                        "{name}: the client finds the task by {found:?}, the description by \
                         {param:?} / {list:?}"
                    )),
                }
                let status = task.status();
                match (kind.status_form(), status.each_of()) {
                    (StatusForm::BatchSummary, Some(_)) => {}
                    (StatusForm::Values(values), None) => {
                        for member in status.members() {
                            if !values.members.contains(&member.as_str()) {
                                problems.push(format!(
                                    "{name}: the client never reads the status in {member}"
                                ));
                            }
                        }
                        for (raw, state) in status.states() {
                            let got = client_reads(kind, &status.members()[0], raw);
                            if !same_state(state, got) {
                                problems.push(format!(
                                    "{name}: status {raw} means {state:?}, the client reads {got:?}"
                                ));
                            }
                        }
                    }
                    (form, each) => problems.push(format!(
                        "{name}: status read as {form:?} by the client, per item of {each:?} by \
                         the description"
                    )),
                }
                let mut client_events: Vec<&str> = kind.events().to_vec();
                let mut described_events: Vec<&str> =
                    d.events().iter().map(String::as_str).collect();
                client_events.sort_unstable();
                described_events.sort_unstable();
                if client_events != described_events {
                    problems.push(format!(
                        "{name}: events {client_events:?} in the client, {described_events:?} in \
                         the description"
                    ));
                }
            }
            (task, kind) => problems.push(format!(
                "{name}: starts {:?} in the client, {:?} in the description",
                kind.map(|k| k.poll_operation()),
                task.map(|t| t.poll())
            )),
        }
        if op.items != d.paging().map(|p| p.items()) {
            problems.push(format!(
                "{name}: pages in {:?} in the client, {:?} in the description",
                op.items,
                d.paging().map(|p| p.items())
            ));
        }
        if let Some(paging) = d.paging() {
            for param in [paging.page(), paging.page_size()] {
                if op.schema.field(param).is_none() {
                    problems.push(format!("{name}: no {param} parameter in the client"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------
// The C calls, with the strings as the library wrote them

struct C(*mut jogg::internals::ffi::jogg_client);

impl Drop for C {
    fn drop(&mut self) {
        // SAFETY: created by jogg_client_new, freed once.
        unsafe { jogg::internals::ffi::jogg_client_free(self.0) };
    }
}

impl C {
    fn new(base_url: &str) -> C {
        // No retries: each test request is answered once, as given; no POST pacing either.
        let config = CString::new(
            json!({"api_key": MOCK_API_KEY, "base_url": base_url, "proxy": "none",
                   "max_retries": 0, "post_limit": 100_000})
            .to_string(),
        )
        .unwrap();
        let mut client = std::ptr::null_mut();
        // SAFETY: valid C string and out pointer; error detail not requested.
        let rc = unsafe {
            jogg::internals::ffi::jogg_client_new(
                config.as_ptr(),
                &mut client,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(rc, jogg::internals::ffi::JOGG_OK);
        C(client)
    }

    /// `jogg_call`: the output text, or the error JSON.
    fn call(&self, operation: &str, request: &str) -> Result<String, Value> {
        self.call_text(operation, request)
            .map_err(|e| serde_json::from_str(&e).unwrap())
    }

    /// `jogg_call`: the output text, or the error JSON's text.
    fn call_text(&self, operation: &str, request: &str) -> Result<String, String> {
        let op = CString::new(operation).unwrap();
        let req = CString::new(request).unwrap();
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: live client, valid C strings, writable out slots.
        let rc = unsafe {
            jogg::internals::ffi::jogg_call(self.0, op.as_ptr(), req.as_ptr(), &mut out, &mut err)
        };
        outcome(rc, out, err)
    }

    /// `jogg_get_project`.
    fn get_project(&self, id: &str) -> Result<String, String> {
        let id = CString::new(id).unwrap();
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: live client, valid C string, writable out slots.
        let rc = unsafe {
            jogg::internals::ffi::jogg_get_project(self.0, id.as_ptr(), &mut out, &mut err)
        };
        outcome(rc, out, err)
    }

    /// `jogg_wait_for_project` with a budget of one poll and no progress callback.
    fn wait_for_project(&self, id: &str) -> Result<String, String> {
        let id = CString::new(id).unwrap();
        let options = CString::new(r#"{"max_polls": 1}"#).unwrap();
        let (mut out, mut err) = (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: live client, valid C strings, NULL callback, writable out slots.
        let rc = unsafe {
            jogg::internals::ffi::jogg_wait_for_project(
                self.0,
                id.as_ptr(),
                options.as_ptr(),
                None,
                std::ptr::null_mut(),
                &mut out,
                &mut err,
            )
        };
        outcome(rc, out, err)
    }
}

/// A C call's result: the output text on `JOGG_OK`, else the error JSON's text; both freed as
/// the contract says.
fn outcome(rc: i32, out: *mut c_char, err: *mut c_char) -> Result<String, String> {
    let take = |p: *mut c_char| {
        // SAFETY: a string returned by the library, read once then freed.
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { jogg::internals::ffi::jogg_string_free(p) };
        text
    };
    if rc == jogg::internals::ffi::JOGG_OK {
        Ok(take(out))
    } else {
        Err(take(err))
    }
}

// ---------------------------------------------------------------------------------------------
// Vendor example requests

/// The request as the API reads it, from what the mock recorded: path parameters from the
/// path, query parameters as text, body members as JSON.
fn as_sent(d: &desc::Operation, sent: &jogg_mock::RecordedRequest) -> Map<String, Value> {
    let mut params = Map::new();
    let template: Vec<&str> = d.path().split('/').collect();
    let actual: Vec<&str> = sent.path.split('/').collect();
    for (t, a) in template.iter().zip(&actual) {
        if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            params.insert(name.to_string(), Value::String(percent_decode(a)));
        }
    }
    for (k, v) in &sent.query {
        params.insert(k.clone(), Value::String(v.clone()));
    }
    if !sent.body.is_empty() {
        let body: Value = serde_json::from_slice(&sent.body).unwrap();
        params.extend(body.as_object().cloned().unwrap_or_default());
    }
    params
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// A value as it stands in a URL.
fn url_text(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        other => Value::String(other.to_string()),
    }
}

#[test]
fn vendor_example_requests_get_the_descriptions_verdict() {
    let server = MockServer::start(MockConfig {
        render_ms: 0,
        post_limit: 10_000,
        ..MockConfig::default()
    })
    .unwrap();
    let c = C::new(&server.base_url());
    let (mut obeying, mut total, mut refused) = (0, 0, Vec::new());
    let (mut refused_by_both, mut differing) = (0, Vec::new());
    for d in desc::operations() {
        for example in d.examples().requests() {
            total += 1;
            let params = example.params();
            let what = format!("{} ({})", d.full_name(), example.source());
            let verdict = judge(d, params);
            let unknown = unknown_members(d, params);
            let before = server.requests().len();
            let result = c.call(d.full_name(), &Value::Object(params.clone()).to_string());
            if !verdict.is_empty() || !unknown.is_empty() {
                // The description refuses it: the client must too, before sending, naming a
                // member the description names, unless the table says the client is looser
                // there.
                let named: Vec<&str> = verdict
                    .iter()
                    .map(|v| v.field.as_str())
                    .chain(unknown.iter().map(String::as_str))
                    .collect();
                let sent = server.requests().len() - before;
                match &result {
                    Err(e)
                        if e["name"] == "JOGG_ERR_VALIDATION"
                            && named.iter().any(|n| e["field"] == *n) =>
                    {
                        assert_eq!(sent, 0, "{what}: refused, yet sent");
                        refused_by_both += 1;
                    }
                    Err(e) if e["name"] == "JOGG_ERR_VALIDATION" => {
                        let member = e["field"].as_str().unwrap_or_default();
                        let empty = is_empty_text(value_at(params, member));
                        if !documented(d, member, "stricter", empty) {
                            differing.push(format!(
                                "{what}: the client refuses {member}, the description {named:?}"
                            ));
                        }
                    }
                    _ => {
                        let empty = is_empty_text(value_at(params, named[0]));
                        if !documented(d, named[0], "looser", empty) {
                            differing.push(format!(
                                "{what}: the client sends what the description refuses: \
                                 {verdict:?} {unknown:?}"
                            ));
                        }
                    }
                }
                continue;
            }
            obeying += 1;
            if let Err(e) = &result
                && e["name"] == "JOGG_ERR_VALIDATION"
            {
                refused.push(format!("{what}: {e}"));
                continue;
            }
            let requests = server.requests();
            assert_eq!(requests.len(), before + 1, "{what}: one request");
            let sent = as_sent(d, requests.last().unwrap());
            // What was given, in the form it travels: URL members as text.
            let expected: Map<String, Value> = params
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| match d.param(k).map(|p| p.place()) {
                    Some(Place::Body) => (k.clone(), v.clone()),
                    _ => (k.clone(), url_text(v)),
                })
                .collect();
            assert_eq!(sent, expected, "{what}: not sent as written");
        }
    }
    assert!(
        refused.is_empty(),
        "the client refuses the vendor's own requests: {refused:#?}"
    );
    assert!(
        differing.is_empty(),
        "vendor examples the description refuses get another verdict from the client \
         (fix the client or document the difference in docs/validation-differences.md): \
         {differing:#?}"
    );
    // The description holds the vendor's examples; most of them obey their own spec.
    assert!(
        obeying * 2 > total,
        "{obeying} of {total} examples obey the spec"
    );
    eprintln!(
        "{total} vendor example requests: {obeying} obey their spec and were sent as written, \
         {refused_by_both} are refused by the description and by the client, before sending"
    );
}

/// Every member of `schema` at any depth that may hold text, as paths: `voice.script`,
/// `variables[].properties.content` (`[]`: the first item of a list).
fn text_members(schema: &Schema, path: &str, out: &mut Vec<String>) {
    if schema.types().contains(&JsonType::String) {
        out.push(path.to_string());
    }
    for (name, member) in schema.properties() {
        text_members(member, &format!("{path}.{name}"), out);
    }
    if let Some(item) = schema.items() {
        text_members(item, &format!("{path}[]"), out);
    }
}

/// `params` with `""` at `path` (as `text_members` writes it), the objects and lists on the
/// way made of their simplest valid members where `params` lacks them.
fn with_empty_text(d: &desc::Operation, params: &Map<String, Value>, path: &str) -> Value {
    let mut request = Value::Object(params.clone());
    let mut here = &mut request;
    let mut schema: Option<&Schema> = None;
    let steps: Vec<&str> = path.split('.').collect();
    for (i, step) in steps.iter().enumerate() {
        let (name, item) = match step.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*step, false),
        };
        let member = match schema {
            None => d.param(name).map(|p| p.schema()),
            Some(s) => s.property(name),
        };
        let member = member.unwrap();
        let last = i + 1 == steps.len() && !item;
        let object = here.as_object_mut().unwrap();
        if last {
            object.insert(name.to_string(), json!(""));
            break;
        }
        let slot = object
            .entry(name.to_string())
            .or_insert_with(|| simplest(member));
        schema = Some(member);
        here = slot;
        if item {
            let item_schema = member.items().unwrap();
            let list = here.as_array_mut().unwrap();
            if list.is_empty() {
                list.push(simplest(item_schema));
            }
            schema = Some(item_schema);
            if i + 1 == steps.len() {
                list[0] = json!("");
                break;
            }
            here = &mut list[0];
        }
    }
    request
}

/// A request the description accepts for `d`: `valid_request`'s, else the first generated
/// one the description accepts (where members depend on each other, the simplest values
/// may not do).
fn accepted_request(d: &desc::Operation) -> Map<String, Value> {
    let accepts =
        |p: &Map<String, Value>| judge(d, p).is_empty() && unknown_members(d, p).is_empty();
    let simple = valid_request(d);
    if accepts(&simple) {
        return simple;
    }
    let mut runner = TestRunner::new_with_rng(
        RunnerConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = request_of(d);
    (0..1000)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .find(accepts)
        .unwrap_or(simple)
}

/// The issue this test guards: the vendor's examples send `""` for optional text, no spec
/// sets a minimum length, and the client refused them. For every member of every operation
/// that may hold text: where the description accepts `""` there, so does the client, unless
/// `docs/validation-differences.md` says otherwise (it does for required members).
#[test]
fn the_client_takes_empty_text_wherever_the_description_does() {
    let (mut accepted, mut excused, mut refused_by_description) = (0, 0, 0);
    let mut refused = Vec::new();
    for d in desc::operations() {
        let op = ops::find(d.full_name()).unwrap();
        let base = accepted_request(d);
        let mut members = Vec::new();
        for param in d.params() {
            text_members(param.schema(), param.name(), &mut members);
        }
        for member in members {
            let request = with_empty_text(d, &base, &member);
            let params = request.as_object().unwrap();
            let described = judge(d, params).is_empty() && unknown_members(d, params).is_empty();
            let client = jogg::internals::hooks::prepare(op, &request, "http://h");
            match (described, client) {
                (true, Ok(_)) => accepted += 1,
                (false, _) => refused_by_description += 1,
                (true, Err(e)) => {
                    let at = e.field().unwrap_or_default().to_string();
                    if at == member.replace("[]", "[0]") && documented(d, &at, "stricter", true) {
                        excused += 1;
                    } else {
                        refused.push(format!("{} {member}: {}", d.full_name(), e.message()));
                    }
                }
            }
        }
    }
    assert!(
        refused.is_empty(),
        "the client refuses \"\" where the description takes it: {refused:#?}"
    );
    assert!(accepted > 0);
    eprintln!(
        "\"\" in text members: {accepted} taken by both, {excused} refused by the client as \
         documented (required members), {refused_by_description} refused by the description"
    );
}

// ---------------------------------------------------------------------------------------------
// Vendor example responses

/// A loopback server answering every request with the body the test sets last.
struct Replay {
    base_url: String,
    body: Arc<Mutex<(u16, String)>>,
}

impl Replay {
    fn start() -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let body = Arc::new(Mutex::new((200, String::new())));
        let shared = body.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let shared = shared.clone();
                thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    loop {
                        let mut length = 0usize;
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        loop {
                            let mut header = String::new();
                            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                                return;
                            }
                            let header = header.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            if let Some((k, v)) = header.split_once(':')
                                && k.eq_ignore_ascii_case("content-length")
                            {
                                length = v.trim().parse().unwrap_or(0);
                            }
                        }
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        let (status, text) = shared.lock().unwrap().clone();
                        let reply = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                             content-length: {}\r\n\r\n{text}",
                            text.len()
                        );
                        if stream.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Replay { base_url, body }
    }

    fn answer(&self, status: u16, body: String) {
        *self.body.lock().unwrap() = (status, body);
    }
}

/// A request the client accepts for `d`: the first obeying vendor example, else one made of
/// each required parameter's simplest valid value.
fn valid_request(d: &desc::Operation) -> Map<String, Value> {
    if let Some(example) = d
        .examples()
        .requests()
        .iter()
        .find(|e| judge(d, e.params()).is_empty() && unknown_members(d, e.params()).is_empty())
    {
        return example.params().clone();
    }
    let mut params = Map::new();
    for param in d.params().iter().filter(|p| p.required()) {
        params.insert(param.name().to_string(), simplest(param.schema()));
    }
    params
}

/// The simplest value a schema accepts (for required members only).
fn simplest(schema: &Schema) -> Value {
    if let Some(allowed) = schema.allowed() {
        return allowed[0].clone();
    }
    match schema.types().first() {
        Some(JsonType::Integer) => json!(schema.minimum().map_or(1, |m| m.max(1.0) as i64)),
        Some(JsonType::Number) => json!(schema.minimum().unwrap_or(1.0)),
        Some(JsonType::Boolean) => json!(true),
        Some(JsonType::Array) => json!([]),
        Some(JsonType::Object) => {
            let mut m = Map::new();
            for name in schema.required() {
                if let Some(s) = schema.property(name) {
                    m.insert(name.clone(), simplest(s));
                }
            }
            Value::Object(m)
        }
        _ if schema.is_uri() => json!("https://example.com/a.mp4"),
        _ => json!("x1"),
    }
}

#[test]
fn vendor_example_responses_decode_through_jogg_call_and_the_typed_reply() {
    let replay = Replay::start();
    let c = C::new(&replay.base_url);
    let (mut decoded, mut errors, mut skipped_without_data) = (0, 0, 0);
    let mut problems = Vec::new();
    for d in desc::operations() {
        let op = ops::find(d.full_name()).unwrap();
        let request = Value::Object(valid_request(d)).to_string();
        for example in d.examples().responses() {
            let body = example.body();
            // An envelope assembled from the examples of its members, where the specs give
            // none for `data`: nothing to decode.
            if body.get("code") == Some(&json!(0)) && body.get("data").is_none() {
                skipped_without_data += 1;
                continue;
            }
            replay.answer(example.status().unwrap_or(200), body.to_string());
            let code = body.get("code").and_then(Value::as_i64).unwrap_or(0);
            let result = c.call(d.full_name(), &request);
            let what = format!("{} ({})", d.full_name(), example.source());
            // Without `code` or `data`, a v1 reply is the payload itself (D42).
            let enveloped = body.get("code").is_some() || body.get("data").is_some();
            match (code, result) {
                (0, Ok(text)) => {
                    let expected = match enveloped {
                        true => body.get("data").cloned().unwrap_or(Value::Null),
                        false => body.clone(),
                    };
                    let got: Value = serde_json::from_str(&text).unwrap();
                    if got != expected {
                        problems.push(format!("{what}: jogg_call gave {got}, not {expected}"));
                    }
                    if let Err(e) = op.decodes(&text) {
                        problems.push(format!("{what}: the typed reply does not decode: {e}"));
                    }
                    decoded += 1;
                }
                (0, Err(e)) => problems.push(format!("{what}: jogg_call failed: {e}")),
                (code, Err(e)) => {
                    if e["api_code"] != json!(code) {
                        problems.push(format!("{what}: api_code {} for {code}", e["api_code"]));
                    }
                    if let Some(data) = body.get("data").filter(|d| !d.is_null())
                        && e["api_data"] != *data
                    {
                        problems.push(format!("{what}: api_data lost: {e}"));
                    }
                    errors += 1;
                }
                (code, Ok(text)) => {
                    problems.push(format!("{what}: code {code} answered as success: {text}"))
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(decoded > 0);
    eprintln!(
        "{decoded} vendor example responses decoded, {errors} example errors reported, \
         {skipped_without_data} success envelopes without data"
    );
}

// ---------------------------------------------------------------------------------------------
// Replies as the server wrote them

/// A v1 webhook endpoint whose members are in no alphabetical order, so that a reply re-sorted
/// on its way through the library reads differently.
const ENDPOINT_TEXT: &str = r#"{"url":"https://example.com/hook","endpoint_id":"b1ac30a4","status":"enabled","secret":"whsec_1","events":["generated_video_success","generated_video_failed"],"username":"jogg@gmail.com","created_at":1703894400}"#;

/// The same JSON with a space after each separator between members.
fn spaced(text: &str) -> String {
    text.replace("\",\"", "\", \"").replace("\":", "\": ")
}

fn rust_client(base_url: &str) -> jogg::Client {
    jogg::Client::new(common::config_no_retry(base_url, MOCK_API_KEY)).unwrap()
}

#[test]
fn replies_come_back_as_the_server_wrote_them_member_order_included() {
    let replay = Replay::start();
    let c = C::new(&replay.base_url);
    let client = rust_client(&replay.base_url);
    let update = json!({"endpoint_id": "b1ac30a4", "url": "https://example.com/hook",
                        "events": ["generated_video_success"]});
    let create = json!({"url": "https://example.com/hook", "events": ["generated_video_success"]});
    // (operation, request, the server's body, its `data` as the server wrote it)
    let cases = [
        // v1's webhook endpoint replies come without an envelope `code` (D42): a bare object,
        // or `data` alone.
        (
            "v1.list_webhook_endpoints",
            json!({}),
            format!(r#"{{"data":[{ENDPOINT_TEXT}]}}"#),
            format!("[{ENDPOINT_TEXT}]"),
        ),
        (
            "v1.create_webhook_endpoint",
            create,
            ENDPOINT_TEXT.to_string(),
            ENDPOINT_TEXT.to_string(),
        ),
        (
            "v1.update_webhook_endpoint",
            update,
            ENDPOINT_TEXT.to_string(),
            ENDPOINT_TEXT.to_string(),
        ),
        (
            "v1.list_webhook_events",
            json!({}),
            r#"{"data":["generated_video_success","generated_video_failed"]}"#.to_string(),
            r#"["generated_video_success","generated_video_failed"]"#.to_string(),
        ),
        // The usual envelope.
        (
            "v2.list_webhook_endpoints",
            json!({}),
            format!(
                r#"{{"code":0,"msg":"Success","data":{{"endpoints":[{ENDPOINT_TEXT}],"total":1}},"rid":"r1"}}"#
            ),
            format!(r#"{{"endpoints":[{ENDPOINT_TEXT}],"total":1}}"#),
        ),
    ];
    for (operation, request, body, data) in cases {
        replay.answer(200, body.clone());
        let text = c.call(operation, &request.to_string()).unwrap();
        assert_eq!(text, data, "{operation}: jogg_call");
        // Through a tree: the Rust call keeps the members in the server's order.
        let reply = client.call(operation, &request).unwrap();
        assert_eq!(
            serde_json::to_string(&reply.data).unwrap(),
            data,
            "{operation}: Client::call"
        );
        // The text, not a rewriting of it: the server's spacing stays too.
        replay.answer(200, spaced(&body));
        let text = c.call(operation, &request.to_string()).unwrap();
        assert_eq!(text, spaced(&data), "{operation}: jogg_call, spaced");
    }
}

#[test]
fn a_waits_result_is_the_project_as_get_project_returns_it() {
    let replay = Replay::start();
    let project = r#"{"video_url":"https://res.jogg.ai/v.mp4","id":"p1","title":"Spring sale","status_code":4,"status_desc":"success","cover_url":"https://res.jogg.ai/c.jpg","video_duration":6,"created_at":1732806631}"#;
    replay.answer(
        200,
        format!(r#"{{"code":0,"msg":"Success","data":{project},"rid":"r1"}}"#),
    );
    let c = C::new(&replay.base_url);
    let got = c.get_project("p1").unwrap();
    assert_eq!(got, project);
    assert_eq!(c.wait_for_project("p1").unwrap(), got);
    let client = rust_client(&replay.base_url);
    let kind = jogg::TaskKind::polled_by("v1.get_project").unwrap();
    // One poll: the project is finished at the first.
    let options = jogg::WaitOptions {
        max_polls: Some(1),
        ..jogg::WaitOptions::default()
    };
    let done = client
        .wait(
            kind,
            "p1",
            &options,
            |_| std::ops::ControlFlow::Continue(()),
        )
        .unwrap();
    assert_eq!(done.status, TaskStatus::Succeeded);
    assert_eq!(serde_json::to_string(&done.task).unwrap(), project);
}

#[test]
fn an_error_with_an_unknown_code_keeps_the_envelopes_data() {
    let replay = Replay::start();
    let c = C::new(&replay.base_url);
    let client = rust_client(&replay.base_url);
    let operation = "v2.get_remaining_quota";
    // Members out of alphabetical order: the error's data keeps the server's order too.
    let data =
        r#"{"used":10,"limit":10,"reset_at":1735689600,"plan":{"name":"creator","seats":1}}"#;
    // A code the library does not know, as a number on HTTP 200 and as text on HTTP 400.
    for (status, code_text, code) in [(200, "30012", 30012), (400, r#""30013""#, 30013)] {
        replay.answer(
            status,
            format!(
                r#"{{"code":{code_text},"msg":"Monthly video limit reached","data":{data},"rid":"r7"}}"#
            ),
        );
        let e = client.call(operation, &json!({})).unwrap_err();
        assert_eq!(e.kind(), jogg::ErrorKind::Api, "{e}");
        assert_eq!(e.api_code(), Some(code));
        assert_eq!(e.api_message(), Some("Monthly video limit reached"));
        assert_eq!(e.request_id(), Some("r7"));
        let api_data = e.api_data().expect("the envelope's data");
        assert_eq!(serde_json::to_string(api_data).unwrap(), data);

        let text = c.call_text(operation, "{}").unwrap_err();
        let error: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error["name"], "JOGG_ERR_API", "{text}");
        assert_eq!(error["api_code"], code);
        assert_eq!(
            error["api_data"],
            serde_json::from_str::<Value>(data).unwrap()
        );
        assert!(
            text.contains(&format!(r#""api_data":{data}"#)),
            "the error JSON's api_data is not the server's: {text}"
        );
    }
    // Without data, there is none to report.
    replay.answer(200, r#"{"code":30012,"msg":"No","data":null}"#.to_string());
    let e = client.call(operation, &json!({})).unwrap_err();
    assert_eq!((e.api_code(), e.api_data()), (Some(30012), None));
    let error = c.call(operation, "{}").unwrap_err();
    assert_eq!(error["api_data"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Generated requests: the client's verdict against the description's

/// A row of `docs/validation-differences.md`.
struct Difference {
    operation: String,
    /// `*`, a member, or `a.*` for every member below `a`.
    member: String,
    /// The row holds only where the description requires the member (`*` when required).
    when_required: bool,
    direction: String,
    /// `""` (an empty text) or `any`, without the quotes.
    values: String,
}

/// `docs/validation-differences.md`: the rows of its first table.
fn documented_differences() -> Vec<Difference> {
    let text = include_str!("../docs/validation-differences.md");
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let (member, when_required) = match cells[2].strip_suffix(" when required") {
                Some(member) => (member, true),
                None => (cells[2], false),
            };
            let plain = |cell: &str| cell.trim_matches('`').to_string();
            Difference {
                operation: plain(cells[1]),
                member: plain(member),
                when_required,
                direction: plain(cells[3]),
                values: plain(cells[4]).trim_matches('"').to_string(),
            }
        })
        .collect()
}

/// Whether a difference is in the table: `empty` when the value at fault is an empty text.
fn documented(d: &desc::Operation, member: &str, direction: &str, empty: bool) -> bool {
    let required = described_required(d, member);
    let member = strip_indices(member);
    documented_differences().iter().any(|row| {
        (row.operation == "*" || row.operation == d.full_name())
            && row.direction == direction
            && (row.values == "any" || (row.values.is_empty() && empty))
            && (!row.when_required || required)
            && (row.member == "*"
                || row.member == member
                || row
                    .member
                    .strip_suffix(".*")
                    .is_some_and(|prefix| member.starts_with(&format!("{prefix}."))))
    })
}

/// Whether the description requires the member at a dotted path (`voice.voice_id`,
/// `variables[0].name`) where it stands: a parameter the operation requires, or a member its
/// object's schema requires. Requirements that depend on another member's value (the
/// description's constraints) do not count.
fn described_required(d: &desc::Operation, path: &str) -> bool {
    let mut parts = path.split('.');
    let first = parts.next().unwrap_or_default();
    let (name, mut indexed) = match first.split_once('[') {
        Some((name, _)) => (name, true),
        None => (first, false),
    };
    let Some(param) = d.param(name) else {
        return false;
    };
    let mut required = param.required();
    let mut schema = param.schema();
    for part in parts {
        if indexed {
            match schema.items() {
                Some(item) => schema = item,
                None => return false,
            }
        }
        let (name, index) = match part.split_once('[') {
            Some((name, _)) => (name, true),
            None => (part, false),
        };
        indexed = index;
        required = schema.required().iter().any(|r| r == name);
        match schema.property(name) {
            Some(member) => schema = member,
            None => return false,
        }
    }
    required
}

/// The value at a dotted path (`voice.voice_id`, `variables[0].name`) of a request.
fn value_at<'a>(params: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut current: Option<&Value> = None;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let next = match current {
            None => params.get(name),
            Some(v) => v.get(name),
        }?;
        current = Some(match index {
            Some(i) => next.get(i)?,
            None => next,
        });
    }
    current
}

fn is_empty_text(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str)
        .is_some_and(|s| s.trim().is_empty())
}

/// `variables[2].name` -> `variables[].name`: the table names members, not positions.
fn strip_indices(path: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for ch in path.chars() {
        match ch {
            '[' => {
                skipping = true;
                out.push('[');
            }
            ']' => {
                skipping = false;
                out.push(']');
            }
            _ if skipping => {}
            _ => out.push(ch),
        }
    }
    out
}

/// A strategy for values of `schema`: mostly valid ones, with `in_url` integers sometimes as
/// their decimal text.
fn value_of(schema: &Schema, in_url: bool, depth: u32) -> BoxedStrategy<Value> {
    if let Some(allowed) = schema.allowed() {
        let allowed = allowed.to_vec();
        return proptest::sample::select(allowed).boxed();
    }
    let types = schema.types();
    match types.first() {
        Some(JsonType::Integer) => {
            let lo = schema.minimum().map_or(-3, |m| m as i64);
            let hi = schema.maximum().map_or(lo + 1000, |m| m as i64);
            let n = lo..=hi;
            if in_url {
                prop_oneof![
                    n.clone().prop_map(|n| json!(n)),
                    n.prop_map(|n| json!(n.to_string()))
                ]
                .boxed()
            } else {
                n.prop_map(|n| json!(n)).boxed()
            }
        }
        Some(JsonType::Number) => {
            let lo = schema.minimum().unwrap_or(0.0);
            let hi = schema.maximum().unwrap_or(lo + 100.0);
            (lo..=hi).prop_map(|f| json!(f)).boxed()
        }
        Some(JsonType::Boolean) => any::<bool>().prop_map(Value::Bool).boxed(),
        Some(JsonType::Array) if depth < 3 => {
            let item = schema
                .items()
                .map(|s| value_of(s, false, depth + 1))
                .unwrap_or_else(|| Just(json!("a")).boxed());
            proptest::collection::vec(item, 0..3)
                .prop_map(Value::Array)
                .boxed()
        }
        Some(JsonType::Object) if depth < 3 => object_of(schema, depth + 1),
        Some(JsonType::Array) => Just(json!([])).boxed(),
        Some(JsonType::Object) => Just(json!({})).boxed(),
        _ if schema.is_uri() => "[a-z]{1,8}"
            .prop_map(|p| json!(format!("https://example.com/{p}")))
            .boxed(),
        _ => "[a-zA-Z0-9 _-]{0,10}".prop_map(Value::String).boxed(),
    }
}

/// An object of the schema's members: required ones always, optional ones at random.
fn object_of(schema: &Schema, depth: u32) -> BoxedStrategy<Value> {
    let mut acc: BoxedStrategy<Map<String, Value>> = Just(Map::new()).boxed();
    for (name, member) in schema.properties() {
        let required = schema.required().contains(name);
        let value = value_of(member, false, depth);
        let name = name.clone();
        let entry: BoxedStrategy<Option<Value>> = if required {
            value.prop_map(Some).boxed()
        } else {
            proptest::option::of(value).boxed()
        };
        acc = (acc, entry)
            .prop_map(move |(mut m, v)| {
                if let Some(v) = v {
                    m.insert(name.clone(), v);
                }
                m
            })
            .boxed();
    }
    acc.prop_map(Value::Object).boxed()
}

/// A request for `d`, valid as far as types and sets go (rules across members may still fail).
fn request_of(d: &desc::Operation) -> BoxedStrategy<Map<String, Value>> {
    let mut acc: BoxedStrategy<Map<String, Value>> = Just(Map::new()).boxed();
    for param in d.params() {
        let value = value_of(param.schema(), param.place() != Place::Body, 0);
        let name = param.name().to_string();
        let entry: BoxedStrategy<Option<Value>> = if param.required() {
            value.prop_map(Some).boxed()
        } else {
            proptest::option::weighted(0.6, value).boxed()
        };
        acc = (acc, entry)
            .prop_map(move |(mut m, v)| {
                if let Some(v) = v {
                    m.insert(name.clone(), v);
                }
                m
            })
            .boxed();
    }
    acc
}

/// How a generated request is spoiled, if at all.
#[derive(Clone, Debug)]
enum Spoil {
    Nothing,
    /// Drop the n-th member.
    Drop(usize),
    /// Replace the n-th member's value.
    Replace(usize, Value),
}

fn spoil() -> impl Strategy<Value = Spoil> {
    let wrong = prop_oneof![
        Just(json!("not-a-number")),
        Just(json!(-1)),
        Just(json!(1_000_000)),
        Just(json!(true)),
        Just(json!([1])),
        Just(json!({"x": 1})),
        Just(json!("")),
        Just(json!(2.5)),
        Just(json!("http//not a url")),
    ];
    prop_oneof![
        2 => Just(Spoil::Nothing),
        1 => (0usize..8).prop_map(Spoil::Drop),
        2 => (0usize..8, wrong).prop_map(|(i, v)| Spoil::Replace(i, v)),
    ]
}

fn apply(params: &mut Map<String, Value>, spoil: &Spoil) {
    let keys: Vec<String> = params.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    match spoil {
        Spoil::Nothing => {}
        Spoil::Drop(i) => {
            params.remove(&keys[i % keys.len()]);
        }
        Spoil::Replace(i, v) => {
            params.insert(keys[i % keys.len()].clone(), v.clone());
        }
    }
}

#[test]
fn the_client_and_the_description_agree_on_generated_requests() {
    // The same cases on every run (a failure can be replayed); a longer run with another seed
    // is a matter of setting both variables.
    let cases_per_operation: u32 = std::env::var("JOGG_DIFFERENTIAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    let seed: u64 = std::env::var("JOGG_DIFFERENTIAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut disagreements: BTreeMap<String, String> = BTreeMap::new();
    let mut counts = (0u64, 0u64, 0u64);
    for d in desc::operations() {
        let op = ops::find(d.full_name()).unwrap();
        let mut bytes = [0u8; 32];
        let tag = d.full_name().bytes().fold(seed, |h, b| {
            h.wrapping_mul(0x100_0000_01b3).wrapping_add(u64::from(b))
        });
        bytes[..8].copy_from_slice(&tag.to_le_bytes());
        let config = RunnerConfig {
            cases: cases_per_operation,
            failure_persistence: None,
            ..RunnerConfig::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let strategy = (request_of(d), spoil());
        let seen = std::cell::RefCell::new((&mut disagreements, &mut counts));
        let result = runner.run(&strategy, |(mut params, how)| {
            apply(&mut params, &how);
            let verdict = judge(d, &params);
            let unknown = unknown_members(d, &params);
            let client =
                jogg::internals::hooks::prepare(op, &Value::Object(params.clone()), "http://h");
            let mut seen = seen.borrow_mut();
            seen.1.0 += 1;
            if verdict.is_empty() {
                seen.1.1 += 1;
            } else {
                seen.1.2 += 1;
            }
            let key_for = |member: &str, direction: &str| {
                format!("{} {} {}", d.full_name(), strip_indices(member), direction)
            };
            match (verdict.is_empty() && unknown.is_empty(), client) {
                (true, Ok(_)) | (false, Err(_)) => {}
                (true, Err(e)) => {
                    let member = e.field().unwrap_or_default().to_string();
                    let empty = is_empty_text(value_at(&params, &member));
                    if !documented(d, &member, "stricter", empty) {
                        seen.0
                            .entry(key_for(&member, "stricter"))
                            .or_insert(format!("{params:?}: the client refuses: {}", e.message()));
                    }
                }
                (false, Ok(_)) => {
                    let member = verdict
                        .first()
                        .map(|v| v.field.clone())
                        .or_else(|| unknown.first().cloned())
                        .unwrap_or_default();
                    let empty = is_empty_text(value_at(&params, &member));
                    if !documented(d, &member, "looser", empty) {
                        seen.0.entry(key_for(&member, "looser")).or_insert(format!(
                            "{params:?}: the description refuses: {verdict:?} {unknown:?}"
                        ));
                    }
                }
            }
            Ok::<(), TestCaseError>(())
        });
        result.unwrap();
    }
    let (run, valid, invalid) = counts;
    eprintln!("{run} generated requests judged by both ({valid} valid, {invalid} invalid)");
    assert!(
        disagreements.is_empty(),
        "{} undocumented disagreements (document them in docs/validation-differences.md or \
         fix the client):\n{disagreements:#?}",
        disagreements.len()
    );
}
