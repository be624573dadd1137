//! Admin partner management (`/admin/partners/:id`): one partner's profile, members, clients
//! against the cap, MRR, statements and payouts, and the admins' changes, each with a reason
//! and shown in a timeline: pin or unpin the tier, freeze, suspend or reactivate, and the
//! switches for client management, white-label and custom CSS.

pub mod model;
pub mod new_partner;
pub mod pages;
pub mod profile;
pub mod proposal;
pub mod proposal_pages;
#[cfg(feature = "ssr")]
mod queries;
pub mod server;
