//! Shared UI: the page frame, area gates, error and status pages, formatting.

pub mod chart;
pub mod form;
pub mod format;
pub mod layout;
pub mod loaded;
pub mod status;

pub use loaded::loaded;
pub use status::{ErrorView, NotFoundPage};
