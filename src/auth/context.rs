//! What every page can reach about who is signed in, put in context once per page load by
//! the app. Shared UI reads these; it never loads the user itself.

use leptos::prelude::*;

use super::{model::Principal, server::Logout};
use crate::error::AppError;
use crate::page_data::PageData;

/// The signed-in user (or `None`), read once per page load: everything that changes who the
/// visitor is (sign-in, sign-out, joining, impersonation) ends with a full page load.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub PageData<Result<Option<Principal>, AppError>>);

/// The sign-out action of the header.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub logout: ServerAction<Logout>,
}
