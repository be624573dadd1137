//! Database rules: the append-only audit log, tenancy constraints, the demo seed.

use crate::common::test_pool;
use partner_portal::{
    auth::{
        model::{PartnerStatus, PrincipalKind, Role},
        queries::load_principal,
    },
    demo::{seed_demo, DemoSeedError},
    program::Tier,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

#[sqlx::test]
async fn the_audit_log_refuses_update_delete_and_truncate(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    sqlx::query("insert into audit_log (action) values ('test.event')")
        .execute(&pool)
        .await
        .unwrap();
    for statement in [
        "update audit_log set action = 'test.changed'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        let error = sqlx::query(statement).execute(&pool).await.unwrap_err();
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    let rows: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'test.event'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows, 1);
}

#[sqlx::test]
async fn a_client_user_cannot_be_attached_across_partners(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    seed_demo(&pool).await.unwrap();
    // Fabrikam belongs to Northwind; claiming it under Contoso breaks the composite key.
    let result = sqlx::query(
        "insert into client_users (partner_id, client_id, user_id)
         select (select id from partners where slug = 'contoso'),
                (select id from clients where slug = 'fabrikam'),
                (select id from users where email = 'admin@demo.test')",
    )
    .execute(&pool)
    .await;
    let error = result.expect_err("a client user under another partner is refused");
    let db_error = error.as_database_error().expect("refused by the database");
    assert_eq!(
        db_error.code().as_deref(),
        Some("23503"),
        "a foreign key violation: {db_error}"
    );
    assert!(
        db_error
            .constraint()
            .is_some_and(|c| c.starts_with("client_users_")),
        "by the client users' composite key: {:?}",
        db_error.constraint()
    );
}

#[sqlx::test]
async fn demo_seed_creates_the_documented_accounts_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    assert!(seed_demo(&pool).await.unwrap(), "first seed adds data");
    let counts = || async {
        let users: i64 = sqlx::query_scalar("select count(*) from users")
            .fetch_one(&pool)
            .await
            .unwrap();
        let clients: i64 = sqlx::query_scalar("select count(*) from clients")
            .fetch_one(&pool)
            .await
            .unwrap();
        let members: i64 = sqlx::query_scalar("select count(*) from partner_members")
            .fetch_one(&pool)
            .await
            .unwrap();
        (users, clients, members)
    };
    // 1 admin + 5 Northwind members + the Contoso and Litware owners + one owner for each
    // of 38 clients.
    assert_eq!(counts().await, (46, 38, 7));
    assert!(!seed_demo(&pool).await.unwrap(), "second seed adds nothing");
    assert_eq!(counts().await, (46, 38, 7));

    let per_partner: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "select p.slug, p.tier::text, count(*) filter (where c.status = 'active'), count(c.id)
         from partners p join clients c on c.partner_id = p.id group by p.slug, p.tier order by p.slug",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_partner[0].0, "contoso");
    assert_eq!(per_partner[0].3, 5);
    assert_eq!(per_partner[1].0, "litware");
    assert_eq!(
        (per_partner[1].1.as_str(), per_partner[1].3),
        ("platinum", 3)
    );
    assert_eq!(per_partner[2].0, "northwind");
    assert_eq!(per_partner[2].3, 30);
    // The seeded tiers agree with the program rules for their active client counts (but
    // Litware's, which an admin pinned at Platinum to show custom CSS).
    for (slug, tier, active, _) in per_partner.iter().filter(|p| p.0 != "litware") {
        assert_eq!(
            tier,
            Tier::for_active_clients(*active).slug(),
            "{slug} has {active} active clients"
        );
    }
    let fabrikam: (String, String) =
        sqlx::query_as("select plan, status::text from clients where slug = 'fabrikam'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(fabrikam, ("professional".into(), "active".into()));
}

#[sqlx::test]
async fn demo_seed_refuses_a_database_with_real_users(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    sqlx::query(
        "insert into users (email, display_name) values ('ceo@realcompany.com', 'Real Person')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let error = seed_demo(&pool).await.unwrap_err();
    assert!(
        matches!(error, DemoSeedError::RealUsersPresent(1)),
        "{error}"
    );
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "nothing was added");
}

#[sqlx::test]
async fn principals_are_read_fresh_with_role_and_partner_status(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    seed_demo(&pool).await.unwrap();
    let id: Uuid =
        sqlx::query_scalar("select id from users where email = 'sales@northwind.demo.test'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let me = load_principal(&pool, id, None).await.unwrap().unwrap();
    assert!(matches!(
        me.kind,
        PrincipalKind::Member {
            role: Role::Sales,
            partner_status: PartnerStatus::Active,
            ..
        }
    ));

    sqlx::query("update partner_members set role = 'viewer' where user_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let me = load_principal(&pool, id, None).await.unwrap().unwrap();
    assert!(
        matches!(
            me.kind,
            PrincipalKind::Member {
                role: Role::Viewer,
                ..
            }
        ),
        "demotion seen at once"
    );

    sqlx::query("update users set disabled_at = now() where id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        load_principal(&pool, id, None).await.unwrap().is_none(),
        "disabled users are nobody"
    );
    assert!(load_principal(&pool, Uuid::new_v4(), None)
        .await
        .unwrap()
        .is_none());
}

#[sqlx::test]
async fn demo_accounts_are_never_seeded_in_production(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect.clone()).await;
    let url = format!(
        "postgres://postgres@127.0.0.1:5432/{}",
        connect.get_database().unwrap()
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_partner-portal"))
        .arg("seed-demo")
        .env("DATABASE_URL", &url)
        .env("LEPTOS_ENV", "prod")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("never seeded in production"), "{said}");
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 0, "no demo account was created");
}

#[sqlx::test]
async fn a_backup_restores_the_database_as_it_was(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect.clone()).await;
    seed_demo(&pool).await.unwrap();
    let url = format!(
        "postgres://postgres@127.0.0.1:5432/{}",
        connect.get_database().unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nightly.dump");
    let portal = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_partner-portal"))
            .args(args)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    let users = |pool: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, String>("select email from users order by email")
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let before = users(pool.clone()).await;

    let done = portal(&["backup", file.to_str().unwrap()]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(file.metadata().unwrap().len() > 0);

    // Something happens after the backup...
    sqlx::query("insert into users (email, display_name) values ('after@backup.example', 'After')")
        .execute(&pool)
        .await
        .unwrap();
    // ...restoring asks for confirmation...
    let refused = portal(&["restore", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(users(pool.clone())
        .await
        .contains(&"after@backup.example".to_string()));
    // ...and then puts the database back as it was.
    pool.close().await;
    let done = portal(&["restore", file.to_str().unwrap(), "--yes"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let pool = test_pool(connect).await;
    assert_eq!(users(pool).await, before);
}
