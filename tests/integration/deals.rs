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
    let stored: i64 = sqlx::query_scalar("select count(*) from deals")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    assert_eq!(app.audit_count("deal.registered").await, 0);
}
