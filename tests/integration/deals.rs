//! Deal registration through the real router: the conflict check finds a prospect by its
//! normalised domain and by a nearly identical company name, against other partners'
//! registrations and every client, and never names the other partner; admins approve
//! (90 days of protection) or deny with a reason, once; a partner sees only its own deals.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// A registration form for `company` at `domain`, closing in a month.
fn deal_form(company: &str, domain: &str) -> Vec<(&'static str, String)> {
    let close = (chrono::Utc::now() + chrono::TimeDelta::days(30))
        .format("%Y-%m-%d")
        .to_string();
    vec![
        ("input[company_name]", company.to_string()),
        ("input[domain]", domain.to_string()),
        ("input[contact_name]", "Ada Buyer".to_string()),
        (
            "input[contact_email]",
            "ada.buyer@prospect.example".to_string(),
        ),
        ("input[country]", "de".to_string()),
        ("input[plan]", "professional".to_string()),
        ("input[seats]", "40".to_string()),
        ("input[monthly_value]", "1200.50".to_string()),
        ("input[expected_close]", close),
        ("input[notes]", "Met at the trade fair.".to_string()),
    ]
}

async fn register(app: &TestApp, cookie: &str, company: &str, domain: &str) -> String {
    let form = deal_form(company, domain);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = app.call(Some(cookie), "deals/register", &pairs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn check(app: &TestApp, cookie: &str, company: &str, domain: &str) -> (Value, String) {
    let reply = app
        .call(
            Some(cookie),
            "deals/check",
            &[("input[company_name]", company), ("input[domain]", domain)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    (serde_json::from_str(&reply.body).unwrap(), reply.body)
}

/// The sentences of a `Taken` answer's conflicts, as (kind, own, same_domain, protected).
fn taken(answer: &Value) -> Vec<(String, bool, bool, bool)> {
    answer["Taken"]
        .as_array()
        .unwrap_or_else(|| panic!("not taken: {answer}"))
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["own"].as_bool().unwrap(),
                c["same_domain"].as_bool().unwrap(),
                !c["protected_until"].is_null(),
            )
        })
        .collect()
}

#[sqlx::test]
async fn the_conflict_check_finds_a_domain_and_a_near_name_and_never_names_the_holder(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let northwind = app.sign_in(NW_SALES).await;
    let admin = app.sign_in(ADMIN).await;

    // Before anyone registers it, the prospect is free.
    let (answer, _) = check(&app, &northwind, "Acme Labs", "acme-labs.com").await;
    assert_eq!(answer, "Available");
    // Too little typed: nothing is checked.
    let (answer, _) = check(&app, &northwind, "Ac", "").await;
    assert_eq!(answer, "NotChecked");

    let deal = register(
        &app,
        &contoso,
        "Acme Labs GmbH",
        "https://www.acme-labs.com/",
    )
    .await;
    // Pending: under review, not yet protected.
    let (answer, _) = check(&app, &northwind, "Something Else", "ACME-labs.com").await;
    assert_eq!(
        taken(&answer),
        [("Deal".to_string(), false, true, false)],
        "{answer}"
    );

    let reply = app
        .call(
            Some(&admin),
            "admin/deals/decide",
            &[("input[deal_id]", &deal), ("input[decision]", "approve")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // The same domain however it is typed, and a nearly identical name at another domain.
    for (company, domain) in [
        ("Other Name", "http://www.Acme-Labs.com/contact"),
        ("Other Name", "buyer@acme-labs.com"),
        ("ACME Labs, Inc.", "acmelabs-eu.com"),
        ("Acme Labs", ""),
    ] {
        let (answer, body) = check(&app, &northwind, company, domain).await;
        let found = taken(&answer);
        assert_eq!(found.len(), 1, "{company} {domain}: {answer}");
        let (kind, own, _, protected) = &found[0];
        assert_eq!((kind.as_str(), *own, *protected), ("Deal", false, true));
        let until = answer["Taken"][0]["protected_until"].as_str().unwrap();
        let until: chrono::DateTime<chrono::Utc> = until.parse().unwrap();
        let days = (until - chrono::Utc::now()).num_days();
        assert!((89..=90).contains(&days), "protected for 90 days: {days}");
        // The whole answer says nothing of who holds it.
        for secret in [
            "Contoso",
            "contoso",
            &app.partner_id("contoso").await.to_string(),
            "Ada Buyer",
            "ada.buyer",
            &deal,
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
    }
    // A name merely alike is not a conflict.
    let (answer, _) = check(&app, &northwind, "Apex Logistics", "apex-logistics.com").await;
    assert_eq!(answer, "Available");

    // Clients count too: Northwind's Fabrikam, asked by Contoso, is a customer of the
    // program; asked by Northwind, one of its own.
    let (answer, body) = check(&app, &contoso, "Fabrikam", "").await;
    assert_eq!(
        taken(&answer),
        [("Client".to_string(), false, false, false)]
    );
    assert!(!body.contains("orthwind") && !body.contains("fabrikam.demo.test"));
    let (answer, _) = check(&app, &northwind, "", "fabrikam.demo.test").await;
    assert_eq!(taken(&answer), [("Client".to_string(), true, true, false)]);
    // Contoso sees its own registration as its own.
    let (answer, _) = check(&app, &contoso, "Acme Labs", "").await;
    assert_eq!(taken(&answer), [("Deal".to_string(), true, false, true)]);
}

#[sqlx::test]
async fn admins_decide_once_and_partners_see_only_their_own_deals(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let manager = app.sign_in(NW_MANAGER).await;
    let viewer = app.sign_in(NW_VIEWER).await;
    let admin = app.sign_in(ADMIN).await;
    let theirs = register(&app, &contoso, "Globex Corporation", "globex.example").await;
    let ours = register(&app, &manager, "Initech", "initech.example").await;

    // Every member reads the partner's deals, and only the partner's.
    let reply = app.call(Some(&viewer), "deals", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains(&ours) && !reply.body.contains(&theirs));
    assert!(reply.body.contains(r#""can_register":false"#));
    let page = app.get_page(Some(&viewer), "/partner/deals").await;
    assert!(page.body.contains("Initech") && !page.body.contains("Globex"));
    assert!(
        !page.body.contains("Register a deal"),
        "a viewer has no form"
    );

    // The admins' queue shows both, oldest first, each with the partner named.
    let queue = app.call(Some(&admin), "admin/deals", &[]).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let queue: Value = serde_json::from_str(&queue.body).unwrap();
    let names: Vec<&str> = queue["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["partner_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Contoso", "Northwind"]);

    // Denying needs a reason, and changes nothing without one.
    let deny = |reason: &'static str| {
        let id = ours.clone();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call(
                Some(&admin),
                "admin/deals/decide",
                &[
                    ("input[deal_id]", &id),
                    ("input[decision]", "deny"),
                    ("input[reason]", reason),
                ],
            )
            .await
        }
    };
    assert_eq!(deny("").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("deal.denied").await, 0);
    assert_eq!(deny("Initech buys direct.").await.status, StatusCode::OK);
    // Decided once: a second decision finds nothing waiting.
    assert_eq!(
        deny("Again.").await.status,
        StatusCode::NOT_FOUND,
        "a decided registration is not decided again"
    );
    let (status, reason, audits): (String, Option<String>, i64) = sqlx::query_as(
        "select status, decision_reason,
                (select count(*) from audit_log where action = 'deal.denied' and target_id = d.id)
         from deals d where id = $1::uuid",
    )
    .bind(&ours)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref(), audits),
        ("denied", Some("Initech buys direct."), 1)
    );
    let told: String = sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 and subject like '%Initech%'",
    )
    .bind(NW_MANAGER)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(told.contains("Initech buys direct."), "{told}");

    // The partner reads the decision and its reason.
    let page = app.get_page(Some(&viewer), "/partner/deals").await;
    assert!(page.body.contains("Denied") && page.body.contains("Initech buys direct."));
    // Another partner's deal cannot be decided by a partner, nor read through the queue.
    let reply = app
        .call(
            Some(&contoso),
            "admin/deals/decide",
            &[("input[deal_id]", &ours), ("input[decision]", "approve")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[sqlx::test]
async fn a_bad_registration_is_named_field_by_field_and_stores_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let sales = app.sign_in(NW_SALES).await;
    let mut form = deal_form("Acme Labs", "gmail.com");
    form[5].1 = "no-such-plan".into();
    form[7].1 = "-5".into();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = app.call(Some(&sales), "deals/register", &pairs).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    for message in ["free e-mail provider", "Choose the plan", "amount like"] {
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    // What was typed comes back.
    assert!(reply.body.contains("Met at the trade fair."));
    let stored: i64 =
        sqlx::query_scalar("select count(*) from deals where company_name = 'Acme Labs'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(app.audit_count("deal.registered").await, 0);
}

/// Approves `deal` as if an admin had at `at` (protected for 90 days from then).
async fn approve_at(app: &TestApp, deal: &str, at: chrono::DateTime<chrono::Utc>) {
    sqlx::query(
        "update deals set status = 'approved', decided_at = $2,
                protected_until = $2 + interval '90 days' where id = $1::uuid",
    )
    .bind(deal)
    .bind(at)
    .execute(&app.pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn protection_is_reminded_extended_by_activity_up_to_its_limit_and_ended(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use chrono::TimeDelta;
    use partner_portal::deals::lifecycle::{self, lock_protected, record_activity};

    let app = TestApp::new(test_pool(connect).await).await;
    // This test moves the clock years ahead: the demo's own deals would end on the way.
    sqlx::query("delete from deals")
        .execute(&app.pool)
        .await
        .unwrap();
    let sales = app.sign_in(NW_SALES).await;
    let deal = register(&app, &sales, "Tailwind Traders", "tailwind.example").await;
    let t0: chrono::DateTime<chrono::Utc> = "2027-01-04T09:00:00Z".parse().unwrap();
    approve_at(&app, &deal, t0).await;
    let day = |n: i64| t0 + TimeDelta::days(n);
    let mails = || async {
        sqlx::query_scalar::<_, String>(
            "select subject from email_outbox where to_address = $1 and subject like '%Tailwind%'
             order by created_at, id",
        )
        .bind(NW_SALES)
        .fetch_all(&app.pool)
        .await
        .unwrap()
    };
    let state = || async {
        sqlx::query_as::<_, (String, chrono::DateTime<chrono::Utc>, Option<i32>)>(
            "select status, protected_until, reminded_days from deals where id = $1::uuid",
        )
        .bind(&deal)
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };

    // Nothing until 14 days before the end; then one reminder per mark, once.
    assert_eq!(
        lifecycle::run_once(&app.pool, day(75)).await.unwrap(),
        (0, 0)
    );
    assert_eq!(
        lifecycle::run_once(&app.pool, day(76)).await.unwrap(),
        (1, 0)
    );
    assert_eq!(
        lifecycle::run_once(&app.pool, day(77)).await.unwrap(),
        (0, 0)
    );
    assert_eq!(state().await.2, Some(14));
    assert_eq!(
        lifecycle::run_once(&app.pool, day(83)).await.unwrap(),
        (1, 0)
    );
    assert_eq!(
        mails().await,
        [
            "Tailwind Traders is protected for 14 more days",
            "Tailwind Traders is protected for 7 more days"
        ]
    );

    // Activity on day 85 keeps it protected 30 days on (day 115), and reminders start over.
    let northwind = app.partner_id("northwind").await;
    let id: uuid::Uuid = deal.parse().unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    let locked = lock_protected(&mut tx, northwind, id, day(85))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record_activity(&mut tx, &locked, day(85)).await.unwrap(),
        day(115)
    );
    tx.commit().await.unwrap();
    assert_eq!(state().await, ("approved".into(), day(115), None));
    assert_eq!(
        lifecycle::run_once(&app.pool, day(90) + TimeDelta::hours(1))
            .await
            .unwrap(),
        (0, 0)
    );

    // Activity can never take it past 180 days after the approval.
    let mut tx = app.pool.begin().await.unwrap();
    let locked = lock_protected(&mut tx, northwind, id, day(112))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        record_activity(&mut tx, &locked, day(112)).await.unwrap(),
        day(142)
    );
    tx.commit().await.unwrap();
    for (at, until) in [(140, 170), (165, 180)] {
        let mut tx = app.pool.begin().await.unwrap();
        let locked = lock_protected(&mut tx, northwind, id, day(at))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            record_activity(&mut tx, &locked, day(at)).await.unwrap(),
            day(until),
            "activity on day {at}"
        );
        tx.commit().await.unwrap();
    }
    // Another partner cannot touch it.
    let contoso = app.partner_id("contoso").await;
    let mut tx = app.pool.begin().await.unwrap();
    assert!(lock_protected(&mut tx, contoso, id, day(170))
        .await
        .unwrap()
        .is_none());
    tx.rollback().await.unwrap();

    // The last day: the 1-day reminder; then the end, audited, and the registrant told.
    assert_eq!(
        lifecycle::run_once(&app.pool, day(179) + TimeDelta::hours(1))
            .await
            .unwrap(),
        (1, 0)
    );
    assert_eq!(
        lifecycle::run_once(&app.pool, day(180)).await.unwrap(),
        (0, 1)
    );
    assert_eq!(
        lifecycle::run_once(&app.pool, day(181)).await.unwrap(),
        (0, 0)
    );
    assert_eq!(state().await.0, "expired");
    assert_eq!(app.audit_count("deal.protection_ended").await, 1);
    assert_eq!(
        mails().await.last().map(String::as_str),
        Some("The protection of Tailwind Traders has ended")
    );
    // Ended: the prospect is free for others again.
    let contoso_owner = app.sign_in(CONTOSO_OWNER).await;
    let (answer, _) = check(&app, &contoso_owner, "Tailwind Traders", "tailwind.example").await;
    assert_eq!(answer, "Available");
}

#[sqlx::test]
async fn a_protected_deal_converts_into_a_client_once_under_the_client_rules(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let sales = app.sign_in(NW_SALES).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let pending = register(&app, &sales, "Northwind Prospect", "nw-prospect.example").await;
    let deal = register(&app, &sales, "Wingtip Partners", "wingtip-partners.example").await;
    approve_at(&app, &deal, chrono::Utc::now()).await;
    let convert = |id: String, cookie: String, confirm: bool| {
        let app = &app;
        async move {
            let mut form = vec![("input[deal_id]", id.as_str())];
            if confirm {
                form.push(("input[confirm]", "yes"));
            }
            app.call(Some(&cookie), "deals/convert", &form).await
        }
    };

    // Not without the ticked box; not another partner's; not one still under review.
    assert_eq!(
        convert(deal.clone(), sales.clone(), false).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        convert(deal.clone(), contoso.clone(), true).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        convert(pending.clone(), sales.clone(), true).await.status,
        StatusCode::CONFLICT
    );
    // Activity only on a protected deal of one's own.
    let activity = app
        .call(
            Some(&contoso),
            "deals/activity",
            &[("input[deal_id]", &deal), ("input[note]", "Demo held")],
        )
        .await;
    assert_eq!(activity.status, StatusCode::NOT_FOUND);
    let activity = app
        .call(
            Some(&sales),
            "deals/activity",
            &[("input[deal_id]", &deal), ("input[note]", "Demo held")],
        )
        .await;
    assert_eq!(activity.status, StatusCode::OK, "{}", activity.body);

    let won = convert(deal.clone(), sales.clone(), true).await;
    assert_eq!(won.status, StatusCode::OK, "{}", won.body);
    let client: uuid::Uuid = serde_json::from_str(&won.body).unwrap();
    let (status, linked, company, plan, contact): (
        String,
        Option<uuid::Uuid>,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "select d.status, d.client_id, c.company_name, c.plan, c.contact_email
             from deals d join clients c on c.id = $2 where d.id = $1::uuid",
    )
    .bind(&deal)
    .bind(client)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (
            status.as_str(),
            linked,
            company.as_str(),
            plan.as_str(),
            contact.as_str()
        ),
        (
            "won",
            Some(client),
            "Wingtip Partners",
            "professional",
            "ada.buyer@prospect.example"
        )
    );
    // The client rules ran: its first subscription event and an invitation for its contact.
    let (events, invited): (i64, i64) = sqlx::query_as(
        "select (select count(*) from subscription_events where client_id = $1),
                (select count(*) from invitations where client_id = $1)",
    )
    .bind(client)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((events, invited), (1, 1));
    assert_eq!(app.audit_count("deal.won").await, 1);
    // Once: a won deal is no longer protected, so it cannot be converted again.
    assert_eq!(
        convert(deal.clone(), sales.clone(), true).await.status,
        StatusCode::CONFLICT
    );
    // The client keeps its link to the deal.
    let page = app
        .get_page(Some(&sales), &format!("/partner/clients/{client}"))
        .await;
    assert!(
        page.body.contains("won-from-deal"),
        "the client page links its deal"
    );
}

#[sqlx::test]
async fn a_partner_asks_for_more_time_once_and_an_admin_grants_or_declines(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let sales = app.sign_in(NW_SALES).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let admin = app.sign_in(ADMIN).await;
    let pending = register(&app, &sales, "Pending Prospect", "pending-prospect.example").await;
    let deal = register(&app, &sales, "Margie Travel Group", "margie.example").await;
    approve_at(&app, &deal, chrono::Utc::now()).await;
    let until = || async {
        sqlx::query_scalar::<_, chrono::DateTime<chrono::Utc>>(
            "select protected_until from deals where id = $1::uuid",
        )
        .bind(&deal)
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let ask = |cookie: String, id: String| {
        let app = &app;
        async move {
            app.call(
                Some(&cookie),
                "deals/extension",
                &[
                    ("input[deal_id]", &id),
                    ("input[reason]", "Their budget opens in March."),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(
        ask(contoso.clone(), deal.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ask(sales.clone(), pending.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(ask(sales.clone(), deal.clone()).await, StatusCode::OK);
    assert_eq!(
        ask(sales.clone(), deal.clone()).await,
        StatusCode::CONFLICT,
        "once"
    );

    let queue = app.call(Some(&admin), "admin/deals", &[]).await;
    let queue: Value = serde_json::from_str(&queue.body).unwrap();
    assert_eq!(queue["extension_requests"][0]["deal"]["id"], deal.as_str());
    assert_eq!(
        queue["extension_requests"][0]["deal"]["extension_reason"],
        "Their budget opens in March."
    );

    let answer = |decision: &'static str, reason: &'static str| {
        let app = &app;
        let admin = admin.clone();
        let deal = deal.clone();
        async move {
            app.call(
                Some(&admin),
                "admin/deals/extension",
                &[
                    ("input[deal_id]", &deal),
                    ("input[decision]", decision),
                    ("input[reason]", reason),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(
        answer("decline", "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let before = until().await;
    assert_eq!(answer("grant", "").await, StatusCode::OK);
    assert_eq!((until().await - before).num_days(), 30);
    assert_eq!(
        answer("grant", "").await,
        StatusCode::NOT_FOUND,
        "answered once"
    );
    assert_eq!(app.audit_count("deal.extension_granted").await, 1);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where to_address = $1 and subject = 'More time for Margie Travel Group'",
    )
    .bind(NW_SALES)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);

    // A second request, declined: the protection stays as it is.
    assert_eq!(ask(sales.clone(), deal.clone()).await, StatusCode::OK);
    let before = until().await;
    assert_eq!(
        answer("decline", "Ninety days are enough here.").await,
        StatusCode::OK
    );
    assert_eq!(until().await, before);
    assert_eq!(app.audit_count("deal.extension_declined").await, 1);
}
