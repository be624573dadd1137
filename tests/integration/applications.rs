//! Partner applications over HTTP and in the database: submission, the review state machine,
//! approval that onboards atomically, invitations, the queue.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

fn peer(last: u8) -> std::net::SocketAddr {
    format!("10.1.0.{last}:5000").parse().unwrap()
}

fn form(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[company_name]", "Acme Cloud Ltd".into()),
        ("input[contact_name]", "Ada Lovelace".into()),
        ("input[contact_email]", email.into()),
        ("input[contact_phone]", "+44 20 7946 0000".into()),
        ("input[website]", "https://acme.example".into()),
        ("input[partnership_type]", "reseller".into()),
        ("input[company_size]", "11-50".into()),
        ("input[industry]", "Software".into()),
        ("input[current_solutions]", "".into()),
        ("input[target_market]", "UK mid-market".into()),
        (
            "input[motivation]",
            "We resell SaaS to 200 clients and want to add yours.".into(),
        ),
        ("input[additional_info]", "".into()),
    ]
}

async fn submit(
    app: &TestApp,
    fields: &[(&'static str, String)],
    from: std::net::SocketAddr,
) -> Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_from(None, "applications/submit", &pairs, from, &[])
        .await
}

async fn application_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from partner_applications where contact_email = $1 order by submitted_at desc limit 1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// The token from the welcome e-mail's invitation link.
async fn invitation_token(app: &TestApp) -> String {
    let body: String =
        sqlx::query_scalar("select body_text from email_outbox where subject like 'Welcome%'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    body.split("/invite/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

async fn decide(
    app: &TestApp,
    cookie: &str,
    id: Uuid,
    action: &str,
    extra: &[(&str, &str)],
) -> Reply {
    let id = id.to_string();
    let mut pairs = vec![("input[id]", id.as_str()), ("input[action]", action)];
    // `extra` names the decision's other fields (`reason`, `tier`).
    let keys: Vec<String> = extra.iter().map(|(k, _)| format!("input[{k}]")).collect();
    pairs.extend(keys.iter().zip(extra).map(|(k, (_, v))| (k.as_str(), *v)));
    app.call(Some(cookie), "admin/application/decide", &pairs)
        .await
}

#[sqlx::test]
async fn a_valid_application_is_stored_confirmed_and_announced(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let reply = submit(&app, &form("Ada@Acme.example"), peer(1)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let location = reply.location().unwrap();
    assert!(location.starts_with("/apply/thanks?ref=APP-"), "{location}");
    let reference = location.trim_start_matches("/apply/thanks?ref=");

    let (status, stored_ref): (String, String) =
        sqlx::query_as("select status::text, reference from partner_applications where contact_email = 'ada@acme.example'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), stored_ref.as_str()),
        ("pending", reference)
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'application.submitted'"
        )
        .await,
        1
    );
    let mail: Vec<(String, String)> =
        sqlx::query_as("select to_address, subject from email_outbox order by to_address")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(mail.len(), 2, "confirmation + one per admin: {mail:?}");
    assert!(mail
        .iter()
        .any(|(to, s)| to == "ada@acme.example" && s.contains(reference)));
    assert!(mail
        .iter()
        .any(|(to, s)| to == ADMIN && s.contains("Acme Cloud Ltd")));
    let admin_body: String =
        sqlx::query_scalar("select body_text from email_outbox where to_address = $1")
            .bind(ADMIN)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let id = application_id(&app, "ada@acme.example").await;
    assert!(
        admin_body.contains(&format!("/admin/applications/{id}")),
        "{admin_body}"
    );
}

#[sqlx::test]
async fn bad_input_is_named_by_field_kept_and_changes_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let before = count(&app, "select count(*) from partner_applications").await;
    let mut fields = form("not-an-email");
    fields[4].1 = "http://insecure.example".into();
    let reply = submit(&app, &fields, peer(2)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let flagged: Vec<&str> = error["Validation"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(flagged, ["contact_email", "website"]);
    let kept = &error["Validation"]["kept"];
    assert!(kept
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "motivation" && p[1] == fields[10].1));
    assert_eq!(
        count(&app, "select count(*) from partner_applications").await,
        before
    );
    assert_eq!(count(&app, "select count(*) from email_outbox").await, 0);
}

#[sqlx::test]
async fn a_second_open_application_from_one_address_is_refused_politely(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    assert_eq!(
        submit(&app, &form("ada@acme.example"), peer(3))
            .await
            .status,
        StatusCode::OK
    );
    let again = submit(&app, &form("ADA@acme.example"), peer(3)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("already being reviewed"),
        "{}",
        again.body
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from partner_applications where contact_email = 'ada@acme.example'"
        )
        .await,
        1
    );

    // Once decided, the same address may apply again.
    let admin = app.sign_in(ADMIN).await;
    let id = application_id(&app, "ada@acme.example").await;
    assert_eq!(
        decide(&app, &admin, id, "reject", &[("reason", "Not now")])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        submit(&app, &form("ada@acme.example"), peer(3))
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn submissions_are_limited_per_address_whatever_x_forwarded_for_says(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    // Forms sent back with errors (a typo in the e-mail) are not counted against the limit.
    for _ in 0..3 {
        let reply = submit(&app, &form("not-an-email"), peer(9)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
    }
    for i in 0..5 {
        let reply = submit(&app, &form(&format!("a{i}@acme.example")), peer(9)).await;
        assert_eq!(reply.status, StatusCode::OK, "{i}: {}", reply.body);
    }
    let fields = form("late@acme.example");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = app
        .call_from(
            None,
            "applications/submit",
            &pairs,
            peer(9),
            &[("x-forwarded-for", "203.0.113.77")],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert_eq!(
        submit(&app, &form("other@acme.example"), peer(10))
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn only_the_designed_transitions_are_allowed(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let statuses = ["pending", "reviewing", "approved", "rejected"];
    let actions = ["start_review", "approve", "reject", "reopen"];
    // Expected answer for (from, action).
    let allowed = |from: &str, action: &str| {
        matches!(
            (from, action),
            ("pending", "start_review" | "approve" | "reject")
                | ("reviewing", "approve" | "reject")
                | ("approved" | "rejected", "reopen")
        )
    };
    for (i, from) in statuses.iter().enumerate() {
        for (j, action) in actions.iter().enumerate() {
            let email = format!("t{i}{j}@acme.example");
            assert_eq!(
                submit(&app, &form(&email), peer(100 + (i * 4 + j) as u8 / 5))
                    .await
                    .status,
                StatusCode::OK
            );
            let id = application_id(&app, &email).await;
            sqlx::query(
                "update partner_applications set status = $2::application_status where id = $1",
            )
            .bind(id)
            .bind(from)
            .execute(&app.pool)
            .await
            .unwrap();
            let reply = decide(
                &app,
                &admin,
                id,
                action,
                &[("reason", "Because"), ("tier", "silver")],
            )
            .await;
            let expected = if allowed(from, action) {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            assert_eq!(
                reply.status, expected,
                "{from} --{action}--> {}",
                reply.body
            );
            let now: String =
                sqlx::query_scalar("select status::text from partner_applications where id = $1")
                    .bind(id)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
            if expected == StatusCode::CONFLICT {
                assert_eq!(&now, from, "a refused move changes nothing");
            }
        }
    }
    let reopened = count(
        &app,
        "select count(*) from audit_log where action = 'application.reopened'",
    )
    .await;
    assert_eq!(reopened, 2, "reopening is audited");
}

#[sqlx::test]
async fn approval_onboards_the_partner_and_the_invitation_signs_the_owner_in(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    assert_eq!(
        submit(&app, &form("ada@acme.example"), peer(4))
            .await
            .status,
        StatusCode::OK
    );
    let id = application_id(&app, "ada@acme.example").await;
    assert_eq!(
        decide(&app, &admin, id, "approve", &[("tier", "gold")])
            .await
            .status,
        StatusCode::OK
    );

    let (slug, tier, kind): (String, String, String) =
        sqlx::query_as("select slug, tier::text, partnership_type::text from partners where name = 'Acme Cloud Ltd'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (slug.as_str(), tier.as_str(), kind.as_str()),
        ("acme-cloud-ltd", "gold", "reseller")
    );
    let (days, role): (f64, String) = sqlx::query_as(
        "select (extract(epoch from expires_at - created_at) / 86400)::float8, role::text from invitations where email = 'ada@acme.example'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((days.round() as i64, role.as_str()), (7, "owner"));
    for action in [
        "application.approved",
        "partner.created",
        "invitation.created",
    ] {
        assert_eq!(
            count(
                &app,
                &format!("select count(*) from audit_log where action = '{action}'")
            )
            .await,
            1,
            "{action}"
        );
    }
    let token = invitation_token(&app).await;
    let stored: Vec<u8> = sqlx::query_scalar("select token_hash from invitations")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_ne!(stored, token.as_bytes(), "only a hash is stored");

    let view = app.call(None, "invitation", &[("token", &token)]).await;
    assert!(view.body.contains("Acme Cloud Ltd"), "{}", view.body);

    let weak = app
        .call(
            None,
            "invitation/accept",
            &[
                ("input[token]", &token),
                ("input[display_name]", "Ada"),
                ("input[password]", "short"),
                ("input[password_confirm]", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(
            &app,
            "select count(*) from users where email = 'ada@acme.example'"
        )
        .await,
        0,
        "nothing changed"
    );

    let password = "a long enough passphrase";
    let accept = [
        ("input[token]", token.as_str()),
        ("input[display_name]", "Ada Lovelace"),
        ("input[password]", password),
        ("input[password_confirm]", password),
    ];
    let joined = app.call(None, "invitation/accept", &accept).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(joined.destination().as_deref(), Some("/partner"));
    let cookie = joined.session_cookie().expect("signed in");
    let overview = app.call(Some(&cookie), "partner/overview", &[]).await;
    assert!(
        overview.body.contains("Acme Cloud Ltd"),
        "{}",
        overview.body
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'invitation.accepted'"
        )
        .await,
        1
    );

    let reused = app.call(None, "invitation/accept", &accept).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.body.contains("already been used"), "{}", reused.body);
    let unknown = app
        .call(None, "invitation", &[("token", &"x".repeat(43))])
        .await;
    assert!(unknown.body.contains("Unknown"), "{}", unknown.body);
}

#[sqlx::test]
async fn an_expired_invitation_changes_nothing(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    submit(&app, &form("grace@acme.example"), peer(5)).await;
    let id = application_id(&app, "grace@acme.example").await;
    decide(&app, &admin, id, "approve", &[]).await;
    let token = invitation_token(&app).await;
    sqlx::query("update invitations set expires_at = now() - interval '1 minute'")
        .execute(&app.pool)
        .await
        .unwrap();
    let password = "a long enough passphrase";
    let reply = app
        .call(
            None,
            "invitation/accept",
            &[
                ("input[token]", &token),
                ("input[display_name]", "Grace"),
                ("input[password]", password),
                ("input[password_confirm]", password),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("expired"), "{}", reply.body);
    assert_eq!(
        count(
            &app,
            "select count(*) from users where email = 'grace@acme.example'"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn a_failing_step_leaves_nothing_of_the_approval(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    submit(&app, &form("ada@acme.example"), peer(6)).await;
    let id = application_id(&app, "ada@acme.example").await;
    let partners_before = count(&app, "select count(*) from partners").await;
    // The last step of an approval (its e-mail) fails.
    sqlx::query(
        "create function refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'mail refused'; end $$",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("create trigger refuse_mail before insert on email_outbox for each row execute function refuse_mail()")
        .execute(&app.pool)
        .await
        .unwrap();
    let reply = decide(&app, &admin, id, "approve", &[("tier", "silver")]).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        !reply.body.contains("mail refused"),
        "no database detail in the answer"
    );
    assert_eq!(
        count(&app, "select count(*) from partners").await,
        partners_before
    );
    assert_eq!(count(&app, "select count(*) from invitations").await, 0);
    assert_eq!(count(&app, "select count(*) from audit_log where action in ('application.approved', 'partner.created', 'invitation.created')").await, 0);
    let status: String =
        sqlx::query_scalar("select status::text from partner_applications where id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "pending");
    let approvals: i64 = sqlx::query_scalar(
        "select count(*) from application_status_changes where application_id = $1 and to_status = 'approved'",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(approvals, 0);
}

#[sqlx::test]
async fn a_rejection_email_carries_the_reason_and_notes_are_signed(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    submit(&app, &form("ada@acme.example"), peer(7)).await;
    let id = application_id(&app, "ada@acme.example").await;
    let empty = app
        .call(
            Some(&admin),
            "admin/application/note",
            &[("input[id]", &id.to_string()), ("input[body]", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let noted = app
        .call(
            Some(&admin),
            "admin/application/note",
            &[
                ("input[id]", &id.to_string()),
                ("input[body]", "Called them; strong fit."),
            ],
        )
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{}", noted.body);
    let no_reason = decide(&app, &admin, id, "reject", &[("reason", "")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        decide(
            &app,
            &admin,
            id,
            "reject",
            &[("reason", "We only accept EU resellers this year.")]
        )
        .await
        .status,
        StatusCode::OK
    );
    let body: String = sqlx::query_scalar("select body_text from email_outbox where to_address = 'ada@acme.example' and subject like 'Your partner application (%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        body.contains("We only accept EU resellers this year."),
        "{body}"
    );

    let detail = app
        .call(
            Some(&admin),
            "admin/application",
            &[("id", &id.to_string())],
        )
        .await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(detail["notes"][0]["author"], "Avery Admin");
    assert_eq!(detail["notes"][0]["body"], "Called them; strong fit.");
    assert_eq!(detail["history"].as_array().unwrap().len(), 2);
    assert_eq!(detail["history"][1]["to_status"], "Rejected");
    assert_eq!(detail["history"][1]["changed_by"], "Avery Admin");
}

fn queue_args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut args = vec![
        ("query[sort]".to_string(), "Submitted".to_string()),
        ("query[ascending]".to_string(), "false".to_string()),
        ("query[position]".to_string(), "first".to_string()),
    ];
    for (k, v) in pairs {
        let key = format!("query[{k}]");
        args.retain(|(name, _)| *name != key);
        args.push((key, v.to_string()));
    }
    args
}

async fn queue(app: &TestApp, cookie: &str, pairs: &[(&str, &str)]) -> serde_json::Value {
    let args = queue_args(pairs);
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = app.call(Some(cookie), "admin/applications", &pairs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[sqlx::test]
async fn the_queue_filters_sorts_counts_and_pages(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let all = queue(&app, &admin, &[]).await;
    assert_eq!(all["total"], 40, "the demo applications");
    assert_eq!(all["rows"].as_array().unwrap().len(), 25);
    let counted: i64 = all["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 40);
    let dates: Vec<&str> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["submitted_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let next = all["links"]["next"].as_str().unwrap().to_string();
    let page2 = queue(&app, &admin, &[("position", &next)]).await;
    assert_eq!(page2["rows"].as_array().unwrap().len(), 15);
    assert!(page2["links"]["next"].is_null());
    let previous = page2["links"]["previous"].as_str().unwrap().to_string();
    let back = queue(&app, &admin, &[("position", &previous)]).await;
    assert_eq!(back["rows"], all["rows"], "previous from page 2 is page 1");

    // Each tab shows its own applications, as many as it counts (up to a page).
    let page_size = all["rows"].as_array().unwrap().len() as i64;
    for status in ["Pending", "Reviewing", "Approved", "Rejected"] {
        let tab = queue(&app, &admin, &[("status", status)]).await;
        let counted = all["counts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == status)
            .unwrap()[1]
            .as_i64()
            .unwrap();
        assert_eq!(tab["total"], counted, "{status}");
        let rows = tab["rows"].as_array().unwrap();
        assert_eq!(rows.len() as i64, counted.min(page_size), "{status}");
        assert!(rows.iter().all(|r| r["status"] == status), "{status}");
    }
    assert!(all["counts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c[1].as_i64() > Some(0)));

    let search = queue(&app, &admin, &[("search", "AURORA")]).await;
    assert_eq!(search["total"], 1);
    assert_eq!(search["rows"][0]["company_name"], "Aurora Systems");
    let by_email = queue(&app, &admin, &[("search", "glacier-cloud.demo")]).await;
    assert_eq!(by_email["rows"][0]["company_name"], "Glacier Cloud");
    let literal = queue(&app, &admin, &[("search", "%")]).await;
    assert_eq!(literal["total"], 0, "% is a character, not a wildcard");

    let referral = queue(&app, &admin, &[("partnership_type", "Referral")]).await;
    assert!(referral["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["partnership_type"] == "Referral"));

    let by_company = queue(&app, &admin, &[("sort", "Company"), ("ascending", "true")]).await;
    assert_eq!(by_company["rows"][0]["company_name"], "Atlas Integrations");
}

#[sqlx::test]
async fn statistics_add_up(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    let reply = app
        .call(Some(&admin), "admin/applications/stats", &[])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let stats: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let sum = |key: &str| {
        stats[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[1].as_i64().unwrap())
            .sum::<i64>()
    };
    assert_eq!(sum("by_status"), 40);
    assert_eq!(sum("by_type"), 40);
    assert_eq!(sum("by_size"), 40);
    assert_eq!(stats["per_month"].as_array().unwrap().len(), 12);
    assert!(
        sum("per_month") >= 38,
        "nearly all demo applications fall in the last 12 months"
    );
    let approved = stats["approved"].as_i64().unwrap();
    let rejected = stats["rejected"].as_i64().unwrap();
    assert!(approved > 0 && rejected > 0);
    assert!(stats["median_hours_to_decision"].as_f64().unwrap() > 0.0);
    assert_eq!(stats["charts"].as_array().unwrap().len(), 4);
}
