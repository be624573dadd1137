//! Client pages in the partner area.

mod detail;
mod form;
mod list;

pub use detail::ClientDetailPage;
pub use list::{ClientListPage, NewClientPage};
