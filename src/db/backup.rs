//! `partner-portal backup` and `restore`: a whole-database dump in PostgreSQL's custom format
//! (pg_dump / pg_restore), for the embedded database and for a server named by
//! `DATABASE_URL` alike. The dump holds data and schema; a portal started on a restored
//! database migrates it forward as usual.

use std::path::{Path, PathBuf};

use tokio::process::Command;

/// `name` from the PostgreSQL server binaries' folder when there is one, else from PATH.
fn tool(name: &str) -> PathBuf {
    super::embedded::find_server_binaries()
        .map(|dir| dir.join(name))
        .ok()
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

async fn run(mut command: Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .await
        .map_err(|e| format!("cannot run {what}: {e} (install PostgreSQL's client programs)"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Writes the database at `url` to `file` (created or replaced).
pub async fn backup(url: &str, file: &Path) -> Result<(), String> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut command = Command::new(tool("pg_dump"));
    command
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(file)
        .arg(url);
    run(command, "pg_dump").await
}

/// Replaces the database at `url` with the dump in `file`, in one transaction: it all
/// lands, or nothing changes.
pub async fn restore(url: &str, file: &Path) -> Result<(), String> {
    if !file.is_file() {
        return Err(format!("no backup at {}", file.display()));
    }
    let mut command = Command::new(tool("pg_restore"));
    command
        .args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
        ])
        .arg(url)
        .arg(file);
    run(command, "pg_restore").await
}

/// Where `backup` writes when no file is named: `data/backups/portal-<UTC time>.dump`.
pub fn default_file(data_dir: &Path) -> PathBuf {
    data_dir.join("backups").join(format!(
        "portal-{}.dump",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ))
}
