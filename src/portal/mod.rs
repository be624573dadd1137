//! The client portal: what a client's users see of their own account.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod queries;
