//! Deal registration (`/partner/deals`, `/admin/deals`): partners register the prospects
//! they work on, a conflict check tells them, as they type, whether another partner holds
//! the prospect (never which), and admins approve (90 days of exclusive protection) or deny.

pub mod decision;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod lifecycle;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod rules;
pub mod server;
