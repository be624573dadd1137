//! `GET /partner/commissions/{month}/statement.pdf`: one statement as a PDF invoice, for the
//! partner's books. The same guard and audit as the CSV.

mod pdf;

use std::collections::BTreeMap;

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use rust_decimal::Decimal;
use tower_sessions::Session;
use uuid::Uuid;

use super::{
    model::{Adjustment, LineComputation, StatementSummary},
    queries,
};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    components::format::{count, day, money, percent},
    error::AppError,
    program::Month,
    state::AppState,
};

pub use pdf::{render, Invoice};

pub async fn statement_pdf(
    State(state): State<AppState>,
    session: Session,
    Path(month): Path<String>,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Commissions).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    let scope = crate::auth::guard::scope_of(&me);
    crate::db::scope::scoped(scope, async move {
        let Some(partner_id) = me.partner_id() else {
            return AppError::Forbidden.into_response();
        };
        let Some(month) = Month::parse(&month) else {
            return (StatusCode::NOT_FOUND, "No such statement.").into_response();
        };
        let invoice = match invoice_for(&state.pool, partner_id, month).await {
            Ok(Some(invoice)) => invoice,
            Ok(None) => return (StatusCode::NOT_FOUND, "No such statement.").into_response(),
            Err(error) => return error.into_response(),
        };
        let entry = AuditEntry::by(&me, Action::StatementExported)
            .detail(serde_json::json!({ "month": month.to_string(), "format": "pdf" }));
        if let Err(error) = audit::record(&state.pool, entry).await {
            return error.into_response();
        }
        // Laying out thousands of lines is CPU work: off the async threads.
        let Ok(bytes) = tokio::task::spawn_blocking(move || pdf::render(&invoice)).await else {
            return AppError::Internal.into_response();
        };
        (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"statement-{month}.pdf\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response()
    })
    .await
}

/// The partner's statement for `month` as an invoice, or `None` when there is none.
pub async fn invoice_for(
    pool: &sqlx::PgPool,
    partner_id: Uuid,
    month: Month,
) -> Result<Option<Invoice>, AppError> {
    let Some(whole) = queries::whole_statement(pool, partner_id, month).await? else {
        return Ok(None);
    };
    let partner: String = sqlx::query_scalar("select name from partners where id = $1")
        .bind(partner_id)
        .fetch_one(pool)
        .await?;
    Ok(Some(invoice(
        partner,
        &whole.summary,
        &whole.lines,
        &whole.adjustments,
    )))
}

/// What the invoice says about `statement`, formatted as the pages show it.
pub fn invoice(
    partner: String,
    statement: &StatementSummary,
    lines: &[LineComputation],
    adjustments: &[Adjustment],
) -> Invoice {
    let payout = match &statement.payout {
        Some(p) => format!("{} · due {}", p.state.label(), day(p.due_on)),
        None => "Carried forward to the next payout (below the minimum)".into(),
    };
    let summary = vec![
        (
            "Tier and rate".into(),
            format!(
                "{} · {} of list price",
                statement.tier.label(),
                percent(statement.rate)
            ),
        ),
        (
            "Active clients at month end".into(),
            count(statement.active_clients),
        ),
        ("Commission".into(), money(statement.total)),
        ("Adjustments".into(), money(statement.adjustments)),
        ("Amount due".into(), money(statement.amount_due())),
        ("Payout".into(), payout),
    ];
    let mut plans: BTreeMap<&str, (i64, Decimal, Decimal)> = BTreeMap::new();
    for l in lines {
        let plan = plans.entry(&l.plan).or_default();
        plan.0 += 1;
        plan.1 += l.list_price;
        plan.2 += l.amount;
    }
    Invoice {
        partner,
        month: statement.month.label(),
        summary,
        by_plan: plans
            .into_iter()
            .map(|(plan, (clients, price, amount))| {
                [
                    plan.to_string(),
                    count(clients),
                    money(price),
                    money(amount),
                ]
            })
            .collect(),
        lines: lines
            .iter()
            .map(|l| {
                [
                    l.client_name.clone(),
                    l.plan.clone(),
                    money(l.list_price),
                    format!("{}/{}", l.days_active, l.days_in_month),
                    percent(l.rate),
                    money(l.amount),
                ]
            })
            .collect(),
        adjustments: adjustments
            .iter()
            .map(|a| [a.reason.clone(), money(a.amount)])
            .collect(),
    }
}
