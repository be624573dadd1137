//! Writing messages to the outbox.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::error::AppError;

/// A message to send, in plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The partner the message concerns, if any (for sharding and the partner's audit).
    pub partner_id: Option<Uuid>,
}

/// Queues `email` using `executor`: pass the transaction that makes the change it reports.
pub async fn enqueue<'e>(
    executor: impl PgExecutor<'e>,
    email: &OutgoingEmail,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into email_outbox (partner_id, to_address, subject, body_text) values ($1, $2, $3, $4)",
        email.partner_id,
        email.to,
        email.subject,
        email.body
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// E-mails not yet sent (for `/metrics`; the partial index on unsent rows keeps it cheap).
pub async fn depth(pool: &sqlx::PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "count!" from email_outbox where sent_at is null"#)
        .fetch_one(pool)
        .await
}
