//! Benchmark: the client list and search at 100,000 clients of one partner, and the memory
//! the CSV export needs to stream all of them.
//!
//! Run: `cargo bench --features ssr --bench clients` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints medians and 95th percentiles; asserts nothing about time.

use std::time::Instant;

use axum::{body::Body, extract::ConnectInfo, http::Request};
use http_body_util::BodyExt;
use partner_portal::{
    clients::{
        list::{ClientQuery, ClientSort},
        queries,
    },
    program::{Position, SubscriptionStatus},
};
use tower::ServiceExt;

mod support;
use support::summary;
use uuid::Uuid;

const CLIENTS: i64 = 100_000;
const ROUNDS: usize = 40;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let (admin, pool) = support::scratch_database("portal_bench_clients").await;
    let northwind: Uuid = sqlx::query_scalar("select id from partners where slug = 'northwind'")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("update partners set tier = 'platinum' where id = $1")
        .bind(northwind)
        .execute(&pool)
        .await
        .unwrap();

    let started = Instant::now();
    sqlx::query(
        "insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan, status, custom_price, region, created_at)
         select $1, 'bench-' || n, 'Company ' || n || case n % 9 when 0 then ' Acme' else '' end,
                'Contact ' || n, 'contact' || n || '@client' || (n % 700) || '.example',
                (array['starter', 'professional', 'enterprise'])[1 + n % 3],
                (array['active', 'active', 'active', 'suspended', 'canceled'])[1 + n % 5]::subscription_status,
                case when n % 4 = 0 then (50 + n % 900)::numeric(12, 2) end,
                (array['EMEA', 'North America', 'APAC'])[1 + n % 3],
                now() - make_interval(mins => n::int)
         from generate_series(1, $2) as n",
    )
    .bind(northwind)
    .bind(CLIENTS)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("vacuum analyze clients")
        .execute(&pool)
        .await
        .unwrap();
    println!(
        "loaded {CLIENTS} clients for Northwind in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The cursor of the 49,975th row by company: where page 2,000 starts.
    let deep_key: Vec<String> = sqlx::query_scalar(
        "select array[lower(company_name), id::text] from clients where partner_id = $1
         order by lower(company_name), id offset 49974 limit 1",
    )
    .bind(northwind)
    .fetch_one(&pool)
    .await
    .unwrap();
    let deep_cursor = partner_portal::db::keyset::encode(&deep_key);
    let views: Vec<(&str, ClientQuery)> = vec![
        ("first page, company A-Z", ClientQuery::default()),
        (
            "page 2,000 (after row 49,975)",
            ClientQuery {
                position: Position::After(deep_cursor),
                ..Default::default()
            },
        ),
        (
            "last page",
            ClientQuery {
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "newest first, page 1",
            ClientQuery {
                sort: ClientSort::Created,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "by price, high first, page 1",
            ClientQuery {
                sort: ClientSort::Price,
                descending: true,
                ..Default::default()
            },
        ),
        (
            "status = suspended, page 1",
            ClientQuery {
                status: Some(SubscriptionStatus::Suspended),
                ..Default::default()
            },
        ),
        (
            "plan = enterprise, last page",
            ClientQuery {
                plan: Some("enterprise".into()),
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "search \"acme\", page 1",
            ClientQuery {
                search: Some("acme".into()),
                ..Default::default()
            },
        ),
        (
            "search \"client42.\", page 1",
            ClientQuery {
                search: Some("client42.".into()),
                ..Default::default()
            },
        ),
        (
            "search \"contact 9999\", page 1",
            ClientQuery {
                search: Some("contact 9999".into()),
                ..Default::default()
            },
        ),
    ];
    println!("\nclient list (one call = the page plus its total), {ROUNDS} rounds each:");
    for (name, query) in views {
        queries::list(&pool, northwind, &query).await.unwrap();
        let mut samples = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let (rows, _, _) = queries::list(&pool, northwind, &query).await.unwrap();
            samples.push(t.elapsed());
            assert!(!rows.is_empty(), "{name} returns rows");
        }
        println!("  {name:<32} {}", summary(samples));
    }

    // The export through the real router: sign in, then read the whole streamed body.
    let app = support::app(&pool);
    let cookie = support::sign_in(&app, &pool, "owner@northwind.demo.test").await;

    println!("\nCSV export of all {} clients:", CLIENTS + 30);
    for round in 1..=3 {
        let before = rss_kib();
        let mut peak = before;
        let mut request = Request::get("/partner/clients/export.csv")
            .header("cookie", &cookie)
            .body(Body::empty())
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(
            "127.0.0.1:9".parse::<std::net::SocketAddr>().unwrap(),
        ));
        let t = Instant::now();
        let mut body = app.clone().oneshot(request).await.unwrap().into_body();
        let (mut bytes, mut rows) = (0usize, 0usize);
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                bytes += data.len();
                rows += data.iter().filter(|b| **b == b'\n').count();
                peak = peak.max(rss_kib());
            }
        }
        println!(
            "  round {round}: {rows} lines, {:.1} MB in {:.2} s; process RSS {:.1} MB before, peak {:.1} MB (+{:.1} MB)",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64(),
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
            (peak - before) as f64 / 1024.0
        );
    }

    support::drop_database(&admin, pool, "portal_bench_clients").await;
}
