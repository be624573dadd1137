//! Licenses a partner issues to its clients through the API (seed 000: type, duration,
//! features, seats; issue and revoke), each with a license key signed with Ed25519 that a
//! product checks offline against the published public key.

pub mod model;
pub mod queries;
pub mod signing;
