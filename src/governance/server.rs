//! Server functions of `/admin/partners/:id`: the partner as admins govern it, and the changes
//! they make. Each change needs a reason, locks the partner's row, is audited with the
//! reason in the same transaction, and shows in the partner's timeline.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    model::{NewPartnerInput, PartnerDetail, StatusInput, SwitchesInput, TierInput},
    profile::ProfileInput,
};
use crate::error::AppError;

/// One partner, for admins.
#[server(endpoint = "admin/partner")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_partner(id: Uuid) -> Result<PartnerDetail, AppError> {
    admin().await?;
    super::queries::detail(&crate::state::pool()?, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Opens the change: a transaction, and the partner's name, status, tier and pin (its row
/// locked). Call it after the admin check and the input's validation.
#[cfg(feature = "ssr")]
async fn begin(
    id: Uuid,
) -> Result<
    (
        sqlx::Transaction<'static, sqlx::Postgres>,
        (
            String,
            crate::auth::model::PartnerStatus,
            crate::program::Tier,
            bool,
        ),
    ),
    AppError,
> {
    let mut tx = crate::state::pool()?.begin().await?;
    let partner = super::queries::lock(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((tx, partner))
}

/// The signed-in admin.
#[cfg(feature = "ssr")]
async fn admin() -> Result<crate::auth::model::Principal, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await
}

/// Writes the change's audit row, commits, and (for a plain form post) goes back to the
/// partner's page saying what was `done`.
#[cfg(feature = "ssr")]
async fn audit_and_commit(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    entry: crate::audit::AuditEntry,
    id: Uuid,
    done: &str,
) -> Result<(), AppError> {
    crate::audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!("/admin/partners/{id}?done={done}"));
    Ok(())
}

/// Freezes (read-only), suspends (no sign-in; members' sessions end) or reactivates a
/// partner. A suspended reseller's client portals keep working.
#[server(endpoint = "admin/partner/status")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_status(input: StatusInput) -> Result<(), AppError> {
    use super::model::StatusChange;
    use crate::audit::{Action, AuditEntry};

    let me = admin().await?;
    let (change, reason) = input.validate().map_err(AppError::Validation)?;
    let (mut tx, (name, status, _, _)) = begin(input.partner_id).await?;
    if status == change.status() {
        return Err(AppError::Conflict(format!(
            "{name} is {} already.",
            status.label().to_lowercase()
        )));
    }
    let kept_reason = (change != StatusChange::Reactivate).then_some(reason.as_str());
    super::queries::set_status(&mut tx, input.partner_id, change.status(), kept_reason).await?;
    let ended = match change {
        StatusChange::Suspend => {
            super::queries::end_member_sessions(&mut tx, input.partner_id).await?
        }
        _ => 0,
    };
    let action = match change {
        StatusChange::Freeze => Action::PartnerFrozen,
        StatusChange::Suspend => Action::PartnerSuspended,
        StatusChange::Reactivate => Action::PartnerReactivated,
    };
    let entry = AuditEntry::by(&me, action)
        .partner(input.partner_id)
        .target("partner", input.partner_id)
        .detail(serde_json::json!({
            "reason": reason,
            "from": status.label(),
            "to": change.status().label(),
            "members_signed_out": ended,
        }));
    audit_and_commit(tx, entry, input.partner_id, "status").await
}

/// Pins a tier (the monthly close keeps it, until the end date if there is one) or unpins
/// it (the next close recomputes it).
#[server(endpoint = "admin/partner/tier")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_tier(input: TierInput) -> Result<(), AppError> {
    use super::model::TierChange;
    use crate::audit::{Action, AuditEntry};

    let me = admin().await?;
    let today = chrono::Utc::now().date_naive();
    let (change, reason) = input.validate(today).map_err(AppError::Validation)?;
    let (mut tx, (_, _, tier, pinned)) = begin(input.partner_id).await?;
    let (action, detail) = match change {
        TierChange::Pin { tier: to, until } => {
            super::queries::set_pin(&mut tx, input.partner_id, Some((to, until))).await?;
            if to != tier {
                let changed = serde_json::json!({
                    "tier": to.slug(), "previous_tier": tier.slug(), "pinned": true,
                    "pinned_until": until.map(|d| d.to_string()),
                });
                crate::webhooks::outbox::record(
                    &mut tx,
                    input.partner_id,
                    crate::webhooks::model::EventType::TierChanged,
                    changed,
                    None,
                )
                .await?;
            }
            (
                Action::PartnerTierPinned,
                serde_json::json!({
                    "reason": reason,
                    "from": tier.label(),
                    "to": to.label(),
                    "until": until.map(|d| d.to_string()),
                }),
            )
        }
        TierChange::Unpin if !pinned => {
            return Err(AppError::Conflict("The tier is not pinned.".into()));
        }
        TierChange::Unpin => {
            super::queries::set_pin(&mut tx, input.partner_id, None).await?;
            (
                Action::PartnerTierUnpinned,
                serde_json::json!({ "reason": reason, "tier": tier.label() }),
            )
        }
    };
    let entry = AuditEntry::by(&me, action)
        .partner(input.partner_id)
        .target("partner", input.partner_id)
        .detail(detail);
    audit_and_commit(tx, entry, input.partner_id, "tier").await
}

/// Sets the partner's switches: client management, white-label, custom CSS.
#[server(endpoint = "admin/partner/switches")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_switches(input: SwitchesInput) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = admin().await?;
    let (switches, reason) = input.validate().map_err(AppError::Validation)?;
    let (mut tx, _) = begin(input.partner_id).await?;
    super::queries::set_switches(&mut tx, input.partner_id, switches).await?;
    let entry = AuditEntry::by(&me, Action::PartnerSwitchesChanged)
        .partner(input.partner_id)
        .target("partner", input.partner_id)
        .detail(serde_json::json!({
            "reason": reason,
            "client_management": switches.client_management,
            "white_label": match switches.white_label {
                None => "as the tier says",
                Some(true) => "on",
                Some(false) => "off",
            },
            "custom_css": switches.custom_css,
        }));
    audit_and_commit(tx, entry, input.partner_id, "switches").await
}

/// Sets the countries a partner serves and the industries it knows (what lead assignment
/// matches leads on), with a reason.
#[server(endpoint = "admin/partner/profile")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn change_profile(input: ProfileInput) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = admin().await?;
    let (profile, reason) = input.validate().map_err(AppError::Validation)?;
    let (mut tx, _) = begin(input.partner_id).await?;
    let before = super::queries::set_profile(&mut tx, input.partner_id, &profile).await?;
    let entry = AuditEntry::by(&me, Action::PartnerProfileChanged)
        .partner(input.partner_id)
        .target("partner", input.partner_id)
        .detail(serde_json::json!({
            "reason": reason,
            "from": before,
            "to": profile,
        }));
    audit_and_commit(tx, entry, input.partner_id, "profile").await
}

/// Creates a partner without an application and invites its owner by e-mail (the link
/// works once, for the invitation's days). Answers the new partner's id; a plain form post
/// goes on to its page.
#[server(endpoint = "admin/partners/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_partner(input: NewPartnerInput) -> Result<Uuid, AppError> {
    use crate::{
        error::FieldErrors,
        invitations::model::INVITATION_DAYS,
        mail::{self, OutgoingEmail},
        partners::onboarding,
    };

    let me = admin().await?;
    let new = input.validate().map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    if super::queries::email_has_place(&mut tx, &new.owner_email).await? {
        return Err(AppError::Validation(input.keep_typed(FieldErrors::field(
            "owner_email",
            "This address already has an account in the portal: the owner must be someone new.",
        ))));
    }
    let onboarded = onboarding::onboard(
        &mut tx,
        &me,
        &onboarding::Onboarding {
            name: &new.name,
            partnership_type: new.partnership_type,
            tier: new.tier,
            owner_email: &new.owner_email,
            application: None,
            reason: Some(&new.reason),
        },
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &OutgoingEmail {
            to: new.owner_email.clone(),
            subject: format!("{} is now a partner: set up your account", new.name),
            body: format!(
                "Hello,\n\nThe partner program team has set up {name} on the partner portal \
                 as a {tier} {kind} partner, with you as its owner.\n\
                 Choose your password here:\n\n{link}\n\n\
                 The link works once and for {INVITATION_DAYS} days.\n",
                name = new.name,
                tier = new.tier.label(),
                kind = new.partnership_type.label().to_lowercase(),
                link = onboarded.invitation_link,
            ),
            partner_id: Some(onboarded.partner_id),
        },
    )
    .await?;
    tx.commit().await?;
    // With JavaScript too: the router follows the redirect to the new partner's page.
    leptos_axum::redirect(&format!(
        "/admin/partners/{}?done=created",
        onboarded.partner_id
    ));
    Ok(onboarded.partner_id)
}
