//! The `partner-portal` server binary.
//!
//! `partner-portal` serves the portal; `partner-portal seed-demo` seeds the demo data into
//! the configured database (DATABASE_URL, or the embedded one) and exits; the other
//! commands (`--help`, [`partner_portal::cli`]) run once and exit.

/// mimalloc rather than glibc's malloc: see Cargo.toml and README (the soak's memory).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::{process::ExitCode, sync::Arc};

    use partner_portal::{
        cli::Command, config::Settings, db::Database, demo, http, state::AppState,
    };

    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_sessions=warn,sqlx=warn".into()),
        )
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match Command::parse(&args, chrono::Utc::now()) {
        Ok(Command::Help) => {
            println!("{}", partner_portal::cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(command) => command,
        Err(error) => {
            eprintln!("partner-portal: {error}");
            return ExitCode::from(2);
        }
    };
    let seed_only = command == Command::SeedDemo;

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

    if let Some(status) = partner_portal::cli::run_once(&command, &settings, &database).await {
        database.close().await;
        return status;
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
            references: Default::default(),
            snapshots: Default::default(),
        };
        let listener = tokio::spawn(state.references.clone().listen(database.pool.clone()));
        let sweeper = tokio::spawn(sweep_expired_sessions(database.system.clone()));
        let housekeeper = tokio::spawn(partner_portal::auth::housekeeping::run(
            database.system.clone(),
        ));
        let key_notices = tokio::spawn(partner_portal::api_keys::notices::run(
            database.system.clone(),
            settings.site.public_url.clone(),
        ));
        let deal_sweep = tokio::spawn(partner_portal::deals::lifecycle::run(
            database.system.clone(),
        ));
        let certification_reminders = tokio::spawn(partner_portal::certifications::reminders::run(
            database.system.clone(),
        ));
        let lead_sweep = tokio::spawn(partner_portal::leads::assign::run(database.system.clone()));
        let mailer = match start_mail_delivery(&settings, database.system.clone()) {
            Ok(handle) => handle,
            Err(error) => {
                eprintln!("partner-portal: {error}");
                database.close().await;
                return ExitCode::from(2);
            }
        };
        let webhooks = match partner_portal::webhooks::worker::Sender::new(
            partner_portal::webhooks::target::TargetPolicy::of(&settings),
        ) {
            Ok(sender) => tokio::spawn(partner_portal::webhooks::worker::run(
                database.system.clone(),
                sender,
            )),
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
        listener.abort();
        sweeper.abort();
        housekeeper.abort();
        key_notices.abort();
        deal_sweep.abort();
        certification_reminders.abort();
        lead_sweep.abort();
        mailer.abort();
        webhooks.abort();
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
