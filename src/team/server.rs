//! Server functions of `/partner/team`. Every member reads the team; only its owner changes
//! it. Each change is audited in its own transaction, and a change of role or a removal
//! holds from the member's very next request (the principal is read afresh on each).

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{InviteInput, MemberInput, RoleInput, TeamPage, TwoFactorRuleInput};
use crate::{error::AppError, program::Position};

/// The owner's partner: its id and name.
#[cfg(feature = "ssr")]
async fn require_owner() -> Result<(crate::auth::model::Principal, Uuid, String), AppError> {
    use crate::auth::model::{Perm, PrincipalKind};

    let me = crate::auth::require(Perm::Team).await?;
    let PrincipalKind::Member {
        partner_id,
        ref partner_name,
        ..
    } = me.kind
    else {
        return Err(AppError::Forbidden);
    };
    let name = partner_name.clone();
    Ok((me, partner_id, name))
}

/// What the last owner's demotion or removal is answered with.
#[cfg(feature = "ssr")]
fn keeps_an_owner(_: &dyn sqlx::error::DatabaseError) -> AppError {
    AppError::Conflict(
        "Your partner must keep an owner: transfer ownership to a colleague first.".into(),
    )
}

/// Writes the change's audit row in its transaction, commits, and (for a plain form post)
/// goes back to the team page saying what was `done`.
#[cfg(feature = "ssr")]
async fn audit_and_commit(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    entry: crate::audit::AuditEntry,
    done: &str,
) -> Result<(), AppError> {
    crate::audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!("/partner/team?done={done}"));
    Ok(())
}

/// A page of the team; for the owner, also the invitations waiting for an answer.
#[server(endpoint = "team")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_team(position: Option<Position>) -> Result<TeamPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let (members, links) =
        super::queries::members(&pool, partner_id, &position.unwrap_or_default()).await?;
    let manage = me.has(Perm::Team);
    let invitations = if manage {
        super::queries::pending_invitations(&pool, partner_id).await?
    } else {
        Vec::new()
    };
    Ok(TeamPage {
        members,
        links,
        member_count: super::queries::member_count(&pool, partner_id).await?,
        invitations,
        manage,
        me: me.user_id,
        two_factor: super::queries::two_factor_rule(&pool, partner_id, me.two_factor.enabled)
            .await?,
    })
}

/// Queues the invitation e-mail with its link, in `tx`.
#[cfg(feature = "ssr")]
async fn send_invitation(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    partner_id: Uuid,
    partner_name: &str,
    inviter: &str,
    email: &str,
    role: crate::auth::model::Role,
    token: &str,
) -> Result<(), AppError> {
    use super::model::TEAM_INVITATION_HOURS;
    use crate::mail::{self, OutgoingEmail};

    let link = format!(
        "{}/invite/{token}",
        crate::state::settings()?.site.public_url
    );
    mail::enqueue(
        &mut **tx,
        &OutgoingEmail {
            to: email.to_string(),
            subject: format!("{inviter} invited you to {partner_name} on the partner portal"),
            body: format!(
                "Hello,\n\n{inviter} invited you to join {partner_name} on the partner portal as {}.\n\
                 Choose your password here:\n\n{link}\n\n\
                 The link works once and for {TEAM_INVITATION_HOURS} hours.\n",
                role.label().to_lowercase()
            ),
            partner_id: Some(partner_id),
        },
    )
    .await?;
    Ok(())
}

/// Invites someone to the team with a role below owner: a single-use link by e-mail, valid
/// for 72 hours.
#[server(endpoint = "team/invite")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn invite_member(input: InviteInput) -> Result<(), AppError> {
    use super::model::TEAM_INVITATION_HOURS;
    use crate::{
        audit::{Action, AuditEntry},
        auth::rate_limit::TEAM_INVITES,
        error::FieldErrors,
        program::token,
        state::pool,
    };

    let (me, partner_id, partner_name) = require_owner().await?;
    let (email, role) = input.validate().map_err(AppError::Validation)?;
    let pool = pool()?;
    TEAM_INVITES.hit(&pool, &partner_id.to_string()).await?;
    let mut tx = pool.begin().await?;
    if let Some((field, message)) =
        super::queries::invitation_obstacle(&mut tx, partner_id, &email).await?
    {
        TEAM_INVITES.refund(&pool, &partner_id.to_string()).await?;
        let errors = if field == "form" {
            FieldErrors::form(message)
        } else {
            FieldErrors::field(field, message)
        };
        return Err(AppError::Validation(
            errors.keep("email", email).keep("role", role.slug()),
        ));
    }
    let (invite_token, hash) = token::new_token();
    let invitation = crate::invitations::queries::create(
        &mut tx,
        &hash,
        &email,
        partner_id,
        role,
        Some(me.user_id),
        TEAM_INVITATION_HOURS,
    )
    .await?;
    send_invitation(
        &mut tx,
        partner_id,
        &partner_name,
        &me.display_name,
        &email,
        role,
        &invite_token,
    )
    .await?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::InvitationCreated)
            .target("invitation", invitation)
            .detail(serde_json::json!({ "email": email, "role": role.slug() })),
        "invited",
    )
    .await
}

/// Sends a waiting invitation again, with a new link (the old one stops working) valid for
/// another 72 hours.
#[server(endpoint = "team/invite/resend")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn resend_invitation(invitation_id: Uuid) -> Result<(), AppError> {
    use super::model::TEAM_INVITATION_HOURS;
    use crate::{
        audit::{Action, AuditEntry},
        auth::rate_limit::TEAM_INVITES,
        program::token,
        state::pool,
    };

    let (me, partner_id, partner_name) = require_owner().await?;
    let pool = pool()?;
    TEAM_INVITES.hit(&pool, &partner_id.to_string()).await?;
    let (invite_token, hash) = token::new_token();
    let mut tx = pool.begin().await?;
    let (email, role) = super::queries::resend(
        &mut tx,
        partner_id,
        invitation_id,
        &hash,
        TEAM_INVITATION_HOURS,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    send_invitation(
        &mut tx,
        partner_id,
        &partner_name,
        &me.display_name,
        &email,
        role,
        &invite_token,
    )
    .await?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::InvitationResent)
            .target("invitation", invitation_id)
            .detail(serde_json::json!({ "email": email })),
        "resent",
    )
    .await
}

/// Withdraws a waiting invitation: its link stops working.
#[server(endpoint = "team/invite/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn revoke_invitation(invitation_id: Uuid) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        state::pool,
    };

    let (me, partner_id, _) = require_owner().await?;
    let mut tx = pool()?.begin().await?;
    let email = super::queries::revoke(&mut tx, partner_id, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::InvitationRevoked)
            .target("invitation", invitation_id)
            .detail(serde_json::json!({ "email": email })),
        "revoked",
    )
    .await
}

/// Gives a member another role below owner. The last owner cannot be demoted.
#[server(endpoint = "team/role")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_role(input: RoleInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        error::ResultExt,
        state::pool,
    };

    let (me, partner_id, _) = require_owner().await?;
    let role = input.validate().map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    let (name, before) = super::queries::set_role(&mut tx, partner_id, input.user_id, role)
        .await
        .on_constraint(super::queries::LAST_OWNER, keeps_an_owner)?
        .ok_or(AppError::NotFound)?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::MemberRoleChanged)
            .target("user", input.user_id)
            .detail(
                serde_json::json!({ "member": name, "from": before.slug(), "to": role.slug() }),
            ),
        "role",
    )
    .await
}

/// Removes a member from the team; every session of theirs ends. The last owner cannot be
/// removed (nor remove themselves).
#[server(endpoint = "team/remove")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn remove_member(input: MemberInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        error::ResultExt,
        state::pool,
    };

    let (me, partner_id, _) = require_owner().await?;
    let user_id = input
        .confirmed("the removal")
        .map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    let (name, role) = super::queries::remove(&mut tx, partner_id, user_id)
        .await
        .on_constraint(super::queries::LAST_OWNER, keeps_an_owner)?
        .ok_or(AppError::NotFound)?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::MemberRemoved)
            .target("user", user_id)
            .detail(serde_json::json!({ "member": name, "role": role.slug() })),
        "removed",
    )
    .await
}

/// Makes another member the owner and the caller a manager, in one transaction.
#[server(endpoint = "team/transfer")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn transfer_ownership(input: MemberInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        auth::model::Role,
        error::{FieldErrors, ResultExt},
        state::pool,
    };

    let (me, partner_id, _) = require_owner().await?;
    let user_id = input
        .confirmed("the transfer")
        .map_err(AppError::Validation)?;
    if user_id == me.user_id {
        return Err(AppError::Validation(FieldErrors::form(
            "You are the owner already: choose a colleague to hand the ownership to.",
        )));
    }
    let mut tx = pool()?.begin().await?;
    let (name, before) = super::queries::set_role(&mut tx, partner_id, user_id, Role::Owner)
        .await?
        .ok_or(AppError::NotFound)?;
    super::queries::set_role(&mut tx, partner_id, me.user_id, Role::Manager)
        .await
        .on_constraint(super::queries::LAST_OWNER, keeps_an_owner)?
        .ok_or(AppError::NotFound)?;
    audit_and_commit(
        tx,
        AuditEntry::by(&me, Action::OwnershipTransferred)
            .target("user", user_id)
            .detail(serde_json::json!({ "to": name, "their_role_before": before.slug() })),
        "transferred",
    )
    .await
}

/// Requires two-factor sign-in of every member, or makes it optional again. Members without
/// it can then use nothing but their account page until they set it up; the owner must have
/// it first.
#[server(endpoint = "team/two-factor")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn set_team_two_factor(input: TwoFactorRuleInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        state::pool,
    };

    let (me, partner_id, _) = require_owner().await?;
    let required = input
        .validate(me.two_factor.enabled)
        .map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    if !super::queries::set_two_factor_rule(&mut tx, partner_id, required).await? {
        // Already so: nothing changed, nothing to record.
        crate::state::redirect_plain_form("/partner/team?done=two_factor");
        return Ok(());
    }
    let action = if required {
        Action::TeamTwoFactorRequired
    } else {
        Action::TeamTwoFactorOptional
    };
    audit_and_commit(
        tx,
        AuditEntry::by(&me, action).target("partner", partner_id),
        "two_factor",
    )
    .await
}
