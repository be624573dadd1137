//! The HTTP side of the server: the axum router, its layers and the operator endpoints.

mod api_status;
pub mod assets;
mod health;
mod hosts;
mod observe;
mod router;
pub mod security;

pub use router::{leptos_options, router, serve, serve_on};
