//! The read models (partner figures and month rows) kept by the writes always equal what the
//! events, statements and adjustments say: recomputed here in Rust from the histories, and
//! recomputed by `read_models_rebuild()`, after random sequences of every kind of change,
//! written in any order.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use partner_portal::{
    commissions::model::{Change, History},
    program::{Month, SubscriptionStatus},
};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use rust_decimal::Decimal;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use uuid::Uuid;

use crate::common::*;

const PLANS: [(&str, i64); 3] = [("starter", 99), ("professional", 299), ("enterprise", 999)];

/// One change of one client: when (seconds after the case's start), to what.
#[derive(Clone, Debug)]
struct Step {
    after_secs: i64,
    status: SubscriptionStatus,
    plan: usize,
}

#[derive(Clone, Debug)]
struct Case {
    /// Per client: its partner (0 or 1) and its steps in time order.
    clients: Vec<(usize, Vec<Step>)>,
    /// The order in which all the events are written: any order, not only time order.
    write_order: Vec<usize>,
    /// Closed statements: partner, month offset from the start, total in cents, and the
    /// adjustments to it in cents.
    statements: Vec<(usize, u32, i64, Vec<i64>)>,
}

fn status() -> impl Strategy<Value = SubscriptionStatus> {
    prop_oneof![
        3 => Just(SubscriptionStatus::Active),
        1 => Just(SubscriptionStatus::Suspended),
        1 => Just(SubscriptionStatus::Canceled),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    // Steps up to about 200 days apart, at microsecond precision: months with several
    // changes, months with none, changes at the very start of a month.
    let step = (0i64..200 * 86_400, status(), 0usize..3).prop_map(|(gap, status, plan)| Step {
        after_secs: gap,
        status,
        plan,
    });
    let client = (0usize..2, prop::collection::vec(step, 1..6)).prop_map(|(partner, mut steps)| {
        let mut at = 0;
        for s in &mut steps {
            at += s.after_secs;
            s.after_secs = at;
        }
        (partner, steps)
    });
    let statement = (
        0usize..2,
        0u32..14,
        1i64..500_000,
        prop::collection::vec(-5_000i64..5_000, 0..3),
    );
    (
        prop::collection::vec(client, 1..7),
        prop::collection::vec(statement, 0..4),
        any::<u64>(),
    )
        .prop_map(|(clients, statements, seed)| {
            let events: usize = clients.iter().map(|(_, s)| s.len()).sum();
            let mut write_order: Vec<usize> = (0..events).collect();
            // A cheap deterministic shuffle from the drawn seed.
            let mut state = seed | 1;
            for i in (1..write_order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                write_order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            Case {
                clients,
                write_order,
                statements,
            }
        })
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::microseconds(123_457)
}

/// Writes the case through the tables the portal writes (so the triggers keep the read
/// models) and returns the partners' ids and the clients' histories.
async fn write(pool: &PgPool, case: &Case) -> (Vec<Uuid>, Vec<(usize, History)>) {
    let mut partners = Vec::new();
    for _ in 0..2 {
        let id: Uuid = sqlx::query_scalar(
            "insert into partners (slug, name) values ('p-' || gen_random_uuid(), 'P') returning id",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        partners.push(id);
    }
    let mut histories = Vec::new();
    let mut events = Vec::new();
    for (n, (partner, steps)) in case.clients.iter().enumerate() {
        let client: Uuid = sqlx::query_scalar(
            "insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan)
             values ($1, 'c' || $2, 'C', 'C', 'c@x.example', 'starter') returning id",
        )
        .bind(partners[*partner])
        .bind(n.to_string())
        .fetch_one(pool)
        .await
        .unwrap();
        let changes = steps
            .iter()
            .map(|s| Change {
                at: start() + Duration::seconds(s.after_secs),
                status: s.status,
                plan: PLANS[s.plan].0.into(),
                list_price: Decimal::from(PLANS[s.plan].1),
            })
            .collect::<Vec<_>>();
        for change in &changes {
            events.push((partners[*partner], client, change.clone()));
        }
        histories.push((
            *partner,
            History {
                client_id: client,
                client_name: "C".into(),
                changes,
            },
        ));
    }
    for &i in &case.write_order {
        let (partner, client, change) = &events[i];
        sqlx::query(
            "insert into subscription_events (partner_id, client_id, occurred_at, kind, to_plan, list_price, to_status)
             values ($1, $2, $3, 'status_changed', $4, $5, $6::text::subscription_status)",
        )
        .bind(partner)
        .bind(client)
        .bind(change.at)
        .bind(&change.plan)
        .bind(change.list_price)
        .bind(change.status.slug())
        .execute(pool)
        .await
        .unwrap();
    }
    for (partner, offset, cents, adjustments) in &case.statements {
        let month = Month::containing(start()).minus(0);
        let month = (0..*offset).fold(month, |m, _| m.next());
        for record in [
            "insert into close_runs (month, partners_total, finished_at) values ($1, 2, now())
             on conflict do nothing",
            "insert into commission_closes (month, statements, total) values ($1, 0, 0)
             on conflict do nothing",
        ] {
            sqlx::query(record)
                .bind(month.first_day())
                .execute(pool)
                .await
                .unwrap();
        }
        let statement: Option<Uuid> = sqlx::query_scalar(
            "insert into commission_statements (partner_id, month, tier, rate, active_clients, line_count, total, payable_on)
             values ($1, $2, 'bronze', 0.15, 0, 0, $3, $2) on conflict do nothing returning id",
        )
        .bind(partners[*partner])
        .bind(month.first_day())
        .bind(Decimal::new(*cents, 2))
        .fetch_optional(pool)
        .await
        .unwrap();
        for adjustment in adjustments.iter().filter(|a| **a != 0) {
            if let Some(statement) = statement {
                sqlx::query(
                    "insert into commission_adjustments (partner_id, statement_id, amount, reason)
                     values ($1, $2, $3, 'proptest')",
                )
                .bind(partners[*partner])
                .bind(statement)
                .bind(Decimal::new(*adjustment, 2))
                .execute(pool)
                .await
                .unwrap();
            }
        }
    }
    (partners, histories)
}

type Snapshot = (
    BTreeMap<Uuid, (i32, i32, i32, Decimal)>,
    BTreeSet<(Uuid, String, i32)>,
    BTreeMap<(Uuid, chrono::NaiveDate), (Decimal, Decimal, i32, Decimal, Option<Decimal>)>,
);

async fn snapshot(pool: &PgPool, partners: &[Uuid]) -> Snapshot {
    let figures = sqlx::query_as::<_, (Uuid, i32, i32, i32, Decimal)>(
        "select partner_id, clients, active_clients, open_clients, mrr from partner_figures
         where partner_id = any($1)",
    )
    .bind(partners)
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(p, c, a, o, m)| (p, (c, a, o, m)))
    .collect();
    let plans = sqlx::query_as::<_, (Uuid, String, i32)>(
        "select partner_id, plan, active_clients from partner_plan_figures where partner_id = any($1)",
    )
    .bind(partners)
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let months = sqlx::query_as::<
        _,
        (
            Uuid,
            chrono::NaiveDate,
            Decimal,
            Decimal,
            i32,
            Decimal,
            Option<Decimal>,
        ),
    >(
        "select partner_id, month, mrr, mrr_start, active_clients, mrr_seconds, commission
         from partner_months where partner_id = any($1)",
    )
    .bind(partners)
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(p, m, mrr, start, a, s, c)| ((p, m), (mrr, start, a, s.normalize(), c)))
    .collect();
    (figures, plans, months)
}

/// MRR x seconds over `month` from a history (exact: microseconds).
fn mrr_seconds(h: &History, month: Month) -> Decimal {
    let (from, until) = (month.start(), month.end());
    let mut total = Decimal::ZERO;
    for (i, c) in h.changes.iter().enumerate() {
        if c.status != SubscriptionStatus::Active {
            continue;
        }
        let end = h.changes.get(i + 1).map_or(until, |n| n.at).min(until);
        let begin = c.at.max(from);
        if begin < end {
            let micros = (end - begin).num_microseconds().unwrap();
            total += c.list_price * Decimal::new(micros, 6);
        }
    }
    total
}

/// What the histories and the case's statements say, in the snapshot's shape.
fn expected(case: &Case, partners: &[Uuid], histories: &[(usize, History)]) -> Snapshot {
    let mut figures = BTreeMap::new();
    let mut plans: BTreeMap<(Uuid, String), i32> = BTreeMap::new();
    let mut month_set: BTreeSet<(usize, Month)> = BTreeSet::new();
    for (p, h) in histories {
        let last = h.changes.last().unwrap();
        let active = last.status == SubscriptionStatus::Active;
        let entry = figures
            .entry(partners[*p])
            .or_insert((0, 0, 0, Decimal::ZERO));
        entry.0 += 1;
        entry.1 += active as i32;
        entry.2 += (last.status != SubscriptionStatus::Canceled) as i32;
        if active {
            entry.3 += last.list_price;
            *plans.entry((partners[*p], last.plan.clone())).or_default() += 1;
        }
        for c in &h.changes {
            month_set.insert((*p, Month::containing(c.at)));
        }
    }
    let mut commissions: BTreeMap<(usize, Month), Decimal> = BTreeMap::new();
    let mut stated: BTreeSet<(usize, Month)> = BTreeSet::new();
    for (p, offset, cents, adjustments) in &case.statements {
        let month = (0..*offset).fold(Month::containing(start()), |m, _| m.next());
        if !stated.insert((*p, month)) {
            continue; // one statement per partner and month: the second was refused
        }
        month_set.insert((*p, month));
        let amount = Decimal::new(*cents, 2)
            + adjustments
                .iter()
                .map(|a| Decimal::new(*a, 2))
                .sum::<Decimal>();
        commissions.insert((*p, month), amount);
    }
    let months = month_set
        .into_iter()
        .map(|(p, month)| {
            let of_partner = histories.iter().filter(|(q, _)| *q == p).map(|(_, h)| h);
            let close = month.close_instant();
            let mrr = of_partner.clone().map(|h| h.mrr_at(close)).sum();
            let before = month.previous().close_instant();
            let mrr_start = of_partner.clone().map(|h| h.mrr_at(before)).sum();
            let active = of_partner.clone().filter(|h| h.is_active_at(close)).count() as i32;
            let seconds: Decimal = of_partner.map(|h| mrr_seconds(h, month)).sum();
            (
                (partners[p], month.first_day()),
                (
                    mrr,
                    mrr_start,
                    active,
                    seconds.normalize(),
                    commissions.get(&(p, month)).copied(),
                ),
            )
        })
        .collect();
    let plans = plans
        .into_iter()
        .map(|((p, plan), n)| (p, plan, n))
        .collect();
    (figures, plans, months)
}

#[sqlx::test]
async fn kept_figures_equal_the_recomputation_from_events_in_any_write_order(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let strategy = case();
    for _ in 0..40 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let (partners, histories) = write(&pool, &case).await;
        let kept = snapshot(&pool, &partners).await;
        assert_eq!(
            kept,
            expected(&case, &partners, &histories),
            "kept read models differ from the histories for {case:#?}"
        );
        sqlx::query("select read_models_rebuild()")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            snapshot(&pool, &partners).await,
            kept,
            "the rebuild differs from the kept read models for {case:#?}"
        );
    }
}

/// Through the portal's own server functions: create, change plan and price, suspend,
/// cancel and reactivate, then a close; after each, the dashboard's figures equal the
/// events'.
#[sqlx::test]
async fn every_change_through_the_portal_keeps_the_dashboard_equal_to_the_events(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let check = |step: &'static str| {
        let app = &app;
        let owner = owner.clone();
        async move {
            let reply = app.call(Some(&owner), "partner/dashboard", &[]).await;
            assert_eq!(reply.status, 200, "{step}: {}", reply.body);
            let d: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
            let (mrr, active, open): (Decimal, i64, i64) = sqlx::query_as(
                "select coalesce(sum(list_price) filter (where to_status = 'active'), 0),
                        count(*) filter (where to_status = 'active'),
                        count(*) filter (where to_status <> 'canceled')
                 from (select distinct on (e.client_id) e.list_price, e.to_status
                       from subscription_events e join partners p on p.id = e.partner_id
                       where p.slug = 'northwind' order by e.client_id, e.occurred_at desc, e.seq desc) latest",
            )
            .fetch_one(&app.pool)
            .await
            .unwrap();
            assert_eq!(
                d["money"]["mrr"].as_str().unwrap(),
                mrr.to_string(),
                "{step}"
            );
            assert_eq!(d["overview"]["active_clients"], active, "{step}");
            assert_eq!(d["overview"]["open_clients"], open, "{step}");
            let plan_total: i64 = d["clients_by_plan"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p[1].as_i64().unwrap())
                .sum();
            assert_eq!(
                plan_total, active,
                "{step}: the donut counts every active client"
            );
            let last = d["money"]["mrr_by_month"]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .clone();
            assert_eq!(
                last[1].as_str().unwrap(),
                mrr.to_string(),
                "{step}: this month's point"
            );
        }
    };
    check("the demo data").await;
    let form = [
        ("input[company_name]", "Read Model Co"),
        ("input[contact_name]", "Rita Model"),
        ("input[contact_email]", "rita@readmodel.example"),
        ("input[contact_phone]", ""),
        ("input[plan]", "professional"),
        ("input[custom_price]", ""),
        ("input[billing_owned_by_reseller]", "on"),
        ("input[region]", "EMEA"),
    ];
    let created = app
        .call(Some(&owner), "partner/clients/create", &form)
        .await;
    assert!(
        created.status.is_success() || created.status.is_redirection(),
        "{}",
        created.body
    );
    check("a new client").await;
    let id = app.client_id("read-model-co").await.to_string();
    let mut edit: Vec<(&str, &str)> = form.to_vec();
    edit.retain(|(k, _)| *k != "input[plan]" && *k != "input[custom_price]");
    edit.push(("client_id", &id));
    edit.push(("input[plan]", "enterprise"));
    edit.push(("input[custom_price]", "850.00"));
    let edited = app
        .call(Some(&owner), "partner/clients/update", &edit)
        .await;
    assert!(
        edited.status.is_success() || edited.status.is_redirection(),
        "{}",
        edited.body
    );
    check("a plan and price change").await;
    for status in ["suspended", "active", "canceled", "active"] {
        let reply = app
            .call(
                Some(&owner),
                "partner/clients/status",
                &[
                    ("input[client_id]", &id),
                    ("input[status]", status),
                    ("input[confirm]", "yes"),
                ],
            )
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{status}: {}",
            reply.body
        );
        check(status).await;
    }
    let kept = snapshot_all(&app.pool).await;
    let mut conn = app.pool.acquire().await.unwrap();
    partner_portal::partners::read_models::rebuild(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        snapshot_all(&app.pool).await,
        kept,
        "the rebuild agrees after the portal's writes"
    );
}

async fn snapshot_all(pool: &PgPool) -> Snapshot {
    let partners: Vec<Uuid> = sqlx::query_scalar("select id from partners")
        .fetch_all(pool)
        .await
        .unwrap();
    snapshot(pool, &partners).await
}
