//! The owner's warning that a key expires soon: one e-mail per key, a week ahead, sent by a
//! background task that also forgets spent bearer tokens. Keys are claimed with `skip
//! locked`, so several app servers send each notice once.

use std::time::Duration;

use sqlx::PgPool;

use super::{model::EXPIRY_NOTICE_DAYS, queries};
use crate::{
    error::AppError,
    mail::{self, OutgoingEmail},
};

/// Keys noticed per round; the rest wait for the next minute.
const PER_ROUND: i64 = 200;

/// Queues the notices that are due; how many keys were noticed. `site` is the portal's
/// public address, for the link.
pub async fn send_due(pool: &PgPool, site: &str) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let keys = queries::claim_expiring(&mut tx, EXPIRY_NOTICE_DAYS, PER_ROUND).await?;
    for key in &keys {
        let when = crate::components::format::date_time(key.expires_at);
        for to in queries::owner_emails(&mut tx, key.partner_id).await? {
            mail::enqueue(
                &mut *tx,
                &OutgoingEmail {
                    to,
                    subject: format!("Your API key \u{201c}{}\u{201d} expires on {when}", key.name),
                    body: format!(
                        "Hello,\n\nThe API key \u{201c}{}\u{201d} ({}\u{2026}) of your partner account \
                         stops working on {when}.\n\nTo keep your integration running, make a new key \
                         at {site}/partner/api-keys, switch your system to it, and revoke the old one.\n",
                        key.name, key.shown
                    ),
                    partner_id: Some(key.partner_id),
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(keys.len())
}

/// How often the task runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// One round: the notices due, then the spent tokens; how many of each.
pub async fn run_once(pool: &PgPool, site: &str) -> Result<(usize, u64), AppError> {
    let noticed = send_due(pool, site).await?;
    let pruned = queries::delete_expired_tokens(pool).await?;
    Ok((noticed, pruned))
}

/// Runs [`run_once`] every [`EVERY`] until the task is stopped.
pub async fn run(pool: PgPool, site: String) {
    let mut ticker = tokio::time::interval(EVERY);
    loop {
        ticker.tick().await;
        match run_once(&pool, &site).await {
            Ok((0, 0)) => {}
            Ok((noticed, pruned)) => {
                tracing::info!(
                    noticed,
                    pruned,
                    "API keys: expiry notices queued, spent tokens removed"
                )
            }
            Err(error) => tracing::warn!(%error, "API key round failed"),
        }
    }
}
