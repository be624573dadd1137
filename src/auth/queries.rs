//! SQL for signing in and for loading the signed-in principal.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::{PartnerStatus, Principal, PrincipalKind, Role};

/// What sign-in needs to know about an account. Holds the password hash, so it never leaves
/// the server.
pub struct LoginAccount {
    pub id: Uuid,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

pub async fn find_login_account(pool: &PgPool, email: &str) -> sqlx::Result<Option<LoginAccount>> {
    sqlx::query_as!(
        LoginAccount,
        r#"select id, password_hash, disabled_at is not null as "disabled!"
           from users where email = $1"#,
        email
    )
    .fetch_optional(pool)
    .await
}

/// The principal for `user_id`, read fresh (role, partner status) on every call. `None` for
/// unknown or disabled users and for users with no role anywhere.
pub async fn load_principal(pool: &PgPool, user_id: Uuid) -> sqlx::Result<Option<Principal>> {
    let row = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.is_admin,
                  u.disabled_at is not null as "disabled!",
                  pm.partner_id as "member_partner_id?",
                  pm.role as "role?: Role",
                  p.name as "partner_name?",
                  p.status as "partner_status?: PartnerStatus",
                  cu.partner_id as "client_partner_id?",
                  cu.client_id as "client_id?",
                  cu.is_owner as "is_owner?",
                  c.company_name as "client_name?"
           from users u
           left join partner_members pm on pm.user_id = u.id
           left join partners p on p.id = pm.partner_id
           left join client_users cu on cu.user_id = u.id
           left join clients c on c.id = cu.client_id and c.partner_id = cu.partner_id
           where u.id = $1"#,
        user_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row.filter(|r| !r.disabled) else {
        return Ok(None);
    };
    let kind = if row.is_admin {
        PrincipalKind::Admin
    } else if let (Some(partner_id), Some(role), Some(partner_name), Some(partner_status)) = (
        row.member_partner_id,
        row.role,
        row.partner_name,
        row.partner_status,
    ) {
        PrincipalKind::Member {
            partner_id,
            partner_name,
            partner_status,
            role,
        }
    } else if let (Some(partner_id), Some(client_id), Some(client_name)) =
        (row.client_partner_id, row.client_id, row.client_name)
    {
        PrincipalKind::ClientUser {
            partner_id,
            client_id,
            client_name,
            is_owner: row.is_owner.unwrap_or(false),
        }
    } else {
        return Ok(None);
    };
    Ok(Some(Principal {
        user_id: row.id,
        email: row.email,
        display_name: row.display_name,
        kind,
        acting: None,
    }))
}

/// Failed sign-ins per key within the last `window_minutes`.
pub async fn recent_failures(
    pool: &PgPool,
    keys: &[String],
    window_minutes: i32,
) -> sqlx::Result<Vec<(String, i64)>> {
    let rows = sqlx::query!(
        r#"select key, count(*) as "count!"
           from login_failures
           where key = any($1) and failed_at > now() - make_interval(mins => $2)
           group by key"#,
        keys,
        window_minutes
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.count)).collect())
}

/// Records one failed sign-in under each key, and forgets this key's day-old failures.
pub async fn record_failure(pool: &PgPool, keys: &[String]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from login_failures where key = any($1) and failed_at < now() - interval '1 day'",
        keys
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into login_failures (key) select unnest($1::text[])",
        keys
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A successful sign-in clears the account's count (not the address's).
pub async fn clear_failures(pool: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from login_failures where key = $1", key)
        .execute(pool)
        .await?;
    Ok(())
}

/// A partner's slug: where its client users sign in (`/b/<slug>/login`).
pub async fn partner_slug(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<String> {
    sqlx::query_scalar!("select slug from partners where id = $1", partner_id)
        .fetch_one(pool)
        .await
}
