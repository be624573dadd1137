//! Health and the leaderboard through a real close and the real router: the close writes
//! every partner's health equal to the formula on that month's facts and ranks them by MRR
//! growth; the dashboard shows the score; the board names only partners that opted in (and
//! the caller); admins export the whole board.

use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::common::*;
use partner_portal::{
    commissions::close::close_month,
    health::model::{health, MonthFacts},
    program::Month,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test]
async fn a_close_scores_every_partner_by_the_formula_and_ranks_them(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    // The demo leaves last month open; a Northwind member signs in (activity) first.
    let viewer = app.sign_in(NW_VIEWER).await;
    let month = Month::containing(chrono::Utc::now()).previous();
    let mut tx = app.pool.begin().await.unwrap();
    close_month(&mut tx, month, None, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let partners: i64 = sqlx::query_scalar("select count(*) from partners")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let rows: Vec<(uuid::Uuid, Decimal, Decimal, i32)> = sqlx::query_as(
        "select partner_id, score, mrr_growth, growth_rank from partner_health
         where month = $1 order by growth_rank",
    )
    .bind(month.first_day())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, partners, "every partner is scored");
    let ranks: Vec<i32> = rows.iter().map(|r| r.3).collect();
    assert_eq!(ranks, (1..=partners as i32).collect::<Vec<_>>());
    assert!(
        rows.windows(2).all(|w| w[0].2 >= w[1].2),
        "most growth first"
    );

    // Northwind's score is the formula on the month's facts, read here independently.
    let northwind = app.partner_id("northwind").await;
    let (active_at_start, cancelled, mrr_start, mrr_end, members, active): (
        i64,
        i64,
        Decimal,
        Decimal,
        i64,
        i64,
    ) = sqlx::query_as(
        "select (select active_clients from partner_months where partner_id = $1 and month = $3)::bigint,
                (select count(*) from subscription_events where partner_id = $1
                   and kind = 'status_changed' and to_status = 'canceled'
                   and occurred_at >= $4 and occurred_at < $5),
                (select mrr_start from partner_months where partner_id = $1 and month = $2),
                (select mrr from partner_months where partner_id = $1 and month = $2),
                (select count(*) from partner_members where partner_id = $1),
                (select count(*) from partner_members m join users u on u.id = m.user_id
                  where m.partner_id = $1 and u.last_sign_in_at > $5 - interval '30 days'
                    and u.last_sign_in_at <= $5)",
    )
    .bind(northwind)
    .bind(month.first_day())
    .bind(month.previous().first_day())
    .bind(month.start())
    .bind(month.end())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let expected = health(&MonthFacts {
        active_at_start,
        cancelled,
        mrr_start,
        mrr_end,
        members,
        active_members: active,
        certification: None,
    });
    let stored: (Decimal, Decimal, Decimal, Decimal, Decimal) = sqlx::query_as(
        "select retention, growth, certification, activity, score from partner_health
         where partner_id = $1 and month = $2",
    )
    .bind(northwind)
    .bind(month.first_day())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            expected.retention,
            expected.growth,
            expected.certification,
            expected.activity,
            expected.score
        )
    );
    assert!(active_at_start > 0, "the demo's Northwind had clients");

    // The dashboard shows it.
    let reply = app.call(Some(&viewer), "health", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let months: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(months[0]["month"], month.to_string());
    let page = app.get_page(Some(&viewer), "/partner").await;
    assert!(page.body.contains("health-score") && page.body.contains("Customer retention"));
}

#[sqlx::test]
async fn the_board_names_only_partners_that_opted_in(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    let month = Month::containing(chrono::Utc::now()).previous();
    let mut tx = app.pool.begin().await.unwrap();
    close_month(&mut tx, month, None, chrono::Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let northwind = app.sign_in(NW_SALES).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;

    let board = |cookie: String| {
        let app = &app;
        async move {
            let reply = app.call(Some(&cookie), "leaderboard", &[]).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            reply.body
        }
    };
    let before = board(northwind.clone()).await;
    let parsed: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(parsed["own"]["name"], "Northwind", "its own name, always");
    assert!(parsed["own"]["rank"].as_i64().unwrap() >= 1);
    assert!(
        !before.contains("Contoso") && !before.contains("Litware"),
        "{before}"
    );
    assert!(parsed["top"].as_array().unwrap().len() <= 10);

    // A sales member cannot choose; Contoso's owner opts in, and is named from then on.
    let refused = app
        .call(Some(&northwind), "leaderboard/opt-in", &[("opt_in", "on")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let opted = app
        .call(Some(&contoso), "leaderboard/opt-in", &[("opt_in", "on")])
        .await;
    assert_eq!(opted.status, StatusCode::OK, "{}", opted.body);
    let after = board(northwind.clone()).await;
    assert!(
        after.contains("Contoso") && !after.contains("Litware"),
        "{after}"
    );
    assert_eq!(
        app.audit_count("partner.leaderboard_visibility_changed")
            .await,
        1
    );
    let page = app.get_page(Some(&northwind), "/partner/leaderboard").await;
    assert!(page.body.contains("own-rank") && page.body.contains("Contoso"));

    // Admins download the whole board; partners may not.
    let admin = app.sign_in(ADMIN).await;
    let csv = app.get_page(Some(&admin), "/admin/leaderboard.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("month,rank,partner,"), "{}", csv.body);
    assert!(csv.body.contains("Litware") && csv.body.contains("Northwind"));
    let refused = app.get_page(Some(&contoso), "/admin/leaderboard.csv").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // And read it whole on a page, every partner named, by rank.
    let whole = app.call(Some(&admin), "admin/leaderboard", &[]).await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.body);
    let whole: serde_json::Value = serde_json::from_str(&whole.body).unwrap();
    let lines = whole["lines"].as_array().unwrap();
    let ranks: Vec<i64> = lines.iter().map(|l| l["rank"].as_i64().unwrap()).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted);
    let names: Vec<&str> = lines.iter().map(|l| l["name"].as_str().unwrap()).collect();
    for partner in ["Litware", "Northwind", "Contoso"] {
        assert!(names.contains(&partner), "{names:?}");
    }
    let page = app.get_page(Some(&admin), "/admin/leaderboard").await;
    assert!(page.body.contains("admin-leaderboard") && page.body.contains("Litware"));
}
