//! Logs: every line written while serving a request names that request's id, which the
//! response also carries, so that a user's report can be matched to the server's log.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;

#[sqlx::test]
async fn log_lines_of_a_server_function_carry_the_request_id(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let viewer = app.sign_in(NW_VIEWER).await;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A viewer may not read commissions: the guard logs the refusal.
    let reply = app.call(Some(&viewer), "partner/commissions", &[]).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let id = reply
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("the response names its request")
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let refusal = log
        .lines()
        .find(|line| line.contains("permission refused"))
        .unwrap_or_else(|| panic!("the refusal is logged:\n{log}"));
    assert!(refusal.contains(&id), "{refusal}");
    // The server function's own span is on the line too.
    assert!(refusal.contains("get_partner_commissions"), "{refusal}");

    // A second request gets another id.
    let again = app.call(Some(&viewer), "partner/commissions", &[]).await;
    assert_ne!(again.headers.get("x-request-id").unwrap(), id.as_str());
}

/// A page whose reader goes away mid-render (a closed tab, a load balancer's timeout) must
/// not leave its server functions failing with errors in the log: the work that was under
/// way stops quietly. (Under load this was 85 "AppState is not in the reactive context"
/// errors in ten seconds.)
#[sqlx::test]
async fn pages_abandoned_mid_render_stop_without_errors(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use axum::{
        body::Body,
        extract::ConnectInfo,
        http::{header, Request},
    };
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let owner = app.sign_in(NW_OWNER).await;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let pages = [
        (&admin, "/admin"),
        (&admin, "/admin/partners"),
        (&admin, "/admin/applications"),
        (&owner, "/partner"),
        (&owner, "/partner/clients"),
        (&owner, "/partner/commissions"),
    ];
    let request = |cookie: &str, path: &str| {
        let mut request = Request::get(path)
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(default_peer()));
        request
    };
    for (cookie, path) in pages {
        // The reader goes away after the first part of the page (the shell)...
        // (Bounded, as every request of the suite is: a page that never answers fails here,
        // named, instead of stalling the run.)
        let first = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            let response = app
                .router
                .clone()
                .oneshot(request(cookie, path))
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let mut body = response.into_body();
            let first = body.frame().await.expect("a first frame").unwrap();
            (first, body)
        })
        .await;
        let Ok((first, body)) = first else {
            panic!("{path} sent nothing in 60 s");
        };
        assert!(first.is_data(), "{path}");
        drop(body);
        // ...or at any moment before the answer starts.
        for wait_ms in 0..40 {
            let _ = tokio::time::timeout(
                std::time::Duration::from_millis(wait_ms),
                app.router.clone().oneshot(request(cookie, path)),
            )
            .await;
        }
    }
    // Let whatever was still under way run to its end.
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        !log.contains("ERROR"),
        "abandoned pages logged errors:\n{log}"
    );
}
