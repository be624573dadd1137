//! A CSV download streamed as it is written: rows go out in chunks through a small bounded
//! channel, so an export of a million rows never sits in memory, and a client that goes
//! away stops the writing.

use std::{error::Error, future::Future};

use axum::{
    body::Body,
    http::header,
    response::{IntoResponse, Response},
};
use tokio_stream::wrappers::ReceiverStream;

/// Where the chunks of a download go.
pub type Chunks = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// What writing a download may fail with.
pub type Failure = Box<dyn Error + Send + Sync>;

/// Rows per chunk sent to the client.
const ROWS_PER_CHUNK: usize = 500;

/// Writes rows into a download's chunks.
pub struct CsvChunks<'a> {
    sender: &'a Chunks,
    writer: csv::Writer<Vec<u8>>,
    rows: usize,
}

fn chunk_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new())
}

impl<'a> CsvChunks<'a> {
    /// Starts the file with its header row.
    pub fn new(sender: &'a Chunks, header: &[&str]) -> Result<Self, Failure> {
        let mut writer = chunk_writer();
        writer.write_record(header)?;
        Ok(CsvChunks {
            sender,
            writer,
            rows: 0,
        })
    }

    /// Writes a row; `false` when the client went away (stop writing).
    pub async fn row<I, T>(&mut self, record: I) -> Result<bool, Failure>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(record)?;
        self.rows += 1;
        if self.rows == ROWS_PER_CHUNK {
            self.rows = 0;
            let chunk = std::mem::replace(&mut self.writer, chunk_writer()).into_inner()?;
            return Ok(self.sender.send(Ok(chunk)).await.is_ok());
        }
        Ok(true)
    }

    /// Sends what is left.
    pub async fn finish(self) -> Result<(), Failure> {
        let _ = self.sender.send(Ok(self.writer.into_inner()?)).await;
        Ok(())
    }
}

/// The response of a download named `filename`, whose rows `write` sends into the channel it
/// is given, in a task of its own. A failure is logged as `what` and ends the body with an
/// error, so the browser does not keep a truncated file as if it were whole.
pub fn download<W, F>(filename: String, what: &'static str, write: W) -> Response
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
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response()
}
