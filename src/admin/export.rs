//! `GET /admin/partners/export.csv` (and `.xlsx`): the partner list under the current search, filters and
//! sort, streamed from a database cursor.

use axum::{
    extract::{Extension, Query, State},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use tower_sessions::Session;

use super::{model::PartnerRow, partner_list::PartnerQuery, queries::PartnerListRow};
use crate::{
    auth::{guard::require_in, model::Perm},
    program::download::{download, Cell, Failure, Format, Table},
    state::AppState,
};

#[derive(sqlx::FromRow)]
struct ExportRow {
    #[sqlx(flatten)]
    row: PartnerListRow,
    partnership_type: String,
    mrr: rust_decimal::Decimal,
    created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn export_partners(
    State(state): State<AppState>,
    Extension(format): Extension<Format>,
    session: Session,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Admin).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let query = PartnerQuery::from_params(|k| params.get(k).cloned());
    let scope = crate::auth::guard::scope_of(&me);
    let name = format!("partners-{}", chrono::Utc::now().format("%Y-%m-%d"));
    download(&name, format, "partner export", move |sender| {
        crate::db::scope::scoped(scope, async move {
            let table = Table::new(sender, format, &HEADER)?;
            write_rows(&state.pool, &query, table).await
        })
    })
}

const HEADER: [&str; 11] = [
    "name",
    "slug",
    "type",
    "tier",
    "tier_pinned",
    "status",
    "active_clients",
    "clients",
    "members",
    "mrr",
    "joined",
];

async fn write_rows(
    pool: &sqlx::PgPool,
    query: &PartnerQuery,
    mut table: Table,
) -> Result<(), Failure> {
    let mut builder = super::queries::export_partners(query);
    let mut rows = builder.build_query_as::<ExportRow>().fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let row = PartnerRow::from(&r.row);
        let written = table
            .row([
                Cell::text(row.name),
                Cell::text(row.slug),
                Cell::Text(r.partnership_type),
                Cell::text(row.tier.slug()),
                Cell::YesNo(row.tier_pinned),
                Cell::Text(row.status.label().to_lowercase()),
                Cell::Count(row.active_clients),
                Cell::Count(row.open_clients),
                Cell::Count(row.members),
                Cell::Money(r.mrr),
                Cell::Time(r.created_at),
            ])
            .await?;
        if !written {
            return Ok(()); // the client went away
        }
    }
    table.finish().await
}
