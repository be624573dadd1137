//! Server functions of the admin area.

use leptos::prelude::*;

use super::{
    model::{PartnerPage, ProgramOverview},
    partner_list::PartnerQuery,
};
use crate::error::AppError;

/// A page of the partners under a search, filters and a sort, for admins.
#[server(endpoint = "admin/partners")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_partners(query: Option<PartnerQuery>) -> Result<PartnerPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let query = query.unwrap_or_default();
    let pool = pool()?;
    let (mut rows, links, total) = super::queries::list_partners(&pool, &query).await?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
    let levels =
        crate::certifications::queries::levels(&pool, &ids, chrono::Utc::now().date_naive())
            .await?;
    for row in &mut rows {
        row.certification = levels.get(&row.id).copied();
    }
    Ok(PartnerPage { rows, links, total })
}

/// Payouts due shown on the overview; the payouts page lists them all.
#[cfg(feature = "ssr")]
const PAYOUTS_SHOWN: i64 = 25;

/// How long the program overview's totals, leaderboards and payouts due are fresh; they may lag
/// twice that while one view recomputes them (see `db::snapshot`).
#[cfg(feature = "ssr")]
const LEADERBOARD_LIFETIME: std::time::Duration = std::time::Duration::from_secs(5);

/// The program overview: MRR, partners by tier, the leaderboard and payouts coming due.
#[server(endpoint = "admin/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_program_overview() -> Result<ProgramOverview, AppError> {
    use super::model::ProgramTotals;
    use crate::{
        auth::{model::Perm, require},
        program::Month,
        state::pool,
    };

    require(Perm::Admin).await?;
    let pool = pool()?;
    let now = chrono::Utc::now();
    let horizon = now.date_naive() + chrono::Duration::days(30);
    // Every partner's figures and the unpaid payouts due (10,000 rows at 5,000 partners),
    // added up at most once per LEADERBOARD_LIFETIME for all admins' views: the overview's
    // totals may lag that much. The list of the first payouts due, read below, is current.
    let totals = crate::state::snapshots()?
        .get("admin.totals", LEADERBOARD_LIFETIME, || async {
            let rows = super::queries::leaderboard(&pool, Month::containing(now)).await?;
            let due = super::queries::payouts_due(&pool, horizon).await?;
            Ok::<_, sqlx::Error>(ProgramTotals::add_up(&rows, due))
        })
        .await?;
    let (payouts_due, more) = crate::commissions::queries::payouts(
        &pool,
        None,
        Some(horizon),
        &crate::program::Position::First,
        PAYOUTS_SHOWN,
    )
    .await?;
    Ok(ProgramOverview {
        totals: ProgramTotals::clone(&totals),
        payouts_due,
        more_payouts_due: more.next.is_some(),
    })
}
