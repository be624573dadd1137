//! The leads pages: the admins' (`/admin/leads`) and a partner's (`/partner/leads`).

mod admin;
mod import_card;
mod partner;

pub use admin::AdminLeadsPage;
pub use partner::PartnerLeadsPage;
