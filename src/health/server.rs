//! Server functions of health and the leaderboard: every member reads their partner's
//! health trend and the board; the owner decides whether the partner's name shows on it.

use leptos::prelude::*;

use super::model::{HealthMonth, Leaderboard};
use crate::error::AppError;

/// The partner's health, newest month first (the dashboard's card).
#[server(endpoint = "health")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_health() -> Result<Vec<HealthMonth>, AppError> {
    let me = crate::auth::require(crate::auth::model::Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    Ok(super::queries::trend(&crate::state::pool()?, partner_id).await?)
}

/// The latest closed month's board: the top places (other partners named only if they
/// opted in) and the partner's own place.
#[server(endpoint = "leaderboard")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_leaderboard() -> Result<Leaderboard, AppError> {
    use crate::auth::model::Perm;

    let me = crate::auth::require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = crate::state::pool()?;
    let (own, partners, opted_in) = super::queries::own(&pool, partner_id).await?;
    let (month, top, own) = match own {
        Some((month, line)) => (
            Some(month.format("%Y-%m").to_string()),
            super::queries::top(&pool, partner_id, month, super::model::LEADERBOARD_TOP).await?,
            Some(line),
        ),
        None => (None, Vec::new(), None),
    };
    Ok(Leaderboard {
        month,
        top,
        own,
        partners,
        opted_in,
        can_opt: me.has(Perm::Team),
    })
}

/// Shows (or hides) the partner's name on other partners' leaderboard. The owner's.
#[server(endpoint = "leaderboard/opt-in")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_leaderboard_opt_in(opt_in: Option<String>) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Team).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let show = matches!(opt_in.as_deref(), Some("on" | "true" | "yes"));
    let mut tx = crate::state::pool()?.begin().await?;
    if super::queries::set_opt_in(&mut tx, partner_id, show).await? {
        crate::audit::record(
            &mut *tx,
            AuditEntry::by(&me, Action::LeaderboardVisibilityChanged)
                .target("partner", partner_id)
                .detail(serde_json::json!({ "name_shown": show })),
        )
        .await?;
    }
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/leaderboard?done=saved");
    Ok(())
}
