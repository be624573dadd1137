//! The audit log viewers: `/partner/audit` (a partner's owners and managers, their partner's
//! rows) and `/admin/audit` (admins, every row). Both filter by person, action, target and
//! days, page newest first by cursor, read each row in plain words with both identities of an
//! impersonation, and export the current view as CSV from the same query.

#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server;
