//! SQL for two-factor sign-in. Every statement names one person's own user id.

use sqlx::{PgExecutor, PgPool, Postgres, Transaction};
use uuid::Uuid;

/// Whether the person signs in with a second factor (a confirmed secret).
pub async fn enabled(pool: &PgPool, user_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from user_totp where user_id = $1 and confirmed_at is not null) as "on!""#,
        user_id
    )
    .fetch_one(pool)
    .await
}

/// The person's secret: confirmed (`true`) or still being enrolled.
pub async fn secret(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<(Vec<u8>, bool)>> {
    let row = sqlx::query!(
        r#"select secret, confirmed_at is not null as "confirmed!" from user_totp where user_id = $1"#,
        user_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.secret, r.confirmed)))
}

/// Starts (or restarts) an enrolment with a new secret; `false` if two-factor sign-in is
/// already on (a confirmed secret is never replaced here).
pub async fn start(pool: &PgPool, user_id: Uuid, secret: &[u8]) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into user_totp (user_id, secret) values ($1, $2)
         on conflict (user_id) do update set secret = excluded.secret, created_at = now()
         where user_totp.confirmed_at is null",
        user_id,
        secret
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Accepts a code of time step `step` once: `false` when a code of that step or a later
/// one was accepted already (a replayed code). Confirms an enrolment on its first code.
pub async fn accept_step(
    executor: impl PgExecutor<'_>,
    user_id: Uuid,
    step: u64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update user_totp set last_step = $2, confirmed_at = coalesce(confirmed_at, now())
         where user_id = $1 and (last_step is null or last_step < $2)",
        user_id,
        step as i64
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the person's recovery codes with these (their hashes).
pub async fn replace_recovery_codes(
    tx: &mut Transaction<'_, Postgres>,
    user_id: Uuid,
    hashes: &[Vec<u8>],
) -> sqlx::Result<()> {
    sqlx::query!("delete from recovery_codes where user_id = $1", user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query!(
        "insert into recovery_codes (user_id, code_hash) select $1, unnest($2::bytea[])",
        user_id,
        hashes
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Uses up one recovery code; `false` when no unused code has this hash.
pub async fn use_recovery_code(pool: &PgPool, user_id: Uuid, hash: &[u8]) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update recovery_codes set used_at = now()
         where id = (select id from recovery_codes
                     where user_id = $1 and code_hash = $2 and used_at is null
                     limit 1 for update)",
        user_id,
        hash
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn recovery_codes_left(pool: &PgPool, user_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from recovery_codes where user_id = $1 and used_at is null"#,
        user_id
    )
    .fetch_one(pool)
    .await
}

/// Turns two-factor sign-in off: the secret and the recovery codes go.
pub async fn remove(tx: &mut Transaction<'_, Postgres>, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from recovery_codes where user_id = $1", user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query!("delete from user_totp where user_id = $1", user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
