//! `GET /partner/clients/export.csv`: the client list under the current filter, streamed.
//! Rows flow from a database cursor through a small bounded channel to the response, so
//! 100,000 clients never sit in memory at once.

use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use std::collections::HashMap;
use tokio_stream::wrappers::ReceiverStream;
use tower_sessions::Session;

use super::list::ClientQuery;
use crate::program::csv::cell;
use crate::program::SubscriptionStatus;
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    error::AppError,
    state::AppState,
};

/// Rows per chunk sent to the client.
const ROWS_PER_CHUNK: usize = 500;

pub async fn export_clients(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    // The same guard as every server function: signed in, allowed, scoped to the partner.
    let me = match require_in(&session, &state.pool, Perm::PartnerRead).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    // Every connection this download takes sees only the caller's partner's rows.
    let scope = crate::auth::guard::scope_of(&me);
    crate::db::scope::scoped(scope, export_clients_for(me, state, Query(params))).await
}

async fn export_clients_for(
    me: crate::auth::model::Principal,
    state: AppState,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(partner_id) = me.partner_id() else {
        return AppError::Forbidden.into_response();
    };
    let query = ClientQuery::from_params(|k| params.get(k).cloned());
    if audit::record(
        &state.pool,
        AuditEntry::by(&me, Action::ClientExported)
            .detail(serde_json::json!({ "filter": query.query_string(|_| {}) })),
    )
    .await
    .is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }

    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let pool = state.pool.clone();
    let timeout_ms = state.settings.database.long_statement_timeout_ms;
    let scope = crate::auth::guard::scope_of(&me);
    tokio::spawn(crate::db::scope::scoped(scope, async move {
        if let Err(error) = stream_rows(&pool, timeout_ms, partner_id, &query, &sender).await {
            tracing::error!(%error, "client export failed");
            let _ = sender
                .send(Err(std::io::Error::other("export failed")))
                .await;
        }
    }));
    let filename = format!("clients-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
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

#[derive(sqlx::FromRow)]
struct ExportRow {
    company_name: String,
    contact_name: String,
    contact_email: String,
    contact_phone: Option<String>,
    plan_name: String,
    list_price: Decimal,
    custom_price: Option<Decimal>,
    billing_owned_by_reseller: bool,
    status: SubscriptionStatus,
    region: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

async fn stream_rows(
    pool: &sqlx::PgPool,
    timeout_ms: u32,
    partner_id: uuid::Uuid,
    query: &ClientQuery,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let chunk_writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new())
    };
    let mut writer = chunk_writer();
    writer.write_record([
        "company",
        "contact_name",
        "contact_email",
        "contact_phone",
        "plan",
        "list_price",
        "custom_price",
        "billed_by_reseller",
        "status",
        "region",
        "created_at",
    ])?;
    let mut builder = sqlx::QueryBuilder::new(
        "select c.company_name, c.contact_name, c.contact_email, c.contact_phone, pl.name as plan_name, \
         pl.monthly_price as list_price, c.custom_price, c.billing_owned_by_reseller, c.status, c.region, c.created_at \
         from clients c join plans pl on pl.code = c.plan",
    );
    super::queries::filters_with_search(&mut builder, partner_id, query);
    builder.push(" order by lower(c.company_name), c.id");
    // One transaction with the exports' longer time limit.
    let mut tx = pool.begin().await?;
    crate::db::long_statements(&mut tx, timeout_ms).await?;
    let mut rows = builder.build_query_as::<ExportRow>().fetch(&mut *tx);
    let mut in_chunk = 0;
    while let Some(row) = rows.try_next().await? {
        writer.write_record([
            cell(&row.company_name),
            cell(&row.contact_name),
            cell(&row.contact_email),
            cell(row.contact_phone.as_deref().unwrap_or_default()),
            cell(&row.plan_name),
            row.list_price.to_string(),
            row.custom_price.map(|p| p.to_string()).unwrap_or_default(),
            if row.billing_owned_by_reseller {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            row.status.slug().to_string(),
            cell(row.region.as_deref().unwrap_or_default()),
            row.created_at.to_rfc3339(),
        ])?;
        in_chunk += 1;
        if in_chunk == ROWS_PER_CHUNK {
            let chunk = std::mem::replace(&mut writer, chunk_writer()).into_inner()?;
            if sender.send(Ok(chunk)).await.is_err() {
                return Ok(()); // the client went away
            }
            in_chunk = 0;
        }
    }
    writer.flush()?;
    let _ = sender.send(Ok(writer.into_inner()?)).await;
    Ok(())
}
