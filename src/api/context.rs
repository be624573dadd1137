//! Runs an API handler's work the way a server function runs: with the app's state in a
//! reactive owner's context (so the shared code that reads `state::pool()`, the settings and
//! the reference data works unchanged) and every connection scoped to the caller's partner.

use std::future::Future;

use leptos::{
    prelude::{provide_context, Owner},
    reactive::computed::ScopedFuture,
};
use uuid::Uuid;

use crate::{
    db::scope::{scoped, Scope},
    state::AppState,
};

/// `work`, run for `partner_id` with `state` in context.
pub async fn within<F: Future>(state: &AppState, partner_id: Uuid, work: F) -> F::Output {
    let owner = Owner::new();
    owner.with(|| provide_context(state.clone()));
    let work = owner.with(|| ScopedFuture::new_untracked(work));
    scoped(Scope::Partner(partner_id), work).await
}
