//! SQL for password resets. The token is stored only as its SHA-256.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// The account an address names, if it may reset its password (not disabled).
pub async fn account_for(pool: &PgPool, email: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select id from users where email = $1 and disabled_at is null",
        email
    )
    .fetch_optional(pool)
    .await
}

pub async fn create(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    token_hash: &[u8],
    minutes: i32,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into password_resets (user_id, token_hash, expires_at)
         values ($1, $2, now() + make_interval(mins => $3)) returning id",
        user_id,
        token_hash,
        minutes
    )
    .fetch_one(&mut **tx)
    .await
}

/// A reset that can still be used, locked: its person and their address.
pub struct OpenReset {
    pub user_id: Uuid,
    pub email: String,
}

pub async fn lock_open(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
) -> sqlx::Result<Option<OpenReset>> {
    sqlx::query_as!(
        OpenReset,
        "select r.user_id, u.email from password_resets r join users u on u.id = r.user_id
         where r.token_hash = $1 and r.used_at is null and r.expires_at > now()
           and u.disabled_at is null
         for update of r",
        token_hash
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Stores the new password, ends every session of the person, and uses up this reset and
/// any other open one of theirs.
pub async fn complete(
    tx: &mut Transaction<'_, Postgres>,
    reset: &OpenReset,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = $2, sessions_ended_at = now() where id = $1",
        reset.user_id,
        password_hash
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update password_resets set used_at = now() where user_id = $1 and used_at is null",
        reset.user_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
