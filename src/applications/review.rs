//! Decisions on applications, each in one transaction with its history row, audit rows and
//! e-mail. Approval also onboards the partner: the partner, the owner's invitation and the
//! welcome e-mail exist together or not at all.

use uuid::Uuid;

use super::{emails, model::Decision, queries};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::model::Principal,
    error::{AppError, FieldErrors},
    mail,
    partners::onboarding,
    program::Tier,
    state::pool,
};

/// Longest rejection or reopening reason.
pub const REASON_MAX_CHARS: usize = 2000;

/// Reads the decision from the form; a rejection needs a reason.
pub fn parse_decision(
    action: &str,
    tier: Option<&str>,
    reason: Option<&str>,
) -> Result<Decision, AppError> {
    let reason = reason.map(str::trim).unwrap_or_default();
    let mut errors = FieldErrors::new();
    if reason.chars().count() > REASON_MAX_CHARS {
        errors.add(
            "reason",
            format!("Use at most {REASON_MAX_CHARS} characters."),
        );
    }
    let decision = match action {
        "start_review" => Decision::StartReview,
        "reopen" => Decision::Reopen,
        "reject" => {
            if reason.is_empty() {
                errors.add(
                    "reason",
                    "Give the applicant a reason; it goes into their e-mail.",
                );
            }
            Decision::Reject
        }
        "approve" => match tier
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or("bronze")
        {
            "bronze" => Decision::Approve(Tier::Bronze),
            "silver" => Decision::Approve(Tier::Silver),
            "gold" => Decision::Approve(Tier::Gold),
            "platinum" => Decision::Approve(Tier::Platinum),
            _ => {
                errors.add("tier", "Choose a tier.");
                Decision::Approve(Tier::Bronze)
            }
        },
        _ => return Err(AppError::BadRequest),
    };
    errors.keep("reason", reason).into_result()?;
    Ok(decision)
}

/// Applies `decision` to application `id` on behalf of `me`.
pub async fn decide(
    me: &Principal,
    id: Uuid,
    decision: Decision,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let mut tx = pool()?.begin().await?;
    let app = queries::lock(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = decision.target();
    let allowed = app.status.can_move_to(to)
        && match decision {
            Decision::StartReview => app.status == super::model::ApplicationStatus::Pending,
            Decision::Reopen => !app.status.is_open(),
            Decision::Approve(_) | Decision::Reject => app.status.is_open(),
        };
    if !allowed {
        return Err(AppError::Conflict(format!(
            "This application is {}; that action is not possible now.",
            app.status.label().to_lowercase()
        )));
    }

    let mut partner_id = None;
    let mut invitation_link = None;
    if let Decision::Approve(tier) = decision {
        let already = queries::partner_of(&mut tx, id).await?;
        if already.is_some() {
            return Err(AppError::Conflict(
                "This application already became a partner; manage it from the partner list."
                    .into(),
            ));
        }
        let onboarded = onboarding::onboard(
            &mut tx,
            me,
            &onboarding::Onboarding {
                name: &app.company_name,
                partnership_type: app.partnership_type,
                tier,
                owner_email: &app.contact_email,
                application: Some(id),
                reason: None,
            },
        )
        .await?;
        partner_id = Some(onboarded.partner_id);
        invitation_link = Some(onboarded.invitation_link);
    }

    let rejection_reason = (decision == Decision::Reject).then_some(reason).flatten();
    queries::set_status(&mut tx, id, to, rejection_reason, partner_id).await?;
    queries::record_change(&mut tx, id, Some(app.status), to, Some(me.user_id), reason).await?;
    let action = match decision {
        Decision::StartReview => Action::ApplicationReviewStarted,
        Decision::Approve(_) => Action::ApplicationApproved,
        Decision::Reject => Action::ApplicationRejected,
        Decision::Reopen => Action::ApplicationReopened,
    };
    let mut entry = AuditEntry::by(me, action).target("application", id).detail(
        serde_json::json!({ "from": app.status.slug(), "to": to.slug(), "reason": reason }),
    );
    entry.partner_id = partner_id;
    audit::record(&mut *tx, entry).await?;
    let mut email = emails::status_changed(
        &app.contact_email,
        &app.contact_name,
        &app.reference,
        to,
        reason,
        invitation_link.as_deref(),
    );
    email.partner_id = partner_id;
    mail::enqueue(&mut *tx, &email).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_read_from_the_form() {
        assert_eq!(
            parse_decision("approve", None, None).unwrap(),
            Decision::Approve(Tier::Bronze)
        );
        assert_eq!(
            parse_decision("approve", Some("gold"), None).unwrap(),
            Decision::Approve(Tier::Gold)
        );
        assert_eq!(
            parse_decision("start_review", None, None).unwrap(),
            Decision::StartReview
        );
        assert_eq!(
            parse_decision("reopen", None, Some("new info")).unwrap(),
            Decision::Reopen
        );
        assert_eq!(
            parse_decision("reject", None, Some("Not a fit")).unwrap(),
            Decision::Reject
        );
        let error = parse_decision("reject", None, Some("   ")).unwrap_err();
        assert!(error.fields().unwrap().message("reason").is_some());
        let error = parse_decision("approve", Some("diamond"), None).unwrap_err();
        assert!(error.fields().unwrap().message("tier").is_some());
        assert_eq!(
            parse_decision("delete", None, None).unwrap_err(),
            AppError::BadRequest
        );
        assert!(parse_decision("reject", None, Some(&"x".repeat(2001))).is_err());
    }
}
