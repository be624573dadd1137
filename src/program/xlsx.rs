//! One-sheet Excel workbooks for downloads: a bold, frozen header row, then rows kept in a
//! temporary file as they come (rust_xlsxwriter's constant-memory mode), zipped at the end
//! into another temporary file that is sent in chunks. Memory stays flat whatever the number
//! of rows.

use std::io::{Read, Seek};

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};

use super::download::{Cell, Chunks, Failure};

/// The most rows a sheet holds after its header (Excel's limit is 1,048,576 in all).
pub const ROWS_MAX: u32 = 1_048_575;

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 * 1024;

pub struct Sheet {
    workbook: Workbook,
    next_row: RowNum,
    money: Format,
    time: Format,
}

impl Sheet {
    pub fn new(header: &[&str]) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory();
        let sheet = sheet?;
        for (col, title) in header.iter().enumerate() {
            let col = col as ColNum;
            sheet.write_string_with_format(0, col, *title, &bold)?;
            sheet.set_column_width(col, (title.len() as f64 + 4.0).max(12.0))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Sheet {
            workbook,
            next_row: 1,
            money: Format::new().set_num_format("#,##0.00"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        })
    }

    /// Writes the next row. Past Excel's limit the download fails (named in the log) rather
    /// than end short as if whole: the CSV has no limit.
    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<(), Failure> {
        if self.next_row > ROWS_MAX {
            return Err(format!("more than {ROWS_MAX} rows: too many for Excel").into());
        }
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, value) in cells.into_iter().enumerate() {
            let col = col as ColNum;
            match value {
                Cell::Text(text) => sheet.write_string(row, col, text).map(drop)?,
                Cell::Money(amount) => sheet
                    .write_with_format(row, col, amount, &self.money)
                    .map(drop)?,
                Cell::Number(number) => sheet.write(row, col, number).map(drop)?,
                // Counts here are far below 2^53: exact as an Excel number.
                Cell::Count(n) => sheet.write_number(row, col, n as f64).map(drop)?,
                Cell::Time(at) => sheet
                    .write_datetime_with_format(row, col, at.naive_utc(), &self.time)
                    .map(drop)?,
                Cell::YesNo(yes) => sheet
                    .write_string(row, col, if yes { "yes" } else { "no" })
                    .map(drop)?,
                Cell::Empty => {}
            }
        }
        self.next_row += 1;
        Ok(())
    }

    /// Zips the workbook (off the async threads: it is CPU work) and sends the file.
    pub async fn send(self, sender: &Chunks) -> Result<(), Failure> {
        let mut workbook = self.workbook;
        let mut file = tokio::task::spawn_blocking(move || -> Result<_, Failure> {
            let mut file = tempfile::tempfile()?;
            workbook.save_to_writer(&mut file)?;
            file.rewind()?;
            Ok(file)
        })
        .await??;
        loop {
            let (chunk, rest) = tokio::task::spawn_blocking(move || {
                let mut chunk = vec![0; CHUNK];
                let n = file.read(&mut chunk)?;
                chunk.truncate(n);
                Ok::<_, std::io::Error>((chunk, file))
            })
            .await??;
            if chunk.is_empty() || sender.send(Ok(chunk)).await.is_err() {
                return Ok(());
            }
            file = rest;
        }
    }
}
