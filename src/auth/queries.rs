//! SQL for signing in and for loading the signed-in principal.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::model::{PartnerStatus, Principal, PrincipalKind, Role, TwoFactor};

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
/// unknown or disabled users, for users with no role anywhere, and, given when a session
/// signed in, when the user's sessions were ended after that (`users.sessions_ended_at`).
pub async fn load_principal(
    pool: &PgPool,
    user_id: Uuid,
    session_signed_in_at: Option<DateTime<Utc>>,
) -> sqlx::Result<Option<Principal>> {
    let row = sqlx::query!(
        r#"select u.id, u.email, u.display_name, u.is_admin,
                  u.disabled_at is not null as "disabled!",
                  pm.partner_id as "member_partner_id?",
                  pm.role as "role?: Role",
                  p.name as "partner_name?",
                  p.status as "partner_status?: PartnerStatus",
                  p.client_management_enabled as "client_management?",
                  p.two_factor_required as "team_two_factor?",
                  exists (select 1 from user_totp t
                          where t.user_id = u.id and t.confirmed_at is not null) as "two_factor!",
                  cu.partner_id as "client_partner_id?",
                  cu.client_id as "client_id?",
                  cu.is_owner as "is_owner?",
                  c.company_name as "client_name?"
           from users u
           left join partner_members pm on pm.user_id = u.id
           left join partners p on p.id = pm.partner_id
           left join client_users cu on cu.user_id = u.id
           left join clients c on c.id = cu.client_id and c.partner_id = cu.partner_id
           where u.id = $1
             and ($2::text is null or u.sessions_ended_at is null
                  or u.sessions_ended_at <= $2::text::timestamptz)"#,
        user_id,
        session_signed_in_at.map(crate::db::timestamp_param)
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row.filter(|r| !r.disabled) else {
        return Ok(None);
    };
    // Admins must use two-factor sign-in; members must when their owner requires it.
    let two_factor = TwoFactor {
        enabled: row.two_factor,
        required: row.is_admin
            || (row.member_partner_id.is_some() && row.team_two_factor.unwrap_or(false)),
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
            client_management: row.client_management.unwrap_or(true),
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
        two_factor,
    }))
}

/// Notes when the person last signed in (the team page shows it).
pub async fn record_sign_in(pool: &PgPool, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set last_sign_in_at = now() where id = $1",
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// What one hit on a throttle found: the hits in the current window (this one included) and
/// the seconds until that window ends.
pub struct ThrottleHit {
    pub hits: i32,
    pub retry_after: i32,
}

/// Counts one hit on `key`, in one statement (the row lock orders parallel hits). A window
/// that has ended starts over; when `progressive`, an ended window that went over `max`
/// makes the next one twice as long, up to `cap_secs`.
pub async fn throttle_hit(
    pool: &PgPool,
    key: &str,
    max: i32,
    window_secs: i32,
    cap_secs: i32,
) -> sqlx::Result<ThrottleHit> {
    sqlx::query_as!(
        ThrottleHit,
        r#"insert into throttles as t (key, hits, window_start, window_secs)
           values ($1, 1, now(), $3)
           on conflict (key) do update set
               hits = case when t.window_start + t.window_secs * interval '1 second' <= now()
                           then 1 else t.hits + 1 end,
               window_secs = case
                   when t.window_start + t.window_secs * interval '1 second' > now() then t.window_secs
                   when t.hits > $2 then least(t.window_secs * 2, greatest($4, $3))
                   else $3 end,
               window_start = case when t.window_start + t.window_secs * interval '1 second' <= now()
                                   then now() else t.window_start end
           returning hits as "hits!",
               greatest(1, ceil(extract(epoch from
                   window_start + window_secs * interval '1 second' - now())))::int as "retry_after!""#,
        key,
        max,
        window_secs,
        cap_secs
    )
    .fetch_one(pool)
    .await
}

/// Gives back one hit (an attempt that turned out not to count).
pub async fn throttle_refund(pool: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update throttles set hits = greatest(hits - 1, 0) where key = $1",
        key
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Forgets `key` (a successful sign-in clears its account and address pair).
pub async fn throttle_reset(pool: &PgPool, key: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from throttles where key = $1", key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets keys whose window ended at least a day ago; run now and then by the housekeeper.
/// No window is longer than a day, so a window that started two days ago has ended a day
/// ago: a condition on `window_start` alone, which its index answers.
pub async fn throttle_prune(pool: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from throttles where window_start < now() - interval '2 days'")
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// Forgets password resets a day after they expired (`recovery` makes them).
pub async fn password_resets_prune(pool: &PgPool) -> sqlx::Result<u64> {
    let done =
        sqlx::query!("delete from password_resets where expires_at < now() - interval '1 day'")
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

/// Closes one impersonation (keeping the first end and reason if it was already closed).
pub async fn end_impersonation<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    id: Uuid,
    reason: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update impersonation_sessions set ended_at = coalesce(ended_at, now()), end_reason = coalesce(end_reason, $2)
         where id = $1",
        id,
        reason
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Closes every started impersonation whose time ran out, as of its expiry.
pub async fn close_expired_impersonations(
    tx: &mut sqlx::PgConnection,
) -> sqlx::Result<Vec<super::acting::Participants>> {
    sqlx::query_as!(
        super::acting::Participants,
        "update impersonation_sessions set ended_at = expires_at, end_reason = 'expired'
         where ended_at is null and started_at is not null and expires_at <= now()
         returning id, partner_id, client_id, real_user_id, acting_user_id"
    )
    .fetch_all(tx)
    .await
}

/// A partner's slug: where its client users sign in (`/b/<slug>/login`).
pub async fn partner_slug(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<String> {
    sqlx::query_scalar!("select slug from partners where id = $1", partner_id)
        .fetch_one(pool)
        .await
}
