//! Signing in and out, the session, and the guard that every server function starts with.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod acting;
pub mod context;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod housekeeping;
pub mod input;
#[cfg(feature = "ssr")]
pub mod lifetime;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod rate_limit;
pub mod second_step;
#[cfg(feature = "ssr")]
pub mod sign_in_redirect;
#[cfg(feature = "ssr")]
pub mod two_factor;

#[cfg(feature = "ssr")]
pub use guard::require;

/// What a member of a frozen partner is told by every refused change.
pub const FROZEN_NOTICE: &str = "Your partner account is frozen by the program team: you can see everything, but nothing can be changed until it is reactivated. Contact the partner program team.";

/// What a member is told, on the client pages and by every refused change, when the program
/// team switched client management off for their partner.
pub const SWITCHED_OFF_NOTICE: &str = "The program team has turned client management off for your partner account: clients can be viewed but not added, changed or logged in as. Contact them if you need it.";
