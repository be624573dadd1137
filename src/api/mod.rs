//! The partner API: `/v1` for partners' own systems (kept apart from the server functions
//! under `/api`, which serve the portal's pages), and `/oauth/token`. Callers authenticate
//! with an API key or a bearer token in the `Authorization` header; errors are RFC 9457
//! problem details. The OpenAPI document is built from the handlers (`openapi`), served at
//! `/v1/openapi.json` and readable at `/docs/api`.

pub mod branding;
pub mod caller;
pub mod client_changes;
pub mod clients;
pub mod context;
pub mod idempotency;
pub mod key;
pub mod licenses;
pub mod metrics;
pub mod oauth;
pub mod openapi;
pub mod problem;
pub mod rate_limit;
pub mod statements;
pub mod webhooks;

use axum::{
    http::StatusCode,
    middleware,
    routing::{get, post},
    Router,
};
use serde::de::DeserializeOwned;

use crate::state::AppState;
use problem::Problem;

/// The API's routes: every `/v1` operation behind [`caller::guard`]; the token endpoint,
/// the licenses' public key and the documentation without a credential.
pub fn routes(state: &AppState) -> Router<AppState> {
    let v1 = Router::new()
        .route("/v1/key", get(key::show))
        .route("/v1/clients", get(clients::list).post(clients::create))
        .route(
            "/v1/clients/{id}",
            get(clients::show).patch(client_changes::update),
        )
        .route("/v1/clients/{id}/suspend", post(client_changes::suspend))
        .route("/v1/clients/{id}/resume", post(client_changes::resume))
        .route("/v1/clients/{id}/cancel", post(client_changes::cancel))
        .route(
            "/v1/clients/{id}/licenses",
            get(licenses::list).post(licenses::issue),
        )
        .route("/v1/licenses/{id}", get(licenses::show))
        .route("/v1/licenses/{id}/revoke", post(licenses::revoke))
        .route("/v1/metrics", get(metrics::show))
        .route("/v1/statements", get(statements::list))
        .route("/v1/statements/{month}", get(statements::show))
        .route("/v1/branding/drafts", post(branding::save_draft))
        .route("/v1/branding/publish", post(branding::publish))
        .route(
            "/v1/webhook-endpoints",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/v1/webhook-endpoints/{id}",
            axum::routing::delete(webhooks::delete),
        )
        .route(
            "/v1/webhook-endpoints/{id}/rotate-secret",
            post(webhooks::rotate_secret),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), caller::guard));
    Router::new()
        .route("/oauth/token", post(oauth::token))
        .route("/v1/licenses/public-key", get(licenses::public_key))
        .merge(openapi::routes())
        .merge(v1)
        .route("/v1/{*rest}", axum::routing::any(unknown))
}

/// A path under `/v1` that names no operation: a problem, not the portal's HTML page.
async fn unknown() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        "No API operation has this path: see /v1/openapi.json.",
    )
}

/// 201 Created with `body` as JSON and where the new resource lives.
pub fn created<T: serde::Serialize>(body: T, location: &str) -> axum::response::Response {
    use axum::{
        http::{header, HeaderValue},
        response::IntoResponse,
    };
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// A JSON object request body, or a 422 problem that says what is wrong with it. (A JSON
/// array is refused too: serde would read one as a struct's fields in order.)
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let invalid = |why: String| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input",
            format!("The body must be a JSON object of the documented shape: {why}"),
        )
    };
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|error| invalid(error.to_string()))?;
    if !value.is_object() {
        return Err(invalid("it is not an object".into()));
    }
    serde_json::from_value(value).map_err(|error| invalid(error.to_string()))
}
