//! E-mail delivery over real SMTP: recipients, subject and link arrive; a server that is
//! down costs a retry later, never the message.

use crate::common::test_pool;
use std::{collections::HashMap, net::TcpListener};

use partner_portal::{
    config::Settings,
    mail::{deliver_due, enqueue, MailTransport, OutgoingEmail},
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use crate::smtp_sink::SmtpSink;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn transport(port: u16) -> MailTransport {
    let env: HashMap<String, String> = [(
        "PORTAL_SMTP_URL".to_string(),
        format!("smtp://127.0.0.1:{port}"),
    )]
    .into();
    let settings = Settings::from_sources("test", "", &env).unwrap();
    MailTransport::from_settings(&settings.mail).unwrap()
}

fn from() -> lettre::message::Mailbox {
    "Partner Portal <no-reply@portal.demo.test>"
        .parse()
        .unwrap()
}

/// A token as invitations carry them (43 URL-safe characters).
const TOKEN: &str = "abcdefghijklmnopqrstuvwxyz0123456789_-ABCDE";

async fn queue(pool: &PgPool, to: &str) {
    let email = OutgoingEmail {
        to: to.into(),
        subject: "Welcome to the partner program (APP-TEST0001)".into(),
        body: format!("Set your password:\nhttp://127.0.0.1:3000/invite/{TOKEN}\n"),
        partner_id: None,
    };
    enqueue(pool, &email).await.unwrap();
}

#[sqlx::test]
async fn queued_mail_is_delivered_over_smtp(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let sink = SmtpSink::start(0).await;
    queue(&pool, "ada@acme.example").await;
    let sent = deliver_due(&pool, &transport(sink.port), &from())
        .await
        .unwrap();
    assert_eq!(sent, 1);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, vec!["ada@acme.example".to_string()]);
    assert!(
        messages[0]
            .data
            .contains("Subject: Welcome to the partner program (APP-TEST0001)"),
        "{}",
        messages[0].data
    );
    assert!(messages[0]
        .data
        .contains(&format!("http://127.0.0.1:3000/invite/{TOKEN}")));
    // Once delivered, the outbox no longer holds a working link.
    let kept: String = sqlx::query_scalar("select body_text from email_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!kept.contains(TOKEN), "{kept}");
    assert!(kept.contains("/invite/[removed after delivery]"), "{kept}");
    let unsent: i64 = sqlx::query_scalar("select count(*) from email_outbox where sent_at is null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(unsent, 0);
    // Nothing is sent twice.
    assert_eq!(
        deliver_due(&pool, &transport(sink.port), &from())
            .await
            .unwrap(),
        0
    );
    assert_eq!(sink.messages().len(), 1);
}

#[sqlx::test]
async fn a_server_that_is_down_delays_mail_but_never_loses_it(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let port = free_port(); // nothing listens here yet
    queue(&pool, "grace@acme.example").await;
    assert_eq!(
        deliver_due(&pool, &transport(port), &from()).await.unwrap(),
        0
    );
    let (attempts, waits, error): (i32, bool, Option<String>) = sqlx::query_as(
        "select attempts, next_attempt_at > now() + interval '20 seconds', last_error from email_outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(waits, "retried after a backoff, not at once");
    assert!(error.is_some());
    // Not due yet: a second round does not hammer the server.
    assert_eq!(
        deliver_due(&pool, &transport(port), &from()).await.unwrap(),
        0
    );
    let attempts: i32 = sqlx::query_scalar("select attempts from email_outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, 1);

    // The server comes back and the backoff has passed: the message goes out.
    let sink = SmtpSink::start(port).await;
    sqlx::query("update email_outbox set next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        deliver_due(&pool, &transport(sink.port), &from())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sink.messages()[0].to,
        vec!["grace@acme.example".to_string()]
    );
}

#[sqlx::test]
async fn two_servers_delivering_at_once_send_each_message_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let sink = SmtpSink::start(0).await;
    for i in 0..30 {
        queue(&pool, &format!("person{i}@acme.example")).await;
    }
    // Each server has its own pool, as two processes would.
    let other = PgPoolOptions::new()
        .max_connections(2)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let (mut a, mut b) = (0, 0);
    let (transport, from) = (transport(sink.port), from());
    while a + b < 30 {
        let (sent_a, sent_b) = tokio::join!(
            deliver_due(&pool, &transport, &from),
            deliver_due(&other, &transport, &from)
        );
        a += sent_a.unwrap();
        b += sent_b.unwrap();
    }
    assert_eq!(a + b, 30);
    let mut recipients: Vec<String> = sink.messages().iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 30, "every message arrived");
    assert_eq!(sink.messages().len(), 30, "and none twice");
}

/// A real SMTP server with TLS (aiosmtpd), on a certificate made for the test, printing what
/// it receives into a file.
struct TlsRelay {
    child: std::process::Child,
    port: u16,
    received: std::path::PathBuf,
}

impl TlsRelay {
    fn start(dir: &std::path::Path, implicit: bool) -> Self {
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        if !cert.exists() {
            // A test CA (ca.pem, which the portal is told to trust) and the relay's
            // certificate for localhost, signed by it.
            let openssl = |args: &[&str]| {
                let made = std::process::Command::new("openssl")
                    .args(args)
                    .current_dir(dir)
                    .output()
                    .unwrap();
                assert!(
                    made.status.success(),
                    "{}",
                    String::from_utf8_lossy(&made.stderr)
                );
            };
            std::fs::write(
                dir.join("leaf.ext"),
                "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
            )
            .unwrap();
            openssl(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=Portal Test CA",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
            ]);
            openssl(&[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-keyout",
                "key.pem",
                "-out",
                "leaf.csr",
            ]);
            openssl(&[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "1",
                "-extfile",
                "leaf.ext",
                "-out",
                "cert.pem",
            ]);
        }
        let port = free_port();
        let received = dir.join(format!("received-{port}.txt"));
        let (cert_flag, key_flag) = if implicit {
            ("--smtpscert", "--smtpskey")
        } else {
            ("--tlscert", "--tlskey")
        };
        let child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "--listen"])
            .arg(format!("localhost:{port}"))
            .arg(cert_flag)
            .arg(&cert)
            .arg(key_flag)
            .arg(&key)
            .stdout(std::fs::File::create(&received).unwrap())
            // Refused handshakes (the untrusted case) are logged there; they are expected.
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd is installed (scripts/setup --tests)");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Self {
            child,
            port,
            received,
        }
    }

    fn received(&self) -> String {
        std::fs::read_to_string(&self.received).unwrap_or_default()
    }
}

impl Drop for TlsRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_transport(url: String, ca_file: Option<&std::path::Path>) -> MailTransport {
    let mut env: HashMap<String, String> = [("PORTAL_SMTP_URL".to_string(), url)].into();
    if let Some(ca) = ca_file {
        env.insert("PORTAL_SMTP_CA_FILE".into(), ca.display().to_string());
    }
    let settings = Settings::from_sources("test", "", &env).unwrap();
    MailTransport::from_settings(&settings.mail).unwrap()
}

#[sqlx::test]
async fn mail_reaches_a_relay_over_starttls_and_over_implicit_tls(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let dir = tempfile::tempdir().unwrap();
    for implicit in [false, true] {
        let relay = TlsRelay::start(dir.path(), implicit);
        let scheme = if implicit { "smtps" } else { "smtp+starttls" };
        let url = format!("{scheme}://localhost:{}", relay.port);
        let ca = dir.path().join("ca.pem");
        queue(&pool, &format!("{scheme}@acme.example")).await;

        // A relay whose certificate is not trusted gets nothing; the message waits.
        let untrusted = tls_transport(url.clone(), None);
        assert_eq!(deliver_due(&pool, &untrusted, &from()).await.unwrap(), 0);
        let error: String =
            sqlx::query_scalar("select last_error from email_outbox where sent_at is null")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(error.to_lowercase().contains("certificate"), "{error}");
        assert!(!relay.received().contains("acme.example"));

        // Trusting its CA, the message goes, encrypted.
        sqlx::query("update email_outbox set next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        let trusted = tls_transport(url, Some(&ca));
        assert_eq!(
            deliver_due(&pool, &trusted, &from()).await.unwrap(),
            1,
            "{scheme}"
        );
        let mut received = String::new();
        for _ in 0..50 {
            received = relay.received();
            if received.contains(&format!("{scheme}@acme.example")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            received.contains("Welcome to the partner program"),
            "{scheme}: {received}"
        );
    }
}
