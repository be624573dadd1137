//! A registration's life after approval: activity that extends its protection, the sweep
//! that reminds the registrant before the protection ends and ends it, and the win that makes
//! the prospect a client. The sweep claims deals with `skip locked`, so several app servers
//! send each reminder once; it takes the time as an argument, so tests move the clock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::rules::{extended, reminder_due, GRANT_DAYS, REMINDER_DAYS};
use crate::{
    audit::{Action, AuditEntry},
    error::AppError,
    mail::{self, OutgoingEmail},
};

/// Deals handled per round of the sweep; the rest wait for the next round.
const PER_ROUND: i64 = 200;
/// How often the sweep runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// A protected deal as the lifecycle reads it.
#[derive(sqlx::FromRow)]
pub struct Protected {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub company_name: String,
    pub protected_until: DateTime<Utc>,
    pub decided_at: DateTime<Utc>,
    pub reminded_days: Option<i32>,
    pub registrant_email: Option<String>,
}

/// The partner's approved deal `deal_id`, still protected at `now`, locked for the change.
pub async fn lock_protected(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    deal_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Protected>> {
    sqlx::query_as(
        "select d.id, d.partner_id, d.company_name, d.protected_until, d.decided_at,
                d.reminded_days, u.email as registrant_email
         from deals d left join users u on u.id = d.registered_by
         where d.id = $1 and d.partner_id = $2 and d.status = 'approved'
           and d.protected_until > $3
         for update of d",
    )
    .bind(deal_id)
    .bind(partner_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// The deal that protects `domain` at `now`, if any, locked: its id and partner.
pub async fn lock_protecting(
    tx: &mut Transaction<'_, Postgres>,
    domain: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<(Uuid, Uuid)>> {
    sqlx::query_as(
        "select id, partner_id from deals
         where domain = $1 and status = 'approved' and protected_until > $2
         order by decided_at limit 1
         for update",
    )
    .bind(domain)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Records activity on a protected deal at `now`: the protection moves on by the rule of
/// [`extended`], and reminders start over when it did. The new end.
pub async fn record_activity(
    tx: &mut Transaction<'_, Postgres>,
    deal: &Protected,
    now: DateTime<Utc>,
) -> sqlx::Result<DateTime<Utc>> {
    let until = extended(deal.protected_until, deal.decided_at, now);
    sqlx::query(
        "update deals set activity_at = $2, protected_until = $3,
                reminded_days = case when $3 > protected_until then null else reminded_days end
         where id = $1",
    )
    .bind(deal.id)
    .bind(now)
    .bind(until)
    .execute(&mut **tx)
    .await?;
    Ok(until)
}

/// Records the partner's request for more time on a protected deal; `false` when one waits
/// already.
pub async fn request_extension(
    tx: &mut Transaction<'_, Postgres>,
    deal: &Protected,
    reason: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let asked = sqlx::query(
        "update deals set extension_requested_at = $2, extension_reason = $3
         where id = $1 and extension_requested_at is null",
    )
    .bind(deal.id)
    .bind(now)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(asked.rows_affected() == 1)
}

/// Answers a waiting extension request: granted, the protection ends [`GRANT_DAYS`] later
/// (past the limit, if need be) and reminders start over. The deal, its new end, or `None`
/// when no request waits on a protected deal.
pub async fn answer_extension(
    tx: &mut Transaction<'_, Postgres>,
    deal_id: Uuid,
    grant: bool,
) -> sqlx::Result<Option<Protected>> {
    sqlx::query_as(
        "update deals d set extension_requested_at = null, extension_reason = null,
                protected_until = case when $2 then d.protected_until + make_interval(days => $3)
                                       else d.protected_until end,
                reminded_days = case when $2 then null else d.reminded_days end
         where d.id = $1 and d.status = 'approved' and d.extension_requested_at is not null
         returning d.id, d.partner_id, d.company_name, d.protected_until, d.decided_at,
                   d.reminded_days,
                   (select email from users u where u.id = d.registered_by) as registrant_email",
    )
    .bind(deal_id)
    .bind(grant)
    .bind(GRANT_DAYS as i32)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks the partner's protected deal won, as client `client_id`.
pub async fn mark_won(
    tx: &mut Transaction<'_, Postgres>,
    deal_id: Uuid,
    client_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update deals set status = 'won', client_id = $2, won_at = $3 where id = $1")
        .bind(deal_id)
        .bind(client_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends the protection of deals whose time is up at `now`: audited, and the registrant told.
pub async fn end_due(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let ended: Vec<Protected> = sqlx::query_as(
        "with due as (
             select id from deals where status = 'approved' and protected_until <= $1
             order by protected_until limit $2 for update skip locked)
         update deals d set status = 'expired' from due
         where d.id = due.id
         returning d.id, d.partner_id, d.company_name, d.protected_until, d.decided_at,
                   d.reminded_days,
                   (select email from users u where u.id = d.registered_by) as registrant_email",
    )
    .bind(now)
    .bind(PER_ROUND)
    .fetch_all(&mut *tx)
    .await?;
    for deal in &ended {
        crate::audit::record(
            &mut *tx,
            AuditEntry::system(Action::DealProtectionEnded)
                .at(now)
                .partner(deal.partner_id)
                .target("deal", deal.id)
                .detail(serde_json::json!({
                    "company_name": deal.company_name,
                    "protected_until": deal.protected_until,
                })),
        )
        .await?;
        tell(
            &mut tx,
            deal,
            format!("The protection of {} has ended", deal.company_name),
            format!(
                "The protection of your deal registration for {} ended on {}. Other partners \
                 may now register the prospect. If you still work on it, register it again \
                 under Deals.",
                deal.company_name,
                deal.protected_until.format("%Y-%m-%d")
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ended.len())
}

/// Sends the reminders due at `now` (14, 7 and 1 days before the protection ends).
pub async fn remind_due(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let furthest = REMINDER_DAYS.into_iter().max().unwrap_or_default();
    let near: Vec<Protected> = sqlx::query_as(
        "select d.id, d.partner_id, d.company_name, d.protected_until, d.decided_at,
                d.reminded_days, u.email as registrant_email
         from deals d left join users u on u.id = d.registered_by
         where d.status = 'approved' and d.protected_until > $1
           and d.protected_until <= $1 + make_interval(days => $2)
           and coalesce(d.reminded_days, 1000) > 1
         order by d.protected_until limit $3
         for update of d skip locked",
    )
    .bind(now)
    .bind(furthest as i32)
    .bind(PER_ROUND)
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    for deal in &near {
        let Some(days) = reminder_due(deal.protected_until, now, deal.reminded_days.map(i64::from))
        else {
            continue;
        };
        sqlx::query("update deals set reminded_days = $2 where id = $1")
            .bind(deal.id)
            .bind(days as i32)
            .execute(&mut *tx)
            .await?;
        let when = deal.protected_until.format("%Y-%m-%d");
        tell(
            &mut tx,
            deal,
            format!(
                "{} is protected for {days} more day{}",
                deal.company_name,
                if days == 1 { "" } else { "s" }
            ),
            format!(
                "Your registration of {} is protected until {when}. Record your latest \
                 activity on it under Deals to keep it protected longer (up to 180 days after \
                 its approval), or mark it won by converting it into a client.",
                deal.company_name
            ),
        )
        .await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// E-mails the deal's registrant, if they still have an account.
pub async fn tell(
    tx: &mut Transaction<'_, Postgres>,
    deal: &Protected,
    subject: String,
    text: String,
) -> Result<(), AppError> {
    let Some(to) = deal.registrant_email.clone() else {
        return Ok(());
    };
    mail::enqueue(
        &mut **tx,
        &OutgoingEmail {
            to,
            subject,
            body: format!("Hello,\n\n{text}\n"),
            partner_id: Some(deal.partner_id),
        },
    )
    .await
}

/// One round of the sweep at `now`: reminders first (a deal that ends this round was
/// reminded before), then the ends; how many of each.
pub async fn run_once(pool: &PgPool, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let reminded = remind_due(pool, now).await?;
    let ended = end_due(pool, now).await?;
    Ok((reminded, ended))
}

/// Runs [`run_once`] every [`EVERY`] until the task is stopped.
pub async fn run(pool: PgPool) {
    let mut ticker = tokio::time::interval(EVERY);
    loop {
        ticker.tick().await;
        match run_once(&pool, Utc::now()).await {
            Ok((0, 0)) => {}
            Ok((reminded, ended)) => {
                tracing::info!(reminded, ended, "deals: reminders sent, protections ended")
            }
            Err(error) => tracing::warn!(%error, "deal protection round failed"),
        }
    }
}
