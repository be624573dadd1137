//! Server functions for applications: public submission, and the admins' review.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    model::ApplicationDetail,
    queue::{QueuePage, QueueQuery},
    stats::ApplicationStats,
};
use crate::error::AppError;

/// The public application form. Every field arrives as text so that nothing typed is lost;
/// the server checks it all and answers with field-level messages.
#[server(endpoint = "applications/submit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn submit_application(input: super::model::ApplicationInput) -> Result<(), AppError> {
    use super::{emails, queries};
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{guard::client_addr, rate_limit::APPLY},
        error::FieldErrors,
        mail,
        state::{pool, settings},
    };

    // The guard of a public endpoint: a per-address limit, counted before anything else in
    // one statement; a form sent back with errors gives its count back.
    let addr = client_addr().await;
    let address = crate::auth::rate_limit::address_subject(addr);
    let pool = pool()?;
    APPLY.hit(&pool, &address).await?;

    let app = match input.validate() {
        Ok(app) => app,
        Err(errors) => {
            APPLY.refund(&pool, &address).await?;
            return Err(AppError::Validation(errors));
        }
    };
    let reference = new_reference();
    let settings = settings()?;

    let mut tx = pool.begin().await?;
    let Some(id) = queries::insert(&mut tx, &app, &reference, addr.map(|a| a.to_string())).await?
    else {
        drop(tx);
        APPLY.refund(&pool, &address).await?;
        let mut errors = FieldErrors::new();
        errors.add(
            "contact_email",
            "An application from this e-mail address is already being reviewed. We will reply to it soon.",
        );
        return Err(AppError::Validation(input.keep_all(errors)));
    };
    audit::record(
        &mut *tx,
        AuditEntry::system(Action::ApplicationSubmitted)
            .target("application", id)
            .from_addr(addr)
            .detail(serde_json::json!({ "reference": reference, "company": app.company_name })),
    )
    .await?;
    mail::enqueue(&mut *tx, &emails::confirmation(&app, &reference)).await?;
    let link = format!("{}/admin/applications/{id}", settings.site.public_url);
    for admin in queries::admin_emails(&mut tx).await? {
        mail::enqueue(
            &mut *tx,
            &emails::admin_notification(&admin, &app, &reference, &link),
        )
        .await?;
    }
    tx.commit().await?;

    leptos_axum::redirect(&format!("/apply/thanks?ref={reference}"));
    Ok(())
}

/// `APP-` and 8 characters from an alphabet without look-alikes (no 0/O, 1/I).
#[cfg(feature = "ssr")]
fn new_reference() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let code: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("APP-{code}")
}

/// One page of the review queue.
#[server(endpoint = "admin/applications")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_applications(query: QueueQuery) -> Result<QueuePage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let query = QueueQuery {
        search: query
            .search
            .map(|s| s.chars().take(super::queue::SEARCH_MAX_CHARS).collect()),
        ..query
    };
    Ok(super::queries::queue(&pool()?, &query).await?)
}

/// Everything about one application, with its notes and status history.
#[server(endpoint = "admin/application")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_application(id: Uuid) -> Result<ApplicationDetail, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    super::queries::detail(&pool()?, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Adds an internal note, signed by the admin.
#[server(endpoint = "admin/application/note")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn add_application_note(input: super::model::NoteInput) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::FieldErrors,
        state::pool,
    };

    let me = require(Perm::Admin).await?;
    let super::model::NoteInput { id, body } = input;
    let body = body.trim().to_string();
    let mut errors = FieldErrors::new();
    if body.is_empty() {
        errors.add("body", "Write a note first.");
    } else if body.chars().count() > 5000 {
        errors.add("body", "Use at most 5000 characters.");
    }
    errors.keep("body", body.clone()).into_result()?;

    let mut tx = pool()?.begin().await?;
    let note = super::queries::add_note(&mut tx, id, me.user_id, &body)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ApplicationNoted)
            .target("application", id)
            .detail(serde_json::json!({ "note": note })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an application along its state machine: `start_review`, `approve` (with `tier`),
/// `reject` (with `reason`) or `reopen` (with `reason`). The server refuses moves the
/// current status does not allow.
#[server(endpoint = "admin/application/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn decide_application(input: super::model::DecisionInput) -> Result<(), AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::Admin).await?;
    let super::model::DecisionInput {
        id,
        action,
        tier,
        reason,
    } = input;
    let decision = super::review::parse_decision(&action, tier.as_deref(), reason.as_deref())?;
    super::review::decide(
        &me,
        id,
        decision,
        reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
    )
    .await
}

/// Counts, monthly volume, approval rate and time to decision, with chart options.
#[server(endpoint = "admin/applications/stats")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_application_stats() -> Result<ApplicationStats, AppError> {
    use super::charts;
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    let rows = super::queries::stats(&pool()?).await?;
    let charts = vec![
        charts::per_month(&rows.per_month),
        charts::donut("by-status", "By status", &rows.by_status),
        charts::donut("by-type", "By partnership type", &rows.by_type),
        charts::bars("by-size", "By company size", &rows.by_size),
    ];
    let count = |label: &str| {
        rows.by_status
            .iter()
            .find(|(l, _)| l == label)
            .map_or(0, |(_, n)| *n)
    };
    Ok(ApplicationStats {
        approved: count("approved"),
        rejected: count("rejected"),
        by_status: rows.by_status,
        by_type: rows.by_type,
        by_size: rows.by_size,
        per_month: rows.per_month,
        median_hours_to_decision: rows.median_hours,
        charts,
    })
}
