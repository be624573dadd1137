//! The database: the server named by `DATABASE_URL`, or a private PostgreSQL cluster under
//! the data folder (the embedded default); migrated at start-up either way.

pub mod backup;
pub mod embedded;
pub mod keyset;
pub mod reference;
pub mod roles;
pub mod scope;
pub mod snapshot;

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
    /// The pool requests use: the app role, scoped per request (see [`scope`]).
    pub pool: PgPool,
    /// The pool of system work (mail, housekeeping, the close from the command line, the
    /// demo seed): the app role with every partner's rows, and the longer time limit.
    pub system: PgPool,
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
        let fail = |error: String| async {
            if let Some(cluster) = &embedded {
                cluster.stop().await;
            }
            error
        };
        let pools = match settings.url {
            Some(_) => serve_as_app_role(&url, settings).await.map_err(|error| {
                format!(
                    "Could not connect to the database at DATABASE_URL ({}): {error}",
                    redact(&url)
                )
            }),
            None => serve_as_app_role(&url, settings)
                .await
                .map_err(|error| format!("Could not connect to the embedded PostgreSQL: {error}")),
        };
        let (pool, system) = match pools {
            Ok(pools) => pools,
            Err(error) => return Err(fail(error).await),
        };
        Ok(Self {
            pool,
            system,
            url,
            embedded,
            created,
        })
    }

    /// Closes the pool and stops the embedded cluster, if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        self.system.close().await;
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

/// Migrates (when `url` names the owner or a superuser) and opens the two pools of the app
/// role; refuses a request pool whose role could bypass row-level security.
async fn serve_as_app_role(
    url: &str,
    settings: &DatabaseSettings,
) -> Result<(PgPool, PgPool), String> {
    let owner_options: PgConnectOptions = url.parse().map_err(|e: sqlx::Error| e.to_string())?;
    // Migrations run on a connection of their own, without the requests' time limit.
    let mut owner = PgConnection::connect_with(&owner_options)
        .await
        .map_err(|e| e.to_string())?;
    let app_options = if roles::can_bypass_policies(&mut owner)
        .await
        .map_err(|e| e.to_string())?
    {
        MIGRATOR
            .run(&mut owner)
            .await
            .map_err(|e| format!("migration failed: {e}"))?;
        roles::enable_app_role(&mut owner, url, false)
            .await
            .map_err(|e| e.to_string())?;
        roles::as_app_role(&owner_options, url)
    } else {
        tracing::warn!("DATABASE_URL names an unprivileged role: serving through it; migrations are left to the owner");
        owner_options.clone()
    };
    let open = || async {
        let pool = request_pool(
            app_options.clone(),
            settings.max_connections,
            settings.statement_timeout_ms,
        )
        .await?;
        let system = system_pool(app_options.clone(), settings.long_statement_timeout_ms).await?;
        Ok::<_, sqlx::Error>((pool, system))
    };
    let pools = match open().await {
        // A refused password: the owner's credentials changed since the role was enabled.
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("28P01") => {
            roles::enable_app_role(&mut owner, url, true)
                .await
                .map_err(|e| e.to_string())?;
            open().await
        }
        other => other,
    }
    .map_err(|e| e.to_string())?;
    let _ = owner.close().await;
    roles::refuse_privileged(&pools.0).await?;
    Ok(pools)
}

/// The request pool: each connection handed out gets the scope of whoever asked for it.
pub async fn request_pool(
    options: PgConnectOptions,
    max_connections: u32,
    statement_timeout_ms: u32,
) -> Result<PgPool, sqlx::Error> {
    let timeout = format!("{statement_timeout_ms}ms");
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|connection, _| {
            let scope = scope::current();
            Box::pin(async move { scope::apply(connection, scope).await })
        })
        .before_acquire(|connection, _| {
            let scope = scope::current();
            Box::pin(async move { scope::apply(connection, scope).await.map(|()| true) })
        })
        .connect_with(options.options([("statement_timeout", timeout.as_str())]))
        .await
}

/// The system pool: every partner's rows, the longer time limit.
pub async fn system_pool(
    options: PgConnectOptions,
    statement_timeout_ms: u32,
) -> Result<PgPool, sqlx::Error> {
    let timeout = format!("{statement_timeout_ms}ms");
    PgPoolOptions::new()
        .max_connections(3)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options.options([
            ("statement_timeout", timeout.as_str()),
            ("app.scope", "all"),
            ("role", roles::ADMIN_ROLE),
        ]))
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

/// The owner's connection settings for long bulk work (the scale seed, the rebuild): its
/// statements are long by design, so sqlx does not log them as slow.
pub fn owner_options(url: &str) -> Result<PgConnectOptions, String> {
    use sqlx::ConnectOptions;
    url.parse::<PgConnectOptions>()
        .map(|o| o.disable_statement_logging())
        .map_err(|e| format!("DATABASE_URL is not a PostgreSQL URL: {e}"))
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
