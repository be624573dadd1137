//! The embedded PostgreSQL: created on first start, reused on the next, stopped on close.

use std::{net::TcpListener, os::unix::fs::PermissionsExt};

use partner_portal::{config::DatabaseSettings, db::Database};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn embedded_cluster_is_created_reused_and_stopped() {
    let dir = tempfile::tempdir().unwrap();
    // The cluster may run as the postgres user, who must be able to reach the folder.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = free_port();
    let settings = DatabaseSettings {
        url: None,
        data_dir: dir.path().join("data"),
        embedded_port: port,
        max_connections: 2,
        statement_timeout_ms: 10_000,
        long_statement_timeout_ms: 60_000,
    };

    let db = Database::open(&settings)
        .await
        .expect("embedded PostgreSQL starts");
    assert!(db.created, "first start creates the cluster");
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from information_schema.tables where table_name in ('users', 'partners', 'audit_log')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(tables, 3, "migrated at start-up");
    sqlx::query("insert into users (email, display_name) values ('kept@demo.test', 'Kept')")
        .execute(&db.pool)
        .await
        .unwrap();
    db.close().await;
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server stopped with the portal"
    );

    let db = Database::open(&settings)
        .await
        .expect("embedded PostgreSQL restarts");
    assert!(!db.created, "the second start reuses the cluster");
    let kept: i64 = sqlx::query_scalar("select count(*) from users where email = 'kept@demo.test'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(kept, 1, "data survives a restart");
    db.close().await;
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());

    // Forgetting to close (a panic, an early return) still stops the server.
    let db = Database::open(&settings)
        .await
        .expect("starts a third time");
    drop(db);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "dropping the database stops the server it started"
    );
}

#[tokio::test]
async fn an_unreachable_database_url_is_one_clear_message() {
    let settings = DatabaseSettings {
        url: Some(format!(
            "postgres://portal:hunter2@127.0.0.1:{}/portal",
            free_port()
        )),
        data_dir: "unused".into(),
        embedded_port: 1,
        max_connections: 1,
        statement_timeout_ms: 10_000,
        long_statement_timeout_ms: 60_000,
    };
    let error = Database::open(&settings)
        .await
        .err()
        .expect("no server there");
    assert!(
        error.starts_with("Could not connect to the database at DATABASE_URL"),
        "{error}"
    );
    assert!(
        !error.contains("hunter2"),
        "no password in messages: {error}"
    );
}

#[tokio::test]
async fn a_data_folder_the_postgres_user_cannot_reach_is_explained() {
    if !nix_is_root() {
        return; // Only root hands the cluster to the postgres user.
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let settings = DatabaseSettings {
        url: None,
        data_dir: dir.path().join("data"),
        embedded_port: free_port(),
        max_connections: 1,
        statement_timeout_ms: 10_000,
        long_statement_timeout_ms: 60_000,
    };
    let error = Database::open(&settings)
        .await
        .err()
        .expect("unreachable folder refused");
    assert!(
        error.contains("cannot enter") && error.contains("PORTAL_DATA_DIR"),
        "{error}"
    );
}

fn nix_is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// The database restarts while the portal runs: readiness goes red and requests are told to
/// come back (503), then both recover on their own, without restarting the portal.
#[tokio::test]
async fn a_database_restart_is_survived_without_restarting_the_portal() {
    use axum::http::StatusCode;
    use partner_portal::db::embedded::EmbeddedPostgres;

    use crate::common::*;

    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let port = free_port();
    let data_dir = dir.path().join("data");
    let settings = DatabaseSettings {
        url: None,
        data_dir: data_dir.clone(),
        embedded_port: port,
        max_connections: 4,
        statement_timeout_ms: 10_000,
        long_statement_timeout_ms: 60_000,
    };
    let db = Database::open(&settings).await.expect("starts");
    partner_portal::demo::seed_demo(&db.pool).await.unwrap();
    let app = TestApp::unseeded(db.pool.clone()).await;
    let sign_in = [
        ("input[email]", NW_OWNER),
        ("input[password]", partner_portal::demo::DEMO_PASSWORD),
    ];
    assert_eq!(app.get_page(None, "/readyz").await.status, StatusCode::OK);
    let cookie = app.sign_in(NW_OWNER).await;

    db.embedded.as_ref().unwrap().stop().await;
    assert_eq!(
        app.get_page(None, "/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "readiness goes red"
    );
    let refused = app.call(None, "login", &sign_in).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert!(refused.headers.contains_key("retry-after"));

    let (again, created) = EmbeddedPostgres::start(&data_dir, port)
        .await
        .expect("the database comes back");
    assert!(!created);
    let mut ready = false;
    for _ in 0..100 {
        if app.get_page(None, "/readyz").await.status == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "readiness goes green again");
    let me = app.call(Some(&cookie), "whoami", &[]).await;
    assert!(
        me.body.contains(NW_OWNER),
        "the session survived: {}",
        me.body
    );
    assert_eq!(
        app.call(None, "login", &sign_in).await.status,
        StatusCode::OK
    );
    db.pool.close().await;
    again.stop().await;
}
