//! "Log in as client" (DESIGN.md section 6): a reseller member acts as a client's user, for
//! at most 30 minutes, on the record, and never beyond what the reseller is allowed.

pub mod banner;
pub mod model;
pub mod server;

#[cfg(feature = "ssr")]
pub mod enter;
#[cfg(feature = "ssr")]
pub mod layer;
#[cfg(feature = "ssr")]
pub mod queries;

/// How long the start link stays valid.
pub const TOKEN_SECONDS: i64 = 60;
/// The longest an impersonation lasts.
pub const MAX_MINUTES: i64 = 30;
