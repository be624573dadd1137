//! SQL for statements, adjustments and payouts. Every partner-side query filters by the
//! caller's partner id.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::model::{
    Adjustment, ClosedMonth, LineComputation, PartnerClose, Payout, PayoutMethod, PayoutRef,
    PayoutState, StatementSummary,
};
use crate::{
    db::keyset::SortKey,
    program::{Month, PageLinks, Position, Tier},
};

pub mod close;
pub mod history;

/// Lines per page of a statement.
pub const LINES_PER_PAGE: i64 = 100;

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A partner's statements, newest first.
pub async fn statements(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Vec<StatementSummary>> {
    statements_where(pool, partner_id, None).await
}

pub async fn statement(
    db: impl sqlx::PgExecutor<'_>,
    partner_id: Uuid,
    month: Month,
) -> sqlx::Result<Option<StatementSummary>> {
    Ok(statements_where(db, partner_id, Some(month)).await?.pop())
}

async fn statements_where(
    db: impl sqlx::PgExecutor<'_>,
    partner_id: Uuid,
    month: Option<Month>,
) -> sqlx::Result<Vec<StatementSummary>> {
    let today = today();
    let rows = sqlx::query!(
        r#"select s.id, s.month as "month: NaiveDate", s.tier as "tier: Tier", s.rate, s.active_clients, s.line_count, s.total,
                  s.payable_on as "payable_on: NaiveDate", s.payout_id, p.due_on as "due_on?: NaiveDate", (p.paid_at is not null) as "paid?",
                  coalesce((select sum(a.amount) from commission_adjustments a where a.statement_id = s.id), 0)
                      as "adjustments!"
           from commission_statements s
           left join payouts p on p.partner_id = s.partner_id and p.id = s.payout_id
           where s.partner_id = $1 and ($2::text is null or s.month = $2::text::date)
             -- a statement shows once its month's close has finished
             and exists (select 1 from commission_closes c where c.month = s.month)
           order by s.month desc"#,
        partner_id,
        month.map(|m| crate::db::date_param(m.first_day()))
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatementSummary {
            id: r.id,
            month: Month::of(r.month),
            tier: r.tier,
            rate: r.rate,
            active_clients: r.active_clients.into(),
            lines: r.line_count.into(),
            total: r.total,
            adjustments: r.adjustments,
            payable_on: r.payable_on,
            payout: r.payout_id.zip(r.due_on).map(|(id, due_on)| PayoutRef {
                id,
                due_on,
                state: PayoutState::of(due_on, r.paid.unwrap_or(false), today),
            }),
        })
        .collect())
}

/// One page of a statement's lines (1-based), in the order they were written. Positions run
/// 1, 2, 3... within a statement, so a page is a range of its primary key: a page deep in a
/// large statement costs what the first does.
pub async fn lines(
    pool: &PgPool,
    statement_id: Uuid,
    partner_id: Uuid,
    page: i64,
    per_page: i64,
) -> sqlx::Result<Vec<LineComputation>> {
    let after = (page - 1).saturating_mul(per_page);
    lines_after(pool, statement_id, partner_id, after, per_page).await
}

/// Up to `per_page` lines after position `after` (the API's cursor).
pub async fn lines_after(
    pool: &PgPool,
    statement_id: Uuid,
    partner_id: Uuid,
    after: i64,
    per_page: i64,
) -> sqlx::Result<Vec<LineComputation>> {
    let rows = sqlx::query!(
        r#"select l.client_id, l.client_name, coalesce(p.name, l.plan) as "plan!", l.list_price, l.days_active,
                  l.days_in_month, l.tier as "tier: Tier", l.rate, l.amount
           from commission_lines l
           left join plans p on p.code = l.plan
           where l.statement_id = $1 and l.partner_id = $2
             and l.position > $4 and l.position <= $4 + $3
           order by l.position"#,
        statement_id,
        partner_id,
        i32::try_from(per_page).unwrap_or(i32::MAX),
        i32::try_from(after).unwrap_or(i32::MAX)
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LineComputation {
            client_id: r.client_id,
            client_name: r.client_name,
            plan: r.plan,
            list_price: r.list_price,
            days_active: r.days_active as u32,
            days_in_month: r.days_in_month as u32,
            tier: r.tier,
            rate: r.rate,
            amount: r.amount,
        })
        .collect())
}

/// A statement with all its lines and adjustments: what a download of it holds.
pub struct WholeStatement {
    pub summary: StatementSummary,
    pub lines: Vec<LineComputation>,
    pub adjustments: Vec<Adjustment>,
}

/// The partner's statement for `month`, whole, or `None` when there is none.
pub async fn whole_statement(
    pool: &PgPool,
    partner_id: Uuid,
    month: Month,
) -> sqlx::Result<Option<WholeStatement>> {
    let Some(summary) = statement(pool, partner_id, month).await? else {
        return Ok(None);
    };
    let lines = lines(pool, summary.id, partner_id, 1, i64::from(i32::MAX)).await?;
    let adjustments = adjustments(pool, summary.id, partner_id).await?;
    Ok(Some(WholeStatement {
        summary,
        lines,
        adjustments,
    }))
}

pub async fn adjustments(
    pool: &PgPool,
    statement_id: Uuid,
    partner_id: Uuid,
) -> sqlx::Result<Vec<Adjustment>> {
    let rows = sqlx::query!(
        r#"select a.id, a.amount, a.reason, a.created_at as "created_at: DateTime<Utc>", u.display_name as "by?"
           from commission_adjustments a left join users u on u.id = a.created_by
           where a.statement_id = $1 and a.partner_id = $2
           order by a.created_at"#,
        statement_id,
        partner_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Adjustment {
            id: r.id,
            amount: r.amount,
            reason: r.reason,
            created_at: r.created_at,
            created_by: r.by,
        })
        .collect())
}

/// A page of payouts from `position`, unpaid first (soonest due first), then paid (latest
/// due first): one partner's or (admins) every partner's; with `unpaid_due_by`, only unpaid
/// ones due by that day. Pages by cursor on the payouts' queue key.
pub async fn payouts(
    pool: &PgPool,
    partner_id: Option<Uuid>,
    unpaid_due_by: Option<NaiveDate>,
    position: &Position,
    page_size: i64,
) -> sqlx::Result<(Vec<Payout>, PageLinks)> {
    let today = today();
    let key = SortKey::new(&[("p.queue_key", "int"), ("p.id", "uuid")], false);
    let mut sql = QueryBuilder::new(format!(
        "select p.id, p.partner_id, pa.name as partner_name, p.amount, p.due_on, p.paid_at, p.method, \
                p.reference, \
                coalesce(array(select s.month from commission_statements s \
                               where s.partner_id = p.partner_id and s.payout_id = p.id \
                               order by s.month), '{{}}') as months, \
                {} as page_key \
         from payouts p join partners pa on pa.id = p.partner_id where true",
        key.select()
    ));
    if let Some(partner_id) = partner_id {
        sql.push(" and p.partner_id = ").push_bind(partner_id);
    }
    if let Some(day) = unpaid_due_by {
        sql.push(" and p.paid_at is null and p.due_on <= ")
            .push_bind(day);
    }
    key.push_bound(&mut sql, position);
    key.push_order(&mut sql, position, page_size);
    let rows: Vec<PayoutRow> = sql.build_query_as().fetch_all(pool).await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| {
                let payout = Payout {
                    id: r.id,
                    partner_id: r.partner_id,
                    partner_name: r.partner_name,
                    amount: r.amount,
                    due_on: r.due_on,
                    state: PayoutState::of(r.due_on, r.paid_at.is_some(), today),
                    paid_at: r.paid_at,
                    method: r.method,
                    reference: r.reference,
                    months: r.months.into_iter().map(Month::of).collect(),
                };
                (payout, r.page_key)
            })
            .collect(),
        position,
        page_size,
    ))
}

#[derive(sqlx::FromRow)]
struct PayoutRow {
    id: Uuid,
    partner_id: Uuid,
    partner_name: String,
    amount: Decimal,
    due_on: NaiveDate,
    paid_at: Option<DateTime<Utc>>,
    method: Option<PayoutMethod>,
    reference: Option<String>,
    months: Vec<NaiveDate>,
    page_key: Vec<String>,
}

/// Marks an unpaid, due payout paid and returns its partner and amount. The `paid_at is null`
/// condition makes a second (or concurrent) attempt find no row: `None`, and the caller reads
/// [`payout_standing`] to say why.
pub async fn mark_paid(
    tx: &mut Transaction<'_, Postgres>,
    payout_id: Uuid,
    admin: Uuid,
    method: PayoutMethod,
    reference: &str,
) -> sqlx::Result<Option<(Uuid, Decimal)>> {
    Ok(sqlx::query!(
        "update payouts set paid_at = now(), paid_by = $2, method = $3, reference = $4
         where id = $1 and paid_at is null and due_on <= current_date
         returning partner_id, amount",
        payout_id,
        admin,
        method as PayoutMethod,
        reference
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| (row.partner_id, row.amount)))
}

/// When a payout was paid (if it was) and when it is due; `None` if there is no such payout.
pub async fn payout_standing(
    tx: &mut Transaction<'_, Postgres>,
    payout_id: Uuid,
) -> sqlx::Result<Option<(Option<DateTime<Utc>>, NaiveDate)>> {
    Ok(sqlx::query!(
        r#"select paid_at as "paid_at: DateTime<Utc>", due_on as "due_on: NaiveDate" from payouts where id = $1"#,
        payout_id
    )
    .fetch_optional(&mut **tx)
    .await?
    .map(|s| (s.paid_at, s.due_on)))
}

pub async fn payout_method(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<(Option<PayoutMethod>, Option<String>)> {
    let row = sqlx::query!(
        r#"select payout_method as "method: PayoutMethod", payout_account from partners where id = $1"#,
        partner_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.method, row.payout_account))
}

pub async fn set_payout_method(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    method: PayoutMethod,
    account: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update partners set payout_method = $2, payout_account = $3 where id = $1",
        partner_id,
        method as PayoutMethod,
        account
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The statement of `partner_id` for `month`, for an admin's adjustment.
pub async fn statement_id(
    conn: &mut PgConnection,
    partner_id: Uuid,
    month: Month,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from commission_statements where partner_id = $1 and month = $2::text::date",
        partner_id,
        crate::db::date_param(month.first_day())
    )
    .fetch_optional(&mut *conn)
    .await
}

pub async fn add_adjustment(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    statement_id: Uuid,
    amount: Decimal,
    reason: &str,
    admin: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into commission_adjustments (partner_id, statement_id, amount, reason, created_by)
         values ($1, $2, $3, $4, $5) returning id",
        partner_id,
        statement_id,
        amount,
        reason,
        admin
    )
    .fetch_one(&mut **tx)
    .await
}

pub async fn closed_months(pool: &PgPool) -> sqlx::Result<Vec<ClosedMonth>> {
    let rows = sqlx::query!(
        r#"select month as "month: NaiveDate", closed_at as "closed_at: DateTime<Utc>", statements, total
           from commission_closes order by month desc"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ClosedMonth {
            month: Month::of(r.month),
            closed_at: r.closed_at,
            statements: r.statements.into(),
            total: r.total,
        })
        .collect())
}

/// A closed month's stored statements, shaped like a preview.
pub async fn closed_summary(pool: &PgPool, month: Month) -> sqlx::Result<Vec<PartnerClose>> {
    let rows = sqlx::query!(
        r#"select s.partner_id, p.name, s.tier as "tier: Tier", p.tier_pinned, s.active_clients, s.line_count, s.total
           from commission_statements s join partners p on p.id = s.partner_id
           where s.month = $1::text::date order by p.name_key, p.id"#,
        crate::db::date_param(month.first_day())
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PartnerClose {
            partner_id: r.partner_id,
            partner_name: r.name,
            tier_before: r.tier,
            tier_after: r.tier,
            pinned: r.tier_pinned,
            active_clients: r.active_clients.into(),
            lines: r.line_count.into(),
            total: r.total,
        })
        .collect())
}

pub async fn partner_names(pool: &PgPool) -> sqlx::Result<Vec<(Uuid, String)>> {
    Ok(
        sqlx::query!("select id, name from partners order by lower(name), id")
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect(),
    )
}
