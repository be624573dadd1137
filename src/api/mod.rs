//! The partner API: `/v1` for partners' own systems (kept apart from the server functions
//! under `/api`, which serve the portal's pages), and `/oauth/token`. Callers authenticate
//! with an API key or a bearer token in the `Authorization` header; errors are RFC 9457
//! problem details.

pub mod caller;
pub mod clients;
pub mod context;
pub mod idempotency;
pub mod oauth;
pub mod problem;
pub mod rate_limit;

use axum::{
    middleware,
    routing::{get, post},
    Router,
};

use crate::state::AppState;

/// The API's routes: every `/v1` operation behind [`caller::guard`].
pub fn routes(state: &AppState) -> Router<AppState> {
    let v1 = Router::new()
        .route("/v1/clients", get(clients::list).post(clients::create))
        .route("/v1/clients/{id}", get(clients::show))
        .route_layer(middleware::from_fn_with_state(state.clone(), caller::guard));
    Router::new()
        .route("/oauth/token", post(oauth::token))
        .merge(v1)
}
