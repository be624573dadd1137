//! Server functions of the admin area.

use leptos::prelude::*;

use super::model::{PartnerPage, ProgramOverview};
use crate::{error::AppError, program::Position};

/// A page of the partners by name, for admins (the first page without a position).
#[server(endpoint = "admin/partners")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_partners(position: Option<Position>) -> Result<PartnerPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let (rows, links, total) =
        super::queries::list_partners(&pool()?, &position.unwrap_or_default()).await?;
    Ok(PartnerPage { rows, links, total })
}

/// Payouts due shown on the overview; the payouts page lists them all.
#[cfg(feature = "ssr")]
const PAYOUTS_SHOWN: i64 = 25;

/// How long the program overview's totals, leaderboard and payouts due may lag.
#[cfg(feature = "ssr")]
const LEADERBOARD_LIFETIME: std::time::Duration = std::time::Duration::from_secs(5);

/// The program overview: MRR, partners by tier, the leaderboard and payouts coming due.
#[server(endpoint = "admin/overview")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_program_overview() -> Result<ProgramOverview, AppError> {
    use crate::{
        auth::{model::Perm, require},
        program::Month,
        program::Tier,
        state::pool,
    };

    require(Perm::Admin).await?;
    let pool = pool()?;
    let now = chrono::Utc::now();
    // Every partner's figures, added up at most once per LEADERBOARD_LIFETIME for all
    // admins' views: the overview may lag that much.
    let rows = crate::state::snapshots()?
        .get("admin.leaderboard", LEADERBOARD_LIFETIME, || {
            super::queries::leaderboard(&pool, Month::containing(now))
        })
        .await?;
    let partners_by_tier = Tier::ALL
        .into_iter()
        .map(|t| (t, rows.iter().filter(|r| r.tier == t).count() as i64))
        .collect();
    let mut top_by_mrr: Vec<_> = rows.iter().filter(|r| !r.mrr.is_zero()).cloned().collect();
    top_by_mrr.sort_by(|a, b| b.mrr.cmp(&a.mrr).then(a.name.cmp(&b.name)));
    top_by_mrr.truncate(10);
    let mut top_by_growth: Vec<_> = rows
        .iter()
        .filter(|r| r.change() > rust_decimal::Decimal::ZERO)
        .cloned()
        .collect();
    top_by_growth.sort_by(|a, b| b.change().cmp(&a.change()).then(a.name.cmp(&b.name)));
    top_by_growth.truncate(10);
    let horizon = now.date_naive() + chrono::Duration::days(30);
    // The unpaid payouts due add up 10,000 rows at 5,000 partners: a snapshot too. The list
    // of the first ones due, read below, is always current.
    let due = crate::state::snapshots()?
        .get("admin.payouts_due", LEADERBOARD_LIFETIME, || {
            super::queries::payouts_due(&pool, horizon)
        })
        .await?;
    let (due_count, due_total) = *due;
    let (payouts_due, more) = crate::commissions::queries::payouts(
        &pool,
        None,
        Some(horizon),
        &crate::program::Position::First,
        PAYOUTS_SHOWN,
    )
    .await?;
    Ok(ProgramOverview {
        mrr: rows.iter().map(|r| r.mrr).sum(),
        mrr_last_month: rows.iter().map(|r| r.mrr_last_month).sum(),
        partners_by_tier,
        top_by_mrr,
        top_by_growth,
        payouts_due,
        more_payouts_due: more.next.is_some(),
        due_count,
        due_total,
    })
}
