//! The monthly close, payouts and the dashboards' money, in the database and over HTTP:
//! tier thresholds, pinned tiers, NET-30, carry-forward, paying once (also when two requests
//! race), idempotent closes, and who may see money.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use partner_portal::{
    commissions::{close::close_month, model::CloseOutcome},
    program::Month,
};
use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::TestRunner,
};
use rust_decimal::Decimal;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use uuid::Uuid;

use crate::common::*;

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A moment well after `m` ended, when an admin would close it.
fn after(m: Month) -> DateTime<Utc> {
    m.end() + Duration::days(1)
}

async fn partner(pool: &PgPool, slug: &str, tier: &str, pinned: bool) -> Uuid {
    sqlx::query_scalar(
        "insert into partners (slug, name, tier, tier_pinned) values ($1, $1, $2::partner_tier, $3) returning id",
    )
    .bind(slug)
    .bind(tier)
    .bind(pinned)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A client whose subscription went through `steps` (moment, status), on `plan`.
async fn client(
    pool: &PgPool,
    partner: Uuid,
    n: usize,
    plan: &str,
    steps: &[(DateTime<Utc>, &str)],
) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan, status)
         values ($1, 'c-' || $2, 'Client ' || $2, 'C', 'c' || $2 || '@x.example', $3, $4::subscription_status)
         returning id",
    )
    .bind(partner)
    .bind(n.to_string())
    .bind(plan)
    .bind(steps.last().unwrap().1)
    .fetch_one(pool)
    .await
    .unwrap();
    for (i, (at, status)) in steps.iter().enumerate() {
        sqlx::query(
            "insert into subscription_events (partner_id, client_id, occurred_at, kind, to_plan, list_price, to_status)
             select $1, $2, $3, $4, p.code, p.monthly_price, $5::subscription_status from plans p where p.code = $6",
        )
        .bind(partner)
        .bind(id)
        .bind(at)
        .bind(if i == 0 { "created" } else { "status_changed" })
        .bind(status)
        .bind(plan)
        .execute(pool)
        .await
        .unwrap();
    }
    id
}

/// `count` clients on `plan`, active since well before `m`.
async fn active_clients(
    pool: &PgPool,
    partner: Uuid,
    from: usize,
    count: usize,
    plan: &str,
    m: Month,
) {
    for n in from..from + count {
        client(
            pool,
            partner,
            n,
            plan,
            &[(m.start() - Duration::days(40), "active")],
        )
        .await;
    }
}

async fn close(pool: &PgPool, m: Month) -> CloseOutcome {
    let mut tx = pool.begin().await.unwrap();
    let outcome = close_month(&mut tx, m, None, after(m)).await.unwrap();
    tx.commit().await.unwrap();
    outcome
}

async fn tier_of(pool: &PgPool, partner: Uuid) -> String {
    sqlx::query_scalar("select tier::text from partners where id = $1")
        .bind(partner)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn tiers_are_recomputed_at_the_thresholds_and_pinned_tiers_stay(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let m = month("2026-03");
    let cases = [
        (9, "silver", "bronze"),
        (10, "bronze", "silver"),
        (24, "gold", "silver"),
        (25, "silver", "gold"),
        (49, "platinum", "gold"),
        (50, "gold", "platinum"),
    ];
    let mut partners = Vec::new();
    let mut next_client = 0;
    for (clients, before, _) in cases {
        let p = partner(&pool, &format!("p{clients}"), before, false).await;
        active_clients(&pool, p, next_client, clients, "starter", m).await;
        next_client += clients;
        partners.push(p);
    }
    // A pinned Platinum partner with 3 clients keeps Platinum and its 30% rate.
    let pinned = partner(&pool, "pinned", "platinum", true).await;
    active_clients(&pool, pinned, next_client, 3, "starter", m).await;
    // A canceled client does not count.
    client(
        &pool,
        partners[0],
        999,
        "starter",
        &[
            (m.start() - Duration::days(40), "active"),
            (m.start() + Duration::days(3), "canceled"),
        ],
    )
    .await;
    sqlx::query("insert into users (email, display_name) values ('owner@p10.example', 'Owner')")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("insert into partner_members (partner_id, user_id, role) select $1, id, 'owner' from users where email = 'owner@p10.example'")
        .bind(partners[1])
        .execute(&pool)
        .await
        .unwrap();

    let CloseOutcome::Closed {
        tier_changes,
        statements,
        ..
    } = close(&pool, m).await
    else {
        panic!("the month closes")
    };
    assert_eq!(statements, 7);
    assert_eq!(tier_changes, 6, "every unpinned partner moved");
    for ((clients, _, after), p) in cases.iter().zip(&partners) {
        assert_eq!(&tier_of(&pool, *p).await, after, "{clients} active clients");
    }
    assert_eq!(tier_of(&pool, pinned).await, "platinum");
    let pinned_rate: String = sqlx::query_scalar(
        "select distinct rate::text from commission_lines where partner_id = $1",
    )
    .bind(pinned)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(pinned_rate, "0.3000");
    // The statement uses the tier at the close: 10 starter clients at Silver's 20%.
    let silver_total: String =
        sqlx::query_scalar("select total::text from commission_statements where partner_id = $1")
            .bind(partners[1])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(silver_total, "198.00", "10 x 99.00 x 20%");
    // Tier changes are audited and e-mailed to the owners.
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'partner.tier_changed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 6);
    let mail: String = sqlx::query_scalar(
        "select subject from email_outbox where to_address = 'owner@p10.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(mail, "Your partner tier is now Silver");
}

#[sqlx::test]
async fn statements_are_payable_net_30_and_small_balances_are_carried_forward(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let jan = month("2027-01");
    let p = partner(&pool, "small", "bronze", false).await;
    // 3 enterprise clients at 15%: 3 x 149.85 = 449.55 a month, below 500.00.
    active_clients(&pool, p, 0, 3, "enterprise", jan).await;
    close(&pool, jan).await;
    let (payable, payout): (NaiveDate, Option<Uuid>) = sqlx::query_as(
        "select payable_on, payout_id from commission_statements where partner_id = $1",
    )
    .bind(p)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(payable, day("2027-03-02"), "31 January + 30 days");
    assert_eq!(payout, None, "449.55 is carried forward");
    let payouts: i64 = sqlx::query_scalar("select count(*) from payouts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(payouts, 0);

    // February adds another 449.55: the balance passes 500.00 and both are paid together.
    let feb = month("2027-02");
    close(&pool, feb).await;
    let (amount, due_on): (Decimal, NaiveDate) =
        sqlx::query_as("select amount, due_on from payouts where partner_id = $1")
            .bind(p)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(amount, Decimal::new(89910, 2));
    assert_eq!(due_on, day("2027-03-30"), "28 February + 30 days");
    let unassigned: i64 =
        sqlx::query_scalar("select count(*) from commission_statements where payout_id is null")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unassigned, 0, "both statements belong to the payout");
}

#[sqlx::test]
async fn closing_twice_changes_nothing_and_closed_rows_cannot_be_edited(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let last = Month::containing(Utc::now()).previous();
    let before_first = snapshot(&app.pool).await;
    let first = close(&app.pool, last).await;
    assert!(matches!(first, CloseOutcome::Closed { .. }), "{first:?}");
    let after_first = snapshot(&app.pool).await;
    assert_ne!(before_first, after_first);
    let second = close(&app.pool, last).await;
    assert!(
        matches!(second, CloseOutcome::AlreadyClosed { .. }),
        "{second:?}"
    );
    assert_eq!(snapshot(&app.pool).await, after_first);

    for sql in [
        "update commission_lines set amount = amount + 1",
        "delete from commission_lines",
        "update commission_statements set total = total + 1",
        "delete from commission_closes",
        "update payouts set amount = amount + 1 where paid_at is not null",
    ] {
        let error = sqlx::query(sql).execute(&app.pool).await.unwrap_err();
        assert!(
            error.to_string().contains("immutable") || error.to_string().contains("paid once"),
            "{sql}: {error}"
        );
    }
    // Months close in order, and only once they have ended.
    let mut tx = app.pool.begin().await.unwrap();
    let early = close_month(&mut tx, last.minus(5), None, Utc::now()).await;
    assert!(
        matches!(early, Ok(CloseOutcome::AlreadyClosed { .. })),
        "demo months are closed"
    );
    let future = close_month(&mut tx, last.next(), None, Utc::now())
        .await
        .unwrap_err();
    assert!(future
        .fields()
        .unwrap()
        .message("month")
        .unwrap()
        .contains("has not ended"));
}

/// Everything a close writes, as text, in a stable order.
async fn snapshot(pool: &PgPool) -> Vec<String> {
    let mut rows = Vec::new();
    for sql in [
        "select month::text || statements || total::text from commission_closes order by month",
        "select partner_id::text || month::text || tier::text || total::text || coalesce(payout_id::text, '-') from commission_statements order by partner_id, month",
        "select statement_id::text || position || client_id::text || amount::text from commission_lines order by statement_id, position",
        "select partner_id::text || amount::text || due_on::text || (paid_at is null)::text from payouts order by partner_id, due_on",
        "select id::text || tier::text from partners order by id",
        "select count(*)::text from audit_log where action not like 'auth.%'",
        "select count(*)::text from email_outbox",
    ] {
        let part: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
        rows.extend(part);
    }
    rows
}

#[sqlx::test]
async fn closing_random_histories_matches_the_pure_computation_and_is_idempotent(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use partner_portal::{
        commissions::model::{Change, History},
        program::SubscriptionStatus,
        program::Tier,
    };
    let pool = test_pool(connect).await;
    let mut runner = TestRunner::deterministic();
    let statuses = proptest::sample::select(vec!["active", "suspended", "canceled"]);
    let plans = proptest::sample::select(vec!["starter", "professional", "enterprise"]);
    let strategy = proptest::collection::vec(
        (
            plans,
            proptest::collection::vec((0..(50 * 24i64), statuses), 1..6),
        ),
        1..8,
    );
    let mut m = month("2025-01");
    for case in 0..6 {
        let clients = strategy.new_tree(&mut runner).unwrap().current();
        let p = partner(&pool, &format!("random-{case}"), "silver", true).await;
        let mut expected = Decimal::ZERO;
        for (n, (plan, mut steps)) in clients.into_iter().enumerate() {
            steps.sort_by_key(|(h, _)| *h);
            steps.dedup_by_key(|(h, _)| *h);
            let moments: Vec<(DateTime<Utc>, &str)> = steps
                .iter()
                .map(|(h, s)| (m.start() - Duration::days(10) + Duration::hours(*h), *s))
                .collect();
            client(&pool, p, case * 100 + n, plan, &moments).await;
            let price: Decimal =
                sqlx::query_scalar("select monthly_price from plans where code = $1")
                    .bind(plan)
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            let history = History {
                client_id: Uuid::nil(),
                client_name: String::new(),
                changes: moments
                    .iter()
                    .map(|(at, s)| Change {
                        at: *at,
                        status: SubscriptionStatus::from_slug(s).unwrap(),
                        plan: plan.to_string(),
                        list_price: price,
                    })
                    .collect(),
            };
            if let Some(line) =
                history.line(m, m.end(), Tier::Silver, Tier::Silver.commission_rate())
            {
                expected += line.amount;
            }
        }
        close(&pool, m).await;
        let (total, sum): (Option<Decimal>, Option<Decimal>) = sqlx::query_as(
            "select s.total, (select sum(amount) from commission_lines l where l.statement_id = s.id)
             from partners p left join commission_statements s on s.partner_id = p.id and s.month = $2
             where p.id = $1",
        )
        .bind(p)
        .bind(m.first_day())
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(total.unwrap_or_default(), expected, "case {case}");
        assert_eq!(total, sum, "the total is the sum of the lines");
        let before = snapshot(&pool).await;
        assert!(matches!(
            close(&pool, m).await,
            CloseOutcome::AlreadyClosed { .. }
        ));
        assert_eq!(
            snapshot(&pool).await,
            before,
            "case {case}: closing twice changes nothing"
        );
        m = m.next();
    }
}

async fn due_payout(pool: &PgPool) -> Uuid {
    sqlx::query_scalar(
        "select p.id from payouts p join partners pa on pa.id = p.partner_id
         where pa.slug = 'northwind' and p.paid_at is null and p.due_on <= current_date order by p.due_on limit 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_payout_is_paid_once_even_by_two_concurrent_requests(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let payout = due_payout(&app.pool).await.to_string();
    let form = [
        ("input[payout_id]", payout.as_str()),
        ("input[method]", "wire"),
        ("input[reference]", "WIRE-77"),
    ];
    let (a, b) = tokio::join!(
        app.call(Some(&admin), "admin/payouts/pay", &form),
        app.call(Some(&admin), "admin/payouts/pay", &form),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    let conflict = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(conflict.body.contains("already paid"), "{}", conflict.body);
    assert_eq!(app.audit_count("payout.paid").await, 1);
    let (method, reference): (String, String) =
        sqlx::query_as("select method::text, reference from payouts where id = $1::uuid")
            .bind(&payout)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((method.as_str(), reference.as_str()), ("wire", "WIRE-77"));

    // A third attempt, later, is refused the same way and changes nothing.
    let again = app
        .call(
            Some(&admin),
            "admin/payouts/pay",
            &[
                ("input[payout_id]", payout.as_str()),
                ("input[method]", "ach"),
                ("input[reference]", "X"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // Bad input is refused with field messages.
    let other = due_payout(&app.pool).await.to_string();
    let bad = app
        .call(
            Some(&admin),
            "admin/payouts/pay",
            &[
                ("input[payout_id]", other.as_str()),
                ("input[method]", "cash"),
                ("input[reference]", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Choose ACH"), "{}", bad.body);
    assert!(bad.body.contains("payment reference"), "{}", bad.body);
    let paid: i64 = sqlx::query_scalar(
        "select count(*) from payouts where id = $1::uuid and paid_at is not null",
    )
    .bind(&other)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(paid, 0);
}

#[sqlx::test]
async fn only_admins_close_months_and_a_refused_close_changes_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let last = Month::containing(Utc::now()).previous().to_string();
    let form = [("input[month]", last.as_str()), ("input[confirm]", "yes")];
    let before = snapshot(&app.pool).await;
    for who in [NW_OWNER, NW_MANAGER, CONTOSO_OWNER, FABRIKAM_OWNER] {
        let cookie = app.sign_in(who).await;
        assert_eq!(
            app.call(Some(&cookie), "admin/commissions/close", &form)
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        app.call(None, "admin/commissions/close", &form)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(snapshot(&app.pool).await, before);

    let admin = app.sign_in(ADMIN).await;
    // Without the confirmation box nothing happens.
    let unconfirmed = app
        .call(
            Some(&admin),
            "admin/commissions/close",
            &[("input[month]", last.as_str())],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(snapshot(&app.pool).await, before);
    // The preview computes what the close then writes.
    let preview = app
        .call(
            Some(&admin),
            "admin/commissions/preview",
            &[("month", last.as_str())],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let preview: serde_json::Value = serde_json::from_str(&preview.body).unwrap();
    assert!(preview["closed_at"].is_null());
    assert_eq!(
        snapshot(&app.pool).await,
        before,
        "a preview writes nothing"
    );
    let closed = app
        .call(Some(&admin), "admin/commissions/close", &form)
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let total: Decimal =
        sqlx::query_scalar("select total from commission_closes where month = $1::text::date")
            .bind(format!("{last}-01"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(preview["total"].as_str().unwrap(), total.to_string());
    let again = app
        .call(Some(&admin), "admin/commissions/close", &form)
        .await;
    assert!(again.body.contains("AlreadyClosed"), "{}", again.body);
}

#[sqlx::test]
async fn adjustments_correct_a_closed_statement_and_are_paid_next(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let contoso: Uuid = sqlx::query_scalar("select id from partners where slug = 'contoso'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let closed = Month::containing(Utc::now()).minus(2).to_string();
    let contoso_id = contoso.to_string();
    let bad = app
        .call(
            Some(&admin),
            "admin/commissions/adjust",
            &[
                ("input[partner_id]", contoso_id.as_str()),
                ("input[month]", closed.as_str()),
                ("input[amount]", "12.345"),
                ("input[reason]", "x"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("two decimal places") && bad.body.contains("Say why"),
        "{}",
        bad.body
    );
    let statement_before: String = sqlx::query_scalar("select total::text from commission_statements where partner_id = $1 and month = $2::text::date")
        .bind(contoso)
        .bind(format!("{closed}-01"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let ok = app
        .call(
            Some(&admin),
            "admin/commissions/adjust",
            &[
                ("input[partner_id]", contoso_id.as_str()),
                ("input[month]", closed.as_str()),
                ("input[amount]", "-10.50"),
                ("input[reason]", "Client refunded a week"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let statement_after: String = sqlx::query_scalar("select total::text from commission_statements where partner_id = $1 and month = $2::text::date")
        .bind(contoso)
        .bind(format!("{closed}-01"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        statement_before, statement_after,
        "the statement itself never changes"
    );
    assert_eq!(app.audit_count("commissions.adjusted").await, 1);
    // The partner sees it on the statement, with its reason.
    let owner = app.sign_in(CONTOSO_OWNER).await;
    let detail = app
        .call(
            Some(&owner),
            "partner/commissions/statement",
            &[("month", closed.as_str()), ("page", "1")],
        )
        .await;
    assert!(
        detail.body.contains("Client refunded a week") && detail.body.contains("-10.50"),
        "{}",
        detail.body
    );
}

/// Northwind's MRR now, straight from the events: the list price of every client whose
/// latest event left it active.
async fn mrr_from_events(pool: &PgPool, slug: &str) -> Decimal {
    sqlx::query_scalar(
        "select coalesce(sum(list_price), 0) from (
             select distinct on (e.client_id) e.list_price, e.to_status
             from subscription_events e join partners p on p.id = e.partner_id
             where p.slug = $1 order by e.client_id, e.occurred_at desc, e.seq desc) latest
         where to_status = 'active'",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn the_dashboard_matches_the_events_and_statements_to_the_cent(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let reply = app.call(Some(&owner), "partner/dashboard", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let d: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let money = &d["money"];
    let mrr = mrr_from_events(&app.pool, "northwind").await;
    assert!(mrr > Decimal::ZERO);
    assert_eq!(money["mrr"].as_str().unwrap(), mrr.to_string());
    assert_eq!(
        money["arr"].as_str().unwrap(),
        (mrr * Decimal::from(12)).to_string()
    );
    let ytd: Decimal = sqlx::query_scalar(
        "select coalesce(sum(s.total), 0) + coalesce((select sum(a.amount) from commission_adjustments a join commission_statements s2 on s2.id = a.statement_id where s2.partner_id = p.id and extract(year from s2.month) = extract(year from now())), 0)
         from partners p left join commission_statements s on s.partner_id = p.id and extract(year from s.month) = extract(year from now())
         where p.slug = 'northwind' group by p.id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(money["earnings_ytd"].as_str().unwrap(), ytd.to_string());
    let last_statement: String = sqlx::query_scalar(
        "select s.total::text from commission_statements s join partners p on p.id = s.partner_id
         where p.slug = 'northwind' order by s.month desc limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let bars = money["commission_by_month"].as_array().unwrap();
    assert_eq!(bars.last().unwrap()[1].as_str().unwrap(), last_statement);
    assert_eq!(money["mrr_by_month"].as_array().unwrap().len(), 12);
    let chart_ids: Vec<&str> = d["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(chart_ids, ["mrr", "plans", "commission"]);
    // Next payout: the earliest unpaid one.
    let next: String = sqlx::query_scalar(
        "select amount::text from payouts p join partners pa on pa.id = p.partner_id
         where pa.slug = 'northwind' and paid_at is null order by due_on limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        money["next_payout"]["Scheduled"]["amount"]
            .as_str()
            .unwrap(),
        next
    );
    assert!(d["activity"].as_array().unwrap().len() <= 10);

    // The admin overview adds up the same MRR.
    let admin = app.sign_in(ADMIN).await;
    let overview: serde_json::Value =
        serde_json::from_str(&app.call(Some(&admin), "admin/overview", &[]).await.body).unwrap();
    let program = mrr
        + mrr_from_events(&app.pool, "contoso").await
        + mrr_from_events(&app.pool, "litware").await;
    assert_eq!(overview["mrr"].as_str().unwrap(), program.to_string());
    assert_eq!(overview["top_by_mrr"][0]["name"], "Northwind");
}

#[sqlx::test]
async fn sales_support_and_viewers_get_no_money_figures(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mrr = mrr_from_events(&app.pool, "northwind").await.to_string();
    let statements: Vec<String> = sqlx::query_scalar(
        "select s.total::text from commission_statements s join partners p on p.id = s.partner_id where p.slug = 'northwind'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let last_closed = Month::containing(Utc::now()).minus(2).to_string();
    let fabrikam = app.client_id("fabrikam").await.to_string();
    for who in [NW_SALES, NW_SUPPORT, NW_VIEWER] {
        let cookie = app.sign_in(who).await;
        let dashboard = app.call(Some(&cookie), "partner/dashboard", &[]).await;
        assert_eq!(dashboard.status, StatusCode::OK);
        let d: serde_json::Value = serde_json::from_str(&dashboard.body).unwrap();
        assert!(d["money"].is_null(), "{who}: {}", dashboard.body);
        assert_eq!(
            d["charts"].as_array().unwrap().len(),
            1,
            "only the plan mix"
        );
        let calls: [(&str, Vec<(&str, &str)>); 6] = [
            ("partner/dashboard", vec![]),
            ("partner/overview", vec![]),
            ("partner/client", vec![("client_id", fabrikam.as_str())]),
            ("partner/commissions", vec![]),
            (
                "partner/commissions/statement",
                vec![("month", last_closed.as_str()), ("page", "1")],
            ),
            (
                "partner/clients",
                vec![
                    ("query[sort]", "Company"),
                    ("query[descending]", "false"),
                    ("query[position]", "first"),
                ],
            ),
        ];
        for (endpoint, form) in calls {
            let reply = app.call(Some(&cookie), endpoint, &form).await;
            assert!(
                !reply.body.contains(&format!("\"{mrr}\"")),
                "{who} {endpoint} shows MRR"
            );
            for total in &statements {
                assert!(
                    !reply.body.contains(&format!("\"{total}\"")),
                    "{who} {endpoint} shows a statement total"
                );
            }
            if endpoint.starts_with("partner/commissions") {
                assert_eq!(reply.status, StatusCode::FORBIDDEN, "{who} {endpoint}");
            }
        }
        let csv = app
            .get_page(
                Some(&cookie),
                &format!("/partner/commissions/{last_closed}/statement.csv"),
            )
            .await;
        assert_eq!(csv.status, StatusCode::FORBIDDEN, "{who} statement CSV");
        let page = app.get_page(Some(&cookie), "/partner").await;
        assert!(
            !page.body.contains("data-testid=\"mrr\""),
            "{who} dashboard page shows an MRR card"
        );
    }
}

#[sqlx::test]
async fn partners_see_only_their_own_statements_and_export_them(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let month = Month::containing(Utc::now()).minus(2).to_string();
    let totals: Vec<(String, String)> = sqlx::query_as(
        "select p.slug, s.total::text from commission_statements s join partners p on p.id = s.partner_id
         where s.month = $1::text::date and p.slug in ('contoso', 'northwind') order by p.slug",
    )
    .bind(format!("{month}-01"))
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(totals.len(), 2);
    for (who, mine, theirs) in [
        (CONTOSO_OWNER, &totals[0].1, &totals[1].1),
        (NW_MANAGER, &totals[1].1, &totals[0].1),
    ] {
        let cookie = app.sign_in(who).await;
        let reply = app
            .call(
                Some(&cookie),
                "partner/commissions/statement",
                &[("month", month.as_str()), ("page", "1")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(
            reply.body.contains(&format!("\"total\":\"{mine}\"")),
            "{who}: {}",
            reply.body
        );
        assert!(
            !reply.body.contains(&format!("\"total\":\"{theirs}\"")),
            "{who} sees another partner's statement"
        );
        let list = app.call(Some(&cookie), "partner/commissions", &[]).await;
        assert!(!list.body.contains(&format!("\"{theirs}\"")), "{who}");
        let csv = app
            .get_page(
                Some(&cookie),
                &format!("/partner/commissions/{month}/statement.csv"),
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(lines[0].starts_with("month,kind,client,plan,list_price,days_active"));
        let sum: Decimal = lines[1..]
            .iter()
            .map(|l| l.rsplit(',').nth(1).unwrap().parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(
            sum.to_string(),
            *mine,
            "the CSV lines add up to the statement"
        );
    }
    // A statement that does not exist is "not found", for any month.
    let cookie = app.sign_in(NW_OWNER).await;
    let none = app
        .call(
            Some(&cookie),
            "partner/commissions/statement",
            &[("month", "2019-01"), ("page", "1")],
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    // Only the owner sets the payout method, and bad input changes nothing.
    let manager = app.sign_in(NW_MANAGER).await;
    let refused = app
        .call(
            Some(&manager),
            "partner/payout-method",
            &[("input[method]", "ach"), ("input[account]", "1234")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = app
        .call(
            Some(&cookie),
            "partner/payout-method",
            &[("input[method]", "cash"), ("input[account]", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .call(
            Some(&cookie),
            "partner/payout-method",
            &[
                ("input[method]", "paypal"),
                ("input[account]", "pay@northwind.example"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let method: String =
        sqlx::query_scalar("select payout_method::text from partners where slug = 'northwind'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(method, "paypal");
}

#[sqlx::test]
async fn the_command_line_closes_last_month_once(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect.clone()).await;
    let app = TestApp::new(pool).await;
    let url = format!(
        "postgres://{}@{}:{}/{}",
        connect.get_username(),
        connect.get_host(),
        connect.get_port(),
        connect.get_database().unwrap()
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_partner-portal"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let last = Month::containing(Utc::now()).previous();
    let first = run(&["close-month"]);
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.contains(&format!("{} is closed", last.label())),
        "{out}"
    );
    let closes: i64 = sqlx::query_scalar("select count(*) from commission_closes where month = $1")
        .bind(last.first_day())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(closes, 1);
    let again = run(&["close-month", &last.to_string()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already closed"));
    let future = run(&["close-month", &last.next().to_string()]);
    assert!(!future.status.success());
    assert!(String::from_utf8_lossy(&future.stderr).contains("has not ended yet"));
    let bad = run(&["close-month", "October"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[sqlx::test]
async fn a_pin_that_ended_before_the_month_closed_is_recomputed_and_lifted(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let m = month("2026-03");
    let ended = partner(&pool, "ended", "platinum", true).await;
    let running = partner(&pool, "running", "platinum", true).await;
    for (p, until) in [(ended, "2026-03-15"), (running, "2026-04-30")] {
        sqlx::query("update partners set tier_pinned_until = $2::date where id = $1")
            .bind(p)
            .bind(until)
            .execute(&pool)
            .await
            .unwrap();
    }
    active_clients(&pool, ended, 0, 3, "starter", m).await;
    active_clients(&pool, running, 3, 3, "starter", m).await;
    close(&pool, m).await;
    let pin = |p: Uuid| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (bool, Option<String>)>(
                "select tier_pinned, tier_pinned_until::text from partners where id = $1",
            )
            .bind(p)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(tier_of(&pool, ended).await, "bronze", "3 active clients");
    assert_eq!(pin(ended).await, (false, None), "the ended pin is lifted");
    assert_eq!(tier_of(&pool, running).await, "platinum");
    assert_eq!(pin(running).await, (true, Some("2026-04-30".into())));
}
