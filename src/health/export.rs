//! `GET /admin/leaderboard.csv` (and `.xlsx`): the latest closed month's whole board, every partner named,
//! with its health score and parts, streamed from a database cursor. Admins only.

use axum::{
    extract::{Extension, State},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use tower_sessions::Session;

use crate::{
    auth::{guard::require_in, model::Perm},
    program::download::{download, Cell, Failure, Format, Table},
    state::AppState,
};

#[derive(sqlx::FromRow)]
struct Line {
    month: chrono::NaiveDate,
    growth_rank: i32,
    name: String,
    slug: String,
    tier: crate::program::Tier,
    mrr_growth: rust_decimal::Decimal,
    score: rust_decimal::Decimal,
    retention: rust_decimal::Decimal,
    growth: rust_decimal::Decimal,
    certification: rust_decimal::Decimal,
    activity: rust_decimal::Decimal,
}

pub async fn export_leaderboard(
    State(state): State<AppState>,
    Extension(format): Extension<Format>,
    session: Session,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Admin).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let scope = crate::auth::guard::scope_of(&me);
    let name = format!("leaderboard-{}", chrono::Utc::now().format("%Y-%m-%d"));
    download(&name, format, "leaderboard export", move |sender| {
        crate::db::scope::scoped(scope, async move {
            let table = Table::new(sender, format, &HEADER)?;
            write_rows(&state.pool, table).await
        })
    })
}

const HEADER: [&str; 11] = [
    "month",
    "rank",
    "partner",
    "slug",
    "tier",
    "mrr_growth",
    "health",
    "retention",
    "growth",
    "certification",
    "activity",
];

async fn write_rows(pool: &sqlx::PgPool, mut table: Table) -> Result<(), Failure> {
    let mut rows = sqlx::query_as::<_, Line>(
        "select h.month, h.growth_rank, p.name, p.slug, p.tier, h.mrr_growth, h.score,
                h.retention, h.growth, h.certification, h.activity
         from partner_health h join partners p on p.id = h.partner_id
         where h.month = (select max(month) from partner_health)
         order by h.growth_rank",
    )
    .fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let written = table
            .row([
                Cell::Text(r.month.format("%Y-%m").to_string()),
                Cell::Count(r.growth_rank.into()),
                Cell::Text(r.name),
                Cell::Text(r.slug),
                Cell::text(r.tier.slug()),
                Cell::Money(r.mrr_growth),
                Cell::Number(r.score),
                Cell::Number(r.retention),
                Cell::Number(r.growth),
                Cell::Number(r.certification),
                Cell::Number(r.activity),
            ])
            .await?;
        if !written {
            return Ok(());
        }
    }
    table.finish().await
}
