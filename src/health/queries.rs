//! SQL for health and the leaderboard: a partner reads its own rows; the board's top and
//! its size come through `leaderboard_top()` and `leaderboard_size()`, which answer ranks,
//! growth, tiers and opted-in names only; admins read every row.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use super::model::{BoardLine, Health, HealthMonth, TREND_MONTHS};
use crate::program::Tier;

#[derive(sqlx::FromRow)]
struct HealthRow {
    month: NaiveDate,
    retention: Decimal,
    growth: Decimal,
    certification: Decimal,
    activity: Decimal,
    score: Decimal,
    growth_rank: i32,
    partners: i32,
}

/// The partner's latest months of health, newest first.
pub async fn trend(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Vec<HealthMonth>> {
    let rows: Vec<HealthRow> = sqlx::query_as(
        "select month, retention, growth, certification, activity, score, growth_rank,
                leaderboard_size(month) as partners
         from partner_health where partner_id = $1 order by month desc limit $2",
    )
    .bind(partner_id)
    .bind(TREND_MONTHS as i64)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HealthMonth {
            month: r.month.format("%Y-%m").to_string(),
            health: Health {
                retention: r.retention,
                growth: r.growth,
                certification: r.certification,
                activity: r.activity,
                score: r.score,
            },
            rank: r.growth_rank,
            partners: i64::from(r.partners),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct LineRow {
    growth_rank: i32,
    name: Option<String>,
    tier: Tier,
    mrr_growth: Decimal,
    own: bool,
}

impl From<LineRow> for BoardLine {
    fn from(r: LineRow) -> Self {
        BoardLine {
            rank: r.growth_rank,
            name: r.name,
            tier: r.tier,
            mrr_growth: r.mrr_growth,
            own: r.own,
        }
    }
}

/// The month's top `places`, as partner `asking` may see them.
pub async fn top(
    pool: &PgPool,
    asking: Uuid,
    month: NaiveDate,
    places: i32,
) -> sqlx::Result<Vec<BoardLine>> {
    let rows: Vec<LineRow> = sqlx::query_as("select * from leaderboard_top($1, $2, $3)")
        .bind(asking)
        .bind(month)
        .bind(places)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(BoardLine::from).collect())
}

/// The partner's own line of its latest ranked month, that month, the board's size and
/// whether it opted in.
pub async fn own(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<(Option<(NaiveDate, BoardLine)>, i64, bool)> {
    let opted_in: bool =
        sqlx::query_scalar("select leaderboard_opt_in from partners where id = $1")
            .bind(partner_id)
            .fetch_one(pool)
            .await?;
    let row: Option<(NaiveDate, i32, String, Tier, Decimal, i32)> = sqlx::query_as(
        "select h.month, h.growth_rank, p.name, p.tier, h.mrr_growth,
                leaderboard_size(h.month)
         from partner_health h join partners p on p.id = h.partner_id
         where h.partner_id = $1 order by h.month desc limit 1",
    )
    .bind(partner_id)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some((month, rank, name, tier, growth, size)) => (
            Some((
                month,
                BoardLine {
                    rank,
                    name: Some(name),
                    tier,
                    mrr_growth: growth,
                    own: true,
                },
            )),
            i64::from(size),
            opted_in,
        ),
        None => (None, 0, opted_in),
    })
}

/// Sets whether the partner's name shows to other partners; whether it changed.
pub async fn set_opt_in(
    conn: &mut sqlx::PgConnection,
    partner_id: Uuid,
    opt_in: bool,
) -> sqlx::Result<bool> {
    let changed = sqlx::query(
        "update partners set leaderboard_opt_in = $2
         where id = $1 and leaderboard_opt_in <> $2",
    )
    .bind(partner_id)
    .bind(opt_in)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}
