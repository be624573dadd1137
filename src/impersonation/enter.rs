//! `GET /impersonate/:token`: uses up the start link and turns the session into the client's.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::HashedStylesheet;
use tower_sessions::Session;
use uuid::Uuid;

use super::queries;
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{
        acting::{ImpersonationState, SESSION_IMPERSONATION},
        guard::SESSION_USER_ID,
        model::Perm,
        queries::load_principal,
    },
    program::token,
    state::AppState,
};

/// A plain page of its own (this route is not a Leptos page), with the site's stylesheet
/// under its built name.
fn page(options: &LeptosOptions, status: StatusCode, title: &str, text: &str) -> Response {
    let stylesheet = view! { <HashedStylesheet options=options.clone() /> }.to_html();
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Partner Portal</title>\
         {stylesheet}</head><body><main id=\"main\">\
         <section class=\"status-page\"><h1>{title}</h1><p>{text}</p><p><a href=\"/partner\">Back to the partner area</a></p>\
         </section></main></body></html>"
    );
    (status, Html(html)).into_response()
}

pub async fn enter(
    State(state): State<AppState>,
    session: Session,
    Path(link): Path<String>,
) -> Response {
    match start(&state, &session, &link).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(?error, "impersonation start failed");
            page(
                &state.leptos_options,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Please try again in a moment.",
            )
        }
    }
}

async fn start(
    state: &AppState,
    session: &Session,
    link: &str,
) -> Result<Response, crate::error::AppError> {
    let Some(real_user) = session.get::<Uuid>(SESSION_USER_ID).await? else {
        return Ok(page(
            &state.leptos_options,
            StatusCode::UNAUTHORIZED,
            "Please sign in",
            "Sign in to the partner area, then start again.",
        ));
    };
    if session
        .get::<ImpersonationState>(SESSION_IMPERSONATION)
        .await?
        .is_some()
    {
        return Ok(page(
            &state.leptos_options,
            StatusCode::CONFLICT,
            "You are already acting as a client",
            "End the current session before logging in as another client.",
        ));
    }
    let signed_in_at = crate::auth::acting::signed_in_at(session).await?;
    let real = load_principal(&state.pool, real_user, signed_in_at).await?;
    let Some(real) = real.filter(|r| r.has(Perm::Impersonate)) else {
        return Ok(page(
            &state.leptos_options,
            StatusCode::FORBIDDEN,
            "Not allowed",
            "Your role cannot log in as clients.",
        ));
    };
    if !token::looks_valid(link) {
        return Ok(page(
            &state.leptos_options,
            StatusCode::NOT_FOUND,
            "This link is not valid",
            "Start again from the client's page.",
        ));
    }
    // Never beyond the reseller's own session: its idle expiry, and its absolute lifetime
    // (which an impersonation never moves).
    let idle_end = DateTime::<Utc>::from_timestamp(session.expiry_date().unix_timestamp(), 0)
        .unwrap_or_else(Utc::now);
    let absolute_end = crate::auth::acting::signed_in_at(session)
        .await?
        .unwrap_or_else(Utc::now)
        + chrono::Duration::hours(state.settings.session.absolute_hours);
    let session_end = idle_end.min(absolute_end);
    let mut tx = state.pool.begin().await?;
    let Some(started) =
        queries::consume(&mut tx, &token::hash(link), real.user_id, session_end).await?
    else {
        return Ok(page(
            &state.leptos_options,
            StatusCode::GONE,
            "This link has expired or was used",
            "Links to log in as a client work once, for one minute. Start again from the client's page.",
        ));
    };
    let mut entry =
        AuditEntry::system(Action::ImpersonationStarted).target("client", started.client_id);
    entry.actor = Some(started.acting_user_id);
    entry.real_user = Some(real.user_id);
    entry.impersonation = Some(started.id);
    entry.partner_id = Some(started.partner_id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;

    session.cycle_id().await?;
    session
        .insert(
            SESSION_IMPERSONATION,
            ImpersonationState {
                id: started.id,
                real_user_id: real.user_id,
                real_name: real.display_name.clone(),
                acting_user_id: started.acting_user_id,
                partner_id: started.partner_id,
                client_id: started.client_id,
                expires_at: started.expires_at,
            },
        )
        .await?;
    Ok(Redirect::to("/app").into_response())
}
