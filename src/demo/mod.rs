//! Demo data: people a visitor can sign in as, partners and their clients.

mod applications;
mod brands;
pub mod history;
mod pipeline;
pub mod scale;
pub(crate) mod seed;
pub mod two_factor;

pub use seed::{seed_demo, DemoSeedError, DEMO_PASSWORD};
