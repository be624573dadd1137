//! "Forgot password?" through the real router: the same answer whatever the address, a link
//! that works once and for 30 minutes, and a reset that ends every session of the person.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;
use partner_portal::demo::DEMO_PASSWORD;

const NEW_PASSWORD: &str = "a fresh passphrase 2026";

async fn ask(app: &TestApp, email: &str) -> Reply {
    app.call(None, "password/forgot", &[("input[email]", email)])
        .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Reply {
    app.call(
        None,
        "password/reset",
        &[
            ("input[token]", token),
            ("input[password]", password),
            ("input[password_confirm]", password),
        ],
    )
    .await
}

async fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 order by created_at, id",
    )
    .bind(to)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn link_token(body: &str) -> String {
    body.split("/reset-password/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the e-mail carries the link")
        .to_string()
}

async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    app.call(
        None,
        "login",
        &[("input[email]", email), ("input[password]", password)],
    )
    .await
    .status
        == StatusCode::OK
}

#[sqlx::test]
async fn the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let known = ask(&app, NW_MANAGER).await;
    let unknown = ask(&app, "nobody-here@example.com").await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    assert_eq!(
        (known.status, known.body.clone()),
        (unknown.status, unknown.body.clone())
    );
    assert_eq!(mails_to(&app, NW_MANAGER).await.len(), 1);
    assert!(mails_to(&app, "nobody-here@example.com").await.is_empty());

    // A mistyped address is the one thing it says, next to the field.
    let typo = ask(&app, "manager-at-northwind").await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        typo.body.contains("manager-at-northwind"),
        "kept: {}",
        typo.body
    );

    // Past three links an hour to one address, nothing more is sent, and the answer stays
    // the same.
    for _ in 0..4 {
        let again = ask(&app, NW_MANAGER).await;
        assert_eq!(
            (again.status, again.body),
            (known.status, known.body.clone())
        );
    }
    assert_eq!(mails_to(&app, NW_MANAGER).await.len(), 3);
    assert_eq!(app.audit_count("account.password_reset_requested").await, 3);
}

#[sqlx::test]
async fn a_reset_link_works_once_ends_every_session_and_expires(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let mut here = Browser::signed_in(&app, NW_MANAGER).await;
    let mut there = Browser::signed_in(&app, NW_MANAGER).await;
    let mut colleague = Browser::signed_in(&app, NW_OWNER).await;
    ask(&app, NW_MANAGER).await;
    let token = link_token(&mails_to(&app, NW_MANAGER).await[0]);

    // A weak password changes nothing, and the link still works after it.
    let weak = reset(&app, &token, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(signs_in(&app, NW_MANAGER, DEMO_PASSWORD).await);

    let done = reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("/login?reset=done"), "{}", done.body);
    assert_eq!(app.audit_count("account.password_reset").await, 1);
    assert_eq!(here.who().await.0, None, "every session of theirs ended");
    assert_eq!(there.who().await.0, None);
    assert_eq!(colleague.who().await.0.as_deref(), Some(NW_OWNER));
    assert!(!signs_in(&app, NW_MANAGER, DEMO_PASSWORD).await);
    assert!(signs_in(&app, NW_MANAGER, NEW_PASSWORD).await);

    // Used once, it is used up.
    let twice = reset(&app, &token, "yet another passphrase 2026").await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("cannot be used"), "{}", twice.body);
    assert!(signs_in(&app, NW_MANAGER, NEW_PASSWORD).await);

    // A link older than 30 minutes is refused alike.
    ask(&app, NW_VIEWER).await;
    let late = link_token(&mails_to(&app, NW_VIEWER).await[0]);
    sqlx::query(
        "update password_resets set expires_at = now() - interval '1 minute' where used_at is null",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let expired = reset(&app, &late, NEW_PASSWORD).await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(expired.body.contains("cannot be used"), "{}", expired.body);
    assert!(signs_in(&app, NW_VIEWER, DEMO_PASSWORD).await);
}

#[sqlx::test]
async fn the_pages_work_without_javascript(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    let login = app.get_page(None, "/login").await;
    assert!(
        login.body.contains("href=\"/forgot-password\""),
        "the sign-in page links to it"
    );
    let forgot = app.get_page(None, "/forgot-password").await;
    assert_eq!(forgot.status, StatusCode::OK);
    assert!(forgot.body.contains("Forgot your password?"));
    let sent = app.get_page(None, "/forgot-password?sent=1").await;
    assert!(
        sent.body.contains("If an account uses that address"),
        "{}",
        sent.body
    );
    let form = app
        .get_page(
            None,
            "/reset-password/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Choose a new password"));
    let done = app.get_page(None, "/login?reset=done").await;
    assert!(
        done.body.contains("Sign in with the new password"),
        "{}",
        done.body
    );
}
