//! Certifications through the real router: admins record members' completions (every module
//! required, members of that partner only) and revoke them; the partner's level follows the
//! rule table and shows on its dashboard and the admins' pages; holders are reminded 30 days
//! before expiry, once.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

async fn user_id(app: &TestApp, email: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

const ADVANCED: [&str; 4] = ["industries", "implementations", "development", "enterprise"];

async fn record(
    app: &TestApp,
    admin: &str,
    partner: &str,
    member: &str,
    modules: &[&str],
    completed: &str,
) -> (StatusCode, String) {
    let mut form = vec![
        ("input[partner_id]".to_string(), partner.to_string()),
        ("input[user_id]".to_string(), member.to_string()),
        ("input[track]".to_string(), "advanced".to_string()),
        ("input[completed_on]".to_string(), completed.to_string()),
        ("input[expires_on]".to_string(), String::new()),
    ];
    for (n, module) in modules.iter().enumerate() {
        form.push((format!("input[modules][{n}]"), module.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = app
        .call(Some(admin), "admin/certifications/record", &pairs)
        .await;
    (reply.status, reply.body)
}

async fn level(app: &TestApp, cookie: &str) -> Value {
    let reply = app.call(Some(cookie), "certifications", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str::<Value>(&reply.body).unwrap()["level"].clone()
}

#[sqlx::test]
async fn the_level_follows_members_certifications_and_shows_where_it_should(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let admin = app.sign_in(ADMIN).await;
    let viewer = app.sign_in(NW_VIEWER).await;
    let northwind = app.partner_id("northwind").await.to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    let sales = user_id(&app, NW_SALES).await;
    let manager = user_id(&app, NW_MANAGER).await;
    assert_eq!(level(&app, &viewer).await, Value::Null);

    // Every module is required: nothing is stored without them all.
    let (status, body) = record(&app, &admin, &northwind, &sales, &ADVANCED[..3], &today).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Enterprise features"), "{body}");
    // Only a member of that partner.
    let stranger = user_id(&app, CONTOSO_OWNER).await;
    let (status, _) = record(&app, &admin, &northwind, &stranger, &ADVANCED, &today).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from member_certifications where partner_id = $1::uuid",
    )
    .bind(&northwind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);

    // One Advanced member: a Certified Partner; two: an Expert Partner.
    let (status, body) = record(&app, &admin, &northwind, &sales, &ADVANCED, &today).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(level(&app, &viewer).await, "Foundation");
    let (status, _) = record(&app, &admin, &northwind, &manager, &ADVANCED, &today).await;
    assert_eq!(status, StatusCode::OK);
    let second: String = serde_json::from_str(
        &record(&app, &admin, &northwind, &manager, &ADVANCED, &today)
            .await
            .1,
    )
    .unwrap();
    assert_eq!(level(&app, &viewer).await, "Advanced");
    assert_eq!(app.audit_count("certification.recorded").await, 3);

    // Shown on the dashboard and on the admins' pages.
    let dashboard = app.get_page(Some(&viewer), "/partner").await;
    assert!(dashboard.body.contains("Expert Partner"), "dashboard badge");
    let partner_page = app
        .get_page(Some(&admin), &format!("/admin/partners/{northwind}"))
        .await;
    assert!(partner_page.body.contains("Expert Partner"));
    let list = app.get_page(Some(&admin), "/admin/partners").await;
    assert!(
        list.body.contains("Expert Partner"),
        "the partner list shows it"
    );
    // Contoso has none, and never sees Northwind's.
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let theirs = app.call(Some(&contoso), "certifications", &[]).await;
    assert!(theirs.body.contains(r#""level":null"#) && !theirs.body.contains("Advanced"));

    // Revoking the manager's two leaves one Advanced member: back to Certified Partner.
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "select c.id from member_certifications c join users u on u.id = c.user_id
         where u.email = $1",
    )
    .bind(NW_MANAGER)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(ids.iter().any(|id| id.to_string() == second));
    for id in ids {
        let id = id.to_string();
        let unconfirmed = app
            .call(
                Some(&admin),
                "admin/certifications/revoke",
                &[("input[certification_id]", &id)],
            )
            .await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
        let revoked = app
            .call(
                Some(&admin),
                "admin/certifications/revoke",
                &[("input[certification_id]", &id), ("input[confirm]", "yes")],
            )
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    }
    assert_eq!(level(&app, &viewer).await, "Foundation");
    assert_eq!(app.audit_count("certification.revoked").await, 2);
}

#[sqlx::test]
async fn holders_are_reminded_once_thirty_days_before_expiry(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use partner_portal::certifications::reminders::send_due;

    let app = TestApp::new(test_pool(connect).await).await;
    let admin = app.sign_in(ADMIN).await;
    let northwind = app.partner_id("northwind").await.to_string();
    let sales = user_id(&app, NW_SALES).await;
    let today = chrono::Utc::now().date_naive();
    let form = [
        ("input[partner_id]", northwind.as_str()),
        ("input[user_id]", sales.as_str()),
        ("input[track]", "foundation"),
        ("input[modules][0]", "basics"),
        ("input[modules][1]", "onboarding"),
        ("input[modules][2]", "troubleshooting"),
        ("input[modules][3]", "sales"),
        ("input[completed_on]", &today.to_string()),
        (
            "input[expires_on]",
            &(today + chrono::TimeDelta::days(60)).to_string(),
        ),
    ];
    let reply = app
        .call(Some(&admin), "admin/certifications/record", &form)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let day = |n: i64| today + chrono::TimeDelta::days(n);
    assert_eq!(
        send_due(&app.pool, day(29)).await.unwrap(),
        0,
        "31 days ahead: not yet"
    );
    assert_eq!(send_due(&app.pool, day(30)).await.unwrap(), 1);
    assert_eq!(send_due(&app.pool, day(31)).await.unwrap(), 0, "once");
    let subject: String = sqlx::query_scalar(
        "select subject from email_outbox where to_address = $1 and subject like '%certification%'",
    )
    .bind(NW_SALES)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        subject.starts_with("Your Foundation certification expires on"),
        "{subject}"
    );
}
