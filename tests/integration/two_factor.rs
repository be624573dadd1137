//! Two-factor sign-in through the real router: enrolment with a first code, a second step
//! that signs nobody in until a right code, codes that work once, recovery codes that work
//! once each, and turning it off with the password.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::{auth::two_factor::code_at, demo::DEMO_PASSWORD};

fn now() -> u64 {
    partner_portal::auth::two_factor::now()
}

async fn secret(app: &TestApp, email: &str) -> Vec<u8> {
    sqlx::query_scalar(
        "select t.secret from user_totp t join users u on u.id = t.user_id where u.email = $1",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn two_factor_state(browser: &mut Browser<'_>) -> serde_json::Value {
    let reply = browser.call("account/two-factor", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Enrols `email` and answers the secret and the recovery codes shown.
async fn enrol(app: &TestApp, email: &str) -> (Vec<u8>, Vec<String>) {
    let mut me = Browser::signed_in(app, email).await;
    assert_eq!(
        me.call("account/two-factor/start", &[]).await.status,
        StatusCode::OK
    );
    let enrolling = two_factor_state(&mut me).await;
    assert!(enrolling["enrolling"]["qr_svg"]
        .as_str()
        .unwrap()
        .starts_with("<svg"));
    let secret = secret(app, email).await;
    let wrong = me
        .call("account/two-factor/confirm", &[("input[code]", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = code_at(&secret, now());
    let confirmed = me
        .call("account/two-factor/confirm", &[("input[code]", &code)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let on = two_factor_state(&mut me).await;
    assert_eq!(on["enabled"], true);
    let codes: Vec<String> = serde_json::from_value(on["new_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    let again = two_factor_state(&mut me).await;
    assert_eq!(
        again["new_codes"].as_array().unwrap().len(),
        0,
        "shown once"
    );
    assert_eq!(again["recovery_codes_left"], 10);
    (secret, codes)
}

/// Gives the password; answers the browser waiting at the second step.
async fn first_step<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser { app, cookie: None };
    let reply = browser
        .call(
            "login",
            &[("input[email]", email), ("input[password]", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("/login/two-factor"), "{}", reply.body);
    browser
}

#[sqlx::test]
async fn once_enrolled_signing_in_needs_a_code_and_each_code_works_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let (secret, _) = enrol(&app, NW_MANAGER).await;
    assert_eq!(app.audit_count("account.two_factor_enabled").await, 1);

    // The password alone signs nobody in.
    let mut browser = first_step(&app, NW_MANAGER).await;
    assert_eq!(browser.who().await.0, None);
    assert_eq!(
        browser.call("partner/overview", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = browser
        .call("login/two-factor", &[("input[code]", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("not right"), "{}", wrong.body);
    assert_eq!(browser.who().await.0, None);

    // The code of the next step (the current one was spent confirming the set-up).
    let code = code_at(&secret, now() + 30);
    let signed_in = browser
        .call("login/two-factor", &[("input[code]", &code)])
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert!(signed_in.body.contains("/partner"), "{}", signed_in.body);
    assert_eq!(browser.who().await.0.as_deref(), Some(NW_MANAGER));
    assert_eq!(
        browser.call("partner/overview", &[]).await.status,
        StatusCode::OK
    );

    // The same code again, in another browser, is refused: it was used.
    let mut replay = first_step(&app, NW_MANAGER).await;
    let refused = replay
        .call("login/two-factor", &[("input[code]", &code)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(replay.who().await.0, None);

    // Without a password first, there is no second step to take.
    let mut stranger = Browser {
        app: &app,
        cookie: None,
    };
    let skipped = stranger
        .call(
            "login/two-factor",
            &[("input[code]", &code_at(&secret, now()))],
        )
        .await;
    assert_eq!(skipped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(skipped.body.contains("sign in again"), "{}", skipped.body);
}

#[sqlx::test]
async fn a_recovery_code_signs_in_once_and_the_password_turns_it_off(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let (_, codes) = enrol(&app, NW_OWNER).await;

    let mut browser = first_step(&app, NW_OWNER).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let recovered = browser
        .call("login/two-factor", &[("input[code]", &typed)])
        .await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.body);
    assert_eq!(browser.who().await.0.as_deref(), Some(NW_OWNER));
    assert_eq!(
        two_factor_state(&mut browser).await["recovery_codes_left"],
        9
    );

    let mut again = first_step(&app, NW_OWNER).await;
    let used = again
        .call("login/two-factor", &[("input[code]", &codes[3])])
        .await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY, "used up");
    let other = again
        .call("login/two-factor", &[("input[code]", &codes[4])])
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);

    // Turning it off needs the password; then the password alone signs in again.
    let wrong = again
        .call(
            "account/two-factor/disable",
            &[("input[password]", "not it")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(two_factor_state(&mut again).await["enabled"], true);
    let off = again
        .call(
            "account/two-factor/disable",
            &[("input[password]", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(app.audit_count("account.two_factor_disabled").await, 1);
    app.sign_in(NW_OWNER).await;
}

/// Admins must use two-factor sign-in. One without it (made the way an operator adds an
/// admin) signs in, is sent to set it up, and is refused every admin function with that
/// reason until it is on; once on, it cannot be turned off.
#[sqlx::test]
async fn an_admin_without_a_second_factor_can_only_set_it_up(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let email = "second-admin@demo.test";
    sqlx::query(
        "insert into users (email, display_name, password_hash, is_admin)
         select $1, 'Second Admin', password_hash, true from users where email = $2",
    )
    .bind(email)
    .bind(ADMIN)
    .execute(&app.pool)
    .await
    .unwrap();

    let mut admin = Browser {
        app: &app,
        cookie: None,
    };
    let signed_in = admin
        .call(
            "login",
            &[("input[email]", email), ("input[password]", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert!(
        signed_in.body.contains("/account#two-factor"),
        "sent to set it up: {}",
        signed_in.body
    );
    for endpoint in [
        "admin/overview",
        "admin/payouts",
        "admin/commissions/months",
    ] {
        let refused = admin.call(endpoint, &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{endpoint}");
        assert!(
            refused.body.contains("TwoFactorRequired"),
            "{endpoint}: {}",
            refused.body
        );
    }
    let page = app.get_page(admin.cookie.as_deref(), "/admin").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.body.contains("/account#two-factor"),
        "the page links to the set-up"
    );
    assert_eq!(two_factor_state(&mut admin).await["required"], true);

    // Set up on /account, which stays open; then the admin area opens.
    let (secret, _) = enrol_signed_in(&app, &mut admin, email).await;
    assert!(!secret.is_empty());
    assert_eq!(
        admin.call("admin/overview", &[]).await.status,
        StatusCode::OK
    );
    let off = admin
        .call(
            "account/two-factor/disable",
            &[("input[password]", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(off.status, StatusCode::FORBIDDEN, "{}", off.body);
    assert_eq!(two_factor_state(&mut admin).await["enabled"], true);
    assert_eq!(app.audit_count("account.two_factor_disabled").await, 0);
}

/// Sets up two-factor sign-in in an open session; answers the secret and recovery codes.
async fn enrol_signed_in(
    app: &TestApp,
    me: &mut Browser<'_>,
    email: &str,
) -> (Vec<u8>, Vec<String>) {
    assert_eq!(
        me.call("account/two-factor/start", &[]).await.status,
        StatusCode::OK
    );
    let secret = secret(app, email).await;
    let code = code_at(&secret, now());
    let confirmed = me
        .call("account/two-factor/confirm", &[("input[code]", &code)])
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes = serde_json::from_value(two_factor_state(me).await["new_codes"].clone()).unwrap();
    (secret, codes)
}

/// An owner may require two-factor sign-in of the whole team, once they use it themselves.
/// From the next request a member without it can use only their account page; setting it
/// up, or the owner making it optional again, lets them back in. Both changes are audited.
#[sqlx::test]
async fn an_owner_requires_a_second_factor_of_the_team(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let mut manager = Browser::signed_in(&app, NW_MANAGER).await;
    let mut sales = Browser::signed_in(&app, NW_SALES).await;
    let require = [("input[required]", "true"), ("input[confirm]", "yes")];

    // Not before the owner has it: they would shut themselves out.
    let first = owner.call("team/two-factor", &require).await;
    assert_eq!(
        first.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        first.body
    );
    assert!(first.body.contains("for yourself first"), "{}", first.body);
    enrol_signed_in(&app, &mut owner, NW_OWNER).await;
    // Nor without the ticked box.
    let unticked = owner
        .call("team/two-factor", &[("input[required]", "true")])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("team.two_factor_required").await, 0);

    let required = owner.call("team/two-factor", &require).await;
    assert_eq!(required.status, StatusCode::OK, "{}", required.body);
    assert_eq!(app.audit_count("team.two_factor_required").await, 1);
    let team: serde_json::Value =
        serde_json::from_str(&owner.call("team", &[]).await.body).unwrap();
    assert_eq!(team["two_factor"]["required"], true);
    assert_eq!(team["two_factor"]["members_without"], 4, "{team}");

    // The manager's open session: refused from the very next request, but /account works.
    let refused = manager.call("partner/overview", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("TwoFactorRequired"),
        "{}",
        refused.body
    );
    assert_eq!(
        owner.call("partner/overview", &[]).await.status,
        StatusCode::OK
    );
    enrol_signed_in(&app, &mut manager, NW_MANAGER).await;
    assert_eq!(
        manager.call("partner/overview", &[]).await.status,
        StatusCode::OK
    );
    // The requirement holds for the owner too: they cannot turn theirs off.
    let off = owner
        .call(
            "account/two-factor/disable",
            &[("input[password]", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(off.status, StatusCode::FORBIDDEN);

    // Made optional again: the sales member is back in without a second factor.
    assert_eq!(
        sales.call("partner/overview", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let optional = owner
        .call("team/two-factor", &[("input[required]", "false")])
        .await;
    assert_eq!(optional.status, StatusCode::OK, "{}", optional.body);
    assert_eq!(app.audit_count("team.two_factor_optional").await, 1);
    assert_eq!(
        sales.call("partner/overview", &[]).await.status,
        StatusCode::OK
    );

    // Another partner's members were never asked.
    let mut contoso = Browser::signed_in(&app, CONTOSO_OWNER).await;
    let team: serde_json::Value =
        serde_json::from_str(&contoso.call("team", &[]).await.body).unwrap();
    assert_eq!(team["two_factor"]["required"], false);
}
