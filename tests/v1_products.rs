//! v1 product CRUD, typed and through `jogg_call`, against the mock. Products are shared
//! with v2: one created here is visible to the v2 operations.

mod common;

use common::{CClient, client, config_for, mock, mock_with};
use jogg::api::v1::products::{CreateProduct, MediaType, ProductMedia, UpdateProduct};
use jogg::{Client, ErrorKind};
use jogg_mock::{MOCK_API_KEY, MockConfig};
use serde_json::json;

fn two_keys() -> jogg_mock::MockServer {
    mock_with(MockConfig {
        api_keys: vec![MOCK_API_KEY.into(), "k2".into()],
        render_ms: 0,
        ..MockConfig::default()
    })
}

fn body(server: &jogg_mock::MockServer) -> serde_json::Value {
    serde_json::from_slice(&server.requests().pop().unwrap().body).unwrap()
}

#[test]
fn create_list_update_typed() {
    let server = mock(0);
    let c = client(&server);
    assert!(c.v1().products().list().unwrap().is_empty());

    let manual = CreateProduct {
        target_audience: Some("Beauty enthusiasts".into()),
        media: Some(vec![ProductMedia {
            name: Some("front.jpg".into()),
            ..ProductMedia::image("https://cdn.example.com/front.jpg")
        }]),
        ..CreateProduct::manual("Happy Blush", "A soft, blendable glow.")
    };
    let p = c.v1().products().create(&manual).unwrap();
    assert_eq!(p.product_id.len(), 32);
    assert_eq!(p.name.as_deref(), Some("Happy Blush"));
    assert_eq!(p.target_audience.as_deref(), Some("Beauty enthusiasts"));
    assert_eq!(p.url, None, "no URL was given");
    assert_eq!(p.media.len(), 1);
    assert_eq!(p.media[0].kind, Some(MediaType::Image));
    assert_eq!(p.media[0].name.as_deref(), Some("front.jpg"));
    let sent = server.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/v1/product")
    );

    // From a page: what was not given is read from it.
    let crawled = c
        .v1()
        .products()
        .create(&CreateProduct::from_url(
            "https://shop.example.com/p/cosy-wool-socks",
        ))
        .unwrap();
    assert_eq!(crawled.name.as_deref(), Some("Cosy Wool Socks"));
    assert_eq!(
        crawled.url.as_deref(),
        Some("https://shop.example.com/p/cosy-wool-socks")
    );
    assert!(!crawled.description.unwrap_or_default().is_empty());

    let listed = c.v1().products().list().unwrap();
    let ids: Vec<_> = listed.iter().map(|p| p.product_id.as_str()).collect();
    assert_eq!(ids, [p.product_id.as_str(), crawled.product_id.as_str()]);
    assert_eq!(listed[0], p, "the list returns the product as created");

    c.v1()
        .products()
        .update(&UpdateProduct {
            product_id: p.product_id.clone(),
            description: Some("Now brighter.".into()),
            media: Some(vec![ProductMedia::video(
                "https://cdn.example.com/demo.mp4",
            )]),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        body(&server),
        json!({"product_id": p.product_id, "description": "Now brighter.",
               "media": [{"type": 2, "url": "https://cdn.example.com/demo.mp4"}]})
    );
    let after = c.v1().products().list().unwrap().remove(0);
    assert_eq!(after.description.as_deref(), Some("Now brighter."));
    assert_eq!(
        after.name.as_deref(),
        Some("Happy Blush"),
        "unset members are kept"
    );
    assert_eq!(after.media.len(), 1, "media replaces the whole list");
    assert_eq!(after.media[0].kind, Some(MediaType::Video));
}

#[test]
fn crud_through_jogg_call() {
    let server = mock(0);
    let cc = CClient::new(&server);
    let p = cc
        .call(
            "v1.create_product",
            &json!({"name": "Desk Lamp", "description": "Warm light", "media": [{"type": 1, "url": "https://x.example/l.png"}]}),
        )
        .unwrap();
    let id = p["product_id"].as_str().unwrap();
    assert_eq!(p["name"], "Desk Lamp");
    assert_eq!(p["media"][0]["url"], "https://x.example/l.png");
    let updated = cc
        .call(
            "v1.update_product",
            &json!({"product_id": id, "name": "Desk Lamp Pro"}),
        )
        .unwrap();
    assert!(updated.is_null(), "no payload: {updated}");
    let list = cc.call("v1.list_products", &json!({})).unwrap();
    assert!(list.is_array(), "a bare array (D4): {list}");
    assert_eq!(list[0]["name"], "Desk Lamp Pro");
    assert_eq!(list[0]["description"], "Warm light");

    let e = cc
        .call(
            "v1.update_product",
            &json!({"product_id": "0123456789abcdef0123456789abcdef", "name": "x"}),
        )
        .unwrap_err();
    assert_eq!(e["api_code"], 10104);
}

#[test]
fn products_are_private_to_their_key() {
    let server = two_keys();
    let mine = client(&server);
    let other = Client::new(config_for(&server.base_url(), "k2")).unwrap();
    let p = mine
        .v1()
        .products()
        .create(&CreateProduct::manual("Kettle", "Boils fast"))
        .unwrap();
    assert!(other.v1().products().list().unwrap().is_empty());
    let e = other
        .v1()
        .products()
        .update(&UpdateProduct {
            product_id: p.product_id.clone(),
            name: Some("Stolen".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.api_code(), Some(10104));
    assert_eq!(
        mine.v1().products().list().unwrap()[0].name.as_deref(),
        Some("Kettle")
    );
}

#[test]
fn invalid_requests_are_not_sent() {
    let server = mock(0);
    let c = client(&server);
    let cc = CClient::new(&server);
    let before = server.requests().len();
    // Neither url nor name (D57).
    let e = c
        .v1()
        .products()
        .create(&CreateProduct {
            description: Some("only words".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.field(), Some("url"));
    // A media type outside 1|2.
    let e = cc
        .call(
            "v1.create_product",
            &json!({"name": "n", "media": [{"type": 3}]}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "media[0].type");
    // Missing required member.
    let e = cc
        .call("v1.update_product", &json!({"name": "n"}))
        .unwrap_err();
    assert_eq!(e["field"], "product_id");
    // Unknown member (`url` cannot be changed).
    let e = cc
        .call(
            "v1.update_product",
            &json!({"product_id": "p", "url": "https://x.example"}),
        )
        .unwrap_err();
    assert_eq!(e["field"], "url");
    assert!(e["message"].as_str().unwrap().contains("unknown field"));
    assert_eq!(server.requests().len(), before);
    assert_eq!(server.created("product"), 0);
}
