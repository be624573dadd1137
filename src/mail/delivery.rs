//! Delivering the outbox. A failed send is retried with exponential backoff (30 s, 1 min,
//! 2 min, ... up to an hour) and never dropped. Rows are claimed with SKIP LOCKED, so several
//! app servers can run the task at once without sending a message twice.

use std::{path::PathBuf, time::Duration};

use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::{
        authentication::Credentials,
        client::{Certificate, Tls, TlsParameters},
    },
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sqlx::PgPool;

use crate::config::MailSettings;

/// How often the outbox is checked for due messages.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Messages claimed per round.
const BATCH: i64 = 20;
const MAX_BACKOFF_SECS: i64 = 3600;

/// Where messages go: an SMTP server, or `.eml` files in a folder (development).
#[derive(Clone)]
pub enum MailTransport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl MailTransport {
    pub fn from_settings(settings: &MailSettings) -> Result<Self, String> {
        match &settings.smtp_url {
            Some(url) => {
                let server = SmtpServer::parse(url)
                    .map_err(|e| format!("invalid setting `mail.smtp_url`: {e}"))?;
                let tls = match server.security {
                    Security::Plain => Tls::None,
                    Security::StartTls => Tls::Required(tls_parameters(&server.host, settings)?),
                    Security::Implicit => Tls::Wrapper(tls_parameters(&server.host, settings)?),
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
                        .port(server.port)
                        .tls(tls)
                        .timeout(Some(Duration::from_secs(10)));
                if let Some((user, password)) = server.credentials {
                    builder = builder.credentials(Credentials::new(user, password));
                }
                Ok(MailTransport::Smtp(builder.build()))
            }
            None => {
                std::fs::create_dir_all(&settings.dir).map_err(|e| {
                    format!(
                        "cannot create the mail folder {}: {e}",
                        settings.dir.display()
                    )
                })?;
                Ok(MailTransport::Files(settings.dir.clone()))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            MailTransport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            MailTransport::Files(dir) => AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

/// TLS to the relay, with the web's root certificates plus, when `mail.smtp_ca_file` names
/// one, a private CA's (a relay inside the company network).
fn tls_parameters(host: &str, settings: &MailSettings) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(file) = &settings.smtp_ca_file {
        let pem = std::fs::read(file)
            .map_err(|e| format!("cannot read mail.smtp_ca_file {}: {e}", file.display()))?;
        let certificate = Certificate::from_pem(&pem).map_err(|e| {
            format!(
                "mail.smtp_ca_file {} is not a PEM certificate: {e}",
                file.display()
            )
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_rustls()
        .map_err(|e| format!("cannot set up TLS for {host}: {e}"))
}

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: none (a relay on the same host or a private network; port 25).
    Plain,
    /// `smtp+starttls://`: STARTTLS, required (port 587).
    StartTls,
    /// `smtps://`: TLS from the first byte (port 465).
    Implicit,
}

/// An SMTP relay from `smtp://`, `smtp+starttls://` or `smtps://`
/// `[user:password@]host[:port]`.
#[derive(Debug, PartialEq, Eq)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub credentials: Option<(String, String)>,
    pub security: Security,
}

impl SmtpServer {
    pub fn parse(url: &str) -> Result<Self, String> {
        let (security, rest) = [
            ("smtp://", Security::Plain),
            ("smtp+starttls://", Security::StartTls),
            ("smtps://", Security::Implicit),
        ]
        .into_iter()
        .find_map(|(scheme, security)| url.strip_prefix(scheme).map(|rest| (security, rest)))
        .ok_or("must start with smtp://, smtp+starttls:// or smtps://")?;
        let default_port = match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Implicit => 465,
        };
        let rest = rest.trim_end_matches('/');
        let (credentials, address) = match rest.rsplit_once('@') {
            Some((creds, address)) => {
                let (user, password) = creds
                    .split_once(':')
                    .ok_or("credentials must be user:password")?;
                (Some((user.to_string(), password.to_string())), address)
            }
            None => (None, rest),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| "the port must be a number")?,
            ),
            None => (address, default_port),
        };
        if host.is_empty() || host.contains('/') {
            return Err("needs a host".into());
        }
        Ok(SmtpServer {
            host: host.to_string(),
            port,
            credentials,
            security,
        })
    }
}

/// The single-use links our messages carry (invitations; tokens are 43 URL-safe
/// characters), as a PostgreSQL regular expression whose first group is kept.
pub const SINGLE_USE_LINK: &str = "(/invite/)[A-Za-z0-9_-]{43}";

/// Backoff before attempt `attempts + 1`: 30 s doubled per failure, capped at an hour.
pub fn backoff_secs(attempts: i32) -> i64 {
    let exponent = attempts.clamp(0, 20) as u32;
    (30_i64 << exponent).min(MAX_BACKOFF_SECS)
}

/// Sends every due message once. Returns how many were sent.
pub async fn deliver_due(
    pool: &PgPool,
    transport: &MailTransport,
    from: &Mailbox,
) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let due = sqlx::query!(
        "select id, to_address, subject, body_text, attempts from email_outbox
         where sent_at is null and next_attempt_at <= now()
         order by next_attempt_at limit $1
         for update skip locked",
        BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = 0;
    for row in due {
        let result = match build(from, &row.to_address, &row.subject, &row.body_text) {
            Ok(message) => transport.send(message).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                // Delivered: single-use links are not kept readable in the outbox.
                sqlx::query!(
                    "update email_outbox
                     set sent_at = now(), attempts = attempts + 1, last_error = null,
                         body_text = regexp_replace(body_text, $2, '\\1[removed after delivery]', 'g')
                     where id = $1",
                    row.id,
                    SINGLE_USE_LINK
                )
                .execute(&mut *tx)
                .await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = %row.id, attempts = row.attempts + 1, %error, "mail delivery failed; will retry");
                sqlx::query!(
                    "update email_outbox
                     set attempts = attempts + 1, last_error = $2,
                         next_attempt_at = now() + make_interval(secs => $3)
                     where id = $1",
                    row.id,
                    error.chars().take(500).collect::<String>(),
                    backoff_secs(row.attempts) as f64
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

fn build(from: &Mailbox, to: &str, subject: &str, body: &str) -> Result<Message, String> {
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("bad recipient {to:?}: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| e.to_string())
}

/// The delivery loop, run for the life of the server.
pub async fn run_delivery(pool: PgPool, transport: MailTransport, from: Mailbox) {
    loop {
        match deliver_due(&pool, &transport, &from).await {
            Ok(0) => tokio::time::sleep(POLL_INTERVAL).await,
            Ok(sent) => tracing::info!(sent, "mail delivered"),
            Err(error) => {
                tracing::error!(%error, "mail delivery round failed");
                tokio::time::sleep(POLL_INTERVAL * 5).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{backoff_secs, Security, SmtpServer};

    #[test]
    fn smtp_urls_are_read() {
        assert_eq!(
            SmtpServer::parse("smtp://relay.internal:2525").unwrap(),
            SmtpServer {
                host: "relay.internal".into(),
                port: 2525,
                credentials: None,
                security: Security::Plain,
            }
        );
        assert_eq!(SmtpServer::parse("smtp://127.0.0.1").unwrap().port, 25);
        let starttls = SmtpServer::parse("smtp+starttls://relay.example").unwrap();
        assert_eq!(
            (starttls.security, starttls.port),
            (Security::StartTls, 587)
        );
        let implicit = SmtpServer::parse("smtps://u:p@relay.example").unwrap();
        assert_eq!(
            (implicit.security, implicit.port),
            (Security::Implicit, 465)
        );
        let with_user = SmtpServer::parse("smtp://mailer:s3cret@relay:587").unwrap();
        assert_eq!(
            with_user.credentials,
            Some(("mailer".into(), "s3cret".into()))
        );
        for bad in [
            "http://relay",
            "smtp+tls://relay",
            "smtp://",
            "smtp://relay:abc",
            "smtp://user@relay",
        ] {
            assert!(SmtpServer::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(4), 480);
        assert_eq!(backoff_secs(7), 3600);
        assert_eq!(backoff_secs(1000), 3600);
    }
}
