//! What the session remembers while a reseller acts as a client: the guard reads it to
//! know whom a request acts for; the impersonation feature writes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

use super::{guard::SESSION_USER_ID, model::Acting, queries};
use crate::{
    audit::{self, Action, AuditEntry},
    error::AppError,
};

/// Session key of the moment the user signed in: the session's absolute lifetime counts
/// from it, and neither activity nor an impersonation moves it.
pub const SESSION_SIGNED_IN_AT: &str = "signed_in_at";

/// Session key of the impersonation state. The signed-in user (the real one) stays under
/// its own key, untouched.
pub const SESSION_IMPERSONATION: &str = "impersonation";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImpersonationState {
    pub id: Uuid,
    pub real_user_id: Uuid,
    pub real_name: String,
    pub acting_user_id: Uuid,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

impl ImpersonationState {
    pub fn into_acting(self) -> Acting {
        let seconds = (self.expires_at - Utc::now()).num_seconds().max(0);
        Acting {
            impersonation_id: self.id,
            real_user_id: self.real_user_id,
            real_name: self.real_name,
            partner_id: self.partner_id,
            client_id: self.client_id,
            minutes_left: (seconds + 59) / 60,
        }
    }
}

/// The impersonation this session is in, if any.
pub async fn acting(session: &Session) -> Result<Option<ImpersonationState>, AppError> {
    Ok(session
        .get::<ImpersonationState>(SESSION_IMPERSONATION)
        .await?)
}

/// When the session's user signed in.
pub async fn signed_in_at(session: &Session) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(session.get::<DateTime<Utc>>(SESSION_SIGNED_IN_AT).await?)
}

/// Starts a signed-in session for `user_id` from nothing (sign-in, accepting an invitation):
/// an impersonation left open in this browser is ended and audited, everything the session
/// held is dropped, and it gets a new id, so that an id planted before sign-in is worthless.
pub async fn start_fresh(pool: &PgPool, session: &Session, user_id: Uuid) -> Result<(), AppError> {
    end_session(pool, session, "the browser signed in again").await?;
    session.cycle_id().await?;
    session.insert(SESSION_USER_ID, user_id).await?;
    session.insert(SESSION_SIGNED_IN_AT, Utc::now()).await?;
    super::queries::record_sign_in(pool, user_id).await?;
    Ok(())
}

/// Ends whatever the session holds: an open impersonation is closed with its audit row
/// (`reason` says why), then the data is cleared. The caller decides whether the session
/// itself goes (sign-out flushes it) or starts again (sign-in).
pub async fn end_session(pool: &PgPool, session: &Session, reason: &str) -> Result<(), AppError> {
    if let Some(state) = acting(session).await? {
        finish(pool, session, &state, reason).await?;
    }
    session.clear().await;
    Ok(())
}

/// Ends `state`: the row is closed and audited (both identities), the session forgets it and
/// gets a new id, and the real user carries on as themselves.
pub async fn finish(
    pool: &PgPool,
    session: &Session,
    state: &ImpersonationState,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    queries::end_impersonation(&mut *tx, state.id, reason).await?;
    audit::record(&mut *tx, ended_entry(state.into(), reason)).await?;
    tx.commit().await?;
    session
        .remove::<ImpersonationState>(SESSION_IMPERSONATION)
        .await?;
    session.cycle_id().await?;
    Ok(())
}

/// Who took part in an impersonation, as its audit rows name them.
pub struct Participants {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub real_user_id: Uuid,
    pub acting_user_id: Uuid,
}

impl From<&ImpersonationState> for Participants {
    fn from(state: &ImpersonationState) -> Self {
        Self {
            id: state.id,
            partner_id: state.partner_id,
            client_id: state.client_id,
            real_user_id: state.real_user_id,
            acting_user_id: state.acting_user_id,
        }
    }
}

/// The audit row of an impersonation's end.
pub fn ended_entry(who: Participants, reason: &str) -> AuditEntry {
    let mut entry = AuditEntry::system(Action::ImpersonationEnded)
        .target("client", who.client_id)
        .detail(serde_json::json!({ "reason": reason }));
    entry.actor = Some(who.acting_user_id);
    entry.real_user = Some(who.real_user_id);
    entry.impersonation = Some(who.id);
    entry.partner_id = Some(who.partner_id);
    entry
}

/// Closes impersonations that ran out while nobody was looking (the browser was closed, or
/// its session expired), each with its audit row. Run now and then by the housekeeper.
pub async fn close_expired(pool: &PgPool) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let ended = queries::close_expired_impersonations(&mut tx).await?;
    let count = ended.len();
    for who in ended {
        audit::record(&mut *tx, ended_entry(who, "expired")).await?;
    }
    tx.commit().await?;
    Ok(count)
}
