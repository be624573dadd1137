//! Security layers: cross-site writes are refused, and every response carries the headers
//! that keep the portal out of frames and its scripts to our own (DESIGN.md section 5.7).

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::prelude::*;

use crate::config::{RunEnv, Settings};

/// For responses that are not pages (JSON, files): nothing may be loaded or framed.
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Whether a state-changing request comes from this site. Browsers send `Sec-Fetch-Site`
/// (and `Origin` on POST); a request with neither is not from a browser and carries no
/// ambient cookies of a victim, so it is let through to the guards.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // "none" is a navigation the user started (typed URL, bookmark).
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let origin = origin.to_str().unwrap_or_default();
        let authority = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        return authority.is_some_and(|a| a.eq_ignore_ascii_case(host));
    }
    true
}

/// Refuses cross-site requests that could change state (anything but GET, HEAD, OPTIONS).
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !is_same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(request).await
}

/// The Content-Security-Policy of a page: scripts only from this site or carrying this
/// response's nonce (Leptos puts it on its hydration script).
pub fn page_csp(nonce: &str, env: RunEnv) -> String {
    // In development cargo-leptos's live reload talks over a websocket.
    let connect = if env == RunEnv::Dev {
        "'self' ws:"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src {connect}; \
         object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// Called while rendering a page: puts the page's CSP, with its nonce, on the response.
pub fn provide_page_csp() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let env = use_context::<crate::state::AppState>()
        .map(|s| s.settings.site.env)
        .unwrap_or(RunEnv::Prod);
    if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce, env)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Headers on every response. A page's own CSP (with its nonce) wins over the default.
pub async fn security_headers(
    State(settings): State<Arc<Settings>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    // Same-origin referrers are kept: forms without JavaScript return to their page by it.
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if settings.site.is_https() {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_origin_requests_pass_and_cross_site_ones_do_not() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_same_origin(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://portal.test:3000"),
            ("host", "portal.test:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "http://evil.test"),
            ("host", "portal.test:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "portal.test")
        ])));
        // Sec-Fetch-Site wins over a matching Origin.
        assert!(!is_same_origin(&headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://portal.test"),
            ("host", "portal.test")
        ])));
        // Not a browser: nothing to forge with.
        assert!(is_same_origin(&headers(&[])));
    }

    #[test]
    fn page_csp_allows_only_our_scripts() {
        let csp = page_csp("abc", RunEnv::Prod);
        assert!(csp.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        // WebAssembly needs 'wasm-unsafe-eval'; plain eval and inline scripts stay refused.
        let tokens: Vec<&str> = csp.split([' ', ';']).collect();
        assert!(!tokens.contains(&"'unsafe-eval'"), "{csp}");
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("'unsafe-inline'"), "{csp}");
        assert!(!csp.contains("ws:"));
        assert!(page_csp("abc", RunEnv::Dev).contains("ws:"));
    }
}
