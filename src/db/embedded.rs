//! A private PostgreSQL cluster under the project's data folder, started from the server
//! binaries installed on the machine, so that the first run needs no set-up.
//!
//! PostgreSQL refuses to run as root; when the portal runs as root, the cluster's programs
//! run as the `postgres` system user, which owns the cluster folder.

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Stdio,
    sync::atomic::{AtomicBool, Ordering},
};

use tokio::process::Command;

/// The database inside the cluster that the portal uses.
const DATABASE: &str = "portal";
/// The cluster's superuser (password authentication, password kept beside the cluster).
const SUPERUSER: &str = "portal";

pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    cluster_dir: PathBuf,
    port: u16,
    password: String,
    run_as: Option<(u32, u32)>,
    /// Whether this process started the server (and so stops it).
    started_here: bool,
    stopped: AtomicBool,
}

impl EmbeddedPostgres {
    /// Starts (creating on first use) the cluster under `data_dir`. Returns the cluster and
    /// whether it was created now.
    pub async fn start(data_dir: &Path, port: u16) -> Result<(Self, bool), String> {
        let bin_dir = find_server_binaries()?;
        let run_as = unprivileged_user()?;
        let cluster_dir = data_dir.join("postgres");
        let password_file = data_dir.join("postgres.password");
        fs::create_dir_all(data_dir)
            .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        if let Some((uid, gid)) = run_as {
            check_reachable(data_dir, uid, gid)?;
        }

        let created = !cluster_dir.join("PG_VERSION").exists();
        if created {
            init_cluster(&bin_dir, &cluster_dir, &password_file, run_as).await?;
        }
        let password = fs::read_to_string(&password_file)
            .map_err(|e| format!("cannot read {}: {e}", password_file.display()))?
            .trim()
            .to_string();
        let mut cluster = Self {
            bin_dir,
            cluster_dir,
            port,
            password,
            run_as,
            started_here: false,
            stopped: AtomicBool::new(false),
        };
        if cluster.is_running().await {
            tracing::info!(dir = %cluster.cluster_dir.display(), "embedded PostgreSQL already running; reusing it");
        } else {
            cluster.start_server().await?;
            cluster.started_here = true;
        }
        if created {
            cluster.create_database().await?;
        }
        Ok((cluster, created))
    }

    pub fn url(&self) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{DATABASE}",
            self.password, self.port
        )
    }

    /// Stops the server if this process started it (fast shutdown: sessions end, data stays).
    pub async fn stop(&self) {
        if !self.started_here || self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        let result = self
            .pg_ctl(&[
                "stop",
                "-D",
                &self.cluster_dir.to_string_lossy(),
                "-m",
                "fast",
                "-w",
            ])
            .await;
        match result {
            Ok(_) => tracing::info!("embedded PostgreSQL stopped"),
            Err(e) => tracing::error!("embedded PostgreSQL did not stop cleanly: {e}"),
        }
    }

    fn stop_args(&self) -> [String; 6] {
        [
            "stop",
            "-D",
            &self.cluster_dir.to_string_lossy(),
            "-m",
            "fast",
            "-w",
        ]
        .map(String::from)
    }

    async fn is_running(&self) -> bool {
        self.pg_ctl(&["status", "-D", &self.cluster_dir.to_string_lossy()])
            .await
            .is_ok()
    }

    async fn start_server(&self) -> Result<(), String> {
        let log = self.cluster_dir.join("server.log");
        // Only TCP on loopback; no Unix socket, so no shared socket folder is needed.
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -c unix_socket_directories=''",
            self.port
        );
        self.pg_ctl(&[
            "start",
            "-D",
            &self.cluster_dir.to_string_lossy(),
            "-l",
            &log.to_string_lossy(),
            "-o",
            &options,
            "-w",
            "-t",
            "60",
        ])
        .await
        .map_err(|e| {
            let tail = fs::read_to_string(&log)
                .map(|text| {
                    text.lines()
                        .rev()
                        .take(5)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default();
            format!("pg_ctl start failed on port {}: {e} {tail}", self.port)
        })
    }

    async fn create_database(&self) -> Result<(), String> {
        let admin_url = format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/postgres",
            self.password, self.port
        );
        let pool = super::connect(&admin_url, 1, 60_000)
            .await
            .map_err(|e| e.to_string())?;
        sqlx::query(&format!("create database {DATABASE}"))
            .execute(&pool)
            .await
            .map_err(|e| format!("cannot create the {DATABASE} database: {e}"))?;
        pool.close().await;
        Ok(())
    }

    async fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        run(&self.bin_dir.join("pg_ctl"), args, self.run_as).await
    }
}

/// A cluster this process started is never left running, even when `stop` was not reached
/// (a panic, an early return): dropping it stops the server, blocking briefly.
impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if !self.started_here || self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut command = std::process::Command::new(self.bin_dir.join("pg_ctl"));
        command
            .args(self.stop_args())
            .current_dir("/")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::process::CommandExt::uid(&mut command, uid);
            std::os::unix::process::CommandExt::gid(&mut command, gid);
        }
        let _ = command.status();
    }
}

/// `initdb` with password authentication and a random superuser password.
async fn init_cluster(
    bin_dir: &Path,
    cluster_dir: &Path,
    password_file: &Path,
    run_as: Option<(u32, u32)>,
) -> Result<(), String> {
    let password = random_password();
    fs::create_dir_all(cluster_dir)
        .map_err(|e| format!("cannot create {}: {e}", cluster_dir.display()))?;
    fs::set_permissions(cluster_dir, fs::Permissions::from_mode(0o700))
        .map_err(|e| e.to_string())?;
    // initdb reads the password from a file, readable only by the cluster's owner and
    // removed as soon as initdb is done.
    let pwfile = cluster_dir.with_extension("pwfile");
    fs::write(&pwfile, &password).map_err(|e| e.to_string())?;
    fs::set_permissions(&pwfile, fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())?;
    if let Some((uid, gid)) = run_as {
        chown(cluster_dir, uid, gid)?;
        chown(&pwfile, uid, gid)?;
    }
    let result = run(
        &bin_dir.join("initdb"),
        &[
            "-D",
            &cluster_dir.to_string_lossy(),
            "-U",
            SUPERUSER,
            "--auth=scram-sha-256",
            &format!("--pwfile={}", pwfile.display()),
            "-E",
            "UTF8",
            "--locale=C",
        ],
        run_as,
    )
    .await;
    let _ = fs::remove_file(&pwfile);
    if let Err(e) = result {
        // Leave nothing half-made behind: the next start tries again from scratch.
        let _ = fs::remove_dir_all(cluster_dir);
        return Err(format!("initdb failed: {e}"));
    }
    fs::write(password_file, &password).map_err(|e| e.to_string())?;
    fs::set_permissions(password_file, fs::Permissions::from_mode(0o600))
        .map_err(|e| e.to_string())?;
    tracing::info!(dir = %cluster_dir.display(), "created the embedded PostgreSQL cluster");
    Ok(())
}

async fn run(program: &Path, args: &[&str], run_as: Option<(u32, u32)>) -> Result<(), String> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Children must not inherit a working folder the postgres user cannot enter.
    command.current_dir("/");
    if let Some((uid, gid)) = run_as {
        command.uid(uid).gid(gid);
    }
    let output = command
        .output()
        .await
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        Err(format!(
            "{} exited with {}: {} {}",
            program.display(),
            output.status,
            stderr.trim(),
            stdout.trim()
        ))
    }
}

/// The folder holding `initdb` and `pg_ctl`: on PATH, else the newest under
/// /usr/lib/postgresql/*/bin (Debian's layout).
pub fn find_server_binaries() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    candidates.sort();
    candidates.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "initdb and pg_ctl were found neither on PATH nor under /usr/lib/postgresql/*/bin \
             (install the PostgreSQL server, e.g. `apt-get install postgresql`)"
            .to_string()
    })
}

/// When running as root, the uid/gid of the `postgres` system user to run the cluster as.
fn unprivileged_user() -> Result<Option<(u32, u32)>, String> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    match nix::unistd::User::from_name("postgres") {
        Ok(Some(user)) => Ok(Some((user.uid.as_raw(), user.gid.as_raw()))),
        _ => {
            Err("PostgreSQL cannot run as root and there is no `postgres` user to run it as".into())
        }
    }
}

/// The postgres user must be able to walk down to the data folder; a clone under /root,
/// for example, is closed to it. Say so plainly instead of letting initdb fail obscurely.
fn check_reachable(dir: &Path, uid: u32, gid: u32) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    for ancestor in dir.ancestors().skip(1) {
        let Ok(meta) = fs::metadata(ancestor) else {
            continue;
        };
        let mode = meta.mode();
        let can_enter = if meta.uid() == uid {
            mode & 0o100 != 0
        } else if meta.gid() == gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        if !can_enter {
            return Err(format!(
                "the postgres user cannot enter {} (needed to reach {}); set PORTAL_DATA_DIR to a \
                 folder it can reach, e.g. /var/tmp/partner-portal",
                ancestor.display(),
                dir.display()
            ));
        }
    }
    Ok(())
}

fn chown(path: &Path, uid: u32, gid: u32) -> Result<(), String> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
        .map_err(|e| format!("cannot hand {} to the postgres user: {e}", path.display()))
}

fn random_password() -> String {
    use rand::{distributions::Alphanumeric, Rng};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}
