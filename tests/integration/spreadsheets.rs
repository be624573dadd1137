//! Excel downloads beside every CSV: the same rows, read back by calamine (a reader written by
//! others), cell for cell; the same guards.

use std::{io::Cursor, str::FromStr};

use axum::http::StatusCode;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rust_decimal::{prelude::FromPrimitive, Decimal};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::common::*;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn sheet_rows(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx file");
    let range = workbook
        .worksheet_range_at(0)
        .expect("one sheet")
        .expect("a readable sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Whether the Excel cell holds what the CSV's text says: the same text (which the CSV
/// prefixes with ' when a spreadsheet would run it), the same number, the same instant (to
/// Excel's millisecond), or nothing.
fn same(text: &str, cell: &Data) -> bool {
    match cell {
        Data::String(s) => text == s || text == format!("'{s}"),
        Data::Float(f) => {
            let written = Decimal::from_str(text).expect("a number in the CSV");
            let read = Decimal::from_f64(*f).unwrap();
            (written - read).abs() < Decimal::new(1, 6)
        }
        Data::Int(n) => text == n.to_string(),
        Data::DateTime(at) => {
            let read = at.as_datetime().expect("a date and time");
            let written = chrono::DateTime::parse_from_rfc3339(text)
                .expect("an RFC 3339 time in the CSV")
                .naive_utc();
            (written - read).num_milliseconds().abs() <= 1
        }
        Data::Empty => text.is_empty(),
        other => panic!("unexpected cell {other:?}"),
    }
}

/// Downloads `stem.csv` and `stem.xlsx` (with `query`) and checks that they hold the same
/// rows; returns the sheet.
async fn both_agree(app: &TestApp, cookie: &str, stem: &str, query: &str) -> Vec<Vec<Data>> {
    let (status, kind, csv) = app
        .get_bytes(Some(cookie), &format!("{stem}.csv{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{stem}.csv");
    assert!(kind.starts_with("text/csv"));
    let (status, kind, xlsx) = app
        .get_bytes(Some(cookie), &format!("{stem}.xlsx{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{stem}.xlsx");
    assert_eq!(kind, XLSX_TYPE);
    let csv = csv_rows(&csv);
    let sheet = sheet_rows(xlsx);
    assert!(csv.len() > 1, "{stem}{query}: rows to compare: {csv:?}");
    assert_eq!(csv.len(), sheet.len(), "{stem}: as many rows");
    for (n, (text_row, cells)) in csv.iter().zip(&sheet).enumerate() {
        // calamine leaves out empty cells at the end of a row.
        for (col, text) in text_row.iter().enumerate() {
            let cell = cells.get(col).unwrap_or(&Data::Empty);
            assert!(
                same(text, cell),
                "{stem} row {n} column {col}: CSV {text:?}, Excel {cell:?}"
            );
        }
    }
    sheet
}

#[sqlx::test]
async fn every_csv_has_an_excel_twin_with_the_same_cells(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    sqlx::query("update clients set company_name = '=SUM(1+1)' where slug = 'fabrikam'")
        .execute(&app.pool)
        .await
        .unwrap();
    let owner = app.sign_in(NW_OWNER).await;
    let admin = app.sign_in(ADMIN).await;

    let clients = both_agree(&app, &owner, "/partner/clients/export", "").await;
    assert_eq!(clients[0][0], Data::String("company".into()));
    assert!(
        clients
            .iter()
            .any(|row| row[0] == Data::String("=SUM(1+1)".into())),
        "a formula-like name stays text in Excel"
    );
    assert!(
        clients
            .iter()
            .skip(1)
            .all(|row| matches!(row[5], Data::Float(_))),
        "list prices are numbers"
    );
    let suspended = both_agree(&app, &owner, "/partner/clients/export", "?status=suspended").await;
    assert!(
        suspended.len() < clients.len(),
        "the filter applies to Excel too"
    );

    let month: String = sqlx::query_scalar(
        "select to_char(max(s.month), 'YYYY-MM') from commission_statements s
         join partners p on p.id = s.partner_id where p.slug = 'northwind'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let statement = both_agree(
        &app,
        &owner,
        &format!("/partner/commissions/{month}/statement"),
        "",
    )
    .await;
    let total: Decimal = sqlx::query_scalar(
        "select s.total from commission_statements s join partners p on p.id = s.partner_id
         where p.slug = 'northwind' and s.month = ($1 || '-01')::date",
    )
    .bind(&month)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let lines: f64 = statement
        .iter()
        .skip(1)
        .filter(|row| row[1] == Data::String("commission".into()))
        .map(|row| match row[9] {
            Data::Float(amount) => amount,
            ref other => panic!("amount {other:?}"),
        })
        .sum();
    assert!(
        (Decimal::from_f64(lines).unwrap() - total).abs() < Decimal::new(1, 2),
        "the sheet's commission lines add up to the statement's total {total}"
    );

    // The exports are audited themselves: an action filter keeps each file's own row out.
    let action: String = sqlx::query_scalar(
        "select a.action from audit_log a join partners p on p.id = a.partner_id
         where p.slug = 'northwind' and a.action not like '%export%'
         group by a.action order by count(*) desc limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    both_agree(
        &app,
        &owner,
        "/partner/audit/export",
        &format!("?action={action}"),
    )
    .await;
    // The owner's rows (their downloads above among them) stay put while the admin downloads.
    let owners_rows = format!("?person={NW_OWNER}");
    both_agree(&app, &admin, "/admin/audit/export", &owners_rows).await;
    let partners = both_agree(&app, &admin, "/admin/partners/export", "").await;
    assert!(partners
        .iter()
        .any(|row| row[0] == Data::String("Contoso".into())));
    both_agree(&app, &admin, "/admin/leaderboard", "").await;
}

#[sqlx::test]
async fn excel_downloads_keep_the_csv_guards(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let viewer = app.sign_in(NW_VIEWER).await;
    let month: String =
        sqlx::query_scalar("select to_char(max(month), 'YYYY-MM') from commission_statements")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let statement = format!("/partner/commissions/{month}/statement.xlsx");

    // Nobody signed in: sent to sign in, nothing written.
    for path in [
        "/partner/clients/export.xlsx",
        "/partner/audit/export.xlsx",
        "/admin/partners/export.xlsx",
        "/admin/audit/export.xlsx",
        "/admin/leaderboard.xlsx",
        statement.as_str(),
    ] {
        let (status, kind, _) = app.get_bytes(None, path).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert_ne!(kind, XLSX_TYPE);
    }
    // A partner's owner is not an admin.
    for path in [
        "/admin/partners/export.xlsx",
        "/admin/audit/export.xlsx",
        "/admin/leaderboard.xlsx",
    ] {
        let (status, _, _) = app.get_bytes(Some(&contoso), path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "Contoso's owner {path}");
    }
    // A viewer reads neither statements nor the audit log.
    for path in [statement.as_str(), "/partner/audit/export.xlsx"] {
        let (status, _, _) = app.get_bytes(Some(&viewer), path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "Northwind's viewer {path}");
    }
    // Another partner's owner gets its own clients only.
    let (status, _, bytes) = app
        .get_bytes(Some(&contoso), "/partner/clients/export.xlsx")
        .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<String> = sheet_rows(bytes)
        .iter()
        .skip(1)
        .map(|row| row[0].to_string())
        .collect();
    let northwind: Vec<String> = sqlx::query_scalar(
        "select c.company_name from clients c join partners p on p.id = c.partner_id
         where p.slug = 'northwind'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|name| !northwind.contains(name)),
        "{names:?}"
    );
}
