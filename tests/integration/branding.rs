//! Branding through the real router: versions, publishing and rollback, white-label delivery
//! in the client portal and on sign-in pages, uploads, custom domains verified against a real
//! DNS server (dnsmasq), and who may do what.

use std::collections::HashMap;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use partner_portal::branding::queries::partner_by_host;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::{authorization::BRAND_FORM, common::*, dns::Dns};

const NW_SUPPORT_EMAIL: &str = "support@northwind.demo.test";
const LITWARE_OWNER: &str = "owner@litware.demo.test";
const LAKESHORE_OWNER: &str = "owner@lakeshore-retail.demo.test";
const OLYMPIA_OWNER: &str = "owner@olympia-tools.demo.test";

fn form_with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    BRAND_FORM
        .iter()
        .map(|(k, v)| {
            let v = changes
                .iter()
                .find(|(c, _)| format!("input[{c}]") == *k)
                .map_or(*v, |(_, v)| *v);
            (*k, v)
        })
        .collect()
}

async fn versions(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from branding_versions v join partners p on p.id = v.partner_id where p.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn publishing_and_rolling_back_change_what_clients_see(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    // The demo's live version is Northwind's second, teal.
    let page = app.get_page(None, "/b/northwind/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("--color-primary:#0f766e"),
        "{}",
        page.body
    );
    let heading = page
        .body
        .split("id=\"login-title\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        heading
            .split("</h1>")
            .next()
            .unwrap()
            .contains("Northwind Cloud"),
        "{heading}"
    );

    let saved = app
        .call(
            Some(&owner),
            "partner/branding/save",
            &form_with(&[("primary_color", "#7E22CE")]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body, "3");
    // A draft changes nothing for clients.
    let page = app.get_page(None, "/b/northwind/login").await;
    assert!(page.body.contains("--color-primary:#0f766e"));

    let published_before = app.audit_count("branding.published").await;
    let reply = app
        .call(
            Some(&owner),
            "partner/branding/publish",
            &[("version", "3")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.audit_count("branding.published").await,
        published_before + 1
    );
    let page = app.get_page(None, "/b/northwind/login").await;
    assert!(
        page.body.contains("--color-primary:#7e22ce"),
        "the new color is live"
    );

    // Roll back: version 2 is copied as version 4, then published.
    let restored = app
        .call(
            Some(&owner),
            "partner/branding/restore",
            &[("version", "2")],
        )
        .await;
    assert_eq!(restored.body, "4", "{}", restored.body);
    app.call(
        Some(&owner),
        "partner/branding/publish",
        &[("version", "4")],
    )
    .await;
    let page = app.get_page(None, "/b/northwind/login").await;
    assert!(
        page.body.contains("--color-primary:#0f766e"),
        "the earlier look is back"
    );
    let live: Vec<i32> = sqlx::query_scalar(
        "select number from branding_versions v join partners p on p.id = v.partner_id
         where p.slug = 'northwind' and is_published",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(live, vec![4], "exactly one version is live");
    let restored_from: Option<i32> = sqlx::query_scalar(
        "select restored_from from branding_versions v join partners p on p.id = v.partner_id
         where p.slug = 'northwind' and number = 4",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(restored_from, Some(2));

    // Versions that do not exist are "not found", and change nothing.
    let reply = app
        .call(
            Some(&owner),
            "partner/branding/publish",
            &[("version", "99")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(versions(&app, "northwind").await, 4);
}

#[sqlx::test]
async fn bad_input_gets_field_messages_and_saves_nothing(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    let litware_logo: String = sqlx::query_scalar(
        "select a.id::text from branding_assets a join partners p on p.id = a.partner_id
         where p.slug = 'litware' and kind = 'logo'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (form_with(&[("primary_color", "blue")]), "primary_color"),
        (
            form_with(&[("logo_url", "http://cdn.example.com/l.png")]),
            "logo_url",
        ),
        (
            form_with(&[("terms_url", "javascript:alert(1)")]),
            "terms_url",
        ),
        (form_with(&[("support_email", "nobody")]), "support_email"),
        // Custom CSS is for Platinum; Northwind is Gold.
        (form_with(&[("custom_css", "a{color:red}")]), "custom_css"),
        // Another partner's upload cannot be picked.
        (form_with(&[("logo", litware_logo.as_str())]), "logo"),
    ];
    for (form, field) in cases {
        let reply = app.call(Some(&owner), "partner/branding/save", &form).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.body
        );
        assert!(
            reply.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            reply.body
        );
        // What was typed comes back, so nothing is lost.
        assert!(reply.body.contains("Northwind Cloud"), "{}", reply.body);
    }
    assert_eq!(versions(&app, "northwind").await, 2, "nothing was saved");
}

#[sqlx::test]
async fn a_client_user_signs_out_to_the_resellers_sign_in_page(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let fabrikam = app.sign_in(FABRIKAM_OWNER).await;
    let reply = app.call(Some(&fabrikam), "logout", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.destination().as_deref(), Some("/b/northwind/login"));
    let page = app.get_page(None, "/b/northwind/login").await;
    assert!(
        page.body.contains("data-brand-style"),
        "the page is branded"
    );
    // A partner member still lands on the vendor's home page.
    let owner = app.sign_in(NW_OWNER).await;
    let reply = app.call(Some(&owner), "logout", &[]).await;
    assert_eq!(reply.destination().as_deref(), Some("/"));
}

#[sqlx::test]
async fn clients_see_their_resellers_published_brand(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    // Northwind (Gold): brand, logo, support contacts, title.
    let fabrikam = app.sign_in(FABRIKAM_OWNER).await;
    let page = app.get_page(Some(&fabrikam), "/app").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-brand-style"));
    assert!(page.body.contains("--color-primary:#0f766e"));
    assert!(page.body.contains("/brand-assets/"), "the logo");
    assert!(page.body.contains(NW_SUPPORT_EMAIL));
    assert!(
        page.body.contains("· Northwind Cloud</title>"),
        "{}",
        page.body
    );
    // Contoso (Bronze): the vendor's look.
    let olympia = app.sign_in(OLYMPIA_OWNER).await;
    let page = app.get_page(Some(&olympia), "/app").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("data-brand-style"));
    assert!(page.body.contains("Partner Portal"));
    // Contoso's branded sign-in page is the plain one too.
    let page = app.get_page(None, "/b/contoso/login").await;
    assert!(!page.body.contains("data-brand-style"));
    // An admin switch turns Northwind's white-label off.
    sqlx::query("update partners set white_label_enabled = false where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.get_page(Some(&fabrikam), "/app").await;
    assert!(!page.body.contains("data-brand-style"));
}

#[sqlx::test]
async fn platinum_custom_css_is_served_rebuilt_and_scoped(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let client = app.sign_in(LAKESHORE_OWNER).await;
    let page = app.get_page(Some(&client), "/app").await;
    assert!(
        page.body
            .contains("[data-brand-root] .site-header{background:#312e81"),
        "{}",
        page.body
    );
    // Its rule for the banner is kept only under the branded root, where the banner is not.
    assert!(page
        .body
        .contains("[data-brand-root] .impersonation-banner{display:none}"));
    assert!(!page.body.contains("fonts.example.com"), "@import removed");
    assert!(
        !page.body.contains("tracker.example.com"),
        "remote url() removed"
    );
    let banner_at = page.body.find("data-brand-root").unwrap();
    assert!(page.body[..banner_at]
        .find("impersonation-banner")
        .is_none_or(|i| i < banner_at));

    // The editor lists what was removed, line by line.
    let owner = app.sign_in(LITWARE_OWNER).await;
    let editor = app.call(Some(&owner), "partner/branding", &[]).await;
    assert_eq!(editor.status, StatusCode::OK);
    assert!(editor.body.contains("\"line\":1"), "{}", editor.body);
    assert!(editor.body.contains("\"line\":7"), "{}", editor.body);
    // Below Platinum the custom CSS is not served, even if a version has some.
    sqlx::query("update partners set tier = 'gold' where slug = 'litware'")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = app.get_page(Some(&client), "/app").await;
    assert!(page.body.contains("data-brand-style"));
    assert!(!page.body.contains(".site-header{background:#312e81"));
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

async fn upload(
    app: &TestApp,
    cookie: Option<&str>,
    kind: &str,
    name: &str,
    bytes: &[u8],
) -> Reply {
    let boundary = "XyZboundary42";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n")
            .bytes(),
    );
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let mut request = Request::post("/partner/branding/assets")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).unwrap(), default_peer())
        .await
}

async fn assets(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from branding_assets")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn uploads_are_checked_from_their_bytes_and_served_immutable(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    let before = assets(&app).await;

    // An HTML file named logo.png, and a 20 MB image: refused with a message, nothing stored.
    let html = b"<!doctype html><script>alert(document.cookie)</script>";
    let reply = upload(&app, Some(&owner), "logo", "logo.png", html).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply.location().unwrap().contains("upload_error=This"),
        "{:?}",
        reply.location()
    );
    let mut huge = png(800, 200);
    huge.resize(20 * 1024 * 1024, 0);
    let reply = upload(&app, Some(&owner), "logo", "big.png", &huge).await;
    assert!(
        reply.location().unwrap().contains("20.0"),
        "{:?}",
        reply.location()
    );
    assert_eq!(assets(&app).await, before);

    // A PNG named logo.exe is a PNG: stored and served as one.
    let reply = upload(&app, Some(&owner), "logo", "logo.exe", &png(300, 90)).await;
    let location = reply.location().unwrap().to_string();
    assert!(location.contains("uploaded="), "{location}");
    assert_eq!(assets(&app).await, before + 1);
    let (id, sha, content_type): (uuid::Uuid, String, String) = sqlx::query_as(
        "select id, sha256, content_type from branding_assets order by created_at desc limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(content_type, "image/png");
    let url = format!("/brand-assets/{id}/{}.png", &sha[..16]);
    let served = app.get_page(None, &url).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(served.headers[header::ETAG], format!("\"{sha}\""));
    assert!(served.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    let again = app
        .send(
            Request::get(&url)
                .header(header::IF_NONE_MATCH, format!("\"{sha}\""))
                .body(Body::empty())
                .unwrap(),
            default_peer(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let wrong = app
        .get_page(None, &format!("/brand-assets/{id}/0000000000000000.png"))
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    // Nobody else may upload: anonymous, a lower role, a Bronze partner.
    let reply = upload(&app, None, "logo", "l.png", &png(10, 10)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    for email in [
        NW_SALES,
        NW_SUPPORT,
        NW_VIEWER,
        CONTOSO_OWNER,
        FABRIKAM_OWNER,
        ADMIN,
    ] {
        let cookie = app.sign_in(email).await;
        let reply = upload(&app, Some(&cookie), "logo", "l.png", &png(10, 10)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(assets(&app).await, before + 1);
}

#[sqlx::test]
async fn members_of_another_partner_never_touch_this_brand(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    // Litware's owner publishing "version 1" publishes Litware's own, never Northwind's.
    let litware = app.sign_in(LITWARE_OWNER).await;
    let reply = app
        .call(
            Some(&litware),
            "partner/branding/publish",
            &[("version", "1")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let editor = app.call(Some(&litware), "partner/branding", &[]).await;
    assert!(editor.body.contains("Litware Workspace"));
    assert!(
        !editor.body.contains("Northwind Cloud"),
        "only its own versions"
    );
    let northwind_live: i32 = sqlx::query_scalar(
        "select number from branding_versions v join partners p on p.id = v.partner_id
         where p.slug = 'northwind' and is_published",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(northwind_live, 2);
    // Restoring "version 2" as Litware (which has only one) is not found.
    let reply = app
        .call(
            Some(&litware),
            "partner/branding/restore",
            &[("version", "2")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(versions(&app, "northwind").await, 2);
}

/// `/login` as asked for on `host`.
async fn host_page(app: &TestApp, host: &str) -> String {
    let request = Request::get("/login")
        .header(header::HOST, host)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap();
    app.send(request, default_peer()).await.body
}

#[sqlx::test]
async fn a_custom_domain_is_verified_by_its_txt_record_and_then_serves_the_brand(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    partner_portal::demo::seed_demo(&pool).await.unwrap();
    let owner_app = TestApp::unseeded(pool.clone()).await;
    let owner = owner_app.sign_in(NW_OWNER).await;
    let reply = owner_app
        .call(
            Some(&owner),
            "partner/branding/domain",
            &[("domain", "Portal.Northwind.Example")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let token: String = sqlx::query_scalar(
        "select token from partner_domains where domain = 'portal.northwind.example'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Unverified: nothing branded.
    assert!(!host_page(&owner_app, "portal.northwind.example:443")
        .await
        .contains("data-brand-style"));
    assert_eq!(
        partner_by_host(&pool, "portal.northwind.example")
            .await
            .unwrap(),
        None
    );

    // A DNS server without the record: not verified, with a message.
    let empty = Dns::start("_partner-portal.other.example", "nothing");
    let env = HashMap::from([("PORTAL_DNS_SERVER".to_string(), empty.addr.to_string())]);
    let app = TestApp::with_env(pool.clone(), &env).await;
    let reply = app
        .call(Some(&owner), "partner/branding/domain/verify", &[])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("No TXT record"), "{}", reply.body);
    assert_eq!(app.audit_count("branding.domain_check_failed").await, 1);
    drop(empty);

    // A DNS server with the record: verified, audited, and the domain serves the brand.
    let dns = Dns::start(
        "_partner-portal.portal.northwind.example",
        &format!("partner-portal-verification={token}"),
    );
    let env = HashMap::from([("PORTAL_DNS_SERVER".to_string(), dns.addr.to_string())]);
    let app = TestApp::with_env(pool.clone(), &env).await;
    let reply = app
        .call(Some(&owner), "partner/branding/domain/verify", &[])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(app.audit_count("branding.domain_verified").await, 1);
    let northwind: uuid::Uuid =
        sqlx::query_scalar("select id from partners where slug = 'northwind'")
            .fetch_one(&pool)
            .await
            .unwrap();
    for host in [
        "portal.northwind.example",
        "PORTAL.northwind.example:8443",
        "portal.northwind.example.",
    ] {
        assert_eq!(
            partner_by_host(&pool, host).await.unwrap(),
            Some(northwind),
            "{host}"
        );
    }
    assert_eq!(
        partner_by_host(&pool, "northwind.example").await.unwrap(),
        None
    );
    let body = host_page(&app, "portal.northwind.example").await;
    assert!(body.contains("data-brand-style"), "{body}");
    assert!(body.contains("Northwind Cloud"));
    custom_domain_serves_only_its_clients(&app, "portal.northwind.example").await;

    // Changing the domain starts over, unverified.
    app.call(
        Some(&owner),
        "partner/branding/domain",
        &[("domain", "clients.northwind.example")],
    )
    .await;
    assert_eq!(
        partner_by_host(&pool, "clients.northwind.example")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        partner_by_host(&pool, "portal.northwind.example")
            .await
            .unwrap(),
        None
    );
    // Bad domains get a message.
    let reply = app
        .call(
            Some(&owner),
            "partner/branding/domain",
            &[("domain", "not a domain")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test]
async fn client_invitations_wear_the_brand(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    let fabrikam = app.sign_in(FABRIKAM_OWNER).await;
    let reply = app
        .call(
            Some(&fabrikam),
            "app/users/invite",
            &[("email", "new.user@fabrikam.example")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (subject, body): (String, String) = sqlx::query_as(
        "select subject, body_text from email_outbox where to_address = 'new.user@fabrikam.example'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(subject.contains("Northwind Cloud"), "{subject}");
    assert!(body.contains(NW_SUPPORT_EMAIL), "{body}");
    let token = body
        .split("/invite/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    let page = app.get_page(None, &format!("/invite/{token}")).await;
    assert!(
        page.body.contains("data-brand-style"),
        "the invitation page is branded"
    );
}

/// On a verified custom domain: the admin and partner areas are not there, staff cannot sign
/// in (answered like a wrong password), the partner's own client users can; a host nobody
/// verified is refused.
async fn custom_domain_serves_only_its_clients(app: &TestApp, domain: &str) {
    let on = |method: &str, path: &str, form: Option<&[(&str, &str)]>| {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, domain)
            .header(header::ACCEPT, "application/json");
        let body = match form {
            Some(form) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form_encode(form))
            }
            None => Body::empty(),
        };
        request.body(body).unwrap()
    };
    for path in [
        "/admin",
        "/admin/partners",
        "/partner",
        "/apply",
        "/b/northwind/login",
    ] {
        let reply = app.send(on("GET", path, None), default_peer()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path} on {domain}");
    }
    let admin = app.sign_in(ADMIN).await;
    let mut request = on("POST", "/api/admin/partners", Some(&[]));
    request
        .headers_mut()
        .insert(header::COOKIE, admin.parse().unwrap());
    assert_eq!(
        app.send(request, default_peer()).await.status,
        StatusCode::NOT_FOUND,
        "staff server functions are not there either"
    );
    let password = partner_portal::demo::DEMO_PASSWORD;
    for staff in [ADMIN, NW_OWNER] {
        let reply = app
            .send(
                on(
                    "POST",
                    "/api/login",
                    Some(&[("input[email]", staff), ("input[password]", password)]),
                ),
                default_peer(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{staff}");
        assert!(
            reply
                .body
                .contains(partner_portal::auth::server::SIGN_IN_FAILED),
            "{}",
            reply.body
        );
    }
    let reply = app
        .send(
            on(
                "POST",
                "/api/login",
                Some(&[
                    ("input[email]", FABRIKAM_OWNER),
                    ("input[password]", password),
                ]),
            ),
            default_peer(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.destination().as_deref(), Some("/app"));

    let mut request = on("GET", "/login", None);
    request
        .headers_mut()
        .insert(header::HOST, "unknown.example".parse().unwrap());
    assert_eq!(
        app.send(request, default_peer()).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
}
