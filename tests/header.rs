//! `include/jogg.h` as a C reader meets it: every name it declares is prefixed, its sections
//! come in the order of use, and every result code it lists has the name `jogg_code_name`
//! gives it.

use std::ffi::CStr;

const HEADER: &str = include_str!("../include/jogg.h");

/// Every name the header declares: macros, typedefs (plain, struct and function pointer) and
/// functions, at file scope.
fn declared_names() -> Vec<String> {
    let mut names = Vec::new();
    let mut in_comment = false;
    let mut depth = 0usize;
    let mut statement = String::new();
    for line in HEADER.lines() {
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_comment = !t.contains("*/");
            continue;
        }
        if let Some(rest) = t.strip_prefix("#define ") {
            let name = rest
                .split(|c: char| c == '(' || c.is_whitespace())
                .next()
                .unwrap();
            names.push(name.to_string());
            continue;
        }
        if t.starts_with('#')
            || t.is_empty()
            || t == "JOGG_API"
            || t == "extern \"C\" {"
            || t.starts_with("}  /* extern")
        {
            continue;
        }
        // Members of a struct are not file-scope names.
        depth += t.matches('{').count();
        depth = depth.saturating_sub(t.matches('}').count());
        statement.push_str(t);
        statement.push(' ');
        if depth == 0 && t.ends_with(';') {
            names.push(statement_name(&statement));
            statement.clear();
        }
    }
    names
}

fn statement_name(s: &str) -> String {
    let s = s.trim().trim_end_matches(';');
    if let Some(start) = s.find("(*") {
        let rest = &s[start + 2..];
        return rest[..rest.find(')').unwrap()].to_string();
    }
    if s.starts_with("typedef") {
        return s.rsplit([' ', '}']).next().unwrap().to_string();
    }
    let before = &s[..s.find('(').unwrap_or(s.len())];
    before.rsplit([' ', '*']).next().unwrap().to_string()
}

#[test]
fn every_declared_name_is_prefixed() {
    let names = declared_names();
    assert!(names.len() > 60, "{names:?}");
    for expected in [
        "jogg_client_new",
        "jogg_progress_cb",
        "jogg_post_slot",
        "JOGG_ERR_TLS",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not found in {names:?}"
        );
    }
    let unprefixed: Vec<&String> = names
        .iter()
        .filter(|n| !n.starts_with("jogg_") && !n.starts_with("JOGG_"))
        .collect();
    assert!(
        unprefixed.is_empty(),
        "unprefixed names in jogg.h: {unprefixed:?}"
    );
}

#[test]
fn sections_come_in_the_order_of_use() {
    let titles: Vec<&str> = HEADER
        .lines()
        .filter_map(|l| l.strip_prefix(" * "))
        .filter_map(|l| {
            let (n, title) = l.split_once(". ")?;
            n.parse::<u32>().ok().map(|_| title)
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Version",
            "Result codes",
            "Strings the library returns",
            "The client",
            "The main job: a talking-avatar video",
            "Waiting for background work",
            "Files",
            "Webhooks",
            "Every operation by name",
        ]
    );
    // Where a function is declared (not where a comment mentions it).
    let at = |name: &str| {
        let mut offset = 0;
        for line in HEADER.lines() {
            let t = line.trim_start();
            let comment = t.starts_with('*') || t.starts_with("/*");
            if !comment && line.contains(&format!("{name}(")) {
                return offset;
            }
            offset += line.len() + 1;
        }
        panic!("{name} is not declared")
    };
    let order = [
        "jogg_version",
        "jogg_code_name",
        "jogg_string_free",
        "jogg_client_new",
        "jogg_create_talking_avatar_video",
        "jogg_wait_for_project",
        "jogg_download",
        "jogg_webhook_verify",
        "jogg_call",
    ];
    for pair in order.windows(2) {
        assert!(
            at(pair[0]) < at(pair[1]),
            "{} comes after {}",
            pair[0],
            pair[1]
        );
    }
}

#[test]
fn every_listed_code_has_its_name() {
    let mut codes = 0;
    for line in HEADER.lines() {
        let Some(rest) = line.strip_prefix("#define JOGG_") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(' ') else {
            continue;
        };
        if !(name == "OK" || name.starts_with("ERR_")) {
            continue;
        }
        let value: i32 = value.parse().unwrap();
        // SAFETY: jogg_code_name returns a static string for any value.
        let got = unsafe { CStr::from_ptr(jogg::internals::ffi::jogg_code_name(value)) };
        assert_eq!(got.to_str().unwrap(), format!("JOGG_{name}"));
        codes += 1;
    }
    assert!(codes >= 30, "{codes} codes found");
}
