//! v1 products and product videos.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::call`](crate::Client::call) or `jogg_call` from C.

use serde::de::Error as _;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::client::Client;
use crate::de;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};

/// A product's media list, as create and update take it (v1 and v2).
const PRODUCT_MEDIA: Kind = Kind::Array(&Kind::Object(&Schema::of(&[
    opt("type", Kind::IntEnum(&[1, 2])),
    opt("name", STR),
    opt("url", STR),
    opt("description", STR),
])));

/// The parameters of `create_product`, the same in v1 and v2.
pub(crate) static CREATE_PRODUCT_PARAMS: Schema = Schema {
    fields: &[
        opt("url", STR),
        opt("name", STR),
        opt("description", STR),
        opt("target_audience", STR),
        opt("media", PRODUCT_MEDIA),
    ],
    // Without a URL the product is described by hand (D57).
    rules: &[Rule::AtLeastOne(&["url", "name"])],
};

/// The parameters of `update_product`, the same in v1 and v2.
pub(crate) static UPDATE_PRODUCT_PARAMS: Schema = Schema::of(&[
    req("product_id", STR),
    opt("name", STR),
    opt("description", STR),
    opt("target_audience", STR),
    opt("media", PRODUCT_MEDIA),
]);

/// `GET /v1/products`.
pub(crate) static LIST_PRODUCTS: Endpoint<ProductsReply> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/products",
    name: "list_products",
    schema: &Schema::of(&[]),
    ..Operation::BASE
});

/// `POST /v1/product`.
pub(crate) static CREATE_PRODUCT: Endpoint<Product> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/product",
    name: "create_product",
    schema: &CREATE_PRODUCT_PARAMS,
    ..Operation::BASE
});

/// `PUT /v1/product`.
pub(crate) static UPDATE_PRODUCT: Endpoint<IgnoredAny> = Endpoint::new(Operation {
    version: Version::V1,
    method: Method::Put,
    path: "/product",
    name: "update_product",
    schema: &UPDATE_PRODUCT_PARAMS,
    ..Operation::BASE
});

// ---------------------------------------------------------------------------
// Typed API (the product object and its requests are the same in v1 and v2)

/// What a product media file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaType {
    Image,
    Video,
}

impl MediaType {
    pub fn as_i64(self) -> i64 {
        match self {
            MediaType::Image => 1,
            MediaType::Video => 2,
        }
    }
}

impl Serialize for MediaType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_i64(self.as_i64())
    }
}

impl<'de> Deserialize<'de> for MediaType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match de::lenient_i64(d)? {
            1 => Ok(MediaType::Image),
            2 => Ok(MediaType::Video),
            other => Err(D::Error::custom(format!("unknown media type {other}"))),
        }
    }
}

/// An image or video of a product, as sent and as returned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductMedia {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediaType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A hosted file, e.g. an uploaded asset's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ProductMedia {
    /// An image at `url`.
    pub fn image(url: impl Into<String>) -> Self {
        ProductMedia {
            kind: Some(MediaType::Image),
            name: None,
            url: Some(url.into()),
            description: None,
        }
    }

    /// A video at `url`.
    pub fn video(url: impl Into<String>) -> Self {
        ProductMedia {
            kind: Some(MediaType::Video),
            ..ProductMedia::image(url)
        }
    }
}

/// A product: what a product video is about.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Product {
    #[serde(deserialize_with = "de::id_string", alias = "id")]
    pub product_id: String,
    #[serde(default, deserialize_with = "de::opt_nonempty")]
    pub url: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub target_audience: Option<String>,
    #[serde(default, deserialize_with = "de::null_as_empty")]
    pub media: Vec<ProductMedia>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The request of [`Products::create`](crate::api::v1::products::Products::create) and `V2::create_product`. Either a page to
/// read the product from (`url`), or a description by hand starting with `name`; at least
/// one of the two is required (D57). With a URL the service fills in what it can read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CreateProduct {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<ProductMedia>>,
}

impl CreateProduct {
    /// A product read from its web page.
    pub fn from_url(url: impl Into<String>) -> Self {
        CreateProduct {
            url: Some(url.into()),
            ..Default::default()
        }
    }

    /// A product described by hand.
    pub fn manual(name: impl Into<String>, description: impl Into<String>) -> Self {
        CreateProduct {
            name: Some(name.into()),
            description: Some(description.into()),
            ..Default::default()
        }
    }
}

/// The request of [`Products::update`](crate::api::v1::products::Products::update) and `V2::update_product`: unset members keep
/// their value; `media`, when set, replaces the whole list.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UpdateProduct {
    pub product_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<ProductMedia>>,
}

/// The products of `GET /v1/products`: the spec puts a bare array in `data` (D4); an object
/// wrapping it in `products` is read as well.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum ProductsReply {
    Bare(Vec<Product>),
    Wrapped {
        #[serde(alias = "list", alias = "data")]
        products: Vec<Product>,
    },
    Nothing(()),
}

/// The products operations: `client.v1().products()`.
#[derive(Clone, Copy, Debug)]
pub struct Products<'c> {
    pub(crate) client: &'c Client,
}

impl Products<'_> {
    /// Every product of the account.
    pub fn list(&self) -> Result<Vec<Product>> {
        let op = &LIST_PRODUCTS;
        let reply: ProductsReply = self.client.fetch(op, &json!({}))?;
        Ok(match reply {
            ProductsReply::Bare(products) | ProductsReply::Wrapped { products } => products,
            ProductsReply::Nothing(()) => Vec::new(),
        })
    }

    /// Creates a product from a web page or a description (synchronous); its `product_id`
    /// is what `create_video_from_url` and the v2 product renders take.
    pub fn create(&self, request: &CreateProduct) -> Result<Product> {
        let op = &CREATE_PRODUCT;
        self.client.request(op, request)
    }

    /// Changes a product; the API answers without a payload (D4).
    pub fn update(&self, request: &UpdateProduct) -> Result<()> {
        let op = &UPDATE_PRODUCT;
        self.client.request(op, request)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products(v: Value) -> Vec<Product> {
        match serde_json::from_value::<ProductsReply>(v).unwrap() {
            ProductsReply::Bare(p) | ProductsReply::Wrapped { products: p } => p,
            ProductsReply::Nothing(()) => Vec::new(),
        }
    }

    #[test]
    fn product_list_bare_or_wrapped() {
        // D4: the spec's bare array, and a wrapped list should the API ever send one.
        let item =
            json!({"product_id": "NTQ0MTkzNjg", "name": "n", "media": [{"type": 1, "url": "u"}]});
        let bare = products(json!([item.clone()]));
        let wrapped = products(json!({"products": [item]}));
        assert_eq!(bare, wrapped);
        assert_eq!(bare[0].media[0].kind, Some(MediaType::Image));
        assert!(products(json!(null)).is_empty());
        assert!(products(json!([])).is_empty());
    }

    #[test]
    fn product_members_are_lenient() {
        let p: Product = serde_json::from_value(json!({
            "product_id": 12, "url": "", "media": null, "media_count": 0
        }))
        .unwrap();
        assert_eq!(p.product_id, "12");
        assert_eq!(p.url, None);
        assert!(p.media.is_empty());
        assert_eq!(p.extra["media_count"], 0);
        let m: ProductMedia = serde_json::from_value(json!({"type": "2"})).unwrap();
        assert_eq!(m.kind, Some(MediaType::Video));
        assert!(serde_json::from_value::<ProductMedia>(json!({"type": 3})).is_err());
    }

    #[test]
    fn requests_omit_unset_members() {
        let v =
            serde_json::to_value(CreateProduct::from_url("https://shop.example.com/p")).unwrap();
        assert_eq!(v, json!({"url": "https://shop.example.com/p"}));
        assert!(CREATE_PRODUCT.schema.check(&v).is_ok());
        let r = CreateProduct {
            media: Some(vec![ProductMedia::video("https://x/v.mp4")]),
            ..CreateProduct::manual("Blush", "Soft glow")
        };
        let v = serde_json::to_value(r).unwrap();
        assert_eq!(v["media"], json!([{"type": 2, "url": "https://x/v.mp4"}]));
        // D57: neither url nor name is refused before sending.
        let e = CREATE_PRODUCT
            .schema
            .check(&json!({"description": "d"}))
            .unwrap_err();
        assert_eq!(e.field(), Some("url"));
    }
}
