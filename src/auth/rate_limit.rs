//! Limits on failed sign-ins, per account and per client address. Counts live in
//! PostgreSQL so that every app server behind a load balancer sees the same numbers.

use std::net::IpAddr;

use sqlx::PgPool;

use super::queries;
use crate::error::AppError;

/// The window over which failures are counted.
pub const WINDOW_MINUTES: i32 = 15;
/// Failures one account may have in the window before further attempts are refused.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures one address may have in the window (it may try many accounts).
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// The keys a sign-in attempt is counted under.
pub struct AttemptKeys {
    account: String,
    address: Option<String>,
}

impl AttemptKeys {
    pub fn new(email: &str, addr: Option<IpAddr>) -> Self {
        Self {
            account: format!("account:{email}"),
            address: addr.map(|a| format!("addr:{a}")),
        }
    }

    fn all(&self) -> Vec<String> {
        std::iter::once(self.account.clone())
            .chain(self.address.clone())
            .collect()
    }

    /// Refuses the attempt when either key has too many recent failures. Checked before the
    /// password, so that a locked account cannot be probed.
    pub async fn check(&self, pool: &PgPool) -> Result<(), AppError> {
        let counts = queries::recent_failures(pool, &self.all(), WINDOW_MINUTES).await?;
        let over = counts.iter().any(|(key, count)| {
            let limit = if *key == self.account {
                MAX_FAILURES_PER_ACCOUNT
            } else {
                MAX_FAILURES_PER_ADDRESS
            };
            *count >= limit
        });
        if over {
            tracing::warn!(account = %self.account, address = ?self.address, "sign-in rate limit hit");
            return Err(AppError::TooManyRequests(format!(
                "Too many failed sign-in attempts. Please wait {WINDOW_MINUTES} minutes and try again."
            )));
        }
        Ok(())
    }

    pub async fn record_failure(&self, pool: &PgPool) -> Result<(), AppError> {
        Ok(queries::record_failure(pool, &self.all()).await?)
    }

    pub async fn clear_account(&self, pool: &PgPool) -> Result<(), AppError> {
        Ok(queries::clear_failures(pool, &self.account).await?)
    }
}

/// A limit on how often one client address may do something (e.g. submit an application).
pub struct AddressLimit {
    pub action: &'static str,
    pub max: i64,
    pub window_minutes: i32,
}

impl AddressLimit {
    fn key(&self, addr: Option<IpAddr>) -> String {
        format!(
            "{}:{}",
            self.action,
            addr.map(|a| a.to_string())
                .unwrap_or_else(|| "unknown".into())
        )
    }

    /// Refuses when `addr` has used up the limit.
    pub async fn check(&self, pool: &PgPool, addr: Option<IpAddr>) -> Result<(), AppError> {
        let key = self.key(addr);
        let used = sqlx::query_scalar!(
            r#"select count(*) as "count!" from rate_limit_hits
               where key = $1 and hit_at > now() - make_interval(mins => $2)"#,
            key,
            self.window_minutes
        )
        .fetch_one(pool)
        .await?;
        if used >= self.max {
            tracing::warn!(%key, "rate limit hit");
            return Err(AppError::TooManyRequests(format!(
                "Too many requests from your network. Please try again in {} minutes.",
                self.window_minutes
            )));
        }
        Ok(())
    }

    /// Counts one use, in the caller's transaction.
    pub async fn record<'e>(
        &self,
        executor: impl sqlx::PgExecutor<'e>,
        addr: Option<IpAddr>,
    ) -> Result<(), AppError> {
        sqlx::query!(
            "insert into rate_limit_hits (key) values ($1)",
            self.key(addr)
        )
        .execute(executor)
        .await?;
        Ok(())
    }
}
