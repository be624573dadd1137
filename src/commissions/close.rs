//! The monthly close: statements from the events, tiers recomputed, payouts scheduled.
//!
//! Everything happens in one transaction under an advisory lock, so two admins (or an admin
//! and the command line) closing at once close the month once; the second is told it was
//! already closed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

use super::{
    history::for_each_history,
    model::{
        payout_due, prorated_commission, statement_total, tier_after_close, CloseOutcome,
        LineComputation, PartnerClose,
    },
};
use crate::program::Month;
use crate::{
    audit::{self, Action, AuditEntry},
    db::{date_param, timestamp_param},
    error::{AppError, FieldErrors},
    mail::{self, OutgoingEmail},
    program::Tier,
};

const CLOSE_LOCK: i64 = 7412;

/// One partner's computed statement for a month.
pub struct Computed {
    pub summary: PartnerClose,
    pub lines: Vec<LineComputation>,
}

/// Computes every partner's statement for `month` from the events, without writing.
pub async fn compute(conn: &mut PgConnection, month: Month) -> Result<Vec<Computed>, AppError> {
    let partners = sqlx::query!(
        r#"select id, name, tier as "tier: Tier", tier_pinned from partners order by lower(name), id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut computed: Vec<Computed> = partners
        .into_iter()
        .map(|p| Computed {
            summary: PartnerClose {
                partner_id: p.id,
                partner_name: p.name,
                tier_before: p.tier,
                tier_after: p.tier,
                pinned: p.tier_pinned,
                active_clients: 0,
                lines: 0,
                total: Decimal::ZERO,
            },
            lines: Vec::new(),
        })
        .collect();
    let index: HashMap<Uuid, usize> = computed
        .iter()
        .enumerate()
        .map(|(i, c)| (c.summary.partner_id, i))
        .collect();

    // Lines are computed at a provisional rate and repriced once the tier is known.
    let end = month.end();
    for_each_history(conn, end, |partner, history| {
        let Some(&i) = index.get(&partner) else {
            return;
        };
        let entry = &mut computed[i];
        if history.is_active_at(end) {
            entry.summary.active_clients += 1;
        }
        if let Some(line) = history.line(month, end, Tier::Bronze, Decimal::ZERO) {
            entry.lines.push(line);
        }
    })
    .await?;

    for entry in &mut computed {
        let s = &mut entry.summary;
        s.tier_after = tier_after_close(s.tier_before, s.pinned, s.active_clients);
        let (tier, rate) = (s.tier_after, s.tier_after.commission_rate());
        for line in &mut entry.lines {
            line.tier = tier;
            line.rate = rate;
            line.amount =
                prorated_commission(line.list_price, line.days_active, line.days_in_month, rate);
        }
        entry.lines.sort_by(|a, b| {
            a.client_name
                .to_lowercase()
                .cmp(&b.client_name.to_lowercase())
                .then(a.client_id.cmp(&b.client_id))
        });
        s.lines = entry.lines.len() as i64;
        s.total = statement_total(&entry.lines);
    }
    Ok(computed)
}

/// Why a month cannot be closed (or previewed).
pub fn check_closable(
    month: Month,
    now: DateTime<Utc>,
    latest_closed: Option<Month>,
) -> Result<(), AppError> {
    if month.end() > now {
        return Err(FieldErrors::one(
            "month",
            format!(
                "{} has not ended yet; a month can be closed from the 1st of the next.",
                month.label()
            ),
        ));
    }
    if let Some(latest) = latest_closed.filter(|latest| *latest > month) {
        return Err(FieldErrors::one(
            "month",
            format!(
                "{} comes before {}, which is already closed; months are closed in order.",
                month.label(),
                latest.label()
            ),
        ));
    }
    Ok(())
}

/// When `month` was closed, if it was.
pub async fn closed_at(
    conn: &mut PgConnection,
    month: Month,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select closed_at as "closed_at: DateTime<Utc>" from commission_closes where month = $1::text::date"#,
        date_param(month.first_day())
    )
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn latest_closed(conn: &mut PgConnection) -> Result<Option<Month>, AppError> {
    let latest = sqlx::query_scalar!(
        r#"select max(month) as "month: chrono::NaiveDate" from commission_closes"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(latest.map(Month::of))
}

/// Whether a close e-mails owners about their tier changes. Replaying history (the demo
/// data) skips it: nobody should receive two years of tier news at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierMail {
    Send,
    Skip,
}

/// Closes `month` inside `tx` (the caller commits). `actor` is the admin, or `None` for the
/// command line. Closing a closed month changes nothing and says so.
pub async fn close_month(
    tx: &mut Transaction<'_, Postgres>,
    month: Month,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<CloseOutcome, AppError> {
    close_month_with(tx, month, actor, now, TierMail::Send).await
}

/// [`close_month`], choosing whether tier changes are e-mailed.
pub async fn close_month_with(
    tx: &mut Transaction<'_, Postgres>,
    month: Month,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
    mail: TierMail,
) -> Result<CloseOutcome, AppError> {
    sqlx::query!("select pg_advisory_xact_lock($1)", CLOSE_LOCK)
        .execute(&mut **tx)
        .await?;
    if let Some(closed_at) = closed_at(tx, month).await? {
        return Ok(CloseOutcome::AlreadyClosed { month, closed_at });
    }
    check_closable(month, now, latest_closed(tx).await?)?;

    let computed = compute(tx, month).await?;
    let with_lines: Vec<&Computed> = computed.iter().filter(|c| !c.lines.is_empty()).collect();
    let total: Decimal = with_lines.iter().map(|c| c.summary.total).sum();
    sqlx::query!(
        "insert into commission_closes (month, closed_at, closed_by, statements, total)
         values ($1::text::date, $2::text::timestamptz, $3, $4, $5)",
        date_param(month.first_day()),
        timestamp_param(now),
        actor,
        with_lines.len() as i32,
        total
    )
    .execute(&mut **tx)
    .await?;

    for entry in &with_lines {
        insert_statement(tx, month, entry).await?;
    }

    let mut tier_changes = 0;
    for entry in &computed {
        let s = &entry.summary;
        if s.tier_after != s.tier_before {
            change_tier(tx, month, s, actor, now, mail).await?;
            tier_changes += 1;
        }
    }

    // One read for every partner's unpaid balance; a write only where a payout is due.
    let mut payouts = 0;
    for (partner_id, balance) in unassigned_balances(tx).await? {
        if payout_due(balance) {
            schedule_payout(tx, partner_id, balance, month).await?;
            payouts += 1;
        }
    }

    let mut entry = AuditEntry::system(Action::CommissionsMonthClosed)
        .at(now)
        .detail(serde_json::json!({
            "month": month.to_string(),
            "statements": with_lines.len(),
            "total": total.to_string(),
            "tier_changes": tier_changes,
            "payouts": payouts,
        }));
    entry.actor = actor;
    audit::record(&mut **tx, entry).await?;

    Ok(CloseOutcome::Closed {
        month,
        statements: with_lines.len() as i64,
        total,
        tier_changes,
        payouts,
    })
}

async fn insert_statement(
    tx: &mut Transaction<'_, Postgres>,
    month: Month,
    entry: &Computed,
) -> Result<(), AppError> {
    let s = &entry.summary;
    let statement = sqlx::query_scalar!(
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
    .fetch_one(&mut **tx)
    .await?;
    // Written in chunks of columns (unnest), not row by row: a large partner has many lines.
    for (chunk_no, chunk) in entry.lines.chunks(5_000).enumerate() {
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
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn change_tier(
    tx: &mut Transaction<'_, Postgres>,
    month: Month,
    s: &PartnerClose,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
    mail: TierMail,
) -> Result<(), AppError> {
    sqlx::query!(
        "update partners set tier = $2 where id = $1",
        s.partner_id,
        s.tier_after as Tier
    )
    .execute(&mut **tx)
    .await?;
    let mut entry = AuditEntry::system(Action::PartnerTierChanged)
        .at(now)
        .partner(s.partner_id)
        .target("partner", s.partner_id)
        .detail(serde_json::json!({
            "month": month.to_string(),
            "from": s.tier_before.slug(),
            "to": s.tier_after.slug(),
            "active_clients": s.active_clients,
        }));
    entry.actor = actor;
    audit::record(&mut **tx, entry).await?;
    if mail == TierMail::Skip {
        return Ok(());
    }

    let owners = sqlx::query_scalar!(
        "select u.email from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 and m.role = 'owner' and u.disabled_at is null order by u.email",
        s.partner_id
    )
    .fetch_all(&mut **tx)
    .await?;
    let direction = if s.tier_after > s.tier_before {
        "up"
    } else {
        "down"
    };
    for to in owners {
        let body = format!(
            "Hello,\n\nAt the close of {month}, {partner} had {clients} active clients, so its partner tier \
             moved {direction} from {from} to {to_tier}.\n\nFrom now on your commission rate is {rate} of list \
             price, and you may have {cap}.\n\nThe partner dashboard shows how far you are from the next tier.\n",
            month = month.label(),
            partner = s.partner_name,
            clients = s.active_clients,
            from = s.tier_before.label(),
            to_tier = s.tier_after.label(),
            rate = crate::components::format::percent(s.tier_after.commission_rate()),
            cap = s
                .tier_after
                .client_cap()
                .map(|c| format!("up to {c} clients"))
                .unwrap_or_else(|| "any number of clients".into()),
        );
        mail::enqueue(
            &mut **tx,
            &OutgoingEmail {
                to,
                subject: format!("Your partner tier is now {}", s.tier_after.label()),
                body,
                partner_id: Some(s.partner_id),
            },
        )
        .await?;
    }
    Ok(())
}

/// Gathers a partner's closed, unpaid statements and adjustments (worth `balance`, at least
/// the minimum) into one payout due when `month`'s statement is.
async fn schedule_payout(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    balance: Decimal,
    month: Month,
) -> Result<Uuid, AppError> {
    let payout = sqlx::query_scalar!(
        "insert into payouts (partner_id, amount, due_on) values ($1, $2, $3::text::date) returning id",
        partner_id,
        balance,
        date_param(month.payable_on())
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query!(
        "update commission_statements set payout_id = $2 where partner_id = $1 and payout_id is null",
        partner_id,
        payout
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update commission_adjustments set payout_id = $2 where partner_id = $1 and payout_id is null",
        partner_id,
        payout
    )
    .execute(&mut **tx)
    .await?;
    Ok(payout)
}

/// Every partner's closed amounts not yet in a payout (partners with none are left out).
async fn unassigned_balances(conn: &mut PgConnection) -> Result<Vec<(Uuid, Decimal)>, AppError> {
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
) -> Result<Decimal, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select (coalesce((select sum(total) from commission_statements where partner_id = $1 and payout_id is null), 0)
                 + coalesce((select sum(amount) from commission_adjustments where partner_id = $1 and payout_id is null), 0))
                 as "balance!""#,
        partner_id
    )
    .fetch_one(&mut *conn)
    .await?)
}
