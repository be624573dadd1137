//! Outbound webhooks: a partner's endpoints, the events recorded for them in the
//! transaction of each change (the outbox), and their signed delivery with retries, following
//! the Standard Webhooks specification.

pub mod model;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod endpoints;
#[cfg(feature = "ssr")]
pub mod log;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod target;
#[cfg(feature = "ssr")]
pub mod worker;
