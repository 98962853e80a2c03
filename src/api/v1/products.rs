//! v1 products and product videos.
//!
//! Operation table entries (paths and parameter schemas, from the v1 spec); call them with
//! [`Client::execute`](crate::Client::execute) or `jogg_call` from C.

use crate::ops::{Operation, Version};
#[allow(unused_imports)]
use crate::schema::{INT, Kind, Rule, STR, Schema, TEXT, int, opt, req};
use crate::transport::Method;

/// `GET /v1/products`.
pub static LIST_PRODUCTS: Operation = Operation {
    version: Version::V1,
    method: Method::Get,
    path: "/products",
    name: "list_products",
    poll_with: None,
    schema: &Schema::of(&[]),
};

/// `POST /v1/product`.
pub static CREATE_PRODUCT: Operation = Operation {
    version: Version::V1,
    method: Method::Post,
    path: "/product",
    name: "create_product",
    poll_with: None,
    schema: &Schema {
        fields: &[
            opt("url", STR),
            opt("name", STR),
            opt("description", STR),
            opt("target_audience", STR),
            opt(
                "media",
                Kind::Array(&Kind::Object(&Schema::of(&[
                    opt("type", Kind::IntEnum(&[1, 2])),
                    opt("name", STR),
                    opt("url", STR),
                    opt("description", STR),
                ]))),
            ),
        ],
        // Without a URL the product is described by hand (D57).
        rules: &[Rule::AtLeastOne(&["url", "name"])],
    },
};

/// `PUT /v1/product`.
pub static UPDATE_PRODUCT: Operation = Operation {
    version: Version::V1,
    method: Method::Put,
    path: "/product",
    name: "update_product",
    poll_with: None,
    schema: &Schema::of(&[
        req("product_id", STR),
        opt("name", STR),
        opt("description", STR),
        opt("target_audience", STR),
        opt(
            "media",
            Kind::Array(&Kind::Object(&Schema::of(&[
                opt("type", Kind::IntEnum(&[1, 2])),
                opt("name", STR),
                opt("url", STR),
                opt("description", STR),
            ]))),
        ),
    ]),
};
