//! Support access as the client's owner sees it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One reseller access to a client account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportAccess {
    pub who: String,
    pub reason: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    /// What was done during the access (audit actions).
    pub changes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportAccessPage {
    pub reseller_name: String,
    pub access_enabled: bool,
    pub accesses: Vec<SupportAccess>,
}

/// Asking to log in as a client: which client, and why (kept on the record).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImpersonationRequest {
    pub client_id: Uuid,
    pub reason: String,
}
