//! Benchmark: the audit log viewers at 1,000,000 audit rows (5,000 partners; the largest,
//! Northwind, holds 50,000), their CSV exports, and the admin's partner list at 5,000
//! partners.
//!
//! Run: `cargo bench --features ssr --bench governance` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Loading takes about two minutes (every row goes through the hash
//! chain's trigger). Prints medians and 95th percentiles; asserts nothing about time.

use std::time::Instant;

use axum::{body::Body, extract::ConnectInfo, http::Request};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use partner_portal::{
    audit::{Action, Audience},
    audit_viewer::{
        model::AuditQuery,
        queries::{self, Filter, Reader},
    },
    program::Position,
};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

mod support;
use support::summary;

const PARTNERS: i64 = 5_000;
const ROWS: i64 = 1_000_000;
const NORTHWIND_ROWS: i64 = 50_000;
const ROUNDS: usize = 30;
const LOAD_BATCH: i64 = 50_000;
const DB: &str = "portal_bench_governance";

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

async fn id(pool: &PgPool, sql: &str) -> Uuid {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// 5,000 partners, and a million audit rows spread over two years: Northwind's 50,000 are
/// its members' work (a tenth done by its support member acting as Fabrikam's owner), the
/// rest belong to the other partners or to no partner (sign-ins, reviews).
async fn load(pool: &PgPool) {
    let started = Instant::now();
    sqlx::query(
        "insert into partners (slug, name, tier, status, created_at)
         select 'bench-' || n, 'Bench Partner ' || n,
                (array['bronze', 'silver', 'gold', 'platinum'])[1 + n % 4]::partner_tier,
                (array['active', 'active', 'active', 'frozen', 'suspended'])[1 + n % 5]::partner_status,
                now() - make_interval(days => (n % 700)::int)
         from generate_series(1, $1) n",
    )
    .bind(PARTNERS - 4)
    .execute(pool)
    .await
    .unwrap();
    let names: Vec<String> = Action::ALL.iter().map(|a| a.as_str().to_string()).collect();
    // In batches, each its own transaction: the hash chain's trigger updates each chain's
    // head row once per row, and old versions of a head can only be pruned between
    // transactions (one statement for a million rows ran past the 10-minute limit).
    for start in (1..=ROWS).step_by(LOAD_BATCH as usize) {
        sqlx::query(
        "insert into audit_log (occurred_at, partner_id, action, actor_user_id, real_user_id,
                                target_type, target_id, detail)
         select now() - make_interval(secs => (n * 63)::float8),
                p.id,
                $3[1 + (n * 7) % array_length($3, 1)],
                case when n % 3 = 0 then null else m.user_id end,
                case when n % 200 = 0 then s.user_id end,
                'client', c.id, jsonb_build_object('n', n)
         from generate_series($5::int8, least($5::int8 + $6::int8 - 1, $1::int8)) n
         cross join lateral (
             select case when n % ($1 / $2) = 0 then (select id from partners where slug = 'northwind')
                         else (select id from partners where slug = 'bench-' || (1 + n % ($4 - 4))) end as id
         ) p
         left join lateral (select user_id from partner_members where partner_id = p.id
                            order by created_at limit 1) m on true
         left join lateral (select u.id as user_id from users u
                            where u.email = 'support@northwind.demo.test' and p.id = (select id from partners where slug = 'northwind')) s on true
         left join lateral (select id from clients where partner_id = p.id limit 1) c on true",
    )
    .bind(ROWS)
    .bind(NORTHWIND_ROWS)
    .bind(&names)
    .bind(PARTNERS)
    .bind(start)
    .bind(LOAD_BATCH)
    .execute(pool)
    .await
    .unwrap();
    }
    sqlx::query("vacuum analyze audit_log")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("vacuum analyze partners")
        .execute(pool)
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(pool)
        .await
        .unwrap();
    println!(
        "loaded {PARTNERS} partners and {n} audit rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

async fn time_views(pool: &PgPool, title: &str, reader: &Reader, views: Vec<(&str, AuditQuery)>) {
    println!("\n{title} (the page and its bounded count), {ROUNDS} rounds each:");
    for (name, query) in views {
        let person = match &query.person {
            Some(email) => queries::person_id(pool, email).await.unwrap(),
            None => None,
        };
        let filter = Filter {
            reader,
            query: &query,
            person,
        };
        let (rows, _, total) = queries::page(pool, &filter).await.unwrap();
        let mut samples = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            queries::page(pool, &filter).await.unwrap();
            samples.push(t.elapsed());
        }
        println!(
            "  {name:<40} {} rows={} total={total:?}",
            summary(samples),
            rows.len()
        );
    }
}

async fn export(app: &axum::Router, cookie: &str, path: &str) {
    let before = rss_kib();
    let mut peak = before;
    let mut request = Request::get(path)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(support::peer()));
    let t = Instant::now();
    let mut body = app.clone().oneshot(request).await.unwrap().into_body();
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.unwrap().into_data() {
            bytes += data.len();
            lines += data.iter().filter(|b| **b == b'\n').count();
            peak = peak.max(rss_kib());
        }
    }
    println!(
        "  {path}: {lines} lines, {:.1} MB in {:.2} s; RSS {:.1} MB before, peak {:.1} MB (+{:.1} MB)",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        before as f64 / 1024.0,
        peak as f64 / 1024.0,
        (peak.saturating_sub(before)) as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let (admin, pool) = support::scratch_database(DB).await;
    load(&pool).await;
    let northwind = id(&pool, "select id from partners where slug = 'northwind'").await;
    let deep = |sql: &str| {
        let pool = pool.clone();
        let sql = sql.to_string();
        async move {
            let key: Vec<String> = sqlx::query_scalar(&sql)
                .bind(northwind)
                .fetch_one(&pool)
                .await
                .unwrap();
            Position::After(partner_portal::db::keyset::encode(&key))
        }
    };
    let partner_deep = deep(
        "select array[occurred_at::text, id::text] from audit_log where partner_id = $1
         order by occurred_at desc, id desc offset 25000 limit 1",
    )
    .await;
    let program_deep = deep(
        "select array[occurred_at::text, id::text] from audit_log where $1 is not null
         order by occurred_at desc, id desc offset 500000 limit 1",
    )
    .await;
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
        .date_naive()
        .to_string();
    let partner_reader = Reader::Partner {
        id: northwind,
        actions: Action::names_for(&[Audience::Team, Audience::Money, Audience::Branding]),
    };
    let q = AuditQuery::default;
    time_views(
        &pool,
        "Northwind's log (50,000 of the 1,000,000 rows)",
        &partner_reader,
        vec![
            ("first page", q()),
            (
                "after row 25,000",
                AuditQuery {
                    position: partner_deep,
                    ..q()
                },
            ),
            (
                "last page",
                AuditQuery {
                    position: Position::Last,
                    ..q()
                },
            ),
            (
                "person = owner",
                AuditQuery {
                    person: Some("owner@northwind.demo.test".into()),
                    ..q()
                },
            ),
            (
                "person = support (acting as a client)",
                AuditQuery {
                    person: Some("support@northwind.demo.test".into()),
                    ..q()
                },
            ),
            (
                "action = payout.paid",
                AuditQuery {
                    action: Some("payout.paid".into()),
                    ..q()
                },
            ),
            (
                "one day (yesterday)",
                AuditQuery {
                    from: day(&yesterday),
                    to: day(&yesterday),
                    ..q()
                },
            ),
        ],
    )
    .await;
    let fabrikam = id(&pool, "select id from clients where slug = 'fabrikam'").await;
    time_views(
        &pool,
        "the program's log (1,000,000 rows)",
        &Reader::Program,
        vec![
            ("first page", q()),
            (
                "after row 500,000",
                AuditQuery {
                    position: program_deep,
                    ..q()
                },
            ),
            (
                "last page",
                AuditQuery {
                    position: Position::Last,
                    ..q()
                },
            ),
            (
                "action = auth.sign_in",
                AuditQuery {
                    action: Some("auth.sign_in".into()),
                    ..q()
                },
            ),
            (
                "person = Northwind's owner",
                AuditQuery {
                    person: Some("owner@northwind.demo.test".into()),
                    ..q()
                },
            ),
            (
                "one partner (Northwind)",
                AuditQuery {
                    partner: Some(northwind),
                    ..q()
                },
            ),
            (
                "target = one client",
                AuditQuery {
                    target: Some(fabrikam),
                    ..q()
                },
            ),
            (
                "target kind = partner (none)",
                AuditQuery {
                    target_kind: Some("partner".into()),
                    ..q()
                },
            ),
            (
                "one day (yesterday)",
                AuditQuery {
                    from: day(&yesterday),
                    to: day(&yesterday),
                    ..q()
                },
            ),
        ],
    )
    .await;

    // Through the real router: the server function (guard, page, JSON), then the exports.
    let app = support::app(&pool);
    let owner = support::sign_in(&app, &pool, "owner@northwind.demo.test").await;
    let admin_cookie = support::sign_in(&app, &pool, "admin@demo.test").await;
    for (who, cookie, endpoint) in [
        ("Northwind's owner", &owner, "/api/partner/audit"),
        ("an admin", &admin_cookie, "/api/admin/audit"),
    ] {
        let mut samples = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let mut request = Request::post(endpoint)
                .header("cookie", cookie.as_str())
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(Body::from("query[position]=first"))
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(support::peer()));
            let t = Instant::now();
            let response = app.clone().oneshot(request).await.unwrap();
            assert!(response.status().is_success());
            response.into_body().collect().await.unwrap();
            samples.push(t.elapsed());
        }
        println!(
            "\n{endpoint} first page as {who}, through the router: {}",
            summary(samples)
        );
    }
    println!("\nCSV exports, streamed through the router:");
    export(&app, &owner, "/partner/audit/export.csv").await;
    export(&app, &admin_cookie, "/admin/audit/export.csv").await;

    // The admin's partner list at 5,000 partners.
    println!("\nadmin partner list at {PARTNERS} partners, {ROUNDS} rounds each:");
    use partner_portal::admin::partner_list::{PartnerQuery, PartnerSort};
    let views = [
        ("by name, first page", PartnerQuery::default()),
        (
            "by name, last page",
            PartnerQuery {
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "by MRR, first page",
            PartnerQuery {
                sort: PartnerSort::Mrr,
                ..Default::default()
            },
        ),
        (
            "by active clients, last page",
            PartnerQuery {
                sort: PartnerSort::Clients,
                position: Position::Last,
                ..Default::default()
            },
        ),
        (
            "search \"partner 4\"",
            PartnerQuery {
                search: Some("partner 4".into()),
                ..Default::default()
            },
        ),
        (
            "frozen gold partners",
            PartnerQuery {
                tier: Some(partner_portal::program::Tier::Gold),
                status: Some(partner_portal::auth::model::PartnerStatus::Frozen),
                ..Default::default()
            },
        ),
    ];
    for (name, query) in views {
        let mut samples = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let t = Instant::now();
            partner_portal::admin::queries::list_partners(&pool, &query)
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
        println!("  {name:<40} {}", summary(samples));
    }

    support::drop_database(&admin, pool, DB).await;
}
