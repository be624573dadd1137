//! SQL of the monthly close. Dates are bound as text (`$1::text::date`): the session store
//! turns on sqlx's `time` feature, whose types the query macros then expect for dates.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    commissions::model::{CloseProgress, LineComputation, PartnerClose},
    db::{date_param, timestamp_param},
    program::{Month, Tier},
};

/// The advisory lock that makes closes run one at a time.
const CLOSE_LOCK: i64 = 7412;

/// Takes the close lock until the transaction ends.
pub async fn lock_close(tx: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock($1)", CLOSE_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A partner as a close sees it: its tier now and about how many clients it has (from the
/// read model; it only sizes the batches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosePartner {
    pub id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub pinned: bool,
    pub clients: i64,
}

/// The partners `month`'s close has still to do (every partner when `all`), in id order:
/// the order of the events' index, so a batch reads one range of it.
pub async fn partners_for_close(
    conn: &mut PgConnection,
    month: Month,
    all: bool,
) -> sqlx::Result<Vec<ClosePartner>> {
    sqlx::query_as!(
        ClosePartner,
        r#"select p.id, p.name, p.tier as "tier: Tier",
                  (p.tier_pinned and (p.tier_pinned_until is null
                                      or p.tier_pinned_until > $3::text::date)) as "pinned!",
                  coalesce(f.clients, 0)::bigint as "clients!"
           from partners p left join partner_figures f on f.partner_id = p.id
           where $2 or not exists (select 1 from close_partners cp
                                   where cp.month = $1::text::date and cp.partner_id = p.id)
           order by p.id"#,
        date_param(month.first_day()),
        all,
        date_param(month.last_day())
    )
    .fetch_all(&mut *conn)
    .await
}

/// Takes the close lock for as long as `conn` lives (or until [`unlock_close`]).
pub async fn lock_close_session(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_lock($1)", CLOSE_LOCK)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn unlock_close(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query_scalar!("select pg_advisory_unlock($1)", CLOSE_LOCK)
        .fetch_one(&mut *conn)
        .await?;
    Ok(())
}

/// A month whose close started and has not finished, other than `month`.
pub async fn other_unfinished_run(
    conn: &mut PgConnection,
    month: Month,
) -> sqlx::Result<Option<Month>> {
    let other = sqlx::query_scalar!(
        r#"select month as "month: chrono::NaiveDate" from close_runs
           where finished_at is null and month <> $1::text::date order by month limit 1"#,
        date_param(month.first_day())
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(other.map(Month::of))
}

/// Starts `month`'s run, or carries on with it: the total becomes what is done plus what
/// remains (partners may have joined since it stopped).
pub async fn start_run(
    conn: &mut PgConnection,
    month: Month,
    actor: Option<Uuid>,
    remaining: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into close_runs (month, started_by, partners_total) values ($1::text::date, $2, $3)
         on conflict (month) do update
             set partners_total = close_runs.partners_done + excluded.partners_total, updated_at = now()",
        date_param(month.first_day()),
        actor,
        remaining as i32
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records what the close decided for a batch of partners, and moves the run forward.
pub async fn record_batch(
    conn: &mut PgConnection,
    month: Month,
    decided: &[PartnerClose],
    clients: i64,
) -> sqlx::Result<()> {
    let ids: Vec<Uuid> = decided.iter().map(|p| p.partner_id).collect();
    let before: Vec<Tier> = decided.iter().map(|p| p.tier_before).collect();
    let after: Vec<Tier> = decided.iter().map(|p| p.tier_after).collect();
    let active: Vec<i32> = decided.iter().map(|p| p.active_clients as i32).collect();
    sqlx::query!(
        r#"insert into close_partners (month, partner_id, tier_before, tier_after, active_clients)
           select $1::text::date, d.partner_id, d.tier_before, d.tier_after, d.active_clients
           from unnest($2::uuid[], $3::partner_tier[], $4::partner_tier[], $5::int[])
                as d(partner_id, tier_before, tier_after, active_clients)"#,
        date_param(month.first_day()),
        &ids,
        &before as &[Tier],
        &after as &[Tier],
        &active
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update close_runs
         set partners_done = partners_done + $2, clients_done = clients_done + $3, updated_at = now()
         where month = $1::text::date",
        date_param(month.first_day()),
        decided.len() as i32,
        clients
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The partners whose tier the close changes, with what it decided.
pub async fn tier_changes(
    conn: &mut PgConnection,
    month: Month,
) -> sqlx::Result<Vec<PartnerClose>> {
    Ok(sqlx::query!(
        r#"select cp.partner_id, p.name, cp.tier_before as "tier_before: Tier",
                  cp.tier_after as "tier_after: Tier", p.tier_pinned, cp.active_clients
           from close_partners cp join partners p on p.id = cp.partner_id
           where cp.month = $1::text::date and cp.tier_after <> cp.tier_before
           order by p.name_key, p.id"#,
        date_param(month.first_day())
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| PartnerClose {
        partner_id: r.partner_id,
        partner_name: r.name,
        tier_before: r.tier_before,
        tier_after: r.tier_after,
        pinned: r.tier_pinned,
        active_clients: r.active_clients.into(),
        lines: 0,
        total: Decimal::ZERO,
    })
    .collect())
}

/// How many statements `month` has and their total.
pub async fn month_statements(
    conn: &mut PgConnection,
    month: Month,
) -> sqlx::Result<(i64, Decimal)> {
    let row = sqlx::query!(
        r#"select count(*) as "statements!", coalesce(sum(total), 0) as "total!"
           from commission_statements where month = $1::text::date"#,
        date_param(month.first_day())
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.statements, row.total))
}

pub async fn finish_run(
    conn: &mut PgConnection,
    month: Month,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update close_runs set finished_at = $2::text::timestamptz, updated_at = now()
         where month = $1::text::date",
        date_param(month.first_day()),
        timestamp_param(now)
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The close that has started and not finished, if any, and whether a process is at it now
/// (it holds the close lock).
pub async fn unfinished_run(conn: &mut PgConnection) -> sqlx::Result<Option<CloseProgress>> {
    let row = sqlx::query!(
        r#"select month as "month: chrono::NaiveDate", started_at as "started_at: DateTime<Utc>",
                  partners_total, partners_done, clients_done,
                  exists (select 1 from pg_locks
                          where locktype = 'advisory' and classid = 0 and objid = $1 and granted)
                      as "running!"
           from close_runs where finished_at is null order by month limit 1"#,
        CLOSE_LOCK as i32
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| CloseProgress {
        month: Month::of(r.month),
        started_at: r.started_at,
        partners_total: r.partners_total.into(),
        partners_done: r.partners_done.into(),
        clients_done: r.clients_done,
        running: r.running,
    }))
}

/// When `month` was closed, if it was.
pub async fn closed_at(
    conn: &mut PgConnection,
    month: Month,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!(
        r#"select closed_at as "closed_at: DateTime<Utc>" from commission_closes where month = $1::text::date"#,
        date_param(month.first_day())
    )
    .fetch_optional(&mut *conn)
    .await
}

pub async fn latest_closed(conn: &mut PgConnection) -> sqlx::Result<Option<Month>> {
    let latest = sqlx::query_scalar!(
        r#"select max(month) as "month: chrono::NaiveDate" from commission_closes"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(latest.map(Month::of))
}

/// Records that `month` was closed, by whom, with how many statements and what total.
pub async fn insert_close(
    tx: &mut PgConnection,
    month: Month,
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    statements: i32,
    total: Decimal,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into commission_closes (month, closed_at, closed_by, statements, total)
         values ($1::text::date, $2::text::timestamptz, $3, $4, $5)",
        date_param(month.first_day()),
        timestamp_param(now),
        actor,
        statements,
        total
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A partner's statement for `month`; returns its id.
pub async fn insert_statement(
    tx: &mut PgConnection,
    month: Month,
    s: &PartnerClose,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into commission_statements
               (partner_id, month, tier, rate, active_clients, line_count, total, payable_on)
           values ($1, $2::text::date, $3, $4, $5, $6, $7, $8::text::date) returning id"#,
        s.partner_id,
        date_param(month.first_day()),
        s.tier_after as Tier,
        s.tier_after.commission_rate(),
        s.active_clients as i32,
        s.lines as i32,
        s.total,
        date_param(month.payable_on())
    )
    .fetch_one(&mut *tx)
    .await
}

/// A statement's lines, written in chunks of columns (unnest), not row by row: a large
/// partner has many lines.
pub async fn insert_lines(
    tx: &mut PgConnection,
    statement: Uuid,
    month: Month,
    s: &PartnerClose,
    lines: &[LineComputation],
) -> sqlx::Result<()> {
    for (chunk_no, chunk) in lines.chunks(5_000).enumerate() {
        let offset = (chunk_no * 5_000) as i32;
        let positions: Vec<i32> = (0..chunk.len() as i32).map(|i| offset + i + 1).collect();
        let client_ids: Vec<Uuid> = chunk.iter().map(|l| l.client_id).collect();
        let names: Vec<String> = chunk.iter().map(|l| l.client_name.clone()).collect();
        let plans: Vec<String> = chunk.iter().map(|l| l.plan.clone()).collect();
        let prices: Vec<Decimal> = chunk.iter().map(|l| l.list_price).collect();
        let days: Vec<i16> = chunk.iter().map(|l| l.days_active as i16).collect();
        let amounts: Vec<Decimal> = chunk.iter().map(|l| l.amount).collect();
        sqlx::query!(
            r#"insert into commission_lines
                   (statement_id, partner_id, position, client_id, client_name, plan, list_price, days_active,
                    days_in_month, tier, rate, amount)
               select $1, $2, l.position, l.client_id, l.client_name, l.plan, l.list_price, l.days_active,
                      $3, $4, $5, l.amount
               from unnest($6::int[], $7::uuid[], $8::text[], $9::text[], $10::numeric[], $11::smallint[],
                           $12::numeric[])
                    as l(position, client_id, client_name, plan, list_price, days_active, amount)"#,
            statement,
            s.partner_id,
            month.days() as i16,
            s.tier_after as Tier,
            s.tier_after.commission_rate(),
            &positions,
            &client_ids,
            &names,
            &plans,
            &prices,
            &days,
            &amounts
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Sets a partner's recomputed tier. Only partners without a pin in force are recomputed, so
/// a pin that has ended goes with it.
pub async fn set_tier(tx: &mut PgConnection, partner_id: Uuid, tier: Tier) -> sqlx::Result<()> {
    sqlx::query!(
        "update partners set tier = $2, tier_pinned = false, tier_pinned_until = null where id = $1",
        partner_id,
        tier as Tier
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The sign-in addresses of a partner's active owners.
pub async fn owner_emails(tx: &mut PgConnection, partner_id: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select u.email from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 and m.role = 'owner' and u.disabled_at is null order by u.email",
        partner_id
    )
    .fetch_all(&mut *tx)
    .await
}

/// Gathers a partner's closed, unpaid statements and adjustments (worth `balance`, at least
/// the minimum) into one payout due when `month`'s statement is.
pub async fn schedule_payout(
    tx: &mut PgConnection,
    partner_id: Uuid,
    balance: Decimal,
    month: Month,
) -> sqlx::Result<Uuid> {
    let payout = sqlx::query_scalar!(
        "insert into payouts (partner_id, amount, due_on) values ($1, $2, $3::text::date) returning id",
        partner_id,
        balance,
        date_param(month.payable_on())
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update commission_statements set payout_id = $2 where partner_id = $1 and payout_id is null",
        partner_id,
        payout
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update commission_adjustments set payout_id = $2 where partner_id = $1 and payout_id is null",
        partner_id,
        payout
    )
    .execute(&mut *tx)
    .await?;
    Ok(payout)
}

/// Every partner's closed amounts not yet in a payout (partners with none are left out).
pub async fn unassigned_balances(conn: &mut PgConnection) -> sqlx::Result<Vec<(Uuid, Decimal)>> {
    Ok(sqlx::query!(
        r#"select partner_id as "partner_id!", sum(amount) as "balance!"
           from (select partner_id, total as amount from commission_statements where payout_id is null
                 union all
                 select partner_id, amount from commission_adjustments where payout_id is null) unpaid
           group by partner_id
           order by partner_id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.partner_id, r.balance))
    .collect())
}

/// Closed amounts of a partner not yet in a payout: statements plus adjustments.
pub async fn unassigned_balance(
    conn: &mut PgConnection,
    partner_id: Uuid,
) -> sqlx::Result<Decimal> {
    sqlx::query_scalar!(
        r#"select (coalesce((select sum(total) from commission_statements where partner_id = $1 and payout_id is null), 0)
                 + coalesce((select sum(amount) from commission_adjustments where partner_id = $1 and payout_id is null), 0))
                 as "balance!""#,
        partner_id
    )
    .fetch_one(&mut *conn)
    .await
}

/// Partners with a statement for `month` and a webhook endpoint (the outbox sends the event
/// to those of its endpoints that want it).
pub async fn partners_with_endpoints(
    tx: &mut PgConnection,
    month: Month,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select distinct w.partner_id from webhook_endpoints w
         join commission_statements s on s.partner_id = w.partner_id and s.month = $1::text::date
         where w.deleted_at is null",
        crate::db::date_param(month.first_day())
    )
    .fetch_all(&mut *tx)
    .await
}
