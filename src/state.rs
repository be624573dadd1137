//! What the server shares with every request: the pool, the settings, the Leptos options.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sqlx::PgPool;

use crate::{config::Settings, error::AppError};

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    pub leptos_options: LeptosOptions,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Reference data cached until its table changes (its listener is started by `main`).
    pub references: Arc<crate::db::reference::ReferenceCache>,
    /// Program-wide figures that may lag a few seconds, computed once per lifetime.
    pub snapshots: Arc<crate::db::snapshot::Snapshots>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state the router provides to the reactive owner of every request.
///
/// A server function started while a page renders runs on a task of its own and outlives
/// its request when the reader goes away (a closed tab, a proxy's timeout, a load test
/// ending): the request's owner is then dropped, and with it the state. Nobody will read
/// the answer, so the work stops here, before its next trip to the database, and quietly:
/// it is not a fault of the portal. (Before, every such call logged an error: 85 in ten
/// seconds under load.) No owner at all is a wiring mistake, and is logged as one.
fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        if Owner::current().is_some() {
            tracing::debug!("the request was abandoned; its remaining work stops");
        } else {
            tracing::error!("a server function ran outside any request");
        }
        AppError::Internal
    })
}

/// The database pool, from the state the router provides to every server function.
pub fn pool() -> Result<PgPool, AppError> {
    app_state().map(|state| state.pool)
}

/// The metrics, from the state the router provides.
pub fn metrics() -> Result<Arc<crate::metrics::Metrics>, AppError> {
    app_state().map(|state| state.metrics)
}

/// The reference data cache, from the state the router provides.
pub fn references() -> Result<Arc<crate::db::reference::ReferenceCache>, AppError> {
    app_state().map(|state| state.references)
}

/// The snapshots of program-wide figures, from the state the router provides.
pub fn snapshots() -> Result<Arc<crate::db::snapshot::Snapshots>, AppError> {
    app_state().map(|state| state.snapshots)
}

/// The settings, from the state the router provides.
pub fn settings() -> Result<Arc<Settings>, AppError> {
    app_state().map(|state| state.settings)
}

/// Redirects a plain HTML form post (no JavaScript) to `path`. With JavaScript the caller
/// handles the answer itself (e.g. a full page load to a route outside the app).
pub fn redirect_plain_form(path: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// Whether this call is a plain HTML form post (the browser asks for a page back), not a
/// call from the WebAssembly.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}
