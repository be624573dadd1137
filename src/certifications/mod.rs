//! Certifications: the Foundation, Advanced and Master tracks, members' completions recorded
//! by admins, the partner's level by one rule table, badges on the partner dashboard and in
//! the admins' partner list, and reminders before a certification expires.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod reminders;
pub mod server;
