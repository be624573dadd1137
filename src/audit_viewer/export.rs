//! `GET /partner/audit/export.csv` and `GET /admin/audit/export.csv`: the current view of
//! the log, streamed newest first from a database cursor through a small bounded channel, so
//! a million rows never sit in memory. The export itself is audited.

use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use tokio_stream::wrappers::ReceiverStream;
use tower_sessions::Session;

use super::{
    model::{AuditQuery, LogScope},
    queries::{self, Filter},
};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    error::AppError,
    state::AppState,
};

/// Rows per chunk sent to the client.
const ROWS_PER_CHUNK: usize = 500;

type Chunks = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

pub async fn export_partner_log(
    state: State<AppState>,
    session: Session,
    params: Query<HashMap<String, String>>,
) -> Response {
    export(state, session, params, LogScope::Partner).await
}

pub async fn export_program_log(
    state: State<AppState>,
    session: Session,
    params: Query<HashMap<String, String>>,
) -> Response {
    export(state, session, params, LogScope::Program).await
}

async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<HashMap<String, String>>,
    scope: LogScope,
) -> Response {
    let perm = match scope {
        LogScope::Partner => Perm::PartnerAudit,
        LogScope::Program => Perm::Admin,
    };
    // The same guard as the page's server function.
    let me = match require_in(&session, &state.pool, perm).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let reader = match super::server::reader_for(&me, scope) {
        Ok(reader) => reader,
        Err(refused) => return refused.into_response(),
    };
    let query = AuditQuery::from_params(|k| params.get(k).cloned());
    if let Some((_, message)) = query.problem() {
        return (StatusCode::BAD_REQUEST, message).into_response();
    }
    let db_scope = crate::auth::guard::scope_of(&me);
    crate::db::scope::scoped(db_scope, async move {
        let person = match &query.person {
            Some(email) => match queries::person_id(&state.pool, email).await {
                Ok(Some(id)) => Some(id),
                // Nobody has that address: the file holds the header only.
                Ok(None) => None,
                Err(error) => return AppError::from(error).into_response(),
            },
            None => None,
        };
        let nobody = query.person.is_some() && person.is_none();
        let entry = AuditEntry::by(&me, Action::AuditExported)
            .detail(serde_json::json!({ "filter": query.query_string(|_| {}) }));
        if let Err(error) = audit::record(&state.pool, entry).await {
            return error.into_response();
        }
        let (sender, receiver) = tokio::sync::mpsc::channel(4);
        let pool = state.pool.clone();
        let timeout_ms = state.settings.database.long_statement_timeout_ms;
        tokio::spawn(crate::db::scope::scoped(db_scope, async move {
            let filter = Filter {
                reader: &reader,
                query: &query,
                person,
            };
            if let Err(error) = stream_rows(&pool, timeout_ms, &filter, nobody, &sender).await {
                tracing::error!(%error, "audit log export failed");
                let _ = sender
                    .send(Err(std::io::Error::other("export failed")))
                    .await;
            }
        }));
        let filename = format!("audit-log-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
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
    })
    .await
}

async fn stream_rows(
    pool: &sqlx::PgPool,
    timeout_ms: u32,
    filter: &Filter<'_>,
    nobody: bool,
    sender: &Chunks,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let chunk_writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new())
    };
    let mut writer = chunk_writer();
    writer.write_record(queries::CSV_HEADER)?;
    if !nobody {
        let mut builder = queries::export_query(filter);
        // One transaction with the exports' longer time limit.
        let mut tx = pool.begin().await?;
        crate::db::long_statements(&mut tx, timeout_ms).await?;
        let mut rows = builder.build_query_as::<queries::LogRow>().fetch(&mut *tx);
        let mut in_chunk = 0;
        while let Some(row) = rows.try_next().await? {
            writer.write_record(row.into_cells())?;
            in_chunk += 1;
            if in_chunk == ROWS_PER_CHUNK {
                let chunk = std::mem::replace(&mut writer, chunk_writer()).into_inner()?;
                if sender.send(Ok(chunk)).await.is_err() {
                    return Ok(()); // the client went away
                }
                in_chunk = 0;
            }
        }
    }
    writer.flush()?;
    let _ = sender.send(Ok(writer.into_inner()?)).await;
    Ok(())
}
