//! Shared UI: the page frame, forms, tables and pagers, error and status pages, charts,
//! formatting. It depends on no feature but `auth` (who is signed in).

pub mod chart;
pub mod form;
pub mod format;
pub mod layout;
pub mod loaded;
pub mod status;
pub mod table;

pub use loaded::{loaded, loaded_part};
pub use status::{ErrorView, NotFoundPage};
