//! The admin area: program overview and partner governance.

pub mod integrity;
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod queries;
