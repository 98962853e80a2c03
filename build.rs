//! Generates `include/jogg.h` from the `extern "C"` items of `src/ffi` with cbindgen, then lays
//! them out in the order a reader needs them: sections (version, codes, strings, the client,
//! the main job, waiting, files, webhooks, every operation), each with its introduction.
//!
//! The header is committed; CI fails when a build changes it, so the committed header always
//! matches the library. The file is only rewritten when its content changes.

use std::env;
use std::path::PathBuf;

/// The header's sections, in order: title, introduction, and the items it holds (each C
/// item of `src/ffi` must be in exactly one section, or the build fails naming it). A name
/// ending in `*` stands for every item with that prefix, in the order cbindgen emits them.
const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "Version",
        r#"
        The JOGG_VERSION_* macros describe this header; jogg_version() and
        jogg_version_number() the library actually loaded. They must agree: a program may
        compare JOGG_VERSION_NUMBER with jogg_version_number() at start-up.
        "#,
        &["jogg_version", "jogg_version_number"],
    ),
    (
        "Result codes",
        r#"
        Every fallible function returns a jogg_code: JOGG_OK (0) or a JOGG_ERR_* value, and on
        failure an error JSON in *error_json. The numbers are stable and never reused; new
        ones may be added, so treat an unknown value as a failure of its family.

        family   what happened                         what to do
        -------  ------------------------------------  -----------------------------------
        1-99     the call's own arguments are wrong:   fix the call; nothing was sent
                 NULL, UTF-8, JSON, a request member,
                 an operation name, the config, a
                 JSON Pointer
        100-199  the request did not complete on the   retry when "retryable" is true
                 network: connect, timeout, TLS
        200-299  the API answered with an error        read api_code, api_message and
                                                       request_id; retry when "retryable"
        300-399  a wait ended without success          task_id holds the task: wait again,
                                                       or read why it failed
        400-499  something outside the API and the     fix the file, the delivery or the
                 call: a local file, a webhook         shared store
                 delivery, the POST limit's store
        900-999  a bug in jogg                         report it; the client stays usable

        These are not HTTP statuses: JOGG_ERR_IO is 400 and JOGG_ERR_SIGNATURE 401 by family,
        not by meaning. The HTTP status, when there was one, is the error JSON's
        http_status.
        "#,
        &["jogg_code", "JOGG_OK", "JOGG_ERR_*", "jogg_code_name"],
    ),
    (
        "Strings the library returns",
        r#"
        Every char* a jogg function returns is NUL-terminated UTF-8 JSON owned by the caller:
        release it with jogg_string_free(), never free(). jogg_json_string() reads one member
        of such a JSON (or any JSON) without a JSON library.
        "#,
        &["jogg_string_free", "jogg_json_string"],
    ),
    (
        "The client",
        r#"
        A jogg_client holds the configuration, the API key and one connection pool. Create one
        per program (or per API key) and share it between threads.
        "#,
        &[
            "jogg_client",
            "jogg_client_new",
            "jogg_log_cb",
            "JOGG_LOG_INFO",
            "JOGG_LOG_DEBUG",
            "jogg_client_new_with_log",
            "jogg_post_slot",
            "jogg_post_acquire_cb",
            "jogg_post_release_cb",
            "jogg_post_cooldown_cb",
            "jogg_post_limiter",
            "jogg_client_new_with_post_limiter",
            "jogg_client_free",
        ],
    ),
    (
        "The main job: a talking-avatar video",
        r#"
        Pick an avatar and a voice, create the video, wait for it (next section), fetch it
        (Files); jogg_generate_talking_avatar_video (next section) does both in one call. Like
        jogg_call, every call that talks to the API blocks until its answer: a POST (a
        create) may first wait for a slot of the POST limit, and an attempt that failed in
        a way that is safe to repeat is retried after a pause.
        "#,
        &[
            "jogg_list_avatars",
            "jogg_list_voices",
            "jogg_create_talking_avatar_video",
            "jogg_get_project",
        ],
    ),
    (
        "Waiting for background work",
        r#"
        Videos, avatars, photos and scripts render in the background. These calls poll the
        operation that reads a task until it succeeds, fails, or the wait's deadline passes,
        calling a progress callback after each poll; the callback may cancel. They block the
        calling thread for as long as the wait lasts (at most its timeout_ms plus 1 s).
        "#,
        &[
            "jogg_progress_cb",
            "jogg_wait_for_project",
            "jogg_generate_talking_avatar_video",
            "jogg_wait",
            "jogg_wait_many",
            "jogg_call_and_wait",
        ],
    ),
    (
        "Files",
        r#"
        Uploading a local file for the API to use (an audio track, a product image), and
        downloading a finished video. Both block until done, cancelled, or past the config's
        transfer_timeout_ms.
        "#,
        &["jogg_upload_asset", "jogg_download"],
    ),
    (
        "Webhooks",
        r#"
        Jogg posts a signed event to your endpoint when a task ends. Check the signature on
        the raw body before reading it; jogg_webhook_deliver also hands the event to the
        client, which ends at once every wait on its task.
        "#,
        &[
            "jogg_webhook_verify",
            "jogg_webhook_parse",
            "JOGG_MAX_DELIVERY_BYTES",
            "jogg_webhook_deliver",
            "jogg_create_webhook_endpoint",
        ],
    ),
    (
        "Every operation by name",
        r#"
        All 80 operations of the API's v1 and v2, by name ("v1.get_project",
        "v2.create_video_from_avatar"), with the request as JSON. jogg_operations() lists
        them with their parameters.
        "#,
        &["jogg_call", "jogg_operations"],
    ),
];

/// What the header defines before its sections: the linkage and deprecation markers.
const MARKERS: &str = "\
/* JOGG_API precedes every function of the library. It is empty unless defined before this
 * header is included, e.g. to __declspec(dllimport) on Windows. */
#ifndef JOGG_API
#define JOGG_API
#endif

/* JOGG_DEPRECATED(message) marks a function kept for compatibility that a newer one
 * replaces; compilers that know the attribute warn at each use, with the message. */
#ifndef JOGG_DEPRECATED
#if defined(__GNUC__) || defined(__clang__)
#define JOGG_DEPRECATED(message) __attribute__((deprecated(message)))
#elif defined(_MSC_VER)
#define JOGG_DEPRECATED(message) __declspec(deprecated(message))
#else
#define JOGG_DEPRECATED(message)
#endif
#endif
";

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let part = |name: &str| -> u32 {
        env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .expect("cargo sets the version parts")
    };
    let (major, minor, patch) = (
        part("CARGO_PKG_VERSION_MAJOR"),
        part("CARGO_PKG_VERSION_MINOR"),
        part("CARGO_PKG_VERSION_PATCH"),
    );
    let abi = abi_version(major, minor, patch);
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    // Only the C layer: nothing of the Rust core can reach the header.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/ffi/mod.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate include/jogg.h: {e}"));
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("cbindgen writes UTF-8");
    let version = format!(
        "#define JOGG_VERSION_MAJOR {major}\n\
         #define JOGG_VERSION_MINOR {minor}\n\
         #define JOGG_VERSION_PATCH {patch}\n\
         /* MAJOR * 1000000 + MINOR * 1000 + PATCH; compare with jogg_version_number(). */\n\
         #define JOGG_VERSION_NUMBER {}\n\
         #define JOGG_VERSION_STRING \"{major}.{minor}.{patch}\"\n\
         /* SONAME suffix: programs link to libjogg.so.<JOGG_ABI_VERSION>. */\n\
         #define JOGG_ABI_VERSION \"{abi}\"\n",
        major * 1_000_000 + minor * 1_000 + patch
    );
    let header = arrange(&generated, &version);
    let path = dir.join("include/jogg.h");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(header.as_str()) {
        std::fs::write(&path, header).expect("include/jogg.h is writable");
    }
}

/// One declaration of cbindgen's output: its doc comment and code, and the name it declares.
struct Item {
    name: String,
    text: String,
}

/// Rebuilds cbindgen's output (a preamble, then constants, types and functions, each group in
/// source order) as the preamble followed by the sections.
fn arrange(generated: &str, version: &str) -> String {
    let body_start = generated
        .find("#include <stdbool.h>\n")
        .map(|i| i + "#include <stdbool.h>\n".len())
        .expect("the header includes stdbool.h");
    let body_end = generated
        .rfind("#endif  /* JOGG_H */")
        .expect("the header ends with its include guard");
    let preamble = &generated[..body_start];
    let items = split_items(&generated[body_start..body_end]);
    let mut placed = vec![false; items.len()];
    let mut out = String::from(preamble);
    out.push('\n');
    out.push_str(MARKERS);
    out.push_str("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    for (n, (title, intro, names)) in SECTIONS.iter().enumerate() {
        out.push_str(&banner(n + 1, title, intro));
        if n == 0 {
            out.push_str(version);
            out.push('\n');
        }
        for name in *names {
            let matching: Vec<usize> = match name.strip_suffix('*') {
                Some(prefix) => (0..items.len())
                    .filter(|&i| items[i].name.starts_with(prefix) && !placed[i])
                    .collect(),
                None => (0..items.len())
                    .filter(|&i| items[i].name == *name)
                    .collect(),
            };
            assert!(
                !matching.is_empty(),
                "build.rs places {name} in the header, but src/ffi declares no such item \
                 (it declares {:?})",
                items.iter().map(|i| i.name.as_str()).collect::<Vec<_>>()
            );
            for i in matching {
                assert!(!placed[i], "{} is placed twice", items[i].name);
                placed[i] = true;
                out.push_str(&items[i].text);
                out.push_str("\n\n");
            }
        }
    }
    let unplaced: Vec<&str> = items
        .iter()
        .zip(&placed)
        .filter(|(_, p)| !**p)
        .map(|(item, _)| item.name.as_str())
        .collect();
    assert!(
        unplaced.is_empty(),
        "add these items of src/ffi to a section of build.rs: {unplaced:?}"
    );
    out.push_str("#ifdef __cplusplus\n}  /* extern \"C\" */\n#endif\n\n#endif  /* JOGG_H */\n");
    out
}

/// A section's opening comment; `intro` is written indented in the source, and dedented here.
fn banner(number: usize, title: &str, intro: &str) -> String {
    let lines: Vec<&str> = intro.trim_start_matches('\n').trim_end().lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut text = "\n/* ".to_string() + &"=".repeat(89) + "\n";
    text.push_str(&format!(" * {number}. {title}\n *\n"));
    for line in lines {
        match line.trim_end() {
            "" => text.push_str(" *\n"),
            l => text.push_str(&format!(" * {}\n", &l[indent.min(l.len())..])),
        }
    }
    text.push_str(" */\n\n");
    text
}

/// The declarations of cbindgen's body, with their doc comments; the `extern "C"` wrapper and
/// blank lines dropped.
fn split_items(body: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for line in body.lines() {
        let wrapper = matches!(
            line.trim(),
            "#ifdef __cplusplus"
                | "extern \"C\" {"
                | "#endif // __cplusplus"
                | "}  // extern \"C\""
                | "#endif  // __cplusplus"
        );
        if wrapper {
            continue;
        }
        if line.trim().is_empty() && depth == 0 {
            if !current.trim().is_empty() {
                items.push(item(std::mem::take(&mut current)));
            }
            current.clear();
            continue;
        }
        // Braces of code, not of comments (which quote JSON): a struct's members stay
        // together across the blank lines between them.
        let trimmed = line.trim_start();
        if !(trimmed.starts_with("/*") || trimmed.starts_with('*') || trimmed.starts_with("//")) {
            depth += line.matches('{').count();
            depth = depth.saturating_sub(line.matches('}').count());
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        items.push(item(current));
    }
    items
}

/// The name an item declares: a macro, a typedef, or a function.
fn item(text: String) -> Item {
    let text = text.trim_end().to_string();
    // The declaration proper starts after the doc comment.
    let code = match text.find("*/") {
        Some(end) if text.trim_start().starts_with("/*") => &text[end + 2..],
        _ => &text[..],
    };
    let code = code.trim();
    let name = if let Some(rest) = code.strip_prefix("#define ") {
        rest.split_whitespace().next().unwrap_or("").to_string()
    } else if code.starts_with("typedef") {
        if let Some(start) = code.find("(*") {
            let rest = &code[start + 2..];
            rest[..rest.find(')').unwrap_or(rest.len())].to_string()
        } else {
            code.trim_end_matches(';')
                .rsplit(|c: char| c.is_whitespace() || c == '}')
                .next()
                .unwrap_or("")
                .to_string()
        }
    } else {
        let open = code.find('(').unwrap_or(code.len());
        code[..open]
            .rsplit(|c: char| c.is_whitespace() || c == '*')
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(!name.is_empty(), "cannot tell what this declares:\n{text}");
    Item { name, text }
}

/// ABI version: the SONAME suffix, cargo-c's rule. Before 1.0 every minor release may break
/// the ABI, so 0.y.z is `0.y` (and 0.0.z is `0.0.z`); from 1.0 only the major number counts.
/// On Linux the shared library is linked with it, so programs record `libjogg.so.<abi>` and
/// never load an incompatible build.
fn abi_version(major: u32, minor: u32, patch: u32) -> String {
    let abi = match (major, minor) {
        (0, 0) => format!("0.0.{patch}"),
        (0, _) => format!("0.{minor}"),
        _ => major.to_string(),
    };
    // The target's OS, not the build machine's (build scripts run on the host).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libjogg.so.{abi}");
    }
    abi
}
