//! The audit log's hash chains: intact after the demo seed and after parallel writes, and a
//! row changed or removed behind the app's back is found, by the library and by
//! `partner-portal audit verify`.

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};

use crate::common::*;
use partner_portal::{
    audit::{self, verify::verify, Action, AuditEntry},
    demo::seed_demo,
};

async fn partner(pool: &PgPool, slug: &str) -> uuid::Uuid {
    sqlx::query_scalar("select id from partners where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn northwind(pool: &PgPool) -> uuid::Uuid {
    partner(pool, "northwind").await
}

/// Writes `n` rows through the app's own function, on `partner`'s chain (or the program's).
async fn write_rows(pool: &PgPool, partner: Option<uuid::Uuid>, n: usize) {
    for i in 0..n {
        let mut entry =
            AuditEntry::system(Action::ClientExported).detail(serde_json::json!({ "row": i }));
        entry.partner_id = partner;
        audit::record(pool, entry).await.unwrap();
    }
}

/// Runs `sql` with the append-only triggers off, as someone with the database's keys would.
async fn behind_the_apps_back(pool: &PgPool, sql: &str) {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("alter table audit_log disable trigger audit_log_no_update_or_delete")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut *tx).await.unwrap();
    sqlx::query("alter table audit_log enable trigger audit_log_no_update_or_delete")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn portal(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_partner-portal"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .unwrap()
}

#[sqlx::test]
async fn the_chains_hold_after_the_seed_and_parallel_writes(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    seed_demo(&pool).await.unwrap();
    let partner = northwind(&pool).await;
    // Forty writers at once, on one partner's chain and on the program-wide one.
    let writers: Vec<_> = (0..40)
        .map(|i| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut entry = AuditEntry::system(Action::ClientExported)
                    .detail(serde_json::json!({ "writer": i }));
                if i % 2 == 0 {
                    entry.partner_id = Some(partner);
                }
                let mut tx = pool.begin().await.unwrap();
                audit::record(&mut *tx, entry).await.unwrap();
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }

    let report = verify(&mut pool.acquire().await.unwrap()).await.unwrap();
    assert_eq!(report.broken, vec![], "every chain holds");
    let partners_with_rows: i64 = sqlx::query_scalar(
        "select count(distinct coalesce(partner_id, '00000000-0000-0000-0000-000000000000')) from audit_log",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(report.chains >= 2, "{report:?}");
    assert_eq!(
        report.chains, partners_with_rows,
        "one chain per partner, and the program's"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(report.rows, rows);
    // Each chain is numbered 1..n without a gap, and its head is its last row.
    let gaps: i64 = sqlx::query_scalar(
        "select count(*) from (select chain, count(*) n, max(seq) top from audit_log group by chain) c
         join audit_chain_heads h using (chain) where c.n <> c.top or h.seq <> c.top",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(gaps, 0);
}

#[sqlx::test]
async fn a_row_changed_or_removed_behind_the_apps_back_is_found(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect.clone()).await;
    seed_demo(&pool).await.unwrap();
    let url = format!(
        "postgres://postgres@127.0.0.1:5432/{}",
        connect.get_database().unwrap()
    );
    let intact = portal(&url, &["audit", "verify"]);
    assert!(intact.status.success(), "{intact:?}");
    assert!(String::from_utf8_lossy(&intact.stdout).contains("audit log intact"));

    // The app's role may not change the log at all.
    let partner = northwind(&pool).await;
    write_rows(&pool, Some(partner), 5).await;
    write_rows(&pool, None, 3).await;
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("set local role portal_admin")
        .execute(&mut *tx)
        .await
        .unwrap();
    let refused = sqlx::query("update audit_chain_heads set seq = 1")
        .execute(&mut *tx)
        .await;
    assert!(refused.is_err(), "the heads are the trigger's alone");
    drop(tx);

    // Someone edits a Northwind row's detail directly in the database.
    let (seq, id): (i64, uuid::Uuid) = sqlx::query_as(
        "select seq, id from audit_log where chain = $1 order by seq offset 2 limit 1",
    )
    .bind(partner)
    .fetch_one(&pool)
    .await
    .unwrap();
    behind_the_apps_back(
        &pool,
        &format!("update audit_log set detail = '{{\"edited\": true}}' where id = '{id}'"),
    )
    .await;
    let report = verify(&mut pool.acquire().await.unwrap()).await.unwrap();
    assert_eq!(report.broken.len(), 1, "{report:?}");
    let broken = &report.broken[0];
    assert_eq!(broken.partner.as_deref(), Some("Northwind"));
    assert_eq!((broken.seq, broken.row), (seq, Some(id)));
    assert!(broken.problem.contains("changed"), "{broken}");

    // And removes a program-wide row from the middle.
    behind_the_apps_back(
        &pool,
        "delete from audit_log where chain = '00000000-0000-0000-0000-000000000000' and seq = 2",
    )
    .await;
    let report = verify(&mut pool.acquire().await.unwrap()).await.unwrap();
    assert_eq!(report.broken.len(), 2, "{report:?}");
    let program = report.broken.iter().find(|b| b.partner.is_none()).unwrap();
    assert_eq!(program.seq, 3);
    assert!(program.problem.contains("missing"), "{program}");

    let failed = portal(&url, &["audit", "verify"]);
    assert!(!failed.status.success());
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(said.contains("BROKEN in 2 chains"), "{said}");
    assert!(
        said.contains(&format!("Northwind: row {seq} ({id})")),
        "{said}"
    );
}

#[sqlx::test]
async fn an_admin_checks_the_log_from_the_overview(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    write_rows(&app.pool, Some(partner(&app.pool, "contoso").await), 2).await;
    let admin = app.sign_in(ADMIN).await;
    let page = app.get_page(Some(&admin), "/admin?check=audit").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("Intact: "), "{}", page.body);
    behind_the_apps_back(
        &app.pool,
        "update audit_log set action = 'auth.sign_out' where seq = 1 and chain = (select id from partners where slug = 'contoso')",
    )
    .await;
    let reply = app.call(Some(&admin), "admin/audit/verify", &[]).await;
    assert_eq!(reply.status, axum::http::StatusCode::OK);
    let found: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let broken = found["broken"].as_array().unwrap();
    assert_eq!(broken.len(), 1, "{found}");
    assert!(
        broken[0].as_str().unwrap().starts_with("Contoso: row 1 "),
        "{found}"
    );
    let owner = app.sign_in(NW_OWNER).await;
    assert_eq!(
        app.call(Some(&owner), "admin/audit/verify", &[])
            .await
            .status,
        axum::http::StatusCode::FORBIDDEN
    );
}
