//! Benchmark: the review queue at 100,000 applications (first, deep, filtered and searched
//! pages) and the throughput of the public submission through the real router.
//!
//! Run: `cargo bench --features ssr --bench applications` with PostgreSQL on
//! 127.0.0.1:5432 (or BENCH_DATABASE_URL pointing at a server where it may create the
//! `portal_bench` database). Prints medians and 95th percentiles; asserts nothing about time.

use std::{net::SocketAddr, time::Instant};

use axum::{body::Body, extract::ConnectInfo, http::Request};
use partner_portal::applications::{
    model::ApplicationStatus,
    queries,
    queue::{QueueQuery, SortField},
};
use partner_portal::program::Position;
use tower::ServiceExt;

mod support;
use support::summary;

const APPLICATIONS: i64 = 100_000;
const ROUNDS: usize = 40;

#[tokio::main]
async fn main() {
    let (admin, pool) = support::scratch_database("portal_bench").await;

    let started = Instant::now();
    sqlx::query(
        "insert into partner_applications
             (reference, company_name, contact_name, contact_email, partnership_type, company_size,
              industry, motivation, status, submitted_at)
         select 'APP-' || upper(lpad(to_hex(n), 8, '0')),
                'Company ' || n || case n % 7 when 0 then ' Acme' else '' end,
                'Contact ' || n,
                'contact' || n || '@bench' || (n % 500) || '.example',
                (array['reseller', 'referral', 'technology'])[1 + n % 3]::partnership_type,
                (array['1-10', '11-50', '51-200', '201-500', '501+'])[1 + n % 5]::company_size,
                'Software',
                'A bench application with enough words to pass validation.',
                (array['pending', 'reviewing', 'approved', 'rejected'])[1 + n % 4]::application_status,
                now() - make_interval(mins => n::int)
         from generate_series(1, $1) as n",
    )
    .bind(APPLICATIONS)
    .execute(&pool)
    .await
    .unwrap();
    // What autovacuum does to a live table: statistics and the visibility map (index-only scans).
    sqlx::query("vacuum analyze partner_applications")
        .execute(&pool)
        .await
        .unwrap();
    println!(
        "loaded {APPLICATIONS} applications in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The cursor of the 49,975th newest application: where page 2,000 starts.
    let deep_key: Vec<String> = sqlx::query_scalar(
        "select array[submitted_at::text, id::text] from partner_applications
         order by submitted_at desc, id desc offset 49974 limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let deep_cursor = partner_portal::db::keyset::encode(&deep_key);
    let views: Vec<(&str, QueueQuery)> = vec![
        ("first page, newest first", QueueQuery::default()),
        (
            "page 2,000 (after row 49,975)",
            QueueQuery {
                position: Position::After(deep_cursor),
                ..Default::default()
            },
        ),
        (
            "last page",
            QueueQuery {
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "status = pending, page 1",
            QueueQuery {
                status: Some(ApplicationStatus::Pending),
                ..Default::default()
            },
        ),
        (
            "status = pending, last page",
            QueueQuery {
                status: Some(ApplicationStatus::Pending),
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "by company A-Z, last page",
            QueueQuery {
                sort: SortField::Company,
                ascending: true,
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "search \"acme\", page 1",
            QueueQuery {
                search: Some("acme".into()),
                ..Default::default()
            },
        ),
        (
            "search \"bench42.\", page 1",
            QueueQuery {
                search: Some("bench42.".into()),
                ..Default::default()
            },
        ),
    ];
    println!("\nreview queue (one call = the page plus the tab counts), {ROUNDS} rounds each:");
    for (name, query) in views {
        queries::queue(&pool, &query).await.unwrap(); // warm
        let mut samples = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let page = queries::queue(&pool, &query).await.unwrap();
            samples.push(t.elapsed());
            assert!(!page.rows.is_empty(), "{name} returns rows");
        }
        println!("  {name:<30} {}", summary(samples));
    }

    // Submissions through the real router (validation, insert, audit, 2 outbox rows,
    // rate-limit row), each from its own address so that the per-address limit holds.
    let app = support::app(&pool);
    let submit = move |n: u32| {
        let app = app.clone();
        async move {
            let body = format!(
                "input[company_name]=Bench+{n}&input[contact_name]=Ada&input[contact_email]=submit{n}%40bench.example\
                 &input[partnership_type]=reseller&input[company_size]=11-50&input[industry]=Software\
                 &input[motivation]=We+resell+SaaS+to+200+clients+and+want+yours."
            );
            let mut request = Request::post("/api/applications/submit")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(Body::from(body))
                .unwrap();
            let peer: SocketAddr =
                format!("10.{}.{}.{}:4000", n >> 16 & 255, n >> 8 & 255, n & 255)
                    .parse()
                    .unwrap();
            request.extensions_mut().insert(ConnectInfo(peer));
            let t = Instant::now();
            let response = app.oneshot(request).await.unwrap();
            assert!(
                response.status().is_success(),
                "submission {n}: {}",
                response.status()
            );
            t.elapsed()
        }
    };
    println!("\nsubmissions through the router:");
    let mut samples = Vec::new();
    let t = Instant::now();
    for n in 0..300 {
        samples.push(submit(n).await);
    }
    let serial = t.elapsed();
    println!(
        "  one client:     {:>6.0} per second   {}",
        300.0 / serial.as_secs_f64(),
        summary(samples)
    );
    let t = Instant::now();
    let tasks: Vec<_> = (0..8u32)
        .map(|worker| {
            let submit = submit.clone();
            tokio::spawn(async move {
                let mut samples = Vec::new();
                for i in 0..100 {
                    samples.push(submit(10_000 + worker * 1000 + i).await);
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await.unwrap());
    }
    let parallel = t.elapsed();
    println!(
        "  8 clients:      {:>6.0} per second   {}",
        800.0 / parallel.as_secs_f64(),
        summary(samples)
    );

    support::drop_database(&admin, pool, "portal_bench").await;
}
