//! `GET /partner/audit/export.csv` and `GET /admin/audit/export.csv` (and `.xlsx`): the current view of
//! the log, streamed newest first from a database cursor through a small bounded channel, so
//! a million rows never sit in memory. The export itself is audited.

use axum::{
    extract::{Extension, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use tower_sessions::Session;

use super::{
    model::{AuditQuery, LogScope},
    queries::{self, Filter},
};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    error::AppError,
    program::download::{download, Failure, Format, Table},
    state::AppState,
};

pub async fn export_partner_log(
    state: State<AppState>,
    format: Extension<Format>,
    session: Session,
    params: Query<HashMap<String, String>>,
) -> Response {
    export(state, format, session, params, LogScope::Partner).await
}

pub async fn export_program_log(
    state: State<AppState>,
    format: Extension<Format>,
    session: Session,
    params: Query<HashMap<String, String>>,
) -> Response {
    export(state, format, session, params, LogScope::Program).await
}

async fn export(
    State(state): State<AppState>,
    Extension(format): Extension<Format>,
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
        let pool = state.pool.clone();
        let timeout_ms = state.settings.database.long_statement_timeout_ms;
        let name = format!("audit-log-{}", chrono::Utc::now().format("%Y-%m-%d"));
        download(&name, format, "audit log export", move |sender| {
            crate::db::scope::scoped(db_scope, async move {
                let filter = Filter {
                    reader: &reader,
                    query: &query,
                    person,
                };
                let table = Table::new(sender, format, &queries::HEADER)?;
                write_rows(&pool, timeout_ms, &filter, nobody, table).await
            })
        })
    })
    .await
}

async fn write_rows(
    pool: &sqlx::PgPool,
    timeout_ms: u32,
    filter: &Filter<'_>,
    nobody: bool,
    mut table: Table,
) -> Result<(), Failure> {
    if !nobody {
        let mut builder = queries::export_query(filter);
        // One transaction with the exports' longer time limit.
        let mut tx = pool.begin().await?;
        crate::db::long_statements(&mut tx, timeout_ms).await?;
        let mut rows = builder.build_query_as::<queries::LogRow>().fetch(&mut *tx);
        while let Some(row) = rows.try_next().await? {
            if !table.row(row.into_cells()).await? {
                return Ok(()); // the client went away
            }
        }
    }
    table.finish().await
}
