//! `GET /partner/clients/export.csv` (and `.xlsx`): the client list under the current filter,
//! streamed.
//! Rows flow from a database cursor through a small bounded channel to the response, so
//! 100,000 clients never sit in memory at once.

use axum::{
    extract::{Extension, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use std::collections::HashMap;
use tower_sessions::Session;

use super::list::ClientQuery;
use crate::program::download::{download, Cell, Failure, Format, Table};
use crate::program::SubscriptionStatus;
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    error::AppError,
    state::AppState,
};

pub async fn export_clients(
    State(state): State<AppState>,
    Extension(format): Extension<Format>,
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
    crate::db::scope::scoped(scope, export_clients_for(me, state, format, Query(params))).await
}

async fn export_clients_for(
    me: crate::auth::model::Principal,
    state: AppState,
    format: Format,
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

    let pool = state.pool.clone();
    let timeout_ms = state.settings.database.long_statement_timeout_ms;
    let scope = crate::auth::guard::scope_of(&me);
    let name = format!("clients-{}", chrono::Utc::now().format("%Y-%m-%d"));
    download(&name, format, "client export", move |sender| {
        crate::db::scope::scoped(scope, async move {
            let table = Table::new(sender, format, &HEADER)?;
            write_rows(&pool, timeout_ms, partner_id, &query, table).await
        })
    })
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

const HEADER: [&str; 11] = [
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
];

async fn write_rows(
    pool: &sqlx::PgPool,
    timeout_ms: u32,
    partner_id: uuid::Uuid,
    query: &ClientQuery,
    mut table: Table,
) -> Result<(), Failure> {
    let mut builder = sqlx::QueryBuilder::new(
        "select c.company_name, c.contact_name, c.contact_email, c.contact_phone, pl.name as plan_name, \
         pl.monthly_price as list_price, c.custom_price, c.billing_owned_by_reseller, c.status, c.region, c.created_at \
         from clients c join plans pl on pl.code = c.plan",
    );
    super::queries::filters_with_search(&mut builder, partner_id, query);
    builder.push(" order by c.name_key, c.id");
    // One transaction with the exports' longer time limit.
    let mut tx = pool.begin().await?;
    crate::db::long_statements(&mut tx, timeout_ms).await?;
    let mut rows = builder.build_query_as::<ExportRow>().fetch(&mut *tx);
    while let Some(row) = rows.try_next().await? {
        let written = table
            .row([
                Cell::Text(row.company_name),
                Cell::Text(row.contact_name),
                Cell::Text(row.contact_email),
                Cell::maybe(row.contact_phone),
                Cell::Text(row.plan_name),
                Cell::Money(row.list_price),
                row.custom_price.map_or(Cell::Empty, Cell::Money),
                Cell::YesNo(row.billing_owned_by_reseller),
                Cell::text(row.status.slug()),
                Cell::maybe(row.region),
                Cell::Time(row.created_at),
            ])
            .await?;
        if !written {
            return Ok(()); // the client went away
        }
    }
    table.finish().await
}
