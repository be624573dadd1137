//! The guard every server function starts with: `let me = require(Perm::X).await?;`.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::extract::ConnectInfo;
use tower_sessions::Session;
use uuid::Uuid;

use super::{
    model::{Perm, Principal, Refusal},
    queries,
};
use crate::{error::AppError, state::pool};

/// Session key holding the signed-in user's id. Nothing else about the user is kept in the
/// session: role and partner are read from the database on every call.
pub const SESSION_USER_ID: &str = "user_id";

/// The request's session (tower-sessions, stored in PostgreSQL).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "no session layer on this request");
        AppError::Internal
    })
}

/// The caller's address: the TCP peer, or, when the peer is a trusted proxy (setting
/// `site.trusted_proxies`), the rightmost untrusted hop of `X-Forwarded-For`. Without a
/// trusted proxy the header is ignored: anyone can send it.
pub async fn client_addr() -> Option<IpAddr> {
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(addr)| addr)?;
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    let proxies = crate::state::settings()
        .map(|settings| settings.site.trusted_proxies.clone())
        .unwrap_or_default();
    Some(client_addr_of(peer, &headers, &proxies))
}

/// [`client_addr`] for plain axum handlers, which have the peer and headers at hand.
pub fn client_addr_of(
    peer: SocketAddr,
    headers: &axum::http::HeaderMap,
    proxies: &crate::program::proxies::TrustedProxies,
) -> IpAddr {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok());
    proxies.client_of(peer.ip(), forwarded)
}

/// Set on requests that came in on a partner's verified custom domain (the Host allowlist
/// puts it there): only that partner's client users may sign in there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CustomDomain(pub Uuid);

/// The custom domain this request came in on, if any.
pub fn custom_domain() -> Option<CustomDomain> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CustomDomain>().copied())
}

/// The principal of one request, read once and shared by every server function the page
/// calls while it renders (the router provides a fresh one per request). The page's
/// resources start together: the first to ask reads it, the others wait for that read.
#[derive(Clone, Default)]
pub struct RequestPrincipal(Arc<tokio::sync::OnceCell<Option<Principal>>>);

/// The signed-in principal, or `None` for an anonymous caller: read from the database once
/// per request (role and partner standing are always current), then shared. From then on
/// the request's connections see only its partner's rows (row-level security), when it
/// has one.
pub async fn current_principal() -> Result<Option<Principal>, AppError> {
    match leptos::prelude::use_context::<RequestPrincipal>() {
        Some(memo) => memo.0.get_or_try_init(read_principal).await.cloned(),
        None => read_principal().await,
    }
}

async fn read_principal() -> Result<Option<Principal>, AppError> {
    let scope = leptos::prelude::use_context::<crate::db::scope::RequestScope>();
    let principal = principal_of(&session().await?, &pool()?).await?;
    if let (Some(scope), Some(me)) = (scope, &principal) {
        scope.narrow(scope_of(me));
    }
    Ok(principal)
}

/// The rows `me`'s requests may see: a partner's members and client users their partner's,
/// admins every partner's.
pub fn scope_of(me: &Principal) -> crate::db::scope::Scope {
    use crate::db::scope::Scope;
    me.partner_id().map_or(Scope::All, Scope::Partner)
}

/// The principal a session stands for: the signed-in user, or, during an impersonation, the
/// client user acted as (with the real user recorded in `acting`). The impersonation layer
/// has already ended an impersonation that is no longer allowed.
pub async fn principal_of(
    session: &Session,
    pool: &sqlx::PgPool,
) -> Result<Option<Principal>, AppError> {
    let Some(user_id) = session.get::<Uuid>(SESSION_USER_ID).await? else {
        return Ok(None);
    };
    // A session signed in before its user's sessions were ended stands for nobody.
    let signed_in_at = super::acting::signed_in_at(session).await?;
    if let Some(acting) = super::acting::acting(session).await? {
        // The session is the reseller member's (the impersonation layer checked it).
        let mut client = queries::load_principal(pool, acting.acting_user_id, None).await?;
        if let Some(client) = client.as_mut() {
            client.acting = Some(acting.into_acting());
            return Ok(Some(client.clone()));
        }
    }
    Ok(queries::load_principal(pool, user_id, signed_in_at).await?)
}

/// Returns the caller if they hold `perm`: `Unauthorized` when nobody is signed in,
/// `Forbidden` when the caller lacks the permission or their partner is not active.
pub async fn require(perm: Perm) -> Result<Principal, AppError> {
    let me = current_principal().await?.ok_or(AppError::Unauthorized)?;
    permitted(me, perm)
}

/// [`require`] for plain axum handlers (downloads), which have the session at hand rather
/// than a server function's context.
pub async fn require_in(
    session: &Session,
    pool: &sqlx::PgPool,
    perm: Perm,
) -> Result<Principal, AppError> {
    let me = principal_of(session, pool)
        .await?
        .ok_or(AppError::Unauthorized)?;
    permitted(me, perm)
}

/// `me` if they hold `perm` now, with the refusal a caller is shown otherwise.
pub fn permitted(me: Principal, perm: Perm) -> Result<Principal, AppError> {
    match me.check(perm) {
        Ok(()) => Ok(me),
        Err(Refusal::NotPermitted | Refusal::PartnerInactive | Refusal::Impersonating) => {
            tracing::info!(user = %me.user_id, ?perm, "permission refused");
            Err(AppError::Forbidden)
        }
        Err(Refusal::Frozen) => {
            tracing::info!(user = %me.user_id, ?perm, "change refused: the partner is frozen");
            Err(AppError::Refused(super::FROZEN_NOTICE.into()))
        }
        Err(Refusal::TwoFactorMissing) => {
            tracing::info!(user = %me.user_id, ?perm, "refused until two-factor sign-in is set up");
            Err(AppError::TwoFactorRequired)
        }
        Err(Refusal::SwitchedOff) => {
            tracing::info!(user = %me.user_id, ?perm, "feature switched off for the partner");
            Err(AppError::Refused(super::SWITCHED_OFF_NOTICE.into()))
        }
    }
}
