//! Partner applications: the public form, the admin review queue and detail, decisions
//! (approval onboards the partner), statistics, and the e-mails around them.

pub mod model;
pub mod pages;
pub mod queue;
pub mod server;
pub mod stats;

#[cfg(feature = "ssr")]
pub mod charts;
#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod review;
