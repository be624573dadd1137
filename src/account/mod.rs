//! `/account`: every signed-in person's own details and password. A password change ends
//! the person's other sessions (`users.sessions_ended_at`, checked where the principal is
//! read). Nothing here may be changed while a reseller acts as a client.

pub mod input;
pub mod pages;
#[cfg(feature = "ssr")]
mod queries;
pub mod server;
pub mod two_factor;
mod two_factor_section;
