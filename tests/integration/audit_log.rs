//! The audit log viewers through the real router: a partner's owners and managers read only
//! their partner's rows and never the program team's own; admins read everything; filters,
//! keyset pages and the CSV export all read the same view.

use axum::http::StatusCode;
use partner_portal::audit_viewer::model::{AuditPage, AuditRow};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::common::*;

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// `n` rows of "added a client" by `email` for their partner (the demo data has none).
async fn added_clients(app: &TestApp, email: &str, n: i32) {
    sqlx::query(
        "insert into audit_log (occurred_at, partner_id, action, actor_user_id, target_type, target_id)
         select now() - make_interval(mins => g), m.partner_id, 'client.created', m.user_id,
                'client', (select c.id from clients c where c.partner_id = m.partner_id limit 1)
         from partner_members m join users u on u.id = m.user_id, generate_series(1, $2) g
         where u.email = $1",
    )
    .bind(email)
    .bind(n)
    .execute(&app.pool)
    .await
    .unwrap();
}

/// One page of `endpoint` (`partner/audit` or `admin/audit`) under `filter` (`query[...]`).
async fn read(app: &TestApp, cookie: &str, endpoint: &str, filter: &[(&str, &str)]) -> AuditPage {
    let mut form = vec![("query[position]", "first")];
    form.extend_from_slice(filter);
    let reply = app.call(Some(cookie), endpoint, &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("an audit page")
}

/// The partner each row belongs to, from the database.
async fn partners_of(app: &TestApp, rows: &[AuditRow]) -> Vec<Option<Uuid>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    sqlx::query_scalar("select partner_id from audit_log where id = any($1)")
        .bind(&ids)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_partner_reads_its_own_rows_and_never_anothers_or_the_program_teams(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = app.partner_id("northwind").await;
    let contoso = app.partner_id("contoso").await;
    let owner = app.sign_in(NW_OWNER).await;
    // Contoso's owner signs in and changes something of Contoso's: Northwind must not see it.
    let contoso_owner = app.sign_in(CONTOSO_OWNER).await;
    let reply = app
        .call(
            Some(&contoso_owner),
            "account/profile",
            &[("input[display_name]", "Contoso Owner Renamed")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let page = read(&app, &owner, "partner/audit", &[]).await;
    assert!(!page.rows.is_empty(), "the demo data has Northwind rows");
    assert!(partners_of(&app, &page.rows)
        .await
        .iter()
        .all(|p| *p == Some(northwind)));
    // Asking for Contoso's rows by the program log's parameter changes nothing.
    let contoso_text = contoso.to_string();
    let asked = read(
        &app,
        &owner,
        "partner/audit",
        &[("query[partner]", &contoso_text)],
    )
    .await;
    assert!(partners_of(&app, &asked.rows)
        .await
        .iter()
        .all(|p| *p == Some(northwind)));
    // Sign-ins are the program team's: not in the partner's log, nor on offer in its filter.
    assert!(page.rows.iter().all(|r| !r.action.starts_with("auth.")));
    assert!(page.actions.iter().all(|a| !a.name.starts_with("auth.")));
    let sign_ins = read(
        &app,
        &owner,
        "partner/audit",
        &[("query[action]", "auth.sign_in")],
    )
    .await;
    assert!(sign_ins.rows.is_empty());
    assert!(app.audit_count("auth.sign_in").await >= 2);

    // The admin reads both partners' rows, and the sign-ins.
    let admin = app.sign_in(ADMIN).await;
    let program = read(
        &app,
        &admin,
        "admin/audit",
        &[("query[action]", "auth.sign_in")],
    )
    .await;
    assert!(program.rows.len() >= 3, "{:?}", program.rows.len());
    let only_contoso = read(
        &app,
        &admin,
        "admin/audit",
        &[("query[partner]", &contoso_text)],
    )
    .await;
    assert!(!only_contoso.rows.is_empty());
    assert!(partners_of(&app, &only_contoso.rows)
        .await
        .iter()
        .all(|p| *p == Some(contoso)));
}

#[sqlx::test]
async fn filters_pages_and_both_identities_of_an_impersonation(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = app.partner_id("northwind").await;
    let support = user_id(&app, NW_SUPPORT).await;
    let acted_as = user_id(&app, FABRIKAM_OWNER).await;
    let fabrikam = app.client_id("fabrikam").await;
    // 130 client updates by Northwind's support member, a second apart, on 2 November (the
    // demo data has none of these that day): every other one acting as Fabrikam's owner,
    // the rest as themselves, so that the person filter's pages merge both ways of matching.
    sqlx::query(
        "insert into audit_log (occurred_at, partner_id, action, actor_user_id, real_user_id,
                                impersonation_id, target_type, target_id, detail)
         select timestamptz '2026-11-02 08:00:00+00' + make_interval(secs => n), $1,
                'client.contact_updated',
                case when n % 2 = 0 then $2 else $3 end,
                case when n % 2 = 0 then $3 end,
                case when n % 2 = 0 then gen_random_uuid() end, 'client', $4,
                jsonb_build_object('n', n)
         from generate_series(1, 130) n",
    )
    .bind(northwind)
    .bind(acted_as)
    .bind(support)
    .bind(fabrikam)
    .execute(&app.pool)
    .await
    .unwrap();

    let owner = app.sign_in(NW_OWNER).await;
    let filter = [
        ("query[person]", NW_SUPPORT),
        ("query[action]", "client.contact_updated"),
        ("query[from]", "2026-11-02"),
        ("query[to]", "2026-11-02"),
    ];
    let first = read(&app, &owner, "partner/audit", &filter).await;
    assert_eq!(first.rows.len(), 50);
    assert_eq!(first.total, partner_portal::program::Total::Exact(130));
    let top = &first.rows[0];
    assert_eq!(
        top.detail,
        vec![("n".to_string(), "130".to_string())],
        "newest first"
    );
    let sentence = top.sentence();
    assert!(sentence.starts_with("Sofia Support"), "{sentence}");
    assert!(
        sentence.contains("updated a client's contact: Fabrikam"),
        "{sentence}"
    );
    assert!(sentence.contains("while logged in as"), "{sentence}");
    assert_eq!(
        top.real.as_ref().map(|p| p.email.as_str()),
        Some(NW_SUPPORT)
    );
    assert_eq!(
        top.actor.as_ref().map(|p| p.email.as_str()),
        Some(FABRIKAM_OWNER)
    );

    // Walk forward by the next links, then back: every row once, newest first.
    let mut seen: Vec<i64> = Vec::new();
    let mut page = first.clone();
    loop {
        seen.extend(
            page.rows
                .iter()
                .map(|r| r.detail[0].1.parse::<i64>().unwrap()),
        );
        let Some(next) = page.links.next.clone() else {
            break;
        };
        let position: String = next.into();
        let mut form = filter.to_vec();
        form.push(("query[position]", &position));
        let reply = app.call(Some(&owner), "partner/audit", &form).await;
        page = serde_json::from_str(&reply.body).unwrap();
    }
    assert_eq!(seen, (1..=130).rev().collect::<Vec<_>>());
    let previous: String = page
        .links
        .previous
        .clone()
        .expect("the last page has a previous")
        .into();
    let mut form = filter.to_vec();
    form.push(("query[position]", &previous));
    let back: AuditPage =
        serde_json::from_str(&app.call(Some(&owner), "partner/audit", &form).await.body).unwrap();
    assert_eq!(
        back.rows.first().map(|r| r.detail[0].1.as_str()),
        Some("80")
    );
    let mut form = filter.to_vec();
    form.push(("query[position]", "last"));
    let last: AuditPage =
        serde_json::from_str(&app.call(Some(&owner), "partner/audit", &form).await.body).unwrap();
    let numbers: Vec<i64> = last
        .rows
        .iter()
        .map(|r| r.detail[0].1.parse().unwrap())
        .collect();
    assert_eq!(numbers, (1..=50).rev().collect::<Vec<_>>(), "the oldest 50");

    // Someone else, an unknown address, the day after: nothing.
    for (name, value) in [
        ("query[person]", NW_SALES),
        ("query[person]", "nobody@nowhere.example"),
        ("query[from]", "2026-11-03"),
    ] {
        let mut other = filter.to_vec();
        other.retain(|(n, _)| *n != name);
        other.push((name, value));
        let page = read(&app, &owner, "partner/audit", &other).await;
        assert!(page.rows.is_empty(), "{name}={value}");
    }
    // A range that ends before it starts is explained next to its field, and reads nothing.
    let wrong = read(
        &app,
        &owner,
        "partner/audit",
        &[("query[from]", "2026-11-03"), ("query[to]", "2026-11-02")],
    )
    .await;
    assert!(wrong.rows.is_empty());
    assert_eq!(wrong.problem.as_ref().map(|(f, _)| f.as_str()), Some("to"));
}

#[sqlx::test]
async fn the_export_is_the_filtered_view_and_is_refused_like_the_page(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let northwind = app.partner_id("northwind").await;
    added_clients(&app, NW_OWNER, 7).await;
    added_clients(&app, CONTOSO_OWNER, 3).await;
    let owner = app.sign_in(NW_OWNER).await;
    let expected: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where partner_id = $1 and action = 'client.created'",
    )
    .bind(northwind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(expected, 7);
    let path = "/partner/audit/export.csv?action=client.created";
    let reply = app.get_page(Some(&owner), path).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("audit-log-"));
    let mut csv = csv::Reader::from_reader(reply.body.as_bytes());
    assert_eq!(csv.headers().unwrap().get(2), Some("description"));
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len() as i64, expected);
    assert!(records
        .iter()
        .all(|r| &r[1] == "client.created" && r[2].contains("added a client")));
    assert_eq!(app.audit_count("audit.exported").await, 1);

    // Refused as the page is: a lower role, another kind of user, nobody; and the program's
    // export is the admins'.
    for (who, path, status) in [
        (Some(NW_SALES), path, StatusCode::FORBIDDEN),
        (Some(FABRIKAM_OWNER), path, StatusCode::FORBIDDEN),
        (
            Some(NW_OWNER),
            "/admin/audit/export.csv",
            StatusCode::FORBIDDEN,
        ),
        (Some(ADMIN), path, StatusCode::FORBIDDEN),
    ] {
        let cookie = app.sign_in(who.unwrap()).await;
        let reply = app.get_page(Some(&cookie), path).await;
        assert_eq!(reply.status, status, "{who:?} {path}");
    }
    let anonymous = app.get_page(None, path).await;
    assert!(
        anonymous.status == StatusCode::UNAUTHORIZED || anonymous.status.is_redirection(),
        "{}",
        anonymous.status
    );
    assert!(!anonymous.body.contains("client.created"));
    // A range that ends before it starts is refused with the reason.
    let wrong = app
        .get_page(
            Some(&owner),
            "/partner/audit/export.csv?from=2026-11-03&to=2026-11-02",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);

    // The admin's export holds several partners' rows.
    let admin = app.sign_in(ADMIN).await;
    let reply = app
        .get_page(
            Some(&admin),
            "/admin/audit/export.csv?action=client.created",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let partners: std::collections::HashSet<String> =
        csv::Reader::from_reader(reply.body.as_bytes())
            .records()
            .map(|r| r.unwrap()[7].to_string())
            .collect();
    assert!(partners.len() >= 2, "{partners:?}");
}

#[sqlx::test]
async fn the_pages_render_before_the_webassembly_loads(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    added_clients(&app, NW_OWNER, 1).await;
    let owner = app.sign_in(NW_OWNER).await;
    let page = app
        .get_page(Some(&owner), "/partner/audit?action=client.created")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Audit log"));
    assert!(
        page.body.contains("added a client"),
        "the rows are in the first answer"
    );
    assert!(page
        .body
        .contains("/partner/audit/export.csv?action=client.created"));
    let admin = app.sign_in(ADMIN).await;
    let page = app.get_page(Some(&admin), "/admin/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"audit-log\""));
}
