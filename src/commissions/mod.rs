//! Commissions: the monthly close (statements, tier recomputation), payouts, and the
//! figures the dashboards show, all derived from subscription events and statements.

pub mod input;
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod api_view;
#[cfg(feature = "ssr")]
pub mod close;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod invoice;
#[cfg(feature = "ssr")]
pub mod queries;
