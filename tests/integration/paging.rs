//! Lists page by cursor: walking a list page by page, forwards or backwards, returns every
//! row that was there exactly once, even while rows are inserted between pages, on every
//! sort and direction; the page links are in the server-rendered HTML.

use std::collections::HashSet;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

/// Northwind gets `n` more clients named so that they fall all over the list, with varied
/// plans, prices and creation times.
async fn add_clients(app: &TestApp, tag: &str, n: i32) {
    sqlx::query(
        "insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan,
                              custom_price, created_at)
         select p.id, $1 || '-' || k, chr(65 + (k * 7) % 26) || ' ' || $1 || ' ' || k, 'C',
                'c' || k || '@x.example', (array['starter', 'professional', 'enterprise'])[1 + k % 3],
                case when k % 4 = 0 then 50 + k end, now() - k * interval '1 hour'
         from partners p, generate_series(1, $2) k where p.slug = 'northwind'",
    )
    .bind(tag)
    .bind(n)
    .execute(&app.pool)
    .await
    .unwrap();
    // Each with its first event, as the portal writes it (the figures count from events).
    sqlx::query(
        "insert into subscription_events (partner_id, client_id, kind, to_plan, list_price, to_status)
         select c.partner_id, c.id, 'created', c.plan, pl.monthly_price, 'active'
         from clients c join plans pl on pl.code = c.plan where c.slug like $1 || '-%'",
    )
    .bind(tag)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn northwind_ids(app: &TestApp) -> HashSet<Uuid> {
    sqlx::query_scalar(
        "select c.id from clients c join partners p on p.id = c.partner_id where p.slug = 'northwind'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

#[sqlx::test]
async fn walking_the_client_list_sees_every_row_once_while_rows_arrive(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    add_clients(&app, "base", 70).await;
    let owner = app.sign_in(NW_OWNER).await;
    let mut batch = 0;
    for sort in ["Company", "Created", "Plan", "Price"] {
        for (descending, backwards) in [("false", false), ("true", false), ("false", true)] {
            let before = northwind_ids(&app).await;
            let mut seen: Vec<Uuid> = Vec::new();
            let mut position = if backwards { "last" } else { "first" }.to_string();
            let mut pages = 0;
            loop {
                let form = [
                    ("query[sort]", sort),
                    ("query[descending]", descending),
                    ("query[position]", position.as_str()),
                ];
                let reply = app.call(Some(&owner), "partner/clients", &form).await;
                assert_eq!(reply.status, 200, "{}", reply.body);
                let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
                let rows = page["rows"].as_array().unwrap();
                assert!(rows.len() <= 25);
                seen.extend(
                    rows.iter()
                        .map(|r| r["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
                );
                pages += 1;
                // Rows arrive between pages, anywhere in the order.
                batch += 1;
                add_clients(&app, &format!("new{batch}"), 3).await;
                let link = if backwards { "previous" } else { "next" };
                match page["links"][link].as_str() {
                    Some(next) => position = next.to_string(),
                    None => break,
                }
                assert!(pages < 50, "the walk ends");
            }
            let unique: HashSet<Uuid> = seen.iter().copied().collect();
            assert_eq!(
                unique.len(),
                seen.len(),
                "{sort} {descending} {backwards}: no row twice"
            );
            assert!(
                before.is_subset(&unique),
                "{sort} {descending} backwards={backwards}: every row there at the start is seen ({} missing)",
                before.difference(&unique).count()
            );
            assert!(pages >= 4, "{sort}: {pages} pages");
        }
    }
}

#[sqlx::test]
async fn the_pages_link_by_cursor_in_the_html_and_a_broken_cursor_is_the_first_page(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    add_clients(&app, "base", 40).await;
    let owner = app.sign_in(NW_OWNER).await;
    let first = app.get_page(Some(&owner), "/partner/clients").await;
    assert_eq!(first.status, 200);
    let next = first
        .body
        .split("rel=\"next\"")
        .next()
        .and_then(|head| head.rsplit("href=\"").next())
        .and_then(|tail| tail.split('"').next())
        .expect("a Next link")
        .replace("&amp;", "&");
    assert!(next.starts_with("/partner/clients?after="), "{next}");
    assert!(
        first.body.contains("70 clients"),
        "the exact count from the figures"
    );
    let second = app.get_page(Some(&owner), &next).await;
    assert_eq!(second.status, 200);
    assert!(second.body.contains("rel=\"prev\""));
    assert!(second.body.contains("« First"));
    let broken = app
        .get_page(Some(&owner), "/partner/clients?after=not-a-cursor")
        .await;
    assert_eq!(broken.status, 200);
    assert!(
        !broken.body.contains("rel=\"prev\""),
        "a broken cursor reads as the first page"
    );
}

#[sqlx::test]
async fn walking_the_partner_list_sees_every_partner_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    sqlx::query(
        "insert into partners (slug, name) select 'bulk-' || k, 'Bulk ' || (k * 37) % 120 from generate_series(1, 120) k",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let all: HashSet<Uuid> = sqlx::query_scalar("select id from partners")
        .fetch_all(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let admin = app.sign_in(ADMIN).await;
    let mut seen = Vec::new();
    let mut form: Vec<(&str, String)> = vec![];
    loop {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = app.call(Some(&admin), "admin/partners", &pairs).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(page["total"]["Exact"], all.len());
        for row in page["rows"].as_array().unwrap() {
            seen.push(row["id"].as_str().unwrap().parse::<Uuid>().unwrap());
        }
        match page["links"]["next"].as_str() {
            Some(next) => form = vec![("query[position]", next.to_string())],
            None => break,
        }
    }
    assert_eq!(seen.len(), all.len());
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), all);
    let html = app.get_page(Some(&admin), "/admin/partners?at=last").await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("rel=\"prev\"") && !html.body.contains("rel=\"next\""));
}

#[sqlx::test]
async fn walking_the_payouts_sees_each_once_unpaid_soonest_first_then_paid_latest_first(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    sqlx::query(
        "insert into payouts (partner_id, amount, due_on, paid_at, method, reference)
         select p.id, 500 + k, current_date - 400 + (k * 13) % 500,
                case when k % 3 = 0 then now() end, case when k % 3 = 0 then 'ach'::payout_method end,
                case when k % 3 = 0 then 'R' || k end
         from partners p cross join generate_series(1, 40) k where p.slug in ('northwind', 'contoso')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let total: i64 = sqlx::query_scalar("select count(*) from payouts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let admin = app.sign_in(ADMIN).await;
    let mut seen: Vec<(Uuid, bool, String)> = Vec::new();
    let mut form: Vec<(&str, String)> = vec![];
    loop {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = app.call(Some(&admin), "admin/payouts", &pairs).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        for row in page["rows"].as_array().unwrap() {
            seen.push((
                row["id"].as_str().unwrap().parse().unwrap(),
                row["paid_at"].is_null(),
                row["due_on"].as_str().unwrap().to_string(),
            ));
        }
        match page["links"]["next"].as_str() {
            Some(next) => form = vec![("position", next.to_string())],
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
    assert_eq!(
        seen.iter().map(|s| s.0).collect::<HashSet<_>>().len() as i64,
        total
    );
    let unpaid: Vec<&String> = seen.iter().filter(|s| s.1).map(|s| &s.2).collect();
    let paid: Vec<&String> = seen.iter().filter(|s| !s.1).map(|s| &s.2).collect();
    assert!(seen.iter().take(unpaid.len()).all(|s| s.1), "unpaid first");
    assert!(unpaid.windows(2).all(|w| w[0] <= w[1]), "soonest due first");
    assert!(
        paid.windows(2).all(|w| w[0] >= w[1]),
        "then latest paid first"
    );
}
