//! Server functions for signing in and out and for asking who is signed in.

use leptos::prelude::*;

use super::model::Principal;
use crate::error::AppError;

/// The message for every failed sign-in, whether the e-mail or the password was wrong.
pub const SIGN_IN_FAILED: &str = "Email or password is incorrect.";

/// Who is signed in, if anyone.
#[server(endpoint = "whoami")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn whoami() -> Result<Option<Principal>, AppError> {
    // Public by design: it only ever describes the caller.
    super::guard::current_principal().await
}

/// Signs in with e-mail and password. Answers with where to go: `next` (if it is on this
/// site) or the area of the account; a plain form post is redirected there.
#[server(endpoint = "login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn login(input: super::input::SignInInput) -> Result<String, AppError> {
    use super::{
        acting::start_fresh,
        guard::{client_addr, session},
        model::{safe_next_path, PartnerStatus, PrincipalKind},
        password::verify_password,
        queries,
        rate_limit::{SIGN_IN, SIGN_IN_ADDRESS},
    };
    use crate::{
        audit::{self, Action, AuditEntry},
        error::FieldErrors,
        state::pool,
    };

    // The guard of a public endpoint. The attempt is counted before anything is checked,
    // per account and address pair (a guesser is slowed, the owner elsewhere is not) and
    // per address; each count is one statement, so parallel guesses cannot slip past.
    let addr = client_addr().await;
    let address = crate::auth::rate_limit::address_subject(addr);
    let pair = format!("{}|{address}", input.normalized_email());
    let pool = pool()?;
    SIGN_IN.hit(&pool, &pair).await?;
    SIGN_IN_ADDRESS.hit(&pool, &address).await?;
    let email = match input.validate() {
        Ok(email) => email,
        Err(errors) => {
            // An empty field is not a guess.
            SIGN_IN.refund(&pool, &pair).await?;
            SIGN_IN_ADDRESS.refund(&pool, &address).await?;
            return Err(AppError::Validation(errors));
        }
    };
    let super::input::SignInInput { password, next, .. } = input;

    let account = queries::find_login_account(&pool, &email).await?;
    let stored_hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = verify_password(password, stored_hash).await?;
    let principal = match &account {
        Some(a) if password_ok && !a.disabled => queries::load_principal(&pool, a.id, None).await?,
        _ => None,
    };
    // On a partner's custom domain only its client users sign in; anyone else is answered
    // as if the password were wrong, so the domain reveals no staff account.
    let principal = principal.filter(|me| match super::guard::custom_domain() {
        Some(super::guard::CustomDomain(partner_id)) => matches!(
            me.kind,
            PrincipalKind::ClientUser { partner_id: theirs, .. } if theirs == partner_id
        ),
        None => true,
    });
    let Some(me) = principal else {
        if let Some(account) = &account {
            let mut entry = AuditEntry::system(Action::SignInFailed)
                .target("user", account.id)
                .from_addr(addr);
            entry.actor = Some(account.id);
            audit::record(&pool, entry).await?;
        }
        return Err(AppError::Validation(
            FieldErrors::form(SIGN_IN_FAILED).keep("email", email),
        ));
    };
    // The right password: the pair starts over, and the address gets its attempt back.
    SIGN_IN.reset(&pool, &pair).await?;
    SIGN_IN_ADDRESS.refund(&pool, &address).await?;
    if let PrincipalKind::Member {
        partner_status: PartnerStatus::Suspended,
        ..
    } = me.kind
    {
        return Err(AppError::Validation(
            FieldErrors::form(
                "Your partner account is suspended. Please contact the partner program team.",
            )
            .keep("email", email),
        ));
    }

    // Someone who must set up two-factor sign-in can use nothing else: they start there.
    let destination = if me.two_factor.missing() {
        "/account#two-factor"
    } else {
        next.as_deref()
            .and_then(safe_next_path)
            .unwrap_or(me.home())
    }
    .to_string();
    // With two-factor sign-in on, the password only opens the second step.
    if super::two_factor::queries::enabled(&pool, me.user_id).await? {
        super::second_step::begin(&pool, &session().await?, me.user_id, destination).await?;
        let second = "/login/two-factor";
        crate::state::redirect_plain_form(second);
        return Ok(second.to_string());
    }
    start_fresh(&pool, &session().await?, me.user_id).await?;
    audit::record(&pool, AuditEntry::by(&me, Action::SignIn).from_addr(addr)).await?;
    crate::state::redirect_plain_form(&destination);
    Ok(destination)
}

/// Signs out: the session is deleted from the store and its cookie expired. Answers with
/// where to go: a client user's reseller's sign-in page (in its brand), or the home page.
#[server(endpoint = "logout")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn logout() -> Result<String, AppError> {
    use super::{
        guard::{client_addr, current_principal, session},
        model::PrincipalKind,
    };
    use crate::{
        audit::{self, Action, AuditEntry},
        state::pool,
    };

    // Anyone may sign out; a caller with no session simply lands on the home page.
    let me = current_principal().await?;
    let session = session().await?;
    let mut destination = "/".to_string();
    if let Some(me) = me {
        let pool = pool()?;
        let addr = client_addr().await;
        audit::record(&pool, AuditEntry::by(&me, Action::SignOut).from_addr(addr)).await?;
        // A reseller acting as the client is not sent to the client's sign-in page.
        if let (PrincipalKind::ClientUser { partner_id, .. }, None) = (&me.kind, &me.acting) {
            let slug = super::queries::partner_slug(&pool, *partner_id).await?;
            destination = format!("/b/{slug}/login");
        }
        // An impersonation still open in this browser ends with its audit row.
        super::acting::end_session(&pool, &session, "the reseller signed out").await?;
    }
    session.flush().await?;
    crate::state::redirect_plain_form(&destination);
    Ok(destination)
}
