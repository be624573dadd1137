//! Server functions of "Forgot password?". Both are public: holding the mailbox (then the
//! link) is the permission.

use leptos::prelude::*;

use super::input::{ForgotInput, ResetInput};
use crate::error::AppError;

/// Sends a reset link to the address if it has an account. The answer is the same either
/// way, and so is the work the caller can observe: no error says whether the address exists.
#[server(endpoint = "password/forgot")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn forgot_password(input: ForgotInput) -> Result<(), AppError> {
    use super::input::RESET_MINUTES;
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{
            guard::client_addr,
            rate_limit::{address_subject, PASSWORD_RESET_ACCOUNT, PASSWORD_RESET_ADDRESS},
        },
        mail::{self, OutgoingEmail},
        program::token,
        state::{pool, settings},
    };

    // Guard: a public endpoint, counted per network address before anything is looked up.
    let addr = client_addr().await;
    let pool = pool()?;
    let subject = address_subject(addr);
    PASSWORD_RESET_ADDRESS.hit(&pool, &subject).await?;
    let email = match input.validate() {
        Ok(email) => email,
        Err(errors) => {
            PASSWORD_RESET_ADDRESS.refund(&pool, &subject).await?;
            return Err(AppError::Validation(errors));
        }
    };
    // A few links per address an hour; past that, the answer stays the same and nothing
    // is sent, so that nobody can flood a mailbox.
    let account_allowed = match PASSWORD_RESET_ACCOUNT.hit(&pool, &email).await {
        Ok(()) => true,
        Err(AppError::TooManyRequests { .. }) => false,
        Err(other) => return Err(other),
    };
    let account = if account_allowed {
        super::queries::account_for(&pool, &email).await?
    } else {
        None
    };
    if let Some(user_id) = account {
        let (reset_token, hash) = token::new_token();
        let link = format!(
            "{}/reset-password/{reset_token}",
            settings()?.site.public_url
        );
        let mut tx = pool.begin().await?;
        let reset = super::queries::create(&mut tx, user_id, &hash, RESET_MINUTES).await?;
        mail::enqueue(
            &mut *tx,
            &OutgoingEmail {
                to: email.clone(),
                subject: "Choose a new password for the partner portal".into(),
                body: format!(
                    "Hello,\n\nSomeone (we hope you) asked to reset the password of your partner portal account.\n\
                     Choose a new one here:\n\n{link}\n\n\
                     The link works once, for {RESET_MINUTES} minutes. Every session of your account ends when you use it.\n\
                     If you did not ask, ignore this e-mail: your password stays as it is.\n"
                ),
                partner_id: None,
            },
        )
        .await?;
        let mut entry = AuditEntry::system(Action::PasswordResetRequested)
            .target("password_reset", reset)
            .from_addr(addr);
        entry.actor = Some(user_id);
        audit::record(&mut *tx, entry).await?;
        tx.commit().await?;
    }
    crate::state::redirect_plain_form("/forgot-password?sent=1");
    Ok(())
}

/// Sets a new password through a reset link, ends every session of the person, and sends
/// them to sign in (`/login?reset=done`).
#[server(endpoint = "password/reset")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn reset_password(input: ResetInput) -> Result<String, AppError> {
    use super::input::LINK_UNUSABLE;
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{
            guard::client_addr,
            password::hash_password,
            rate_limit::{address_subject, PASSWORD_RESET_ADDRESS},
        },
        error::FieldErrors,
        program::token,
        state::pool,
    };

    // Guard: holding an open link; attempts counted per network address.
    let addr = client_addr().await;
    let pool = pool()?;
    PASSWORD_RESET_ADDRESS
        .hit(&pool, &address_subject(addr))
        .await?;
    if !token::looks_valid(&input.token) {
        return Err(AppError::Validation(FieldErrors::form(LINK_UNUSABLE)));
    }
    let mut tx = pool.begin().await?;
    let Some(reset) = super::queries::lock_open(&mut tx, &token::hash(&input.token)).await? else {
        return Err(AppError::Validation(FieldErrors::form(LINK_UNUSABLE)));
    };
    input.validate(&reset.email).map_err(AppError::Validation)?;
    let hash = hash_password(input.password).await?;
    super::queries::complete(&mut tx, &reset, &hash).await?;
    let mut entry = AuditEntry::system(Action::PasswordReset)
        .target("user", reset.user_id)
        .from_addr(addr);
    entry.actor = Some(reset.user_id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    tracing::info!(user = %reset.user_id, "password reset");
    let destination = "/login?reset=done";
    crate::state::redirect_plain_form(destination);
    Ok(destination.into())
}
