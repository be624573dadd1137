//! Server functions of `/account`. Each starts from the caller's own principal: there is no
//! user id in any request.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::input::{PasswordInput, ProfileInput};
use crate::error::AppError;

/// What the account page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub display_name: String,
    /// "Owner at Northwind", "Program admin", or the client's name.
    pub standing: String,
}

/// The signed-in person themselves, never while a reseller acts as a client: the client
/// user's account is not theirs to read or change.
#[cfg(feature = "ssr")]
pub(crate) async fn require_self() -> Result<crate::auth::model::Principal, AppError> {
    let me = crate::auth::guard::current_principal()
        .await?
        .ok_or(AppError::Unauthorized)?;
    if me.acting.is_some() {
        tracing::info!(user = %me.user_id, "account refused while impersonating");
        return Err(AppError::Forbidden);
    }
    Ok(me)
}

/// The caller's own details.
#[server(endpoint = "account")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_account() -> Result<AccountView, AppError> {
    let me = require_self().await?;
    Ok(AccountView {
        standing: crate::components::layout::role_line(&me),
        email: me.email,
        display_name: me.display_name,
    })
}

/// Changes the caller's display name. Answers with the name as stored.
#[server(endpoint = "account/profile")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn update_profile(input: ProfileInput) -> Result<String, AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        state::pool,
    };

    let me = require_self().await?;
    let name = input.validate().map_err(AppError::Validation)?;
    let pool = pool()?;
    let mut tx = pool.begin().await?;
    super::queries::set_display_name(&mut *tx, me.user_id, &name).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ProfileUpdated)
            .target("user", me.user_id)
            .detail(serde_json::json!({ "from": me.display_name, "to": name })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/account?saved=profile");
    Ok(name)
}

/// Changes the caller's password, given the current one. Every other session of the caller
/// ends; this one carries on (with a new id).
#[server(endpoint = "account/password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn change_password(input: PasswordInput) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{
            acting::SESSION_SIGNED_IN_AT,
            guard::{client_addr, session},
            password::{hash_password, verify_password},
            rate_limit::PASSWORD_CHANGE,
        },
        error::FieldErrors,
        state::pool,
    };

    let me = require_self().await?;
    let pool = pool()?;
    // Counted before the current password is checked: a session left open must not become
    // a way to guess it.
    let subject = me.user_id.to_string();
    PASSWORD_CHANGE.hit(&pool, &subject).await?;
    if let Err(errors) = input.validate(&me.email) {
        PASSWORD_CHANGE.refund(&pool, &subject).await?;
        return Err(AppError::Validation(errors));
    }
    let PasswordInput { current, new, .. } = input;
    let stored = super::queries::password_hash(&pool, me.user_id).await?;
    if !verify_password(current, stored).await? {
        return Err(FieldErrors::one(
            "current",
            "That is not your current password.",
        ));
    }
    PASSWORD_CHANGE.reset(&pool, &subject).await?;
    let hash = hash_password(new).await?;
    let now = chrono::Utc::now();
    let mut tx = pool.begin().await?;
    super::queries::set_password(&mut *tx, me.user_id, &hash, now).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::PasswordChanged)
            .target("user", me.user_id)
            .from_addr(client_addr().await),
    )
    .await?;
    tx.commit().await?;
    // This session signed in "now", so it outlives the cut; a new id as after any change of
    // privilege.
    let session = session().await?;
    session.insert(SESSION_SIGNED_IN_AT, now).await?;
    session.cycle_id().await?;
    crate::state::redirect_plain_form("/account?saved=password");
    Ok(())
}
