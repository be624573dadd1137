//! Two app servers over one database, as behind a load balancer: each has its own pool and
//! router, and they share sessions, limits and the monthly close.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::{auth::rate_limit::SIGN_IN, demo::DEMO_PASSWORD, program::Month};

async fn two_servers(connect: PgConnectOptions) -> (TestApp, TestApp) {
    let a = TestApp::new(test_pool(connect.clone()).await).await;
    let b = TestApp::unseeded(test_pool(connect).await).await;
    (a, b)
}

#[sqlx::test]
async fn a_session_made_on_one_server_is_honoured_by_the_other(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let (a, b) = two_servers(connect).await;
    let cookie = a.sign_in(NW_OWNER).await;
    let me = b.call(Some(&cookie), "whoami", &[]).await;
    assert!(me.body.contains(NW_OWNER), "{}", me.body);
    let page = b.get_page(Some(&cookie), "/partner").await;
    assert_eq!(page.status, StatusCode::OK);
    // Signing out on B ends it on A too.
    b.call(Some(&cookie), "logout", &[]).await;
    assert_eq!(a.call(Some(&cookie), "whoami", &[]).await.body, "null");
}

#[sqlx::test]
async fn limits_are_shared_between_servers(_: PgPoolOptions, connect: PgConnectOptions) {
    let (a, b) = two_servers(connect).await;
    let wrong = [("input[email]", NW_MANAGER), ("input[password]", "guess")];
    for i in 0..SIGN_IN.max {
        let server = if i % 2 == 0 { &a } else { &b };
        let reply = server.call(None, "login", &wrong).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let right = [
        ("input[email]", NW_MANAGER),
        ("input[password]", DEMO_PASSWORD),
    ];
    for server in [&a, &b] {
        assert_eq!(
            server.call(None, "login", &right).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[sqlx::test]
async fn the_close_runs_once_when_both_servers_are_asked_at_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let (a, b) = two_servers(connect).await;
    let admin = a.sign_in(ADMIN).await;
    let last = Month::containing(chrono::Utc::now()).previous().to_string();
    let form = [("input[month]", last.as_str()), ("input[confirm]", "yes")];
    let closes_before: i64 = sqlx::query_scalar("select count(*) from commission_closes")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    let audits_before = a.audit_count("commissions.month_closed").await;
    let (on_a, on_b) = tokio::join!(
        a.call(Some(&admin), "admin/commissions/close", &form),
        b.call(Some(&admin), "admin/commissions/close", &form)
    );
    assert_eq!((on_a.status, on_b.status), (StatusCode::OK, StatusCode::OK));
    let mut outcomes = [on_a.body, on_b.body];
    outcomes.sort();
    assert!(
        outcomes[0].starts_with(r#"{"AlreadyClosed""#) && outcomes[1].starts_with(r#"{"Closed""#),
        "one closes, the other is told it is closed: {outcomes:?}"
    );
    let closes: i64 = sqlx::query_scalar("select count(*) from commission_closes")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    assert_eq!(closes, closes_before + 1);
    let closed_audits = a.audit_count("commissions.month_closed").await;
    assert_eq!(closed_audits, audits_before + 1, "audited once");
}
