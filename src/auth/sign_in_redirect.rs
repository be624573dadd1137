//! Anonymous visitors of the protected areas are sent to sign in (and back) before anything
//! is rendered: a plain 302 from axum, cheaper and more predictable than letting a page find
//! out half-way through rendering.

use axum::{
    extract::{Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use super::guard::principal_of;
use crate::state::AppState;

/// The areas that need a signed-in user.
const AREAS: [&str; 4] = ["/admin", "/partner", "/app", "/account"];

pub fn is_protected(path: &str) -> bool {
    AREAS.iter().any(|area| {
        path == *area
            || path
                .strip_prefix(area)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

pub async fn send_anonymous_to_sign_in(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let page = request.method() == Method::GET
        && is_protected(request.uri().path())
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if page && matches!(principal_of(&session, &state.pool).await, Ok(None)) {
        let here = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str())
            .unwrap_or("/");
        let target = format!(
            "/login?next={}",
            crate::components::format::url_encode(here)
        );
        return Redirect::to(&target).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::is_protected;

    #[test]
    fn only_the_areas_are_protected() {
        for path in [
            "/admin",
            "/admin/applications",
            "/partner",
            "/partner/clients/x",
            "/app",
            "/app/users",
            "/account",
        ] {
            assert!(is_protected(path), "{path}");
        }
        for path in [
            "/",
            "/login",
            "/apply",
            "/application",
            "/apps",
            "/accounts",
            "/partners",
            "/invite/x",
            "/pkg/app.js",
        ] {
            assert!(!is_protected(path), "{path}");
        }
    }
}
