//! API keys (`/partner/api-keys`): the owner makes keys with scopes and an expiry, sees each
//! secret once, and revokes them; the API accepts a key, or a bearer token traded for one
//! at `/oauth/token`, in the `Authorization` header.

pub mod model;
#[cfg(feature = "ssr")]
pub mod notices;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod server;
#[cfg(feature = "ssr")]
pub mod token;
