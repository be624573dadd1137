//! `GET /admin/partners/export.csv`: the partner list under the current search, filters and
//! sort, streamed from a database cursor.

use axum::{
    body::Body,
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use tokio_stream::wrappers::ReceiverStream;
use tower_sessions::Session;

use super::{model::PartnerRow, partner_list::PartnerQuery, queries::PartnerListRow};
use crate::{
    auth::{guard::require_in, model::Perm},
    program::csv::cell,
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
    if let Err(refused) = require_in(&session, &state.pool, Perm::Admin).await {
        return refused.into_response();
    }
    let query = PartnerQuery::from_params(|k| params.get(k).cloned());
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let pool = state.pool.clone();
    tokio::spawn(crate::db::scope::scoped(
        crate::db::scope::Scope::All,
        async move {
            if let Err(error) = stream_rows(&pool, &query, &sender).await {
                tracing::error!(%error, "partner export failed");
                let _ = sender
                    .send(Err(std::io::Error::other("export failed")))
                    .await;
            }
        },
    ));
    let filename = format!("partners-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response()
}

async fn stream_rows(
    pool: &sqlx::PgPool,
    query: &PartnerQuery,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let chunk_writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new())
    };
    let mut writer = chunk_writer();
    writer.write_record([
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
    ])?;
    let mut builder = super::queries::export_partners(query);
    let mut rows = builder.build_query_as::<ExportRow>().fetch(pool);
    let mut in_chunk = 0;
    while let Some(r) = rows.try_next().await? {
        let row = PartnerRow::from(&r.row);
        writer.write_record([
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
        ])?;
        in_chunk += 1;
        if in_chunk == 500 {
            let chunk = std::mem::replace(&mut writer, chunk_writer()).into_inner()?;
            if sender.send(Ok(chunk)).await.is_err() {
                return Ok(());
            }
            in_chunk = 0;
        }
    }
    writer.flush()?;
    let _ = sender.send(Ok(writer.into_inner()?)).await;
    Ok(())
}
