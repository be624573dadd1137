//! The partner program's own vocabulary, below every feature: tiers, months, money, contact
//! details as validated types, statuses, slugs and tokens. Features depend on this layer and
//! never on each other's models (`tests/module_graph.rs` checks it).

pub mod chart;
pub mod contact;
pub mod csv;
#[cfg(feature = "ssr")]
pub mod dns;
#[cfg(feature = "ssr")]
pub mod download;
pub mod money;
pub mod month;
pub mod paging;
#[cfg(feature = "ssr")]
pub mod proxies;
pub mod slug;
pub mod status;
pub mod tier;
#[cfg(feature = "ssr")]
pub mod token;
#[cfg(feature = "ssr")]
pub mod xlsx;

pub use chart::ChartSpec;
pub use contact::{Email, HttpsUrl, Phone};
pub use money::parse_price;
pub use month::Month;
pub use paging::{PageLinks, Position, Total};
pub use status::{PartnershipType, SubscriptionStatus};
pub use tier::Tier;
