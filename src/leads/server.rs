//! Server functions of leads: admins create, import (see [`super::import`]), list and hand
//! over leads; every member reads the offers made to their partner; owners, managers and
//! sales accept (the lead becomes a deal registration) or decline (it moves on at once).

use leptos::prelude::*;
use uuid::Uuid;

use super::input::{AcceptInput, DeclineInput, LeadInput, ReassignInput};
use super::model::{AdminLeadsPage, ImportReport, PartnerLeadsPage};
use crate::{error::AppError, program::Position};

/// A page of the offers made to the caller's partner, newest first.
#[server(endpoint = "leads")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_partner_leads(position: Option<Position>) -> Result<PartnerLeadsPage, AppError> {
    use crate::auth::model::Perm;

    let me = crate::auth::require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = crate::state::pool()?;
    let (offers, links) =
        super::queries::offers(&pool, partner_id, &position.unwrap_or_default()).await?;
    let plans = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| (p.code.clone(), p.name.clone()))
        .collect();
    Ok(PartnerLeadsPage {
        offers,
        links,
        can_answer: me.has(Perm::Deals),
        plans,
    })
}

/// Accepts a lead offered to the caller's partner: it becomes the partner's deal
/// registration (pending review, like any other), with the plan, value and close date the
/// partner expects. The registration's id.
#[server(endpoint = "leads/accept")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn accept_lead(input: AcceptInput) -> Result<Uuid, AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        deals::model::DealInput,
    };

    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let now = chrono::Utc::now();
    let plans: Vec<String> = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let mut tx = crate::state::pool()?.begin().await?;
    let lead = super::queries::lock_offered(&mut tx, partner_id, input.lead_id, now)
        .await?
        .ok_or_else(gone)?;
    let notes: String = format!("From a lead the program team offered. {}", lead.notes)
        .chars()
        .take(2000)
        .collect();
    let deal = DealInput {
        company_name: lead.company_name.clone(),
        domain: lead.domain.clone(),
        contact_name: lead.contact_name.clone(),
        contact_email: lead.contact_email.clone(),
        country: lead.country.clone(),
        plan: input.plan.clone(),
        seats: lead.seats.to_string(),
        monthly_value: input.monthly_value.clone(),
        expected_close: input.expected_close.clone(),
        notes: notes.trim().to_string(),
    }
    .validate(&plans, now.date_naive())
    .map_err(AppError::Validation)?;
    let deal_id = crate::deals::queries::insert(&mut tx, partner_id, me.user_id, &deal).await?;
    super::queries::answer_offer(&mut tx, lead.id, "accepted", me.user_id, None, now).await?;
    super::queries::mark_accepted(&mut tx, lead.id, deal_id).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::LeadAccepted)
            .target("lead", lead.id)
            .detail(serde_json::json!({
                "company_name": lead.company_name,
                "deal_id": deal_id,
                "monthly_value": deal.monthly_value,
            })),
    )
    .await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealRegistered)
            .target("deal", deal_id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "domain": deal.domain.as_str(),
                "monthly_value": deal.monthly_value,
                "lead_id": lead.id,
            })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/leads?done=accepted");
    Ok(deal_id)
}

/// Declines a lead offered to the caller's partner, with the reason: it goes to the next
/// partner by the rules at once, and never comes back to this one.
#[server(endpoint = "leads/decline")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn decline_lead(input: DeclineInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        db::scope::{scoped, Scope},
    };

    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let reason = input.validate().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let lead = super::queries::lock_offered(&mut tx, partner_id, input.lead_id, now)
        .await?
        .ok_or_else(gone)?;
    super::queries::answer_offer(&mut tx, lead.id, "declined", me.user_id, Some(&reason), now)
        .await?;
    super::queries::release(&mut tx, lead.id).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::LeadDeclined)
            .target("lead", lead.id)
            .detail(serde_json::json!({ "company_name": lead.company_name, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    // Handing the lead on reads every partner's profile: the program's work, not this
    // partner's, so it runs with every partner's rows. If it fails the sweep does it.
    if let Err(error) = scoped(Scope::All, super::assign::place_one(&pool, lead.id, now)).await {
        tracing::warn!(%error, lead = %lead.id, "a declined lead waits for the sweep");
    }
    crate::state::redirect_plain_form("/partner/leads?done=declined");
    Ok(())
}

/// What a partner is told when the lead is no longer theirs to answer.
#[cfg(feature = "ssr")]
fn gone() -> AppError {
    AppError::Conflict(
        "This lead is no longer offered to you: its 48 hours ran out, or the program team \
         handed it to another partner."
            .into(),
    )
}

/// A page of leads, newest first, of one status (`new`, `offered`, `accepted`,
/// `unmatched`) or all. Admins only.
#[server(endpoint = "admin/leads")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_admin_leads(
    status: Option<String>,
    position: Option<Position>,
) -> Result<AdminLeadsPage, AppError> {
    use super::model::LeadStatus;

    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let status = status.as_deref().and_then(LeadStatus::from_slug);
    let pool = crate::state::pool()?;
    let (leads, links) = super::queries::admin_list(
        &pool,
        status,
        &position.unwrap_or_default(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(AdminLeadsPage {
        leads,
        links,
        status,
    })
}

/// An import: its refused rows, or how far the assignment of its leads has gone. Admins
/// only.
#[server(endpoint = "admin/leads/import")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_lead_import(id: Uuid) -> Result<ImportReport, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let pool = crate::state::pool()?;
    super::queries::import_report(&pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates one lead and offers it by the rules at once. Admins only.
#[server(endpoint = "admin/leads/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_lead(input: LeadInput) -> Result<Option<String>, AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let lead = input.validate().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let mut tx = crate::state::pool()?.begin().await?;
    let ids =
        super::queries::insert(&mut tx, std::slice::from_ref(&lead), None, me.user_id).await?;
    let id = ids.first().copied().ok_or(AppError::Internal)?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::LeadCreated)
            .target("lead", id)
            .detail(serde_json::json!({
                "company_name": lead.company_name,
                "country": lead.country,
                "industry": lead.industry,
            })),
    )
    .await?;
    let facts = super::assign::LeadFacts {
        id,
        company_name: lead.company_name.clone(),
        country: lead.country.clone(),
        industry: lead.industry.clone(),
    };
    let partner = super::assign::place(&mut tx, &facts, now).await?;
    let name: Option<String> = match partner {
        Some(partner) => {
            sqlx::query_scalar("select name from partners where id = $1")
                .bind(partner)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!(
        "/admin/leads?done={}",
        if name.is_some() {
            "offered"
        } else {
            "unmatched"
        }
    ));
    Ok(name)
}

/// Hands a lead not yet accepted to the partner an admin chose: the open offer, if any, is
/// withdrawn, and the chosen partner has 48 hours. Admins only.
#[server(endpoint = "admin/leads/reassign")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn reassign_lead(input: ReassignInput) -> Result<(), AppError> {
    use super::input::Choice;
    use crate::error::FieldErrors;

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let (choice, reason) = input.validate().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let mut tx = crate::state::pool()?.begin().await?;
    let (lead, holder, accepted) = super::queries::lock_for_hand_off(&mut tx, input.lead_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if accepted {
        return Err(AppError::Conflict(
            "This lead was accepted already, so it stays with its partner.".into(),
        ));
    }
    let partner: Option<(Uuid, bool)> = match &choice {
        Choice::Id(id) => {
            sqlx::query_as("select id, status = 'active' from partners where id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        }
        Choice::Slug(slug) => {
            sqlx::query_as("select id, status = 'active' from partners where slug = $1")
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?
        }
    };
    let field = match choice {
        Choice::Id(_) => "partner_id",
        Choice::Slug(_) => "partner_slug",
    };
    let refuse = |message: &str| {
        AppError::Validation(
            FieldErrors::field(field, message)
                .keep("reason", input.reason.clone())
                .keep("partner_slug", input.partner_slug.clone()),
        )
    };
    let partner_id = match partner {
        None => return Err(refuse("No partner has that slug.")),
        Some((_, false)) => return Err(refuse("That partner is not active: choose another.")),
        Some((id, true)) if Some(id) == holder => {
            return Err(refuse("The lead is offered to that partner already."))
        }
        Some((id, true)) => id,
    };
    if holder.is_some() {
        super::queries::answer_offer(
            &mut tx,
            lead.id,
            "withdrawn",
            me.user_id,
            Some(&reason),
            now,
        )
        .await?;
    }
    super::assign::offer(
        &mut tx,
        &lead,
        partner_id,
        now,
        Some(((&me).into(), &reason)),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/admin/leads?done=reassigned");
    Ok(())
}
