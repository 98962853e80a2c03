//! The API key stays secret: a sentinel key is driven through every error path, the debug
//! log, every Debug and Display output and the C ABI's error JSON, and is found in none of
//! them; it is sent to the base URL's host only (never to a redirect target, a signed upload
//! URL or a download URL); plain http:// to a non-loopback host is refused before anything
//! is sent.

mod hardening;

use std::ffi::{CStr, CString, c_char, c_void};
use std::sync::Mutex;
use std::time::Duration;

use hardening::{Action, Lines, Scripted, client, ok, respond, within};
use jogg::{Config, Error, ErrorKind, LogLevel, Proxy, UploadOptions};
use serde_json::json;

/// The config JSON of `jogg_client_new`, read as the C layer reads it.
fn config_from_json(text: &str) -> Result<Config, Error> {
    jogg::internals::ffi::config::config_from_json(text).map_err(|f| f.error)
}

const SENTINEL: &str = "sk-SENTINEL-3f9a7c21e6b4d058";
const GUARD: Duration = Duration::from_secs(30);

/// Everything a user could print or log about an error.
fn renderings(e: &Error) -> String {
    format!(
        "{e}\n{e:?}\n{}\n{:?}",
        jogg::internals::ffi::failure::error_json(e),
        e.source_chain()
    )
}

trait SourceChain {
    fn source_chain(&self) -> Vec<String>;
}

impl SourceChain for Error {
    fn source_chain(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur: Option<&dyn std::error::Error> = Some(self);
        while let Some(e) = cur {
            out.push(e.to_string());
            cur = e.source();
        }
        out
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(SENTINEL) && !text.contains("SENTINEL"),
        "{what} shows the key: {text}"
    );
}

/// Every fault of the matrix, plus a server that echoes the key back in its message.
fn faults() -> Vec<Vec<Action>> {
    let echo = format!(r#"{{"code":10105,"msg":"invalid key {SENTINEL}","rid":"rid-{SENTINEL}"}}"#);
    vec![
        vec![respond("500 Internal Server Error", "", "<html>oops</html>"); 2],
        vec![respond("200 OK", "", r#"{"code":50000,"msg":"boom","rid":"r"}"#); 2],
        vec![respond(
            "429 Too Many Requests",
            "Retry-After: 3600\r\n",
            r#"{"code":429}"#,
        )],
        vec![Action::Hold, Action::Hold],
        vec![Action::Reset, Action::Reset],
        vec![respond("200 OK", "", "not json")],
        vec![
            Action::Truncated {
                announced: 90,
                body: b"{".to_vec(),
            };
            2
        ],
        vec![Action::Big {
            len: 11 << 20,
            chunked: false,
        }],
        vec![respond(
            "302 Found",
            "Location: http://127.0.0.2:9/x\r\n",
            "",
        )],
        vec![respond("401 Unauthorized", "", &echo)],
        vec![respond("200 OK", "", &echo)],
        vec![respond(
            "404 Not Found",
            "",
            r#"{"code":10104,"msg":"no","rid":"r"}"#,
        )],
    ]
}

#[test]
fn no_error_log_or_debug_output_shows_the_key() {
    let mut errors = 0;
    let mut log_lines = 0;
    for script in faults() {
        for (name, params) in [
            ("v1.get_project", json!({"project_id": "p1"})),
            (
                "v1.create_video_from_talking_avatar",
                json!({"script": "Hi", "voice_id": "v", "avatar_id": 1, "avatar_type": 0,
                       "screen_style": 1}),
            ),
        ] {
            let server = Scripted::start(script.clone());
            let lines = Lines::default();
            let c = client(&server.url, SENTINEL, &lines);
            assert_clean("Client Debug", &format!("{c:?}"));
            let e = within(GUARD, move || {
                c.call(name, &params).expect_err("every script fails")
            });
            assert_clean("error", &renderings(&e));
            errors += 1;
            // The key went to the API, as it must (a positive control for the checks).
            let seen = server.seen();
            assert!(!seen.is_empty());
            for s in &seen {
                assert_eq!(s.header("x-api-key"), Some(SENTINEL));
            }
            let all = lines.all();
            assert!(!all.is_empty(), "debug logging was on");
            for (_, line) in &all {
                assert_clean("log line", line);
                assert!(!line.contains('?'), "no query strings in logs: {line}");
            }
            log_lines += all.len();
        }
    }
    eprintln!("secrets: {errors} errors and {log_lines} log lines checked");
}

#[test]
fn config_errors_and_debug_never_show_the_key() {
    let mut c = Config::new(SENTINEL);
    assert_clean("Config Debug", &format!("{c:?}"));
    c.proxy = Proxy::None;
    for (base, field) in [
        ("http://api.jogg.ai", "base_url"),
        ("ftp://x", "base_url"),
        ("https://api.jogg.ai/v1", "base_url"),
    ] {
        let e = jogg::Client::new(c.clone().with_base_url(base)).unwrap_err();
        assert_eq!(e.field(), Some(field));
        assert_clean("config error", &renderings(&e));
    }
    // A key that cannot be a header value: refused without quoting it.
    for bad in [
        format!("{SENTINEL}\n"),
        format!("{SENTINEL} x"),
        format!("é{SENTINEL}"),
    ] {
        let e = jogg::Client::new(Config::new(bad)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidConfig);
        assert_clean("key error", &renderings(&e));
    }
    // From JSON, with mistakes elsewhere in the document.
    for text in [
        format!(r#"{{"api_key":"{SENTINEL}","base_url":"http://example.com"}}"#),
        format!(r#"{{"api_key":"{SENTINEL}","timeout_ms":"soon"}}"#),
        format!(r#"{{"api_key":"{SENTINEL}","bogus":1}}"#),
        format!(r#"{{"api_key":"{SENTINEL}" "x"}}"#),
        format!(r#"{{"api_key":"{SENTINEL}","log":"loud"}}"#),
        format!(r#"{{"api_key":"{SENTINEL}\n"}}"#),
    ] {
        let e = config_from_json(&text)
            .and_then(jogg::Client::new)
            .expect_err("invalid");
        assert_clean("config JSON error", &renderings(&e));
        let c_text = CString::new(text).unwrap();
        let mut client = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        // SAFETY: valid C string and out slots.
        let rc = unsafe {
            jogg::internals::ffi::jogg_client_new(c_text.as_ptr(), &mut client, &mut err)
        };
        assert_ne!(rc, jogg::internals::ffi::JOGG_OK);
        assert_clean("error JSON", &take(err));
    }
}

#[test]
fn plain_http_to_another_host_is_refused_before_sending() {
    let e =
        jogg::Client::new(Config::new(SENTINEL).with_base_url("http://10.0.0.1:8080")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert!(e.message().contains("loopback"), "{}", e.message());
    // Loopback is allowed, in every spelling.
    for ok in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
        jogg::Client::new(Config::new(SENTINEL).with_base_url(ok)).expect(ok);
    }
    // Download URLs: the same rule, checked before any request.
    let c = jogg::Client::new(Config::new(SENTINEL).with_base_url("http://127.0.0.1:9")).unwrap();
    let e = c
        .download(
            "http://cdn.example.com/v.mp4",
            "/nonexistent/out.mp4",
            |_| std::ops::ControlFlow::Continue(()),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("url"));
}

#[test]
fn the_key_goes_to_the_api_host_only() {
    // Upload: the API hands out a signed URL on another server; the PUT there carries no key.
    let storage = Scripted::start(vec![Action::Respond(
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    )]);
    let api = Scripted::start(vec![ok(&format!(
        r#"{{"sign_url":"{}/bucket/a.png?X-Signature=SIG","asset_url":"https://cdn.example.com/a.png"}}"#,
        storage.url
    ))]);
    let dir = std::env::temp_dir().join(format!("jogg-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a.png");
    std::fs::write(&file, b"\x89PNG fake").unwrap();
    let lines = Lines::default();
    let c = client(&api.url, SENTINEL, &lines);
    let asset = c
        .upload_asset(&file, &UploadOptions::default(), |_| {
            std::ops::ControlFlow::Continue(())
        })
        .expect("uploaded");
    assert_eq!(asset.asset_url, "https://cdn.example.com/a.png");
    let api_seen = api.finish();
    assert_eq!(api_seen[0].header("x-api-key"), Some(SENTINEL));
    let put = storage.finish();
    assert_eq!(put.len(), 1);
    assert!(put[0].request_line.starts_with("PUT /bucket/a.png"));
    assert!(put[0].header("x-api-key").is_none());
    assert_clean("upload request", &put[0].text());

    // Download: the file server sees no key either.
    let files = Scripted::start(vec![Action::Respond(
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nvideo".to_vec(),
    )]);
    let target = dir.join("v.mp4");
    let done = c
        .download(&format!("{}/v.mp4", files.url), &target, |_| {
            std::ops::ControlFlow::Continue(())
        })
        .expect("downloaded");
    assert_eq!(done.bytes, 5);
    let get = files.finish();
    assert!(get[0].header("x-api-key").is_none());
    assert_clean("download request", &get[0].text());
    for (_, line) in lines.all() {
        assert_clean("log line", &line);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn redirects_carry_the_key_nowhere() {
    // Same host, other port; and another loopback address: neither is contacted.
    for ip in ["127.0.0.1", "127.0.0.2"] {
        let target = Scripted::start_on(ip, vec![ok("{}")]);
        let api = Scripted::start(vec![respond(
            "307 Temporary Redirect",
            &format!("Location: {}/v1/project\r\n", target.url),
            "",
        )]);
        let lines = Lines::default();
        let c = client(&api.url, SENTINEL, &lines);
        let e = c
            .v1()
            .projects()
            .get("p1")
            .expect_err("a redirect is an error, not followed");
        assert_eq!(e.kind(), ErrorKind::BadResponse);
        assert_eq!(target.count(), 0);
        assert_clean("redirect error", &renderings(&e));
    }
}

// ---- The log: off by default, JOGG_LOG to stderr, a callback through the C ABI. ----------

#[test]
fn logging_is_off_by_default_and_says_what_it_should() {
    if std::env::var_os("JOGG_LOG").is_none() {
        assert_eq!(Config::new("k").log, LogLevel::Off);
        assert_eq!(
            config_from_json(r#"{"api_key":"k"}"#).unwrap().log,
            LogLevel::Off
        );
    }
    assert_eq!(
        config_from_json(r#"{"api_key":"k","log":"info"}"#)
            .unwrap()
            .log,
        LogLevel::Info
    );
    let server = Scripted::start(vec![
        respond("503 Service Unavailable", "", "<html/>"),
        ok(r#"{"id":"p1","status_code":2}"#),
    ]);
    let lines = Lines::default();
    let c = client(&server.url, SENTINEL, &lines);
    c.v1().projects().get("p 1/x").expect("retried");
    let all = lines.all();
    let text: Vec<&str> = all.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        text[0].split(" elapsed_ms=").next().unwrap(),
        "GET /v1/project attempt=1 status=503 error=server request_id=gw-1"
    );
    assert!(
        text[1].starts_with("GET /v1/project retry attempt=2 delay_ms="),
        "{text:?}"
    );
    assert!(text[2].starts_with("GET /v1/project attempt=2 status=200 request_id=rid-ok"));
    assert_eq!(
        text[3],
        "GET /v1/project status=200 attempts=2 request_id=rid-ok"
    );
    assert_eq!(all[3].0, LogLevel::Info);
    assert!(all[..3].iter().all(|(l, _)| *l == LogLevel::Debug));
    assert!(
        !text
            .iter()
            .any(|l| l.contains("p 1") || l.contains("p%201")),
        "no query"
    );
}

/// Run as a child process with `JOGG_LOG=debug` and no sink: lines go to stderr.
#[test]
fn jogg_log_env_prints_to_stderr() {
    if std::env::var_os("JOGG_SECRETS_CHILD").is_some() {
        let server = Scripted::start(vec![ok(r#"{"id":"p1","status_code":2}"#)]);
        let mut config = Config::new(SENTINEL).with_base_url(&server.url);
        config.proxy = Proxy::None;
        assert_eq!(config.log, LogLevel::Debug, "JOGG_LOG is the default");
        jogg::Client::new(config)
            .unwrap()
            .v1()
            .projects()
            .get("p1")
            .unwrap();
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "jogg_log_env_prints_to_stderr",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("JOGG_SECRETS_CHILD", "1")
        .env("JOGG_LOG", "debug")
        .output()
        .expect("run the child");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("jogg debug: GET /v1/project attempt=1 status=200 request_id=rid-ok"),
        "{stderr}"
    );
    assert!(
        stderr.contains("jogg info: GET /v1/project status=200 attempts=1"),
        "{stderr}"
    );
    assert_clean("stderr", &stderr);
    assert_clean("stdout", &String::from_utf8_lossy(&out.stdout));
}

static C_LINES: Mutex<Vec<(i32, String)>> = Mutex::new(Vec::new());

unsafe extern "C" fn c_log(userdata: *mut c_void, level: i32, line: *const c_char) {
    assert_eq!(userdata as usize, 0x5eed);
    // SAFETY: the library passes a NUL-terminated line, valid for this call.
    let line = unsafe { CStr::from_ptr(line) }
        .to_string_lossy()
        .into_owned();
    C_LINES.lock().unwrap().push((level, line));
}

fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: a string returned by the library, freed once.
    let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    unsafe { jogg::internals::ffi::jogg_string_free(p) };
    s
}

#[test]
fn c_log_callback_gets_lines_without_the_key() {
    let server = Scripted::start(vec![
        respond("200 OK", "", r#"{"code":50000,"msg":"busy","rid":"rid-c"}"#),
        respond(
            "200 OK",
            "",
            &format!(r#"{{"code":10104,"msg":"no {SENTINEL}","rid":"rid-c2"}}"#),
        ),
    ]);
    let config = CString::new(format!(
        r#"{{"api_key":"{SENTINEL}","base_url":"{}","proxy":"none","max_retries":1}}"#,
        server.url
    ))
    .unwrap();
    let mut client = std::ptr::null_mut();
    // SAFETY: valid strings, callback and out slots; userdata is an opaque tag.
    let rc = unsafe {
        jogg::internals::ffi::jogg_client_new_with_log(
            config.as_ptr(),
            Some(c_log),
            0x5eed as *mut c_void,
            &mut client,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, jogg::internals::ffi::JOGG_OK);
    let op = CString::new("v1.get_project").unwrap();
    let req = CString::new(r#"{"project_id":"p1"}"#).unwrap();
    let mut out = std::ptr::null_mut();
    let mut err = std::ptr::null_mut();
    // SAFETY: live client, C strings, out slots.
    let rc = unsafe {
        jogg::internals::ffi::jogg_call(client, op.as_ptr(), req.as_ptr(), &mut out, &mut err)
    };
    assert_eq!(rc, jogg::internals::ffi::JOGG_ERR_NOT_FOUND);
    let err = take(err);
    assert!(
        err.contains("rid-c2") && err.contains("<redacted>"),
        "{err}"
    );
    assert_clean("error JSON", &err);
    // SAFETY: created above, freed once.
    unsafe { jogg::internals::ffi::jogg_client_free(client) };
    let lines = C_LINES.lock().unwrap().clone();
    assert!(lines.len() >= 4, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|(l, s)| *l == jogg::internals::ffi::JOGG_LOG_DEBUG
                && s.contains("retry attempt=2"))
    );
    assert!(lines.iter().any(|(l, s)| {
        *l == jogg::internals::ffi::JOGG_LOG_INFO
            && s.starts_with(
                "GET /v1/project status=200 error=not_found attempts=2 request_id=rid-c2",
            )
    }));
    for (_, l) in &lines {
        assert_clean("C log line", l);
    }
}

// ---- Server-given values: ids, URLs, rid; scrubbed and made one line. --------------------

#[test]
fn failed_task_rid_and_server_urls_never_show_the_key() {
    let dir = std::env::temp_dir().join(format!("jogg-secrets-urls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lines = Lines::default();

    // A failed render whose poll reply carries the key as its rid and its status.
    let api = Scripted::start(vec![respond(
        "200 OK",
        "",
        &format!(
            r#"{{"code":0,"data":{{"id":"p1","status_code":5,"status_desc":"{SENTINEL}"}},"rid":"{SENTINEL}"}}"#
        ),
    )]);
    let c = client(&api.url, SENTINEL, &lines);
    let options = jogg::WaitOptions {
        timeout: Duration::from_secs(5),
        ..jogg::WaitOptions::default()
    };
    let e = c
        .wait_for_project("p1", &options, |_| std::ops::ControlFlow::Continue(()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TaskFailed, "{e}");
    assert!(e.request_id().is_some());
    assert_clean("failed task", &renderings(&e));

    // A reply whose data quotes the key where a number belongs: the decode error quotes it.
    let api = Scripted::start(vec![respond(
        "200 OK",
        "",
        &format!(r#"{{"code":0,"data":{{"id":"p1","status_code":"{SENTINEL}"}},"rid":"r"}}"#),
    )]);
    let c = client(&api.url, SENTINEL, &lines);
    let e = c.v1().projects().get("p1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadResponse, "{e}");
    assert_clean("decode error", &renderings(&e));

    // A signed upload URL with the key in its path, refused by the storage host.
    let storage = Scripted::start(vec![respond("403 Forbidden", "", "<Error/>")]);
    let api = Scripted::start(vec![ok(&format!(
        r#"{{"sign_url":"{}/{SENTINEL}/a.png?X-Signature=SIG","asset_url":"https://cdn.example.com/a.png"}}"#,
        storage.url
    ))]);
    let file = dir.join("a.png");
    std::fs::write(&file, b"\x89PNG fake").unwrap();
    let c = client(&api.url, SENTINEL, &lines);
    let e = c
        .upload_asset(&file, &UploadOptions::default(), |_| {
            std::ops::ControlFlow::Continue(())
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    assert_clean("upload error", &renderings(&e));

    // A download URL (a video_url from the API) with the key in its path, and a redirect
    // to another such URL.
    let files = Scripted::start(vec![
        respond("404 Not Found", "", ""),
        respond(
            "302 Found",
            &format!("Location: http://0.0.0.0:9/{SENTINEL}/v.mp4\r\n"),
            "",
        ),
    ]);
    for _ in 0..2 {
        let e = c
            .download(
                &format!("{}/{SENTINEL}/v.mp4", files.url),
                dir.join("v.mp4"),
                |_| std::ops::ControlFlow::Continue(()),
            )
            .unwrap_err();
        assert_clean("download error", &renderings(&e));
    }
    for (_, line) in lines.all() {
        assert_clean("log line", &line);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn server_rid_with_control_characters_stays_one_log_line() {
    // A rid holding a newline, a forged log line and a terminal escape sequence.
    let rid = r#"r1\n jogg info: GET /v1/forged status=200\u001b[2J\r"#;
    let server = Scripted::start(vec![
        respond(
            "200 OK",
            "",
            &format!(r#"{{"code":0,"data":{{"id":"p1","status_code":2}},"rid":"{rid}"}}"#),
        ),
        respond(
            "404 Not Found",
            "",
            &format!(r#"{{"code":10104,"msg":"no\nsuch\u001b[31m","rid":"{rid}"}}"#),
        ),
    ]);
    let lines = Lines::default();
    let c = client(&server.url, SENTINEL, &lines);
    c.v1()
        .projects()
        .get("p1")
        .expect("first reply is a success");
    let e = c.v1().projects().get("p1").unwrap_err();
    let all = lines.all();
    assert_eq!(all.len(), 4, "one line per event: {all:?}");
    for (_, line) in &all {
        assert!(
            !line.chars().any(char::is_control),
            "a control character: {line:?}"
        );
    }
    assert!(
        all[1].1.contains(r"request_id=r1\n jogg info"),
        "{:?}",
        all[1].1
    );
    for text in [
        e.to_string(),
        e.request_id().unwrap().to_string(),
        e.api_message().unwrap().to_string(),
    ] {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}

#[test]
fn proxy_and_base_url_credentials_are_never_printed() {
    let mut c = Config::new("k").with_base_url("http://127.0.0.1:9");
    c.proxy = Proxy::Url("http://user:pw-SENTINEL@127.0.0.1:3128".into());
    assert_clean("Config Debug", &format!("{c:?}"));
    let client = jogg::Client::new(c).unwrap();
    assert_clean("Client Debug", &format!("{client:?}"));

    for base in [
        "https://user:pw-SENTINEL@api.jogg.ai",
        "http://user:pw-SENTINEL@example.com",
        "https://user:pw-SENTINEL@api.jogg.ai/v1",
        "ftp://user:pw-SENTINEL@x",
        "https://user:pw-SENTINEL@",
    ] {
        let config = Config::new("k").with_base_url(base);
        assert_clean("Config Debug", &format!("{config:?}"));
        let e = jogg::Client::new(config).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidConfig, Some("base_url")),
            "{e}"
        );
        assert_clean("base_url error", &renderings(&e));
    }
}

#[test]
fn a_short_placeholder_key_does_not_mangle_unrelated_words() {
    let server = jogg_mock::MockServer::start(jogg_mock::MockConfig::default()).unwrap();
    for (key, kept) in [
        ("x", "Invalid or missing API key (x-api-key header)"),
        ("1", "GET /v1/voices"),
        ("pi", "Invalid or missing API key"),
    ] {
        let mut config = Config::new(key).with_base_url(server.base_url());
        config.proxy = Proxy::None;
        let c = jogg::Client::new(config).unwrap();
        let e = c
            .v1()
            .voices()
            .list(&jogg::VoiceFilter::default())
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
        assert!(e.message().contains(kept), "key {key:?}: {}", e.message());
        assert!(
            !e.message().contains("<redacted>"),
            "key {key:?}: {}",
            e.message()
        );
    }
    // Where a short key does stand alone, it is still taken out.
    let echo = r#"{"code":10105,"msg":"key x refused","rid":"r"}"#;
    let api = Scripted::start(vec![respond("200 OK", "", echo)]);
    let lines = Lines::default();
    let e = client(&api.url, "x", &lines)
        .v1()
        .projects()
        .get("p")
        .unwrap_err();
    assert!(
        e.message().contains("key <redacted> refused"),
        "{}",
        e.message()
    );
}
