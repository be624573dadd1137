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
    auth::{
        acting::{ImpersonationState, SESSION_IMPERSONATION},
        model::Perm,
        queries::load_principal,
    },
    error::AppError,
    state::AppState,
};

pub async fn enforce(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    if crate::auth::lifetime::is_static(request.uri().path()) {
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
    let signed_in_at = crate::auth::acting::signed_in_at(session).await?;
    let real = load_principal(pool, state.real_user_id, signed_in_at).await?;
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
            crate::auth::acting::finish(pool, session, &state, reason).await?;
            Ok(Some(state))
        }
        None => Ok(None),
    }
}
