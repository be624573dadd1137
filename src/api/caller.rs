//! Who is calling the API: the key or bearer token in the `Authorization` header, looked up
//! by its hash. Nothing else authenticates here: no cookie, and never a secret in the URL
//! (URLs end up in logs, browser histories and proxies).

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{problem::Problem, rate_limit};
use crate::{
    api_keys::{
        model::ApiScope,
        queries::{self, Credential},
        token::{self, Kind},
    },
    auth::model::{PartnerStatus, Perm, Principal},
    error::AppError,
    state::AppState,
};

/// A caller the API accepted.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub credential: Credential,
    pub addr: IpAddr,
}

impl ApiCaller {
    /// The caller's partner, if its credential holds `scope` and the partner may use the
    /// API (not suspended; a frozen partner reads only, which `write` checks).
    pub fn partner_for(&self, scope: ApiScope) -> Result<Uuid, Problem> {
        if !self.credential.scopes.contains(&scope) {
            return Err(Problem::missing_scope(scope.slug()));
        }
        if self.credential.partner_status == PartnerStatus::Suspended {
            return Err(crate::error::AppError::Refused(
                "Your partner account is suspended: the API is closed to it.".into(),
            )
            .into());
        }
        Ok(self.credential.partner_id)
    }

    /// [`partner_for`](Self::partner_for) for a change: also refused while the partner is
    /// frozen.
    pub fn partner_to_change(&self, scope: ApiScope) -> Result<Uuid, Problem> {
        let partner_id = self.partner_for(scope)?;
        if self.credential.partner_status == PartnerStatus::Frozen {
            return Err(crate::error::AppError::Refused(crate::auth::FROZEN_NOTICE.into()).into());
        }
        Ok(partner_id)
    }

    /// The member a change through this key acts as: its maker, still a member of the key's
    /// partner and allowed `perm` today (a key made by an owner since removed or demoted
    /// changes nothing).
    pub async fn acting_member(&self, state: &AppState, perm: Perm) -> Result<Principal, Problem> {
        let gone = || {
            Problem::from(AppError::Refused(
                "The member who made this key can no longer make changes: ask your owner for a new key."
                    .into(),
            ))
        };
        let maker = self.credential.created_by.ok_or_else(gone)?;
        let me = crate::auth::queries::load_principal(&state.pool, maker, None)
            .await
            .map_err(AppError::from)?
            .filter(|me| me.partner_id() == Some(self.credential.partner_id))
            .ok_or_else(gone)?;
        Ok(crate::auth::guard::permitted(me, perm)?)
    }
}

/// Names a URL may not carry, and the prefixes of the portal's secrets.
fn secret_in_query(query: Option<&str>) -> bool {
    let Some(query) = query else {
        return false;
    };
    query.split('&').any(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = name.to_ascii_lowercase();
        [
            "access_token",
            "api_key",
            "apikey",
            "key",
            "token",
            "client_secret",
        ]
        .contains(&name.as_str())
            || [Kind::Key, Kind::AccessToken]
                .iter()
                .any(|kind| value.contains(kind.prefix()) || name.contains(kind.prefix()))
    })
}

/// The secret of an `Authorization: Bearer <secret>` header (the scheme in any case).
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim())
}

/// The caller's address, as the rest of the portal reads it (trusted proxies honoured).
pub fn addr_of(parts: &Parts, state: &AppState) -> IpAddr {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(SocketAddr::from(([0, 0, 0, 0], 0)), |ConnectInfo(addr)| {
            *addr
        });
    crate::auth::guard::client_addr_of(peer, &parts.headers, &state.settings.site.trusted_proxies)
}

/// Authenticates the request's credential.
async fn authenticate(parts: &Parts, state: &AppState) -> Result<ApiCaller, Problem> {
    if secret_in_query(parts.uri.query()) {
        tracing::warn!(path = %parts.uri.path(), "API secret sent in a URL refused");
        return Err(Problem::unauthenticated(
            "Keys and tokens are accepted only in the Authorization header, never in the URL. \
             Revoke a key that was sent in a URL: it may now be in logs.",
            false,
        ));
    }
    let Some(secret) = bearer(parts) else {
        return Err(Problem::unauthenticated(
            "Send an API key or token as \"Authorization: Bearer <secret>\".",
            false,
        ));
    };
    let spent =
        || Problem::unauthenticated("The key or token is unknown, revoked or expired.", true);
    let kind = Kind::of(secret).ok_or_else(spent)?;
    let addr = addr_of(parts, state);
    let hash = token::hash(secret);
    let found = match kind {
        Kind::Key => queries::use_key(&state.pool, &hash, Some(addr)).await,
        Kind::AccessToken => queries::use_token(&state.pool, &hash).await,
    }
    .map_err(|error| Problem::from(crate::error::AppError::from(error)))?;
    let credential = found.ok_or_else(spent)?;
    Ok(ApiCaller { credential, addr })
}

/// The layer in front of every `/v1` operation: authenticates the caller, counts the
/// request against the key's budget, and says where the key stands on every answer.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let caller = match authenticate(&parts, &state).await {
        Ok(caller) => caller,
        Err(problem) => return problem.into_response(),
    };
    let budget = state.settings.api.requests_per_minute;
    let standing = rate_limit::take(caller.credential.key_id, budget);
    if !standing.allowed {
        let mut refused = Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            format!(
                "A key may make {} requests a minute. Try again in {} s.",
                budget, standing.reset
            ),
        )
        .with_retry_after(u32::try_from(standing.reset).unwrap_or(60))
        .into_response();
        standing.write(refused.headers_mut());
        return refused;
    }
    parts.extensions.insert(caller);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    standing.write(response.headers_mut());
    response
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    /// The caller [`guard`] authenticated.
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Problem> {
        parts.extensions.get::<ApiCaller>().cloned().ok_or_else(|| {
            tracing::error!(path = %parts.uri.path(), "API operation without its guard");
            Problem::from(crate::error::AppError::Internal)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_the_url_is_spotted_by_name_or_by_shape() {
        assert!(!secret_in_query(None));
        assert!(!secret_in_query(Some("status=active&after=abc")));
        assert!(secret_in_query(Some("access_token=x")));
        assert!(secret_in_query(Some("status=active&API_KEY=x")));
        assert!(secret_in_query(Some("q=ppk_abc")));
        assert!(secret_in_query(Some("ppt_abcdef")));
    }
}
