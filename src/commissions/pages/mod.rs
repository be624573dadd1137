//! Commission pages: the admin's monthly close and payouts, the partner's statements.

mod admin;
mod partner;
mod payouts;

pub use admin::AdminCommissionsPage;
pub use partner::{PartnerCommissionsPage, StatementPage};
pub use payouts::AdminPayoutsPage;
