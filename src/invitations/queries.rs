//! SQL for invitations.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::model::{InvitationProblem, InvitationView, INVITATION_DAYS};
use crate::auth::model::Role;

/// An invitation to join a partner's team with `role`, valid for `valid_hours`.
pub async fn create(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
    email: &str,
    partner_id: Uuid,
    role: Role,
    invited_by: Option<Uuid>,
    valid_hours: i32,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into invitations (token_hash, email, partner_id, role, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
         returning id",
        token_hash,
        email,
        partner_id,
        role as Role,
        invited_by,
        valid_hours
    )
    .fetch_one(&mut **tx)
    .await
}

/// An invitation to a client account (its owner, or another of its users).
pub async fn create_for_client(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
    email: &str,
    partner_id: Uuid,
    client_id: Uuid,
    client_owner: bool,
    invited_by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into invitations (token_hash, email, partner_id, client_id, client_owner, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7))
         returning id",
        token_hash,
        email,
        partner_id,
        client_id,
        client_owner,
        invited_by,
        INVITATION_DAYS as i32
    )
    .fetch_one(&mut **tx)
    .await
}

/// An invitation that can still be accepted, with its row locked when `tx` is given.
pub struct OpenInvitation {
    pub id: Uuid,
    pub email: String,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub role: Option<Role>,
    pub client_id: Option<Uuid>,
    pub client_owner: bool,
}

pub async fn find(
    pool: &PgPool,
    token_hash: &[u8],
) -> sqlx::Result<Result<InvitationView, InvitationProblem>> {
    let row = sqlx::query!(
        r#"select i.email, p.name as partner_name, i.role as "role: Role", c.company_name as "client_name?",
                  i.accepted_at is not null as "used!", i.revoked_at is not null as "revoked!",
                  i.expires_at < now() as "expired!"
           from invitations i join partners p on p.id = i.partner_id
           left join clients c on c.partner_id = i.partner_id and c.id = i.client_id
           where i.token_hash = $1"#,
        token_hash
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        None => Err(InvitationProblem::Unknown),
        Some(r) if r.used => Err(InvitationProblem::Used),
        Some(r) if r.revoked => Err(InvitationProblem::Revoked),
        Some(r) if r.expired => Err(InvitationProblem::Expired),
        Some(r) => Ok(InvitationView {
            email: r.email,
            partner_name: r.partner_name,
            role: r.role,
            client_name: r.client_name,
        }),
    })
}

pub async fn lock_open(
    tx: &mut Transaction<'_, Postgres>,
    token_hash: &[u8],
) -> sqlx::Result<Result<OpenInvitation, InvitationProblem>> {
    let row = sqlx::query!(
        r#"select i.id, i.email, i.partner_id, p.name as partner_name, i.role as "role: Role",
                  i.client_id, i.client_owner,
                  i.accepted_at is not null as "used!", i.revoked_at is not null as "revoked!",
                  i.expires_at < now() as "expired!"
           from invitations i join partners p on p.id = i.partner_id
           where i.token_hash = $1
           for update of i"#,
        token_hash
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => Err(InvitationProblem::Unknown),
        Some(r) if r.used => Err(InvitationProblem::Used),
        Some(r) if r.revoked => Err(InvitationProblem::Revoked),
        Some(r) if r.expired => Err(InvitationProblem::Expired),
        Some(r) => Ok(OpenInvitation {
            id: r.id,
            email: r.email,
            partner_id: r.partner_id,
            partner_name: r.partner_name,
            role: r.role,
            client_id: r.client_id,
            client_owner: r.client_owner,
        }),
    })
}

/// Creates the account (or refuses if the e-mail belongs to someone with a place), makes it a partner member or a
/// client's user, and uses up the invitation.
pub async fn accept(
    tx: &mut Transaction<'_, Postgres>,
    invitation: &OpenInvitation,
    display_name: &str,
    password_hash: &str,
) -> sqlx::Result<Option<Uuid>> {
    // Someone who once belonged and was removed (an account with no place anywhere, not
    // disabled) comes back through the link: it proves the address is theirs.
    let user = sqlx::query_scalar!(
        "insert into users (email, display_name, password_hash) values ($1, $2, $3)
         on conflict (email) do update
             set display_name = excluded.display_name, password_hash = excluded.password_hash,
                 sessions_ended_at = now()
             where not users.is_admin and users.disabled_at is null
               and not exists (select 1 from partner_members m where m.user_id = users.id)
               and not exists (select 1 from client_users c where c.user_id = users.id)
         returning id",
        invitation.email,
        display_name,
        password_hash
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    match (invitation.client_id, invitation.role) {
        (Some(client_id), _) => {
            sqlx::query!(
                "insert into client_users (partner_id, client_id, user_id, is_owner) values ($1, $2, $3, $4)",
                invitation.partner_id,
                client_id,
                user,
                invitation.client_owner
            )
            .execute(&mut **tx)
            .await?;
        }
        (None, Some(role)) => {
            sqlx::query!(
                "insert into partner_members (partner_id, user_id, role) values ($1, $2, $3)",
                invitation.partner_id,
                user,
                role as Role
            )
            .execute(&mut **tx)
            .await?;
        }
        (None, None) => {
            return Err(sqlx::Error::Protocol(
                "invitation without a role or a client".into(),
            ))
        }
    }
    sqlx::query!(
        "update invitations set accepted_at = now() where id = $1",
        invitation.id
    )
    .execute(&mut **tx)
    .await?;
    Ok(Some(user))
}
