//! Application pages: the public form and thank-you page, and the admin review screens.

mod apply;
mod detail;
mod queue;
mod stats;

pub use apply::{ApplyPage, ApplyThanksPage};
pub use detail::ApplicationDetailPage;
pub use queue::ApplicationQueuePage;
pub use stats::ApplicationStatsPage;
