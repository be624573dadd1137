//! The `partner-portal` command line: which command was asked for, and the commands that run
//! once and exit (everything but serving and the demo seed, which `main` runs).

use std::{path::PathBuf, process::ExitCode};

use crate::{config::Settings, db::Database, program::Month};

pub const USAGE: &str = "usage: partner-portal [COMMAND]

  serve                        serve the portal (the default)
  seed-demo                    seed the demo data and exit
  seed-scale [--partners N] [--clients N]
                               generate a large realistic program (benchmarks, evaluation)
  close-month [YYYY-MM] [--batch-clients N]
                               run the monthly close (last month by default), about N
                               clients per transaction (20000); run again after a stop,
                               it carries on where it stopped
  rebuild-read-models          recompute the dashboards' figures from the events
  audit verify                 check the audit log's hash chains; fails on a broken link
  backup [FILE]                dump the database
  restore FILE --yes           replace the database with a dump

Settings: Leptos.toml, overridden by environment variables (see README.md).";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    SeedDemo,
    SeedScale { partners: u32, clients: u32 },
    CloseMonth { month: Month, batch_clients: u32 },
    RebuildReadModels,
    AuditVerify,
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
                    *target = positive(rest.next(), "seed-scale", flag)?;
                }
                if partners > clients {
                    return Err("seed-scale: there must be at least one client per partner".into());
                }
                Command::SeedScale { partners, clients }
            }
            Some("close-month") => {
                let mut month = Month::containing(now).previous();
                let mut batch_clients = crate::commissions::close::BATCH_CLIENTS as u32;
                let mut rest = args[1..].iter();
                while let Some(arg) = rest.next() {
                    if arg == "--batch-clients" {
                        batch_clients = positive(rest.next(), "close-month", arg)?;
                    } else {
                        month = Month::parse(arg)
                            .ok_or("close-month takes a month written like 2026-10")?;
                    }
                }
                Command::CloseMonth {
                    month,
                    batch_clients,
                }
            }
            Some("rebuild-read-models") => Command::RebuildReadModels,
            Some("audit") => match arg(1) {
                Some("verify") => Command::AuditVerify,
                _ => return Err("audit takes a subcommand: `partner-portal audit verify`".into()),
            },
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

/// The positive number after `flag` (written with or without `_` between digits).
fn positive(value: Option<&String>, command: &str, flag: &str) -> Result<u32, String> {
    value
        .and_then(|n| n.replace('_', "").parse().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| format!("{command}: {flag} takes a positive number"))
}

/// Draws a progress bar on standard error, over itself.
pub fn progress_bar(done: u64, total: u64, label: &str, started: std::time::Instant) {
    use std::io::Write;
    let width = 30;
    let filled = (done.min(total) * width)
        .checked_div(total)
        .unwrap_or(width) as usize;
    eprint!(
        "\r[{}{}] {done}/{total} {label:<28} {:>4.0} s",
        "#".repeat(filled),
        " ".repeat(width as usize - filled),
        started.elapsed().as_secs_f64()
    );
    let _ = std::io::stderr().flush();
}

/// The process's peak resident memory (Linux), for commands that report it.
pub fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
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
        Command::CloseMonth {
            month,
            batch_clients,
        } => close_month(settings, database, *month, *batch_clients).await,
        Command::RebuildReadModels => rebuild_read_models(database).await,
        Command::AuditVerify => audit_verify(database).await,
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
    batch_clients: u32,
) -> Result<String, String> {
    use crate::commissions::close::{self, CloseRequest, TierMail};
    let started = std::time::Instant::now();
    let request = CloseRequest {
        month,
        actor: None,
        now: chrono::Utc::now(),
        mail: TierMail::Send,
    };
    let timeout = settings.database.long_statement_timeout_ms;
    let outcome = close::run(
        &database.system,
        request,
        batch_clients.into(),
        timeout,
        |p| {
            let label = format!("partners, {} clients", p.clients_done);
            progress_bar(
                p.partners_done as u64,
                p.partners_total as u64,
                &label,
                started,
            );
        },
    )
    .await;
    eprintln!();
    let memory = peak_memory_mb()
        .map(|mb| format!(", peak memory {mb} MB"))
        .unwrap_or_default();
    outcome
        .map(|o| {
            format!(
                "{} ({:.1} s{memory})",
                o.message(),
                started.elapsed().as_secs_f64()
            )
        })
        .map_err(|error| {
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
/// Checks every chain of the audit log; an error (and a failing exit) names each chain's
/// first broken link.
async fn audit_verify(database: &Database) -> Result<String, String> {
    let started = std::time::Instant::now();
    let unreadable = |e: sqlx::Error| format!("the audit log could not be read: {e}");
    let mut conn = database.system.acquire().await.map_err(unreadable)?;
    let report = crate::audit::verify::verify(&mut conn)
        .await
        .map_err(unreadable)?;
    let read = format!(
        "{} rows in {} chains, checked in {:.1} s",
        report.rows,
        report.chains,
        started.elapsed().as_secs_f64()
    );
    if report.broken.is_empty() {
        return Ok(format!("audit log intact: {read}"));
    }
    let lines: Vec<String> = report.broken.iter().map(|b| format!("  {b}")).collect();
    Err(format!(
        "audit log BROKEN in {} chains ({read}):\n{}",
        report.broken.len(),
        lines.join("\n")
    ))
}

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
            Ok(Command::CloseMonth {
                month: Month::new(2026, 10).unwrap(),
                batch_clients: 20_000
            })
        );
        assert_eq!(
            parse(&["close-month", "--batch-clients", "500", "2026-09"]),
            Ok(Command::CloseMonth {
                month: Month::new(2026, 9).unwrap(),
                batch_clients: 500
            })
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
        assert_eq!(parse(&["audit", "verify"]), Ok(Command::AuditVerify));
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
        assert!(parse(&["close-month", "--batch-clients", "none"])
            .unwrap_err()
            .contains("positive"));
        assert!(parse(&["seed-scale", "--clients", "0"])
            .unwrap_err()
            .contains("positive"));
        assert!(parse(&["seed-scale", "--partners", "9", "--clients", "3"]).is_err());
        assert!(parse(&["seed-scale", "--color"])
            .unwrap_err()
            .contains("--color"));
        assert!(parse(&["frobnicate"]).unwrap_err().contains("frobnicate"));
        assert!(parse(&["audit"]).unwrap_err().contains("audit verify"));
    }
}
