//! `partner-cli`: the partner API from a terminal or a script. `partner-cli auth <key>` keeps
//! the key (and the portal's address) in the user's config folder, readable by the user only;
//! every other command uses it. Tables by default, `--json` for scripts.
//!
//! Exit codes: 0 done; 1 the API refused the request (not found, invalid input, conflict,
//! rate limit); 2 bad usage; 3 no key, or the key was refused (401/403); 4 the portal could
//! not be reached or failed.

mod api;
mod config;
mod output;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};

use api::{Api, Failure};
use output::{print_table, Column};

#[derive(Parser)]
#[command(
    name = "partner-cli",
    version,
    about = "The Partner Portal API from the command line"
)]
struct Cli {
    /// The portal's address (default: the one saved by `auth`, else http://127.0.0.1:3000).
    #[arg(long, global = true, env = "PARTNER_PORTAL_URL")]
    url: Option<String>,
    /// Print the API's JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an API key and save it for the other commands.
    Auth {
        /// The key, `ppk_...` (from Partner > API keys).
        key: String,
    },
    /// List, create, show, suspend and resume clients.
    #[command(subcommand)]
    Clients(ClientCommand),
    /// MRR, ARR, commission, growth and tier progress.
    Metrics,
    /// Issue and revoke licenses.
    #[command(subcommand)]
    Licenses(LicenseCommand),
}

#[derive(Subcommand)]
enum ClientCommand {
    /// List clients (a page of 25, or every one with --all).
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        plan: Option<String>,
        /// Words in the company, contact name or e-mail.
        #[arg(long)]
        search: Option<String>,
        /// Follow every page.
        #[arg(long)]
        all: bool,
    },
    /// Create a client.
    Create(NewClient),
    /// Show one client.
    Show { id: String },
    /// Suspend a client.
    Suspend { id: String },
    /// Make a suspended client active again.
    Resume { id: String },
}

#[derive(Args)]
struct NewClient {
    #[arg(long)]
    company: String,
    #[arg(long)]
    contact: String,
    #[arg(long)]
    email: String,
    /// A plan code, e.g. starter.
    #[arg(long)]
    plan: String,
    #[arg(long)]
    phone: Option<String>,
    /// A monthly price instead of the plan's, e.g. 45.00.
    #[arg(long)]
    price: Option<String>,
    #[arg(long)]
    region: Option<String>,
    /// Retries with the same key create the client once.
    #[arg(long)]
    idempotency_key: Option<String>,
}

#[derive(Subcommand)]
enum LicenseCommand {
    /// Issue a license to a client.
    Issue {
        client_id: String,
        /// trial, subscription or perpetual.
        #[arg(long = "type")]
        kind: String,
        /// Days it lasts (not for perpetual).
        #[arg(long)]
        days: Option<i64>,
        /// A feature to turn on; repeat for more.
        #[arg(long = "feature")]
        features: Vec<String>,
        #[arg(long)]
        max_users: i64,
    },
    /// Revoke a license.
    Revoke { license_id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let saved = config::load()?;
    let url = cli
        .url
        .clone()
        .or_else(|| saved.as_ref().map(|c| c.url.clone()))
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    if let Command::Auth { key } = &cli.command {
        let api = Api::new(&url, key.trim());
        let info = api.get("/v1/key")?;
        let path = config::save(&config::Config {
            url: url.clone(),
            key: key.trim().to_string(),
        })?;
        return show(cli.json, &info, || {
            println!(
                "Key \"{}\" works with {url} (scopes: {}). Saved to {}.",
                text(&info["name"]),
                list_text(&info["scopes"]),
                path.display()
            )
        });
    }
    let key = saved
        .map(|c| c.key)
        .or_else(|| std::env::var("PARTNER_API_KEY").ok())
        .ok_or(Failure::NoKey)?;
    let api = Api::new(&url, &key);
    match cli.command {
        Command::Auth { .. } => unreachable!("handled above"),
        Command::Clients(command) => clients(&api, cli.json, command),
        Command::Metrics => {
            let m = api.get("/v1/metrics")?;
            show(cli.json, &m, || {
                let rows = [
                    ("MRR", text(&m["mrr"])),
                    ("ARR", text(&m["arr"])),
                    ("Growth", format!("{}%", text(&m["growth_percent"]))),
                    (
                        "Commission this month",
                        text(&m["commission_accrued_this_month"]),
                    ),
                    ("Commission this year", text(&m["commission_year_to_date"])),
                    ("Active clients", text(&m["active_clients"])),
                    ("Tier", text(&m["tier"]["name"])),
                    (
                        "Next tier",
                        match &m["next_tier"] {
                            Value::Null => "-".into(),
                            next => format!(
                                "{} at {} active clients ({} to go)",
                                text(&next["name"]),
                                text(&next["min_active_clients"]),
                                text(&next["clients_needed"])
                            ),
                        },
                    ),
                ];
                for (label, value) in rows {
                    println!("{label:<22} {value}");
                }
            })
        }
        Command::Licenses(command) => licenses(&api, cli.json, command),
    }
}

const CLIENT_COLUMNS: [Column; 5] = [
    Column("ID", "id"),
    Column("COMPANY", "company_name"),
    Column("PLAN", "plan_name"),
    Column("PRICE", "price"),
    Column("STATUS", "status"),
];

fn clients(api: &Api, json: bool, command: ClientCommand) -> Result<(), Failure> {
    match command {
        ClientCommand::List {
            status,
            plan,
            search,
            all,
        } => {
            let query: Vec<(&str, String)> = [("status", status), ("plan", plan), ("q", search)]
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect();
            let rows = api.list("/v1/clients", &query, all)?;
            show(json, &Value::Array(rows.clone()), || {
                if rows.is_empty() {
                    println!("No clients match.");
                } else {
                    print_table(&CLIENT_COLUMNS, &rows);
                }
            })
        }
        ClientCommand::Create(new) => {
            let body = json!({
                "company_name": new.company,
                "contact_name": new.contact,
                "contact_email": new.email,
                "contact_phone": new.phone,
                "plan": new.plan,
                "custom_price": new.price,
                "region": new.region,
            });
            let client = api.post("/v1/clients", &body, new.idempotency_key.as_deref())?;
            show_client(json, &client)
        }
        ClientCommand::Show { id } => show_client(json, &api.get(&client_path(&id)?)?),
        ClientCommand::Suspend { id } => {
            let path = format!("{}/suspend", client_path(&id)?);
            show_client(json, &api.post(&path, &json!({}), None)?)
        }
        ClientCommand::Resume { id } => {
            let path = format!("{}/resume", client_path(&id)?);
            show_client(json, &api.post(&path, &json!({}), None)?)
        }
    }
}

fn licenses(api: &Api, json: bool, command: LicenseCommand) -> Result<(), Failure> {
    let license = match command {
        LicenseCommand::Issue {
            client_id,
            kind,
            days,
            features,
            max_users,
        } => {
            let body = json!({
                "type": kind,
                "duration_days": days,
                "features": features,
                "max_users": max_users,
            });
            api.post(
                &format!("{}/licenses", client_path(&client_id)?),
                &body,
                None,
            )?
        }
        LicenseCommand::Revoke { license_id } => {
            let id = checked_id(&license_id, "license")?;
            api.post(&format!("/v1/licenses/{id}/revoke"), &json!({}), None)?
        }
    };
    show(json, &license, || {
        for (label, field) in [
            ("License", "id"),
            ("Client", "client_id"),
            ("Type", "type"),
            ("Status", "status"),
            ("Max users", "max_users"),
            ("Expires", "expires_at"),
        ] {
            println!("{label:<10} {}", text(&license[field]));
        }
        println!("Features   {}", list_text(&license["features"]));
        println!("Key        {}", text(&license["license_key"]));
    })
}

fn show_client(json: bool, client: &Value) -> Result<(), Failure> {
    show(json, client, || {
        for (label, field) in [
            ("ID", "id"),
            ("Company", "company_name"),
            ("Contact", "contact_name"),
            ("E-mail", "contact_email"),
            ("Plan", "plan_name"),
            ("List price", "list_price"),
            ("Custom price", "custom_price"),
            ("Status", "status"),
            ("Region", "region"),
            ("Created", "created_at"),
        ] {
            println!("{label:<13} {}", text(&client[field]));
        }
    })
}

/// `--json` prints the API's JSON; otherwise `human` prints for people.
fn show(json: bool, value: &Value, human: impl FnOnce()) -> Result<(), Failure> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_default()
        );
    } else {
        human();
    }
    Ok(())
}

fn checked_id(id: &str, what: &'static str) -> Result<String, Failure> {
    let id = id.trim();
    let ok = id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if ok {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(Failure::Usage(format!(
            "\"{id}\" is not a {what} id (a UUID, as `clients list` shows)."
        )))
    }
}

fn client_path(id: &str) -> Result<String, Failure> {
    Ok(format!("/v1/clients/{}", checked_id(id, "client")?))
}

/// A JSON value as a table cell: strings bare, null as "-".
pub fn text(value: &Value) -> String {
    match value {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list_text(value: &Value) -> String {
    match value.as_array() {
        Some(items) if !items.is_empty() => items.iter().map(text).collect::<Vec<_>>().join(", "),
        _ => "-".into(),
    }
}
