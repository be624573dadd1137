//! The monthly close in batches: killed halfway through (by SIGKILL, while a batch waits on
//! a row lock), run again, it finishes with exactly one statement per partner and the same
//! figures as a close computed in one go.

use std::time::{Duration, Instant};

use chrono::Utc;
use partner_portal::{commissions::close, program::Month};
use rust_decimal::Decimal;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use uuid::Uuid;

use crate::common::*;

fn database_url(connect: &PgConnectOptions) -> String {
    format!(
        "postgres://{}@{}:{}/{}",
        connect.get_username(),
        connect.get_host(),
        connect.get_port(),
        connect.get_database().unwrap()
    )
}

fn portal(url: &str, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_partner-portal"));
    command
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn");
    command
}

async fn run_state(pool: &PgPool, month: Month) -> Option<(i32, i32, bool)> {
    sqlx::query_as(
        "select partners_done, partners_total, finished_at is not null from close_runs where month = $1",
    )
    .bind(month.first_day())
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// Sessions of this database waiting for a lock.
async fn waiting_on_a_lock(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_close_killed_halfway_and_run_again_writes_one_statement_per_partner(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect.clone()).await;
    let url = database_url(&connect);
    let indexes = "select count(*) from pg_indexes
                   where tablename in ('clients', 'subscription_events', 'audit_log')";
    let indexes_before: i64 = sqlx::query_scalar(indexes).fetch_one(&pool).await.unwrap();
    let seeded = portal(
        &url,
        &["seed-scale", "--partners", "40", "--clients", "3000"],
    )
    .output()
    .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    // The bulk-loaded audit rows are chained like any others.
    let verified = portal(&url, &["audit", "verify"]).output().unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let indexes_after: i64 = sqlx::query_scalar(indexes).fetch_one(&pool).await.unwrap();
    assert_eq!(
        indexes_after, indexes_before,
        "the seed built its indexes again"
    );
    let month = Month::containing(Utc::now()).previous();
    let mut conn = pool.acquire().await.unwrap();
    let expected = close::compute(&mut conn, month).await.unwrap();
    drop(conn);
    let with_lines: Vec<_> = expected.iter().filter(|p| p.lines > 0).collect();
    assert!(with_lines.len() > 20, "most partners have a statement");

    // A partner in the second half of the id order is locked, so the batch that would write
    // its statement waits; the batches before it have committed.
    let mut ids: Vec<Uuid> = with_lines.iter().map(|p| p.partner_id).collect();
    ids.sort();
    let blocked = ids[ids.len() * 2 / 3];
    let mut locker = pool.begin().await.unwrap();
    sqlx::query("select 1 from partners where id = $1 for update")
        .bind(blocked)
        .execute(&mut *locker)
        .await
        .unwrap();
    let mut child = portal(
        &url,
        &["close-month", &month.to_string(), "--batch-clients", "100"],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = run_state(&pool, month).await.map_or(0, |(done, _, _)| done);
        if done > 0 && waiting_on_a_lock(&pool).await > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the close never reached the locked partner"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the close ended before it was killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    locker.rollback().await.unwrap();

    let (done, total, finished) = run_state(&pool, month).await.unwrap();
    assert!(!finished);
    assert!(
        done > 0 && done < total,
        "stopped halfway: {done} of {total}"
    );
    let closed: i64 = sqlx::query_scalar("select count(*) from commission_closes where month = $1")
        .bind(month.first_day())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(closed, 0, "the month is not marked closed");

    // The admin's page says it stopped, once the killed session is gone.
    let app = TestApp::unseeded(pool.clone()).await;
    let admin = app.sign_in("admin@scale.test").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let page = loop {
        let page = app.get_page(Some(&admin), "/admin/commissions").await;
        if page.body.contains("stopped") || Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        page.body
            .contains(&format!("The close of {} stopped", month.label())),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("{done} of {total} partners")));

    let again = portal(&url, &["close-month", &month.to_string()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        out.contains(&format!("{} is closed", month.label())),
        "{out}"
    );

    let statements: Vec<(Uuid, i32, Decimal, i64)> = sqlx::query_as(
        "select s.partner_id, s.line_count, s.total,
                (select count(*) from commission_lines l where l.statement_id = s.id)
         from commission_statements s where s.month = $1 order by s.partner_id",
    )
    .bind(month.first_day())
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut wanted: Vec<(Uuid, i32, Decimal, i64)> = with_lines
        .iter()
        .map(|p| (p.partner_id, p.lines as i32, p.total, p.lines))
        .collect();
    wanted.sort_by_key(|w| w.0);
    assert_eq!(
        statements, wanted,
        "one statement per partner, as computed in one go"
    );
    let (done, total, finished) = run_state(&pool, month).await.unwrap();
    assert!(finished);
    assert_eq!(
        (done, total),
        (expected.len() as i32, expected.len() as i32)
    );
    let decided: i64 = sqlx::query_scalar("select count(*) from close_partners where month = $1")
        .bind(month.first_day())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(decided, expected.len() as i64);
    let twice: i64 = sqlx::query_scalar(
        "select count(*) from (select partner_id from payouts where due_on = $1
                               group by partner_id having count(*) > 1) d",
    )
    .bind(month.payable_on())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(twice, 0, "no partner is paid twice");
    let page = app.get_page(Some(&admin), "/admin/commissions").await;
    assert!(!page.body.contains("close-progress"));
}
