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
