//! Server functions of the client portal. Every query is scoped by the caller's own client
//! and partner; managing users needs the client's owner and is refused to a reseller acting
//! as the client.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{AccountUser, ClientAccount};
use crate::error::AppError;

/// The signed-in client user's own account.
#[server(endpoint = "app/account")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn my_account() -> Result<ClientAccount, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientPortal).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    super::queries::account(&pool()?, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Updates the account's contact name and phone. Allowed to a reseller acting as the client
/// (and audited with both identities).
#[server(endpoint = "app/account/contact")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_contact(input: super::model::ContactInput) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientPortal).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    let (contact_name, contact_phone) = input.validate().map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    super::queries::update_contact(
        &mut tx,
        partner_id,
        client_id,
        &contact_name,
        contact_phone.as_deref(),
    )
    .await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ClientContactUpdated)
            .target("client", client_id)
            .detail(
                serde_json::json!({ "contact_name": contact_name, "contact_phone": contact_phone }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's users.
#[server(endpoint = "app/users")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_account_users() -> Result<Vec<AccountUser>, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientPortal).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    Ok(super::queries::users(&pool()?, partner_id, client_id).await?)
}

/// Invites a user to the account (the owner only; never while a reseller is acting).
#[server(endpoint = "app/users/invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(email)))]
pub async fn invite_account_user(email: String) -> Result<(), AppError> {
    use crate::{
        auth::{model::Perm, require},
        error::FieldErrors,
        state::pool,
    };

    let me = require(Perm::ClientAdmin).await?;
    let crate::auth::model::PrincipalKind::ClientUser {
        partner_id,
        client_id,
        ref client_name,
        ..
    } = me.kind
    else {
        return Err(AppError::Forbidden);
    };
    let email = email.trim().to_lowercase();
    if let Err(message) = crate::program::Email::parse(&email) {
        let mut errors = FieldErrors::new();
        errors.add("email", message);
        return Err(AppError::Validation(errors.keep("email", email)));
    }
    let mut tx = pool()?.begin().await?;
    crate::clients::invite::invite_client_user(
        &mut tx,
        &me,
        partner_id,
        client_id,
        client_name,
        &email,
        false,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a user from the account and disables their sign-in (the owner only; not
/// themselves; never while a reseller is acting).
#[server(endpoint = "app/users/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn remove_account_user(user_id: Uuid) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::ClientAdmin).await?;
    let (partner_id, client_id) = me.client_scope().ok_or(AppError::Forbidden)?;
    if user_id == me.user_id {
        return Err(AppError::Conflict("You cannot remove yourself.".into()));
    }
    let mut tx = pool()?.begin().await?;
    let removed = super::queries::remove_user(&mut tx, partner_id, client_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ClientUserRemoved).target("user", removed),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
