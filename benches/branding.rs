//! Benchmark: the time to serve the client portal (`/app`) and the branded sign-in page with
//! a published brand against the same pages without one.
//!
//! Run: `cargo bench --features ssr --bench branding` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints medians and 95th percentiles; asserts nothing about time.

use std::time::Instant;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request},
    Router,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod support;
use support::summary;

const ROUNDS: usize = 200;

async fn time_page(app: &Router, cookie: Option<&str>, path: &str, expect: &str) -> String {
    let mut samples = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS + 10 {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let mut request = request.body(Body::empty()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(support::peer()));
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let elapsed = started.elapsed();
        assert!(
            String::from_utf8_lossy(&body).contains(expect),
            "{path} did not render {expect:?}"
        );
        // The first rounds warm the pool and caches.
        if round >= 10 {
            samples.push(elapsed);
        }
    }
    summary(samples)
}

#[tokio::main]
async fn main() {
    let (admin, pool) = support::scratch_database("portal_bench_branding").await;
    let app = support::app(&pool);

    // Fabrikam's reseller (Northwind, Gold) has a published brand; Olympia Tools' (Contoso,
    // Bronze) has none. Lakeshore's (Litware, Platinum) adds custom CSS.
    let branded = support::sign_in(&app, &pool, "owner@fabrikam.demo.test").await;
    let plain = support::sign_in(&app, &pool, "owner@olympia-tools.demo.test").await;
    let with_css = support::sign_in(&app, &pool, "owner@lakeshore-retail.demo.test").await;

    println!("{ROUNDS} requests each, through the router (sessions, server functions, SSR):");
    let rows = [
        (
            "/app, unbranded (Contoso, Bronze)",
            Some(plain.as_str()),
            "/app",
            "Partner Portal",
        ),
        (
            "/app, branded (Northwind, Gold)",
            Some(branded.as_str()),
            "/app",
            "data-brand-style",
        ),
        (
            "/app, branded + custom CSS (Litware)",
            Some(with_css.as_str()),
            "/app",
            "[data-brand-root] .site-header",
        ),
        ("/login, unbranded", None, "/login", "Sign in"),
        (
            "/b/northwind/login, branded",
            None,
            "/b/northwind/login",
            "data-brand-style",
        ),
    ];
    for (label, cookie, path, expect) in rows {
        println!(
            "  {label:<40} {}",
            time_page(&app, cookie, path, expect).await
        );
    }
    support::drop_database(&admin, pool, "portal_bench_branding").await;
}
