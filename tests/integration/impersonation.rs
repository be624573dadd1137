//! "Log in as client", end to end over HTTP: who may start it, the single-use minute-long
//! link, the new session ids, what is refused while acting, and every way it ends.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;

/// Asks to log in as Fabrikam and opens the link; returns the link.
pub async fn start<'a>(browser: &mut Browser<'a>) -> String {
    let fabrikam = browser.app.client_id("fabrikam").await.to_string();
    let reply = browser
        .call(
            "partner/clients/impersonate",
            &[
                ("input[client_id]", &fabrikam),
                ("input[reason]", "Ticket 4711: invoice question"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let link: String = serde_json::from_str(&reply.body).unwrap();
    assert!(link.starts_with("/impersonate/"), "{link}");
    link
}

/// Support, signed in and acting as Fabrikam's owner.
pub async fn support_acting_as_fabrikam(app: &TestApp) -> Browser<'_> {
    let mut support = Browser::signed_in(app, NW_SUPPORT).await;
    let link = start(&mut support).await;
    support.get(&link).await;
    support
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[sqlx::test]
async fn support_acts_as_the_client_with_new_session_ids_and_both_identities_recorded(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = Browser::signed_in(&app, NW_SUPPORT).await;
    let before = support.cookie.clone().unwrap();
    let link = start(&mut support).await;
    let opened = support.get(&link).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    assert_eq!(opened.location(), Some("/app"));
    let during = support.cookie.clone().unwrap();
    assert_ne!(before, during, "the session id changes at the start");
    assert_eq!(
        support.who().await,
        (
            Some(FABRIKAM_OWNER.to_string()),
            Some("Sofia Support".to_string())
        )
    );
    let page = support.get("/app").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Sofia Support") && page.body.contains("is acting as"),
        "the banner is on the page"
    );

    // An allowed action is recorded with both identities.
    let contact = support
        .call(
            "app/account/contact",
            &[
                ("input[contact_name]", "Fabrikam Billing"),
                ("input[contact_phone]", "+1 555 010 0199"),
            ],
        )
        .await;
    assert_eq!(contact.status, StatusCode::OK, "{}", contact.body);
    let (actor, real, with_id): (String, String, bool) = sqlx::query_as(
        "select a.email, r.email, l.impersonation_id is not null from audit_log l
         join users a on a.id = l.actor_user_id join users r on r.id = l.real_user_id
         where l.action = 'client.contact_updated'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (actor.as_str(), real.as_str(), with_id),
        (FABRIKAM_OWNER, NW_SUPPORT, true)
    );

    // Ending: a new session id, and back to the client's page as the real user.
    let ended = support.call("app/impersonation/end", &[]).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    let fabrikam = app.client_id("fabrikam").await;
    assert_eq!(
        ended.destination(),
        Some(format!("/partner/clients/{fabrikam}"))
    );
    assert_ne!(
        support.cookie.clone().unwrap(),
        during,
        "the session id changes at the end"
    );
    assert_eq!(support.who().await, (Some(NW_SUPPORT.to_string()), None));
    for action in [
        "impersonation.requested",
        "impersonation.started",
        "impersonation.ended",
    ] {
        assert_eq!(scalar(&app, &format!("select count(*) from audit_log where action = '{action}' and impersonation_id is not null")).await, 1, "{action}");
    }

    // The client's owner sees the access, with its reason and what changed.
    let owner = app.sign_in(FABRIKAM_OWNER).await;
    let accesses = app.call(Some(&owner), "app/support-access", &[]).await;
    assert!(
        accesses.body.contains("Sofia Support") && accesses.body.contains("Ticket 4711"),
        "{}",
        accesses.body
    );
    assert!(
        accesses.body.contains("client.contact_updated"),
        "{}",
        accesses.body
    );
}

#[sqlx::test]
async fn the_link_works_once_only_within_a_minute_and_only_for_its_member(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = Browser::signed_in(&app, NW_SUPPORT).await;
    let link = start(&mut support).await;
    let mut manager = Browser::signed_in(&app, NW_MANAGER).await;
    assert_eq!(
        manager.get(&link).await.status,
        StatusCode::GONE,
        "another member cannot use it"
    );
    assert_eq!(support.get(&link).await.status, StatusCode::SEE_OTHER);
    support.call("app/impersonation/end", &[]).await;
    assert_eq!(
        support.get(&link).await.status,
        StatusCode::GONE,
        "used once"
    );

    let late = start(&mut support).await;
    sqlx::query("update impersonation_sessions set token_expires_at = now() - interval '1 second' where started_at is null")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        support.get(&late).await.status,
        StatusCode::GONE,
        "not after 60 seconds"
    );
    assert_eq!(support.who().await.1, None);
}

#[sqlx::test]
async fn sales_and_viewers_cannot_log_in_as_a_client(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    for email in [NW_SALES, NW_VIEWER] {
        let cookie = app.sign_in(email).await;
        let reply = app
            .call(
                Some(&cookie),
                "partner/clients/impersonate",
                &[
                    ("input[client_id]", &fabrikam),
                    ("input[reason]", "Curious"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
    }
    assert_eq!(
        scalar(&app, "select count(*) from impersonation_sessions").await,
        0
    );
}

#[sqlx::test]
async fn while_acting_nesting_and_blocked_actions_are_refused(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = support_acting_as_fabrikam(&app).await;
    let adventure = app.client_id("adventure-works").await.to_string();
    let nested = support
        .call(
            "partner/clients/impersonate",
            &[
                ("input[client_id]", &adventure),
                ("input[reason]", "Another one"),
            ],
        )
        .await;
    assert_eq!(nested.status, StatusCode::FORBIDDEN, "no nesting");
    let owner_user: String = sqlx::query_scalar("select id::text from users where email = $1")
        .bind(FABRIKAM_OWNER)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for (endpoint, form) in [
        ("app/users/invite", vec![("email", "new@fabrikam.example")]),
        ("app/users/remove", vec![("user_id", owner_user.as_str())]),
        ("app/support-access", vec![]),
        ("app/support-access/set", vec![("enabled", "false")]),
    ] {
        let reply = support.call(endpoint, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{endpoint} is refused while acting"
        );
    }
    assert_eq!(
        support.call("app/users", &[]).await.status,
        StatusCode::OK,
        "reading users is fine"
    );
    let enabled: bool =
        sqlx::query_scalar("select reseller_access_enabled from clients where slug = 'fabrikam'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(enabled);
}

#[sqlx::test]
async fn demoting_the_member_ends_it_at_their_next_request(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = support_acting_as_fabrikam(&app).await;
    let during = support.cookie.clone();
    sqlx::query("update partner_members set role = 'viewer' where user_id = (select id from users where email = $1)")
        .bind(NW_SUPPORT)
        .execute(&app.pool)
        .await
        .unwrap();
    let page = support.get("/app").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().unwrap().starts_with("/partner/clients/"));
    assert_ne!(
        support.cookie, during,
        "the session id changes when it ends"
    );
    assert_eq!(support.who().await, (Some(NW_SUPPORT.to_string()), None));
    let reason: String = sqlx::query_scalar("select end_reason from impersonation_sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(reason.contains("no longer"), "{reason}");
}

#[sqlx::test]
async fn turning_access_off_or_expiry_ends_it(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = support_acting_as_fabrikam(&app).await;
    let owner = app.sign_in(FABRIKAM_OWNER).await;
    let off = app
        .call(
            Some(&owner),
            "app/support-access/set",
            &[("enabled", "false")],
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        support.who().await,
        (Some(NW_SUPPORT.to_string()), None),
        "ended by the client's switch"
    );
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let refused = support
        .call(
            "partner/clients/impersonate",
            &[("input[client_id]", &fabrikam), ("input[reason]", "Again")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "access stays off: {}",
        refused.body
    );

    app.call(
        Some(&owner),
        "app/support-access/set",
        &[("enabled", "true")],
    )
    .await;
    let link = start(&mut support).await;
    support.get(&link).await;
    assert!(support.who().await.1.is_some());
    sqlx::query("update impersonation_sessions set expires_at = now() - interval '1 second' where ended_at is null")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        support.who().await,
        (Some(NW_SUPPORT.to_string()), None),
        "ended at expiry"
    );
}

/// The end of each impersonation, as the audit log tells it.
async fn end_reasons(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "select detail->>'reason' from audit_log where action = 'impersonation.ended' order by occurred_at",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn signing_in_as_someone_else_or_out_ends_an_open_impersonation_on_the_record(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;

    // Signing in as someone else in the same browser starts from an empty session.
    let mut support = support_acting_as_fabrikam(&app).await;
    assert!(support.who().await.1.is_some(), "acting");
    let reply = support
        .call(
            "login",
            &[
                ("input[email]", NW_VIEWER),
                ("input[password]", partner_portal::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(support.who().await, (Some(NW_VIEWER.to_string()), None));
    assert_eq!(end_reasons(&app).await, ["the browser signed in again"]);
    assert_eq!(
        scalar(
            &app,
            "select count(*) from impersonation_sessions where ended_at is null"
        )
        .await,
        0
    );

    // Signing out while acting ends it too.
    let mut support = support_acting_as_fabrikam(&app).await;
    let reply = support.call("logout", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        end_reasons(&app).await,
        ["the browser signed in again", "the reseller signed out"]
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from impersonation_sessions where ended_at is null"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn impersonations_left_to_expire_are_closed_once_by_the_housekeeper(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use partner_portal::auth::housekeeping::run_once;

    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    support_acting_as_fabrikam(&app).await;
    // The browser is closed; the time runs out.
    sqlx::query("update impersonation_sessions set expires_at = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    // Two app servers' housekeepers run at the same moment: one closes it.
    let (a, b) = tokio::join!(run_once(&app.pool), run_once(&app.pool));
    assert_eq!(a.unwrap().0 + b.unwrap().0, 1, "closed exactly once");
    assert_eq!(end_reasons(&app).await, ["expired"]);
    let (actor, real): (String, String) = sqlx::query_as(
        "select a.email, r.email from audit_log l
         join users a on a.id = l.actor_user_id join users r on r.id = l.real_user_id
         where l.action = 'impersonation.ended'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (actor.as_str(), real.as_str()),
        (FABRIKAM_OWNER, NW_SUPPORT)
    );
    assert_eq!(run_once(&app.pool).await.unwrap().0, 0, "nothing left");
}

#[sqlx::test]
async fn a_session_ends_at_its_absolute_lifetime_and_an_impersonation_never_moves_it(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut support = Browser::signed_in(&app, NW_SUPPORT).await;
    let signed_in = session_value(&app, "signed_in_at").await;
    let link = start(&mut support).await;
    support.get(&link).await;
    assert!(support.who().await.1.is_some(), "acting");
    assert_eq!(
        session_value(&app, "signed_in_at").await,
        signed_in,
        "starting an impersonation does not move the session's start"
    );
    // The impersonation never outlives the session's absolute end.
    let outlives: bool = sqlx::query_scalar(
        "select expires_at > now() + interval '24 hours' from impersonation_sessions",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(!outlives);

    // A day passes (the start is moved back rather than waited for).
    let day_ago = (chrono::Utc::now() - chrono::Duration::hours(25)).to_rfc3339();
    set_session_value(&app, "signed_in_at", serde_json::json!(day_ago)).await;
    assert_eq!(support.who().await, (None, None), "signed out");
    assert_eq!(
        end_reasons(&app).await,
        ["the session reached its time limit"]
    );
    let sessions = scalar(&app, "select count(*) from tower_sessions.session").await;
    assert_eq!(sessions, 0, "the session is gone from the store");
}
