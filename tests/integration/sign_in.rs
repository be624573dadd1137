//! Signing in and out over HTTP: sessions, same answer for every failure, rate limits,
//! cross-site refusals and the audit trail.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::{auth::server::SIGN_IN_FAILED, demo::DEMO_PASSWORD};

fn peer(last: u8) -> std::net::SocketAddr {
    format!("10.0.0.{last}:5000").parse().unwrap()
}

#[sqlx::test]
async fn sign_in_lands_each_kind_of_user_in_its_area(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    for (email, home) in [
        (ADMIN, "/admin"),
        (NW_SALES, "/partner"),
        (FABRIKAM_OWNER, "/app"),
    ] {
        let reply = app
            .call(
                None,
                "login",
                &[("input[email]", email), ("input[password]", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{email}: {}", reply.body);
        assert_eq!(reply.destination().as_deref(), Some(home), "{email}");
        let cookie = reply.set_cookie_header().unwrap();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    }
    assert_eq!(app.audit_count("auth.sign_in").await, 3);
}

#[sqlx::test]
async fn a_safe_next_path_is_followed_and_an_unsafe_one_is_not(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let login = |next: &'static str| {
        let app = &app;
        async move {
            app.call(
                None,
                "login",
                &[
                    ("input[email]", NW_OWNER),
                    ("input[password]", DEMO_PASSWORD),
                    ("input[next]", next),
                ],
            )
            .await
        }
    };
    let go = |to: &str| Some(to.to_string());
    assert_eq!(
        login("/partner/clients?page=2").await.destination(),
        go("/partner/clients?page=2")
    );
    assert_eq!(login("//evil.test/x").await.destination(), go("/partner"));
    assert_eq!(
        login("https://evil.test").await.destination(),
        go("/partner")
    );
}

#[sqlx::test]
async fn the_session_id_changes_at_sign_in_and_the_old_one_dies(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let first = app.sign_in(NW_VIEWER).await;
    // Signing in again from the same browser (as someone else) must not keep the old id.
    let reply = app
        .call(
            Some(&first),
            "login",
            &[
                ("input[email]", NW_OWNER),
                ("input[password]", DEMO_PASSWORD),
            ],
        )
        .await;
    let second = reply.session_cookie().expect("a new cookie");
    assert_ne!(first, second, "session id cycled");
    let me = app.call(Some(&first), "whoami", &[]).await;
    assert_eq!(
        me.body, "null",
        "the old session id no longer signs anyone in"
    );
    let me = app.call(Some(&second), "whoami", &[]).await;
    assert!(me.body.contains(NW_OWNER), "{}", me.body);
}

#[sqlx::test]
async fn sign_out_ends_the_session_and_is_audited(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let cookie = app.sign_in(NW_OWNER).await;
    let reply = app.call(Some(&cookie), "logout", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.destination().as_deref(), Some("/"));
    let expired = reply.set_cookie_header().expect("the cookie is expired");
    assert!(
        expired.contains("Max-Age=0") || expired.contains("max-age=0"),
        "{expired}"
    );
    assert_eq!(
        app.call(Some(&cookie), "partner/overview", &[])
            .await
            .status,
        401
    );
    assert_eq!(app.audit_count("auth.sign_out").await, 1);
    let sessions: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "the session row is gone from the store");
}

#[sqlx::test]
async fn wrong_password_and_unknown_account_get_the_same_answer(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let wrong = app
        .call(
            None,
            "login",
            &[
                ("input[email]", NW_OWNER),
                ("input[password]", "not-the-password"),
            ],
        )
        .await;
    let unknown = app
        .call(
            None,
            "login",
            &[
                ("input[email]", "nobody@northwind.demo.test"),
                ("input[password]", "not-the-password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, wrong.status);
    assert!(wrong.body.contains(SIGN_IN_FAILED), "{}", wrong.body);
    assert_eq!(
        wrong.body.replace(NW_OWNER, "E"),
        unknown.body.replace("nobody@northwind.demo.test", "E"),
        "same message, same shape"
    );
    assert!(
        wrong.session_cookie().is_none(),
        "no session for a failed sign-in"
    );
    assert_eq!(
        app.audit_count("auth.sign_in_failed").await,
        1,
        "known account's failure is audited"
    );
}

#[sqlx::test]
async fn empty_fields_are_named_and_the_email_is_kept(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let reply = app
        .call(
            None,
            "login",
            &[
                ("input[email]", "  Owner@Northwind.demo.test "),
                ("input[password]", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let fields = &error["Validation"];
    assert_eq!(fields["fields"][0]["field"], "password");
    assert_eq!(fields["kept"][0][1], "owner@northwind.demo.test");
}

#[sqlx::test]
async fn suspended_partners_members_cannot_sign_in(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    sqlx::query("update partners set status = 'suspended' where slug = 'contoso'")
        .execute(&app.pool)
        .await
        .unwrap();
    let reply = app
        .call(
            None,
            "login",
            &[
                ("input[email]", CONTOSO_OWNER),
                ("input[password]", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("suspended"), "{}", reply.body);
    assert!(reply.session_cookie().is_none());
}

#[sqlx::test]
async fn an_account_is_locked_after_five_failures_even_with_the_right_password(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    for i in 0..5 {
        // From different addresses: the per-account limit must hold on its own.
        let reply = app
            .call_from(
                None,
                "login",
                &[("input[email]", NW_MANAGER), ("input[password]", "guess")],
                peer(i),
                &[],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = app
        .call_from(
            None,
            "login",
            &[
                ("input[email]", NW_MANAGER),
                ("input[password]", DEMO_PASSWORD),
            ],
            peer(9),
            &[],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    // Other accounts are not affected.
    assert_eq!(
        app.call_from(
            None,
            "login",
            &[
                ("input[email]", NW_OWNER),
                ("input[password]", DEMO_PASSWORD)
            ],
            peer(9),
            &[]
        )
        .await
        .status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn an_address_is_limited_and_a_forged_forwarded_for_does_not_help(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let attacker = peer(66);
    for i in 0..20 {
        let email = format!("guess{i}@northwind.demo.test");
        let forged = format!("203.0.113.{i}");
        let reply = app
            .call_from(
                None,
                "login",
                &[("input[email]", &email), ("input[password]", "x")],
                attacker,
                &[("x-forwarded-for", &forged)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = app
        .call_from(
            None,
            "login",
            &[
                ("input[email]", NW_OWNER),
                ("input[password]", DEMO_PASSWORD),
            ],
            attacker,
            &[("x-forwarded-for", "198.51.100.7")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    // Someone else, from another address, signs in as usual.
    let reply = app
        .call_from(
            None,
            "login",
            &[
                ("input[email]", NW_OWNER),
                ("input[password]", DEMO_PASSWORD),
            ],
            peer(7),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[sqlx::test]
async fn cross_site_posts_are_refused_even_with_a_valid_session(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let cookie = app.sign_in(ADMIN).await;
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "http://evil.test"), ("host", "127.0.0.1:3000")],
    ] {
        let reply = app
            .call_from(
                Some(&cookie),
                "admin/partners",
                &[],
                default_peer(),
                &headers,
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(reply.body.contains("Cross-site"));
        let reply = app
            .call_from(
                None,
                "login",
                &[("input[email]", ADMIN), ("input[password]", DEMO_PASSWORD)],
                default_peer(),
                &headers,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "login CSRF refused too: {headers:?}"
        );
    }
    let same_site = [
        ("sec-fetch-site", "same-origin"),
        ("origin", "http://127.0.0.1:3000"),
        ("host", "127.0.0.1:3000"),
    ];
    let reply = app
        .call_from(
            Some(&cookie),
            "admin/partners",
            &[],
            default_peer(),
            &same_site,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[sqlx::test]
async fn a_form_post_without_javascript_redirects_back_with_the_error(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    use axum::{
        body::Body,
        http::{header, Request},
    };
    let app = TestApp::new(pool).await;
    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/login?next=%2Fadmin")
        .body(Body::from(form_encode(&[
            ("input[email]", ADMIN),
            ("input[password]", "nope"),
            ("input[next]", "/admin"),
        ])))
        .unwrap();
    let reply = app.send(request, default_peer()).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.location().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:3000/login?next=%2Fadmin&__path="),
        "{location}"
    );
    assert!(location.contains("__err="), "{location}");

    let request = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/login?next=%2Fadmin")
        .body(Body::from(form_encode(&[
            ("input[email]", ADMIN),
            ("input[password]", DEMO_PASSWORD),
            ("input[next]", "/admin"),
        ])))
        .unwrap();
    let reply = app.send(request, default_peer()).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.location(), Some("/admin"));
}
