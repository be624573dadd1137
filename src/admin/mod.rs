//! The admin area: program overview and partner governance.

#[cfg(feature = "ssr")]
pub mod export;
pub mod integrity;
pub mod model;
pub mod pages;
pub mod partner_list;
pub mod server;

#[cfg(feature = "ssr")]
pub mod queries;
