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
    model::{
        payout_due, prorated_commission, statement_total, tier_after_close, CloseOutcome,
        LineComputation, PartnerClose,
    },
    queries::{close as queries, history::for_each_history},
};
use crate::program::Month;
use crate::{
    audit::{self, Action, AuditEntry},
    error::{AppError, FieldErrors},
    mail::{self, OutgoingEmail},
    program::Tier,
};

/// One partner's computed statement for a month.
pub struct Computed {
    pub summary: PartnerClose,
    pub lines: Vec<LineComputation>,
}

/// Computes every partner's statement for `month` from the events, without writing.
pub async fn compute(conn: &mut PgConnection, month: Month) -> Result<Vec<Computed>, AppError> {
    let partners = queries::partners_for_close(conn).await?;
    let mut computed: Vec<Computed> = partners
        .into_iter()
        .map(|(partner_id, partner_name, tier, pinned)| Computed {
            summary: PartnerClose {
                partner_id,
                partner_name,
                tier_before: tier,
                tier_after: tier,
                pinned,
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
    queries::lock_close(tx).await?;
    if let Some(closed_at) = queries::closed_at(tx, month).await? {
        return Ok(CloseOutcome::AlreadyClosed { month, closed_at });
    }
    check_closable(month, now, queries::latest_closed(tx).await?)?;

    let computed = compute(tx, month).await?;
    let with_lines: Vec<&Computed> = computed.iter().filter(|c| !c.lines.is_empty()).collect();
    let total: Decimal = with_lines.iter().map(|c| c.summary.total).sum();
    queries::insert_close(tx, month, now, actor, with_lines.len() as i32, total).await?;
    for entry in &with_lines {
        let statement = queries::insert_statement(tx, month, &entry.summary).await?;
        queries::insert_lines(tx, statement, month, &entry.summary, &entry.lines).await?;
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
    for (partner_id, balance) in queries::unassigned_balances(tx).await? {
        if payout_due(balance) {
            queries::schedule_payout(tx, partner_id, balance, month).await?;
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

async fn change_tier(
    tx: &mut Transaction<'_, Postgres>,
    month: Month,
    s: &PartnerClose,
    actor: Option<Uuid>,
    now: DateTime<Utc>,
    mail: TierMail,
) -> Result<(), AppError> {
    queries::set_tier(tx, s.partner_id, s.tier_after).await?;
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

    let owners = queries::owner_emails(tx, s.partner_id).await?;
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
