//! Pages through the real router: status codes, redirects, security headers, hydration.

use axum::http::{header, StatusCode};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;

#[sqlx::test]
async fn the_landing_page_renders_with_tiers_and_the_hydration_script(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let reply = app.get_page(None, "/").await;
    assert_eq!(reply.status, StatusCode::OK);
    for text in [
        "Bronze",
        "Silver",
        "Gold",
        "Platinum",
        "15%",
        "30%",
        "Unlimited",
        "href=\"/apply\"",
        "href=\"/login\"",
    ] {
        assert!(reply.body.contains(text), "landing page shows {text}");
    }
    assert!(
        reply.body.contains("/pkg/partner-portal.js"),
        "hydration script is referenced"
    );

    // The inline hydration script carries the nonce that the CSP allows, and nothing else is
    // allowed to run inline.
    let csp = reply
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(nonce.len() >= 16, "{csp}");
    assert!(
        reply.body.contains(&format!("nonce=\"{nonce}\"")),
        "the script has the header's nonce"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        !csp.contains("'unsafe-inline' 'wasm")
            && !csp.contains("script-src 'self' 'unsafe-inline'")
    );
    assert_eq!(
        reply.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(reply.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(
        reply.headers.get(header::REFERRER_POLICY).unwrap(),
        "strict-origin-when-cross-origin"
    );

    let again = app.get_page(None, "/").await;
    let other = again
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert_ne!(csp, other, "a fresh nonce per response");
}

#[sqlx::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_back(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    for (path, next) in [
        ("/admin", "%2Fadmin"),
        ("/partner", "%2Fpartner"),
        ("/app", "%2Fapp"),
    ] {
        let reply = app.get_page(None, path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            reply.location(),
            Some(format!("/login?next={next}").as_str()),
            "{path}"
        );
    }
}

#[sqlx::test]
async fn each_area_renders_for_its_people_and_refuses_others_with_403(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let owner = app.sign_in(NW_OWNER).await;
    let client = app.sign_in(FABRIKAM_OWNER).await;

    let page = app.get_page(Some(&admin), "/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Northwind") && page.body.contains("Contoso"));

    let page = app.get_page(Some(&owner), "/partner").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Northwind") && page.body.contains("Gold"));
    assert!(page.body.contains(">26<"), "26 active clients shown");

    let page = app.get_page(Some(&client), "/app").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Fabrikam") && page.body.contains("Professional"));

    for (cookie, path) in [
        (&owner, "/admin"),
        (&client, "/admin"),
        (&client, "/partner"),
        (&admin, "/app"),
        (&owner, "/app"),
    ] {
        let page = app.get_page(Some(cookie), path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains("You do not have access"), "{path}");
    }
}

#[sqlx::test]
async fn another_partners_client_page_is_not_found(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let fabrikam = app.client_id("fabrikam").await;
    let owner = app.sign_in(NW_VIEWER).await;
    let page = app
        .get_page(Some(&owner), &format!("/partner/clients/{fabrikam}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Fabrikam") && page.body.contains("$299.00"));

    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let page = app
        .get_page(Some(&contoso), &format!("/partner/clients/{fabrikam}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Fabrikam"));
    let page = app
        .get_page(Some(&contoso), "/partner/clients/not-a-uuid")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn unknown_pages_are_404_and_operators_have_health_checks(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let page = app.get_page(None, "/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));

    let health = app.get_page(None, "/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let ready = app.get_page(None, "/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready")
    );
}

#[sqlx::test]
async fn readiness_fails_when_the_database_is_gone(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool.clone()).await;
    // The database stops taking the portal's connections and drops the ones it had.
    let mut admin = pool.acquire().await.unwrap();
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&mut *admin)
        .await
        .unwrap();
    sqlx::query(&format!(
        "revoke connect on database \"{name}\" from public, portal_app"
    ))
    .execute(&mut *admin)
    .await
    .unwrap();
    sqlx::query(
        "select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()",
    )
    .execute(&mut *admin)
    .await
    .unwrap();
    let ready = app.get_page(None, "/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    sqlx::query(&format!("grant connect on database \"{name}\" to public"))
        .execute(&mut *admin)
        .await
        .unwrap();
    let health = app.get_page(None, "/healthz").await;
    assert_eq!(
        health.status,
        StatusCode::OK,
        "liveness does not depend on the database"
    );
}

/// Building a router lists its pages by running the app with resource loading switched off
/// process-wide; pages that another router renders meanwhile must still finish. (Parallel
/// tests build routers all the time: before the list was made once per process, one page
/// in a few hundred hung here for good.)
#[sqlx::test]
async fn pages_finish_while_other_routers_are_built(_: PgPoolOptions, connect: PgConnectOptions) {
    use std::sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    };

    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (state, stop) = (app.state.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut built = 0_u32;
            while !stop.load(Ordering::Relaxed) {
                drop(partner_portal::http::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    for round in 0..40 {
        let page = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            app.get_page(Some(&owner), "/partner/clients"),
        )
        .await
        .unwrap_or_else(|_| panic!("round {round}: /partner/clients got no answer in 20 s"));
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Fabrikam"), "round {round}");
    }
    stop.store(true, Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}
