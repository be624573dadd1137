//! Server functions for starting and ending an impersonation, and for the client owner's
//! view of (and switch for) support access.

use leptos::prelude::*;

use super::model::SupportAccessPage;
use crate::error::AppError;

/// Asks to log in as `client_id` with a `reason`. Returns (and, for a plain form, redirects
/// to) the single-use link, valid for a minute.
#[server(endpoint = "partner/clients/impersonate")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn start_impersonation(
    input: super::model::ImpersonationRequest,
) -> Result<String, AppError> {
    use super::{queries, TOKEN_SECONDS};
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::FieldErrors,
        program::token,
        state::pool,
    };

    // A client user (and so a reseller already acting as one) lacks this permission: no nesting.
    let me = require(Perm::Impersonate).await?;
    let super::model::ImpersonationRequest { client_id, reason } = input;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let reason = reason.trim().to_string();
    if !(3..=500).contains(&reason.chars().count()) {
        let mut errors = FieldErrors::new();
        errors.add(
            "reason",
            "Say briefly why you need access (3 to 500 characters).",
        );
        return Err(AppError::Validation(errors.keep("reason", reason)));
    }
    let mut tx = pool()?.begin().await?;
    let (owner, access_enabled, open) = queries::owner_to_act_as(&mut tx, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !access_enabled {
        return Err(AppError::Conflict(
            "This client has turned reseller access off.".into(),
        ));
    }
    if !open {
        return Err(AppError::Conflict(
            "A canceled client cannot be accessed.".into(),
        ));
    }
    let Some(owner) = owner else {
        return Err(AppError::Conflict(
            "This client has no user yet: its owner has not accepted the invitation.".into(),
        ));
    };
    let (link_token, hash) = token::new_token();
    let id = queries::create(
        &mut tx,
        &queries::NewImpersonation {
            partner_id,
            client_id,
            real_user: me.user_id,
            acting_user: owner,
            reason: &reason,
            token_hash: &hash,
            token_seconds: TOKEN_SECONDS,
        },
    )
    .await?;
    let mut entry = AuditEntry::by(&me, Action::ImpersonationRequested)
        .target("client", client_id)
        .detail(serde_json::json!({ "reason": reason }));
    entry.impersonation = Some(id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    let url = format!("/impersonate/{link_token}");
    crate::state::redirect_plain_form(&url);
    Ok(url)
}

/// Ends the current impersonation and goes back to the client's page in the partner area.
#[server(endpoint = "app/impersonation/end")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn end_impersonation() -> Result<String, AppError> {
    use crate::auth::acting::acting;
    use crate::auth::acting::finish;
    use crate::{auth::guard::session, state::pool};

    // Guard: only a session that is acting as a client can end it.
    let session = session().await?;
    let pool = pool()?;
    let Some(state) = acting(&session).await? else {
        return Err(AppError::Forbidden);
    };
    finish(&pool, &session, &state, "ended by the reseller").await?;
    let destination = format!("/partner/clients/{}", state.client_id);
    crate::state::redirect_plain_form(&destination);
    Ok(destination)
}

/// Every reseller access to the caller's client account, for its owner.
#[server(endpoint = "app/support-access")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_support_access() -> Result<SupportAccessPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientAdmin).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let (reseller_name, access_enabled) =
        super::queries::reseller_access(&pool, partner_id, client_id).await?;
    Ok(SupportAccessPage {
        reseller_name,
        access_enabled,
        accesses: super::queries::accesses(&pool, partner_id, client_id).await?,
    })
}

/// Turns the reseller's access to this account on or off. Turning it off ends any
/// impersonation in progress at its next request.
#[server(endpoint = "app/support-access/set")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_reseller_access(enabled: bool) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientAdmin).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    let mut tx = pool()?.begin().await?;
    super::queries::set_reseller_access(&mut tx, partner_id, client_id, enabled).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ResellerAccessChanged)
            .target("client", client_id)
            .detail(serde_json::json!({ "enabled": enabled })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
