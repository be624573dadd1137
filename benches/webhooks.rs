//! Benchmark: webhook delivery to a local receiver (an axum server in this process).
//!
//! 1. Throughput: 64 endpoints (64 partners, one each), 100 events each, sent by one worker
//!    (rounds of `run_once` with the real clock, as the background task runs them).
//! 2. Outbox lag: a burst of 10,000 events recorded in their own transactions by 8 writers
//!    at once while the worker runs beside them; the lag is the time from an event's commit
//!    to its delivery, read from the receiver's clock and the event's time.
//!
//! Run: `cargo bench --features ssr --bench webhooks` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints rates and percentiles; asserts only that everything arrived
//! once.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{routing::post, Router};
use chrono::{DateTime, Utc};
use partner_portal::{
    program::proxies::Networks,
    webhooks::{
        endpoints::{self, EndpointInput},
        model::EventType,
        outbox,
        target::TargetPolicy,
        worker::{self, Sender},
    },
};
use sqlx::PgPool;
use uuid::Uuid;

mod support;

const ENDPOINTS: i64 = 64;
const EVENTS_EACH: i64 = 100;
const BURST: i64 = 10_000;
const DB: &str = "portal_bench_webhooks";

/// A receiver that answers 200 and notes when each event arrived.
async fn receiver() -> (String, Arc<Mutex<Vec<(String, DateTime<Utc>)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = Router::new().route(
        "/hook",
        post(move |body: String| {
            let kept = kept.clone();
            async move {
                let event: serde_json::Value = serde_json::from_str(&body).unwrap();
                let id = event["id"].as_str().unwrap_or_default().to_string();
                kept.lock().unwrap().push((id, Utc::now()));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

/// `ENDPOINTS` partners, each with one endpoint at `url` wanting `client.updated`.
async fn partners_with_endpoints(pool: &PgPool, url: &str) -> Vec<Uuid> {
    let partners: Vec<Uuid> = sqlx::query_scalar(
        "insert into partners (slug, name, tier) select 'hook-' || n, 'Hook Partner ' || n, 'gold'
         from generate_series(1, $1) n returning id",
    )
    .bind(ENDPOINTS)
    .fetch_all(pool)
    .await
    .unwrap();
    let policy = TargetPolicy {
        allowed: Networks::parse("127.0.0.1/32").unwrap(),
        ..Default::default()
    };
    let input = EndpointInput {
        url: url.to_string(),
        description: String::new(),
        events: vec![EventType::ClientUpdated.name().to_string()],
    }
    .check(&policy)
    .unwrap();
    let maker: Uuid = sqlx::query_scalar(
        "insert into users (email, display_name, password_hash) values ('hooks@bench.test', 'B', 'x') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    for partner in &partners {
        let mut tx = pool.begin().await.unwrap();
        endpoints::create(&mut tx, *partner, maker, &input)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
    }
    partners
}

async fn record(pool: &PgPool, partner: Uuid, n: i64) {
    let mut tx = pool.begin().await.unwrap();
    outbox::record(
        &mut tx,
        partner,
        EventType::ClientUpdated,
        serde_json::json!({ "n": n }),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Runs the worker until `expected` events have arrived.
async fn deliver_all(
    pool: &PgPool,
    sender: &Sender,
    seen: &Mutex<Vec<(String, DateTime<Utc>)>>,
    expected: usize,
) {
    while seen.lock().unwrap().len() < expected {
        if worker::run_once(pool, sender, Utc::now()).await.unwrap() == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let (admin, pool) = support::empty_database(DB).await;
    let (url, seen) = receiver().await;
    let partners = partners_with_endpoints(&pool, &url).await;
    let sender = Sender::new(TargetPolicy {
        allowed: Networks::parse("127.0.0.1/32").unwrap(),
        ..Default::default()
    })
    .unwrap();

    // 1. Throughput at 64 endpoints.
    for n in 0..EVENTS_EACH {
        for partner in &partners {
            record(&pool, *partner, n).await;
        }
    }
    let expected = (ENDPOINTS * EVENTS_EACH) as usize;
    let started = Instant::now();
    deliver_all(&pool, &sender, &seen, expected).await;
    let took = started.elapsed();
    let delivered = seen.lock().unwrap().len();
    assert_eq!(delivered, expected, "each delivery once");
    println!(
        "throughput: {delivered} deliveries to {ENDPOINTS} endpoints in {:.2} s: {:.0} a second",
        took.as_secs_f64(),
        delivered as f64 / took.as_secs_f64()
    );

    // 2. Outbox lag under a burst of 10,000 events from 8 writers, the worker running.
    seen.lock().unwrap().clear();
    let started = Instant::now();
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let pool = pool.clone();
            let partners = partners.clone();
            tokio::spawn(async move {
                for n in (w..BURST).step_by(8) {
                    record(&pool, partners[(n % ENDPOINTS) as usize], n).await;
                }
            })
        })
        .collect();
    let worker_pool = pool.clone();
    let worker_seen = seen.clone();
    let worker = tokio::spawn(async move {
        deliver_all(&worker_pool, &sender, &worker_seen, BURST as usize).await;
    });
    for writer in writers {
        writer.await.unwrap();
    }
    let written = started.elapsed();
    worker.await.unwrap();
    let drained = started.elapsed();
    let arrived: Vec<(String, DateTime<Utc>)> = seen.lock().unwrap().clone();
    assert_eq!(arrived.len(), BURST as usize, "each event once");
    let recorded: Vec<(Uuid, DateTime<Utc>)> = sqlx::query_as(
        "select id, occurred_at from webhook_events where payload ? 'object' order by occurred_at desc limit $1",
    )
    .bind(BURST)
    .fetch_all(&pool)
    .await
    .unwrap();
    let at: std::collections::HashMap<String, DateTime<Utc>> = recorded
        .into_iter()
        .map(|(id, t)| (format!("evt_{}", id.simple()), t))
        .collect();
    let mut lags: Vec<f64> = arrived
        .iter()
        .filter_map(|(id, t)| {
            at.get(id)
                .map(|r| (*t - *r).num_microseconds().unwrap_or(0) as f64 / 1000.0)
        })
        .collect();
    lags.sort_by(f64::total_cmp);
    println!(
        "burst: {BURST} events written in {:.2} s ({:.0} a second), all delivered {:.2} s after the first write",
        written.as_secs_f64(),
        BURST as f64 / written.as_secs_f64(),
        drained.as_secs_f64()
    );
    println!(
        "outbox lag (commit to delivery): median {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms (n={})",
        percentile(&lags, 50),
        percentile(&lags, 95),
        percentile(&lags, 99),
        lags.last().copied().unwrap_or_default(),
        lags.len()
    );
    support::drop_database(&admin, pool, DB).await;
}
