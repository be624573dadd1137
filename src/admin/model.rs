//! What admins see of partners.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{auth::model::PartnerStatus, partners::model::Tier};

/// One row of the admin's partner list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub tier: Tier,
    pub tier_pinned: bool,
    pub status: PartnerStatus,
    pub active_clients: i64,
    pub open_clients: i64,
    pub members: i64,
}
