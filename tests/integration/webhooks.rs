//! Outbound webhooks against a real receiver (an HTTP server started by the test): events
//! recorded with their change, signed as the Standard Webhooks specification says (checked by
//! the specification's own Python library), retried on a clock the test moves, never sent to
//! a private address (a real DNS server gives a public-looking name a private address), sent
//! once by two workers, and never seen by another partner.

use std::{
    collections::VecDeque,
    net::SocketAddr,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
};

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
    Router,
};
use chrono::{DateTime, TimeDelta, Utc};
use partner_portal::{
    program::proxies::Networks,
    webhooks::{
        endpoints::{self, EndpointInput},
        model::EventType,
        outbox,
        target::TargetPolicy,
        worker::{self, Sender},
    },
};
use serde_json::Value;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use uuid::Uuid;

use crate::{
    api_keys::{api_get, api_post, json, make_key},
    common::*,
    dns::Dns,
};

/// What the receiver was sent.
#[derive(Clone, Debug)]
struct Seen {
    uri: String,
    headers: HeaderMap,
    body: String,
}

/// A webhook receiver on a free local port: answers the statuses it is given in turn, then
/// 200, and keeps every request.
struct Receiver {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

type ReceiverState = (Arc<Mutex<Vec<Seen>>>, Arc<Mutex<VecDeque<u16>>>);

impl Receiver {
    async fn start(statuses: &[u16]) -> Receiver {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let statuses = Arc::new(Mutex::new(
            statuses.iter().copied().collect::<VecDeque<_>>(),
        ));
        let app = Router::new()
            .route(
                "/hook",
                post(
                    |State((seen, statuses)): State<ReceiverState>,
                     uri: axum::http::Uri,
                     headers: HeaderMap,
                     body: String| async move {
                        let uri = uri.to_string();
                        seen.lock().unwrap().push(Seen { uri, headers, body });
                        let status = statuses.lock().unwrap().pop_front().unwrap_or(200);
                        (StatusCode::from_u16(status).unwrap(), "<b>thanks</b>")
                    },
                ),
            )
            .with_state((seen.clone(), statuses));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Receiver { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// A sender that may reach the loopback receivers (and nothing else private).
fn local_sender() -> Sender {
    Sender::new(TargetPolicy {
        allowed: Networks::parse("127.0.0.1/32").unwrap(),
        ..Default::default()
    })
    .unwrap()
}

/// Adds an endpoint for `slug` wanting `events`; returns its id and secret as shown.
async fn add_endpoint(
    app: &TestApp,
    slug: &str,
    url: &str,
    events: &[EventType],
) -> (Uuid, String) {
    let policy = TargetPolicy {
        allowed: Networks::parse("127.0.0.1/32").unwrap(),
        ..Default::default()
    };
    let input = EndpointInput {
        url: url.to_string(),
        description: "test receiver".into(),
        events: events.iter().map(|e| e.name().to_string()).collect(),
    };
    let checked = input.check(&policy).unwrap();
    let owner: Uuid = sqlx::query_scalar(
        "select m.user_id from partner_members m join partners p on p.id = m.partner_id
         where p.slug = $1 and m.role = 'owner' limit 1",
    )
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    let (endpoint, secret) =
        endpoints::create(&mut tx, app.partner_id(slug).await, owner, &checked)
            .await
            .unwrap()
            .unwrap();
    tx.commit().await.unwrap();
    (endpoint.id, secret.shown())
}

/// Records an event for `partner` in a transaction of its own.
async fn record_committed(app: &TestApp, partner: Uuid, event: EventType, data: Value) {
    let mut tx = app.pool.begin().await.unwrap();
    outbox::record(&mut tx, partner, event, data, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Runs the worker until a round makes no attempt; returns the attempts made.
async fn drain(pool: &PgPool, sender: &Sender, now: DateTime<Utc>) -> usize {
    let mut total = 0;
    loop {
        match worker::run_once(pool, sender, now).await.unwrap() {
            0 => return total,
            n => total += n,
        }
    }
}

/// What the specification's Python library says of a request: `Ok(payload)` or why not.
fn verify_with_standardwebhooks(secret: &str, seen: &Seen) -> Result<Value, String> {
    let header = |name: &str| {
        seen.headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    let input = serde_json::json!({
        "secret": secret,
        "body": seen.body,
        "headers": {
            "webhook-id": header("webhook-id"),
            "webhook-timestamp": header("webhook-timestamp"),
            "webhook-signature": header("webhook-signature"),
        },
    });
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/.venv-tests/bin/python");
    let script = "import json, sys\n\
        from standardwebhooks.webhooks import Webhook, WebhookVerificationError\n\
        d = json.load(sys.stdin)\n\
        try:\n    print(json.dumps(Webhook(d['secret']).verify(d['body'], d['headers'])))\n\
        except WebhookVerificationError as e:\n    print('refused: %s' % e); sys.exit(3)\n";
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("standardwebhooks is installed (scripts/setup --tests)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() {
        Ok(serde_json::from_str(&text).unwrap())
    } else {
        Err(text)
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[sqlx::test]
async fn a_change_is_sent_signed_with_the_object_the_api_shows_and_verifies_independently(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    let (_, secret) = add_endpoint(
        &app,
        "northwind",
        &receiver.url(),
        &[EventType::ClientCreated, EventType::ClientAtRisk],
    )
    .await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, key) = make_key(&mut owner, "hooks", &["clients:read", "clients:write"]).await;
    let body = r#"{"company_name": "Hooked Ltd", "contact_name": "Ann", "contact_email": "ann@hooked.example", "plan": "professional"}"#;
    let created = api_post(&app, "/v1/clients", &key, body, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = json(&created)["id"].as_str().unwrap().to_string();

    assert_eq!(drain(&app.pool, &local_sender(), Utc::now()).await, 1);
    let seen = receiver.seen();
    assert_eq!(seen.len(), 1, "client.updated is not asked for");
    let payload = verify_with_standardwebhooks(&secret, &seen[0]).unwrap();
    assert_eq!(payload["type"], "client.created");
    assert!(payload["id"].as_str().unwrap().starts_with("evt_"));
    let shown = api_get(
        &app,
        &format!("/v1/clients/{id}"),
        Some(&format!("Bearer {key}")),
    )
    .await;
    assert_eq!(
        payload["data"]["object"],
        json(&shown),
        "the object as the API shows it"
    );

    // A tampered body, another secret or an old timestamp are refused by the library.
    let mut tampered = seen[0].clone();
    tampered.body = tampered.body.replace("Hooked Ltd", "Hacked Ltd");
    assert!(verify_with_standardwebhooks(&secret, &tampered).is_err());
    let other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    assert!(verify_with_standardwebhooks(other, &seen[0]).is_err());
    let patch = r#"{"plan": "starter"}"#;
    let request = axum::http::Request::patch(format!("/v1/clients/{id}"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::from(patch))
        .unwrap();
    assert_eq!(
        app.send(request, default_peer()).await.status,
        StatusCode::OK
    );
    // Sent as if ten minutes ago: signed for that time, and too old for the receiver.
    sqlx::query("update webhook_deliveries set next_attempt_at = now() - interval '1 hour' where state = 'pending'")
        .execute(&app.pool)
        .await
        .unwrap();
    drain(
        &app.pool,
        &local_sender(),
        Utc::now() - TimeDelta::minutes(10),
    )
    .await;
    let seen = receiver.seen();
    assert_eq!(seen.len(), 2, "the downgrade puts the client at risk");
    let refused = verify_with_standardwebhooks(&secret, &seen[1]).unwrap_err();
    assert!(refused.contains("too old"), "{refused}");
}

#[sqlx::test]
async fn a_change_that_rolls_back_records_and_sends_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    add_endpoint(&app, "northwind", &receiver.url(), &EventType::ALL).await;
    let northwind = app.partner_id("northwind").await;
    let mut tx = app.pool.begin().await.unwrap();
    outbox::record(
        &mut tx,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({}),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        sqlx::query_scalar::<_, i64>("select count(*) from webhook_deliveries")
            .fetch_one(&mut *tx)
            .await
            .unwrap(),
        1,
        "recorded within the change"
    );
    tx.rollback().await.unwrap();
    // A change refused by the rules records nothing either.
    let owner = app.sign_in(NW_OWNER).await;
    let reply = app
        .call(
            Some(&owner),
            "partner/clients/create",
            &[("input[company_name]", "")],
        )
        .await;
    assert_ne!(reply.status, StatusCode::OK);
    assert_eq!(drain(&app.pool, &local_sender(), Utc::now()).await, 0);
    assert!(receiver.seen().is_empty());
    assert_eq!(count(&app, "select count(*) from webhook_events").await, 0);
}

#[sqlx::test]
async fn a_failing_receiver_gets_the_event_again_after_each_wait_and_once_after_it_recovers(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[500, 503, 502]).await;
    let (endpoint, _) = add_endpoint(
        &app,
        "northwind",
        &receiver.url(),
        &[EventType::ClientCreated],
    )
    .await;
    let northwind = app.partner_id("northwind").await;
    record_committed(
        &app,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({"n": 1}),
    )
    .await;
    let sender = local_sender();
    let t0 = Utc::now();
    let at = |secs: i64| t0 + TimeDelta::seconds(secs);
    // The first attempt fails; nothing more until 5 s later.
    assert_eq!(drain(&app.pool, &sender, at(0)).await, 1);
    assert_eq!(drain(&app.pool, &sender, at(4)).await, 0);
    assert_eq!(drain(&app.pool, &sender, at(5)).await, 1);
    // Then 5 minutes, then 30.
    assert_eq!(drain(&app.pool, &sender, at(5 + 299)).await, 0);
    assert_eq!(drain(&app.pool, &sender, at(5 + 300)).await, 1);
    assert_eq!(drain(&app.pool, &sender, at(305 + 1799)).await, 0);
    assert_eq!(
        drain(&app.pool, &sender, at(305 + 1800)).await,
        1,
        "succeeds"
    );
    // Delivered: never again, however long the clock runs.
    assert_eq!(drain(&app.pool, &sender, at(4 * 86400)).await, 0);
    let seen = receiver.seen();
    assert_eq!(seen.len(), 4);
    let ids: std::collections::HashSet<_> = seen
        .iter()
        .map(|s| s.headers["webhook-id"].clone())
        .collect();
    assert_eq!(ids.len(), 1, "one message, the same id on every attempt");
    let attempts: Vec<(Option<i32>, String)> = sqlx::query_as(
        "select a.status, a.response from webhook_attempts a
         join webhook_deliveries d on d.id = a.delivery_id where d.endpoint_id = $1 order by a.id",
    )
    .bind(endpoint)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let statuses: Vec<Option<i32>> = attempts.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, [Some(500), Some(503), Some(502), Some(200)]);
    assert_eq!(attempts[3].1, "<b>thanks</b>", "kept as text");
    assert_eq!(
        count(
            &app,
            "select count(*) from webhook_endpoints where failing_since is null and enabled"
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn a_410_turns_the_endpoint_off_and_so_do_five_days_of_failures(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let gone = Receiver::start(&[410]).await;
    let failing = Receiver::start(&[500; 100]).await;
    add_endpoint(&app, "northwind", &gone.url(), &[EventType::ClientCreated]).await;
    add_endpoint(&app, "contoso", &failing.url(), &[EventType::ClientCreated]).await;
    for slug in ["northwind", "contoso"] {
        let partner = app.partner_id(slug).await;
        for n in 0..2 {
            let data = serde_json::json!({ "n": n });
            record_committed(&app, partner, EventType::ClientCreated, data).await;
        }
    }
    let sender = local_sender();
    let t0 = Utc::now();
    assert_eq!(drain(&app.pool, &sender, t0).await, 2);
    let state = |url: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_as::<_, (bool, Option<String>)>(
                "select enabled, disabled_reason from webhook_endpoints where url = $1",
            )
            .bind(url)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(state(gone.url()).await, (false, Some("gone".into())));
    assert_eq!(gone.seen().len(), 1, "nothing after the 410");
    // The failing one is retried on its schedule until five days have passed.
    let mut now = t0;
    while now < t0 + TimeDelta::days(6) {
        now += TimeDelta::hours(1);
        drain(&app.pool, &sender, now).await;
    }
    assert_eq!(state(failing.url()).await, (false, Some("failing".into())));
    let told = count(
        &app,
        "select count(*) from email_outbox where subject = 'A webhook endpoint was turned off'",
    )
    .await;
    assert_eq!(told, 1, "Contoso's owner is told once");
    let disabled: Vec<(Option<Uuid>, String)> = sqlx::query_as(
        "select actor_user_id, detail->>'reason' from audit_log
         where action = 'webhook.endpoint_disabled' order by detail->>'reason'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        disabled,
        [(None, "failing".to_string()), (None, "gone".to_string())],
        "each turned off once, by the portal"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from webhook_deliveries where state = 'failed'"
        )
        .await,
        2,
        "the gone delivery, and the first failing one after its last attempt"
    );
}

#[sqlx::test]
async fn private_targets_are_refused_when_connecting_even_behind_a_public_name(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    let port = receiver.addr.port();
    // A public-looking name that a real DNS server resolves to the loopback receiver.
    let dns = Dns::address("hooks.partner-crm.example", "127.0.0.1");
    let strict = Sender::new(TargetPolicy {
        dns_server: Some(dns.addr),
        ..Default::default()
    })
    .unwrap();
    let northwind = app.partner_id("northwind").await;
    // Stored behind the form's back, as if the settings or the DNS changed after saving.
    for url in [
        format!("http://hooks.partner-crm.example:{port}/hook"),
        format!("http://127.0.0.1:{port}/hook"),
        format!("http://2130706433:{port}/hook"),
        format!("http://[::ffff:127.0.0.1]:{port}/hook"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
    ] {
        sqlx::query(
            "insert into webhook_endpoints (partner_id, url, event_types, secret)
             values ($1, $2, '{client.created}', decode(repeat('ab', 32), 'hex'))",
        )
        .bind(northwind)
        .bind(&url)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    record_committed(
        &app,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({}),
    )
    .await;
    assert_eq!(drain(&app.pool, &strict, Utc::now()).await, 5);
    assert!(receiver.seen().is_empty(), "nothing reached the receiver");
    let errors: Vec<(String, Option<String>)> = sqlx::query_as(
        "select w.url, a.error from webhook_attempts a
         join webhook_deliveries d on d.id = a.delivery_id
         join webhook_endpoints w on w.id = d.endpoint_id order by w.url",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(errors.len(), 5);
    for (url, error) in &errors {
        let error = error.as_deref().unwrap_or_default();
        assert!(
            error.contains("private") || error.contains("resolves to 127.0.0.1"),
            "{url}: {error}"
        );
    }
    // The same name, with the receiver's network allowed, is delivered to.
    let allowing = Sender::new(TargetPolicy {
        dns_server: Some(dns.addr),
        allowed: Networks::parse("127.0.0.1/32").unwrap(),
        ..Default::default()
    })
    .unwrap();
    drain(&app.pool, &allowing, Utc::now() + TimeDelta::seconds(5)).await;
    assert!(!receiver.seen().is_empty());
}

#[sqlx::test]
async fn two_workers_send_each_attempt_once(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    for slug in ["northwind", "contoso", "litware"] {
        for k in 0..4 {
            let url = format!("{}?endpoint={slug}-{k}", receiver.url());
            add_endpoint(&app, slug, &url, &[EventType::ClientUpdated]).await;
        }
        let partner = app.partner_id(slug).await;
        for n in 0..10 {
            record_committed(
                &app,
                partner,
                EventType::ClientUpdated,
                serde_json::json!({ "n": n }),
            )
            .await;
        }
    }
    let (a, b) = (local_sender(), local_sender());
    let now = Utc::now();
    let (sent_a, sent_b) = tokio::join!(drain(&app.pool, &a, now), drain(&app.pool, &b, now));
    assert_eq!(sent_a + sent_b, 120, "{sent_a} + {sent_b}");
    let seen = receiver.seen();
    assert_eq!(seen.len(), 120);
    // Each endpoint got its partner's ten events once each, in the order they happened.
    let mut by_endpoint: std::collections::HashMap<String, Vec<i64>> = Default::default();
    for s in &seen {
        let body: Value = serde_json::from_str(&s.body).unwrap();
        by_endpoint
            .entry(s.uri.clone())
            .or_default()
            .push(body["data"]["object"]["n"].as_i64().unwrap());
    }
    assert_eq!(by_endpoint.len(), 12);
    for (endpoint, events) in &by_endpoint {
        assert_eq!(events, &(0..10).collect::<Vec<_>>(), "{endpoint}");
    }
    assert_eq!(
        count(&app, "select count(*) from webhook_attempts").await,
        120
    );
}

#[sqlx::test]
async fn another_partner_never_sees_endpoints_or_deliveries(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    add_endpoint(
        &app,
        "northwind",
        &receiver.url(),
        &[EventType::ClientCreated],
    )
    .await;
    let northwind = app.partner_id("northwind").await;
    record_committed(
        &app,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({}),
    )
    .await;
    drain(&app.pool, &local_sender(), Utc::now()).await;
    let contoso = app.partner_id("contoso").await;
    let mut db = crate::tenancy::as_app_role(&app).await;
    for (scope, expected) in [(contoso, 0), (northwind, 1)] {
        partner_portal::db::scope::apply(&mut db, partner_portal::db::scope::Scope::Partner(scope))
            .await
            .unwrap();
        for table in [
            "webhook_endpoints",
            "webhook_events",
            "webhook_deliveries",
            "webhook_attempts",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(&mut db)
                .await
                .unwrap();
            assert_eq!(n, expected, "{table} in {scope}'s scope");
        }
        assert!(endpoints::list(&mut db, northwind).await.unwrap().len() as i64 == expected);
    }
}

#[sqlx::test]
async fn the_api_adds_lists_rotates_and_deletes_endpoints_and_shows_secrets_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    // The operator lets webhooks reach the test's own receiver, on loopback.
    let env = [(
        "PORTAL_WEBHOOK_ALLOWED_NETWORKS".to_string(),
        "127.0.0.1/32".to_string(),
    )];
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let app = TestApp::with_env(pool, &env.into_iter().collect()).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, key) = make_key(&mut owner, "hooks", &["webhooks:write"]).await;
    let bearer = format!("Bearer {key}");

    // Bad input is named by field and stores nothing.
    let bad = api_post(
        &app,
        "/v1/webhook-endpoints",
        &key,
        r#"{"url":"http://169.254.169.254/latest","events":["client.deleted"]}"#,
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields: Vec<String> = json(&bad)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        fields.contains(&"url".to_string()) && fields.contains(&"events".to_string()),
        "{fields:?}"
    );
    assert_eq!(
        count(&app, "select count(*) from webhook_endpoints").await,
        0
    );

    let receiver = Receiver::start(&[]).await;
    let body =
        serde_json::json!({ "url": receiver.url(), "events": ["client.created"] }).to_string();
    let created = api_post(&app, "/v1/webhook-endpoints", &key, &body, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = json(&created);
    let id = created["id"].as_str().unwrap().to_string();
    let first_secret = created["secret"].as_str().unwrap().to_string();
    assert!(first_secret.starts_with("whsec_"));
    let listed = json(&api_get(&app, "/v1/webhook-endpoints", Some(&bearer)).await);
    assert_eq!(listed["data"][0]["id"], id.as_str());
    assert!(
        listed["data"][0].get("secret").is_none(),
        "never shown again"
    );

    let rotated = api_post(
        &app,
        &format!("/v1/webhook-endpoints/{id}/rotate-secret"),
        &key,
        "",
        &[],
    )
    .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let second_secret = json(&rotated)["secret"].as_str().unwrap().to_string();
    assert_ne!(second_secret, first_secret);
    // For 24 hours both secrets sign: a receiver still on the old one verifies too.
    let northwind = app.partner_id("northwind").await;
    record_committed(
        &app,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({}),
    )
    .await;
    drain(&app.pool, &local_sender(), Utc::now()).await;
    let seen = receiver.seen();
    assert_eq!(seen.len(), 1);
    assert!(verify_with_standardwebhooks(&first_secret, &seen[0]).is_ok());
    assert!(verify_with_standardwebhooks(&second_secret, &seen[0]).is_ok());

    let request = axum::http::Request::delete(format!("/v1/webhook-endpoints/{id}"))
        .header("authorization", &bearer)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        app.send(request, default_peer()).await.status,
        StatusCode::NO_CONTENT
    );
    let listed = json(&api_get(&app, "/v1/webhook-endpoints", Some(&bearer)).await);
    assert_eq!(listed["data"].as_array().unwrap().len(), 0);
    for action in [
        "webhook.endpoint_created",
        "webhook.secret_rotated",
        "webhook.endpoint_deleted",
    ] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
}

#[sqlx::test]
async fn a_close_a_tier_pin_and_a_payment_are_announced(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let receiver = Receiver::start(&[]).await;
    add_endpoint(
        &app,
        "northwind",
        &receiver.url(),
        &[
            EventType::StatementClosed,
            EventType::TierChanged,
            EventType::PayoutPaid,
        ],
    )
    .await;
    let northwind = app.partner_id("northwind").await;
    let last = partner_portal::program::Month::containing(Utc::now()).previous();
    let mut tx = app.pool.begin().await.unwrap();
    partner_portal::commissions::close::close_month(&mut tx, last, None, Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let admin = app.sign_in(ADMIN).await;
    let northwind_text = northwind.to_string();
    let pinned = app
        .call(
            Some(&admin),
            "admin/partner/tier",
            &[
                ("input[partner_id]", northwind_text.as_str()),
                ("input[tier]", "platinum"),
                ("input[until]", ""),
                ("input[reason]", "Strategic account"),
            ],
        )
        .await;
    assert_eq!(pinned.status, StatusCode::OK, "{}", pinned.body);
    let payout: Uuid = sqlx::query_scalar(
        "select id from payouts where partner_id = $1 and paid_at is null and due_on <= current_date
         order by due_on limit 1",
    )
    .bind(northwind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let payout_text = payout.to_string();
    let paid = app
        .call(
            Some(&admin),
            "admin/payouts/pay",
            &[
                ("input[payout_id]", payout_text.as_str()),
                ("input[method]", "wire"),
                ("input[reference]", "WIRE-88"),
            ],
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);

    drain(&app.pool, &local_sender(), Utc::now()).await;
    let bodies: Vec<Value> = receiver
        .seen()
        .iter()
        .map(|s| serde_json::from_str(&s.body).unwrap())
        .collect();
    let of = |kind: &str| {
        bodies
            .iter()
            .filter(|b| b["type"] == kind)
            .cloned()
            .collect::<Vec<_>>()
    };
    let statement = of("statement.closed");
    assert_eq!(statement.len(), 1);
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, key) = make_key(&mut owner, "statements", &["commissions:read"]).await;
    let shown = api_get(
        &app,
        &format!("/v1/statements/{last}"),
        Some(&format!("Bearer {key}")),
    )
    .await;
    let mut shown = json(&shown)["statement"].clone();
    // The payout paid after the close is the one later fact: the rest is as the API shows it.
    shown["payout"] = statement[0]["data"]["object"]["payout"].clone();
    assert_eq!(statement[0]["data"]["object"], shown);
    let tier = of("tier.changed");
    let pin = tier.last().unwrap();
    assert_eq!(pin["data"]["object"]["tier"], "platinum");
    assert_eq!(pin["data"]["object"]["pinned"], true);
    let payment = of("payout.paid");
    assert_eq!(payment.len(), 1);
    assert_eq!(payment[0]["data"]["object"]["id"], payout_text.as_str());
    assert_eq!(payment[0]["data"]["object"]["reference"], "WIRE-88");
}

/// A form post as a browser without JavaScript sends it (it asks for a page back).
async fn post_plain(
    app: &TestApp,
    who: &Browser<'_>,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Reply {
    use axum::{body::Body, http::header, http::Request};
    app.send(
        Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, who.cookie.clone().unwrap())
            .body(Body::from(form_encode(form)))
            .unwrap(),
        default_peer(),
    )
    .await
}

/// The secret a page shows in its secret box, if any.
fn secret_shown(html: &str) -> Option<String> {
    html.split("value=\"")
        .find(|rest| rest.starts_with("whsec_"))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

/// `/partner/webhooks` through its server functions: bad input named by field with nothing
/// stored; the secret shown once; a test event delivered, retried and logged attempt by
/// attempt, the receiver's answer as text; the log's filters; "send again" and "send
/// everything since"; turning off, rotating (without JavaScript too) and deleting, each
/// audited. A manager may do the same; another partner's owner finds none of it.
#[sqlx::test]
async fn the_page_adds_tests_logs_replays_rotates_and_deletes_an_endpoint(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let env = [(
        "PORTAL_WEBHOOK_ALLOWED_NETWORKS".to_string(),
        "127.0.0.1/32".to_string(),
    )];
    let app = TestApp::with_env(pool, &env.into_iter().collect()).await;
    let receiver = Receiver::start(&[500]).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;

    let bad = owner
        .call(
            "webhooks/create",
            &[
                ("input[url]", "http://169.254.169.254/latest"),
                ("input[description]", "CRM"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let errors = json(&bad);
    let text = errors.to_string();
    assert!(
        text.contains("\"url\"") && text.contains("\"events\""),
        "{text}"
    );
    assert!(
        text.contains("169.254.169.254/latest"),
        "what was typed is kept: {text}"
    );
    assert_eq!(
        count(&app, "select count(*) from webhook_endpoints").await,
        0
    );

    let url = receiver.url();
    let made = owner
        .call(
            "webhooks/create",
            &[
                ("input[url]", url.as_str()),
                ("input[description]", "CRM sync"),
                ("input[events][0]", "subscription.changed"),
                ("input[events][3]", "client.updated"),
            ],
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(
        made.location().map(|l| l.ends_with("?done=created")),
        Some(true),
        "the browser is sent to the endpoint's page"
    );
    let id: Uuid = serde_json::from_str(&made.body).unwrap();
    let id_text = id.to_string();
    let first = json(
        &owner
            .call("webhooks/endpoint", &[("id", id_text.as_str())])
            .await,
    );
    let secret = first["secret"]["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(
        first["endpoint"]["events"],
        serde_json::json!(["subscription.changed", "client.updated"])
    );
    let again = owner
        .call("webhooks/endpoint", &[("id", id_text.as_str())])
        .await;
    assert!(json(&again)["secret"].is_null() && !again.body.contains(&secret));

    // A test event: the first attempt fails (500), the retry after 5 s succeeds.
    let sent = owner
        .call("webhooks/test", &[("input[endpoint_id]", id_text.as_str())])
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let sender = local_sender();
    let now = Utc::now();
    assert_eq!(drain(&app.pool, &sender, now).await, 1);
    assert_eq!(
        drain(&app.pool, &sender, now + TimeDelta::seconds(6)).await,
        1
    );
    let seen = receiver.seen();
    assert_eq!(seen.len(), 2);
    let payload = verify_with_standardwebhooks(&secret, &seen[1]).unwrap();
    assert_eq!(payload["type"], "webhook.test");
    assert_eq!(payload["data"]["object"]["endpoint_id"], id_text);

    let log_of = |filters: &[(&'static str, &'static str)]| {
        let mut form = vec![("query[endpoint_id]", id_text.clone())];
        form.extend(filters.iter().map(|(k, v)| (*k, v.to_string())));
        form
    };
    let cookie = owner.cookie.clone();
    let read = |form: Vec<(&'static str, String)>| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app
                .call(cookie.as_deref(), "webhooks/deliveries", &pairs)
                .await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            json(&reply)["rows"].as_array().unwrap().clone()
        }
    };
    let rows = read(log_of(&[])).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["event_type"], "webhook.test");
    assert_eq!(rows[0]["outcome"], "Succeeded");
    let attempts = rows[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(
        (
            attempts[0]["status"].as_i64(),
            attempts[1]["status"].as_i64()
        ),
        (Some(500), Some(200))
    );
    assert_eq!(attempts[1]["response"], "<b>thanks</b>");
    // On the page, the answer is text, never markup.
    let html = owner.get(&format!("/partner/webhooks/{id}")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body.contains("&lt;b&gt;thanks&lt;/b&gt;"),
        "the answer shows escaped"
    );
    assert!(!html.body.contains("<pre class=\"response\"><b>"));

    // A change the endpoint wants; the filters find each delivery by type and outcome.
    let northwind = app.partner_id("northwind").await;
    record_committed(
        &app,
        northwind,
        EventType::SubscriptionChanged,
        serde_json::json!({"plan": "enterprise"}),
    )
    .await;
    record_committed(
        &app,
        northwind,
        EventType::ClientCreated,
        serde_json::json!({}),
    )
    .await;
    drain(&app.pool, &sender, Utc::now()).await;
    assert_eq!(
        read(log_of(&[])).await.len(),
        2,
        "not client.created: the endpoint does not want it"
    );
    let changed = read(log_of(&[("query[event_type]", "subscription.changed")])).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["outcome"], "Succeeded");
    assert!(read(log_of(&[("query[outcome]", "Failed")]))
        .await
        .is_empty());
    assert_eq!(
        read(log_of(&[
            ("query[outcome]", "Succeeded"),
            ("query[event_type]", "webhook.test")
        ]))
        .await
        .len(),
        1
    );

    // Send again: a new delivery of the same event, with the same message id.
    let delivery = changed[0]["id"].as_str().unwrap().to_string();
    let resent = owner
        .call(
            "webhooks/resend",
            &[
                ("input[endpoint_id]", id_text.as_str()),
                ("input[delivery_id]", delivery.as_str()),
            ],
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    drain(&app.pool, &sender, Utc::now()).await;
    let seen = receiver.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[2].headers["webhook-id"], seen[3].headers["webhook-id"]);
    assert_eq!(
        read(log_of(&[("query[event_type]", "subscription.changed")]))
            .await
            .len(),
        2
    );

    // Everything since an hour ago that the endpoint wants: the one change.
    let since = (Utc::now() - TimeDelta::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let too_early = owner
        .call(
            "webhooks/replay",
            &[
                ("input[endpoint_id]", id_text.as_str()),
                ("input[since]", "2020-01-01T00:00"),
            ],
        )
        .await;
    assert_eq!(too_early.status, 422);
    assert!(too_early.body.contains("30 days"), "{}", too_early.body);
    let replayed = owner
        .call(
            "webhooks/replay",
            &[
                ("input[endpoint_id]", id_text.as_str()),
                ("input[since]", since.as_str()),
            ],
        )
        .await;
    assert_eq!(replayed.status, 200, "{}", replayed.body);
    assert!(replayed.body.contains("1 event since"), "{}", replayed.body);
    assert_eq!(drain(&app.pool, &sender, Utc::now()).await, 1);

    // Turned off: no test event, and no delivery for new changes.
    let off = owner
        .call(
            "webhooks/update",
            &[
                ("input[endpoint_id]", id_text.as_str()),
                ("input[url]", url.as_str()),
                ("input[description]", "CRM sync (paused)"),
                ("input[events][0]", "subscription.changed"),
            ],
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let refused = owner
        .call("webhooks/test", &[("input[endpoint_id]", id_text.as_str())])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("turn it on"), "{}", refused.body);

    // Rotating needs the box; without JavaScript the new secret shows on the next page once.
    let unconfirmed = owner
        .call(
            "webhooks/rotate",
            &[("input[endpoint_id]", id_text.as_str())],
        )
        .await;
    assert_eq!(unconfirmed.status, 422);
    let plain = post_plain(
        &app,
        &owner,
        "webhooks/rotate",
        &[
            ("input[endpoint_id]", id_text.as_str()),
            ("input[confirm]", "yes"),
        ],
    )
    .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(
        plain.location(),
        Some(format!("/partner/webhooks/{id}?done=rotated").as_str())
    );
    let next = owner
        .get(&format!("/partner/webhooks/{id}?done=rotated"))
        .await;
    let rotated = secret_shown(&next.body).expect("the new secret is shown");
    assert_ne!(rotated, secret);
    assert!(next.body.contains("The old secret also signs"));
    let later = owner.get(&format!("/partner/webhooks/{id}")).await;
    assert_eq!(secret_shown(&later.body), None, "shown once");

    // A manager manages webhooks too; another partner's owner finds nothing.
    let manager = app.sign_in(NW_MANAGER).await;
    let seen_by_manager = app
        .call(
            Some(&manager),
            "webhooks/endpoint",
            &[("id", id_text.as_str())],
        )
        .await;
    assert_eq!(seen_by_manager.status, 200);
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    for (endpoint, form) in [
        ("webhooks/endpoint", vec![("id", id_text.as_str())]),
        (
            "webhooks/deliveries",
            vec![("query[endpoint_id]", id_text.as_str())],
        ),
        (
            "webhooks/test",
            vec![("input[endpoint_id]", id_text.as_str())],
        ),
        (
            "webhooks/resend",
            vec![
                ("input[endpoint_id]", id_text.as_str()),
                ("input[delivery_id]", delivery.as_str()),
            ],
        ),
        (
            "webhooks/replay",
            vec![
                ("input[endpoint_id]", id_text.as_str()),
                ("input[since]", since.as_str()),
            ],
        ),
        (
            "webhooks/rotate",
            vec![
                ("input[endpoint_id]", id_text.as_str()),
                ("input[confirm]", "yes"),
            ],
        ),
        (
            "webhooks/delete",
            vec![
                ("input[endpoint_id]", id_text.as_str()),
                ("input[confirm]", "yes"),
            ],
        ),
    ] {
        let reply = app.call(Some(&contoso), endpoint, &form).await;
        assert_eq!(reply.status, 404, "{endpoint}: {}", reply.body);
    }
    let contoso_list = json(&app.call(Some(&contoso), "webhooks", &[]).await);
    assert_eq!(contoso_list["endpoints"], serde_json::json!([]));

    let deleted = owner
        .call(
            "webhooks/delete",
            &[
                ("input[endpoint_id]", id_text.as_str()),
                ("input[confirm]", "yes"),
            ],
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(
        owner
            .call("webhooks/endpoint", &[("id", id_text.as_str())])
            .await
            .status,
        404
    );
    assert_eq!(
        json(&owner.call("webhooks", &[]).await)["endpoints"],
        serde_json::json!([])
    );

    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where target_id = $1 order by occurred_at, id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            "webhook.endpoint_created",
            "webhook.test_sent",
            "webhook.delivery_resent",
            "webhook.events_replayed",
            "webhook.endpoint_updated",
            "webhook.secret_rotated",
            "webhook.endpoint_deleted"
        ]
    );
}
