//! A protected prospect that buys directly from the vendor (seed 001 section 6.2): the
//! partner whose registration protects it is credited. The prospect becomes its client, the
//! deal is won, and the month's close counts the client for that partner.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use partner_portal::{commissions::close::close_month, program::Month};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

#[sqlx::test]
async fn a_protected_prospect_that_buys_direct_counts_for_the_protecting_partner(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let northwind = app.sign_in(NW_OWNER).await;
    let admin = app.sign_in(ADMIN).await;
    let close = (Utc::now() + Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let reply = app
        .call(
            Some(&contoso),
            "deals/register",
            &[
                ("input[company_name]", "Direct Buyer Ltd"),
                ("input[domain]", "direct-buyer.example"),
                ("input[contact_name]", "Dee Buyer"),
                ("input[contact_email]", "dee@direct-buyer.example"),
                ("input[country]", "GB"),
                ("input[plan]", "starter"),
                ("input[seats]", "5"),
                ("input[monthly_value]", "99"),
                ("input[expected_close]", &close),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let deal: String = serde_json::from_str(&reply.body).unwrap();
    let reply = app
        .call(
            Some(&admin),
            "admin/deals/decide",
            &[("input[deal_id]", &deal), ("input[decision]", "approve")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let record = |domain: &'static str, confirm: &'static str| {
        vec![
            ("input[domain]", domain),
            ("input[plan]", "professional"),
            ("input[confirm]", confirm),
        ]
    };
    let clients = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from clients")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let before = clients().await;
    // Only admins record it; a domain nobody protects and a missing confirmation change nothing.
    let reply = app
        .call(
            Some(&northwind),
            "admin/deals/direct",
            &record("direct-buyer.example", "yes"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .call(
            Some(&admin),
            "admin/deals/direct",
            &record("nobody-holds.example", "yes"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("No partner"), "{}", reply.body);
    let reply = app
        .call(
            Some(&admin),
            "admin/deals/direct",
            &record("direct-buyer.example", ""),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(clients().await, before);

    // Recorded (the domain however it is typed): Contoso's client, the deal won.
    let reply = app
        .call(
            Some(&admin),
            "admin/deals/direct",
            &record("https://www.Direct-Buyer.example/", "yes"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let contoso_id = app.partner_id("contoso").await;
    let (client, partner, plan, status): (Uuid, Uuid, String, String) = sqlx::query_as(
        "select c.id, c.partner_id, c.plan, d.status from deals d join clients c on c.id = d.client_id
         where d.id = $1::uuid",
    )
    .bind(&deal)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (partner, plan.as_str(), status.as_str()),
        (contoso_id, "professional", "won")
    );
    // The vendor bills it: its contact gets no reseller invitation; the registrant is told.
    let invited: i64 = sqlx::query_scalar("select count(*) from invitations where client_id = $1")
        .bind(client)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(invited, 0);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where to_address = $1 and subject like '%bought directly%'",
    )
    .bind(CONTOSO_OWNER)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    assert_eq!(app.audit_count("deal.bought_direct").await, 1);
    // A second record of the same purchase finds no protection left.
    let reply = app
        .call(
            Some(&admin),
            "admin/deals/direct",
            &record("direct-buyer.example", "yes"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The close of the month it bought in counts it for Contoso (the purchase is moved back
    // to last month, the open one, so that it can be closed now).
    let last = Month::containing(Utc::now()).previous();
    for sql in [
        "update subscription_events set occurred_at = $2 where client_id = $1",
        "update clients set created_at = $2 where id = $1",
    ] {
        sqlx::query(sql)
            .bind(client)
            .bind(last.start())
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let mut tx = app.pool.begin().await.unwrap();
    close_month(&mut tx, last, None, Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    let counted: Vec<(Uuid, String)> = sqlx::query_as(
        "select s.partner_id, l.amount::text from commission_lines l
         join commission_statements s on s.id = l.statement_id where l.client_id = $1",
    )
    .bind(client)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(counted.len(), 1, "{counted:?}");
    assert_eq!(counted[0].0, contoso_id);
    assert_ne!(counted[0].1, "0.00");
}
