//! The rest of `/v1` through the real router: changing a client, licenses (signed, checked
//! by OpenSSL, revoked), metrics, statements, branding, and the OpenAPI document. Each
//! operation is refused to another partner's key (404), a key without its scope (403), a
//! key whose maker lost the right (403), and no key (401).

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use serde_json::{json, Value};

use crate::api_keys::{api_get, api_post, assert_problem, json, make_key};
use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// A request of the API with a JSON body.
async fn api_send(app: &TestApp, method: Method, path: &str, secret: &str, body: Value) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"));
    app.send(
        request.body(Body::from(body.to_string())).unwrap(),
        default_peer(),
    )
    .await
}

fn bearer(secret: &str) -> String {
    format!("Bearer {secret}")
}

async fn events(app: &TestApp, client: uuid::Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "select kind from subscription_events where client_id = $1 order by occurred_at, id",
    )
    .bind(client)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_client_is_changed_suspended_resumed_and_canceled_as_the_pages_do(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (key_id, writer) = make_key(&mut owner, "Provisioning", &["clients:write"]).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let fabrikam = app.client_id("fabrikam").await;
    let path = format!("/v1/clients/{fabrikam}");
    let before = events(&app, fabrikam).await.len();

    // A change of plan and price: two subscription events and an audit row on the key.
    let changed = api_send(
        &app,
        Method::PATCH,
        &path,
        &writer,
        json!({ "plan": "enterprise", "custom_price": "450.00" }),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let client = json(&changed);
    assert_eq!(client["plan"], "enterprise");
    assert_eq!(client["custom_price"], "450.00");
    assert_eq!(
        client["company_name"], "Fabrikam",
        "fields left out are kept"
    );
    let kinds = events(&app, fabrikam).await;
    assert_eq!(&kinds[before..], ["plan_changed", "price_changed"]);
    let via: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'client.updated' and detail->>'api_key' = $1",
    )
    .bind(&key_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(via, 1, "the change is attributed to the key");

    // Null goes back to the plan's price.
    let reset = api_send(
        &app,
        Method::PATCH,
        &path,
        &writer,
        json!({ "custom_price": null }),
    )
    .await;
    assert_eq!(json(&reset)["custom_price"], Value::Null);

    // Bad input: each field named, nothing changed.
    let bad = api_send(
        &app,
        Method::PATCH,
        &path,
        &writer,
        json!({ "plan": "platinum-plus", "contact_email": "nope" }),
    )
    .await;
    let problem = assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"plan") && fields.contains(&"contact_email"),
        "{fields:?}"
    );
    let unknown = api_send(
        &app,
        Method::PATCH,
        &path,
        &writer,
        json!({ "colour": "red" }),
    )
    .await;
    assert_problem(&unknown, StatusCode::UNPROCESSABLE_ENTITY);
    let now = api_get(&app, &path, Some(&bearer(&reader))).await;
    assert_eq!(json(&now)["plan"], "enterprise");

    // Suspend, resume, cancel; a canceled client cannot be suspended.
    for (action, status) in [
        ("suspend", "suspended"),
        ("resume", "active"),
        ("cancel", "canceled"),
    ] {
        let reply = api_post(&app, &format!("{path}/{action}"), &writer, "", &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{action}: {}", reply.body);
        assert_eq!(json(&reply)["status"], status);
    }
    let refused = api_post(&app, &format!("{path}/suspend"), &writer, "", &[]).await;
    assert_problem(&refused, StatusCode::CONFLICT);
    assert_eq!(app.audit_count("client.status_changed").await, 3);

    // Another partner's client is not there; a reading key may not change; no key is 401.
    let olympia = app.client_id("olympia-tools").await;
    let other = api_send(
        &app,
        Method::PATCH,
        &format!("/v1/clients/{olympia}"),
        &writer,
        json!({ "plan": "starter" }),
    )
    .await;
    assert_problem(&other, StatusCode::NOT_FOUND);
    let other = api_post(
        &app,
        &format!("/v1/clients/{olympia}/suspend"),
        &writer,
        "",
        &[],
    )
    .await;
    assert_problem(&other, StatusCode::NOT_FOUND);
    let read_only = api_post(&app, &format!("{path}/resume"), &reader, "", &[]).await;
    assert_problem(&read_only, StatusCode::FORBIDDEN);
    let anonymous = app
        .send(
            Request::post(format!("{path}/resume"))
                .body(Body::empty())
                .unwrap(),
            default_peer(),
        )
        .await;
    assert_problem(&anonymous, StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn a_list_filter_that_cannot_match_is_named_not_ignored(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let bad = api_get(
        &app,
        "/v1/clients?status=archived&sort=size",
        Some(&bearer(&reader)),
    )
    .await;
    let problem = assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2, "{problem}");
    let good = api_get(
        &app,
        "/v1/clients?status=active&sort=price&dir=desc",
        Some(&bearer(&reader)),
    )
    .await;
    assert_eq!(good.status, StatusCode::OK);
    let prices: Vec<f64> = json(&good)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["price"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
}

/// Writes `bytes` to a file in `dir` and returns its path.
fn file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Whether OpenSSL (a verifier written by others) accepts `license_key` with `pem`.
fn openssl_accepts(pem: &str, license_key: &str) -> bool {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let parts: Vec<&str> = license_key.split('.').collect();
    assert_eq!(parts.len(), 3, "{license_key}");
    let dir = tempfile::tempdir().unwrap();
    let payload = file(
        dir.path(),
        "payload.json",
        &URL_SAFE_NO_PAD.decode(parts[1]).unwrap(),
    );
    let signature = file(
        dir.path(),
        "signature.bin",
        &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
    );
    let key = file(dir.path(), "public.pem", pem.as_bytes());
    let status = std::process::Command::new("openssl")
        .args(["pkeyutl", "-verify", "-pubin", "-rawin", "-inkey"])
        .arg(&key)
        .arg("-in")
        .arg(&payload)
        .arg("-sigfile")
        .arg(&signature)
        .output()
        .expect("openssl runs");
    status.status.success()
}

#[sqlx::test]
async fn a_license_is_signed_for_offline_checks_and_revoked_on_the_record(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, issuer) = make_key(&mut owner, "Licensing", &["licenses:write", "clients:read"]).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let fabrikam = app.client_id("fabrikam").await;
    let path = format!("/v1/clients/{fabrikam}/licenses");
    let body = r#"{"type":"subscription","duration_days":365,"features":["sso","audit-log"],"max_users":50}"#;

    let issued = api_post(&app, &path, &issuer, body, &[("idempotency-key", "lic-1")]).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
    let license = json(&issued);
    assert_eq!(license["status"], "active");
    assert_eq!(license["features"], json!(["sso", "audit-log"]));
    let again = api_post(&app, &path, &issuer, body, &[("idempotency-key", "lic-1")]).await;
    assert_eq!(
        json(&again)["id"],
        license["id"],
        "a retry issues one license"
    );
    assert_eq!(app.audit_count("license.issued").await, 1);

    // The key carries the terms, and OpenSSL checks it with the published public key.
    let public = api_get(&app, "/v1/licenses/public-key", None).await;
    assert_eq!(public.status, StatusCode::OK);
    let pem = json(&public)["pem"].as_str().unwrap().to_string();
    let key = license["license_key"].as_str().unwrap();
    assert!(openssl_accepts(&pem, key));
    let payload: Value = {
        use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
        serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(key.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(payload["client_id"], fabrikam.to_string());
    assert_eq!(payload["max_users"], 50);
    assert_eq!(payload["expires_at"], license["expires_at"]);
    // One changed character of the payload and the signature no longer holds.
    let forged = key.replacen("eyJ", "eyK", 1);
    assert!(!openssl_accepts(&pem, &forged));

    // Listed for the client; revoked (audited) and shown as such.
    let list = api_get(&app, &path, Some(&bearer(&reader))).await;
    assert_eq!(json(&list)["data"][0]["id"], license["id"]);
    let id = license["id"].as_str().unwrap();
    let read_only = api_post(&app, &format!("/v1/licenses/{id}/revoke"), &reader, "", &[]).await;
    assert_problem(&read_only, StatusCode::FORBIDDEN);
    let revoked = api_post(&app, &format!("/v1/licenses/{id}/revoke"), &issuer, "", &[]).await;
    assert_eq!(json(&revoked)["status"], "revoked");
    assert_eq!(app.audit_count("license.revoked").await, 1);

    // Bad terms are named; a suspended client gets none; another partner's client is 404.
    let bad = api_post(
        &app,
        &path,
        &issuer,
        r#"{"type":"forever","features":["No Spaces"],"max_users":0}"#,
        &[],
    )
    .await;
    let problem = assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3, "{problem}");
    api_post(
        &app,
        &format!("/v1/clients/{fabrikam}/suspend"),
        &make_key(&mut owner, "W", &["clients:write"]).await.1,
        "",
        &[],
    )
    .await;
    let suspended = api_post(&app, &path, &issuer, body, &[]).await;
    assert_problem(&suspended, StatusCode::CONFLICT);
    let olympia = app.client_id("olympia-tools").await;
    let other = api_post(
        &app,
        &format!("/v1/clients/{olympia}/licenses"),
        &issuer,
        body,
        &[],
    )
    .await;
    assert_problem(&other, StatusCode::NOT_FOUND);
    let mut contoso = Browser::signed_in(&app, CONTOSO_OWNER).await;
    let (_, theirs) = make_key(&mut contoso, "Theirs", &["licenses:write", "clients:read"]).await;
    let not_theirs = api_get(&app, &format!("/v1/licenses/{id}"), Some(&bearer(&theirs))).await;
    assert_problem(&not_theirs, StatusCode::NOT_FOUND);
    let count: i64 = sqlx::query_scalar("select count(*) from licenses")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test]
async fn metrics_and_statements_read_what_the_dashboard_and_the_statements_page_show(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, money) = make_key(&mut owner, "Finance", &["metrics:read", "commissions:read"]).await;
    let (_, clients_only) = make_key(&mut owner, "Clients", &["clients:read"]).await;

    let metrics = api_get(&app, "/v1/metrics", Some(&bearer(&money))).await;
    assert_eq!(metrics.status, StatusCode::OK, "{}", metrics.body);
    let m = json(&metrics);
    let dashboard = json(&owner.call("partner/dashboard", &[]).await);
    assert_eq!(m["mrr"], dashboard["money"]["mrr"]);
    assert_eq!(m["arr"], dashboard["money"]["arr"]);
    assert_eq!(m["active_clients"], dashboard["overview"]["active_clients"]);
    assert_eq!(m["tier"]["name"], "gold");
    assert_eq!(m["next_tier"]["name"], "platinum");
    let needed = 50 - m["active_clients"].as_i64().unwrap();
    assert_eq!(m["next_tier"]["clients_needed"], needed.max(0));
    assert_problem(
        &api_get(&app, "/v1/metrics", Some(&bearer(&clients_only))).await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &api_get(&app, "/v1/metrics", None).await,
        StatusCode::UNAUTHORIZED,
    );

    let statements = api_get(&app, "/v1/statements", Some(&bearer(&money))).await;
    assert_eq!(statements.status, StatusCode::OK);
    let list = json(&statements);
    let page = json(&owner.call("partner/commissions", &[]).await);
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        page["statements"].as_array().unwrap().len()
    );
    let latest = &list["data"][0];
    assert!(
        latest["month"].is_string(),
        "the demo has closed months: {list}"
    );
    let month = latest["month"].as_str().unwrap();
    let one = json(
        &api_get(
            &app,
            &format!("/v1/statements/{month}"),
            Some(&bearer(&money)),
        )
        .await,
    );
    assert_eq!(one["statement"], *latest);
    let lines = one["lines"].as_array().unwrap();
    assert_eq!(
        lines.len() as i64,
        latest["lines"].as_i64().unwrap().min(100)
    );
    let sum: rust_decimal::Decimal = lines
        .iter()
        .map(|l| {
            l["amount"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    if latest["lines"].as_i64().unwrap() <= 100 {
        assert_eq!(sum.to_string(), latest["total"].as_str().unwrap());
    }
    assert_problem(
        &api_get(&app, "/v1/statements/2001-01", Some(&bearer(&money))).await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &api_get(
            &app,
            &format!("/v1/statements/{month}?after=x"),
            Some(&bearer(&money)),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_problem(
        &api_get(&app, "/v1/statements", Some(&bearer(&clients_only))).await,
        StatusCode::FORBIDDEN,
    );

    // Contoso reads its own statements only.
    let mut contoso = Browser::signed_in(&app, CONTOSO_OWNER).await;
    let (_, theirs) = make_key(&mut contoso, "Finance", &["commissions:read"]).await;
    let theirs = json(&api_get(&app, "/v1/statements", Some(&bearer(&theirs))).await);
    let ours: Vec<&Value> = list["data"].as_array().unwrap().iter().collect();
    for statement in theirs["data"].as_array().unwrap() {
        assert!(
            !ours.contains(&statement) || statement["total"] == "0",
            "{statement}"
        );
    }
}

#[sqlx::test]
async fn a_brand_is_drafted_and_published_through_the_editors_rules(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (key_id, brander) = make_key(&mut owner, "Brand sync", &["branding:write"]).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;

    let bad = api_post(
        &app,
        "/v1/branding/drafts",
        &brander,
        r##"{"primary_color":"blue-ish","company_name":"Northwind"}"##,
        &[],
    )
    .await;
    let problem = assert_problem(&bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "primary_color");
    let css = api_post(
        &app,
        "/v1/branding/drafts",
        &brander,
        r##"{"custom_css":"a{color:red}"}"##,
        &[],
    )
    .await;
    assert!(
        css.status.is_client_error(),
        "custom CSS is for Platinum: {}",
        css.body
    );

    let saved = api_post(
        &app,
        "/v1/branding/drafts",
        &brander,
        r##"{"primary_color":"#112233","company_name":"Northwind Cloud"}"##,
        &[],
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let version = json(&saved)["version"].as_i64().unwrap();
    let body = format!(r#"{{"version":{version}}}"#);
    assert_problem(
        &api_post(&app, "/v1/branding/publish", &reader, &body, &[]).await,
        StatusCode::FORBIDDEN,
    );
    let published = api_post(&app, "/v1/branding/publish", &brander, &body, &[]).await;
    assert_eq!(
        json(&published),
        json!({ "version": version, "published": true })
    );
    let live: i32 = sqlx::query_scalar(
        "select v.number from branding_versions v join partners p on p.id = v.partner_id
         where p.slug = 'northwind' and v.is_published",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(i64::from(live), version);
    let via: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action in ('branding.saved', 'branding.published') and detail->>'api_key' = $1",
    )
    .bind(&key_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(via, 2);
    assert_problem(
        &api_post(
            &app,
            "/v1/branding/publish",
            &brander,
            r#"{"version":9999}"#,
            &[],
        )
        .await,
        StatusCode::NOT_FOUND,
    );
}

#[sqlx::test]
async fn the_openapi_document_covers_every_operation_and_the_docs_work_offline(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let doc = api_get(&app, "/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = json(&doc);
    assert_eq!(doc["openapi"], "3.1.0");
    let operations = [
        ("get", "/v1/key"),
        ("get", "/v1/clients"),
        ("post", "/v1/clients"),
        ("get", "/v1/clients/{id}"),
        ("patch", "/v1/clients/{id}"),
        ("post", "/v1/clients/{id}/suspend"),
        ("post", "/v1/clients/{id}/resume"),
        ("post", "/v1/clients/{id}/cancel"),
        ("get", "/v1/clients/{id}/licenses"),
        ("post", "/v1/clients/{id}/licenses"),
        ("get", "/v1/licenses/{id}"),
        ("post", "/v1/licenses/{id}/revoke"),
        ("get", "/v1/licenses/public-key"),
        ("get", "/v1/metrics"),
        ("get", "/v1/statements"),
        ("get", "/v1/statements/{month}"),
        ("post", "/v1/branding/drafts"),
        ("post", "/v1/branding/publish"),
        ("get", "/v1/webhook-endpoints"),
        ("post", "/v1/webhook-endpoints"),
        ("delete", "/v1/webhook-endpoints/{id}"),
        ("post", "/v1/webhook-endpoints/{id}/rotate-secret"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        operations.len(),
        "{:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (method, path) in operations {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path}");
        assert!(
            operation["responses"]["401"].is_object(),
            "{method} {path}: problems listed"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );

    // The docs page and its files come from the portal itself.
    let page = app.get_page(None, "/docs/api/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("swagger-ui"), "{}", page.body);
    assert!(!page.body.contains("https://"), "nothing from the internet");
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-initializer.js",
    ] {
        let file = app.get_page(None, &format!("/docs/api/{asset}")).await;
        assert_eq!(file.status, StatusCode::OK, "{asset}");
    }
    let initializer = app.get_page(None, "/docs/api/swagger-initializer.js").await;
    assert!(initializer.body.contains("/v1/openapi.json"));

    // A path that names no operation answers as the API does.
    let unknown = api_get(&app, "/v1/nothing-here", None).await;
    assert_problem(&unknown, StatusCode::NOT_FOUND);
}
