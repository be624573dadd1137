//! `/v1/statements`: the partner's closed monthly statements, and each one's lines a page at
//! a time (the lines are numbered within a statement, so a page deep in a statement of a
//! hundred thousand lines costs what the first does).

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    Json,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::{caller::ApiCaller, clients::Links, problem::Problem};
use crate::{
    api_keys::model::ApiScope,
    commissions::{
        model::{Adjustment as AdjustmentRow, LineComputation},
        queries,
    },
    db::scope::{scoped, Scope},
    error::{AppError, FieldErrors},
    program::Month,
    state::AppState,
};

/// Lines per page.
pub const LINES_PAGE: i64 = 100;

pub use crate::commissions::api_view::Statement;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatementList {
    /// Newest first: one a closed month.
    pub data: Vec<Statement>,
}

/// One client's commission for the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatementLine {
    pub client_id: uuid::Uuid,
    pub client_name: String,
    pub plan: String,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub list_price: Decimal,
    pub days_active: u32,
    pub days_in_month: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub amount: Decimal,
}

impl From<LineComputation> for StatementLine {
    fn from(l: LineComputation) -> Self {
        StatementLine {
            client_id: l.client_id,
            client_name: l.client_name,
            plan: l.plan,
            list_price: l.list_price,
            days_active: l.days_active,
            days_in_month: l.days_in_month,
            rate: l.rate,
            amount: l.amount,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Adjustment {
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "-12.50")]
    pub amount: Decimal,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A statement with a page of its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatementPage {
    pub statement: Statement,
    pub adjustments: Vec<Adjustment>,
    pub lines: Vec<StatementLine>,
    pub links: Links,
}

/// The partner's statements.
#[utoipa::path(
    get, path = "/v1/statements", tag = "commissions",
    responses((status = 200, description = "Every closed month's statement, newest first", body = StatementList)),
    security(("bearer" = ["commissions:read"]))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<StatementList>, Problem> {
    let partner_id = caller.partner_for(ApiScope::CommissionsRead)?;
    let rows = scoped(
        Scope::Partner(partner_id),
        queries::statements(&state.pool, partner_id),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Json(StatementList {
        data: rows.into_iter().map(Statement::from).collect(),
    }))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinesParams {
    /// A cursor from `links.next` or `links.previous`.
    #[param(pattern = "^[0-9]{1,9}$")]
    pub after: Option<String>,
}

/// One statement, with a page of 100 lines.
#[utoipa::path(
    get, path = "/v1/statements/{month}", tag = "commissions",
    params(("month" = String, Path, description = "The month, YYYY-MM", pattern = "^[0-9]{4}-[0-9]{2}$"), LinesParams),
    responses((status = 200, description = "The statement and a page of its lines", body = StatementPage)),
    security(("bearer" = ["commissions:read"]))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(month): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<StatementPage>, Problem> {
    let partner_id = caller.partner_for(ApiScope::CommissionsRead)?;
    let month = Month::parse(&month).ok_or(AppError::NotFound)?;
    let after = match params.get("after") {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=999_999_999).contains(n))
            .ok_or_else(|| {
                AppError::Validation(FieldErrors::field(
                    "after",
                    "Use the cursor from a links value.",
                ))
            })?,
    };
    scoped(Scope::Partner(partner_id), async {
        let pool = &state.pool;
        let summary = queries::statement(pool, partner_id, month)
            .await
            .map_err(AppError::from)?
            .ok_or(AppError::NotFound)?;
        let lines = queries::lines_after(pool, summary.id, partner_id, after, LINES_PAGE)
            .await
            .map_err(AppError::from)?;
        let adjustments = queries::adjustments(pool, summary.id, partner_id)
            .await
            .map_err(AppError::from)?;
        let path = format!("/v1/statements/{month}");
        let end = after + i64::try_from(lines.len()).unwrap_or(0);
        let links = Links {
            next: (end < summary.lines).then(|| format!("{path}?after={end}")),
            previous: (after > 0).then(|| format!("{path}?after={}", (after - LINES_PAGE).max(0))),
        };
        Ok(Json(StatementPage {
            statement: Statement::from(summary),
            adjustments: adjustments.into_iter().map(adjustment).collect(),
            lines: lines.into_iter().map(StatementLine::from).collect(),
            links,
        }))
    })
    .await
}

fn adjustment(a: AdjustmentRow) -> Adjustment {
    Adjustment {
        amount: a.amount,
        reason: a.reason,
        created_at: a.created_at,
    }
}
