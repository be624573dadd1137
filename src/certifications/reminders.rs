//! The holder's reminder that a certification expires soon: one e-mail per certification,
//! 30 days ahead, sent by a background task; claimed with `skip locked`, so several app
//! servers send each once. It takes the day as an argument, so tests move the clock.

use std::time::Duration;

use chrono::{NaiveDate, TimeDelta};
use sqlx::PgPool;

use super::model::{Track, REMINDER_DAYS};
use crate::{
    error::AppError,
    mail::{self, OutgoingEmail},
};

/// Reminders per round; the rest wait for the next.
const PER_ROUND: i64 = 200;
/// How often the task runs.
pub const EVERY: Duration = Duration::from_secs(600);

/// Queues the reminders due `today`; how many.
pub async fn send_due(pool: &PgPool, today: NaiveDate) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let until = today + TimeDelta::days(REMINDER_DAYS);
    let due = super::queries::claim_expiring(&mut tx, today, until, PER_ROUND).await?;
    for c in &due {
        let track = Track::from_slug(&c.track).map_or("", |t| t.label());
        mail::enqueue(
            &mut *tx,
            &OutgoingEmail {
                to: c.email.clone(),
                subject: format!("Your {track} certification expires on {}", c.expires_on),
                body: format!(
                    "Hello {},\n\nYour {track} certification expires on {}. Complete the \
                     track again before then to keep your partner's certification level.\n",
                    c.name, c.expires_on
                ),
                partner_id: Some(c.partner_id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Runs [`send_due`] every [`EVERY`] until the task is stopped.
pub async fn run(pool: PgPool) {
    let mut ticker = tokio::time::interval(EVERY);
    loop {
        ticker.tick().await;
        match send_due(&pool, chrono::Utc::now().date_naive()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "certifications: expiry reminders queued"),
            Err(error) => tracing::warn!(%error, "certification reminders failed"),
        }
    }
}
