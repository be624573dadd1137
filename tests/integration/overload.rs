//! Overload and operations: requests past the limit in flight are shed with a 503, a
//! statement past its time limit is stopped and answered 503, `/metrics` counts requests by
//! route and is private, and a database restart is survived.

use std::{collections::HashMap, time::Duration};

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::demo::DEMO_PASSWORD;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Holds the sign-in limit's row of `email` from 127.0.0.1 locked, so that a sign-in for it
/// waits (in flight) until the returned transaction ends.
async fn hold_sign_in(app: &TestApp, email: &str) -> sqlx::Transaction<'static, sqlx::Postgres> {
    let mut holder = app.pool.begin().await.unwrap();
    sqlx::query(
        "insert into throttles (key, hits, window_start, window_secs) values ($1, 0, now(), 900)",
    )
    .bind(format!("sign-in:{email}|127.0.0.1"))
    .execute(&mut *holder)
    .await
    .unwrap();
    holder
}

async fn waiting_on_a_lock(app: &TestApp) -> bool {
    for _ in 0..300 {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if waiting > 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

fn sign_in_form(email: &str) -> [(&str, &str); 2] {
    [("input[email]", email), ("input[password]", DEMO_PASSWORD)]
}

#[sqlx::test]
async fn past_the_limit_in_flight_requests_are_shed_with_503_and_counted(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let app = TestApp::with_env(pool, &env(&[("PORTAL_MAX_IN_FLIGHT", "1")])).await;
    let holder = hold_sign_in(&app, NW_OWNER).await;
    let form = sign_in_form(NW_OWNER);
    let slow = app.call(None, "login", &form);
    let meanwhile = async {
        assert!(waiting_on_a_lock(&app).await, "the sign-in is in flight");
        let shed = app.get_page(None, "/healthz").await;
        holder.rollback().await.unwrap();
        shed
    };
    let (slow, shed) = tokio::join!(slow, meanwhile);
    assert_eq!(
        shed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        shed.body
    );
    assert_eq!(shed.headers["retry-after"], "1");
    assert!(shed.body.contains("busy"), "{}", shed.body);
    assert_eq!(
        slow.status,
        StatusCode::OK,
        "the request in flight finished: {}",
        slow.body
    );
    // Once it is done, the next request is served.
    assert_eq!(app.get_page(None, "/healthz").await.status, StatusCode::OK);
    let metrics = app.get_page(None, "/metrics").await;
    assert!(
        metrics.body.contains("portal_http_requests_shed_total 1"),
        "{}",
        metrics.body
    );
}

#[sqlx::test]
async fn a_statement_past_its_time_limit_is_stopped_and_answered_503(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let owner_pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&owner_pool).await.unwrap();
    // A short time limit for the requests' statements.
    let app = TestApp::with_env(
        owner_pool.clone(),
        &env(&[("PORTAL_STATEMENT_TIMEOUT_MS", "300")]),
    )
    .await;
    let holder = hold_sign_in(&app, NW_OWNER).await;
    let reply = app.call(None, "login", &sign_in_form(NW_OWNER)).await;
    holder.rollback().await.unwrap();
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert_eq!(reply.headers["retry-after"], "5");
    let still_running: i64 = sqlx::query_scalar(
        "select count(*) from pg_stat_activity
         where datname = current_database() and query like 'insert into throttles%' and state = 'active'",
    )
    .fetch_one(&owner_pool)
    .await
    .unwrap();
    assert_eq!(still_running, 0, "the statement was stopped in PostgreSQL");
    // The same pool serves the next request.
    assert_eq!(
        app.call(None, "login", &sign_in_form(NW_OWNER))
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn metrics_count_requests_by_route_and_are_private(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let page = app.get_page(Some(&owner), "/partner").await;
    assert_eq!(page.status, StatusCode::OK);
    let metrics = app.get_page(None, "/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = metrics.body;
    for expected in [
        r#"portal_http_requests_total{method="POST",route="/api/login",status="200"} 1"#,
        r#"portal_http_requests_total{method="GET",route="/partner",status="200"} 1"#,
        r#"portal_http_request_duration_seconds_bucket{"#,
        r#"portal_db_pool_connections{state="max"} 8"#,
        "portal_mail_outbox_depth ",
        "portal_password_hashes_running ",
        "portal_close_duration_seconds_count 0",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    // A close is timed.
    let admin = app.sign_in(ADMIN).await;
    let last = partner_portal::program::Month::containing(chrono::Utc::now())
        .previous()
        .to_string();
    let closed = app
        .call(
            Some(&admin),
            "admin/commissions/close",
            &[("input[month]", last.as_str()), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let text = app.get_page(None, "/metrics").await.body;
    assert!(
        text.contains("portal_close_duration_seconds_count 1"),
        "{text}"
    );

    // From another host it is not there at all...
    let mut request = Request::get("/metrics").body(Body::empty()).unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        "10.1.2.3:4000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    assert_eq!(
        app.send(request, "10.1.2.3:4000".parse().unwrap())
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // ...unless a token is set and given.
    let app = TestApp::with_env(
        app.pool.clone(),
        &env(&[("PORTAL_METRICS_TOKEN", "s3cret-scrape")]),
    )
    .await;
    let ask = |token: Option<&'static str>| {
        let mut request = Request::get("/metrics");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(Body::empty()).unwrap()
    };
    let far: std::net::SocketAddr = "10.1.2.3:4000".parse().unwrap();
    assert_eq!(app.send(ask(None), far).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.send(ask(Some("wrong")), far).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.send(ask(Some("s3cret-scrape")), far).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.send(ask(None), default_peer()).await.status,
        StatusCode::NOT_FOUND,
        "with a token set, loopback needs it too"
    );
}

#[sqlx::test]
async fn shutting_down_finishes_the_requests_in_flight(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(partner_portal::http::serve_on(
        app.router.clone(),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));

    // A sign-in that is in flight (held at its limit's row) when the shutdown begins.
    let holder = hold_sign_in(&app, NW_OWNER).await;
    let body = form_encode(&sign_in_form(NW_OWNER));
    let mut connection = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    connection.write_all(request.as_bytes()).await.unwrap();
    assert!(waiting_on_a_lock(&app).await, "the sign-in is in flight");
    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !server.is_finished(),
        "the server waits for the request in flight"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no new connections once shutting down"
    );
    holder.rollback().await.unwrap();

    let mut answer = String::new();
    connection.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops once the request is done")
        .unwrap()
        .unwrap();
}
