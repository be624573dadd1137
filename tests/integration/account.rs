//! `/account`: one's own display name and password, through the real router.

use axum::http::StatusCode;

use crate::common::*;
use partner_portal::demo::DEMO_PASSWORD;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const NEW_PASSWORD: &str = "a longer passphrase 2026";

fn password_form<'a>(
    current: &'a str,
    new: &'a str,
    confirm: &'a str,
) -> [(&'static str, &'a str); 3] {
    [
        ("input[current]", current),
        ("input[new]", new),
        ("input[confirm]", confirm),
    ]
}

async fn password_hash(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select password_hash from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_password_change_needs_the_current_one_and_ends_every_other_session(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut here = Browser::signed_in(&app, NW_MANAGER).await;
    let mut elsewhere = Browser::signed_in(&app, NW_MANAGER).await;
    let mut colleague = Browser::signed_in(&app, NW_OWNER).await;
    let before = password_hash(&app, NW_MANAGER).await;

    // Bad input changes nothing and says what is wrong, next to the field.
    let wrong = here
        .call(
            "account/password",
            &password_form("not-my-password", NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("That is not your current password."),
        "{}",
        wrong.body
    );
    let weak = here
        .call(
            "account/password",
            &password_form(DEMO_PASSWORD, "short", "short"),
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        weak.body.contains("at least 12 characters"),
        "{}",
        weak.body
    );
    let mistyped = here
        .call(
            "account/password",
            &password_form(DEMO_PASSWORD, NEW_PASSWORD, "something else 2026"),
        )
        .await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !mistyped.body.contains(NEW_PASSWORD),
        "a password is never sent back"
    );
    assert_eq!(password_hash(&app, NW_MANAGER).await, before);
    assert_eq!(elsewhere.who().await.0.as_deref(), Some(NW_MANAGER));

    let changed = here
        .call(
            "account/password",
            &password_form(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_ne!(password_hash(&app, NW_MANAGER).await, before);
    assert_eq!(app.audit_count("account.password_changed").await, 1);

    // This session carries on (under a new id); the other one stands for nobody; another
    // person's session is untouched.
    assert_eq!(here.who().await.0.as_deref(), Some(NW_MANAGER));
    assert_eq!(
        here.call("partner/overview", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(elsewhere.who().await.0, None);
    assert_eq!(
        elsewhere.call("partner/overview", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    let page = elsewhere.get("/partner").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "sent to sign in");
    assert_eq!(colleague.who().await.0.as_deref(), Some(NW_OWNER));

    // The old password no longer signs in; the new one does, and that session is good.
    let old = app
        .call(
            None,
            "login",
            &[
                ("input[email]", NW_MANAGER),
                ("input[password]", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = app
        .call(
            None,
            "login",
            &[
                ("input[email]", NW_MANAGER),
                ("input[password]", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);
    let mut again = Browser {
        app: &app,
        cookie: new.session_cookie(),
    };
    assert_eq!(again.who().await.0.as_deref(), Some(NW_MANAGER));
}

#[sqlx::test]
async fn guessing_the_current_password_is_limited(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut me = Browser::signed_in(&app, NW_SALES).await;
    for _ in 0..5 {
        let wrong = me
            .call(
                "account/password",
                &password_form("guess-guess-guess", NEW_PASSWORD, NEW_PASSWORD),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password waits now.
    let limited = me
        .call(
            "account/password",
            &password_form(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    assert!(limited.headers.get("retry-after").is_some());
}

#[sqlx::test]
async fn a_display_name_is_checked_stored_audited_and_shown(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut me = Browser::signed_in(&app, FABRIKAM_OWNER).await;
    let blank = me
        .call("account/profile", &[("input[display_name]", "   ")])
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("display_name"), "{}", blank.body);
    let saved = me
        .call(
            "account/profile",
            &[("input[display_name]", "  Fatima   Okafor ")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.body, "\"Fatima Okafor\"");
    let account = me.call("account", &[]).await;
    let account: serde_json::Value = serde_json::from_str(&account.body).unwrap();
    assert_eq!(account["display_name"], "Fatima Okafor");
    assert_eq!(account["email"], FABRIKAM_OWNER);
    assert_eq!(app.audit_count("account.profile_updated").await, 1);

    // The page works before any WebAssembly: it renders on the server, and a plain form
    // post comes back to it.
    let page = me.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Fatima Okafor") && page.body.contains("Change password"));
    let plain = app
        .send(
            axum::http::Request::post("/api/account/profile")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html")
                .header("cookie", me.cookie.clone().unwrap())
                .body(axum::body::Body::from("input%5Bdisplay_name%5D=Fatima"))
                .unwrap(),
            default_peer(),
        )
        .await;
    assert!(plain.status.is_redirection(), "{}", plain.status);
    assert_eq!(plain.location(), Some("/account?saved=profile"));
}

#[sqlx::test]
async fn nobody_else_and_no_impersonator_reaches_an_account(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let name = [("input[display_name]", "Someone")];
    let password = password_form(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD);
    let code = [("input[code]", "123456")];
    let own_password = [("input[password]", DEMO_PASSWORD)];
    let everything = [
        ("account", &[][..]),
        ("account/profile", &name[..]),
        ("account/password", &password[..]),
        ("account/two-factor", &[][..]),
        ("account/two-factor/start", &[][..]),
        ("account/two-factor/confirm", &code[..]),
        ("account/two-factor/disable", &own_password[..]),
    ];
    for (endpoint, form) in everything {
        let anonymous = app.call(None, endpoint, form).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let page = app.get_page(None, "/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/login?next=%2Faccount"));

    // Support acting as Fabrikam's owner may neither read nor change that person's account.
    let mut support = crate::impersonation::support_acting_as_fabrikam(&app).await;
    let before = password_hash(&app, FABRIKAM_OWNER).await;
    assert_eq!(
        support.call("account", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let renamed = support
        .call("account/profile", &[("input[display_name]", "Hijacked")])
        .await;
    assert_eq!(renamed.status, StatusCode::FORBIDDEN);
    let password = support
        .call(
            "account/password",
            &password_form(DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
        )
        .await;
    assert_eq!(password.status, StatusCode::FORBIDDEN);
    assert_eq!(password_hash(&app, FABRIKAM_OWNER).await, before);
    // Nor set up or turn off that person's two-factor sign-in.
    for (endpoint, form) in &everything[3..] {
        let refused = support.call(endpoint, form).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{endpoint}");
    }
    let secrets: i64 = sqlx::query_scalar(
        "select count(*) from user_totp t join users u on u.id = t.user_id where not u.is_admin",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(secrets, 0, "only the demo admin has a second factor");
    let name: String = sqlx::query_scalar("select display_name from users where email = $1")
        .bind(FABRIKAM_OWNER)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_ne!(name, "Hijacked");
}
