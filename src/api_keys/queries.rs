//! SQL for API keys. The owner's statements name the owner's partner; the API's lookup by
//! hash runs before the caller is known (every partner's rows) and narrows the request to
//! the key's partner as soon as it has found the key.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::model::{ApiKeyRow, ApiScope, KeyState, NewKey, ACTIVE_KEYS_MAX, KEYS_PAGE};
use crate::{
    auth::model::PartnerStatus,
    db::keyset::SortKey,
    program::{PageLinks, Position},
};

/// The index that keeps names unique among keys in use.
pub const LIVE_NAME: &str = "api_keys_live_name_idx";

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: Uuid,
    name: String,
    shown: String,
    scopes: Vec<String>,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked: bool,
    expired: bool,
    last_used_at: Option<DateTime<Utc>>,
    last_used_from: Option<String>,
    page_key: Vec<String>,
}

fn scopes_of(slugs: &[String]) -> Vec<ApiScope> {
    slugs
        .iter()
        .filter_map(|s| ApiScope::from_slug(s))
        .collect()
}

/// A page of the partner's keys, newest first.
pub async fn list(
    pool: &PgPool,
    partner_id: Uuid,
    position: &Position,
) -> sqlx::Result<(Vec<ApiKeyRow>, PageLinks)> {
    let key = SortKey::new(&[("k.created_at", "timestamptz"), ("k.id", "uuid")], true);
    let mut page = QueryBuilder::new(format!(
        "select k.id, k.name, k.shown, k.scopes, u.display_name as created_by, k.created_at, \
                k.expires_at, k.revoked_at is not null as revoked, k.expires_at <= now() as expired, \
                k.last_used_at, host(k.last_used_from) as last_used_from, {} as page_key \
         from api_keys k left join users u on u.id = k.created_by where k.partner_id = ",
        key.select()
    ));
    page.push_bind(partner_id);
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, KEYS_PAGE);
    let rows: Vec<KeyRow> = page.build_query_as().fetch_all(pool).await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| {
                let state = if r.revoked {
                    KeyState::Revoked
                } else if r.expired {
                    KeyState::Expired
                } else {
                    KeyState::Active
                };
                let row = ApiKeyRow {
                    id: r.id,
                    name: r.name,
                    shown: r.shown,
                    scopes: scopes_of(&r.scopes),
                    created_by: r.created_by,
                    created_at: r.created_at,
                    expires_at: r.expires_at,
                    last_used_at: r.last_used_at,
                    last_used_from: r.last_used_from,
                    state,
                };
                (row, r.page_key)
            })
            .collect(),
        position,
        KEYS_PAGE,
    ))
}

/// Keys the partner holds in use (at most [`ACTIVE_KEYS_MAX`], so the count stays small).
pub async fn active_count<'e>(
    executor: impl PgExecutor<'e>,
    partner_id: Uuid,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from api_keys
           where partner_id = $1 and revoked_at is null and expires_at > now()"#,
        partner_id
    )
    .fetch_one(executor)
    .await
}

/// Stores a new key in `tx`, unless the partner already holds [`ACTIVE_KEYS_MAX`] in use:
/// counted under a lock on the partner's row, so two owners' tabs cannot both pass the cap.
/// `None` when the cap is reached.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    created_by: Uuid,
    key: &NewKey,
    shown: &str,
    secret_hash: &[u8],
) -> sqlx::Result<Option<(Uuid, DateTime<Utc>)>> {
    sqlx::query!(
        "select id from partners where id = $1 for update",
        partner_id
    )
    .fetch_one(&mut **tx)
    .await?;
    if active_count(&mut **tx, partner_id).await? >= ACTIVE_KEYS_MAX {
        return Ok(None);
    }
    let scopes: Vec<String> = key.scopes.iter().map(|s| s.slug().to_string()).collect();
    let row = sqlx::query!(
        r#"insert into api_keys (partner_id, name, shown, secret_hash, scopes, created_by, expires_at)
           values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
           returning id, expires_at as "expires_at: DateTime<Utc>""#,
        partner_id,
        key.name,
        shown,
        secret_hash,
        &scopes,
        created_by,
        key.days as i32,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some((row.id, row.expires_at)))
}

/// Revokes one of the partner's keys (and ends its bearer tokens) in `tx`; its name, or
/// `None` when the partner has no such key in use.
pub async fn revoke(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    key_id: Uuid,
    by: Uuid,
) -> sqlx::Result<Option<String>> {
    let name = sqlx::query_scalar!(
        "update api_keys set revoked_at = now(), revoked_by = $3
         where id = $2 and partner_id = $1 and revoked_at is null
         returning name",
        partner_id,
        key_id,
        by
    )
    .fetch_optional(&mut **tx)
    .await?;
    if name.is_some() {
        sqlx::query!("delete from api_tokens where key_id = $1", key_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(name)
}

/// A credential the API accepted: whose it is and what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub key_id: Uuid,
    pub key_name: String,
    pub partner_id: Uuid,
    pub partner_status: PartnerStatus,
    pub scopes: Vec<ApiScope>,
    /// The member who made the key: changes through the API are theirs, within their role.
    pub created_by: Option<Uuid>,
}

/// The key in use whose secret hashes to `hash`, and its partner's standing. Notes when
/// and from where the key was used, at most once a minute per key and address, so that a
/// busy integration does not write on every call.
pub async fn use_key(
    pool: &PgPool,
    hash: &[u8],
    from: Option<IpAddr>,
) -> sqlx::Result<Option<Credential>> {
    let from = from.map(|a| a.to_string());
    let row = sqlx::query!(
        r#"select k.id, k.name, k.partner_id, k.scopes, p.status as "status: PartnerStatus",
                  k.created_by,
                  (k.last_used_at is null or k.last_used_at < now() - interval '1 minute'
                   or k.last_used_from is distinct from $2::text::inet) as "note_use!"
           from api_keys k join partners p on p.id = k.partner_id
           where k.secret_hash = $1 and k.revoked_at is null and k.expires_at > now()"#,
        hash,
        from,
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    if r.note_use {
        sqlx::query!(
            "update api_keys set last_used_at = now(), last_used_from = $2::text::inet where id = $1",
            r.id,
            from
        )
        .execute(pool)
        .await?;
    }
    Ok(Some(Credential {
        key_id: r.id,
        key_name: r.name,
        partner_id: r.partner_id,
        partner_status: r.status,
        scopes: scopes_of(&r.scopes),
        created_by: r.created_by,
    }))
}

/// Stores a bearer token for `credential` with `scopes` (a subset of the key's), valid for
/// `seconds`; removes expired tokens of the same key on the way.
pub async fn insert_token(
    pool: &PgPool,
    credential: &Credential,
    scopes: &[ApiScope],
    token_hash: &[u8],
    seconds: i64,
) -> sqlx::Result<()> {
    let scopes: Vec<String> = scopes.iter().map(|s| s.slug().to_string()).collect();
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from api_tokens where key_id = $1 and expires_at <= now()",
        credential.key_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into api_tokens (token_hash, key_id, partner_id, scopes, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(secs => $5))",
        token_hash,
        credential.key_id,
        credential.partner_id,
        &scopes,
        seconds as f64,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The bearer token whose hash is `hash`, while it and its key are in use.
pub async fn use_token(pool: &PgPool, hash: &[u8]) -> sqlx::Result<Option<Credential>> {
    let row = sqlx::query!(
        r#"select k.id, k.name, t.partner_id, t.scopes, p.status as "status: PartnerStatus",
                  k.created_by
           from api_tokens t
           join api_keys k on k.id = t.key_id
           join partners p on p.id = t.partner_id
           where t.token_hash = $1 and t.expires_at > now()
             and k.revoked_at is null and k.expires_at > now()"#,
        hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Credential {
        key_id: r.id,
        key_name: r.name,
        partner_id: r.partner_id,
        partner_status: r.status,
        scopes: scopes_of(&r.scopes),
        created_by: r.created_by,
    }))
}

/// A key that expires within the notice period and whose owner has not been told.
pub struct ExpiringKey {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub name: String,
    pub shown: String,
    pub expires_at: DateTime<Utc>,
}

/// Claims up to `limit` keys to give notice of (skipping those another server has
/// claimed), marking them noticed in `tx`.
pub async fn claim_expiring(
    tx: &mut Transaction<'_, Postgres>,
    days: i64,
    limit: i64,
) -> sqlx::Result<Vec<ExpiringKey>> {
    sqlx::query_as!(
        ExpiringKey,
        r#"update api_keys k set expiry_noticed_at = now()
           from (select id from api_keys
                 where revoked_at is null and expiry_noticed_at is null
                   and expires_at > now() and expires_at <= now() + make_interval(days => $1)
                 order by expires_at limit $2 for update skip locked) due
           where k.id = due.id
           returning k.id, k.partner_id, k.name, k.shown,
                     k.expires_at as "expires_at: DateTime<Utc>""#,
        days as i32,
        limit,
    )
    .fetch_all(&mut **tx)
    .await
}

/// The addresses of the partner's owners.
pub async fn owner_emails(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select u.email from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 and m.role = 'owner' and u.disabled_at is null",
        partner_id
    )
    .fetch_all(&mut **tx)
    .await
}

/// Removes bearer tokens that have expired: they answer nothing already.
pub async fn delete_expired_tokens(pool: &PgPool) -> sqlx::Result<u64> {
    Ok(
        sqlx::query!("delete from api_tokens where expires_at <= now()")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
