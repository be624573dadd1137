//! Server functions for commissions and payouts. Admin functions require `Perm::Admin`;
//! partner functions require `Perm::Commissions` (owners and managers) and read only the
//! caller's own partner.

use leptos::prelude::*;

use super::model::{
    CloseOutcome, ClosePreview, CloseProgress, CommissionMonths, PartnerCommissions, PayoutPage,
    StatementDetail,
};
use crate::{error::AppError, program::Position};

#[cfg(feature = "ssr")]
fn parse_month(text: &str) -> Result<crate::program::Month, AppError> {
    crate::program::Month::parse(text).ok_or_else(|| {
        crate::error::FieldErrors::one("month", "Choose a month, written like 2026-10.")
    })
}

/// Months an admin can close (after the latest close, up to last month) and those closed.
#[server(endpoint = "admin/commissions/months")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_commission_months() -> Result<CommissionMonths, AppError> {
    use super::queries::{self, close::latest_closed};
    use crate::program::Month;
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let pool = pool()?;
    let last_ended = Month::containing(chrono::Utc::now()).previous();
    let first_open = match latest_closed(&mut *pool.acquire().await?).await? {
        Some(latest) => latest.next(),
        None => last_ended.minus(23),
    };
    let mut open = Vec::new();
    let mut month = first_open;
    while month <= last_ended {
        open.push(month);
        month = month.next();
    }
    Ok(CommissionMonths {
        open,
        closed: queries::closed_months(&pool).await?,
        partners: queries::partner_names(&pool).await?,
    })
}

/// What closing `month` would write, per partner (or, for a closed month, what it wrote).
#[server(endpoint = "admin/commissions/preview")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn preview_close(month: String) -> Result<ClosePreview, AppError> {
    use super::{close, queries};
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let month = parse_month(&month)?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    if let Some(closed_at) = queries::close::closed_at(&mut conn, month).await? {
        let partners = queries::closed_summary(&pool, month).await?;
        return Ok(ClosePreview {
            month,
            total: partners.iter().map(|p| p.total).sum(),
            partners,
            closed_at: Some(closed_at),
        });
    }
    // Shown in place of the preview, so the reason travels as the error's message.
    close::check_closable(
        month,
        chrono::Utc::now(),
        queries::close::latest_closed(&mut conn).await?,
    )
    .map_err(|e| match e.fields().and_then(|f| f.message("month")) {
        Some(message) => AppError::Conflict(message.to_string()),
        None => e,
    })?;
    let partners: Vec<_> = close::compute(&mut conn, month)
        .await?
        .into_iter()
        .filter(|s| s.lines > 0 || s.tier_after != s.tier_before)
        .collect();
    Ok(ClosePreview {
        month,
        total: partners.iter().map(|p| p.total).sum(),
        partners,
        closed_at: None,
    })
}

/// Closes `month`: statements, tier recomputation, payouts. Idempotent. The close runs on a
/// task of its own: a small program's answer comes back here; a large one's close carries on
/// in the background after a few seconds and the page follows its progress.
#[server(endpoint = "admin/commissions/close")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn close_month(input: super::input::CloseInput) -> Result<CloseOutcome, AppError> {
    use super::close::{self, CloseRequest, TierMail};
    use crate::{
        auth::{model::Perm, require},
        db::scope::{scoped, Scope},
        error::FieldErrors,
        state::{metrics, pool, settings},
    };

    let me = require(Perm::Admin).await?;
    let super::input::CloseInput { month, confirm } = input;
    let month = parse_month(&month)?;
    if confirm.as_deref() != Some("yes") {
        return Err(FieldErrors::one(
            "confirm",
            "Tick the box to confirm: statements cannot be changed once the month is closed.",
        ));
    }
    let (pool, settings, metrics) = (pool()?, settings()?, metrics()?);
    let request = CloseRequest {
        month,
        actor: Some(me.user_id),
        now: chrono::Utc::now(),
        mail: TierMail::Send,
    };
    let (answer, outcome) = tokio::sync::oneshot::channel();
    tokio::spawn(scoped(Scope::All, async move {
        let started = std::time::Instant::now();
        let timeout = settings.database.long_statement_timeout_ms;
        let result = close::run(&pool, request, close::BATCH_CLIENTS, timeout, |_| {}).await;
        match &result {
            Ok(_) => metrics
                .close_seconds
                .observe(started.elapsed().as_secs_f64()),
            Err(error) => tracing::error!(%month, %error, "the monthly close failed"),
        }
        let _ = answer.send(result);
    }));
    match tokio::time::timeout(CLOSE_ANSWER_WAIT, outcome).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(AppError::Internal),
        Err(_) => Ok(CloseOutcome::Running { month }),
    }
}

/// How long the admin's request waits for a close before leaving it to the background.
#[cfg(feature = "ssr")]
const CLOSE_ANSWER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The close that has started and not finished, if any: the commissions page's progress.
#[server(endpoint = "admin/commissions/close-progress")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_close_progress() -> Result<Option<CloseProgress>, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };
    require(Perm::Admin).await?;
    let mut conn = pool()?.acquire().await?;
    Ok(super::queries::close::unfinished_run(&mut conn).await?)
}

/// Adds a correction to a partner's closed statement; it is paid with the next payout.
#[server(endpoint = "admin/commissions/adjust")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn add_adjustment(input: super::input::AdjustmentInput) -> Result<(), AppError> {
    use super::{model::parse_adjustment, queries};
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::FieldErrors,
        state::pool,
    };

    let me = require(Perm::Admin).await?;
    let super::input::AdjustmentInput {
        partner_id,
        month,
        amount,
        reason,
    } = input;
    let mut errors = FieldErrors::new();
    let partner = uuid::Uuid::parse_str(partner_id.trim()).ok();
    if partner.is_none() {
        errors.add("partner_id", "Choose a partner.");
    }
    let parsed_month = crate::program::Month::parse(&month);
    if parsed_month.is_none() {
        errors.add("month", "Choose a closed month, written like 2026-10.");
    }
    let parsed_amount = parse_adjustment(&amount);
    if let Err(message) = &parsed_amount {
        errors.add("amount", *message);
    }
    let reason = reason.trim().to_string();
    if !(3..=500).contains(&reason.chars().count()) {
        errors.add("reason", "Say why, in 3 to 500 characters.");
    }
    let keep = |e: FieldErrors| {
        e.keep("partner_id", &partner_id)
            .keep("month", &month)
            .keep("amount", &amount)
            .keep("reason", &reason)
    };
    let (Some(partner), Some(month), Ok(amount)) = (partner, parsed_month, parsed_amount) else {
        return Err(AppError::Validation(keep(errors)));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(keep(errors)));
    }
    let mut tx = pool()?.begin().await?;
    let Some(statement) = queries::statement_id(&mut tx, partner, month).await? else {
        let mut errors = FieldErrors::new();
        errors.add(
            "month",
            format!("This partner has no statement for {}.", month.label()),
        );
        return Err(AppError::Validation(keep(errors)));
    };
    let id =
        queries::add_adjustment(&mut tx, partner, statement, amount, &reason, me.user_id).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::CommissionAdjusted)
            .partner(partner)
            .target("commission_adjustment", id)
            .detail(serde_json::json!({
                "month": month.to_string(), "amount": amount.to_string(), "reason": reason,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A page of every partner's payouts: unpaid first, then the latest paid (the first page
/// without a position).
#[server(endpoint = "admin/payouts")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_payouts(position: Option<Position>) -> Result<PayoutPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let (rows, links) = super::queries::payouts(
        &pool()?,
        None,
        None,
        &position.unwrap_or_default(),
        super::model::PAYOUTS_PAGE,
    )
    .await?;
    Ok(PayoutPage { rows, links })
}

/// Records that a due payout was paid, once.
#[server(endpoint = "admin/payouts/pay")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn pay_payout(input: super::input::PaymentInput) -> Result<String, AppError> {
    use super::model::not_payable;
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        components::format::money,
        state::pool,
    };

    let me = require(Perm::Admin).await?;
    let payment = input
        .validate()
        .map_err(AppError::Validation)?
        .ok_or(AppError::NotFound)?;
    let (payout, method, reference) = (payment.payout_id, payment.method, payment.reference);
    let mut tx = pool()?.begin().await?;
    let Some((partner, amount)) =
        super::queries::mark_paid(&mut tx, payout, me.user_id, method, &reference).await?
    else {
        return Err(
            match super::queries::payout_standing(&mut tx, payout).await? {
                None => AppError::NotFound,
                Some((paid_at, due_on)) => AppError::Conflict(not_payable(paid_at, due_on)),
            },
        );
    };
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::PayoutPaid)
            .partner(partner)
            .target("payout", payout)
            .detail(serde_json::json!({
                "amount": amount.to_string(), "method": method.slug(), "reference": reference,
            })),
    )
    .await?;
    let paid = serde_json::json!({
        "id": payout, "amount": amount.to_string(), "method": method.slug(),
        "reference": reference, "paid_at": chrono::Utc::now(),
    });
    crate::webhooks::outbox::record(
        &mut tx,
        partner,
        crate::webhooks::model::EventType::PayoutPaid,
        paid,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "Payout of {} marked paid ({}, {reference}).",
        money(amount),
        method.label()
    ))
}

/// The caller's partner's statements, payouts and payout method.
#[server(endpoint = "partner/commissions")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_partner_commissions() -> Result<PartnerCommissions, AppError> {
    use super::queries::{self, close::unassigned_balance};
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::Commissions).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let (payout_method, payout_account) = queries::payout_method(&pool, partner_id).await?;
    Ok(PartnerCommissions {
        statements: queries::statements(&pool, partner_id).await?,
        // Two a year at most: the latest hundred is every payout there is in practice.
        payouts: queries::payouts(&pool, Some(partner_id), None, &Position::First, 100)
            .await?
            .0,
        carried_forward: unassigned_balance(&mut *pool.acquire().await?, partner_id).await?,
        payout_method,
        payout_account,
        may_set_payout_method: me.has(Perm::PayoutMethod),
    })
}

/// One of the caller's partner's statements, a page of lines at a time.
#[server(endpoint = "partner/commissions/statement")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_statement(month: String, page: i64) -> Result<StatementDetail, AppError> {
    use super::queries::{self, LINES_PER_PAGE};
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::Commissions).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let month = crate::program::Month::parse(&month).ok_or(AppError::NotFound)?;
    let pool = pool()?;
    let summary = queries::statement(&pool, partner_id, month)
        .await?
        .ok_or(AppError::NotFound)?;
    let pages = ((summary.lines + LINES_PER_PAGE - 1) / LINES_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    Ok(StatementDetail {
        lines: queries::lines(&pool, summary.id, partner_id, page, LINES_PER_PAGE).await?,
        adjustments: queries::adjustments(&pool, summary.id, partner_id).await?,
        summary,
        page,
        pages,
    })
}

/// The owner chooses how the partner is paid.
#[server(endpoint = "partner/payout-method")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn set_payout_method(input: super::input::PayoutMethodInput) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PayoutMethod).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let (method, account) = input.validate().map_err(AppError::Validation)?;
    let mut tx = pool()?.begin().await?;
    super::queries::set_payout_method(&mut tx, partner_id, method, &account).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::PayoutMethodChanged)
            .target("partner", partner_id)
            .detail(serde_json::json!({ "method": method.slug() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
