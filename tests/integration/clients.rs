//! Client management over HTTP and in the database: creation under the cap (also when two
//! requests race), subscription events, tenancy, roles, the CSV export.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

/// kind, from_status, to_plan, to_custom_price, to_status, list_price
type EventRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn client_form(company: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[company_name]", company.into()),
        ("input[contact_name]", "Terry Adams".into()),
        ("input[contact_email]", email.into()),
        ("input[contact_phone]", "".into()),
        ("input[plan]", "starter".into()),
        ("input[custom_price]", "".into()),
        ("input[billing_owned_by_reseller]", "on".into()),
        ("input[region]", "EMEA".into()),
    ]
}

async fn create(app: &TestApp, cookie: &str, company: &str) -> Reply {
    let form = client_form(
        company,
        &format!("{}@client.example", company.to_lowercase().replace(' ', "")),
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(Some(cookie), "partner/clients/create", &pairs)
        .await
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// Fills Contoso (Bronze, cap 25) up to `open` clients that count against the cap.
pub async fn fill_contoso(app: &TestApp, open: i64) {
    let have = scalar(app, "select count(*) from clients c join partners p on p.id = c.partner_id where p.slug = 'contoso' and c.status <> 'canceled'").await;
    sqlx::query(
        "insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan)
         select p.id, 'filler-' || n, 'Filler ' || n, 'F', 'f' || n || '@x.example', 'starter'
         from partners p, generate_series(1, $1::int) n where p.slug = 'contoso'",
    )
    .bind((open - have) as i32)
    .execute(&app.pool)
    .await
    .unwrap();
}

#[sqlx::test]
async fn creating_a_client_records_its_event_and_invites_its_owner(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let reply = create(&app, &owner, "Tailwind Traders").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = app.client_id("tailwind-traders").await;
    assert_eq!(
        reply.location(),
        Some(format!("/partner/clients/{id}").as_str())
    );
    let event: (String, String, String) = sqlx::query_as(
        "select kind, to_plan, list_price::text from subscription_events where client_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(event, ("created".into(), "starter".into(), "99.00".into()));
    let (email, owner_flag): (String, bool) =
        sqlx::query_as("select email, client_owner from invitations where client_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (email.as_str(), owner_flag),
        ("tailwindtraders@client.example", true)
    );
    assert_eq!(scalar(&app, "select count(*) from email_outbox where subject = 'Your Tailwind Traders account at Northwind Cloud is ready'").await, 1);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from audit_log where action = 'client.created'"
        )
        .await,
        1
    );

    // The invitation makes the client's owner, who lands in the client portal.
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where subject like 'Your Tailwind%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let token = body
        .split("/invite/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let password = "a long enough passphrase";
    let joined = app
        .call(
            None,
            "invitation/accept",
            &[
                ("input[token]", &token),
                ("input[display_name]", "Terry"),
                ("input[password]", password),
                ("input[password_confirm]", password),
            ],
        )
        .await;
    assert_eq!(
        joined.destination().as_deref(),
        Some("/app"),
        "{}",
        joined.body
    );
    let account = app
        .call(joined.session_cookie().as_deref(), "app/account", &[])
        .await;
    assert!(
        account.body.contains("Tailwind Traders"),
        "{}",
        account.body
    );
}

#[sqlx::test]
async fn bad_client_input_is_explained_and_changes_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let before = scalar(&app, "select count(*) from clients").await;
    let mut form = client_form("", "nope");
    form[5].1 = "12.345".into();
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = app
        .call(Some(&owner), "partner/clients/create", &pairs)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["company_name", "contact_email", "custom_price"] {
        assert!(
            reply.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            reply.body
        );
    }
    assert_eq!(scalar(&app, "select count(*) from clients").await, before);
}

#[sqlx::test]
async fn the_cap_holds_and_names_the_tier(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(CONTOSO_OWNER).await;
    fill_contoso(&app, 24).await;
    assert_eq!(
        create(&app, &owner, "Place Twenty Five").await.status,
        StatusCode::OK
    );
    let refused = create(&app, &owner, "Place Twenty Six").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("Bronze tier allows 25 clients and you have 25"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("Silver"),
        "says how to grow: {}",
        refused.body
    );

    // Reactivating a canceled client counts against the cap too.
    let olympia = app.client_id("olympia-tools").await.to_string();
    let cancel = app
        .call(
            Some(&owner),
            "partner/clients/status",
            &[
                ("input[client_id]", &olympia),
                ("input[status]", "canceled"),
                ("input[confirm]", "yes"),
            ],
        )
        .await;
    assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
    assert_eq!(
        create(&app, &owner, "Place Twenty Five Again").await.status,
        StatusCode::OK
    );
    let reactivate = app
        .call(
            Some(&owner),
            "partner/clients/status",
            &[("input[client_id]", &olympia), ("input[status]", "active")],
        )
        .await;
    assert_eq!(
        reactivate.status,
        StatusCode::CONFLICT,
        "{}",
        reactivate.body
    );
}

#[sqlx::test]
async fn two_simultaneous_creates_one_below_the_cap_give_exactly_one_client(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(CONTOSO_OWNER).await;
    let manager = owner.clone();
    fill_contoso(&app, 24).await;
    let (a, b) = tokio::join!(
        create(&app, &owner, "Racer One"),
        create(&app, &manager, "Racer Two")
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert!(loser.body.contains("Client cap reached"), "{}", loser.body);
    let open = scalar(&app, "select count(*) from clients c join partners p on p.id = c.partner_id where p.slug = 'contoso' and c.status <> 'canceled'").await;
    assert_eq!(open, 25);
}

#[sqlx::test]
async fn every_change_is_an_event_and_illegal_moves_are_refused(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let manager = app.sign_in(NW_MANAGER).await;
    let id = app.client_id("fabrikam").await;
    let id_text = id.to_string();
    let status = |to: &'static str, confirm: Option<&'static str>| {
        let mut form = vec![
            ("input[client_id]", id_text.clone()),
            ("input[status]", to.to_string()),
        ];
        if let Some(c) = confirm {
            form.push(("input[confirm]", c.to_string()));
        }
        form
    };
    for (to, confirm, expected) in [
        ("suspended", None, StatusCode::OK),
        ("active", None, StatusCode::OK),
        ("canceled", None, StatusCode::UNPROCESSABLE_ENTITY),
        ("canceled", Some("yes"), StatusCode::OK),
        ("suspended", None, StatusCode::CONFLICT),
        ("active", None, StatusCode::OK),
    ] {
        let form = status(to, confirm);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = app
            .call(Some(&manager), "partner/clients/status", &pairs)
            .await;
        assert_eq!(
            reply.status, expected,
            "-> {to} {confirm:?}: {}",
            reply.body
        );
    }
    let mut form = client_form("Fabrikam", "owner@fabrikam.demo.test");
    form[4].1 = "enterprise".into();
    form[5].1 = "899.50".into();
    let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("client_id", &id_text));
    assert_eq!(
        app.call(Some(&manager), "partner/clients/update", &pairs)
            .await
            .status,
        StatusCode::OK
    );

    let events: Vec<EventRow> = sqlx::query_as(
        "select kind, from_status::text, to_plan, to_custom_price::text, to_status::text, list_price::text
         from subscription_events where client_id = $1 order by occurred_at, id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "created",
            "status_changed",
            "status_changed",
            "status_changed",
            "status_changed",
            "plan_changed",
            "price_changed"
        ]
    );
    let statuses: Vec<&str> = events[1..5].iter().map(|e| e.4.as_str()).collect();
    assert_eq!(statuses, ["suspended", "active", "canceled", "active"]);
    assert_eq!(events[5].2.as_deref(), Some("enterprise"));
    assert_eq!(
        events[5].5, "999.00",
        "the event keeps the list price of its time"
    );
    assert_eq!(events[6].3.as_deref(), Some("899.50"));
    let detail = app
        .call(Some(&manager), "partner/client", &[("client_id", &id_text)])
        .await;
    assert!(
        detail.body.contains("\"kind\":\"price_changed\""),
        "history is shown: {}",
        detail.body
    );
}

#[sqlx::test]
async fn another_partners_member_cannot_touch_a_client_even_with_its_id(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let before: String =
        sqlx::query_scalar("select status::text || plan from clients where slug = 'fabrikam'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        app.call(
            Some(&contoso),
            "partner/client",
            &[("client_id", &fabrikam)]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let status = app
        .call(
            Some(&contoso),
            "partner/clients/status",
            &[
                ("input[client_id]", &fabrikam),
                ("input[status]", "suspended"),
            ],
        )
        .await;
    assert_eq!(status.status, StatusCode::NOT_FOUND);
    let form = client_form("Stolen", "x@y.example");
    let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("client_id", &fabrikam));
    assert_eq!(
        app.call(Some(&contoso), "partner/clients/update", &pairs)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let login_as = app
        .call(
            Some(&contoso),
            "partner/clients/impersonate",
            &[
                ("input[client_id]", &fabrikam),
                ("input[reason]", "Just looking"),
            ],
        )
        .await;
    assert_eq!(login_as.status, StatusCode::NOT_FOUND);
    let export = app
        .get_page(Some(&contoso), "/partner/clients/export.csv")
        .await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(!export.body.contains("Fabrikam") && export.body.contains("Olympia Tools"));
    let after: String =
        sqlx::query_scalar("select status::text || plan from clients where slug = 'fabrikam'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(before, after);
}

#[sqlx::test]
async fn viewers_change_nothing_and_support_cannot_edit(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    for email in [NW_VIEWER, NW_SUPPORT] {
        let cookie = app.sign_in(email).await;
        assert_eq!(
            create(&app, &cookie, "Not Allowed").await.status,
            StatusCode::FORBIDDEN,
            "{email}"
        );
        let status = app
            .call(
                Some(&cookie),
                "partner/clients/status",
                &[
                    ("input[client_id]", &fabrikam),
                    ("input[status]", "suspended"),
                ],
            )
            .await;
        assert_eq!(status.status, StatusCode::FORBIDDEN, "{email}");
        let list = app
            .call(
                Some(&cookie),
                "partner/clients",
                &[
                    ("query[sort]", "Company"),
                    ("query[descending]", "false"),
                    ("query[position]", "first"),
                ],
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{email} can read the list");
        assert!(list.body.contains("\"can_edit\":false"));
    }
}

#[sqlx::test]
async fn the_list_filters_searches_sorts_and_shows_headroom(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let list = |pairs: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let owner = owner.clone();
        async move {
            let mut form = vec![
                ("query[sort]", "Company"),
                ("query[descending]", "false"),
                ("query[position]", "first"),
            ];
            for (k, v) in pairs {
                form.retain(|(n, _)| *n != k);
                form.push((k, v));
            }
            let reply = app.call(Some(&owner), "partner/clients", &form).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()
        }
    };
    let all = list(vec![]).await;
    assert_eq!(all["total"]["Exact"], 30);
    assert_eq!(all["rows"].as_array().unwrap().len(), 25);
    assert_eq!(all["rows"][0]["company_name"], "A. Datum");
    assert_eq!(
        (all["tier"].as_str(), all["open_clients"].as_i64()),
        (Some("Gold"), Some(28))
    );
    let next = all["links"]["next"].as_str().unwrap().to_string();
    assert!(next.starts_with("after:"), "{next}");
    let next = Box::leak(next.into_boxed_str());
    let second = list(vec![("query[position]", next)]).await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 5);
    assert!(second["links"]["next"].is_null());
    let suspended = list(vec![("query[status]", "Suspended")]).await;
    assert_eq!(suspended["total"]["Exact"], 2);
    let search = list(vec![("query[search]", "FABRIKAM")]).await;
    assert_eq!(search["rows"][0]["company_name"], "Fabrikam");
    assert_eq!(search["total"]["Exact"], 1);
    // A search's total counts every match, whichever page is shown ("." is in every address).
    let everyone = list(vec![("query[search]", ".")]).await;
    assert_eq!(everyone["total"]["Exact"], 30);
    assert_eq!(everyone["rows"].as_array().unwrap().len(), 25);
    let rest = Box::leak(
        everyone["links"]["next"]
            .as_str()
            .unwrap()
            .to_string()
            .into_boxed_str(),
    );
    let rest = list(vec![("query[search]", "."), ("query[position]", rest)]).await;
    assert_eq!(rest["rows"].as_array().unwrap().len(), 5);
    assert_eq!(rest["total"]["Exact"], 30);
    let suspended_found = list(vec![("query[search]", "."), ("query[status]", "Suspended")]).await;
    assert_eq!(suspended_found["total"]["Exact"], 2);
    // A page past the search's last match is empty, and still says how many there are.
    let past = list(vec![
        ("query[search]", "FABRIKAM"),
        ("query[position]", next),
    ])
    .await;
    assert_eq!(past["rows"].as_array().unwrap().len(), 0);
    assert_eq!(past["total"]["Exact"], 1);
    let by_price = list(vec![
        ("query[sort]", "Price"),
        ("query[descending]", "true"),
    ])
    .await;
    assert_eq!(by_price["rows"][0]["price"], "999.00");
    let enterprise = list(vec![("query[plan]", "enterprise")]).await;
    assert!(enterprise["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["plan_name"] == "Enterprise"));
}

#[sqlx::test]
async fn the_export_streams_the_filtered_list_as_safe_csv(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    sqlx::query("update clients set contact_name = '=HYPERLINK(\"http://evil.example\")' where slug = 'fabrikam'")
        .execute(&app.pool)
        .await
        .unwrap();
    let all = app
        .get_page(Some(&owner), "/partner/clients/export.csv")
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.headers.get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(all
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let lines: Vec<&str> = all.body.lines().collect();
    assert!(lines[0].starts_with("company,contact_name,contact_email"));
    assert_eq!(lines.len(), 31, "a header and 30 clients");
    assert!(all.body.contains("'=HYPERLINK"), "formulas are defused");
    let suspended = app
        .get_page(Some(&owner), "/partner/clients/export.csv?status=suspended")
        .await;
    assert_eq!(suspended.body.lines().count(), 3);
    let anonymous = app.get_page(None, "/partner/clients/export.csv").await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "a browser is sent to sign in"
    );
    assert_eq!(
        anonymous.location(),
        Some("/login?next=%2Fpartner%2Fclients%2Fexport.csv")
    );
    let client = app.sign_in(FABRIKAM_OWNER).await;
    assert_eq!(
        app.get_page(Some(&client), "/partner/clients/export.csv")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from audit_log where action = 'client.exported'"
        )
        .await,
        2
    );
    let _ = Uuid::nil();
}

#[sqlx::test]
async fn with_client_management_switched_off_clients_are_read_only(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let owner = app.sign_in(NW_OWNER).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let switch = |on: bool| {
        sqlx::query("update partners set client_management_enabled = $1 where slug = 'northwind'")
            .bind(on)
            .execute(&app.pool)
    };
    let new_client = [
        ("input[company_name]", "Switched Off Ltd"),
        ("input[contact_name]", "Sam"),
        ("input[contact_email]", "sam@switched.example"),
        ("input[contact_phone]", ""),
        ("input[plan]", "starter"),
        ("input[custom_price]", ""),
        ("input[region]", ""),
    ];
    let suspend = [
        ("input[client_id]", fabrikam.as_str()),
        ("input[status]", "suspended"),
    ];
    let log_in_as = [
        ("input[client_id]", fabrikam.as_str()),
        ("input[reason]", "Checking an invoice"),
    ];
    let list_form = [
        ("query[sort]", "Company"),
        ("query[descending]", "false"),
        ("query[position]", "first"),
    ];
    let clients_before: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Switched off: the very next request of a signed-in owner is refused, with the reason.
    switch(false).await.unwrap();
    for (endpoint, form) in [
        ("partner/clients/create", &new_client[..]),
        ("partner/clients/status", &suspend[..]),
        ("partner/clients/impersonate", &log_in_as[..]),
    ] {
        let refused = app.call(Some(&owner), endpoint, form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{endpoint}");
        assert!(
            refused.body.contains("turned client management off"),
            "{endpoint}: {}",
            refused.body
        );
    }
    let clients_after: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(clients_after, clients_before, "nothing was created");
    let status: String =
        sqlx::query_scalar("select status::text from clients where slug = 'fabrikam'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "active");
    // Reading goes on, and the list says why nothing can be changed.
    let list = app.call(Some(&owner), "partner/clients", &list_form).await;
    assert_eq!(list.status, StatusCode::OK);
    let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list["can_edit"], false);
    assert_eq!(list["management_off"], true);
    let page = app.get_page(Some(&owner), "/partner/clients").await;
    assert!(page.body.contains("data-testid=\"management-off\""));
    assert!(!page.body.contains("New client"));
    // Another partner is not affected.
    let other = app
        .call(Some(&contoso), "partner/clients", &list_form)
        .await;
    let other: serde_json::Value = serde_json::from_str(&other.body).unwrap();
    assert_eq!(other["management_off"], false);

    // Switched on again: the same session may change clients at once.
    switch(true).await.unwrap();
    let created = app
        .call(Some(&owner), "partner/clients/create", &new_client)
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
}

#[sqlx::test]
async fn the_client_list_flags_clients_at_risk_of_leaving(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    // Fabrikam's owner signs in (a recent sign-in), and is then suspended and downgraded.
    app.sign_in(FABRIKAM_OWNER).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let suspended = app
        .call(
            Some(&owner),
            "partner/clients/status",
            &[
                ("input[client_id]", &fabrikam),
                ("input[status]", "suspended"),
            ],
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.body);
    let downgraded = app
        .call(
            Some(&owner),
            "partner/clients/update",
            &[
                ("client_id", fabrikam.as_str()),
                ("input[company_name]", "Fabrikam"),
                ("input[contact_name]", "Fabrikam Owner"),
                ("input[contact_email]", "owner@fabrikam.demo.test"),
                ("input[contact_phone]", ""),
                ("input[plan]", "starter"),
                ("input[custom_price]", ""),
                ("input[billing_owned_by_reseller]", "on"),
                ("input[region]", "EMEA"),
            ],
        )
        .await;
    assert_eq!(downgraded.status, StatusCode::OK, "{}", downgraded.body);

    let reply = app
        .call(
            Some(&owner),
            "partner/clients",
            &[
                ("query[sort]", "Company"),
                ("query[descending]", "false"),
                ("query[position]", "first"),
                ("query[search]", "Fabrikam"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let row = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["company_name"] == "Fabrikam")
        .unwrap();
    assert_eq!(row["risks"], serde_json::json!(["Suspended", "Downgraded"]));

    // A client none of whose users signed in for 60 days is flagged as inactive.
    sqlx::query("update clients set created_at = now() - interval '1 year'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app
        .get_page(Some(&owner), "/partner/clients?q=Adventure")
        .await;
    assert!(page.body.contains("At risk: inactive"), "{}", page.body);
    let page = app
        .get_page(Some(&owner), "/partner/clients?q=Fabrikam")
        .await;
    assert!(page
        .body
        .contains("At risk: suspended, downgraded recently"));
}
