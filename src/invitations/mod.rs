//! Invitations: a single-use link (only its SHA-256 is stored) that lets a person set a
//! password and join a partner with a role.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod queries;
