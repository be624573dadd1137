//! Server functions of `/partner/api-keys`: the owner's alone, and never while acting as a
//! client (a key would outlive the impersonation). Each change is audited in its own
//! transaction.

use leptos::prelude::*;

use super::model::{ApiKeysPage, CreatedKey, NewKeyInput, RevokeKeyInput};
use crate::{error::AppError, program::Position};

/// Where a key made by a plain form post waits for the page that follows it, read once.
#[cfg(feature = "ssr")]
const CREATED_FLASH: &str = "api_key_created";

/// The owner and their partner.
#[cfg(feature = "ssr")]
async fn require_owner() -> Result<(crate::auth::model::Principal, uuid::Uuid), AppError> {
    let me = crate::auth::require(crate::auth::model::Perm::ApiKeys).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    Ok((me, partner_id))
}

/// A page of the partner's keys, newest first, and the key just made by a form post.
#[server(endpoint = "api-keys")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_api_keys(position: Option<Position>) -> Result<ApiKeysPage, AppError> {
    use crate::state::pool;

    let (_, partner_id) = require_owner().await?;
    let pool = pool()?;
    let (keys, links) =
        super::queries::list(&pool, partner_id, &position.unwrap_or_default()).await?;
    let created = crate::auth::guard::session()
        .await?
        .remove::<CreatedKey>(CREATED_FLASH)
        .await?;
    Ok(ApiKeysPage {
        keys,
        links,
        active: super::queries::active_count(&pool, partner_id).await?,
        created,
    })
}

/// Makes a key with a name, scopes and a lifetime. Its secret is answered once (with
/// JavaScript) or kept in the session for the one page that follows (without), and only
/// its hash is stored.
#[server(endpoint = "api-keys/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_api_key(input: NewKeyInput) -> Result<CreatedKey, AppError> {
    use super::{
        model::{ApiScope, ACTIVE_KEYS_MAX},
        token::{self, Kind},
    };
    use crate::{
        audit::{Action, AuditEntry},
        error::{FieldErrors, ResultExt},
        state::pool,
    };

    let (me, partner_id) = require_owner().await?;
    let key = input.validate().map_err(AppError::Validation)?;
    let secret = token::generate(Kind::Key);
    let mut tx = pool()?.begin().await?;
    let inserted = super::queries::insert(
        &mut tx,
        partner_id,
        me.user_id,
        &key,
        &token::shown(&secret),
        &token::hash(&secret),
    )
    .await
    .on_constraint(super::queries::LIVE_NAME, |_| {
        FieldErrors::one(
            "name",
            "A key in use already has this name: choose another.",
        )
    })?;
    let Some((id, expires_at)) = inserted else {
        return Err(AppError::Validation(
            FieldErrors::form(format!(
                "Your partner holds {ACTIVE_KEYS_MAX} keys in use, the most allowed: revoke one first."
            ))
            .keep("name", &key.name),
        ));
    };
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ApiKeyCreated)
            .target("api_key", id)
            .detail(serde_json::json!({
                "name": key.name,
                "shown": token::shown(&secret),
                "scopes": ApiScope::join(&key.scopes),
                "expires_at": expires_at,
            })),
    )
    .await?;
    tx.commit().await?;
    let created = CreatedKey {
        id,
        name: key.name,
        secret,
        expires_at,
    };
    if crate::state::is_plain_form_post() {
        crate::auth::guard::session()
            .await?
            .insert(CREATED_FLASH, &created)
            .await?;
        crate::state::redirect_plain_form("/partner/api-keys?done=created");
    }
    Ok(created)
}

/// Revokes a key at once: the API refuses it and every bearer token made from it from the
/// next request on.
#[server(endpoint = "api-keys/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn revoke_api_key(input: RevokeKeyInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        state::pool,
    };

    let (me, partner_id) = require_owner().await?;
    let key_id = input.confirmed().map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    let name = super::queries::revoke(&mut tx, partner_id, key_id, me.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ApiKeyRevoked)
            .target("api_key", key_id)
            .detail(serde_json::json!({ "name": name })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/api-keys?done=revoked");
    Ok(())
}
