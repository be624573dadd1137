//! Benchmark: SQL statements per page view. Each main page is rendered once to warm what a
//! server keeps (the plan list), then once more while every statement sqlx sends is counted
//! (its `sqlx::query` events, statement logging being on by default): the session read,
//! the principal, the scope set on each connection handed out, and the page's own queries.
//!
//! Run: `cargo bench --features ssr --bench statements` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints one table; asserts only that each page rendered.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use axum::{body::Body, extract::ConnectInfo, http::Request, Router};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tracing_subscriber::{filter::Targets, layer::SubscriberExt, Layer};

mod support;

/// Counts the events of one target; with STATEMENTS_SHOW=1, prints each statement's summary.
struct Count(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for Count {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
        if std::env::var_os("STATEMENTS_SHOW").is_some() {
            event.record(&mut Show);
        }
    }
}

struct Show;

impl tracing::field::Visit for Show {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "db.statement" {
            println!(
                "    {}",
                value.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

async fn view(app: &Router, cookie: &str, path: &str) {
    let mut request = Request::get(path)
        .header("accept", "text/html")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(support::peer()));
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(
        status.is_success(),
        "{path}: {status} {}",
        String::from_utf8_lossy(&body)
    );
}

#[tokio::main]
async fn main() {
    let statements = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry().with(
        Count(statements.clone())
            .with_filter(Targets::new().with_target("sqlx::query", tracing::Level::TRACE)),
    );
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let (admin, pool) = support::scratch_database("portal_bench_statements").await;
    let app = support::app(&pool);
    let owner = support::sign_in(&app, &pool, "owner@northwind.demo.test").await;
    let admin_user = support::sign_in(&app, &pool, "admin@demo.test").await;
    let client_user = support::sign_in(&app, &pool, "owner@fabrikam.demo.test").await;
    let fabrikam: uuid::Uuid = sqlx::query_scalar("select id from clients where slug = 'fabrikam'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let client_page = format!("/partner/clients/{fabrikam}");
    let pages: Vec<(&str, &str, &str)> = vec![
        ("partner dashboard", &owner, "/partner"),
        ("client list", &owner, "/partner/clients"),
        ("client search", &owner, "/partner/clients?search=acme"),
        ("client detail", &owner, &client_page),
        ("partner commissions", &owner, "/partner/commissions"),
        ("client portal", &client_user, "/app"),
        ("admin overview", &admin_user, "/admin"),
        ("admin partners", &admin_user, "/admin/partners"),
        ("review queue", &admin_user, "/admin/applications"),
        ("admin payouts", &admin_user, "/admin/payouts"),
        ("admin commissions", &admin_user, "/admin/commissions"),
    ];
    // Let the reference data listener connect, so the warm view fills the cache.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    println!("{:<22} {:>10}", "page", "statements");
    for (label, cookie, path) in pages {
        view(&app, cookie, path).await;
        statements.store(0, Ordering::Relaxed);
        if std::env::var_os("STATEMENTS_SHOW").is_some() {
            println!("{label}:");
        }
        view(&app, cookie, path).await;
        println!("{label:<22} {:>10}", statements.load(Ordering::Relaxed));
    }
    support::drop_database(&admin, pool, "portal_bench_statements").await;
}
