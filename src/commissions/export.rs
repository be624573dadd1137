//! `GET /partner/commissions/{month}/statement.csv`: one statement, line by line, with the
//! computation of each line and the adjustments, for the partner's own books.

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use super::queries;
use crate::program::Month;
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    components::format::percent,
    error::AppError,
    program::csv::cell,
    state::AppState,
};

pub async fn export_statement(
    State(state): State<AppState>,
    session: Session,
    Path(month): Path<String>,
) -> Response {
    // The same guard as the server functions: signed in, owner or manager, own partner.
    let me = match require_in(&session, &state.pool, Perm::Commissions).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    // Every connection this download takes sees only the caller's partner's rows.
    let scope = crate::auth::guard::scope_of(&me);
    crate::db::scope::scoped(scope, export_statement_for(me, state, Path(month))).await
}

async fn export_statement_for(
    me: crate::auth::model::Principal,
    state: AppState,
    Path(month): Path<String>,
) -> Response {
    let Some(partner_id) = me.partner_id() else {
        return AppError::Forbidden.into_response();
    };
    let Some(month) = Month::parse(&month) else {
        return (StatusCode::NOT_FOUND, "No such statement.").into_response();
    };
    match csv_for(&state, partner_id, month).await {
        Ok(Some(body)) => {
            if audit::record(
                &state.pool,
                AuditEntry::by(&me, Action::StatementExported)
                    .detail(serde_json::json!({ "month": month.to_string() })),
            )
            .await
            .is_err()
            {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"statement-{month}.csv\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "No such statement.").into_response(),
        Err(error) => {
            tracing::error!(?error, "statement export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn csv_for(
    state: &AppState,
    partner_id: uuid::Uuid,
    month: Month,
) -> Result<Option<Vec<u8>>, AppError> {
    let Some(statement) = queries::statement(&state.pool, partner_id, month).await? else {
        return Ok(None);
    };
    let lines = queries::lines(
        &state.pool,
        statement.id,
        partner_id,
        1,
        i64::from(i32::MAX),
    )
    .await?;
    let adjustments = queries::adjustments(&state.pool, statement.id, partner_id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        out.write_record(row).map_err(|_| AppError::Internal)
    };
    write(
        &mut out,
        &[
            "month",
            "kind",
            "client",
            "plan",
            "list_price",
            "days_active",
            "days_in_month",
            "tier",
            "rate",
            "amount",
            "reason",
        ]
        .map(String::from),
    )?;
    for l in &lines {
        write(
            &mut out,
            &[
                month.to_string(),
                "commission".into(),
                cell(&l.client_name),
                l.plan.clone(),
                l.list_price.to_string(),
                l.days_active.to_string(),
                l.days_in_month.to_string(),
                l.tier.label().into(),
                percent(l.rate),
                l.amount.to_string(),
                String::new(),
            ],
        )?;
    }
    for a in &adjustments {
        write(
            &mut out,
            &[
                month.to_string(),
                "adjustment".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                a.amount.to_string(),
                cell(&a.reason),
            ],
        )?;
    }
    out.into_inner().map(Some).map_err(|_| AppError::Internal)
}
