//! Server functions answer every error with status 500; this layer gives each `AppError`
//! its own status (401, 403, 404, 422, ...), so that clients, logs and tests can tell a
//! refusal from a failure.

use axum::{body::Body, extract::Request, http::StatusCode, middleware::Next, response::Response};
use leptos::server_fn::error::FromServerFnError;

use crate::error::AppError;

/// Error bodies are small; anything bigger is not one of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_app_error(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let error = AppError::de(bytes.clone());
    if let Ok(status) = StatusCode::from_u16(error.status_code()) {
        parts.status = status;
    }
    if let Some(seconds) = error.retry_after() {
        parts
            .headers
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    Response::from_parts(parts, Body::from(bytes))
}
