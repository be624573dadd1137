//! Leads as admins and partners see them, and the rules' numbers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::program::PageLinks;

/// How long a partner has to answer an offer before the lead moves on.
pub const OFFER_HOURS: i64 = 48;
/// A partner qualifies only if one of its members signed in within this many days.
pub const ACTIVE_DAYS: i64 = 30;
/// Rows per CSV file, and its size.
pub const IMPORT_ROWS_MAX: usize = 10_000;
pub const IMPORT_BYTES_MAX: usize = 5 * 1024 * 1024;
/// Leads per page of the admins' list, offers per page of a partner's.
pub const LEADS_PAGE: i64 = 25;
/// Partners an admin may hand a lead to from its row: the first by the rules.
pub const CANDIDATES_SHOWN: i64 = 5;
/// Refused rows an import report lists (the count is always whole).
pub const REJECTED_SHOWN: usize = 200;

/// Where a lead stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadStatus {
    /// Waiting for the rules (a moment after it is made, or after a decline).
    New,
    Offered,
    Accepted,
    /// No partner qualified: admins hand it over.
    Unmatched,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 4] = [
        LeadStatus::New,
        LeadStatus::Offered,
        LeadStatus::Accepted,
        LeadStatus::Unmatched,
    ];

    pub const fn slug(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Offered => "offered",
            LeadStatus::Accepted => "accepted",
            LeadStatus::Unmatched => "unmatched",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            LeadStatus::New => "Being assigned",
            LeadStatus::Offered => "Offered",
            LeadStatus::Accepted => "Accepted",
            LeadStatus::Unmatched => "No partner qualified",
        }
    }

    pub fn from_slug(slug: &str) -> Option<LeadStatus> {
        LeadStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// A partner an admin may hand a lead to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: Uuid,
    pub name: String,
    /// Serves the lead's country itself (else a country of its region).
    pub in_country: bool,
}

/// One lead in the admins' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLead {
    pub id: Uuid,
    pub company_name: String,
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub industry: String,
    pub seats: i32,
    pub status: LeadStatus,
    /// The partner holding it (offered or accepted).
    pub partner: Option<(Uuid, String)>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Partners that declined it or let it lapse, with the reason given.
    pub passed: Vec<(String, String)>,
    /// For a lead not yet accepted: the first partners by the rules, to hand it to.
    pub candidates: Vec<Candidate>,
}

/// A CSV import: its rows, and either the refused rows (nothing kept) or how far the
/// assignment of its leads has gone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: Uuid,
    pub file_name: String,
    pub rows: i32,
    pub imported_at: DateTime<Utc>,
    pub rejected: Vec<RejectedRow>,
    /// How many refused rows there were (only the first [`REJECTED_SHOWN`] are listed).
    pub rejected_count: usize,
    /// Leads of the import the rules have placed (offered or found no partner for).
    pub placed: i64,
}

impl ImportReport {
    pub fn refused(&self) -> bool {
        self.rejected_count > 0
    }

    pub fn done(&self) -> bool {
        self.refused() || self.placed >= i64::from(self.rows)
    }
}

/// One refused row of a CSV file: its line, the column, what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// `/admin/leads`: a page of leads, newest first (optionally of one status), and the import
/// asked about, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminLeadsPage {
    pub leads: Vec<AdminLead>,
    pub links: PageLinks,
    pub status: Option<LeadStatus>,
}

/// An offer as the partner sees it; the lead's details while the offer is open or accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub lead_id: Uuid,
    pub company_name: String,
    pub country: String,
    pub industry: String,
    pub offered_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub reason: Option<String>,
    pub details: Option<OfferDetails>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferDetails {
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub seats: i32,
    pub notes: String,
    pub deal_id: Option<Uuid>,
}

/// `/partner/leads`: the partner's offers, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerLeadsPage {
    pub offers: Vec<Offer>,
    pub links: PageLinks,
    /// Whether the caller may accept and decline (owners, managers, sales).
    pub can_answer: bool,
    /// The plans an accepted lead may expect, by code.
    pub plans: Vec<(String, String)>,
}
