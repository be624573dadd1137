//! The Host allowlist. The portal answers on its public URL's host (and, in development, on
//! loopback names) and on partners' verified custom domains; any other Host is refused, so
//! that nothing of the portal can be served under a name someone else pointed at it. On a
//! custom domain only the client portal is served, in the partner's brand: the admin and
//! partner areas, the application form and their server functions answer 404 there.

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    auth::guard::CustomDomain, branding::rules::host_name, config::RunEnv, error::AppError,
    state::AppState,
};

/// What a custom domain serves: the client portal and what its pages need.
pub fn custom_domain_serves(path: &str) -> bool {
    const PAGES: [&str; 3] = ["/", "/login", "/app"];
    const PREFIXES: [&str; 6] = [
        "/app/",
        "/invite/",
        "/pkg/",
        "/vendor/",
        "/brand-assets/",
        "/api/",
    ];
    const STAFF_API: [&str; 4] = [
        "/api/admin/",
        "/api/partner/",
        "/api/applications/",
        "/api/invitation/",
    ];
    let page = PAGES.contains(&path)
        || PREFIXES.iter().any(|prefix| path.starts_with(prefix))
        || matches!(path, "/favicon.svg" | "/charts.js" | "/healthz" | "/readyz");
    page && !STAFF_API.iter().any(|prefix| path.starts_with(prefix))
}

/// The portal's own host names: the public URL's, and loopback names in development.
fn own_host(state: &AppState, name: &str) -> bool {
    let public = state
        .settings
        .site
        .public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(host_name);
    public.as_deref() == Some(name)
        || (state.settings.site.env == RunEnv::Dev
            && matches!(name, "localhost" | "127.0.0.1" | "::1"))
}

pub async fn allow_known_hosts(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let name = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(host_name);
    // No Host at all is an HTTP/1.0 client or an in-process call: the portal's own.
    let Some(name) = name.filter(|name| !own_host(&state, name)) else {
        return next.run(request).await;
    };
    match crate::branding::queries::partner_by_host(&state.pool, &name).await {
        Ok(Some(partner_id)) => {
            if !custom_domain_serves(request.uri().path()) {
                return (StatusCode::NOT_FOUND, "Not found").into_response();
            }
            request.extensions_mut().insert(CustomDomain(partner_id));
            next.run(request).await
        }
        Ok(None) => {
            tracing::info!(host = %name, "request for a host the portal does not serve");
            (
                StatusCode::MISDIRECTED_REQUEST,
                "This portal does not serve this host name.",
            )
                .into_response()
        }
        Err(error) => AppError::from(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::custom_domain_serves;

    #[test]
    fn a_custom_domain_serves_the_client_portal_and_nothing_of_the_staff() {
        for path in [
            "/",
            "/login",
            "/app",
            "/app/users",
            "/invite/abc",
            "/api/login",
            "/api/app/account/contact",
            "/pkg/partner-portal.js",
        ] {
            assert!(custom_domain_serves(path), "{path}");
        }
        for path in [
            "/admin",
            "/admin/partners",
            "/partner",
            "/partner/clients",
            "/apply",
            "/b/northwind/login",
            "/api/admin/partners",
            "/api/partner/overview",
            "/api/applications/submit",
            "/impersonate/x",
            "/metrics",
            "/partner/clients/export.csv",
            "/partner/audit/export.csv",
            "/admin/audit/export.csv",
        ] {
            assert!(!custom_domain_serves(path), "{path}");
        }
    }
}
