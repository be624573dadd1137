//! Signing in and out over HTTP: sessions, same answer for every failure, rate limits,
//! cross-site refusals and the audit trail.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::{
    auth::{
        rate_limit::{SIGN_IN, SIGN_IN_ADDRESS},
        server::SIGN_IN_FAILED,
    },
    demo::DEMO_PASSWORD,
};

fn peer(last: u8) -> std::net::SocketAddr {
    format!("10.0.0.{last}:5000").parse().unwrap()
}

#[sqlx::test]
async fn sign_in_lands_each_kind_of_user_in_its_area(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    // Admins must use two-factor sign-in: the password opens the second step, and the code
    // lands them in their area.
    for (email, home) in [
        (ADMIN, "/admin"),
        (NW_SALES, "/partner"),
        (FABRIKAM_OWNER, "/app"),
    ] {
        let mut reply = app
            .call(
                None,
                "login",
                &[("input[email]", email), ("input[password]", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{email}: {}", reply.body);
        if email == ADMIN {
            assert_eq!(reply.destination().as_deref(), Some("/login/two-factor"));
            let code = partner_portal::demo::two_factor::next_code(&app.pool, email)
                .await
                .unwrap()
                .unwrap();
            let cookie = reply.session_cookie().unwrap();
            reply = app
                .call(Some(&cookie), "login/two-factor", &[("input[code]", &code)])
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
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

async fn try_password(
    app: &TestApp,
    email: &str,
    password: &str,
    from: std::net::SocketAddr,
    headers: &[(&str, &str)],
) -> Reply {
    app.call_from(
        None,
        "login",
        &[("input[email]", email), ("input[password]", password)],
        from,
        headers,
    )
    .await
}

#[sqlx::test]
async fn forty_parallel_wrong_passwords_get_at_most_the_limit_checked(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let attacker = peer(66);
    let guesses: Vec<String> = (0..40).map(|i| format!("guess-{i}")).collect();
    let replies = futures_util::future::join_all(
        guesses
            .iter()
            .map(|guess| try_password(&app, NW_MANAGER, guess, attacker, &[])),
    )
    .await;
    let checked = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(checked, SIGN_IN.max as usize, "only the limit was checked");
    assert_eq!(
        refused.len(),
        40 - checked,
        "every other attempt was refused"
    );
    assert_eq!(
        app.audit_count("auth.sign_in_failed").await,
        i64::from(SIGN_IN.max),
        "a refused attempt never reached the password check"
    );
    let wait: u32 = refused[0].headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    assert!(
        refused[0].body.contains("Too many sign-in attempts"),
        "{}",
        refused[0].body
    );

    // During the attack the right password is refused from the attacker's address too...
    let reply = try_password(&app, NW_MANAGER, DEMO_PASSWORD, attacker, &[]).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // ...but the owner, from their own address, signs in as usual.
    let reply = try_password(&app, NW_MANAGER, DEMO_PASSWORD, peer(7), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // And other accounts from the attacker's address are not locked by it.
    let reply = try_password(&app, NW_OWNER, DEMO_PASSWORD, attacker, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[sqlx::test]
async fn a_window_that_ends_over_its_limit_makes_the_next_one_longer(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let attacker = peer(66);
    for _ in 0..SIGN_IN.max + 1 {
        try_password(&app, NW_MANAGER, "guess", attacker, &[]).await;
    }
    let window = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i32>(
                "select window_secs from throttles where key like 'sign-in:%'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(window(&app).await, SIGN_IN.window_secs);
    // The window passes (moved back in time rather than waited for).
    sqlx::query("update throttles set window_start = window_start - interval '1 day'")
        .execute(&app.pool)
        .await
        .unwrap();
    let reply = try_password(&app, NW_MANAGER, "guess", attacker, &[]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new window"
    );
    assert_eq!(window(&app).await, SIGN_IN.window_secs * 2, "twice as long");
    // The right password clears the pair.
    for _ in 0..SIGN_IN.max - 1 {
        try_password(&app, NW_MANAGER, "guess", attacker, &[]).await;
    }
    sqlx::query("update throttles set hits = 0")
        .execute(&app.pool)
        .await
        .unwrap();
    let reply = try_password(&app, NW_MANAGER, DEMO_PASSWORD, attacker, &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let left: i64 = sqlx::query_scalar("select count(*) from throttles where key like 'sign-in:%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[sqlx::test]
async fn an_address_guessing_many_accounts_is_limited_and_forged_headers_do_not_help(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let attacker = peer(66);
    for i in 0..SIGN_IN_ADDRESS.max {
        let email = format!("guess{i}@northwind.demo.test");
        let forged = format!("203.0.113.{i}");
        let reply =
            try_password(&app, &email, "x", attacker, &[("x-forwarded-for", &forged)]).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let reply = try_password(
        &app,
        NW_OWNER,
        DEMO_PASSWORD,
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
    let reply = try_password(&app, NW_OWNER, DEMO_PASSWORD, peer(7), &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[sqlx::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_count(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let env = std::collections::HashMap::from([(
        "PORTAL_TRUSTED_PROXIES".to_string(),
        "10.9.0.0/16".to_string(),
    )]);
    let app = TestApp::with_env(pool, &env).await;
    let balancer: std::net::SocketAddr = "10.9.0.2:5000".parse().unwrap();
    // Behind the balancer, one client guesses; the client wrote a decoy hop itself.
    for _ in 0..SIGN_IN.max {
        let reply = try_password(
            &app,
            NW_MANAGER,
            "guess",
            balancer,
            &[("x-forwarded-for", "1.1.1.1, 198.51.100.66")],
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Changing its decoy does not give the guesser a new count...
    let reply = try_password(
        &app,
        NW_MANAGER,
        DEMO_PASSWORD,
        balancer,
        &[("x-forwarded-for", "2.2.2.2, 198.51.100.66")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // ...while the owner, through the same balancer from elsewhere, is let in.
    let reply = try_password(
        &app,
        NW_MANAGER,
        DEMO_PASSWORD,
        balancer,
        &[("x-forwarded-for", "198.51.100.7")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let keys: Vec<String> = sqlx::query_scalar("select key from throttles order by key")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        keys.iter().any(|k| k.ends_with("|198.51.100.66")),
        "counted under the client's address, not the balancer's: {keys:?}"
    );
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
    assert_eq!(
        reply.location(),
        Some("/login/two-factor"),
        "the admin's second step, which then goes on to /admin"
    );
}

#[sqlx::test]
async fn over_https_the_session_cookie_is_a_host_only_secure_cookie(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let env = std::collections::HashMap::from([(
        "PORTAL_PUBLIC_URL".to_string(),
        "https://portal.example".to_string(),
    )]);
    let app = TestApp::with_env(pool, &env).await;
    let reply = try_password(&app, NW_OWNER, DEMO_PASSWORD, peer(7), &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let cookie = reply
        .headers
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-portal_session="))
        .expect("a __Host- cookie")
        .to_string();
    for part in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "host-only: {cookie}");
    // The session it names is honoured.
    let session = cookie.split(';').next().unwrap();
    let me = app.call(Some(session), "whoami", &[]).await;
    assert!(me.body.contains(NW_OWNER), "{}", me.body);
}

#[sqlx::test]
async fn the_housekeeper_forgets_limits_whose_window_ended_long_ago(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    sqlx::query(
        "insert into throttles (key, hits, window_start, window_secs) values
         ('sign-in:old', 9, now() - interval '3 days', 86400),
         ('sign-in:recent', 9, now() - interval '1 hour', 900)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (_, pruned) = partner_portal::auth::housekeeping::run_once(&pool)
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    let left: Vec<String> = sqlx::query_scalar("select key from throttles")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, ["sign-in:recent"]);
}
