//! The layer that ends a session at its absolute lifetime (`session.absolute_hours` after
//! sign-in, however active it was), closing an impersonation left open in it.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use tower_sessions::Session;
use uuid::Uuid;

use super::{
    acting::{end_session, signed_in_at},
    guard::SESSION_USER_ID,
};
use crate::{error::AppError, state::AppState};

/// Paths that never need the session (static files).
pub fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
        || path == "/charts.js"
        || path == "/favicon.svg"
}

pub async fn enforce(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if !is_static(request.uri().path()) {
        let lifetime = Duration::hours(state.settings.session.absolute_hours);
        if let Err(error) = end_if_too_old(&state.pool, &session, lifetime).await {
            return error.into_response();
        }
    }
    next.run(request).await
}

/// Ends a signed-in session older than `lifetime` (or one that does not know when it began).
async fn end_if_too_old(
    pool: &sqlx::PgPool,
    session: &Session,
    lifetime: Duration,
) -> Result<(), AppError> {
    if session.get::<Uuid>(SESSION_USER_ID).await?.is_none() {
        return Ok(());
    }
    let too_old = signed_in_at(session)
        .await?
        .is_none_or(|started| Utc::now() - started > lifetime);
    if too_old {
        tracing::info!("session reached its absolute lifetime");
        end_session(pool, session, "the session reached its time limit").await?;
        session.flush().await?;
    }
    Ok(())
}
