//! Inviting a client's users: a single-use link by e-mail, through the outbox.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::{
    audit::{self, Action, AuditEntry},
    auth::model::Principal,
    error::AppError,
    invitations::model::INVITATION_DAYS,
    mail::{self, OutgoingEmail},
    program::token,
    state::settings,
};

/// Creates an invitation to `client_id` for `email` and queues its e-mail, in `tx`.
pub async fn invite_client_user(
    tx: &mut Transaction<'_, Postgres>,
    by: &Principal,
    partner_id: Uuid,
    client_id: Uuid,
    company: &str,
    email: &str,
    owner: bool,
) -> Result<(), AppError> {
    // A compromised account cannot turn the portal into a mail cannon.
    crate::auth::rate_limit::CLIENT_INVITES
        .hit(&crate::state::pool()?, &partner_id.to_string())
        .await?;
    let (invite_token, hash) = token::new_token();
    let invitation = crate::invitations::queries::create_for_client(
        tx, &hash, email, partner_id, client_id, owner, by.user_id,
    )
    .await?;
    let link = format!("{}/invite/{invite_token}", settings()?.site.public_url);
    // Client e-mails wear the reseller's published brand: its name and support contacts.
    let brand = crate::branding::queries::published(&mut **tx, partner_id).await?;
    let signature = match &brand {
        Some(brand) => {
            let contacts: Vec<&str> = [
                brand.support_email.as_deref(),
                brand.support_phone.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let contacts = if contacts.is_empty() {
                String::new()
            } else {
                format!("\nNeed help? {}\n", contacts.join(" · "))
            };
            format!("\n{}\n{contacts}", brand.company_name)
        }
        None => String::new(),
    };
    let subject = match &brand {
        Some(brand) => format!("Your {company} account at {} is ready", brand.company_name),
        None => format!("Your {company} account is ready"),
    };
    mail::enqueue(
        &mut **tx,
        &OutgoingEmail {
            to: email.to_string(),
            subject,
            body: format!(
                "Hello,\n\nAn account for {company} has been set up for you. Choose your password here:\n\n{link}\n\n\
                 The link works once and for {INVITATION_DAYS} days.\n{signature}"
            ),
            partner_id: Some(partner_id),
        },
    )
    .await?;
    let mut entry = AuditEntry::by(by, Action::ClientUserInvited)
        .target("invitation", invitation)
        .detail(serde_json::json!({ "client": client_id, "email": email, "owner": owner }));
    entry.partner_id = Some(partner_id);
    audit::record(&mut **tx, entry).await?;
    Ok(())
}
