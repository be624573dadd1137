//! Runtime settings: `Leptos.toml`, overridden by environment variables, validated at start-up.
//!
//! Every setting has one dotted name (`site.addr`) and one environment variable; a bad value
//! stops start-up with a message naming both, so an operator knows exactly what to fix.

use std::{
    collections::HashMap,
    fmt::Display,
    net::SocketAddr,
    path::{Path, PathBuf},
    str::FromStr,
};

/// Where the settings file is looked for when `PORTAL_CONFIG` does not name one.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub site: SiteSettings,
    pub database: DatabaseSettings,
    pub session: SessionSettings,
    pub mail: MailSettings,
    pub domains: DomainSettings,
    pub api: ApiSettings,
    pub webhooks: WebhookSettings,
}

/// Outbound webhooks.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookSettings {
    /// Private networks webhooks may be sent to (a receiver inside the company network);
    /// none by default.
    pub allowed_networks: crate::program::proxies::Networks,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiSettings {
    /// Requests an API key may make a minute, in this process.
    pub requests_per_minute: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SiteSettings {
    pub addr: SocketAddr,
    pub root: PathBuf,
    pub env: RunEnv,
    pub public_url: String,
    /// Load balancers whose `X-Forwarded-For` is believed; none by default.
    pub trusted_proxies: crate::program::proxies::TrustedProxies,
    /// Requests served at once before more are answered 503 (load shedding).
    pub max_in_flight: usize,
    /// The bearer token `/metrics` asks for; without one it answers only on loopback.
    pub metrics_token: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunEnv {
    Dev,
    Prod,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DatabaseSettings {
    /// `None` runs the embedded PostgreSQL cluster under `data_dir`.
    pub url: Option<String>,
    pub data_dir: PathBuf,
    pub embedded_port: u16,
    pub max_connections: u32,
    /// Time limit of every statement a request runs, so abandoned or runaway work stops.
    pub statement_timeout_ms: u32,
    /// The longer limit of the monthly close and the exports.
    pub long_statement_timeout_ms: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionSettings {
    pub idle_minutes: i64,
    /// A session ends this long after sign-in, however active it is.
    pub absolute_hours: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MailSettings {
    pub from: String,
    /// `smtp://`, `smtp+starttls://` or `smtps://` `[user:password@]host[:port]`; `None`
    /// writes messages into `dir` instead.
    pub smtp_url: Option<String>,
    /// A PEM certificate to trust besides the web's roots (a private relay's CA).
    pub smtp_ca_file: Option<PathBuf>,
    pub dir: PathBuf,
}

/// Partners' custom domains.
#[derive(Clone, Debug, PartialEq)]
pub struct DomainSettings {
    /// The host name partners point their domain at with a CNAME record.
    pub cname_target: String,
    /// The DNS server verification asks (`ip:port`); `None` uses the system's resolvers.
    pub dns_server: Option<SocketAddr>,
}

impl SiteSettings {
    /// Cookies get the `Secure` flag when the portal is reached over https.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// A setting that could not be read, with the name an operator needs to fix it.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read settings file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("invalid setting `{name}` (from {source_name}): {reason}")]
    Invalid {
        name: &'static str,
        source_name: String,
        reason: String,
    },
}

impl Settings {
    /// Reads `PORTAL_CONFIG` (or `Leptos.toml` in the working folder) and the process
    /// environment.
    pub fn load() -> Result<Self, ConfigError> {
        let path = std::env::var("PORTAL_CONFIG").unwrap_or_else(|_| DEFAULT_CONFIG_FILE.into());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            // The file is optional: defaults and the environment are enough to run.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && path == DEFAULT_CONFIG_FILE => {
                String::new()
            }
            Err(e) => {
                return Err(ConfigError::File {
                    path,
                    reason: e.to_string(),
                })
            }
        };
        let env: HashMap<String, String> = std::env::vars().collect();
        Self::from_sources(&path, &text, &env)
    }

    /// Builds settings from the file's text and an environment; pure, so it is easy to test.
    pub fn from_sources(
        file_name: &str,
        file_text: &str,
        env: &HashMap<String, String>,
    ) -> Result<Self, ConfigError> {
        let table: toml::Table =
            file_text
                .parse()
                .map_err(|e: toml::de::Error| ConfigError::File {
                    path: file_name.to_string(),
                    reason: e.message().to_string(),
                })?;
        let source = Source {
            file_name,
            table: &table,
            env,
        };
        let url: String = source.get("database.url", "DATABASE_URL", String::new())?;
        let smtp_url: String = source.get("mail.smtp_url", "PORTAL_SMTP_URL", String::new())?;
        let smtp_ca_file: String =
            source.get("mail.smtp_ca_file", "PORTAL_SMTP_CA_FILE", String::new())?;
        let metrics_token: String =
            source.get("site.metrics_token", "PORTAL_METRICS_TOKEN", String::new())?;
        let dns_server: String =
            source.get("domains.dns_server", "PORTAL_DNS_SERVER", String::new())?;
        let dns_server = match dns_server.trim() {
            "" => None,
            text => Some(text.parse().map_err(|_| {
                source.invalid(
                    "domains.dns_server",
                    "PORTAL_DNS_SERVER",
                    "must be an address like 127.0.0.1:53, or empty",
                )
            })?),
        };
        let settings = Settings {
            site: SiteSettings {
                addr: source.get(
                    "site.addr",
                    "LEPTOS_SITE_ADDR",
                    "127.0.0.1:3000".parse().unwrap(),
                )?,
                root: source.get(
                    "site.root",
                    "LEPTOS_SITE_ROOT",
                    PathBuf::from("target/site"),
                )?,
                env: source.get("site.env", "LEPTOS_ENV", RunEnv::Dev)?,
                public_url: source.get(
                    "site.public_url",
                    "PORTAL_PUBLIC_URL",
                    "http://127.0.0.1:3000".to_string(),
                )?,
                trusted_proxies: source.get(
                    "site.trusted_proxies",
                    "PORTAL_TRUSTED_PROXIES",
                    Default::default(),
                )?,
                max_in_flight: source.get("site.max_in_flight", "PORTAL_MAX_IN_FLIGHT", 512)?,
                metrics_token: Some(metrics_token).filter(|t| !t.trim().is_empty()),
            },
            database: DatabaseSettings {
                url: Some(url).filter(|u| !u.trim().is_empty()),
                data_dir: source.get(
                    "database.data_dir",
                    "PORTAL_DATA_DIR",
                    PathBuf::from("data"),
                )?,
                embedded_port: source.get(
                    "database.embedded_port",
                    "PORTAL_EMBEDDED_PORT",
                    54329,
                )?,
                max_connections: source.get(
                    "database.max_connections",
                    "PORTAL_DB_MAX_CONNECTIONS",
                    10,
                )?,
                statement_timeout_ms: source.get(
                    "database.statement_timeout_ms",
                    "PORTAL_STATEMENT_TIMEOUT_MS",
                    10_000,
                )?,
                long_statement_timeout_ms: source.get(
                    "database.long_statement_timeout_ms",
                    "PORTAL_LONG_STATEMENT_TIMEOUT_MS",
                    900_000,
                )?,
            },
            api: ApiSettings {
                requests_per_minute: source.get(
                    "api.requests_per_minute",
                    "PORTAL_API_REQUESTS_PER_MINUTE",
                    600,
                )?,
            },
            session: SessionSettings {
                idle_minutes: source.get(
                    "session.idle_minutes",
                    "PORTAL_SESSION_IDLE_MINUTES",
                    480,
                )?,
                absolute_hours: source.get(
                    "session.absolute_hours",
                    "PORTAL_SESSION_ABSOLUTE_HOURS",
                    24,
                )?,
            },
            mail: MailSettings {
                from: source.get(
                    "mail.from",
                    "PORTAL_MAIL_FROM",
                    "Partner Portal <no-reply@portal.demo.test>".to_string(),
                )?,
                smtp_url: Some(smtp_url).filter(|u| !u.trim().is_empty()),
                smtp_ca_file: Some(smtp_ca_file)
                    .filter(|f| !f.trim().is_empty())
                    .map(PathBuf::from),
                dir: source.get("mail.dir", "PORTAL_MAIL_DIR", PathBuf::from("data/mail"))?,
            },
            domains: DomainSettings {
                cname_target: source.get(
                    "domains.cname_target",
                    "PORTAL_CNAME_TARGET",
                    "clients.portal.demo.test".to_string(),
                )?,
                dns_server,
            },
            webhooks: WebhookSettings {
                allowed_networks: source.get(
                    "webhooks.allowed_networks",
                    "PORTAL_WEBHOOK_ALLOWED_NETWORKS",
                    Default::default(),
                )?,
            },
        };
        settings.check(&source)?;
        Ok(settings)
    }

    /// Rules that span more than the type of one value.
    fn check(&self, source: &Source) -> Result<(), ConfigError> {
        let url = &self.site.public_url;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(source.invalid(
                "site.public_url",
                "PORTAL_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        if let Some(db) = &self.database.url {
            if !(db.starts_with("postgres://") || db.starts_with("postgresql://")) {
                return Err(source.invalid(
                    "database.url",
                    "DATABASE_URL",
                    "must be a postgres:// URL",
                ));
            }
        }
        if let Some(smtp) = &self.mail.smtp_url {
            if !["smtp://", "smtp+starttls://", "smtps://"]
                .iter()
                .any(|scheme| smtp.starts_with(scheme))
            {
                return Err(source.invalid(
                    "mail.smtp_url",
                    "PORTAL_SMTP_URL",
                    "must be an smtp://, smtp+starttls:// or smtps:// URL",
                ));
            }
        }
        if !self.mail.from.contains('@') {
            return Err(source.invalid(
                "mail.from",
                "PORTAL_MAIL_FROM",
                "must contain an e-mail address",
            ));
        }
        if self.api.requests_per_minute == 0 {
            return Err(source.invalid(
                "api.requests_per_minute",
                "PORTAL_API_REQUESTS_PER_MINUTE",
                "must be at least 1",
            ));
        }
        if !(1..=7 * 24 * 60).contains(&self.session.idle_minutes) {
            return Err(source.invalid(
                "session.idle_minutes",
                "PORTAL_SESSION_IDLE_MINUTES",
                "must be between 1 and 10080 (one week)",
            ));
        }
        if self.site.max_in_flight == 0 {
            return Err(source.invalid(
                "site.max_in_flight",
                "PORTAL_MAX_IN_FLIGHT",
                "must be at least 1",
            ));
        }
        if !(1..=30 * 24).contains(&self.session.absolute_hours) {
            return Err(source.invalid(
                "session.absolute_hours",
                "PORTAL_SESSION_ABSOLUTE_HOURS",
                "must be between 1 and 720 (30 days)",
            ));
        }
        let timeouts = &self.database;
        if timeouts.statement_timeout_ms < 100
            || timeouts.long_statement_timeout_ms < timeouts.statement_timeout_ms
        {
            return Err(source.invalid(
                "database.statement_timeout_ms",
                "PORTAL_STATEMENT_TIMEOUT_MS",
                "must be at least 100, and no more than database.long_statement_timeout_ms",
            ));
        }
        if !(1..=200).contains(&self.database.max_connections) {
            return Err(source.invalid(
                "database.max_connections",
                "PORTAL_DB_MAX_CONNECTIONS",
                "must be between 1 and 200",
            ));
        }
        Ok(())
    }
}

impl FromStr for RunEnv {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "dev" | "development" => Ok(RunEnv::Dev),
            "prod" | "production" => Ok(RunEnv::Prod),
            _ => Err(format!("expected dev or prod, got {s:?}")),
        }
    }
}

/// The file's table and the environment, looked up in that order of precedence.
struct Source<'a> {
    file_name: &'a str,
    table: &'a toml::Table,
    env: &'a HashMap<String, String>,
}

impl Source<'_> {
    fn get<T>(&self, name: &'static str, env_name: &str, default: T) -> Result<T, ConfigError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let (raw, from) = if let Some(value) = self.env.get(env_name) {
            (value.clone(), format!("environment variable {env_name}"))
        } else if let Some(value) = self.lookup(name) {
            let raw = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(ConfigError::Invalid {
                        name,
                        source_name: self.file_name.to_string(),
                        reason: format!("unexpected {} value", other.type_str()),
                    })
                }
            };
            (raw, self.file_name.to_string())
        } else {
            return Ok(default);
        };
        raw.trim().parse::<T>().map_err(|e| ConfigError::Invalid {
            name,
            source_name: from,
            reason: format!("{e} (value {raw:?})"),
        })
    }

    fn lookup(&self, dotted: &str) -> Option<&toml::Value> {
        let (section, key) = dotted.split_once('.')?;
        self.table.get(section)?.as_table()?.get(key)
    }

    fn invalid(&self, name: &'static str, env_name: &str, reason: &str) -> ConfigError {
        let source_name = if self.env.contains_key(env_name) {
            format!("environment variable {env_name}")
        } else {
            self.file_name.to_string()
        };
        ConfigError::Invalid {
            name,
            source_name,
            reason: reason.to_string(),
        }
    }
}

/// The folder a relative data path is taken from: the working folder of the process.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}

#[cfg(test)]
mod tests;
