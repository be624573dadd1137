//! The second step of signing in, for people with two-factor sign-in on: the password was
//! right, and the session holds only that (who, since when, where to go next) until a code
//! from their app, or one of their recovery codes, is given. Nobody is signed in before.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How long the second step may take after the password.
pub const SECOND_STEP_MINUTES: i64 = 5;

/// Session key of a sign-in waiting for its second factor.
#[cfg(feature = "ssr")]
pub const SESSION_SECOND_STEP: &str = "second_step";

/// A sign-in waiting for its second factor.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user_id: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub next: String,
}

/// The code form. `Debug` never shows the code.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeInput {
    pub code: String,
}

impl std::fmt::Debug for CodeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeInput { <hidden> }")
    }
}

/// What a wrong code is told.
pub const WRONG_CODE: &str = "That code is not right. Enter the current six-digit code from your authenticator app, or one of your recovery codes.";

/// Remembers that `user_id` gave the right password and must now give a code: the session
/// starts afresh (a new id, nothing else in it) and stands for nobody yet.
#[cfg(feature = "ssr")]
pub async fn begin(
    pool: &sqlx::PgPool,
    session: &tower_sessions::Session,
    user_id: uuid::Uuid,
    next: String,
) -> Result<(), AppError> {
    super::acting::end_session(pool, session, "the browser signed in again").await?;
    session.cycle_id().await?;
    let pending = PendingSignIn {
        user_id,
        at: chrono::Utc::now(),
        next,
    };
    session.insert(SESSION_SECOND_STEP, pending).await?;
    Ok(())
}

/// Checks the code of the sign-in waiting in this session and, if it is right, signs the
/// person in and answers where to go.
#[server(endpoint = "login/two-factor")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn verify_second_step(input: CodeInput) -> Result<String, AppError> {
    use super::{
        guard::{client_addr, session},
        rate_limit::TWO_FACTOR,
        two_factor::{self, queries},
    };
    use crate::{
        audit::{self, Action, AuditEntry},
        error::FieldErrors,
        state::pool,
    };

    // Guard: a sign-in of this session that gave the right password, minutes ago.
    let session = session().await?;
    let pending = session.get::<PendingSignIn>(SESSION_SECOND_STEP).await?;
    let fresh = |p: &PendingSignIn| {
        chrono::Utc::now() - p.at < chrono::Duration::minutes(SECOND_STEP_MINUTES)
    };
    let Some(pending) = pending.filter(fresh) else {
        return Err(AppError::Validation(FieldErrors::form(
            "Your sign-in has expired. Please sign in again with your password.",
        )));
    };
    let pool = pool()?;
    let subject = pending.user_id.to_string();
    TWO_FACTOR.hit(&pool, &subject).await?;
    let code = input.code.trim();
    let (accepted, how) = if two_factor::looks_like_recovery_code(code) {
        let hash = two_factor::recovery_hash(code);
        (
            queries::use_recovery_code(&pool, pending.user_id, &hash).await?,
            "recovery code",
        )
    } else {
        let step = match queries::secret(&pool, pending.user_id).await? {
            Some((secret, true)) => two_factor::matching_step(&secret, code, two_factor::now()),
            _ => None,
        };
        let accepted = match step {
            Some(step) => queries::accept_step(&pool, pending.user_id, step).await?,
            None => false,
        };
        (accepted, "authenticator app")
    };
    let addr = client_addr().await;
    if !accepted {
        let mut entry = AuditEntry::system(Action::SignInFailed)
            .target("user", pending.user_id)
            .from_addr(addr)
            .detail(serde_json::json!({ "second_factor": how }));
        entry.actor = Some(pending.user_id);
        audit::record(&pool, entry).await?;
        return Err(FieldErrors::one("code", WRONG_CODE));
    }
    TWO_FACTOR.reset(&pool, &subject).await?;
    let me = super::queries::load_principal(&pool, pending.user_id, None)
        .await?
        .ok_or_else(|| AppError::Validation(FieldErrors::form(super::server::SIGN_IN_FAILED)))?;
    super::acting::start_fresh(&pool, &session, me.user_id).await?;
    audit::record(
        &pool,
        AuditEntry::by(&me, Action::SignIn)
            .from_addr(addr)
            .detail(serde_json::json!({ "second_factor": how })),
    )
    .await?;
    crate::state::redirect_plain_form(&pending.next);
    Ok(pending.next)
}
