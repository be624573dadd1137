//! Reseller client management: a partner's client accounts and their subscriptions.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod queries;
