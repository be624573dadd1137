//! Partners: the program's tiers and a partner's own view of itself.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod onboarding;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod read_models;
