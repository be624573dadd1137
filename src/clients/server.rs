//! Server functions for a partner's client accounts.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::ClientDetail;
use crate::error::AppError;

/// One of the caller's partner's clients.
#[server(endpoint = "partner/client")]
pub async fn get_client(client_id: Uuid) -> Result<ClientDetail, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    super::queries::find(&pool()?, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)
}
