//! API keys and the first `/v1` operations through the real router: the owner makes a key
//! (seen once, stored as a hash), the API accepts it only in the Authorization header and
//! only within its partner and scopes, a revoked or expired key stops at once, and OAuth
//! client credentials trade a key for an hour's bearer token.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Makes a key as `owner` and returns its id and secret.
pub(crate) async fn make_key(
    owner: &mut Browser<'_>,
    name: &str,
    scopes: &[&str],
) -> (String, String) {
    let mut form = vec![
        ("input[name]".to_string(), name.to_string()),
        ("input[days]".to_string(), "30".to_string()),
    ];
    for (n, scope) in scopes.iter().enumerate() {
        form.push((format!("input[scopes][{n}]"), scope.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let reply = owner.call("api-keys/create", &pairs).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let created: Value = serde_json::from_str(&reply.body).unwrap();
    (
        created["id"].as_str().unwrap().to_string(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

/// A GET of the API with `authorization`, if any.
pub(crate) async fn api_get(app: &TestApp, path: &str, authorization: Option<&str>) -> Reply {
    let mut request = Request::get(path).header(header::ACCEPT, "application/json");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    app.send(request.body(Body::empty()).unwrap(), default_peer())
        .await
}

pub(crate) fn json(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

pub(crate) fn assert_problem(reply: &Reply, status: StatusCode) -> Value {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(
        reply.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let problem = json(reply);
    assert_eq!(problem["status"], status.as_u16());
    assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    problem
}

#[sqlx::test]
async fn an_owner_makes_a_key_that_is_shown_once_and_stored_as_a_hash(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (id, secret) = make_key(&mut owner, "CRM sync", &["clients:read", "metrics:read"]).await;
    assert!(secret.starts_with("ppk_") && secret.len() == 42, "{secret}");

    let (shown, hash, scopes): (String, Vec<u8>, Vec<String>) =
        sqlx::query_as("select shown, secret_hash, scopes from api_keys where id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(hash, Sha256::digest(secret.as_bytes()).to_vec());
    assert!(secret.starts_with(&shown) && shown.len() == 12);
    assert_eq!(scopes, ["clients:read", "metrics:read"]);
    let stored_anywhere: i64 =
        sqlx::query_scalar("select count(*) from api_keys k where k::text like '%' || $1 || '%'")
            .bind(&secret[12..])
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored_anywhere, 0, "the secret itself is never stored");
    assert_eq!(app.audit_count("api_key.created").await, 1);

    // The list shows the key without its secret.
    let list = owner.call("api-keys", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    let page = json(&list);
    assert_eq!(page["keys"][0]["name"], "CRM sync");
    assert_eq!(page["keys"][0]["state"], "Active");
    assert_eq!(page["active"], 1);
    assert!(!list.body.contains(&secret));
    assert!(page["created"].is_null());
}

#[sqlx::test]
async fn without_javascript_the_secret_is_shown_on_the_next_page_only(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let plain = app
        .send(
            Request::post("/api/api-keys/create")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, owner.cookie.clone().unwrap())
                .body(Body::from(form_encode(&[
                    ("input[name]", "Billing export"),
                    ("input[scopes][2]", "commissions:read"),
                    ("input[days]", "90"),
                ])))
                .unwrap(),
            default_peer(),
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(plain.location(), Some("/partner/api-keys?done=created"));
    let first = owner.get("/partner/api-keys?done=created").await;
    assert_eq!(first.status, StatusCode::OK);
    let secret = first
        .body
        .split("value=\"")
        .find(|rest| rest.starts_with("ppk_"))
        .and_then(|rest| rest.split('"').next())
        .expect("the page shows the new secret")
        .to_string();
    let hash: Vec<u8> =
        sqlx::query_scalar("select secret_hash from api_keys where name = 'Billing export'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(hash, Sha256::digest(secret.as_bytes()).to_vec());
    let again = owner.get("/partner/api-keys").await;
    assert!(again.body.contains("Billing export"));
    assert!(!again.body.contains(&secret), "shown once");
}

#[sqlx::test]
async fn bad_input_is_named_by_field_and_the_cap_and_names_hold(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let reply = owner
        .call(
            "api-keys/create",
            &[
                ("input[name]", " "),
                ("input[scopes][0]", "root"),
                ("input[days]", "400"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "scopes", "days"] {
        assert!(
            reply.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            reply.body
        );
    }
    make_key(&mut owner, "Sync", &["clients:read"]).await;
    let twin = owner
        .call(
            "api-keys/create",
            &[
                ("input[name]", "sync"),
                ("input[scopes][0]", "clients:read"),
            ],
        )
        .await;
    assert_eq!(twin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twin.body.contains("already has this name"), "{}", twin.body);
    for n in 1..25 {
        make_key(&mut owner, &format!("Key {n}"), &["clients:read"]).await;
    }
    let over = owner
        .call(
            "api-keys/create",
            &[
                ("input[name]", "One too many"),
                ("input[scopes][0]", "clients:read"),
            ],
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body.contains("25 keys in use"), "{}", over.body);
    let count: i64 = sqlx::query_scalar("select count(*) from api_keys")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 25, "nothing was stored for the refused requests");
}

#[sqlx::test]
async fn a_key_reads_its_own_partners_clients_only_and_only_with_its_scope(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let (_, metrics) = make_key(&mut owner, "Metrics", &["metrics:read"]).await;
    let bearer = |secret: &str| format!("Bearer {secret}");

    let list = api_get(&app, "/v1/clients", Some(&bearer(&reader))).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let names: Vec<String> = json(&list)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["company_name"].as_str().unwrap().to_string())
        .collect();
    let northwind: Vec<String> = sqlx::query_scalar(
        "select c.company_name from clients c join partners p on p.id = c.partner_id
         where p.slug = 'northwind' order by lower(c.company_name), c.id limit 25",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(names, northwind);

    let fabrikam = app.client_id("fabrikam").await;
    let olympia = app.client_id("olympia-tools").await;
    let own = api_get(
        &app,
        &format!("/v1/clients/{fabrikam}"),
        Some(&bearer(&reader)),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(json(&own)["id"], fabrikam.to_string());
    let other = api_get(
        &app,
        &format!("/v1/clients/{olympia}"),
        Some(&bearer(&reader)),
    )
    .await;
    assert_problem(&other, StatusCode::NOT_FOUND);

    let unscoped = api_get(&app, "/v1/clients", Some(&bearer(&metrics))).await;
    let problem = assert_problem(&unscoped, StatusCode::FORBIDDEN);
    assert!(problem["detail"].as_str().unwrap().contains("clients:read"));

    // No key, a made-up key and a key in the URL: 401, the last even for a good key.
    assert_problem(
        &api_get(&app, "/v1/clients", None).await,
        StatusCode::UNAUTHORIZED,
    );
    let forged = format!("Bearer ppk_{}", "a".repeat(38));
    assert_problem(
        &api_get(&app, "/v1/clients", Some(&forged)).await,
        StatusCode::UNAUTHORIZED,
    );
    let in_url = api_get(&app, &format!("/v1/clients?access_token={reader}"), None).await;
    assert!(assert_problem(&in_url, StatusCode::UNAUTHORIZED)["detail"]
        .as_str()
        .unwrap()
        .contains("never in the URL"));
    let both = api_get(
        &app,
        &format!("/v1/clients?key={reader}"),
        Some(&bearer(&reader)),
    )
    .await;
    assert_problem(&both, StatusCode::UNAUTHORIZED);

    // Use is noted on the key: when and from where.
    let (used_at, from): (Option<chrono::DateTime<chrono::Utc>>, Option<String>) = sqlx::query_as(
        "select last_used_at, host(last_used_from) from api_keys where name = 'Reader'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(used_at.is_some());
    assert_eq!(from.as_deref(), Some("127.0.0.1"));
}

#[sqlx::test]
async fn a_revoked_or_expired_key_stops_at_once_and_only_its_owner_revokes(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (id, secret) = make_key(&mut owner, "Short lived", &["clients:read"]).await;
    let (_, other) = make_key(&mut owner, "Other", &["clients:read"]).await;
    let auth = format!("Bearer {secret}");
    assert_eq!(
        api_get(&app, "/v1/clients", Some(&auth)).await.status,
        StatusCode::OK
    );

    // Another partner's owner cannot revoke it, and an unticked box changes nothing.
    let mut contoso = Browser::signed_in(&app, CONTOSO_OWNER).await;
    let foreign = contoso
        .call(
            "api-keys/revoke",
            &[("input[key_id]", &id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let unticked = owner
        .call("api-keys/revoke", &[("input[key_id]", &id)])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        api_get(&app, "/v1/clients", Some(&auth)).await.status,
        StatusCode::OK
    );

    let revoked = owner
        .call(
            "api-keys/revoke",
            &[("input[key_id]", &id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_problem(
        &api_get(&app, "/v1/clients", Some(&auth)).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_eq!(app.audit_count("api_key.revoked").await, 1);

    sqlx::query(
        "update api_keys set created_at = now() - interval '40 days',
                             expires_at = now() - interval '10 days' where name = 'Other'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let expired = api_get(&app, "/v1/clients", Some(&format!("Bearer {other}"))).await;
    assert_problem(&expired, StatusCode::UNAUTHORIZED);
    let page = json(&owner.call("api-keys", &[]).await);
    let states: Vec<&str> = page["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["state"].as_str().unwrap())
        .collect();
    // Newest first: "Other" now dates from 40 days ago.
    assert_eq!(states, ["Revoked", "Expired"]);
}

#[sqlx::test]
async fn keys_are_refused_to_a_member_acting_as_a_client(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let link = crate::impersonation::start(&mut owner).await;
    owner.get(&link).await;
    assert_eq!(owner.who().await.0.as_deref(), Some(FABRIKAM_OWNER));
    let reply = owner
        .call(
            "api-keys/create",
            &[
                ("input[name]", "Backdoor"),
                ("input[scopes][0]", "clients:write"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        owner.call("api-keys", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

/// `POST /oauth/token` with the form and headers given.
async fn token_request(app: &TestApp, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> Reply {
    let mut request = Request::post("/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        let encoded = STANDARD.encode(format!("{id}:{secret}"));
        request = request.header(header::AUTHORIZATION, format!("Basic {encoded}"));
    }
    app.send(
        request.body(Body::from(form_encode(form))).unwrap(),
        default_peer(),
    )
    .await
}

#[sqlx::test]
async fn client_credentials_give_an_hours_token_that_ends_with_its_key(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (id, secret) = make_key(&mut owner, "Automation", &["clients:read", "metrics:read"]).await;

    let grant = [("grant_type", "client_credentials")];
    let answer = token_request(&app, &grant, Some((&id, &secret))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let body = json(&answer);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "clients:read metrics:read");
    let token = body["access_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("ppt_"));
    let reply = api_get(&app, "/v1/clients", Some(&format!("Bearer {token}"))).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // A narrower token: the scope asked for, no more.
    let narrow = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "metrics:read"),
        ],
        Some((&id, &secret)),
    )
    .await;
    let narrow = json(&narrow)["access_token"].as_str().unwrap().to_string();
    let refused = api_get(&app, "/v1/clients", Some(&format!("Bearer {narrow}"))).await;
    assert_problem(&refused, StatusCode::FORBIDDEN);

    // Credentials in the body work as well; wrong ones, other grants and wider scopes do not.
    let in_body = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
        None,
    )
    .await;
    assert_eq!(in_body.status, StatusCode::OK);
    let wrong = token_request(&app, &grant, Some((&id, "ppk_wrong"))).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(json(&wrong)["error"], "invalid_client");
    assert!(wrong.headers.get(header::WWW_AUTHENTICATE).is_some());
    let other_id = uuid::Uuid::new_v4().to_string();
    let mismatched = token_request(&app, &grant, Some((&other_id, &secret))).await;
    assert_eq!(json(&mismatched)["error"], "invalid_client");
    let password = token_request(&app, &[("grant_type", "password")], Some((&id, &secret))).await;
    assert_eq!(password.status, StatusCode::BAD_REQUEST);
    assert_eq!(json(&password)["error"], "unsupported_grant_type");
    let wider = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "clients:write"),
        ],
        Some((&id, &secret)),
    )
    .await;
    assert_eq!(json(&wider)["error"], "invalid_scope");

    // Revoking the key ends its tokens at once.
    let revoked = owner
        .call(
            "api-keys/revoke",
            &[("input[key_id]", &id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    let after = api_get(&app, "/v1/clients", Some(&format!("Bearer {token}"))).await;
    assert_problem(&after, StatusCode::UNAUTHORIZED);
    let again = token_request(&app, &grant, Some((&id, &secret))).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn a_suspended_partners_keys_are_refused_and_a_frozen_partner_reads(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, secret) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let auth = format!("Bearer {secret}");
    sqlx::query("update partners set status = 'frozen' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        api_get(&app, "/v1/clients", Some(&auth)).await.status,
        StatusCode::OK
    );
    sqlx::query("update partners set status = 'suspended' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    let refused = api_get(&app, "/v1/clients", Some(&auth)).await;
    assert!(assert_problem(&refused, StatusCode::FORBIDDEN)["detail"]
        .as_str()
        .unwrap()
        .contains("suspended"));
}

#[sqlx::test]
async fn the_owner_is_told_once_a_week_before_a_key_expires(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    use partner_portal::api_keys::notices::run_once;

    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    make_key(&mut owner, "Nightly import", &["clients:write"]).await;
    make_key(&mut owner, "Later", &["clients:read"]).await;
    sqlx::query(
        "update api_keys set expires_at = now() + interval '6 days' where name = 'Nightly import'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let notices = || async {
        sqlx::query_as::<_, (String, String, String)>(
            "select to_address, subject, body_text from email_outbox where subject like '%API key%'",
        )
        .fetch_all(&app.pool)
        .await
        .unwrap()
    };
    run_once(&app.pool, "https://partners.example")
        .await
        .unwrap();
    let sent = notices().await;
    assert_eq!(sent.len(), 1, "one owner, one key due: {sent:?}");
    let (to, subject, body) = &sent[0];
    assert_eq!(to, NW_OWNER);
    assert!(subject.contains("Nightly import"), "{subject}");
    assert!(
        body.contains("https://partners.example/partner/api-keys"),
        "{body}"
    );
    run_once(&app.pool, "https://partners.example")
        .await
        .unwrap();
    assert_eq!(notices().await.len(), 1, "told once");
}

/// A POST of the API with a JSON body and the headers given.
pub(crate) async fn api_post(
    app: &TestApp,
    path: &str,
    secret: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(
        request.body(Body::from(body.to_string())).unwrap(),
        default_peer(),
    )
    .await
}

pub(crate) async fn client_count(app: &TestApp, company: &str) -> i64 {
    sqlx::query_scalar("select count(*) from clients where company_name = $1")
        .bind(company)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_client_made_through_the_api_follows_the_pages_rules_and_a_retry_makes_one(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (key_id, writer) = make_key(
        &mut owner,
        "Provisioning",
        &["clients:write", "clients:read"],
    )
    .await;
    let (_, reader) = make_key(&mut owner, "Read only", &["clients:read"]).await;
    let body = r#"{"company_name":"Zephyr Kites","contact_name":"Ana Diaz",
                  "contact_email":"ana@zephyr.example","plan":"starter","custom_price":"19.50"}"#;

    let unscoped = api_post(&app, "/v1/clients", &reader, body, &[]).await;
    assert_problem(&unscoped, StatusCode::FORBIDDEN);

    let first = api_post(
        &app,
        "/v1/clients",
        &writer,
        body,
        &[("idempotency-key", "order-4711")],
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let created = json(&first);
    assert_eq!(created["company_name"], "Zephyr Kites");
    assert_eq!(created["custom_price"], "19.50");
    assert_eq!(
        first.location(),
        Some(format!("/v1/clients/{}", created["id"].as_str().unwrap()).as_str())
    );
    let again = api_post(
        &app,
        "/v1/clients",
        &writer,
        body,
        &[("idempotency-key", "order-4711")],
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(
        json(&again)["id"],
        created["id"],
        "the first answer, replayed"
    );
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(
        client_count(&app, "Zephyr Kites").await,
        1,
        "one client for two requests"
    );
    let other_body = body.replace("Zephyr Kites", "Zephyr Two");
    let reused = api_post(
        &app,
        "/v1/clients",
        &writer,
        &other_body,
        &[("idempotency-key", "order-4711")],
    )
    .await;
    assert_problem(&reused, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(client_count(&app, "Zephyr Two").await, 0);

    // The same path as the page: the event, the owner's invitation and an audit row that
    // names the key.
    let detail: serde_json::Value = sqlx::query_scalar(
        "select detail from audit_log where action = 'client.created' and detail->>'company' = 'Zephyr Kites'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(detail["api_key"], key_id);
    let invited: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox where to_address = 'ana@zephyr.example'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(invited, 1);

    // Bad input: each field named, nothing stored.
    let bad = api_post(
        &app,
        "/v1/clients",
        &writer,
        r#"{"company_name":"","contact_name":"X","contact_email":"nope","plan":"gold-plated","custom_price":"1.234"}"#,
        &[],
    )
    .await;
    let problem = assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["company_name", "contact_email", "plan", "custom_price"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert_problem(
        &api_post(&app, "/v1/clients", &writer, "{not json", &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
}

#[sqlx::test]
async fn the_cap_holds_through_the_api_and_a_demoted_makers_key_changes_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, CONTOSO_OWNER).await;
    let (_, writer) = make_key(&mut owner, "Provisioning", &["clients:write"]).await;
    crate::clients::fill_contoso(&app, 25).await;
    let before: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let body = r#"{"company_name":"Place Twenty Six","contact_name":"A B",
                  "contact_email":"ab@place.example","plan":"starter"}"#;
    let refused = api_post(
        &app,
        "/v1/clients",
        &writer,
        body,
        &[("idempotency-key", "cap-1")],
    )
    .await;
    let problem = assert_problem(&refused, StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Bronze tier allows 25 clients"),
        "{problem}"
    );
    let after: i64 = sqlx::query_scalar("select count(*) from clients")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, before);

    // Keys act within their maker's role today: a maker no longer allowed to edit clients
    // (here: no longer a member at all) makes the key unable to change anything.
    sqlx::query(
        "update partner_members set role = 'viewer' where user_id = (select id from users where email = $1)",
    )
    .bind(CONTOSO_OWNER)
    .execute(&app.pool)
    .await
    .expect_err("the last owner cannot be demoted: the database refuses");
    sqlx::query("update api_keys set created_by = (select id from users where email = $1)")
        .bind(NW_VIEWER)
        .execute(&app.pool)
        .await
        .unwrap();
    let other_maker = api_post(&app, "/v1/clients", &writer, body, &[]).await;
    assert!(
        assert_problem(&other_maker, StatusCode::FORBIDDEN)["detail"]
            .as_str()
            .unwrap()
            .contains("can no longer make changes")
    );
}

#[sqlx::test]
async fn every_answer_says_where_the_key_stands_and_the_request_past_the_budget_waits(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    use partner_portal::api::rate_limit::PER_MINUTE;

    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, secret) = make_key(&mut owner, "Busy", &["clients:read"]).await;
    let auth = format!("Bearer {secret}");
    let first = api_get(&app, "/v1/clients", Some(&auth)).await;
    assert_eq!(
        first.headers.get("ratelimit-policy").unwrap(),
        &format!("\"per-key\";q={PER_MINUTE};w=60")
    );
    let state = first
        .headers
        .get("ratelimit")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        state.starts_with(&format!("\"per-key\";r={};t=", PER_MINUTE - 1)),
        "{state}"
    );
    for _ in 1..PER_MINUTE {
        let reply = api_get(
            &app,
            "/v1/clients/00000000-0000-0000-0000-000000000000",
            Some(&auth),
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let over = api_get(&app, "/v1/clients", Some(&auth)).await;
    assert_problem(&over, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = over
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(over
        .headers
        .get("ratelimit")
        .unwrap()
        .to_str()
        .unwrap()
        .contains(";r=0;"));
    // Another key of the same partner has its own budget.
    let (_, other) = make_key(&mut owner, "Quiet", &["clients:read"]).await;
    assert_eq!(
        api_get(&app, "/v1/clients", Some(&format!("Bearer {other}")))
            .await
            .status,
        StatusCode::OK
    );
}
