//! SQL for finding a brand's partner (by slug, custom domain or invitation) and for custom
//! domains and their verification.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::branding::{model::DomainStatus, rules::host_name};

/// The partner a slug names.
pub async fn partner_by_slug(pool: &PgPool, slug: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from partners where slug = $1", slug)
        .fetch_optional(pool)
        .await
}

/// The partner whose verified custom domain is `host` (a Host header: any port is ignored).
pub async fn partner_by_host(pool: &PgPool, host: &str) -> sqlx::Result<Option<Uuid>> {
    let Some(domain) = host_name(host) else {
        return Ok(None);
    };
    sqlx::query_scalar!(
        "select partner_id from partner_domains where domain = $1 and verified_at is not null",
        domain
    )
    .fetch_optional(pool)
    .await
}

/// The partner of an open client-user invitation, by the hash of its token.
pub async fn partner_by_invitation(pool: &PgPool, token_hash: &[u8]) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"select partner_id as "partner_id!" from invitations
           where token_hash = $1 and client_id is not null and partner_id is not null"#,
        token_hash
    )
    .fetch_optional(pool)
    .await
}

pub async fn domain(
    pool: &PgPool,
    partner_id: Uuid,
    cname_target: &str,
) -> sqlx::Result<Option<DomainStatus>> {
    let row = sqlx::query!(
        r#"select domain, token, verified_at as "verified_at: DateTime<Utc>",
                  checked_at as "checked_at: DateTime<Utc>"
           from partner_domains where partner_id = $1"#,
        partner_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| DomainStatus {
        txt_name: crate::branding::model::txt_record_name(&r.domain),
        txt_value: crate::branding::model::txt_record_value(&r.token),
        domain: r.domain,
        cname_target: cname_target.to_string(),
        verified_at: r.verified_at,
        checked_at: r.checked_at,
    }))
}

/// Sets (or with `None` removes) the partner's custom domain. A new domain gets a new token
/// and is unverified. A domain another partner has violates `partner_domains_domain_key`
/// (the caller turns that into a field error; nothing is read first).
pub async fn set_domain(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    domain: Option<&str>,
    token: &str,
) -> sqlx::Result<()> {
    match domain {
        None => {
            sqlx::query!(
                "delete from partner_domains where partner_id = $1",
                partner_id
            )
            .execute(&mut **tx)
            .await?;
        }
        Some(domain) => {
            sqlx::query!(
                "insert into partner_domains (partner_id, domain, token) values ($1, $2, $3)
                 on conflict (partner_id) do update
                 set domain = excluded.domain, token = excluded.token, verified_at = null, checked_at = null
                 where partner_domains.domain <> excluded.domain",
                partner_id,
                domain,
                token
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Records a verification attempt; `verified` marks the domain as proven.
pub async fn record_check(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    verified: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update partner_domains
         set checked_at = now(), verified_at = case when $2 then coalesce(verified_at, now()) else verified_at end
         where partner_id = $1",
        partner_id,
        verified
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The domain and token to verify.
pub async fn domain_token(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!(
        "select domain, token from partner_domains where partner_id = $1",
        partner_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.domain, r.token)))
}
