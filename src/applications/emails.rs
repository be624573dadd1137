//! The messages sent around an application. Plain text, with links to the portal.

use super::model::{ApplicationStatus, NewApplication};
use crate::mail::OutgoingEmail;

/// To the applicant, on submission.
pub fn confirmation(app: &NewApplication, reference: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: app.contact_email.clone(),
        subject: format!("We received your partner application ({reference})"),
        body: format!(
            "Hello {name},\n\nThank you for applying to our partner program on behalf of {company}.\n\
             Your reference is {reference}. We review applications within a few working days and\n\
             will write to you at this address when its status changes.\n\nThe partner program team\n",
            name = app.contact_name,
            company = app.company_name,
        ),
        partner_id: None,
    }
}

/// To each admin, on submission.
pub fn admin_notification(
    admin: &str,
    app: &NewApplication,
    reference: &str,
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: admin.to_string(),
        subject: format!(
            "New partner application: {} ({reference})",
            app.company_name
        ),
        body: format!(
            "{company} applied to the partner program as a {kind} partner.\n\
             Contact: {name} <{email}>\n\nReview it: {link}\n",
            company = app.company_name,
            kind = app.partnership_type.label().to_lowercase(),
            name = app.contact_name,
            email = app.contact_email,
        ),
        partner_id: None,
    }
}

/// To the applicant, when an admin changes the status. `invitation_link` comes with an
/// approval; `reason` with a rejection or a reopening.
pub fn status_changed(
    to: &str,
    contact_name: &str,
    reference: &str,
    status: ApplicationStatus,
    reason: Option<&str>,
    invitation_link: Option<&str>,
) -> OutgoingEmail {
    let (subject, text) = match status {
        ApplicationStatus::Reviewing => (
            "Your partner application is being reviewed".to_string(),
            "Our team has started reviewing your application. We will write again once we have decided.".to_string(),
        ),
        ApplicationStatus::Approved => (
            "Welcome to the partner program".to_string(),
            format!(
                "Your application has been approved. Set your password and open your partner dashboard here:\n\n{}\n\n\
                 The link works once and for 7 days.",
                invitation_link.unwrap_or_default()
            ),
        ),
        ApplicationStatus::Rejected => (
            "Your partner application".to_string(),
            format!(
                "Thank you for your interest. We are not able to accept your application at this time.\n\nReason: {}",
                reason.unwrap_or("not given")
            ),
        ),
        ApplicationStatus::Pending => ("Your partner application".to_string(), "Your application is waiting for review.".to_string()),
    };
    OutgoingEmail {
        to: to.to_string(),
        subject: format!("{subject} ({reference})"),
        body: format!("Hello {contact_name},\n\n{text}\n\nThe partner program team\n"),
        partner_id: None,
    }
}
