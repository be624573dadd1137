//! `GET /admin/leaderboard.csv`: the latest closed month's whole board, every partner named,
//! with its health score and parts, streamed from a database cursor. Admins only.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use tower_sessions::Session;

use crate::{
    auth::{guard::require_in, model::Perm},
    program::{
        csv::cell,
        csv_stream::{download, Chunks, CsvChunks, Failure},
    },
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

pub async fn export_leaderboard(State(state): State<AppState>, session: Session) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Admin).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let scope = crate::auth::guard::scope_of(&me);
    let filename = format!("leaderboard-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    download(filename, "leaderboard export", move |sender| {
        crate::db::scope::scoped(scope, async move { write_rows(&state.pool, &sender).await })
    })
}

async fn write_rows(pool: &sqlx::PgPool, sender: &Chunks) -> Result<(), Failure> {
    let mut csv = CsvChunks::new(
        sender,
        &[
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
        ],
    )?;
    let mut rows = sqlx::query_as::<_, Line>(
        "select h.month, h.growth_rank, p.name, p.slug, p.tier, h.mrr_growth, h.score,
                h.retention, h.growth, h.certification, h.activity
         from partner_health h join partners p on p.id = h.partner_id
         where h.month = (select max(month) from partner_health)
         order by h.growth_rank",
    )
    .fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let written = csv
            .row([
                r.month.format("%Y-%m").to_string(),
                r.growth_rank.to_string(),
                cell(&r.name),
                r.slug,
                r.tier.slug().to_string(),
                r.mrr_growth.to_string(),
                r.score.to_string(),
                r.retention.to_string(),
                r.growth.to_string(),
                r.certification.to_string(),
                r.activity.to_string(),
            ])
            .await?;
        if !written {
            return Ok(());
        }
    }
    csv.finish().await
}
