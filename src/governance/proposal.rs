//! A partner's territories and industries, proposed by its owner and decided by an admin:
//! the owner sees the profile lead assignment uses and proposes a change with a reason; an
//! admin accepts it (the profile changes, audited as any profile change) or dismisses it.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::profile::{Profile, ProfileInput};
use crate::error::AppError;

/// A proposal waiting for an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub profile: Profile,
    pub reason: String,
    pub proposed_at: DateTime<Utc>,
    pub proposed_by: Option<String>,
}

/// The partner's profile as its members see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerProfile {
    pub current: Profile,
    pub proposal: Option<Proposal>,
    /// The owner may propose.
    pub can_propose: bool,
}

/// An admin's answer to a proposal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProposalDecision {
    pub partner_id: Uuid,
    /// `accept` or `dismiss`.
    pub decision: String,
}

#[cfg(feature = "ssr")]
async fn load(
    pool: &sqlx::PgPool,
    partner_id: Uuid,
) -> Result<(Profile, Option<Proposal>), AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        territories: Vec<String>,
        industries: Vec<String>,
        proposed_territories: Option<Vec<String>>,
        proposed_industries: Option<Vec<String>>,
        proposal_reason: Option<String>,
        proposed_at: Option<DateTime<Utc>>,
        proposed_by: Option<String>,
    }
    let row: Row = sqlx::query_as(
        "select p.territories, p.industries, p.proposed_territories, p.proposed_industries,
                p.proposal_reason, p.proposed_at, u.display_name as proposed_by
         from partners p left join users u on u.id = p.proposed_by where p.id = $1",
    )
    .bind(partner_id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let proposal = match (
        row.proposed_territories,
        row.proposed_industries,
        row.proposed_at,
    ) {
        (Some(territories), Some(industries), Some(proposed_at)) => Some(Proposal {
            profile: Profile {
                territories,
                industries,
            },
            reason: row.proposal_reason.unwrap_or_default(),
            proposed_at,
            proposed_by: row.proposed_by,
        }),
        _ => None,
    };
    Ok((
        Profile {
            territories: row.territories,
            industries: row.industries,
        },
        proposal,
    ))
}

/// The caller's partner's territories and industries, and the proposal waiting, if any.
#[server(endpoint = "partner/profile")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_partner_profile() -> Result<PartnerProfile, AppError> {
    use crate::auth::model::Perm;

    let me = crate::auth::require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let (current, proposal) = load(&crate::state::pool()?, partner_id).await?;
    Ok(PartnerProfile {
        current,
        proposal,
        can_propose: me.has(Perm::Team),
    })
}

/// The owner proposes territories and industries, with a reason; it replaces a proposal
/// still waiting.
#[server(endpoint = "partner/profile/propose")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn propose_profile(input: ProfileInput) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Team).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let (profile, reason) = input.validate().map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    sqlx::query(
        "update partners set proposed_territories = $2, proposed_industries = $3,
                proposal_reason = $4, proposed_at = now(), proposed_by = $5
         where id = $1",
    )
    .bind(partner_id)
    .bind(&profile.territories)
    .bind(&profile.industries)
    .bind(&reason)
    .bind(me.user_id)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::PartnerProfileProposed)
            .target("partner", partner_id)
            .detail(serde_json::json!({ "proposed": profile, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/team?done=proposed");
    Ok(())
}

/// A partner's proposal, for admins (`None`: nothing waits).
#[server(endpoint = "admin/partner/proposal")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_proposal(id: Uuid) -> Result<Option<Proposal>, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    Ok(load(&crate::state::pool()?, id).await?.1)
}

/// Accepts a partner's proposal (its profile becomes the proposed one) or dismisses it.
#[server(endpoint = "admin/partner/proposal/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn decide_proposal(input: ProposalDecision) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let accept = match input.decision.as_str() {
        "accept" => true,
        "dismiss" => false,
        _ => {
            return Err(AppError::Validation(crate::error::FieldErrors::form(
                "Choose to accept or to dismiss the proposal.",
            )))
        }
    };
    let pool = crate::state::pool()?;
    let (_, proposal) = load(&pool, input.partner_id).await?;
    let proposal = proposal.ok_or(AppError::NotFound)?;
    let mut tx = pool.begin().await?;
    // Cleared only if it is still the proposal read above (the owner may have replaced it).
    let cleared = sqlx::query(
        "update partners set proposed_territories = null, proposed_industries = null,
                proposal_reason = null, proposed_at = null, proposed_by = null
         where id = $1 and proposed_at = $2",
    )
    .bind(input.partner_id)
    .bind(proposal.proposed_at)
    .execute(&mut *tx)
    .await?;
    if cleared.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "The owner changed the proposal meanwhile: look at it again.".into(),
        ));
    }
    let entry = if accept {
        let before =
            super::queries::set_profile(&mut tx, input.partner_id, &proposal.profile).await?;
        AuditEntry::by(&me, Action::PartnerProfileChanged).detail(serde_json::json!({
            "reason": format!("Accepted the partner's proposal: {}", proposal.reason),
            "from": before,
            "to": proposal.profile,
        }))
    } else {
        AuditEntry::by(&me, Action::PartnerProfileProposalDismissed)
            .detail(serde_json::json!({ "proposed": proposal.profile }))
    };
    crate::audit::record(
        &mut *tx,
        entry
            .partner(input.partner_id)
            .target("partner", input.partner_id),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!(
        "/admin/partners/{}?done=proposal",
        input.partner_id
    ));
    Ok(())
}
