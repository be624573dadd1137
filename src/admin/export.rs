//! `GET /admin/partners/export.csv`: the partner list under the current search, filters and
//! sort, streamed from a database cursor.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use tower_sessions::Session;

use super::{model::PartnerRow, partner_list::PartnerQuery, queries::PartnerListRow};
use crate::{
    auth::{guard::require_in, model::Perm},
    program::{
        csv::cell,
        csv_stream::{download, Chunks, CsvChunks, Failure},
    },
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
    session: Session,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Admin).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let query = PartnerQuery::from_params(|k| params.get(k).cloned());
    let scope = crate::auth::guard::scope_of(&me);
    let filename = format!("partners-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    download(filename, "partner export", move |sender| {
        crate::db::scope::scoped(scope, async move {
            write_rows(&state.pool, &query, &sender).await
        })
    })
}

async fn write_rows(
    pool: &sqlx::PgPool,
    query: &PartnerQuery,
    sender: &Chunks,
) -> Result<(), Failure> {
    let mut csv = CsvChunks::new(
        sender,
        &[
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
        ],
    )?;
    let mut builder = super::queries::export_partners(query);
    let mut rows = builder.build_query_as::<ExportRow>().fetch(pool);
    while let Some(r) = rows.try_next().await? {
        let row = PartnerRow::from(&r.row);
        let written = csv
            .row([
                cell(&row.name),
                row.slug.clone(),
                r.partnership_type,
                row.tier.slug().to_string(),
                if row.tier_pinned { "yes" } else { "no" }.to_string(),
                row.status.label().to_lowercase(),
                row.active_clients.to_string(),
                row.open_clients.to_string(),
                row.members.to_string(),
                r.mrr.to_string(),
                r.created_at.to_rfc3339(),
            ])
            .await?;
        if !written {
            return Ok(()); // the client went away
        }
    }
    csv.finish().await
}
