//! Which partner's rows a connection may see: its role (`portal_app` sees one partner's rows,
//! `portal_admin` every partner's) and the partner the policies read (`app.partner_id`),
//! set every time the request pool hands out a connection, from what is known about the
//! request at that moment:
//!
//! - work wrapped in [`scoped`] (downloads, which run outside the reactive context) uses its
//!   scope;
//! - inside a request, [`RequestScope`]: the guard narrows it to the partner as soon as it
//!   knows the caller is a partner member or client user; until then (reading the session's
//!   principal, signing in) and for admins and anonymous callers it is `All`;
//! - anything else (background work) is `All`: the system pool sets it at connect time.
//!
//! So once a request is known to be a partner's, PostgreSQL itself refuses it every other
//! partner's rows, whatever a query forgets to say.

use std::{
    future::Future,
    sync::{Arc, Mutex},
};

use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every partner's rows: admins, system work, and what runs before the caller is known.
    All,
    /// One partner's rows only.
    Partner(Uuid),
}

/// The scope of one request, provided fresh by the router; the guard narrows it.
#[derive(Clone, Default)]
pub struct RequestScope(Arc<Mutex<Option<Scope>>>);

impl RequestScope {
    pub fn narrow(&self, scope: Scope) {
        if let Ok(mut current) = self.0.lock() {
            *current = Some(scope);
        }
    }

    fn get(&self) -> Option<Scope> {
        self.0.lock().ok().and_then(|current| *current)
    }
}

tokio::task_local! {
    static TASK_SCOPE: Scope;
}

/// Runs `work` with `scope` for every connection it takes from the request pool.
pub async fn scoped<F: Future>(scope: Scope, work: F) -> F::Output {
    TASK_SCOPE.scope(scope, work).await
}

/// The scope of whatever is asking for a connection now.
pub fn current() -> Scope {
    if let Ok(scope) = TASK_SCOPE.try_with(|scope| *scope) {
        return scope;
    }
    leptos::prelude::use_context::<RequestScope>()
        .and_then(|scope| scope.get())
        .unwrap_or(Scope::All)
}

/// Sets `scope` on `connection` (for as long as it is checked out; the next checkout sets
/// its own).
pub async fn apply(connection: &mut PgConnection, scope: Scope) -> sqlx::Result<()> {
    tracing::trace!(?scope, "connection scope");
    let (name, partner, role) = match scope {
        Scope::All => ("all", String::new(), super::roles::ADMIN_ROLE),
        Scope::Partner(id) => ("partner", id.to_string(), super::roles::APP_ROLE),
    };
    sqlx::query(
        "select set_config('app.scope', $1, false), set_config('app.partner_id', $2, false),
                set_config('role', $3, false)",
    )
    .bind(name)
    .bind(partner)
    .bind(role)
    .execute(connection)
    .await?;
    Ok(())
}
