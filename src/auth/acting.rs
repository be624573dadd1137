//! What the session remembers while a reseller acts as a client: the guard reads it to
//! know whom a request acts for; the impersonation feature writes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use uuid::Uuid;

use super::model::Acting;
use crate::error::AppError;

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
