//! SQL for a person's own account. Every statement names the caller's own user id.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

pub async fn set_display_name(
    executor: impl PgExecutor<'_>,
    user_id: Uuid,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set display_name = $2 where id = $1",
        user_id,
        name
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// The stored password hash (none for an account that never set a password).
pub async fn password_hash(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<String>> {
    Ok(
        sqlx::query_scalar!("select password_hash from users where id = $1", user_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Stores a new password hash and ends every session signed in before `at`.
pub async fn set_password(
    executor: impl PgExecutor<'_>,
    user_id: Uuid,
    hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = $2, sessions_ended_at = $3::text::timestamptz where id = $1",
        user_id,
        hash,
        crate::db::timestamp_param(at)
    )
    .execute(executor)
    .await?;
    Ok(())
}
