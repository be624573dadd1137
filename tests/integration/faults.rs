//! Faults: a database backend terminated in the middle of a write leaves nothing half-done
//! and the pool serves the next request; a database restart is survived without restarting
//! the portal.

use std::time::Duration;

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::program::Month;

/// Runs `work` with the audit log locked against writes, so that the write stops at its
/// audit row (the last step of each write here) with everything else done; terminates its
/// database backend there, and returns what the caller was answered.
async fn killed_at_its_audit_row(
    app: &TestApp,
    work: impl std::future::Future<Output = Reply>,
) -> Reply {
    let mut blocker = app.pool.begin().await.unwrap();
    sqlx::query("lock table audit_log in share mode")
        .execute(&mut *blocker)
        .await
        .unwrap();
    let killer = async {
        for _ in 0..500 {
            let waiting: Option<i32> = sqlx::query_scalar(
                "select pid from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock'
                   and pid <> pg_backend_pid() limit 1",
            )
            .fetch_optional(&app.pool)
            .await
            .unwrap();
            if let Some(pid) = waiting {
                let killed: bool = sqlx::query_scalar("select pg_terminate_backend($1)")
                    .bind(pid)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
                return killed;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    };
    let (reply, killed) = tokio::join!(work, killer);
    blocker.rollback().await.unwrap();
    assert!(
        killed,
        "the write reached its audit row and was killed there"
    );
    reply
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

fn refused_for_now(reply: &Reply) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(reply.headers.contains_key("retry-after"));
}

/// The close commits a batch of partners at a time; killed in its last step (marking the
/// month closed), it leaves the month open, its statements hidden from the partners, and the
/// next close finishes it without writing any statement twice.
#[sqlx::test]
async fn a_close_killed_midway_leaves_the_month_open_and_the_next_one_finishes_it(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let month = Month::containing(chrono::Utc::now()).previous();
    let last = month.to_string();
    let form = [("input[month]", last.as_str()), ("input[confirm]", "yes")];
    let statements = "select count(*) from commission_statements";
    let closes = "select count(*) from commission_closes";
    let before = count(&app, statements).await;
    let closes_before = count(&app, closes).await;

    let reply = killed_at_its_audit_row(
        &app,
        app.call(Some(&admin), "admin/commissions/close", &form),
    )
    .await;
    refused_for_now(&reply);
    assert_eq!(
        count(&app, closes).await,
        closes_before,
        "the month is open"
    );
    let owner = app.sign_in(NW_OWNER).await;
    let link = format!("href=\"/partner/commissions/{month}\"");
    let page = app.get_page(Some(&owner), "/partner/commissions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(&link),
        "an unfinished close's statement is not shown"
    );
    let page = app.get_page(Some(&admin), "/admin/commissions").await;
    assert!(
        page.body
            .contains(&format!("The close of {} stopped", month.label())),
        "{}",
        page.body
    );

    let reply = app
        .call(Some(&admin), "admin/commissions/close", &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Closed"), "{}", reply.body);
    assert_eq!(count(&app, closes).await, closes_before + 1);
    let twice = "select count(*) from (select partner_id, month from commission_statements
                                       group by 1, 2 having count(*) > 1) d";
    assert_eq!(count(&app, twice).await, 0);
    assert!(count(&app, statements).await > before);
    let page = app.get_page(Some(&owner), "/partner/commissions").await;
    assert!(page.body.contains(&link), "{}", page.body);
}

#[sqlx::test]
async fn a_client_creation_killed_midway_leaves_no_client(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let sales = app.sign_in(NW_SALES).await;
    let form = [
        ("input[company_name]", "Killed Midway Ltd"),
        ("input[contact_name]", "Kim"),
        ("input[contact_email]", "kim@killed.example"),
        ("input[contact_phone]", ""),
        ("input[plan]", "starter"),
        ("input[custom_price]", ""),
        ("input[region]", ""),
    ];
    let clients = "select count(*) from clients where company_name = 'Killed Midway Ltd'";
    let reply = killed_at_its_audit_row(
        &app,
        app.call(Some(&sales), "partner/clients/create", &form),
    )
    .await;
    refused_for_now(&reply);
    assert_eq!(count(&app, clients).await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from invitations where email = 'kim@killed.example'"
        )
        .await,
        0
    );

    let reply = app
        .call(Some(&sales), "partner/clients/create", &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(count(&app, clients).await, 1);
}

#[sqlx::test]
async fn a_branding_publish_killed_midway_keeps_the_live_version(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let live = "select v.number from branding_versions v join partners p on p.id = v.partner_id
                where p.slug = 'northwind' and v.is_published";
    let before = count(&app, &format!("select number::bigint from ({live}) v")).await;
    let draft: i32 = sqlx::query_scalar(
        "select v.number from branding_versions v join partners p on p.id = v.partner_id
         where p.slug = 'northwind' and not v.is_published order by v.number limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let version = draft.to_string();
    let form = [("version", version.as_str())];

    let reply = killed_at_its_audit_row(
        &app,
        app.call(Some(&owner), "partner/branding/publish", &form),
    )
    .await;
    refused_for_now(&reply);
    assert_eq!(
        count(&app, &format!("select number::bigint from ({live}) v")).await,
        before,
        "the live version did not change"
    );

    let reply = app
        .call(Some(&owner), "partner/branding/publish", &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        count(&app, &format!("select number::bigint from ({live}) v")).await,
        i64::from(draft)
    );
}
