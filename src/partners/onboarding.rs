//! A new partner and its owner's invitation, made together in the caller's transaction: on
//! the approval of an application, or directly by an admin. Both are audited; the e-mail
//! with the link is the caller's (its words depend on how the partner came to be).

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::{
    audit::{self, Action, AuditEntry},
    auth::model::{Principal, Role},
    error::AppError,
    invitations::{model::INVITATION_DAYS, queries as invitations},
    program::{token, PartnershipType, Tier},
    state::settings,
};

/// What onboarding made.
pub struct Onboarded {
    pub partner_id: Uuid,
    pub slug: String,
    /// The owner's single-use link to choose a password and join.
    pub invitation_link: String,
}

/// The partner to make and who will own it.
#[derive(Clone, Copy)]
pub struct Onboarding<'a> {
    pub name: &'a str,
    pub partnership_type: PartnershipType,
    pub tier: Tier,
    pub owner_email: &'a str,
    /// The application it came from, if any.
    pub application: Option<Uuid>,
    /// The admin's reason, for a partner made without an application.
    pub reason: Option<&'a str>,
}

/// Creates the partner and invites its owner, on behalf of admin `me`.
pub async fn onboard(
    tx: &mut Transaction<'_, Postgres>,
    me: &Principal,
    new: &Onboarding<'_>,
) -> Result<Onboarded, AppError> {
    let Onboarding {
        name,
        partnership_type,
        tier,
        owner_email,
        application,
        reason,
    } = *new;
    let (partner_id, slug) = super::queries::create(tx, name, partnership_type, tier).await?;
    let (invite_token, invite_hash) = token::new_token();
    let invitation = invitations::create(
        tx,
        &invite_hash,
        owner_email,
        partner_id,
        Role::Owner,
        Some(me.user_id),
        INVITATION_DAYS as i32 * 24,
    )
    .await?;
    audit::record(
        &mut **tx,
        AuditEntry::by(me, Action::PartnerCreated)
            .partner(partner_id)
            .target("partner", partner_id)
            .detail(serde_json::json!({
                "slug": slug,
                "tier": tier.slug(),
                "type": partnership_type.slug(),
                "application": application,
                "reason": reason,
            })),
    )
    .await?;
    let mut invited = AuditEntry::by(me, Action::InvitationCreated)
        .target("invitation", invitation)
        .detail(serde_json::json!({ "email": owner_email, "role": "owner" }));
    invited.partner_id = Some(partner_id);
    audit::record(&mut **tx, invited).await?;
    Ok(Onboarded {
        partner_id,
        slug,
        invitation_link: format!("{}/invite/{invite_token}", settings()?.site.public_url),
    })
}
