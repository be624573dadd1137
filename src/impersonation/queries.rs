//! SQL for impersonation sessions. Scoped by partner and client throughout.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::model::SupportAccess;

/// The client's owner user (whom a reseller acts as), if the client allows reseller access
/// and is not canceled; locked for the transaction.
pub async fn owner_to_act_as(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<(Option<Uuid>, bool, bool)>> {
    let row = sqlx::query!(
        r#"select c.reseller_access_enabled, c.status <> 'canceled' as "open!",
                  (select cu.user_id from client_users cu
                    where cu.partner_id = c.partner_id and cu.client_id = c.id and cu.is_owner
                    order by cu.created_at limit 1) as owner
           from clients c where c.partner_id = $1 and c.id = $2 for update"#,
        partner_id,
        client_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.owner, r.reseller_access_enabled, r.open)))
}

/// A requested impersonation: who acts as whom, why, and its start link's hash.
pub struct NewImpersonation<'a> {
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub real_user: Uuid,
    pub acting_user: Uuid,
    pub reason: &'a str,
    pub token_hash: &'a [u8],
    pub token_seconds: i64,
}

pub async fn create(
    tx: &mut Transaction<'_, Postgres>,
    new: &NewImpersonation<'_>,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into impersonation_sessions
             (partner_id, client_id, real_user_id, acting_user_id, reason, token_hash, token_expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
         returning id",
        new.partner_id,
        new.client_id,
        new.real_user,
        new.acting_user,
        new.reason,
        new.token_hash,
        new.token_seconds as f64
    )
    .fetch_one(&mut **tx)
    .await
}

pub struct Started {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub acting_user_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

/// Uses up the start token: only once, only within its minute, only by the member who asked.
pub async fn consume(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
    real_user: Uuid,
    latest_end: DateTime<Utc>,
) -> sqlx::Result<Option<Started>> {
    sqlx::query_as!(
        Started,
        r#"update impersonation_sessions
           set started_at = now(), expires_at = least(now() + interval '30 minutes', to_timestamp($3::float8))
           where token_hash = $1 and real_user_id = $2 and started_at is null and ended_at is null
             and token_expires_at > now()
           returning id, partner_id, client_id, acting_user_id, expires_at as "expires_at!: DateTime<Utc>""#,
        token_hash,
        real_user,
        latest_end.timestamp() as f64
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Whether the impersonation may go on: not ended, not expired, and the client still lets
/// its reseller in.
pub async fn still_open(pool: &PgPool, id: Uuid) -> sqlx::Result<bool> {
    let open = sqlx::query_scalar!(
        r#"select (s.ended_at is null and s.expires_at > now() and c.reseller_access_enabled) as "open!"
           from impersonation_sessions s join clients c on c.partner_id = s.partner_id and c.id = s.client_id
           where s.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(open.unwrap_or(false))
}

/// Every access to a client, newest first, with what was done during each.
pub async fn accesses(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Vec<SupportAccess>> {
    let rows = sqlx::query!(
        r#"select s.id, u.display_name as who, s.reason,
                  s.started_at as "started_at: DateTime<Utc>", s.ended_at as "ended_at: DateTime<Utc>", s.end_reason,
                  coalesce((select array_agg(a.action order by a.occurred_at) from audit_log a
                            where a.impersonation_id = s.id
                              and a.action not in ('impersonation.started', 'impersonation.ended')),
                           '{}') as "changes!"
           from impersonation_sessions s join users u on u.id = s.real_user_id
           where s.partner_id = $1 and s.client_id = $2 and s.started_at is not null
           order by s.started_at desc
           limit 200"#,
        partner_id,
        client_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SupportAccess {
            who: r.who,
            reason: r.reason,
            started_at: r.started_at,
            ended_at: r.ended_at,
            end_reason: r.end_reason,
            changes: r.changes,
        })
        .collect())
}

/// The client's reseller's name and whether the client lets it log in.
pub async fn reseller_access(
    pool: &sqlx::PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<(String, bool)> {
    let row = sqlx::query!(
        "select p.name, c.reseller_access_enabled from clients c join partners p on p.id = c.partner_id
         where c.partner_id = $1 and c.id = $2",
        partner_id,
        client_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.name, row.reseller_access_enabled))
}

/// Turns reseller access on or off; off also ends every open impersonation of the client.
pub async fn set_reseller_access(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
    enabled: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update clients set reseller_access_enabled = $3 where partner_id = $1 and id = $2",
        partner_id,
        client_id,
        enabled
    )
    .execute(&mut **tx)
    .await?;
    if !enabled {
        sqlx::query!(
            "update impersonation_sessions set ended_at = now(), end_reason = 'reseller access turned off'
             where partner_id = $1 and client_id = $2 and ended_at is null",
            partner_id,
            client_id
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
