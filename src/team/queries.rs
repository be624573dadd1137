//! SQL for a partner's team. Every statement names the caller's partner; a member or an
//! invitation of another partner is simply not found.

use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::model::{
    PendingInvitation, TeamMember, TeamTwoFactor, MEMBERS_PAGE, PENDING_INVITATIONS_MAX,
};
use crate::{
    auth::model::Role,
    db::keyset::SortKey,
    program::{PageLinks, Position},
};

/// The constraint (a trigger) that keeps an owner on every partner.
pub const LAST_OWNER: &str = "partner_members_last_owner";

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: Uuid,
    name: String,
    email: String,
    role: Role,
    joined: chrono::DateTime<chrono::Utc>,
    last_sign_in: Option<chrono::DateTime<chrono::Utc>>,
    two_factor: bool,
    page_key: Vec<String>,
}

/// A page of the partner's members in the order they joined, and its links.
pub async fn members(
    pool: &PgPool,
    partner_id: Uuid,
    position: &Position,
) -> sqlx::Result<(Vec<TeamMember>, PageLinks)> {
    let key = SortKey::new(
        &[("m.created_at", "timestamptz"), ("m.user_id", "uuid")],
        false,
    );
    let mut page = QueryBuilder::new(format!(
        "select m.user_id, u.display_name as name, u.email, m.role, m.created_at as joined, \
                u.last_sign_in_at as last_sign_in, \
                exists (select 1 from user_totp t where t.user_id = m.user_id \
                        and t.confirmed_at is not null) as two_factor, {} as page_key \
         from partner_members m join users u on u.id = m.user_id where m.partner_id = ",
        key.select()
    ));
    page.push_bind(partner_id);
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, MEMBERS_PAGE);
    let rows: Vec<MemberRow> = page.build_query_as().fetch_all(pool).await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| {
                let member = TeamMember {
                    user_id: r.user_id,
                    name: r.name,
                    email: r.email,
                    role: r.role,
                    joined: r.joined,
                    last_sign_in: r.last_sign_in,
                    two_factor: r.two_factor,
                };
                (member, r.page_key)
            })
            .collect(),
        position,
        MEMBERS_PAGE,
    ))
}

pub async fn member_count(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from partner_members where partner_id = $1"#,
        partner_id
    )
    .fetch_one(pool)
    .await
}

/// Whether the partner requires two-factor sign-in, and how many of its members have not
/// set it up (a team is at most a few hundred people). `viewer_has_it` comes from the
/// viewer's principal, which read it already.
pub async fn two_factor_rule(
    pool: &PgPool,
    partner_id: Uuid,
    viewer_has_it: bool,
) -> sqlx::Result<TeamTwoFactor> {
    let row = sqlx::query!(
        r#"select p.two_factor_required as "required!",
                  (select count(*) from partner_members m
                   where m.partner_id = p.id
                     and not exists (select 1 from user_totp t
                                     where t.user_id = m.user_id and t.confirmed_at is not null))
                    as "members_without!"
           from partners p where p.id = $1"#,
        partner_id
    )
    .fetch_one(pool)
    .await?;
    Ok(TeamTwoFactor {
        required: row.required,
        members_without: row.members_without,
        mine: viewer_has_it,
    })
}

/// Sets the partner's two-factor rule; `false` when it was so already.
pub async fn set_two_factor_rule(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    required: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update partners set two_factor_required = $2
         where id = $1 and two_factor_required <> $2",
        partner_id,
        required
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The team invitations not yet accepted or withdrawn, newest first (at most
/// [`PENDING_INVITATIONS_MAX`] can be waiting, expired ones included until withdrawn).
pub async fn pending_invitations(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<Vec<PendingInvitation>> {
    sqlx::query_as!(
        PendingInvitation,
        r#"select i.id, i.email, i.role as "role!: Role", u.display_name as "invited_by?",
                  i.expires_at as "expires_at: chrono::DateTime<chrono::Utc>",
                  i.expires_at < now() as "expired!"
           from invitations i left join users u on u.id = i.invited_by
           where i.partner_id = $1 and i.client_id is null
             and i.accepted_at is null and i.revoked_at is null
           order by i.created_at desc limit $2"#,
        partner_id,
        PENDING_INVITATIONS_MAX
    )
    .fetch_all(pool)
    .await
}

/// Why a new invitation to `email` cannot be sent, if it cannot: the cap on waiting
/// invitations, one already waiting for that address, or an address that already has a
/// place in the portal. Runs after the partner's row is locked, so that parallel invitations
/// are counted one after the other.
pub async fn invitation_obstacle(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    email: &str,
) -> sqlx::Result<Option<(&'static str, &'static str)>> {
    sqlx::query!(
        "select 1 as locked from partners where id = $1 for update",
        partner_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let row = sqlx::query!(
        r#"select
             (select count(*) from invitations
               where partner_id = $1 and client_id is null and accepted_at is null
                 and revoked_at is null) as "waiting!",
             exists (select 1 from invitations
               where partner_id = $1 and client_id is null and email = $2
                 and accepted_at is null and revoked_at is null) as "already!",
             email_has_place($2) as "taken!""#,
        partner_id,
        email
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(if row.already {
        Some((
            "email",
            "An invitation to this address is already waiting: resend it from the list below.",
        ))
    } else if row.taken {
        Some((
            "email",
            "This address already has an account in the portal, so it cannot join your team.",
        ))
    } else if row.waiting >= PENDING_INVITATIONS_MAX {
        Some((
            "form",
            "50 invitations are waiting already: withdraw some before sending more.",
        ))
    } else {
        None
    })
}

/// Gives a waiting invitation a new token and a new expiry (the old link stops working).
/// Its address and role, or `None` when the partner has no such waiting invitation.
pub async fn resend(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    invitation_id: Uuid,
    token_hash: &[u8],
    valid_hours: i32,
) -> sqlx::Result<Option<(String, Role)>> {
    let row = sqlx::query!(
        r#"update invitations
           set token_hash = $3, expires_at = now() + make_interval(hours => $4), resent_at = now()
           where id = $2 and partner_id = $1 and client_id is null
             and accepted_at is null and revoked_at is null
           returning email, role as "role!: Role""#,
        partner_id,
        invitation_id,
        token_hash,
        valid_hours
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.email, r.role)))
}

/// Withdraws a waiting invitation; its address, or `None` when there is no such invitation.
pub async fn revoke(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    invitation_id: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "update invitations set revoked_at = now()
         where id = $2 and partner_id = $1 and client_id is null
           and accepted_at is null and revoked_at is null
         returning email",
        partner_id,
        invitation_id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Gives a member of the partner a new role; their name and former role, or `None` when
/// the partner has no such member. The last owner's demotion fails on [`LAST_OWNER`].
pub async fn set_role(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    user_id: Uuid,
    role: Role,
) -> sqlx::Result<Option<(String, Role)>> {
    let row = sqlx::query!(
        r#"update partner_members m set role = $3
           from partner_members before join users u on u.id = before.user_id
           where m.partner_id = $1 and m.user_id = $2
             and before.partner_id = m.partner_id and before.user_id = m.user_id
           returning u.display_name, before.role as "before: Role""#,
        partner_id,
        user_id,
        role as Role
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.display_name, r.before)))
}

/// Removes a member from the partner and ends every session of theirs; their name and role,
/// or `None` when the partner has no such member. Removing the last owner fails on
/// [`LAST_OWNER`].
pub async fn remove(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<Option<(String, Role)>> {
    let Some(role) = sqlx::query_scalar!(
        r#"delete from partner_members where partner_id = $1 and user_id = $2
           returning role as "role: Role""#,
        partner_id,
        user_id
    )
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(None);
    };
    let name = sqlx::query_scalar!(
        "update users set sessions_ended_at = now() where id = $1 returning display_name",
        user_id
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some((name, role)))
}
