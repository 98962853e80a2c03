//! v2 webhook endpoints. Same objects as v1, stricter requests: create and update both take
//! `url`, `status` and `events`, and an update replaces all three (D43, D44).

use serde::Serialize;
use serde::de::IgnoredAny;
use serde_json::json;

use crate::api::v1::webhooks::{
    ENDPOINT_ID, EndpointStatus, WebhookEndpoint, secret_of_created, with_path_param,
};
use crate::client::Client;
use crate::de::Listed;
use crate::error::Result;
use crate::operation::Method;
use crate::operation::{Endpoint, Operation, Version};
use crate::schema::{Field, Kind, Schema};

// The members of a v2 create or update: all three required.
const URL: Field = Field {
    name: "url",
    kind: Kind::Uri,
    required: true,
};
const STATUS: Field = Field {
    name: "status",
    kind: Kind::StrEnum(EndpointStatus::WORDS),
    required: true,
};
const EVENTS: Field = Field {
    name: "events",
    kind: Kind::Array(&crate::schema::STR),
    required: true,
};

/// `GET /v2/endpoints`.
pub(crate) static LIST_WEBHOOK_ENDPOINTS: Endpoint<Listed<WebhookEndpoint>> =
    Endpoint::new(Operation {
        version: Version::V2,
        method: Method::Get,
        path: "/v2/endpoints",
        name: "list_webhook_endpoints",
        schema: &Schema {
            fields: &[],
            rules: &[],
        },
        ..Operation::BASE
    });

/// `POST /v2/endpoint`.
pub(crate) static CREATE_WEBHOOK_ENDPOINT: Endpoint<WebhookEndpoint> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Post,
    path: "/v2/endpoint",
    name: "create_webhook_endpoint",
    schema: &Schema {
        fields: &[URL, STATUS, EVENTS],
        rules: &[],
    },
    signing_secret: Some(secret_of_created),
    ..Operation::BASE
});

/// `PUT /v2/endpoint/{endpoint_id}`: a full replacement.
pub(crate) static UPDATE_WEBHOOK_ENDPOINT: Endpoint<WebhookEndpoint> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Put,
    path: "/v2/endpoint/{endpoint_id}",
    name: "update_webhook_endpoint",
    schema: &Schema {
        fields: &[ENDPOINT_ID, URL, STATUS, EVENTS],
        rules: &[],
    },
    ..Operation::BASE
});

/// `DELETE /v2/endpoint/{endpoint_id}`.
pub(crate) static DELETE_WEBHOOK_ENDPOINT: Endpoint<IgnoredAny> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Delete,
    path: "/v2/endpoint/{endpoint_id}",
    name: "delete_webhook_endpoint",
    schema: &Schema {
        fields: &[ENDPOINT_ID],
        rules: &[],
    },
    ..Operation::BASE
});

/// `GET /v2/events`.
pub(crate) static LIST_WEBHOOK_EVENTS: Endpoint<Listed<String>> = Endpoint::new(Operation {
    version: Version::V2,
    method: Method::Get,
    path: "/v2/events",
    name: "list_webhook_events",
    schema: &Schema {
        fields: &[],
        rules: &[],
    },
    ..Operation::BASE
});

/// A whole v2 endpoint configuration, for create and for update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookEndpointSpec {
    pub url: String,
    pub status: EndpointStatus,
    pub events: Vec<String>,
}

impl WebhookEndpointSpec {
    /// An enabled endpoint at `url` for `events`.
    pub fn new<S: Into<String>>(
        url: impl Into<String>,
        events: impl IntoIterator<Item = S>,
    ) -> Self {
        WebhookEndpointSpec {
            url: url.into(),
            status: EndpointStatus::Enabled,
            events: events.into_iter().map(Into::into).collect(),
        }
    }
}

/// The webhooks operations: `client.v2().webhooks()`.
#[derive(Clone, Copy, Debug)]
pub struct Webhooks<'c> {
    pub(crate) client: &'c Client,
}

impl Webhooks<'_> {
    /// Every webhook endpoint of this API key.
    pub fn list_endpoints(&self) -> Result<Vec<WebhookEndpoint>> {
        Ok(self.client.fetch(&LIST_WEBHOOK_ENDPOINTS, &json!({}))?.0)
    }

    /// Registers an endpoint; the reply carries its signing `secret`.
    pub fn create_endpoint(&self, spec: &WebhookEndpointSpec) -> Result<WebhookEndpoint> {
        let op = &CREATE_WEBHOOK_ENDPOINT;
        self.client.request(op, spec)
    }

    /// Replaces an endpoint's URL, status and events.
    pub fn update_endpoint(
        &self,
        endpoint_id: &str,
        spec: &WebhookEndpointSpec,
    ) -> Result<WebhookEndpoint> {
        let params = with_path_param(self.client.to_params(spec)?, "endpoint_id", endpoint_id);
        let op = &UPDATE_WEBHOOK_ENDPOINT;
        self.client.fetch(op, &params)
    }

    /// Deletes an endpoint at once.
    pub fn delete_endpoint(&self, endpoint_id: &str) -> Result<()> {
        self.client.fetch(
            &DELETE_WEBHOOK_ENDPOINT,
            &json!({ "endpoint_id": endpoint_id }),
        )?;
        Ok(())
    }

    /// The event names endpoints may subscribe to.
    pub fn list_events(&self) -> Result<Vec<String>> {
        Ok(self.client.fetch(&LIST_WEBHOOK_EVENTS, &json!({}))?.0)
    }
}
