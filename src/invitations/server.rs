//! Server functions behind `/invite/:token`.

use leptos::prelude::*;

use super::model::{InvitationProblem, InvitationView};
use crate::error::AppError;

/// What the invitation behind `token` offers, or why it cannot be used.
#[server(endpoint = "invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(token)))]
pub async fn get_invitation(
    token: String,
) -> Result<Result<InvitationView, InvitationProblem>, AppError> {
    use crate::state::pool;

    // Public by design: holding the token is the permission; it reveals only its own invitation.
    if !crate::program::token::looks_valid(&token) {
        return Ok(Err(InvitationProblem::Unknown));
    }
    Ok(super::queries::find(&pool()?, &crate::program::token::hash(&token)).await?)
}

/// Sets a password, creates the account, joins the partner (or the client), signs in and goes
/// to `/partner` (or `/app`).
/// A used, expired or unknown token changes nothing.
#[server(endpoint = "invitation/accept")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn accept_invitation(input: super::model::JoinInput) -> Result<String, AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{
            guard::{client_addr, session},
            password::hash_password,
            rate_limit::INVITATION_ACCEPT,
        },
        error::FieldErrors,
        state::pool,
    };

    // Guard: holding a valid token, and a per-address limit on attempts.
    let addr = client_addr().await;
    let pool = pool()?;
    let address = crate::auth::rate_limit::address_subject(addr);
    INVITATION_ACCEPT.hit(&pool, &address).await?;
    let token = &input.token;
    if !crate::program::token::looks_valid(token) {
        return Err(AppError::Validation(FieldErrors::form(
            InvitationProblem::Unknown.message(),
        )));
    }

    let mut tx = pool.begin().await?;
    let invitation =
        match super::queries::lock_open(&mut tx, &crate::program::token::hash(token)).await? {
            Ok(invitation) => invitation,
            Err(problem) => return Err(AppError::Validation(FieldErrors::form(problem.message()))),
        };
    let display_name = input
        .validate(&invitation.email)
        .map_err(AppError::Validation)?;

    let hash = hash_password(input.password).await?;
    let Some(user_id) = super::queries::accept(&mut tx, &invitation, &display_name, &hash).await?
    else {
        return Err(AppError::Validation(FieldErrors::form(
            "An account with this e-mail address already exists. Sign in instead, or ask for an invitation to another address.",
        )));
    };
    let mut entry = AuditEntry::system(Action::InvitationAccepted)
        .target("invitation", invitation.id)
        .from_addr(addr)
        .detail(serde_json::json!({ "role": invitation.role.map(|r| r.label()), "client": invitation.client_id }));
    entry.actor = Some(user_id);
    entry.partner_id = Some(invitation.partner_id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;

    crate::auth::acting::start_fresh(&pool, &session().await?, user_id).await?;
    tracing::info!(partner = %invitation.partner_name, "invitation accepted");
    // A team that requires two-factor sign-in starts its new member at setting it up.
    let must_set_up = crate::auth::queries::load_principal(&pool, user_id, None)
        .await?
        .is_some_and(|me| me.two_factor.missing());
    let destination = if invitation.client_id.is_some() {
        "/app"
    } else if must_set_up {
        "/account#two-factor"
    } else {
        "/partner"
    };
    crate::state::redirect_plain_form(destination);
    Ok(destination.into())
}
