//! White-label branding: the editor (`/partner/branding`), its versions, uploads and custom
//! domain, and the published brand the client portal, its sign-in page, invitations and
//! client e-mails are dressed in.

pub mod input;
pub mod model;
pub mod pages;
pub mod rules;
pub mod server;

#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
pub mod changes;
#[cfg(feature = "ssr")]
pub mod css;
#[cfg(feature = "ssr")]
pub mod domain;
#[cfg(feature = "ssr")]
pub mod queries;
