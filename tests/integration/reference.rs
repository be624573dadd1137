//! The reference data cache: reads are served from it while nothing changes, a change to the
//! table is heard and the next read loads it again, and while the listener is not listening
//! nothing is cached.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use partner_portal::db::reference::ReferenceCache;
use rust_decimal::Decimal;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};

use crate::common::test_pool;

async fn starter_price(pool: &PgPool, loads: &AtomicUsize) -> sqlx::Result<Decimal> {
    loads.fetch_add(1, Ordering::SeqCst);
    sqlx::query_scalar("select monthly_price from plans where code = 'starter'")
        .fetch_one(pool)
        .await
}

async fn listener_pid(pool: &PgPool) -> Option<i32> {
    sqlx::query_scalar(
        "select pid from pg_stat_activity
         where datname = current_database() and query ilike 'listen%'",
    )
    .fetch_optional(pool)
    .await
    .unwrap()
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[sqlx::test]
async fn cached_plans_are_read_again_after_a_change_and_never_cached_unheard(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let cache = Arc::new(ReferenceCache::default());
    let loads = AtomicUsize::new(0);
    let read = || cache.get("plans", || starter_price(&pool, &loads));

    // Not listening yet: every read goes to the database.
    read().await.unwrap();
    read().await.unwrap();
    assert_eq!(loads.load(Ordering::SeqCst), 2);

    let listener = tokio::spawn(cache.clone().listen(pool.clone()));
    eventually("the listener listens", async || cache.is_listening()).await;
    let before = *read().await.unwrap();
    let loaded = loads.load(Ordering::SeqCst);
    for _ in 0..5 {
        assert_eq!(*read().await.unwrap(), before);
    }
    assert_eq!(
        loads.load(Ordering::SeqCst),
        loaded,
        "served from the cache"
    );

    sqlx::query("update plans set monthly_price = monthly_price + 1 where code = 'starter'")
        .execute(&pool)
        .await
        .unwrap();
    eventually("the change is read", async || {
        *read().await.unwrap() == before + Decimal::ONE
    })
    .await;
    let loaded = loads.load(Ordering::SeqCst);
    read().await.unwrap();
    assert_eq!(loads.load(Ordering::SeqCst), loaded, "cached again");

    // The listener loses its connection: what was cached is dropped, and it listens again
    // on a new one.
    let old = listener_pid(&pool).await.expect("the listener's session");
    sqlx::query("select pg_terminate_backend($1)")
        .bind(old)
        .execute(&pool)
        .await
        .unwrap();
    eventually("the listener listens on a new session", async || {
        cache.is_listening() && listener_pid(&pool).await.is_some_and(|pid| pid != old)
    })
    .await;
    let loaded = loads.load(Ordering::SeqCst);
    read().await.unwrap();
    assert_eq!(
        loads.load(Ordering::SeqCst),
        loaded + 1,
        "read again after the reconnection"
    );
    listener.abort();
}
