//! Every URL the mock's catalogues hand out can be fetched from the mock, so examples and
//! users' tests can download what they list.

mod common;

use serde_json::{Value, json};

fn urls(v: &Value, base: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with(base) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| urls(i, base, out)),
        Value::Object(m) => m.values().for_each(|i| urls(i, base, out)),
        _ => {}
    }
}

#[test]
fn catalogue_urls_are_served() {
    let server = common::mock(0);
    let c = common::client(&server);
    let base = server.base_url();
    let mut found = Vec::new();
    for name in [
        "v1.list_avatars",
        "v1.list_voices",
        "v1.list_custom_voices",
        "v1.list_musics",
        "v1.list_templates",
        "v1.list_custom_templates",
        "v2.list_public_avatars",
        "v2.list_voices",
        "v2.list_custom_voices",
        "v2.list_musics",
        "v2.list_templates",
        "v2.list_custom_templates",
    ] {
        let op = name;
        let data = c.call(op, &json!({})).unwrap().data;
        let before = found.len();
        urls(&data, &base, &mut found);
        assert!(found.len() > before, "{name} lists no mock URL");
    }
    let agent = ureq::Agent::new_with_defaults();
    for url in &found {
        let mut response = agent
            .get(url)
            .call()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(response.status(), 200, "{url}");
        assert!(
            !response.body_mut().read_to_vec().unwrap().is_empty(),
            "{url}"
        );
    }
}
