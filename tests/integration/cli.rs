//! `partner-cli` against the real server: the binary run as a user runs it, over HTTP to the
//! real router on a local port, with its config in a temporary folder.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

use crate::api_keys::make_key;
use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

struct Cli {
    url: String,
    config: PathBuf,
    _home: tempfile::TempDir,
}

impl Cli {
    async fn new(app: &TestApp) -> Cli {
        let addr = app.listen().await;
        let home = tempfile::tempdir().unwrap();
        Cli {
            url: format!("http://{addr}"),
            config: home.path().join("partner-cli").join("config.json"),
            _home: home,
        }
    }

    /// Runs `partner-cli args` (off the async runtime: it blocks on its HTTP calls).
    async fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_partner-cli"));
        command
            .args(args)
            .env(
                "XDG_CONFIG_HOME",
                self.config.parent().unwrap().parent().unwrap(),
            )
            .env_remove("PARTNER_CLI_CONFIG")
            .env_remove("PARTNER_API_KEY")
            .env("PARTNER_PORTAL_URL", &self.url);
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    }

    async fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all).await;
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("not JSON: {}", text(&out.stdout)))
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[sqlx::test]
async fn a_partner_runs_the_quick_start_with_the_cli(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, key) = make_key(
        &mut owner,
        "CLI",
        &[
            "clients:read",
            "clients:write",
            "metrics:read",
            "licenses:write",
        ],
    )
    .await;
    let cli = Cli::new(&app).await;

    // Before auth: a clear message and the "no credential" exit code.
    let none = cli.run(&["clients", "list"]).await;
    assert_eq!(none.status.code(), Some(3));
    assert!(
        text(&none.stderr).contains("partner-cli auth"),
        "{}",
        text(&none.stderr)
    );

    // auth checks the key, then keeps it readable by the user only.
    let bad = cli.run(&["auth", "ppk_not-a-real-key"]).await;
    assert_eq!(bad.status.code(), Some(3), "{}", text(&bad.stderr));
    assert!(!cli.config.exists(), "a refused key is not saved");
    let auth = cli.run(&["auth", &key]).await;
    assert!(auth.status.success(), "{}", text(&auth.stderr));
    assert!(text(&auth.stdout).contains("clients:write"));
    assert_eq!(mode(&cli.config), 0o600);
    assert_eq!(mode(cli.config.parent().unwrap()), 0o700);
    assert!(std::fs::read_to_string(&cli.config).unwrap().contains(&key));

    // Create, list (table and JSON), show, suspend, resume.
    let created = cli
        .json(&[
            "clients",
            "create",
            "--company",
            "Quickstart Labs",
            "--contact",
            "Ada Byron",
            "--email",
            "ada@quickstart.test",
            "--plan",
            "starter",
        ])
        .await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["status"], "active");
    let table = cli
        .run(&["clients", "list", "--search", "Quickstart"])
        .await;
    let table = text(&table.stdout);
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("ID"), "{table}");
    assert!(lines.next().unwrap().contains("Quickstart Labs"), "{table}");
    let all = cli.json(&["clients", "list", "--all"]).await;
    let total: i64 = sqlx::query_scalar(
        "select count(*) from clients c join partners p on p.id = c.partner_id where p.slug = 'northwind'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        all.as_array().unwrap().len() as i64,
        total,
        "--all follows every page"
    );
    assert_eq!(
        cli.json(&["clients", "show", &id]).await["company_name"],
        "Quickstart Labs"
    );
    assert_eq!(
        cli.json(&["clients", "suspend", &id]).await["status"],
        "suspended"
    );
    assert_eq!(
        cli.json(&["clients", "resume", &id]).await["status"],
        "active"
    );

    // Metrics and a license, issued and revoked.
    let metrics = cli.json(&["metrics"]).await;
    assert_eq!(metrics["tier"]["name"], "gold");
    let human = cli.run(&["metrics"]).await;
    assert!(text(&human.stdout).contains("MRR"));
    let license = cli
        .json(&[
            "licenses",
            "issue",
            &id,
            "--type",
            "trial",
            "--days",
            "14",
            "--feature",
            "sso",
            "--max-users",
            "5",
        ])
        .await;
    assert!(license["license_key"]
        .as_str()
        .unwrap()
        .starts_with("PPL1."));
    let license_id = license["id"].as_str().unwrap().to_string();
    assert_eq!(
        cli.json(&["licenses", "revoke", &license_id]).await["status"],
        "revoked"
    );

    // Errors: invalid input names the field (exit 1), a missing client is 1, a bad id is usage.
    let invalid = cli
        .run(&[
            "clients",
            "create",
            "--company",
            "X",
            "--contact",
            "Y",
            "--email",
            "not-an-email",
            "--plan",
            "starter",
        ])
        .await;
    assert_eq!(invalid.status.code(), Some(1));
    assert!(
        text(&invalid.stderr).contains("contact_email"),
        "{}",
        text(&invalid.stderr)
    );
    let missing = cli
        .run(&["clients", "show", "00000000-0000-0000-0000-000000000000"])
        .await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("Not found"));
    let usage = cli.run(&["clients", "show", "fabrikam"]).await;
    assert_eq!(usage.status.code(), Some(2));
    let wrong_flag = cli.run(&["clients", "list", "--colour"]).await;
    assert_eq!(wrong_flag.status.code(), Some(2));
}

#[sqlx::test]
async fn the_cli_says_when_its_key_may_not_do_something_or_the_portal_is_away(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let mut owner = Browser::signed_in(&app, NW_OWNER).await;
    let (_, reader) = make_key(&mut owner, "Reader", &["clients:read"]).await;
    let cli = Cli::new(&app).await;
    assert!(cli.run(&["auth", &reader]).await.status.success());
    let refused = cli.run(&["metrics"]).await;
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        text(&refused.stderr).contains("metrics:read"),
        "{}",
        text(&refused.stderr)
    );

    let away = cli
        .run(&["--url", "http://127.0.0.1:9", "clients", "list"])
        .await;
    assert_eq!(away.status.code(), Some(4));
    assert!(
        text(&away.stderr).contains("could not reach"),
        "{}",
        text(&away.stderr)
    );
}
