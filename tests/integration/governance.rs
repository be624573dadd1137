//! Admin partner management through the real router: freezing, suspending and reactivating
//! a partner with a reason, pinning its tier, its switches, and what each does to its
//! members, its client portals and its timeline.

use axum::http::StatusCode;
use partner_portal::governance::model::PartnerDetail;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

async fn status_of(app: &TestApp, slug: &str) -> String {
    sqlx::query_scalar("select status::text from partners where slug = $1")
        .bind(slug)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn detail(app: &TestApp, admin: &str, id: Uuid) -> PartnerDetail {
    let reply = app
        .call(Some(admin), "admin/partner", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

async fn change_status(app: &TestApp, admin: &str, id: Uuid, change: &str, reason: &str) -> Reply {
    app.call(
        Some(admin),
        "admin/partner/status",
        &[
            ("input[partner_id]", &id.to_string()),
            ("input[change]", change),
            ("input[reason]", reason),
        ],
    )
    .await
}

#[sqlx::test]
async fn freeze_suspend_and_reactivate_with_reasons_on_the_timeline(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let contoso = app.partner_id("contoso").await;
    let admin = app.sign_in(ADMIN).await;
    let owner = app.sign_in(CONTOSO_OWNER).await;

    // No reason: refused next to the field, nothing changes.
    let before = app.audit_count("partner.frozen").await;
    let reply = change_status(&app, &admin, contoso, "freeze", "  ").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("reason"), "{}", reply.body);
    assert_eq!(status_of(&app, "contoso").await, "active");
    assert_eq!(app.audit_count("partner.frozen").await, before);

    // Frozen: the owner still reads, changes nothing, and is told why.
    let reply = change_status(&app, &admin, contoso, "freeze", "Unpaid invoice INV-2041").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(status_of(&app, "contoso").await, "frozen");
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        StatusCode::OK
    );
    let refused = app
        .call(
            Some(&owner),
            "team/invite",
            &[
                ("input[email]", "new@contoso.example"),
                ("input[role]", "sales"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("frozen"), "{}", refused.body);
    let again = change_status(&app, &admin, contoso, "freeze", "Twice").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    // Sign-in still works while frozen.
    let fresh = app.sign_in(CONTOSO_OWNER).await;

    // Suspended: the open sessions are signed out at their next request, and sign-in is
    // refused with the reason to call.
    let reply = change_status(&app, &admin, contoso, "suspend", "Fraud review").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    for cookie in [&owner, &fresh] {
        let reply = app.call(Some(cookie), "partner/overview", &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
    let login = app
        .call(
            None,
            "login",
            &[
                ("input[email]", CONTOSO_OWNER),
                ("input[password]", partner_portal::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_ne!(login.status, StatusCode::OK);
    assert!(login.body.contains("suspended"), "{}", login.body);

    // Reactivated: sign-in works again; the reason of the suspension is cleared.
    let reply = change_status(&app, &admin, contoso, "reactivate", "Review closed").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let owner = app.sign_in(CONTOSO_OWNER).await;
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        StatusCode::OK
    );

    let page = detail(&app, &admin, contoso).await;
    assert_eq!(page.status_reason, None);
    let timeline: Vec<(&str, Option<&str>)> = page
        .timeline
        .iter()
        .map(|t| (t.action.as_str(), t.reason.as_deref()))
        .collect();
    assert_eq!(
        &timeline[..3],
        &[
            ("partner.reactivated", Some("Review closed")),
            ("partner.suspended", Some("Fraud review")),
            ("partner.frozen", Some("Unpaid invoice INV-2041")),
        ]
    );
    assert_eq!(page.timeline[0].who.as_deref(), Some("Avery Admin"));
    // The partner's own owner reads the change in their audit log.
    let log = app
        .call(
            Some(&owner),
            "partner/audit",
            &[
                ("query[action]", "partner.suspended"),
                ("query[position]", "first"),
            ],
        )
        .await;
    assert!(log.body.contains("Fraud review"), "{}", log.body);
}

#[sqlx::test]
async fn a_suspended_resellers_client_portal_keeps_working(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = app.partner_id("northwind").await;
    let admin = app.sign_in(ADMIN).await;
    let client = app.sign_in(FABRIKAM_OWNER).await;
    let reply = change_status(&app, &admin, northwind, "suspend", "Contract dispute").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.call(Some(&client), "app/account", &[]).await.status,
        StatusCode::OK
    );
    let again = app.sign_in(FABRIKAM_OWNER).await;
    assert_eq!(
        app.call(Some(&again), "app/account", &[]).await.status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn a_pinned_tier_shows_beside_the_computed_one_and_unpins(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let contoso = app.partner_id("contoso").await;
    let admin = app.sign_in(ADMIN).await;
    let id = contoso.to_string();
    let pin = |tier: &'static str, until: &'static str, reason: &'static str| {
        let id = id.clone();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.call(
                Some(&admin),
                "admin/partner/tier",
                &[
                    ("input[partner_id]", id.as_str()),
                    ("input[tier]", tier),
                    ("input[until]", until),
                    ("input[reason]", reason),
                ],
            )
            .await
        }
    };
    let past = pin("gold", "2020-01-01", "Launch deal").await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains("after today"), "{}", past.body);
    let reply = pin("gold", "2099-12-31", "Launch deal").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page = detail(&app, &admin, contoso).await;
    assert_eq!(page.tier, partner_portal::program::Tier::Gold);
    assert!(page.tier_pinned);
    assert_eq!(
        page.tier_pinned_until.map(|d| d.to_string()).as_deref(),
        Some("2099-12-31")
    );
    assert_eq!(
        page.computed_tier,
        partner_portal::program::Tier::for_active_clients(page.active_clients)
    );
    assert_ne!(
        page.computed_tier, page.tier,
        "the demo's Contoso earns less than Gold"
    );
    let reply = pin("", "", "Deal over").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page = detail(&app, &admin, contoso).await;
    assert!(!page.tier_pinned);
    assert_eq!(page.tier_pinned_until, None);
    assert_eq!(page.timeline[0].action, "partner.tier_unpinned");
    assert_eq!(page.timeline[1].action, "partner.tier_pinned");
    let twice = pin("", "", "Deal over").await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

#[sqlx::test]
async fn switches_turn_client_management_and_custom_css_off(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = app.partner_id("northwind").await;
    let admin = app.sign_in(ADMIN).await;
    let owner = app.sign_in(NW_OWNER).await;
    let reply = app
        .call(
            Some(&admin),
            "admin/partner/switches",
            &[
                ("input[partner_id]", &northwind.to_string()),
                ("input[white_label]", "on"),
                ("input[reason]", "Compliance review of client handling"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page = detail(&app, &admin, northwind).await;
    assert!(!page.client_management);
    assert_eq!(page.white_label, Some(true));
    assert!(!page.custom_css);
    // Client management off: creating a client is refused with the switch's notice.
    let refused = app
        .call(
            Some(&owner),
            "partner/clients/create",
            &[("input[company_name]", "Switch Test")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused.body.contains("turned client management off"),
        "{}",
        refused.body
    );
    // Custom CSS off: the branding editor says it is not available.
    let brand = app.call(Some(&owner), "partner/branding", &[]).await;
    assert_eq!(brand.status, StatusCode::OK, "{}", brand.body);
    let brand: serde_json::Value = serde_json::from_str(&brand.body).unwrap();
    assert_eq!(
        brand.pointer("/eligibility/custom_css"),
        Some(&serde_json::json!(false))
    );
    assert_eq!(
        brand.pointer("/eligibility/white_label"),
        Some(&serde_json::json!(true))
    );
}

#[sqlx::test]
async fn the_partner_list_searches_filters_sorts_and_exports(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    sqlx::query("update partners set status = 'frozen' where slug = 'contoso'")
        .execute(&app.pool)
        .await
        .unwrap();
    let admin = app.sign_in(ADMIN).await;
    let list = |form: Vec<(&'static str, &'static str)>| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let reply = app.call(Some(&admin), "admin/partners", &form).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            serde_json::from_str::<partner_portal::admin::model::PartnerPage>(&reply.body).unwrap()
        }
    };
    let found = list(vec![("query[search]", "CONTO")]).await;
    assert_eq!(
        found
            .rows
            .iter()
            .map(|r| r.slug.as_str())
            .collect::<Vec<_>>(),
        ["contoso"]
    );
    let frozen = list(vec![("query[status]", "Frozen")]).await;
    assert_eq!(frozen.rows.len(), 1);
    let platinum = list(vec![("query[tier]", "Platinum")]).await;
    assert!(!platinum.rows.is_empty());
    assert!(platinum
        .rows
        .iter()
        .all(|r| r.tier == partner_portal::program::Tier::Platinum));
    let by_clients = list(vec![("query[sort]", "Clients")]).await;
    let counts: Vec<i64> = by_clients.rows.iter().map(|r| r.active_clients).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let nothing = list(vec![("query[search]", "%")]).await;
    assert!(
        nothing.rows.is_empty(),
        "a % is searched for, not a wildcard"
    );

    let csv = app
        .get_page(Some(&admin), "/admin/partners/export.csv?status=frozen")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(lines[0].starts_with("name,slug,type,tier"));
    assert!(lines[1].starts_with("Contoso,contoso,reseller,"));
    for who in [NW_OWNER, FABRIKAM_OWNER] {
        let cookie = app.sign_in(who).await;
        let refused = app
            .get_page(Some(&cookie), "/admin/partners/export.csv")
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who}");
    }
}

fn new_partner_form<'a>(name: &'a str, owner: &'a str) -> [(&'static str, &'a str); 5] {
    [
        ("input[name]", name),
        ("input[partnership_type]", "referral"),
        ("input[tier]", "silver"),
        ("input[owner_email]", owner),
        ("input[reason]", "Signed at the partner summit"),
    ]
}

/// An admin creates a partner without an application: the partner, its owner's invitation
/// and the e-mail exist together and are audited with the reason; the owner joins through
/// the link. An address that already belongs to someone is refused at its field, and
/// nothing is made.
#[sqlx::test]
async fn an_admin_creates_a_partner_whose_owner_joins_by_the_emailed_link(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let admin = app.sign_in(ADMIN).await;
    let partners_before: i64 = sqlx::query_scalar("select count(*) from partners")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let bad = app
        .call(
            Some(&admin),
            "admin/partners/create",
            &new_partner_form("Tailwind Traders", "dana-at-tailwind"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("owner_email"), "{}", bad.body);
    let taken = app
        .call(
            Some(&admin),
            "admin/partners/create",
            &new_partner_form("Tailwind Traders", NW_SALES),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("already has an account"),
        "{}",
        taken.body
    );
    let partners: i64 = sqlx::query_scalar("select count(*) from partners")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(partners, partners_before, "nothing made");

    let created = app
        .call(
            Some(&admin),
            "admin/partners/create",
            &new_partner_form("Tailwind Traders", "Dana@Tailwind.example"),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id: Uuid = serde_json::from_str(&created.body).unwrap();
    let partner = detail(&app, &admin, id).await;
    assert_eq!(partner.name, "Tailwind Traders");
    assert_eq!(partner.slug, "tailwind-traders");
    assert_eq!(partner.tier, partner_portal::program::Tier::Silver);
    assert_eq!(partner.timeline.len(), 1, "{:?}", partner.timeline);
    assert_eq!(partner.timeline[0].action, "partner.created");
    assert_eq!(
        partner.timeline[0].reason.as_deref(),
        Some("Signed at the partner summit")
    );
    let (to, body): (String, String) =
        sqlx::query_as("select to_address, body_text from email_outbox where partner_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(to, "dana@tailwind.example");
    assert!(
        body.contains("Tailwind Traders") && body.contains("owner"),
        "{body}"
    );
    let reason: String = sqlx::query_scalar(
        "select detail->>'reason' from audit_log where action = 'partner.created' and target_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(reason, "Signed at the partner summit");
    assert_eq!(app.audit_count("invitation.created").await, 1);

    // The owner follows the link, chooses a password, and runs the new partner.
    let token = body
        .split("/invite/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let mut owner = Browser {
        app: &app,
        cookie: None,
    };
    let joined = owner
        .call(
            "invitation/accept",
            &[
                ("input[token]", &token),
                ("input[display_name]", "Dana Owner"),
                ("input[password]", "a long enough password 2026"),
                ("input[password_confirm]", "a long enough password 2026"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    let overview = owner.call("partner/overview", &[]).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    assert!(
        overview.body.contains("Tailwind Traders"),
        "{}",
        overview.body
    );
    let role: String = sqlx::query_scalar(
        "select m.role::text from partner_members m join users u on u.id = m.user_id
         where u.email = 'dana@tailwind.example' and m.partner_id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(role, "owner");
}

/// The profile form, with two industries ticked (boxes 0 and 3 of the list).
fn profile_form(partner: Uuid, territories: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[partner_id]", partner.to_string()),
        ("input[territories]", territories.to_string()),
        ("input[industries][0]", "manufacturing".to_string()),
        ("input[industries][3]", "financial_services".to_string()),
        ("input[reason]", "Opened the Canadian office".to_string()),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// An admin sets the countries a partner serves and the industries it knows: the ticked
/// boxes arrive with gaps in their numbering, the codes are normalised, the change is
/// audited with before and after and shows in the timeline. An unknown code changes nothing.
#[sqlx::test]
async fn an_admin_sets_a_partners_territories_and_industries(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let admin = app.sign_in(ADMIN).await;
    let id = app.partner_id("contoso").await;
    let bad = profile_form(id, "us, XX");
    let refused = app
        .call(Some(&admin), "admin/partner/profile", &pairs(&bad))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("XX"), "{}", refused.body);
    assert_eq!(
        detail(&app, &admin, id).await.profile.territories,
        ["DE", "GB", "IE"],
        "the demo's, unchanged"
    );

    let good = profile_form(id, "us, ca ca");
    let saved = app
        .call(Some(&admin), "admin/partner/profile", &pairs(&good))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let partner = detail(&app, &admin, id).await;
    assert_eq!(partner.profile.territories, ["CA", "US"]);
    assert_eq!(
        partner.profile.industries,
        ["financial_services", "manufacturing"]
    );
    assert_eq!(
        partner.timeline[0].action, "partner.profile_changed",
        "{:?}",
        partner.timeline
    );
    assert_eq!(
        partner.timeline[0].reason.as_deref(),
        Some("Opened the Canadian office")
    );
    let to: serde_json::Value = sqlx::query_scalar(
        "select detail->'to' from audit_log where action = 'partner.profile_changed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(to["territories"], serde_json::json!(["CA", "US"]));
    // What lead assignment will ask: who serves Canada in financial services.
    let serving: Vec<String> = sqlx::query_scalar(
        "select slug from partners
         where territories @> '{CA}' and industries @> '{financial_services}'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(serving, ["contoso"]);
}
