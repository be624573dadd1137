//! `GET /partner/commissions/{month}/statement.csv` (and `.xlsx`): one statement, line by line, with the
//! computation of each line and the adjustments, for the partner's own books.

use axum::{
    extract::{Extension, Path, State},
    http::StatusCode,
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
    program::download::{download, Cell, Format, Table},
    state::AppState,
};

pub async fn export_statement(
    State(state): State<AppState>,
    Extension(format): Extension<Format>,
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
    crate::db::scope::scoped(scope, export_statement_for(me, state, format, Path(month))).await
}

async fn export_statement_for(
    me: crate::auth::model::Principal,
    state: AppState,
    format: Format,
    Path(month): Path<String>,
) -> Response {
    let Some(partner_id) = me.partner_id() else {
        return AppError::Forbidden.into_response();
    };
    let Some(month) = Month::parse(&month) else {
        return (StatusCode::NOT_FOUND, "No such statement.").into_response();
    };
    let rows = match rows_for(&state, partner_id, month).await {
        Ok(Some(rows)) => rows,
        Ok(None) => return (StatusCode::NOT_FOUND, "No such statement.").into_response(),
        Err(error) => return error.into_response(),
    };
    let entry = AuditEntry::by(&me, Action::StatementExported)
        .detail(serde_json::json!({ "month": month.to_string() }));
    if let Err(error) = audit::record(&state.pool, entry).await {
        return error.into_response();
    }
    // A statement's lines are one partner's month: read whole, then written out.
    download(
        &format!("statement-{month}"),
        format,
        "statement export",
        move |sender| async move {
            let mut table = Table::new(sender, format, &HEADER)?;
            for row in rows {
                if !table.row(row).await? {
                    return Ok(());
                }
            }
            table.finish().await
        },
    )
}

const HEADER: [&str; 11] = [
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
];

/// The statement's rows (its lines, then its adjustments), or `None` when the partner has
/// no statement for `month`.
async fn rows_for(
    state: &AppState,
    partner_id: uuid::Uuid,
    month: Month,
) -> Result<Option<Vec<Vec<Cell>>>, AppError> {
    let Some(whole) = queries::whole_statement(&state.pool, partner_id, month).await? else {
        return Ok(None);
    };
    let month_cell = || Cell::Text(month.to_string());
    let commission = whole.lines.into_iter().map(|l| {
        vec![
            month_cell(),
            Cell::text("commission"),
            Cell::Text(l.client_name),
            Cell::Text(l.plan),
            Cell::Money(l.list_price),
            Cell::Count(l.days_active.into()),
            Cell::Count(l.days_in_month.into()),
            Cell::text(l.tier.label()),
            Cell::Text(percent(l.rate)),
            Cell::Money(l.amount),
            Cell::Empty,
        ]
    });
    let adjustment = whole.adjustments.into_iter().map(|a| {
        let mut row = vec![month_cell(), Cell::text("adjustment")];
        row.extend(std::iter::repeat_n(Cell::Empty, 7));
        row.extend([Cell::Money(a.amount), Cell::Text(a.reason)]);
        row
    });
    Ok(Some(commission.chain(adjustment).collect()))
}
