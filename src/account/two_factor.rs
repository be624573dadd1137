//! Two-factor sign-in on `/account`: enrol with an app (a QR code drawn on the server, or the
//! secret typed by hand), confirm with a first code, receive ten recovery codes shown once,
//! or turn it off with one's password. Never while a reseller acts as a client.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Session key of the recovery codes waiting to be shown, once, on the account page (so that
/// they survive the redirect of a form posted without JavaScript).
#[cfg(feature = "ssr")]
const SESSION_NEW_CODES: &str = "recovery_codes_to_show";

/// An enrolment under way: what the app needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// An inline `<svg>` drawn by the server from the otpauth:// URL.
    pub qr_svg: String,
    /// The secret in base 32, in groups of four, for typing in by hand.
    pub secret: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorView {
    pub enabled: bool,
    /// Asked of this person (an admin, or a member whose owner requires it): it cannot be
    /// turned off, and nothing but this page works until it is on.
    pub required: bool,
    pub enrolling: Option<Enrolment>,
    pub recovery_codes_left: i64,
    /// The recovery codes just made: shown this once.
    pub new_codes: Vec<String>,
}

/// Why a person who must use two-factor sign-in cannot turn it off.
pub const TWO_FACTOR_STAYS_ON: &str =
    "Two-factor sign-in is required for your account, so it cannot be turned off.";

/// The caller's two-factor state (and, once, their new recovery codes).
#[server(endpoint = "account/two-factor")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_two_factor() -> Result<TwoFactorView, AppError> {
    use crate::{
        auth::{guard::session, two_factor},
        state::pool,
    };

    let me = super::server::require_self().await?;
    let pool = pool()?;
    let secret = two_factor::queries::secret(&pool, me.user_id).await?;
    let enrolling = match &secret {
        Some((secret, false)) => Some(Enrolment {
            qr_svg: two_factor::qr_svg(secret, &me.email),
            secret: two_factor::secret_text(secret),
        }),
        _ => None,
    };
    let new_codes = session()
        .await?
        .remove::<Vec<String>>(SESSION_NEW_CODES)
        .await?
        .unwrap_or_default();
    Ok(TwoFactorView {
        enabled: matches!(secret, Some((_, true))),
        required: me.two_factor.required,
        enrolling,
        recovery_codes_left: two_factor::queries::recovery_codes_left(&pool, me.user_id).await?,
        new_codes,
    })
}

/// Starts an enrolment with a new secret (a restarted one replaces the unconfirmed secret).
#[server(endpoint = "account/two-factor/start")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn start_two_factor() -> Result<(), AppError> {
    use crate::{auth::two_factor, state::pool};

    let me = super::server::require_self().await?;
    let started =
        two_factor::queries::start(&pool()?, me.user_id, &two_factor::new_secret()).await?;
    if !started {
        return Err(AppError::Conflict(
            "Two-factor sign-in is on already. Turn it off first to use another app.".into(),
        ));
    }
    crate::state::redirect_plain_form("/account#two-factor");
    Ok(())
}

/// Confirms the enrolment with a first code from the app: two-factor sign-in is on from the
/// next sign-in, and ten new recovery codes are shown once.
#[server(endpoint = "account/two-factor/confirm")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn confirm_two_factor(
    input: crate::auth::second_step::CodeInput,
) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{guard::session, rate_limit::TWO_FACTOR, two_factor},
        error::FieldErrors,
        state::pool,
    };

    let me = super::server::require_self().await?;
    let pool = pool()?;
    TWO_FACTOR.hit(&pool, &me.user_id.to_string()).await?;
    let Some((secret, false)) = two_factor::queries::secret(&pool, me.user_id).await? else {
        return Err(AppError::Conflict(
            "There is no set-up under way: start again with “Set up two-factor sign-in”.".into(),
        ));
    };
    let Some(step) = two_factor::matching_step(&secret, &input.code, two_factor::now()) else {
        return Err(FieldErrors::one(
            "code",
            "That code is not right. Enter the six-digit code your app shows now.",
        ));
    };
    let codes = two_factor::new_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| two_factor::recovery_hash(c)).collect();
    let mut tx = pool.begin().await?;
    if !two_factor::queries::accept_step(&mut *tx, me.user_id, step).await? {
        return Err(FieldErrors::one(
            "code",
            "That code was used already. Wait for the next one.",
        ));
    }
    two_factor::queries::replace_recovery_codes(&mut tx, me.user_id, &hashes).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::TwoFactorEnabled).target("user", me.user_id),
    )
    .await?;
    tx.commit().await?;
    TWO_FACTOR.reset(&pool, &me.user_id.to_string()).await?;
    session().await?.insert(SESSION_NEW_CODES, codes).await?;
    crate::state::redirect_plain_form("/account#two-factor");
    Ok(())
}

/// The form that turns two-factor sign-in off. `Debug` never shows the password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisableInput {
    pub password: String,
}

impl std::fmt::Debug for DisableInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DisableInput { <hidden> }")
    }
}

/// Turns two-factor sign-in off, given the current password.
#[server(endpoint = "account/two-factor/disable")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn disable_two_factor(input: DisableInput) -> Result<(), AppError> {
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{password::verify_password, rate_limit::PASSWORD_CHANGE, two_factor},
        error::FieldErrors,
        state::pool,
    };

    let me = super::server::require_self().await?;
    if me.two_factor.required {
        return Err(AppError::Refused(TWO_FACTOR_STAYS_ON.into()));
    }
    let pool = pool()?;
    let subject = me.user_id.to_string();
    PASSWORD_CHANGE.hit(&pool, &subject).await?;
    let stored = super::queries::password_hash(&pool, me.user_id).await?;
    if input.password.is_empty() || !verify_password(input.password, stored).await? {
        return Err(FieldErrors::one(
            "password",
            "That is not your current password.",
        ));
    }
    PASSWORD_CHANGE.reset(&pool, &subject).await?;
    let mut tx = pool.begin().await?;
    two_factor::queries::remove(&mut tx, me.user_id).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::TwoFactorDisabled).target("user", me.user_id),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form("/account#two-factor");
    Ok(())
}
