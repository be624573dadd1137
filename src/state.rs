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
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The database pool, from the state the router provides to every server function.
pub fn pool() -> Result<PgPool, AppError> {
    use_context::<AppState>()
        .map(|state| state.pool)
        .ok_or_else(|| {
            tracing::error!("AppState is not in the reactive context");
            AppError::Internal
        })
}

/// The settings, from the state the router provides.
pub fn settings() -> Result<Arc<Settings>, AppError> {
    use_context::<AppState>()
        .map(|state| state.settings)
        .ok_or_else(|| {
            tracing::error!("AppState is not in the reactive context");
            AppError::Internal
        })
}

/// Redirects a plain HTML form post (no JavaScript) to `path`. With JavaScript the caller
/// handles the answer itself (e.g. a full page load to a route outside the app).
pub fn redirect_plain_form(path: &str) {
    let accepts_html = use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false);
    if accepts_html {
        leptos_axum::redirect(path);
    }
}
