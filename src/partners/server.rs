//! Server functions for a partner's members.

use leptos::prelude::*;

use super::model::PartnerOverview;
use crate::error::AppError;

/// The caller's own partner: name, tier and client counts.
#[server(endpoint = "partner/overview")]
pub async fn get_partner_overview() -> Result<PartnerOverview, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    super::queries::overview(&pool()?, partner_id)
        .await?
        .ok_or(AppError::NotFound)
}
