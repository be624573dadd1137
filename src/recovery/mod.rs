//! "Forgot password?": a single-use link by e-mail, valid for 30 minutes, that sets a new
//! password and ends every session of the person. The request is answered alike whether or
//! not the address has an account, and both steps are rate-limited.

pub mod input;
pub mod pages;
#[cfg(feature = "ssr")]
mod queries;
pub mod server;
