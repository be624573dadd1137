//! Server functions for a partner's members.

use leptos::prelude::*;

use super::model::{Dashboard, PartnerOverview};
use crate::error::AppError;

/// The caller's own partner: name, tier and client counts.
#[server(endpoint = "partner/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
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

/// The dashboard: clients, tier, charts and activity for every member; MRR, commissions and
/// payouts only for roles that may see commissions.
#[server(endpoint = "partner/dashboard")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    super::dashboard::dashboard(
        &pool()?,
        partner_id,
        me.has(Perm::Commissions),
        &me.audit_audiences(),
        chrono::Utc::now(),
    )
    .await
}
