//! Server functions of the client portal.

use leptos::prelude::*;

use super::model::ClientAccount;
use crate::error::AppError;

/// The signed-in client user's own account.
#[server(endpoint = "app/account")]
pub async fn my_account() -> Result<ClientAccount, AppError> {
    use crate::{
        auth::{
            model::{Perm, PrincipalKind},
            require,
        },
        state::pool,
    };

    let me = require(Perm::ClientPortal).await?;
    let PrincipalKind::ClientUser {
        partner_id,
        client_id,
        ..
    } = me.kind
    else {
        return Err(AppError::Forbidden);
    };
    super::queries::account(&pool()?, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)
}
