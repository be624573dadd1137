//! Measuring every request for `/metrics`, serving `/metrics`, and shedding load: past
//! `site.max_in_flight` requests at once, a request is answered 503 with `Retry-After`
//! at once instead of queueing until everything times out.

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{Arc, OnceLock},
    time::Instant,
};

use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    metrics::{RouteLabels, Snapshot},
    state::AppState,
};

/// Where the router writes the route a request matched, for the outer layer to read.
#[derive(Clone, Default)]
struct RouteSlot(Arc<OnceLock<String>>);

/// Outermost: times the request and counts it under its route (never its raw path, so that
/// ids in paths do not make a label per client).
pub async fn track(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let slot = RouteSlot::default();
    request.extensions_mut().insert(slot.clone());
    let method = request.method().to_string();
    let is_static = crate::auth::lifetime::is_static(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let route = match slot.0.get() {
        Some(route) => route.clone(),
        None if is_static => "static".to_string(),
        None => "other".to_string(),
    };
    state.metrics.observe(
        RouteLabels {
            method,
            route,
            status: response.status().as_u16(),
        },
        started.elapsed().as_secs_f64(),
    );
    response
}

/// Runs after routing (a route layer): names the matched route.
pub async fn name_route(request: Request, next: Next) -> Response {
    if let (Some(slot), Some(path)) = (
        request.extensions().get::<RouteSlot>(),
        request.extensions().get::<MatchedPath>(),
    ) {
        let _ = slot.0.set(path.as_str().to_string());
    }
    next.run(request).await
}

/// The answer to a request shed under overload.
pub fn overloaded(state: &AppState) -> Response {
    state.metrics.shed.inc();
    tracing::warn!("request shed: too many requests in flight");
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        crate::error::AppError::Unavailable { retry_after: 1 }.to_string(),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Turns the load-shedding layer's refusal into [`overloaded`].
pub fn shed_handler(
    state: AppState,
) -> impl Fn(tower::BoxError) -> std::future::Ready<Result<Response, Infallible>> + Clone {
    move |_| std::future::ready(Ok(overloaded(&state)))
}

/// `/metrics`, for Prometheus. With `PORTAL_METRICS_TOKEN` set it asks for that bearer
/// token; without, it answers only on the loopback interface (a scraper on the same host,
/// or one that reaches it through an SSH tunnel or sidecar).
pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
) -> Response {
    let allowed = match &state.settings.site.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::program::token::same(given, token)),
        None => peer.ip().is_loopback(),
    };
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    let pool = &state.pool;
    let outbox_depth = match crate::mail::outbox_depth(pool).await {
        Ok(depth) => depth,
        Err(error) => {
            tracing::warn!(%error, "outbox depth could not be read for /metrics");
            -1
        }
    };
    let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
    let snapshot = Snapshot {
        pool_in_use: i64::from(pool.size()) - idle,
        pool_idle: idle,
        pool_max: i64::from(pool.options().get_max_connections()),
        outbox_depth,
        hashes_running: i64::try_from(crate::auth::password::hashes_running().0)
            .unwrap_or(i64::MAX),
    };
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&snapshot),
    )
        .into_response()
}
