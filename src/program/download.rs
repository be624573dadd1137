//! A download (CSV or Excel) streamed as it is written: rows go out through a small bounded
//! channel, so an export of a million rows never sits in memory, and a client that goes away
//! stops the writing. The same rows make both files: each export writes typed [`Cell`]s once,
//! and the [`Table`] renders them as CSV text or as Excel cells.

use std::{error::Error, future::Future};

use axum::{
    body::Body,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tokio_stream::wrappers::ReceiverStream;

use super::{csv::cell, xlsx::Sheet};

/// Where the chunks of a download go.
pub type Chunks = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// What writing a download may fail with.
pub type Failure = Box<dyn Error + Send + Sync>;

/// Rows per chunk sent to the client.
const ROWS_PER_CHUNK: usize = 500;

/// The file a download is: the route says which (`export.csv` or `export.xlsx`), as an
/// extension the router adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// One value of a row. CSV writes text (money and counts as plain numbers, times as RFC
/// 3339); Excel keeps the kind: numbers stay numbers, times are dates.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Free text, defused in CSV so that a spreadsheet never runs it as a formula.
    Text(String),
    /// An amount of money (two decimals in Excel).
    Money(Decimal),
    /// Any other decimal number (rates, scores).
    Number(Decimal),
    Count(i64),
    Time(DateTime<Utc>),
    YesNo(bool),
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Cell::Text(text.into())
    }

    /// `text`, or an empty cell for none.
    pub fn maybe(text: Option<impl Into<String>>) -> Self {
        text.map_or(Cell::Empty, |text| Cell::Text(text.into()))
    }

    /// The cell as CSV writes it.
    pub fn to_csv(&self) -> String {
        match self {
            Cell::Text(text) => cell(text),
            Cell::Money(amount) | Cell::Number(amount) => amount.to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Time(at) => at.to_rfc3339(),
            Cell::YesNo(yes) => if *yes { "yes" } else { "no" }.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// Writes a download's rows, in the format the route asked for.
pub struct Table {
    sender: Chunks,
    rows: Rows,
}

enum Rows {
    Csv {
        writer: Box<csv::Writer<Vec<u8>>>,
        pending: usize,
    },
    Xlsx(Box<Sheet>),
}

fn chunk_writer() -> Box<csv::Writer<Vec<u8>>> {
    Box::new(
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new()),
    )
}

impl Table {
    /// Starts the file with its header row.
    pub fn new(sender: Chunks, format: Format, header: &[&str]) -> Result<Self, Failure> {
        let rows = match format {
            Format::Csv => {
                let mut writer = chunk_writer();
                writer.write_record(header)?;
                Rows::Csv { writer, pending: 0 }
            }
            Format::Xlsx => Rows::Xlsx(Box::new(Sheet::new(header)?)),
        };
        Ok(Table { sender, rows })
    }

    /// Writes a row; `false` when the client went away (stop writing).
    pub async fn row(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<bool, Failure> {
        match &mut self.rows {
            Rows::Csv { writer, pending } => {
                writer.write_record(cells.into_iter().map(|c| c.to_csv()))?;
                *pending += 1;
                if *pending == ROWS_PER_CHUNK {
                    *pending = 0;
                    let chunk = std::mem::replace(writer, chunk_writer()).into_inner()?;
                    return Ok(self.sender.send(Ok(chunk)).await.is_ok());
                }
                Ok(true)
            }
            // Rows go to the sheet's temporary file; nothing is sent before the end (a
            // workbook is a zip, written whole), so only a closed channel stops it early.
            Rows::Xlsx(sheet) => {
                sheet.row(cells)?;
                Ok(!self.sender.is_closed())
            }
        }
    }

    /// Sends what is left.
    pub async fn finish(self) -> Result<(), Failure> {
        match self.rows {
            Rows::Csv { writer, .. } => {
                let _ = self.sender.send(Ok(writer.into_inner()?)).await;
                Ok(())
            }
            Rows::Xlsx(sheet) => sheet.send(&self.sender).await,
        }
    }
}

/// The response of a download named `name` (without its extension) in `format`, whose rows
/// `write` sends into the table it is given, in a task of its own. A failure is logged as
/// `what` and ends the body with an error, so the browser does not keep a truncated file as
/// if it were whole.
pub fn download<W, F>(name: &str, format: Format, what: &'static str, write: W) -> Response
where
    W: FnOnce(Chunks) -> F,
    F: Future<Output = Result<(), Failure>> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let writing = write(sender.clone());
    tokio::spawn(async move {
        if let Err(error) = writing.await {
            tracing::error!(%error, "{what} failed");
            let _ = sender
                .send(Err(std::io::Error::other("export failed")))
                .await;
        }
    });
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{}\"", format.extension()),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::Cell;
    use rust_decimal::Decimal;

    #[test]
    fn csv_cells_keep_the_files_text() {
        assert_eq!(Cell::text("=SUM(A1)").to_csv(), "'=SUM(A1)");
        assert_eq!(Cell::Money(Decimal::new(123450, 2)).to_csv(), "1234.50");
        assert_eq!(Cell::Count(-3).to_csv(), "-3");
        assert_eq!(Cell::YesNo(true).to_csv(), "yes");
        assert_eq!(Cell::maybe(None::<String>).to_csv(), "");
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-02T10:00:00Z").unwrap();
        assert_eq!(
            Cell::Time(at.to_utc()).to_csv(),
            "2026-11-02T10:00:00+00:00"
        );
    }
}
