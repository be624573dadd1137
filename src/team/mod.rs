//! A partner's team (`/partner/team`): members and their roles, invitations by e-mail, the
//! change of a role, a removal (which ends the member's sessions) and the transfer of the
//! ownership. A partner always keeps an owner: a database trigger refuses any change that
//! would leave it none, whoever makes it.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod queries;
pub mod server;
