//! Client portal pages.

mod account;
mod support;
mod users;

pub use account::ClientHomePage;
pub use support::SupportAccessPage;
pub use users::AccountUsersPage;
