//! The `partner-portal` command line: which command was asked for, and the commands that run
//! once and exit (everything but serving and the demo seed, which `main` runs).

use std::{path::PathBuf, process::ExitCode};

use crate::{config::Settings, db::Database, program::Month};

pub const USAGE: &str = "usage: partner-portal [COMMAND]

  serve                        serve the portal (the default)
  seed-demo                    seed the demo data and exit
  seed-scale [--partners N] [--clients N]
                               generate a large realistic program (benchmarks, evaluation)
  close-month [YYYY-MM]        run the monthly close (last month by default)
  rebuild-read-models          recompute the dashboards' figures from the events
  backup [FILE]                dump the database
  restore FILE --yes           replace the database with a dump

Settings: Leptos.toml, overridden by environment variables (see README.md).";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    SeedDemo,
    SeedScale { partners: u32, clients: u32 },
    CloseMonth(Month),
    RebuildReadModels,
    Backup(Option<PathBuf>),
    Restore(PathBuf),
    Help,
}

impl Command {
    /// The command in `args` (without the program's name), or what is wrong with them.
    pub fn parse(args: &[String], now: chrono::DateTime<chrono::Utc>) -> Result<Self, String> {
        let arg = |n: usize| args.get(n).map(String::as_str);
        Ok(match arg(0) {
            None | Some("serve") => Command::Serve,
            Some("seed-demo") => Command::SeedDemo,
            Some("seed-scale") => {
                let (mut partners, mut clients) = (5_000, 1_000_000);
                let mut rest = args[1..].iter();
                while let Some(flag) = rest.next() {
                    let target = match flag.as_str() {
                        "--partners" => &mut partners,
                        "--clients" => &mut clients,
                        other => return Err(format!("seed-scale: unknown option {other:?}")),
                    };
                    *target = rest
                        .next()
                        .and_then(|n| n.replace('_', "").parse().ok())
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| format!("seed-scale: {flag} takes a positive number"))?;
                }
                if partners > clients {
                    return Err("seed-scale: there must be at least one client per partner".into());
                }
                Command::SeedScale { partners, clients }
            }
            Some("close-month") => match arg(1) {
                None => Command::CloseMonth(Month::containing(now).previous()),
                Some(text) => Command::CloseMonth(
                    Month::parse(text)
                        .ok_or("close-month takes a month written like 2026-10")?,
                ),
            },
            Some("rebuild-read-models") => Command::RebuildReadModels,
            Some("backup") => Command::Backup(arg(1).map(Into::into)),
            Some("restore") => match (arg(1), arg(2)) {
                (Some(file), Some("--yes")) => Command::Restore(file.into()),
                _ => return Err("restore replaces everything in the database with the backup; run it as `partner-portal restore FILE --yes`".into()),
            },
            Some("-h" | "--help" | "help") => Command::Help,
            Some(other) => return Err(format!("unknown command {other:?} (see --help)")),
        })
    }
}

/// Runs a command that does its work and exits; `None` for serving and seeding the demo.
pub async fn run_once(
    command: &Command,
    settings: &Settings,
    database: &Database,
) -> Option<ExitCode> {
    let outcome: Result<String, String> = match command {
        Command::Serve | Command::SeedDemo | Command::Help => return None,
        Command::Backup(file) => {
            use crate::{config::absolute, db::backup};
            let file = file
                .clone()
                .unwrap_or_else(|| backup::default_file(&absolute(&settings.database.data_dir)));
            backup::backup(&database.url, &file)
                .await
                .map(|()| format!("backup written to {}", file.display()))
        }
        Command::Restore(file) => crate::db::backup::restore(&database.url, file)
            .await
            .map(|()| format!("restored from {}", file.display())),
        Command::CloseMonth(month) => close_month(settings, database, *month).await,
        Command::RebuildReadModels => rebuild_read_models(database).await,
        Command::SeedScale { partners, clients } => {
            crate::demo::scale::seed(database, *partners, *clients).await
        }
    };
    Some(match outcome {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("partner-portal: {error}");
            ExitCode::FAILURE
        }
    })
}

async fn close_month(
    settings: &Settings,
    database: &Database,
    month: Month,
) -> Result<String, String> {
    let outcome = async {
        let mut tx = database.system.begin().await?;
        crate::db::long_statements(&mut tx, settings.database.long_statement_timeout_ms).await?;
        let outcome =
            crate::commissions::close::close_month(&mut tx, month, None, chrono::Utc::now())
                .await?;
        tx.commit().await?;
        Ok::<_, crate::error::AppError>(outcome)
    }
    .await;
    outcome.map(|o| o.message()).map_err(|error| {
        let reason = match error.fields() {
            Some(fields) => fields
                .fields
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            None => error.to_string(),
        };
        format!("cannot close {month}: {reason}")
    })
}

/// On the owner's connection: the rebuild locks the tables it reads.
async fn rebuild_read_models(database: &Database) -> Result<String, String> {
    use sqlx::Connection;
    let started = std::time::Instant::now();
    let mut conn = sqlx::PgConnection::connect_with(&crate::db::owner_options(&database.url)?)
        .await
        .map_err(|e| format!("cannot connect as the database's owner: {e}"))?;
    crate::partners::read_models::rebuild(&mut conn)
        .await
        .map_err(|e| format!("rebuilding the read models failed: {e}"))?;
    Ok(format!(
        "read models rebuilt from the events in {:.1} s",
        started.elapsed().as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn parse(args: &[&str]) -> Result<Command, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        Command::parse(
            &args,
            chrono::Utc.with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap(),
        )
    }

    #[test]
    fn commands_and_their_arguments() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(
            parse(&["close-month"]),
            Ok(Command::CloseMonth(Month::new(2026, 10).unwrap()))
        );
        assert_eq!(
            parse(&["seed-scale", "--clients", "1_000", "--partners", "10"]),
            Ok(Command::SeedScale {
                partners: 10,
                clients: 1000
            })
        );
        assert_eq!(
            parse(&["seed-scale"]),
            Ok(Command::SeedScale {
                partners: 5000,
                clients: 1_000_000
            })
        );
        assert_eq!(
            parse(&["rebuild-read-models"]),
            Ok(Command::RebuildReadModels)
        );
        assert_eq!(
            parse(&["restore", "x.dump", "--yes"]),
            Ok(Command::Restore("x.dump".into()))
        );
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert!(parse(&["restore", "x.dump"]).unwrap_err().contains("--yes"));
        assert!(parse(&["close-month", "10/2026"])
            .unwrap_err()
            .contains("2026-10"));
        assert!(parse(&["seed-scale", "--clients", "0"])
            .unwrap_err()
            .contains("positive"));
        assert!(parse(&["seed-scale", "--partners", "9", "--clients", "3"]).is_err());
        assert!(parse(&["seed-scale", "--color"])
            .unwrap_err()
            .contains("--color"));
        assert!(parse(&["frobnicate"]).unwrap_err().contains("frobnicate"));
    }
}
