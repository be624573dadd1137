//! Statements as PDF invoices: the file parses (pdf-extract reads its text back), says what
//! the statement says, and is guarded as the statement is.

use axum::http::StatusCode;
use partner_portal::components::format::money;
use rust_decimal::Decimal;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;

/// Northwind's latest statement: its month (`YYYY-MM`), id and total.
async fn latest_statement(app: &TestApp, slug: &str) -> (String, uuid::Uuid, uuid::Uuid, Decimal) {
    sqlx::query_as(
        "select to_char(s.month, 'YYYY-MM'), s.id, s.partner_id, s.total
         from commission_statements s join partners p on p.id = s.partner_id
         where p.slug = $1 order by s.month desc limit 1",
    )
    .bind(slug)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn a_statement_downloads_as_a_pdf_invoice_with_its_totals(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let (month, statement, partner, total) = latest_statement(&app, "northwind").await;
    sqlx::query(
        "insert into commission_adjustments (partner_id, statement_id, amount, reason)
         values ($1, $2, -12.50, 'Refund for Café Olé, credited')",
    )
    .bind(partner)
    .bind(statement)
    .execute(&app.pool)
    .await
    .unwrap();
    let client: String = sqlx::query_scalar(
        "select client_name from commission_lines where statement_id = $1 order by amount desc limit 1",
    )
    .bind(statement)
    .fetch_one(&app.pool)
    .await
    .unwrap();

    let owner = app.sign_in(NW_OWNER).await;
    let path = format!("/partner/commissions/{month}/statement.pdf");
    let (status, kind, bytes) = app.get_bytes(Some(&owner), &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("a PDF its reader parses");
    let label = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .unwrap()
        .format("%B %Y")
        .to_string();
    for expected in [
        "Commission statement".to_string(),
        "Northwind".into(),
        label,
        money(total),
        money(Decimal::new(-1250, 2)),
        money(total - Decimal::new(1250, 2)),
        "Refund for Café Olé, credited".into(),
        client,
        "Revenue by plan".into(),
        "Page 1 of".into(),
    ] {
        assert!(
            text.contains(&expected),
            "the invoice says {expected:?}:\n{text}"
        );
    }
    assert_eq!(app.audit_count("commissions.statement_exported").await, 1);
    let page = app
        .get_page(Some(&owner), &format!("/partner/commissions/{month}"))
        .await;
    assert!(
        page.body.contains(&format!("href=\"{path}\"")),
        "the statement page links it"
    );
}

#[sqlx::test]
async fn invoices_are_guarded_as_statements_are(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let (month, ..) = latest_statement(&app, "northwind").await;
    let path = format!("/partner/commissions/{month}/statement.pdf");
    let (status, kind, _) = app.get_bytes(None, &path).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "anonymous");
    assert_ne!(kind, "application/pdf");
    for who in [NW_VIEWER, NW_SALES, ADMIN, FABRIKAM_OWNER] {
        let cookie = app.sign_in(who).await;
        let (status, _, _) = app.get_bytes(Some(&cookie), &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    // Another partner's owner gets their own statement for that month, never Northwind's.
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let (status, _, bytes) = app.get_bytes(Some(&contoso), &path).await;
    if status == StatusCode::OK {
        let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
        assert!(
            text.contains("Contoso") && !text.contains("Northwind"),
            "{text}"
        );
    } else {
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _, _) = app
        .get_bytes(Some(&contoso), "/partner/commissions/1999-01/statement.pdf")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
