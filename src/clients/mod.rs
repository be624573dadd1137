//! Reseller client management: a partner's client accounts, their subscriptions and history,
//! the CSV export, and "log in as client".

pub mod input;
pub mod list;
pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod api_view;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod invite;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod risks;
