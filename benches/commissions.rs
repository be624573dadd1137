//! Benchmark: the partner dashboard for a partner with 10,000 clients and two years of
//! subscription events, and the monthly close over 100,000 clients.
//!
//! Run: `cargo bench --features ssr --bench commissions` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints medians and 95th percentiles; asserts nothing about time.

use std::time::Instant;

use axum::{body::Body, extract::ConnectInfo, http::Request};
use chrono::Utc;
use http_body_util::BodyExt;
use partner_portal::{
    commissions::close::close_month, demo::seed_demo, partners::dashboard::dashboard,
    program::Month,
};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

mod support;
use support::summary;

const ROUNDS: usize = 20;

/// `count` clients of `partner` with up to two years of history each: created on a spread of
/// days, some upgraded after 90 days, some suspended for 20 days, some canceled after 200.
async fn load_clients(pool: &PgPool, partner: Uuid, from: i32, count: i32, history_days: i32) {
    let clients = "select n, md5($1::text || n)::uuid as id,
                          now() - make_interval(days => (n * 7919) % $4, hours => n % 24) as start,
                          (array['starter', 'professional', 'enterprise'])[1 + n % 3] as plan
                   from generate_series($2::int, $3::int) n";
    sqlx::query(&format!(
        "insert into clients (id, partner_id, slug, company_name, contact_name, contact_email, plan, status, created_at)
         select id, $1, 'b-' || n, 'Bench client ' || n, 'C', 'c' || n || '@bench.example', plan,
                case when n % 7 = 0 and start + interval '200 days' < now() then 'canceled' else 'active' end::subscription_status,
                start
         from ({clients}) c"
    ))
    .bind(partner)
    .bind(from)
    .bind(from + count - 1)
    .bind(history_days)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "insert into subscription_events (partner_id, client_id, occurred_at, kind, to_plan, list_price, to_status)
         select $1, c.id, e.at, e.kind, e.plan, p.monthly_price, e.status::subscription_status
         from ({clients}) c
         cross join lateral (values
             (c.start, 'created', case when n % 4 = 0 then 'starter' else c.plan end, 'active', true),
             (c.start + interval '40 days', 'status_changed', case when n % 4 = 0 then 'starter' else c.plan end, 'suspended', n % 5 = 0),
             (c.start + interval '60 days', 'status_changed', case when n % 4 = 0 then 'starter' else c.plan end, 'active', n % 5 = 0),
             (c.start + interval '90 days', 'plan_changed', c.plan, 'active', n % 4 = 0),
             (c.start + interval '200 days', 'status_changed', c.plan, 'canceled', n % 7 = 0)
         ) as e(at, kind, plan, status, keep)
         join plans p on p.code = e.plan
         where e.keep and e.at < now()
         order by c.id, e.at"
    ))
    .bind(partner)
    .bind(from)
    .bind(from + count - 1)
    .bind(history_days)
    .execute(pool)
    .await
    .unwrap();
}

async fn new_partner(pool: &PgPool, slug: &str) -> Uuid {
    sqlx::query_scalar("insert into partners (slug, name) values ($1, $1) returning id")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let name = "portal_bench_commissions";
    let (admin, pool) = support::empty_database(name).await;

    // A partner with 10,000 clients and 24 months of events, loaded before the demo data so
    // that the demo's monthly closes write its statements too.
    let started = Instant::now();
    let big = new_partner(&pool, "bench-10k").await;
    load_clients(&pool, big, 1, 10_000, 730).await;
    seed_demo(&pool).await.unwrap();
    let events: i64 =
        sqlx::query_scalar("select count(*) from subscription_events where partner_id = $1")
            .bind(big)
            .fetch_one(&pool)
            .await
            .unwrap();
    let statements: i64 =
        sqlx::query_scalar("select count(*) from commission_statements where partner_id = $1")
            .bind(big)
            .fetch_one(&pool)
            .await
            .unwrap();
    println!(
        "loaded 10,000 clients ({events} events, {statements} closed statements) and the demo in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Its owner, with the demo password (the hash is copied from a demo account).
    sqlx::query(
        "insert into users (email, display_name, password_hash)
         select 'owner@bench-10k.demo.test', 'Bench Owner', password_hash from users where email = 'owner@northwind.demo.test'",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into partner_members (partner_id, user_id, role)
         select $1, id, 'owner' from users where email = 'owner@bench-10k.demo.test'",
    )
    .bind(big)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("vacuum analyze").execute(&pool).await.unwrap();

    println!("\nPartner dashboard, 10,000 clients, 24 months of events:");
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let d = dashboard(
            &pool,
            big,
            true,
            &[partner_portal::audit::Audience::Team],
            Utc::now(),
        )
        .await
        .unwrap();
        samples.push(t.elapsed());
        assert!(d.money.is_some());
    }
    println!(
        "  {:<40} {}",
        "figures and charts (server function)",
        summary(samples)
    );

    let app = support::app(&pool);
    let peer = support::peer();
    let cookie = support::sign_in(&app, &pool, "owner@bench-10k.demo.test").await;
    let mut samples = Vec::new();
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let mut request = Request::get("/partner")
            .header("cookie", &cookie)
            .header("accept", "text/html")
            .body(Body::empty())
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        let t = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        samples.push(t.elapsed());
        assert!(String::from_utf8_lossy(&body).contains("data-testid=\"mrr\""));
        bytes = body.len();
    }
    println!(
        "  {:<40} {}",
        format!("GET /partner, whole page ({} KiB)", bytes / 1024),
        summary(samples)
    );

    // The monthly close over 100,000 clients: 9 more partners of 10,000, active in the month.
    let started = Instant::now();
    for p in 1..=9 {
        let partner = new_partner(&pool, &format!("bench-close-{p}")).await;
        load_clients(&pool, partner, p * 10_000 + 1, 10_000, 120).await;
    }
    sqlx::query("vacuum analyze").execute(&pool).await.unwrap();
    let clients: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&pool)
        .await
        .unwrap();
    println!(
        "\nloaded 90,000 more clients in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The admin overview (program MRR and the leaderboard from the events) at that size.
    let admin_cookie = support::sign_in(&app, &pool, "admin@demo.test").await;
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let mut request = Request::post("/api/admin/overview")
            .header("cookie", &admin_cookie)
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        let t = Instant::now();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        response.into_body().collect().await.unwrap();
        samples.push(t.elapsed());
    }
    println!(
        "  {:<40} {}",
        format!("admin overview, {clients} clients"),
        summary(samples)
    );

    let month = Month::containing(Utc::now()).previous();
    println!("Monthly close of {month}, {clients} clients (each run rolled back):");
    let mut samples = Vec::new();
    let mut lines = 0;
    for _ in 0..5 {
        let mut tx = pool.begin().await.unwrap();
        let t = Instant::now();
        close_month(&mut tx, month, None, Utc::now()).await.unwrap();
        samples.push(t.elapsed());
        lines = sqlx::query_scalar::<_, i64>("select count(*) from commission_lines l join commission_statements s on s.id = l.statement_id where s.month = $1")
            .bind(month.first_day())
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.rollback().await.unwrap();
    }
    println!(
        "  {:<40} {}",
        format!("close ({lines} statement lines)"),
        summary(samples)
    );

    support::drop_database(&admin, pool, name).await;
}
