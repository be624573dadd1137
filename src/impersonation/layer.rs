//! The layer that ends an impersonation the moment it stops being allowed: expiry, the
//! client turning reseller access off, or the reseller member losing the right (demotion,
//! removal, suspension). It runs before every request that could use the session.

use axum::{
    extract::{Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use sqlx::PgPool;
use tower_sessions::Session;

use super::queries;
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{
        acting::{ImpersonationState, SESSION_IMPERSONATION},
        model::Perm,
        queries::load_principal,
    },
    error::AppError,
    state::AppState,
};

/// Paths that never need the session (static files).
fn is_static(path: &str) -> bool {
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
    if is_static(request.uri().path()) {
        return next.run(request).await;
    }
    match end_if_not_allowed(&state.pool, &session).await {
        Ok(Some(ended)) => {
            let page = request.method() == Method::GET
                && request
                    .headers()
                    .get(header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"));
            if page {
                // Back to the client's page in the partner area.
                return Redirect::to(&format!("/partner/clients/{}", ended.client_id))
                    .into_response();
            }
        }
        Ok(None) => {}
        Err(error) => return error_response(error),
    }
    next.run(request).await
}

fn error_response(error: AppError) -> Response {
    (
        axum::http::StatusCode::from_u16(error.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        error.to_string(),
    )
        .into_response()
}

/// Ends the session's impersonation if it may not go on; returns it when it was ended.
pub async fn end_if_not_allowed(
    pool: &PgPool,
    session: &Session,
) -> Result<Option<ImpersonationState>, AppError> {
    let Some(state) = session
        .get::<ImpersonationState>(SESSION_IMPERSONATION)
        .await?
    else {
        return Ok(None);
    };
    let real = load_principal(pool, state.real_user_id).await?;
    let allowed = real
        .as_ref()
        .is_some_and(|r| r.has(Perm::Impersonate) && r.partner_id() == Some(state.partner_id));
    let reason = if !allowed {
        Some("the reseller member may no longer log in as clients")
    } else if !queries::still_open(pool, state.id).await? {
        Some("expired, ended, or reseller access turned off")
    } else {
        None
    };
    match reason {
        Some(reason) => {
            finish(pool, session, &state, reason).await?;
            Ok(Some(state))
        }
        None => Ok(None),
    }
}

/// Ends `state`: the row is closed and audited (both identities), the session forgets it and
/// gets a new id, and the real user carries on as themselves.
pub async fn finish(
    pool: &PgPool,
    session: &Session,
    state: &ImpersonationState,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    queries::end(&mut *tx, state.id, reason).await?;
    let mut entry = AuditEntry::system(Action::ImpersonationEnded)
        .target("client", state.client_id)
        .detail(serde_json::json!({ "reason": reason }));
    entry.actor = Some(state.acting_user_id);
    entry.real_user = Some(state.real_user_id);
    entry.impersonation = Some(state.id);
    entry.partner_id = Some(state.partner_id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    session
        .remove::<ImpersonationState>(SESSION_IMPERSONATION)
        .await?;
    session.cycle_id().await?;
    Ok(())
}
