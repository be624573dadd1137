//! Server functions of deal registration: every member reads their partner's deals; owners,
//! managers and sales check a prospect and register it (`Perm::Deals`); admins decide. Each
//! change writes its audit row in its own transaction.

use leptos::prelude::*;
use uuid::Uuid;

use super::decision::{
    ActivityInput, ConvertInput, DecideInput, DirectInput, ExtensionDecision, ExtensionInput,
};
use super::model::{Availability, CheckInput, DealInput, DealsPage, QueuePage};
use crate::{error::AppError, program::Position};

/// A page of the caller's partner's registrations, newest first.
#[server(endpoint = "deals")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_deals(position: Option<Position>) -> Result<DealsPage, AppError> {
    use crate::auth::model::Perm;

    let me = crate::auth::require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = crate::state::pool()?;
    let (deals, links) =
        super::queries::list(&pool, partner_id, &position.unwrap_or_default()).await?;
    let plans = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| (p.code.clone(), p.name.clone()))
        .collect();
    Ok(DealsPage {
        deals,
        links,
        can_register: me.has(Perm::Deals),
        plans,
    })
}

/// Whether a prospect is free to register, as the partner types: matched by domain and by
/// a nearly identical company name against other partners' live registrations and every
/// client. Never says whose they are.
#[server(endpoint = "deals/check")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn check_deal(input: CheckInput) -> Result<Availability, AppError> {
    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let domain = super::domain::Domain::parse(&input.domain).ok();
    let company = input.company_name.trim();
    if domain.is_none() && company.chars().count() < 3 {
        return Ok(Availability::NotChecked);
    }
    if company.chars().count() > 200 {
        return Err(AppError::Validation(crate::error::FieldErrors::field(
            "company_name",
            "Use at most 200 characters.",
        )));
    }
    let pool = crate::state::pool()?;
    let found = super::queries::conflicts(
        &pool,
        partner_id,
        domain.as_ref().map(|d| d.as_str()),
        company,
    )
    .await?;
    Ok(if found.is_empty() {
        Availability::Available
    } else {
        Availability::Taken(found)
    })
}

/// Registers a deal, pending an admin's decision. A prospect that others hold may still be
/// registered: the admin sees both side by side.
#[server(endpoint = "deals/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn register_deal(input: DealInput) -> Result<Uuid, AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let plans: Vec<String> = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let today = chrono::Utc::now().date_naive();
    let deal = input
        .validate(&plans, today)
        .map_err(AppError::Validation)?;
    let pool = crate::state::pool()?;
    let conflicts = super::queries::conflicts(
        &pool,
        partner_id,
        Some(deal.domain.as_str()),
        &deal.company_name,
    )
    .await?;
    let mut tx = pool.begin().await?;
    let id = super::queries::insert(&mut tx, partner_id, me.user_id, &deal).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealRegistered)
            .target("deal", id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "domain": deal.domain.as_str(),
                "monthly_value": deal.monthly_value,
                "conflicts": conflicts.len(),
            })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/deals?done=registered");
    Ok(id)
}

/// A page of registrations waiting for a decision, with what is like each one. Admins only.
#[server(endpoint = "admin/deals")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_deal_queue(position: Option<Position>) -> Result<QueuePage, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let pool = crate::state::pool()?;
    let (deals, links) = super::queries::queue(&pool, &position.unwrap_or_default()).await?;
    let extension_requests = super::queries::extension_requests(&pool).await?;
    let plans = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| (p.code.clone(), p.name.clone()))
        .collect();
    Ok(QueuePage {
        deals,
        links,
        extension_requests,
        plans,
    })
}

/// Approves a pending registration (protected for 90 days from now) or denies it with a
/// reason; the partner's registrant is told by e-mail.
#[server(endpoint = "admin/deals/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn decide_deal(input: DecideInput) -> Result<(), AppError> {
    use super::decision::Decision;
    use crate::{
        audit::{Action, AuditEntry},
        mail::{self, OutgoingEmail},
    };

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let decision = input.validate().map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let decided = super::queries::decide(&mut tx, input.deal_id, me.user_id, &decision)
        .await?
        .ok_or(AppError::NotFound)?;
    let (action, done, outcome) = match (&decision, decided.protected_until) {
        (Decision::Approve { .. }, Some(until)) => (
            Action::DealApproved,
            "approved",
            format!(
                "approved: it is yours alone until {}",
                until.format("%Y-%m-%d")
            ),
        ),
        (Decision::Deny { reason }, _) => (
            Action::DealDenied,
            "denied",
            format!("denied, because: {reason}"),
        ),
        (Decision::Approve { .. }, None) => return Err(AppError::Internal),
    };
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, action)
            .partner(decided.partner_id)
            .target("deal", input.deal_id)
            .detail(serde_json::json!({
                "company_name": decided.company_name,
                "reason": input.reason.trim(),
                "protected_until": decided.protected_until,
            })),
    )
    .await?;
    if let Some(to) = decided.registrant_email {
        mail::enqueue(
            &mut *tx,
            &OutgoingEmail {
                to,
                subject: format!("Your deal registration for {}", decided.company_name),
                body: format!(
                    "Hello,\n\nYour registration of {} is {outcome}.\n\n\
                     See your deals in the partner portal under Deals.\n",
                    decided.company_name
                ),
                partner_id: Some(decided.partner_id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!("/admin/deals?done={done}"));
    Ok(())
}

/// Records activity on a protected deal of the caller's partner: its protection moves on
/// (at least 30 days after today, at most 180 after the approval). Answers the new end.
#[server(endpoint = "deals/activity")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn record_deal_activity(
    input: ActivityInput,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let note = input.validate().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let mut tx = crate::state::pool()?.begin().await?;
    let deal = super::lifecycle::lock_protected(&mut tx, partner_id, input.deal_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let until = super::lifecycle::record_activity(&mut tx, &deal, now).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealActivityRecorded)
            .target("deal", deal.id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "note": note,
                "protected_until": until,
                "was_until": deal.protected_until,
            })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/deals?done=activity");
    Ok(until)
}

/// Converts a protected deal of the caller's partner into a client, in one step: the
/// client is made from the deal (company, contact, plan) under the same cap and rules as any
/// new client, its contact is invited, and the deal is marked won with a link to it.
#[server(endpoint = "deals/convert")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn convert_deal(input: ConvertInput) -> Result<Uuid, AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        auth::model::Perm,
        clients::input::ClientInput,
    };

    let me = crate::auth::require(Perm::Deals).await?;
    // Making a client takes the right to (and the partner's switch for) managing clients.
    let me = crate::auth::guard::permitted(me, Perm::EditClients)?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let deal_id = input.confirmed().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let pool = crate::state::pool()?;
    let mut tx = pool.begin().await?;
    let deal = super::queries::find(&mut tx, partner_id, deal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if super::lifecycle::lock_protected(&mut tx, partner_id, deal_id, now)
        .await?
        .is_none()
    {
        return Err(AppError::Conflict(
            "Only a deal the program protects now can be converted: register it again if its \
             protection ended."
                .into(),
        ));
    }
    let fields = crate::clients::server::checked(&ClientInput {
        company_name: deal.company_name.clone(),
        contact_name: deal.contact_name.clone(),
        contact_email: deal.contact_email.clone(),
        plan: deal.plan.clone(),
        billing_owned_by_reseller: Some("on".into()),
        ..ClientInput::default()
    })
    .await?;
    let client_id = crate::clients::changes::create_in(&mut tx, &me, &fields, None).await?;
    super::lifecycle::mark_won(&mut tx, deal_id, client_id, now).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealWon)
            .target("deal", deal_id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "client_id": client_id,
                "monthly_value": deal.monthly_value,
            })),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/partner/clients/{client_id}?done=converted"));
    Ok(client_id)
}

/// Asks the program team for more protection on a protected deal than activity gives.
#[server(endpoint = "deals/extension")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn request_extension(input: ExtensionInput) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Deals).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let reason = input.validate().map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let mut tx = crate::state::pool()?.begin().await?;
    let deal = super::lifecycle::lock_protected(&mut tx, partner_id, input.deal_id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    if !super::lifecycle::request_extension(&mut tx, &deal, &reason, now).await? {
        return Err(AppError::Conflict(
            "More time is asked for this deal already: the program team answers soon.".into(),
        ));
    }
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealExtensionRequested)
            .target("deal", deal.id)
            .detail(serde_json::json!({ "company_name": deal.company_name, "reason": reason })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/partner/deals?done=asked");
    Ok(())
}

/// Grants a waiting extension request (30 more days) or declines it with a reason; the
/// registrant is told either way.
#[server(endpoint = "admin/deals/extension")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn answer_extension(input: ExtensionDecision) -> Result<(), AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let (grant, reason) = input.validate().map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let deal = super::lifecycle::answer_extension(&mut tx, input.deal_id, grant)
        .await?
        .ok_or(AppError::NotFound)?;
    let (action, outcome) = if grant {
        (
            Action::DealExtensionGranted,
            format!(
                "granted: it is protected until {}",
                deal.protected_until.format("%Y-%m-%d")
            ),
        )
    } else {
        (
            Action::DealExtensionDeclined,
            format!("declined, because: {reason}"),
        )
    };
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, action)
            .partner(deal.partner_id)
            .target("deal", deal.id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "reason": reason,
                "protected_until": deal.protected_until,
            })),
    )
    .await?;
    super::lifecycle::tell(
        &mut tx,
        &deal,
        format!("More time for {}", deal.company_name),
        format!(
            "Your request for more protection of {} is {outcome}.",
            deal.company_name
        ),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/admin/deals?done=extension");
    Ok(())
}

/// Records that a protected prospect bought directly from the vendor (seed 001 section 6.2):
/// the partner whose registration protects its domain is credited with it. The prospect
/// becomes that partner's client (the vendor bills it, so the partner's cap applies but no
/// invitation goes out), the deal is won, and the close counts the client for the partner
/// from then on. The client's name. Admins only.
#[server(endpoint = "admin/deals/direct")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn record_direct_purchase(input: DirectInput) -> Result<String, AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        clients::input::ClientInput,
        error::FieldErrors,
    };

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let plans: Vec<String> = crate::clients::server::plans_cached()
        .await?
        .iter()
        .map(|p| p.code.clone())
        .collect();
    let (domain, plan) = input.validate(&plans).map_err(AppError::Validation)?;
    let now = chrono::Utc::now();
    let mut tx = crate::state::pool()?.begin().await?;
    let Some((deal_id, partner_id)) =
        super::lifecycle::lock_protecting(&mut tx, domain.as_str(), now).await?
    else {
        return Err(AppError::Validation(
            FieldErrors::field(
                "domain",
                format!(
                    "No partner's registration protects {} now: no partner is credited with it.",
                    domain.as_str()
                ),
            )
            .keep("domain", input.domain.clone())
            .keep("plan", input.plan.clone()),
        ));
    };
    let deal = super::queries::find(&mut tx, partner_id, deal_id)
        .await?
        .ok_or(AppError::Internal)?;
    let fields = crate::clients::server::checked(&ClientInput {
        company_name: deal.company_name.clone(),
        contact_name: deal.contact_name.clone(),
        contact_email: deal.contact_email.clone(),
        plan,
        ..ClientInput::default()
    })
    .await?;
    let client_id =
        crate::clients::changes::create_for(&mut tx, &me, partner_id, &fields, None, false).await?;
    super::lifecycle::mark_won(&mut tx, deal_id, client_id, now).await?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::DealBoughtDirect)
            .partner(partner_id)
            .target("deal", deal_id)
            .detail(serde_json::json!({
                "company_name": deal.company_name,
                "domain": domain.as_str(),
                "client_id": client_id,
                "plan": fields.plan,
            })),
    )
    .await?;
    let registrant: Option<String> = sqlx::query_scalar(
        "select u.email from deals d join users u on u.id = d.registered_by where d.id = $1",
    )
    .bind(deal_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(to) = registrant {
        crate::mail::enqueue(
            &mut *tx,
            &crate::mail::OutgoingEmail {
                to,
                subject: format!("{} bought directly: it counts for you", deal.company_name),
                body: format!(
                    "Hello,\n\n{} bought directly from us while your registration protected \
                     it. It is your client now (we bill it), and you earn its commission from \
                     this month's close on.\n",
                    deal.company_name
                ),
                partner_id: Some(partner_id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    crate::state::redirect_plain_form("/admin/deals?done=direct");
    Ok(deal.company_name)
}
