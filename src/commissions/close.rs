//! The monthly close: statements from the events, tiers recomputed, payouts scheduled.
//!
//! It runs in three steps under the close lock (so two admins, or an admin and the command
//! line, closing at once close the month once; the second is told it was already closed):
//!
//! 1. start: refuse a month that cannot be closed, record the run (`close_runs`);
//! 2. batches of partners in id order: read their events (one range of the index, streamed),
//!    write their statements, lines and decisions (`close_partners`), move the run forward;
//! 3. finish: tier changes, payouts, the month marked closed (`commission_closes`), audit.
//!
//! [`run`] commits each step on its own, so a close of a million clients shows its progress
//! and holds one batch in memory; if its process dies, running it again carries on with the
//! partners not yet done. [`close_month`] runs the same steps inside the caller's transaction
//! (the demo's history, tests).

mod compute;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

pub use compute::{batches, compute_batch, Computed, BATCH_CLIENTS};

use super::{
    model::{payout_due, CloseOutcome, CloseProgress, PartnerClose},
    queries::close as queries,
};
use crate::program::Month;
use crate::{
    audit::{self, Action, AuditEntry},
    error::{AppError, FieldErrors},
    mail::{self, OutgoingEmail},
    webhooks::{model::EventType, outbox},
};

/// Every partner's statement for `month` computed from the events, without writing, in
/// partner-name order (lines dropped batch by batch: the admin's preview).
pub async fn compute(conn: &mut PgConnection, month: Month) -> Result<Vec<PartnerClose>, AppError> {
    let partners = queries::partners_for_close(conn, month, true).await?;
    let mut summaries = Vec::with_capacity(partners.len());
    for batch in batches(partners, BATCH_CLIENTS) {
        let computed = compute_batch(conn, month, &batch).await?.computed;
        summaries.extend(computed.into_iter().map(|c| c.summary));
    }
    summaries.sort_by(|a, b| {
        a.partner_name
            .to_lowercase()
            .cmp(&b.partner_name.to_lowercase())
            .then(a.partner_id.cmp(&b.partner_id))
    });
    Ok(summaries)
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

/// One close: which month, by whom (`None`: the command line), when, with what mail.
#[derive(Clone, Copy, Debug)]
pub struct CloseRequest {
    pub month: Month,
    pub actor: Option<Uuid>,
    pub now: DateTime<Utc>,
    pub mail: TierMail,
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
    let request = CloseRequest {
        month,
        actor,
        now,
        mail,
    };
    queries::lock_close(tx).await?;
    let Some(remaining) = start(tx, &request).await? else {
        return already_closed(tx, month).await;
    };
    for batch in batches(remaining, BATCH_CLIENTS) {
        write_batch(tx, month, &batch).await?;
    }
    finish(tx, &request).await
}

/// Closes `month` a step per transaction, reporting progress after each batch. A close
/// that stopped halfway (its process died) carries on from where it stopped.
pub async fn run(
    pool: &PgPool,
    request: CloseRequest,
    batch_clients: i64,
    statement_timeout_ms: u32,
    mut progress: impl FnMut(&CloseProgress),
) -> Result<CloseOutcome, AppError> {
    // The lock lives with this connection: if the process dies, PostgreSQL releases it.
    let mut lock = pool.acquire().await?.detach();
    queries::lock_close_session(&mut lock).await?;
    let outcome = run_locked(
        pool,
        request,
        batch_clients,
        statement_timeout_ms,
        &mut progress,
    )
    .await;
    let _ = queries::unlock_close(&mut lock).await;
    outcome
}

async fn run_locked(
    pool: &PgPool,
    request: CloseRequest,
    batch_clients: i64,
    statement_timeout_ms: u32,
    progress: &mut impl FnMut(&CloseProgress),
) -> Result<CloseOutcome, AppError> {
    let begin = || async {
        let mut tx = pool.begin().await?;
        crate::db::long_statements(&mut tx, statement_timeout_ms).await?;
        Ok::<_, sqlx::Error>(tx)
    };
    let month = request.month;
    let mut tx = begin().await?;
    let Some(remaining) = start(&mut tx, &request).await? else {
        return already_closed(&mut tx, month).await;
    };
    tx.commit().await?;

    for batch in batches(remaining, batch_clients) {
        let mut tx = begin().await?;
        write_batch(&mut tx, month, &batch).await?;
        let now = queries::unfinished_run(&mut tx).await?;
        tx.commit().await?;
        if let Some(now) = now.filter(|p| p.month == month) {
            progress(&now);
        }
    }

    let mut tx = begin().await?;
    let outcome = finish(&mut tx, &request).await?;
    tx.commit().await?;
    Ok(outcome)
}

async fn already_closed(conn: &mut PgConnection, month: Month) -> Result<CloseOutcome, AppError> {
    let closed_at = queries::closed_at(conn, month)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(CloseOutcome::AlreadyClosed { month, closed_at })
}

/// Refuses a month that cannot be closed; records the run and returns the partners still to
/// do, or `None` if the month is closed already.
async fn start(
    conn: &mut PgConnection,
    request: &CloseRequest,
) -> Result<Option<Vec<queries::ClosePartner>>, AppError> {
    let month = request.month;
    if queries::closed_at(conn, month).await?.is_some() {
        return Ok(None);
    }
    check_closable(month, request.now, queries::latest_closed(conn).await?)?;
    if let Some(other) = queries::other_unfinished_run(conn, month).await? {
        return Err(FieldErrors::one(
            "month",
            format!(
                "The close of {} stopped before it finished; close {} again to finish it first.",
                other.label(),
                other.label()
            ),
        ));
    }
    let remaining = queries::partners_for_close(conn, month, false).await?;
    queries::start_run(conn, month, request.actor, remaining.len() as i64).await?;
    Ok(Some(remaining))
}

/// One batch: its statements and lines, what was decided for each partner, the progress.
async fn write_batch(
    conn: &mut PgConnection,
    month: Month,
    partners: &[queries::ClosePartner],
) -> Result<(), AppError> {
    let batch = compute_batch(conn, month, partners).await?;
    for entry in batch.computed.iter().filter(|c| !c.lines.is_empty()) {
        let statement = queries::insert_statement(conn, month, &entry.summary).await?;
        queries::insert_lines(conn, statement, month, &entry.summary, &entry.lines).await?;
    }
    let decided: Vec<PartnerClose> = batch.computed.into_iter().map(|c| c.summary).collect();
    queries::record_batch(conn, month, &decided, batch.clients).await?;
    Ok(())
}

/// Tier changes, payouts, the month marked closed, the audit row.
async fn finish(conn: &mut PgConnection, request: &CloseRequest) -> Result<CloseOutcome, AppError> {
    let CloseRequest {
        month,
        actor,
        now,
        mail,
    } = *request;
    let changes = queries::tier_changes(conn, month).await?;
    for change in &changes {
        change_tier(conn, month, change, actor, now, mail).await?;
    }
    let (statements, total) = queries::month_statements(conn, month).await?;
    queries::insert_close(conn, month, now, actor, statements as i32, total).await?;
    announce_statements(conn, month).await?;
    // Every partner's health score and leaderboard place for the month.
    crate::health::record::record_month(conn, month).await?;

    // One read for every partner's unpaid balance; a write only where a payout is due.
    let mut payouts = 0;
    for (partner_id, balance) in queries::unassigned_balances(conn).await? {
        if payout_due(balance) {
            queries::schedule_payout(conn, partner_id, balance, month).await?;
            payouts += 1;
        }
    }
    queries::finish_run(conn, month, now).await?;

    let tier_changes = changes.len() as i64;
    let mut entry = AuditEntry::system(Action::CommissionsMonthClosed)
        .at(now)
        .detail(serde_json::json!({
            "month": month.to_string(),
            "statements": statements,
            "total": total.to_string(),
            "tier_changes": tier_changes,
            "payouts": payouts,
        }));
    entry.actor = actor;
    audit::record(&mut *conn, entry).await?;

    Ok(CloseOutcome::Closed {
        month,
        statements,
        total,
        tier_changes,
        payouts,
    })
}

/// `statement.closed` for each partner with a webhook endpoint that has a statement this
/// month (the statement as the API shows it); partners without endpoints cost nothing.
async fn announce_statements(conn: &mut PgConnection, month: Month) -> Result<(), AppError> {
    for partner_id in queries::partners_with_endpoints(conn, month).await? {
        if let Some(summary) =
            crate::commissions::queries::statement(&mut *conn, partner_id, month).await?
        {
            let statement = super::api_view::Statement::from(summary);
            let data = serde_json::to_value(statement).map_err(|_| AppError::Internal)?;
            outbox::record(conn, partner_id, EventType::StatementClosed, data, None).await?;
        }
    }
    Ok(())
}

async fn change_tier(
    tx: &mut PgConnection,
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
    audit::record(&mut *tx, entry).await?;
    let tier = serde_json::json!({
        "tier": s.tier_after.slug(),
        "previous_tier": s.tier_before.slug(),
        "pinned": false,
        "active_clients": s.active_clients,
        "month": month.to_string(),
    });
    outbox::record(tx, s.partner_id, EventType::TierChanged, tier, None).await?;
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
            &mut *tx,
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
