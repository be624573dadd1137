//! The `partner-portal` server binary.
//!
//! `partner-portal` serves the portal; `partner-portal seed-demo` seeds the demo data into
//! the configured database (DATABASE_URL, or the embedded one) and exits;
//! `partner-portal close-month [YYYY-MM]` runs the monthly close (last month by default),
//! for automation such as a cron job on the 1st; `partner-portal backup [FILE]` and
//! `partner-portal restore FILE --yes` dump and restore the database (see README.md).

/// mimalloc rather than glibc's malloc: see Cargo.toml and README (the soak's memory).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::{process::ExitCode, sync::Arc};

    use partner_portal::{config::Settings, db::Database, demo, http, state::AppState};

    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_sessions=warn,sqlx=warn".into()),
        )
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut close_month = None;
    let mut backup: Option<Option<std::path::PathBuf>> = None;
    let mut restore: Option<std::path::PathBuf> = None;
    let seed_only = match args.first().map(String::as_str) {
        None | Some("serve") => false,
        Some("seed-demo") => true,
        Some("close-month") => {
            use partner_portal::program::Month;
            let month = match args.get(1) {
                Some(text) => Month::parse(text),
                None => Some(Month::containing(chrono::Utc::now()).previous()),
            };
            match month {
                Some(month) => close_month = Some(month),
                None => {
                    eprintln!("partner-portal: close-month takes a month written like 2026-10");
                    return ExitCode::from(2);
                }
            }
            false
        }
        Some("backup") => {
            backup = Some(args.get(1).map(Into::into));
            false
        }
        Some("restore") => match (args.get(1), args.get(2).map(String::as_str)) {
            (Some(file), Some("--yes")) => {
                restore = Some(file.into());
                false
            }
            _ => {
                eprintln!("partner-portal: restore replaces everything in the database with the backup; run it as `partner-portal restore FILE --yes`");
                return ExitCode::from(2);
            }
        },
        Some("-h" | "--help" | "help") => {
            println!("usage: partner-portal [serve | seed-demo | close-month [YYYY-MM] | backup [FILE] | restore FILE --yes]\n\nSettings: Leptos.toml, overridden by environment variables (see README.md).");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("partner-portal: unknown command {other:?} (expected serve, seed-demo, close-month, backup or restore)");
            return ExitCode::from(2);
        }
    };

    let settings = match Settings::load() {
        Ok(settings) => Arc::new(settings),
        Err(error) => {
            eprintln!("partner-portal: {error}");
            return ExitCode::from(2);
        }
    };
    let database = match Database::open(&settings.database).await {
        Ok(database) => database,
        Err(error) => {
            eprintln!("partner-portal: {error}");
            return ExitCode::FAILURE;
        }
    };

    if backup.is_some() || restore.is_some() {
        use partner_portal::{config::absolute, db::backup as dump};
        let outcome = match (backup, restore) {
            (Some(file), _) => {
                let file = file
                    .unwrap_or_else(|| dump::default_file(&absolute(&settings.database.data_dir)));
                dump::backup(&database.url, &file)
                    .await
                    .map(|()| format!("backup written to {}", file.display()))
            }
            (None, Some(file)) => dump::restore(&database.url, &file)
                .await
                .map(|()| format!("restored from {}", file.display())),
            (None, None) => unreachable!("one of the two was asked for"),
        };
        database.close().await;
        return match outcome {
            Ok(message) => {
                println!("{message}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("partner-portal: {error}");
                ExitCode::FAILURE
            }
        };
    }

    if let Some(month) = close_month {
        let outcome = async {
            let mut tx = database.system.begin().await?;
            partner_portal::db::long_statements(
                &mut tx,
                settings.database.long_statement_timeout_ms,
            )
            .await?;
            let outcome = partner_portal::commissions::close::close_month(
                &mut tx,
                month,
                None,
                chrono::Utc::now(),
            )
            .await?;
            tx.commit().await?;
            Ok::<_, partner_portal::error::AppError>(outcome)
        }
        .await;
        database.close().await;
        return match outcome {
            Ok(outcome) => {
                println!("{}", outcome.message());
                ExitCode::SUCCESS
            }
            Err(error) => {
                let reason = match error.fields() {
                    Some(fields) => fields
                        .fields
                        .iter()
                        .map(|f| f.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => error.to_string(),
                };
                eprintln!("partner-portal: cannot close {month}: {reason}");
                ExitCode::FAILURE
            }
        };
    }

    // The embedded database gets the demo data on its first start; `seed-demo` asks for it.
    // Never in production: demo accounts have a published password.
    let mut status = ExitCode::SUCCESS;
    let production = settings.site.env == partner_portal::config::RunEnv::Prod;
    if seed_only && production {
        eprintln!("partner-portal: demo data is never seeded in production (LEPTOS_ENV=prod)");
        database.close().await;
        return ExitCode::from(2);
    }
    if (seed_only || database.created) && !production {
        match demo::seed_demo(&database.system).await {
            Ok(true) => tracing::info!("demo data seeded (password: {})", demo::DEMO_PASSWORD),
            Ok(false) => tracing::info!("demo data already present"),
            Err(error) => {
                eprintln!("partner-portal: {error}");
                status = ExitCode::FAILURE;
            }
        }
    }
    if !seed_only && status == ExitCode::SUCCESS {
        partner_portal::auth::password::warm_up();
        let state = AppState {
            pool: database.pool.clone(),
            settings: Arc::clone(&settings),
            leptos_options: http::leptos_options(&settings),
            metrics: Default::default(),
        };
        let sweeper = tokio::spawn(sweep_expired_sessions(database.system.clone()));
        let housekeeper = tokio::spawn(partner_portal::auth::housekeeping::run(
            database.system.clone(),
        ));
        let mailer = match start_mail_delivery(&settings, database.system.clone()) {
            Ok(handle) => handle,
            Err(error) => {
                eprintln!("partner-portal: {error}");
                database.close().await;
                return ExitCode::from(2);
            }
        };
        println!("Partner Portal is running at {}", settings.site.public_url);
        if let Err(error) = http::serve(http::router(state), settings.site.addr).await {
            eprintln!(
                "partner-portal: cannot serve on {}: {error}",
                settings.site.addr
            );
            status = ExitCode::FAILURE;
        }
        sweeper.abort();
        housekeeper.abort();
        mailer.abort();
    }
    database.close().await;
    status
}

/// Starts the background task that delivers the e-mail outbox.
#[cfg(feature = "ssr")]
fn start_mail_delivery(
    settings: &partner_portal::config::Settings,
    pool: sqlx::PgPool,
) -> Result<tokio::task::JoinHandle<()>, String> {
    use partner_portal::{config::absolute, mail};
    let mut mail_settings = settings.mail.clone();
    mail_settings.dir = absolute(&mail_settings.dir);
    let transport = mail::MailTransport::from_settings(&mail_settings)?;
    let from = settings
        .mail
        .from
        .parse()
        .map_err(|e| format!("invalid setting `mail.from`: {e}"))?;
    if mail_settings.smtp_url.is_none() {
        tracing::info!(dir = %mail_settings.dir.display(), "no SMTP server set: e-mail is written to files");
    }
    Ok(tokio::spawn(mail::run_delivery(pool, transport, from)))
}

/// Deletes expired sessions from the store every few minutes.
#[cfg(feature = "ssr")]
async fn sweep_expired_sessions(pool: sqlx::PgPool) {
    use tower_sessions::ExpiredDeletion;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool);
    if let Err(error) = store
        .continuously_delete_expired(tokio::time::Duration::from_secs(300))
        .await
    {
        tracing::error!(%error, "session sweeper stopped");
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser side starts in `lib.rs` (`hydrate`).
}
