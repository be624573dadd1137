//! Tenancy enforced by PostgreSQL: the role requests run as, row-level security per partner,
//! and the append-only tables the app role cannot change.

use axum::http::StatusCode;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, PgConnection,
};
use uuid::Uuid;

use crate::common::*;
use partner_portal::db::{
    roles::{self, APP_ROLE},
    scope::{self, Scope},
};

/// A connection as the app role, with nothing set.
pub(crate) async fn as_app_role(app: &TestApp) -> PgConnection {
    let url = "postgres://postgres@127.0.0.1:5432/test";
    let mut owner = app.pool.acquire().await.unwrap();
    roles::enable_app_role(&mut owner, url, false)
        .await
        .unwrap();
    PgConnection::connect_with(&roles::as_app_role(&app.pool.connect_options(), url))
        .await
        .unwrap()
}

async fn partner(app: &TestApp, slug: &str) -> Uuid {
    sqlx::query_scalar("select id from partners where slug = $1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn count(connection: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(connection).await.unwrap()
}

#[sqlx::test]
async fn the_app_role_sees_only_the_partner_it_is_set_to(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = partner(&app, "northwind").await;
    let contoso = partner(&app, "contoso").await;
    let mut db = as_app_role(&app).await;
    assert!(!roles::can_bypass_policies(&mut db).await.unwrap());

    // Nothing set: no partner rows at all.
    for table in [
        "partners",
        "clients",
        "partner_members",
        "commission_statements",
        "audit_log",
    ] {
        assert_eq!(
            count(&mut db, &format!("select count(*) from {table}")).await,
            0,
            "{table}"
        );
    }
    // Northwind's context: Northwind's rows, none of Contoso's.
    scope::apply(&mut db, Scope::Partner(northwind))
        .await
        .unwrap();
    let (mine, theirs): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where partner_id = $1), count(*) filter (where partner_id = $2) from clients",
    )
    .bind(northwind)
    .bind(contoso)
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert!(mine > 0);
    assert_eq!(theirs, 0, "Contoso's clients are invisible to Northwind");
    assert_eq!(count(&mut db, "select count(*) from partners").await, 1);
    // Nor can it write into Contoso.
    let error =
        sqlx::query("insert into audit_log (action, partner_id) values ('auth.sign_in', $1)")
            .bind(contoso)
            .execute(&mut db)
            .await
            .unwrap_err();
    assert!(error.to_string().contains("row-level security"), "{error}");
    let refused = sqlx::query("update clients set company_name = 'Taken' where partner_id = $1")
        .bind(contoso)
        .execute(&mut db)
        .await
        .unwrap();
    assert_eq!(refused.rows_affected(), 0);
    // Admin and system work: every partner.
    scope::apply(&mut db, Scope::All).await.unwrap();
    assert!(count(&mut db, "select count(*) from partners").await >= 3);
}

/// How many of `partner`'s clients client_search finds for everyone ('%').
async fn found(db: &mut PgConnection, partner: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from client_search($1, '%')")
        .bind(partner)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test]
async fn client_search_states_the_tenant_rule_itself(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = partner(&app, "northwind").await;
    let contoso = partner(&app, "contoso").await;
    let mut db = as_app_role(&app).await;
    let all_of = |partner: Uuid| {
        sqlx::query_scalar::<_, i64>("select count(*) from clients where partner_id = $1")
            .bind(partner)
            .fetch_one(&app.pool)
    };
    let (northwinds, contosos) = (
        all_of(northwind).await.unwrap(),
        all_of(contoso).await.unwrap(),
    );
    assert!(northwinds > 0 && contosos > 0);

    // The function reads past the policies (as its own role), so it must refuse by itself:
    // nothing set, nothing found; a partner's scope finds its own clients and no other's.
    assert_eq!(found(&mut db, northwind).await, 0);
    scope::apply(&mut db, Scope::Partner(northwind))
        .await
        .unwrap();
    assert_eq!(found(&mut db, northwind).await, northwinds);
    assert_eq!(
        found(&mut db, contoso).await,
        0,
        "Contoso's clients stay hidden"
    );
    let name: String = sqlx::query_scalar(
        "select lower(company_name) from clients where partner_id = $1 order by company_name limit 1",
    )
    .bind(northwind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let narrowed: i64 = sqlx::query_scalar("select count(*) from client_search($1, $2)")
        .bind(northwind)
        .bind(format!("%{name}%"))
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert!(
        narrowed >= 1 && narrowed < northwinds,
        "the pattern filters: {narrowed}"
    );
    // Admins and system work: any partner.
    scope::apply(&mut db, Scope::All).await.unwrap();
    assert_eq!(found(&mut db, contoso).await, contosos);
    // Only the request roles may call it, and it reads nothing but the clients' listed columns.
    let owner_of: String = sqlx::query_scalar(
        "select proowner::regrole::text from pg_proc where proname = 'client_search'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(owner_of, "portal_search");
    let reads_partners: bool =
        sqlx::query_scalar("select has_table_privilege('portal_search', 'partners', 'select')")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!reads_partners);
    let reads_prices: bool = sqlx::query_scalar(
        "select has_column_privilege('portal_search', 'clients', 'custom_price', 'select')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!reads_prices, "only the columns the list shows");
    let public_may_call: bool = sqlx::query_scalar(
        "select has_function_privilege('public', 'client_search(uuid, text)', 'execute')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!public_may_call);
}

#[sqlx::test]
async fn the_app_role_cannot_change_the_audit_log_or_closed_statements(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let mut db = as_app_role(&app).await;
    scope::apply(&mut db, Scope::All).await.unwrap();
    // Even with the triggers out of the way (which it may not do either)...
    for sql in [
        "alter table audit_log disable trigger all",
        "set session_replication_role = replica",
    ] {
        assert!(sqlx::query(sql).execute(&mut db).await.is_err(), "{sql}");
    }
    // ...it has no right to change what was recorded.
    for sql in [
        "update audit_log set action = 'x'",
        "delete from audit_log",
        "truncate audit_log",
        "update commission_statements set total = 0",
        "delete from commission_lines",
        "update commission_closes set statements = 0",
    ] {
        let error = sqlx::query(sql).execute(&mut db).await.unwrap_err();
        assert!(
            error.to_string().contains("permission denied"),
            "{sql}: {error}"
        );
    }
    // Writing new rows is what it is for.
    sqlx::query("insert into audit_log (action) values ('auth.sign_in')")
        .execute(&mut db)
        .await
        .unwrap();
}

#[sqlx::test]
async fn a_superuser_pool_is_refused_for_requests(_: PgPoolOptions, connect: PgConnectOptions) {
    let owner = test_pool(connect).await;
    let error = roles::refuse_privileged(&owner).await.unwrap_err();
    assert!(error.contains("bypass row-level security"), "{error}");
    let mut db = as_app_role(&TestApp::unseeded(owner).await).await;
    let role: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(role, APP_ROLE);
}

#[sqlx::test]
async fn a_members_requests_run_in_their_partners_scope(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = partner(&app, "northwind").await;
    let owner = app.sign_in(NW_OWNER).await;
    let admin = app.sign_in(ADMIN).await;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_env_filter("partner_portal::db::scope=trace")
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let page = app.get_page(Some(&owner), "/partner/clients").await;
    assert_eq!(page.status, StatusCode::OK);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let partner_scope = format!("Partner({northwind})");
    assert!(
        log.contains(&partner_scope),
        "the member's queries ran scoped:\n{log}"
    );
    captured.0.lock().unwrap().clear();

    let page = app.get_page(Some(&admin), "/admin/partners").await;
    assert_eq!(page.status, StatusCode::OK);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        !log.contains("Partner("),
        "the admin's ran unscoped:\n{log}"
    );
    assert!(log.contains("scope=All"), "{log}");
}

/// What bounds the index scan of `sql` (its `Index Cond`s) and what only filters the rows it
/// returns (its `Filter`s), from the plan on `db`, with index scans preferred.
async fn index_scan(db: &mut PgConnection, sql: &str) -> (String, String) {
    for setting in ["enable_seqscan", "enable_bitmapscan", "enable_sort"] {
        sqlx::query(&format!("set {setting} = off"))
            .execute(&mut *db)
            .await
            .unwrap();
    }
    let plan: serde_json::Value = sqlx::query_scalar(&format!("explain (format json) {sql}"))
        .fetch_one(&mut *db)
        .await
        .unwrap();
    fn gather(node: &serde_json::Value, field: &str, into: &mut String) {
        match node {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    match v.as_str() {
                        Some(text) if k == field => into.push_str(text),
                        _ => gather(v, field, into),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| gather(v, field, into)),
            _ => {}
        }
    }
    let (mut bound, mut filter) = (String::new(), String::new());
    gather(&plan, "Index Cond", &mut bound);
    gather(&plan, "Filter", &mut filter);
    (bound, filter)
}

#[sqlx::test]
async fn a_page_cursor_bounds_the_index_scan_under_the_policies(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = partner(&app, "northwind").await;
    let mut db = as_app_role(&app).await;
    scope::apply(&mut db, Scope::Partner(northwind))
        .await
        .unwrap();
    let id = "'00000000-0000-0000-0000-000000000000'::uuid";
    let clients = |key: &str, cursor: &str| {
        format!(
            "select id from clients c where c.partner_id = '{northwind}' and ({key}) > ({cursor}, {id})
             order by {key} limit 51"
        )
    };
    // The client list's three keyed sorts (src/clients/queries.rs).
    for (key, cursor) in [
        ("c.name_key, c.id", "'m'"),
        ("c.price_key, c.name_key, c.id", "9900, 'm'"),
        ("c.plan_rank, c.name_key, c.id", "2, 'm'"),
    ] {
        let (bound, _) = index_scan(&mut db, &clients(key, cursor)).await;
        assert!(
            bound.contains("name_key"),
            "{key}: the cursor only filtered, {bound}"
        );
    }
    // Why the keys are stored: `lower()` is not leakproof, so the policy's condition runs
    // first and the same cursor on the expression could only drop rows before it.
    let (bound, filter) = index_scan(&mut db, &clients("lower(c.company_name), c.id", "'m'")).await;
    assert!(!bound.contains("lower"), "{bound}");
    assert!(filter.contains("lower"), "{filter}");

    // The admin's partner list and review queue (every partner's rows, under the policy).
    scope::apply(&mut db, Scope::All).await.unwrap();
    for sql in [
        format!("select id from partners p where (p.name_key, p.id) > ('m', {id}) order by p.name_key, p.id limit 51"),
        format!("select id from partner_applications where (name_key, id) > ('m', {id}) order by name_key, id limit 51"),
        format!(
            "select id from partner_applications where status_rank = 1
               and (status_rank, submitted_at, id) > (1, now(), {id})
             order by status_rank, submitted_at, id limit 51"
        ),
    ] {
        let (bound, filter) = index_scan(&mut db, &sql).await;
        assert!(bound.contains("> ROW("), "the cursor only filtered: {sql}\n{bound}\n{filter}");
    }
}
