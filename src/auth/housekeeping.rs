//! Tidying that no request does: impersonations that ran out while nobody was looking are
//! closed with their audit rows, and old throttle counts and password resets are forgotten.

use std::time::Duration;

use sqlx::PgPool;

/// How often the housekeeper runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// One round; what it did, for the log.
pub async fn run_once(pool: &PgPool) -> Result<(usize, u64), crate::error::AppError> {
    let closed = super::acting::close_expired(pool).await?;
    let pruned = super::queries::throttle_prune(pool).await?
        + super::queries::password_resets_prune(pool).await?;
    Ok((closed, pruned))
}

/// Runs [`run_once`] every [`EVERY`] until the task is stopped. Safe with several app
/// servers: each round is one transaction whose updates skip rows already closed.
pub async fn run(pool: PgPool) {
    let mut ticker = tokio::time::interval(EVERY);
    loop {
        ticker.tick().await;
        match run_once(&pool).await {
            Ok((0, 0)) => {}
            Ok((closed, pruned)) => {
                tracing::info!(
                    closed,
                    pruned,
                    "housekeeping: expired impersonations closed, old limits and resets pruned"
                )
            }
            Err(error) => tracing::warn!(%error, "housekeeping round failed"),
        }
    }
}
