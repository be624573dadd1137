//! The database: the server named by `DATABASE_URL`, or a private PostgreSQL cluster under
//! the data folder (the embedded default); migrated at start-up either way.

pub mod backup;
pub mod embedded;

use std::time::Duration;

use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    Connection, PgConnection, PgPool,
};

use crate::config::{absolute, DatabaseSettings};
use embedded::EmbeddedPostgres;

/// Migrations compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A connected, migrated database, and the embedded cluster behind it, if any.
pub struct Database {
    pub pool: PgPool,
    /// Where it is (with credentials): for the backup tools.
    pub url: String,
    pub embedded: Option<EmbeddedPostgres>,
    /// The embedded cluster was created by this start (so it gets the demo data).
    pub created: bool,
}

impl Database {
    /// Connects (starting the embedded cluster when no URL is set) and migrates. The error
    /// is one sentence that says what to do.
    pub async fn open(settings: &DatabaseSettings) -> Result<Self, String> {
        let (url, embedded, created) = match &settings.url {
            Some(url) => (url.clone(), None, false),
            None => {
                let data_dir = absolute(&settings.data_dir);
                let (cluster, created) = EmbeddedPostgres::start(&data_dir, settings.embedded_port)
                    .await
                    .map_err(|e| {
                        format!(
                            "No DATABASE_URL is set and the embedded PostgreSQL could not start: {e}. \
                             Set DATABASE_URL to use a PostgreSQL server instead."
                        )
                    })?;
                (cluster.url(), Some(cluster), created)
            }
        };
        let pool = match connect(
            &url,
            settings.max_connections,
            settings.statement_timeout_ms,
        )
        .await
        {
            Ok(pool) => pool,
            Err(error) => {
                if let Some(cluster) = &embedded {
                    cluster.stop().await;
                }
                return Err(match &settings.url {
                    Some(_) => format!(
                        "Could not connect to the database at DATABASE_URL ({}): {error}",
                        redact(&url)
                    ),
                    None => format!("Could not connect to the embedded PostgreSQL: {error}"),
                });
            }
        };
        // Migrations run on a connection of their own, without the requests' time limit.
        let migrated = match PgConnection::connect(&url).await {
            Ok(mut connection) => MIGRATOR
                .run(&mut connection)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        if let Err(error) = migrated {
            if let Some(cluster) = &embedded {
                cluster.stop().await;
            }
            return Err(format!("Database migration failed: {error}"));
        }
        Ok(Self {
            pool,
            url,
            embedded,
            created,
        })
    }

    /// Closes the pool and stops the embedded cluster, if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.embedded {
            cluster.stop().await;
        }
    }
}

/// A pool whose every statement stops after `statement_timeout_ms`, so that the query of a
/// request nobody waits for any more (or a runaway one) ends instead of running for minutes.
/// Work that needs longer raises it for its own transaction: [`long_statements`].
pub async fn connect(
    url: &str,
    max_connections: u32,
    statement_timeout_ms: u32,
) -> Result<PgPool, sqlx::Error> {
    let options: PgConnectOptions = url.parse()?;
    let timeout = format!("{statement_timeout_ms}ms");
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options.options([("statement_timeout", timeout.as_str())]))
        .await
}

/// Raises the statement time limit for the rest of this transaction (the monthly close,
/// exports).
pub async fn long_statements(tx: &mut PgConnection, timeout_ms: u32) -> sqlx::Result<()> {
    sqlx::query("select set_config('statement_timeout', $1, true)")
        .bind(format!("{timeout_ms}ms"))
        .execute(tx)
        .await?;
    Ok(())
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme_end + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// A timestamp as a query parameter. sqlx's macros map `timestamptz` to the `time` crate
/// (another dependency enables it), so chrono values cross as text: `$1::text::timestamptz`.
pub fn timestamp_param(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A date as a query parameter, for `$1::text::date` (see [`timestamp_param`]).
pub fn date_param(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// `%text%` for LIKE, with the user's own `%`, `_` and `\` taken literally.
pub fn like_pattern(search: &str) -> String {
    let escaped: String = search
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::{like_pattern, redact};

    #[test]
    fn search_text_is_taken_literally() {
        assert_eq!(like_pattern("Acme"), "%acme%");
        assert_eq!(like_pattern("100%_\\"), "%100\\%\\_\\\\%");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://portal:s3cret@127.0.0.1:5432/portal"),
            "postgres://portal@127.0.0.1:5432/portal"
        );
        assert_eq!(
            redact("postgres://postgres@localhost/db"),
            "postgres://postgres@localhost/db"
        );
        assert_eq!(redact("postgres://localhost/db"), "postgres://localhost/db");
    }
}
