//! What the benchmarks share: a scratch database and how results are printed.
// Each benchmark uses some of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use axum::{body::Body, extract::ConnectInfo, http::Request, Router};
use tower::ServiceExt;

use partner_portal::{
    db::{connect, MIGRATOR},
    demo::seed_demo,
};
use sqlx::PgPool;

/// A fresh, migrated and demo-seeded database `name` on BENCH_DATABASE_URL's server (default
/// the local one). Returns the server pool (to drop it afterwards) and the database's pool.
pub async fn scratch_database(name: &str) -> (PgPool, PgPool) {
    let (admin, pool) = empty_database(name).await;
    seed_demo(&pool).await.unwrap();
    (admin, pool)
}

/// A fresh, migrated database without the demo data.
pub async fn empty_database(name: &str) -> (PgPool, PgPool) {
    let server = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = connect(&server, 2, 600_000)
        .await
        .expect("bench database server");
    sqlx::query(&format!("drop database if exists {name} with (force)"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("create database {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let url = format!("{}/{name}", server.rsplit_once('/').unwrap().0);
    let pool = connect(&url, 10, 600_000).await.unwrap();
    MIGRATOR.run(&pool).await.unwrap();
    (admin, pool)
}

pub async fn drop_database(admin: &PgPool, pool: PgPool, name: &str) {
    pool.close().await;
    sqlx::query(&format!("drop database if exists {name} with (force)"))
        .execute(admin)
        .await
        .unwrap();
}

/// `median … ms   p95 … ms   (n=…)`.
pub fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:>7.2} ms   p95 {:>7.2} ms   (n={})",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 95 / 100]),
        samples.len()
    )
}

/// The whole application over `pool`, with default settings, as the server builds it
/// (call it inside the runtime: it starts the reference data listener).
pub fn app(pool: &PgPool) -> Router {
    let settings = partner_portal::config::Settings::from_sources(
        "bench",
        "",
        &std::collections::HashMap::new(),
    )
    .unwrap();
    // As the server does: the reference data cache listens for changes (so it caches).
    let references = std::sync::Arc::new(partner_portal::db::reference::ReferenceCache::default());
    tokio::spawn(references.clone().listen(pool.clone()));
    partner_portal::http::router(partner_portal::state::AppState {
        pool: pool.clone(),
        leptos_options: partner_portal::http::leptos_options(&settings),
        settings: std::sync::Arc::new(settings),
        metrics: Default::default(),
        references,
        snapshots: Default::default(),
    })
}

/// The address benchmark requests come from.
pub fn peer() -> std::net::SocketAddr {
    "127.0.0.1:9".parse().unwrap()
}

/// Signs `email` in with the demo password through `app`, answering the second step
/// (admins) with the demo authenticator's next code; returns the session cookie.
pub async fn sign_in(app: &Router, pool: &PgPool, email: &str) -> String {
    let (cookie, body) = post(
        app,
        None,
        "/api/login",
        format!(
            "input[email]={}&input[password]={}",
            email.replace('@', "%40"),
            partner_portal::demo::DEMO_PASSWORD
        ),
    )
    .await;
    if !body.contains("/login/two-factor") {
        return cookie.expect("sign-in sets a session cookie");
    }
    let code = partner_portal::demo::two_factor::next_code(pool, email)
        .await
        .unwrap()
        .expect("a demo account with the demo authenticator key");
    let (second, _) = post(
        app,
        cookie.as_deref(),
        "/api/login/two-factor",
        format!("input[code]={code}"),
    )
    .await;
    second.expect("the second step sets a session cookie")
}

/// Posts a form; answers with the session cookie it set, if any, and the body.
async fn post(
    app: &Router,
    cookie: Option<&str>,
    path: &str,
    form: String,
) -> (Option<String>, String) {
    let mut request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let mut request = request.body(Body::from(form)).unwrap();
    request.extensions_mut().insert(ConnectInfo(peer()));
    let response = app.clone().oneshot(request).await.unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_string);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (cookie, String::from_utf8_lossy(&body).into_owned())
}
