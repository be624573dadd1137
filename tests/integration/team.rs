//! `/partner/team` through the real router: invitations (sent, resent, withdrawn, accepted),
//! changes of role and removals that hold from the member's next request, the transfer of
//! the ownership, and the rule, kept by the database, that a partner always has an owner.

use axum::http::StatusCode;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

const INVITEE: &str = "grace@northwind.example";
const PASSPHRASE: &str = "compilers and moths 1947";

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn role_of(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "select m.role::text from partner_members m join users u on u.id = m.user_id where u.email = $1",
    )
    .bind(email)
    .fetch_optional(&app.pool)
    .await
    .unwrap()
}

/// The link token of the newest invitation e-mail to `to`.
async fn mailed_token(app: &TestApp, to: &str) -> String {
    let body: String = sqlx::query_scalar(
        "select body_text from email_outbox where to_address = $1 order by created_at desc, id desc limit 1",
    )
    .bind(to)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    body.split("/invite/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the e-mail carries the link")
        .to_string()
}

async fn accept(app: &TestApp, token: &str) -> Reply {
    app.call(
        None,
        "invitation/accept",
        &[
            ("input[token]", token),
            ("input[display_name]", "Grace Hopper"),
            ("input[password]", PASSPHRASE),
            ("input[password_confirm]", PASSPHRASE),
        ],
    )
    .await
}

fn invite_form<'a>(email: &'a str, role: &'a str) -> [(&'static str, &'a str); 2] {
    [("input[email]", email), ("input[role]", role)]
}

async fn invitation_id(app: &TestApp, email: &str) -> String {
    let id: Uuid = sqlx::query_scalar(
        "select id from invitations where email = $1 order by created_at desc limit 1",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    id.to_string()
}

#[sqlx::test]
async fn an_owner_invites_resends_and_withdraws_and_the_invitee_joins_with_the_role(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;

    // Bad input changes nothing and says what is wrong, next to the field.
    let bad = app
        .call(
            Some(&owner),
            "team/invite",
            &invite_form("not-an-address", "owner"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("transfer ownership"), "{}", bad.body);
    assert!(
        bad.body.contains("not-an-address"),
        "what was typed is kept"
    );
    let taken = app
        .call(
            Some(&owner),
            "team/invite",
            &invite_form(CONTOSO_OWNER, "sales"),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("already has an account"),
        "{}",
        taken.body
    );
    assert_eq!(app.audit_count("invitation.created").await, 0);

    let sent = app
        .call(Some(&owner), "team/invite", &invite_form(INVITEE, "sales"))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(app.audit_count("invitation.created").await, 1);
    let again = app
        .call(Some(&owner), "team/invite", &invite_form(INVITEE, "viewer"))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already waiting"), "{}", again.body);
    let first_link = mailed_token(&app, INVITEE).await;
    let expires_in: f64 = sqlx::query_scalar(
        "select extract(epoch from expires_at - now())::float8 from invitations where email = $1",
    )
    .bind(INVITEE)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        (71.0 * 3600.0..=72.0 * 3600.0).contains(&expires_in),
        "72 hours: {expires_in}"
    );

    // The owner sees it waiting; a viewer sees the team but no invitations.
    let team = app.call(Some(&owner), "team", &[]).await;
    assert!(team.body.contains(INVITEE), "{}", team.body);
    let viewer = app.sign_in(NW_VIEWER).await;
    let read_only = app.call(Some(&viewer), "team", &[]).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert!(!read_only.body.contains(INVITEE));
    assert!(read_only.body.contains(NW_OWNER));
    assert!(
        read_only.body.contains("\"manage\":false"),
        "{}",
        read_only.body
    );
    assert!(
        read_only.body.contains("\"two_factor\":false"),
        "{}",
        read_only.body
    );

    // Resending gives a new link; the old one stops working.
    let id = invitation_id(&app, INVITEE).await;
    let resent = app
        .call(
            Some(&owner),
            "team/invite/resend",
            &[("invitation_id", &id)],
        )
        .await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    let second_link = mailed_token(&app, INVITEE).await;
    assert_ne!(first_link, second_link);
    let stale = accept(&app, &first_link).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.audit_count("invitation.resent").await, 1);

    // The invitee joins with the role they were invited with and lands on the dashboard.
    let joined = accept(&app, &second_link).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(role_of(&app, INVITEE).await.as_deref(), Some("sales"));
    let cookie = joined.session_cookie().unwrap();
    assert_eq!(
        app.call(Some(&cookie), "partner/overview", &[])
            .await
            .status,
        StatusCode::OK
    );
    let used = accept(&app, &second_link).await;
    assert_eq!(
        used.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link works once"
    );

    // A withdrawn invitation cannot be accepted, and says so.
    let other = "linus@northwind.example";
    app.call(Some(&owner), "team/invite", &invite_form(other, "viewer"))
        .await;
    let link = mailed_token(&app, other).await;
    let id = invitation_id(&app, other).await;
    let revoked = app
        .call(
            Some(&owner),
            "team/invite/revoke",
            &[("invitation_id", &id)],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let refused = accept(&app, &link).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("withdrawn"), "{}", refused.body);
    let twice = app
        .call(
            Some(&owner),
            "team/invite/revoke",
            &[("invitation_id", &id)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("invitation.revoked").await, 1);
}

#[sqlx::test]
async fn a_change_of_role_and_a_removal_hold_from_the_members_next_request(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    let manager = app.sign_in(NW_MANAGER).await;
    let sales = app.sign_in(NW_SALES).await;
    assert_eq!(
        app.call(Some(&manager), "partner/commissions", &[])
            .await
            .status,
        StatusCode::OK
    );

    let manager_id = user_id(&app, NW_MANAGER).await.to_string();
    let demoted = app
        .call(
            Some(&owner),
            "team/role",
            &[("input[user_id]", &manager_id), ("input[role]", "viewer")],
        )
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{}", demoted.body);
    assert_eq!(role_of(&app, NW_MANAGER).await.as_deref(), Some("viewer"));
    assert_eq!(
        app.call(Some(&manager), "partner/commissions", &[])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the same session, refused at once"
    );
    assert_eq!(
        app.call(Some(&manager), "partner/overview", &[])
            .await
            .status,
        StatusCode::OK
    );
    let audited: serde_json::Value =
        sqlx::query_scalar("select detail from audit_log where action = 'team.role_changed'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited["from"], "manager");
    assert_eq!(audited["to"], "viewer");

    // Without the box ticked, nothing is removed.
    let sales_id = user_id(&app, NW_SALES).await.to_string();
    let unconfirmed = app
        .call(
            Some(&owner),
            "team/remove",
            &[("input[user_id]", &sales_id)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role_of(&app, NW_SALES).await.as_deref(), Some("sales"));

    let removed = app
        .call(
            Some(&owner),
            "team/remove",
            &[("input[user_id]", &sales_id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(role_of(&app, NW_SALES).await, None);
    assert_eq!(
        app.call(Some(&sales), "partner/overview", &[]).await.status,
        StatusCode::UNAUTHORIZED,
        "their open session stands for nobody"
    );
    let again = app
        .call(
            None,
            "login",
            &[
                ("input[email]", NW_SALES),
                ("input[password]", partner_portal::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nor can they sign in"
    );
    assert_eq!(app.audit_count("team.member_removed").await, 1);

    // Invited again, they come back through the link with a new password.
    let back = app
        .call(
            Some(&owner),
            "team/invite",
            &invite_form(NW_SALES, "support"),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let rejoined = accept(&app, &mailed_token(&app, NW_SALES).await).await;
    assert_eq!(rejoined.status, StatusCode::OK, "{}", rejoined.body);
    assert_eq!(role_of(&app, NW_SALES).await.as_deref(), Some("support"));
}

#[sqlx::test]
async fn the_last_owner_can_never_be_removed_demoted_or_leave(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    let owner_id = user_id(&app, NW_OWNER).await.to_string();
    for (endpoint, form) in [
        (
            "team/remove",
            vec![
                ("input[user_id]", owner_id.as_str()),
                ("input[confirm]", "yes"),
            ],
        ),
        (
            "team/role",
            vec![
                ("input[user_id]", owner_id.as_str()),
                ("input[role]", "manager"),
            ],
        ),
    ] {
        let refused = app.call(Some(&owner), endpoint, &form).await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{endpoint}: {}",
            refused.body
        );
        assert!(
            refused.body.contains("must keep an owner"),
            "{}",
            refused.body
        );
    }
    assert_eq!(role_of(&app, NW_OWNER).await.as_deref(), Some("owner"));
    assert_eq!(app.audit_count("team.member_removed").await, 0);

    // The database itself refuses, whoever asks.
    let deleted = sqlx::query(
        "delete from partner_members where user_id = (select id from users where email = $1)",
    )
    .bind(NW_OWNER)
    .execute(&app.pool)
    .await;
    let error = deleted.expect_err("the last owner's row cannot be deleted");
    assert_eq!(
        error.as_database_error().and_then(|e| e.constraint()),
        Some("partner_members_last_owner")
    );

    // With two owners, one may step down; two stepping down at once leave one owner.
    sqlx::query(
        "update partner_members set role = 'owner' where user_id = (select id from users where email = $1)",
    )
    .bind(NW_MANAGER)
    .execute(&app.pool)
    .await
    .unwrap();
    let demote = |email: &'static str| {
        let pool = app.pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            let done = sqlx::query(
                "update partner_members set role = 'manager' where user_id = (select id from users where email = $1)",
            )
            .bind(email)
            .execute(&mut *tx)
            .await;
            // Hold the change a moment so that the two overlap.
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            match done {
                Ok(_) => tx.commit().await.is_ok(),
                Err(_) => false,
            }
        }
    };
    let (first, second) = tokio::join!(demote(NW_OWNER), demote(NW_MANAGER));
    assert!(first ^ second, "exactly one stepped down: {first} {second}");
    let owners: i64 = sqlx::query_scalar(
        "select count(*) from partner_members m join partners p on p.id = m.partner_id
         where p.slug = 'northwind' and m.role = 'owner'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(owners, 1);
}

#[sqlx::test]
async fn ownership_passes_in_one_step_and_the_old_owner_becomes_a_manager(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    let support = app.sign_in(NW_SUPPORT).await;
    let support_id = user_id(&app, NW_SUPPORT).await.to_string();
    let owner_id = user_id(&app, NW_OWNER).await.to_string();

    let to_self = app
        .call(
            Some(&owner),
            "team/transfer",
            &[("input[user_id]", &owner_id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(to_self.status, StatusCode::UNPROCESSABLE_ENTITY);

    let handed = app
        .call(
            Some(&owner),
            "team/transfer",
            &[("input[user_id]", &support_id), ("input[confirm]", "yes")],
        )
        .await;
    assert_eq!(handed.status, StatusCode::OK, "{}", handed.body);
    assert_eq!(role_of(&app, NW_SUPPORT).await.as_deref(), Some("owner"));
    assert_eq!(role_of(&app, NW_OWNER).await.as_deref(), Some("manager"));
    assert_eq!(app.audit_count("team.ownership_transferred").await, 1);

    // Each session holds its new role from the next request.
    let invite = invite_form("new@northwind.example", "viewer");
    assert_eq!(
        app.call(Some(&owner), "team/invite", &invite).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(Some(&support), "team/invite", &invite)
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test]
async fn another_partners_owner_finds_nothing_of_this_team(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    app.call(Some(&owner), "team/invite", &invite_form(INVITEE, "sales"))
        .await;
    let invitation = invitation_id(&app, INVITEE).await;
    let manager_id = user_id(&app, NW_MANAGER).await.to_string();

    let stranger = app.sign_in(CONTOSO_OWNER).await;
    let team = app.call(Some(&stranger), "team", &[]).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(
        !team.body.contains(NW_MANAGER) && !team.body.contains(INVITEE),
        "{}",
        team.body
    );
    for (endpoint, form) in [
        (
            "team/role",
            vec![
                ("input[user_id]", manager_id.as_str()),
                ("input[role]", "viewer"),
            ],
        ),
        (
            "team/remove",
            vec![
                ("input[user_id]", manager_id.as_str()),
                ("input[confirm]", "yes"),
            ],
        ),
        (
            "team/transfer",
            vec![
                ("input[user_id]", manager_id.as_str()),
                ("input[confirm]", "yes"),
            ],
        ),
        (
            "team/invite/resend",
            vec![("invitation_id", invitation.as_str())],
        ),
        (
            "team/invite/revoke",
            vec![("invitation_id", invitation.as_str())],
        ),
    ] {
        let reply = app.call(Some(&stranger), endpoint, &form).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{endpoint}: {}",
            reply.body
        );
    }
    assert_eq!(role_of(&app, NW_MANAGER).await.as_deref(), Some("manager"));
    assert_eq!(role_of(&app, CONTOSO_OWNER).await.as_deref(), Some("owner"));
    let waiting: i64 = sqlx::query_scalar(
        "select count(*) from invitations where email = $1 and revoked_at is null",
    )
    .bind(INVITEE)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(waiting, 1);
}

#[sqlx::test]
async fn a_frozen_partners_team_can_be_read_but_not_changed(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let owner = app.sign_in(NW_OWNER).await;
    sqlx::query("update partners set status = 'frozen' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call(Some(&owner), "team", &[]).await.status,
        StatusCode::OK
    );
    let refused = app
        .call(Some(&owner), "team/invite", &invite_form(INVITEE, "sales"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("frozen"), "{}", refused.body);
    assert_eq!(app.audit_count("invitation.created").await, 0);
}
