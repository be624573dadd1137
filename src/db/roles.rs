//! The role requests are served through. `DATABASE_URL` usually names the owner (or a
//! superuser): the portal migrates with it, then lets `portal_app` (made by the migrations:
//! owns nothing, not superuser, not BYPASSRLS) log in with a password derived from the
//! owner's credentials, the same on every app server, and serves requests as that role.

use sha2::{Digest, Sha256};
use sqlx::{postgres::PgConnectOptions, PgConnection, PgPool};

/// The unprivileged role of requests and system work.
pub const APP_ROLE: &str = "portal_app";
/// The role the app switches to for work that sees every partner's rows (admins, sign-in,
/// system work); as unprivileged as the app role (migration `scope_roles`).
pub const ADMIN_ROLE: &str = "portal_admin";

/// The app role's password for an owner URL: derived, so every app server agrees on it.
pub fn app_password(owner_url: &str) -> String {
    let credentials = owner_url
        .split_once("://")
        .and_then(|(_, rest)| rest.rsplit_once('@'))
        .map(|(credentials, _)| credentials)
        .unwrap_or_default();
    let digest = Sha256::digest(format!("partner-portal/{APP_ROLE}/{credentials}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The owner's connection options, as the app role.
pub fn as_app_role(owner: &PgConnectOptions, owner_url: &str) -> PgConnectOptions {
    owner
        .clone()
        .username(APP_ROLE)
        .password(&app_password(owner_url))
}

/// Whether the connection's roles (the one it logged in as, the one it acts as, and the admin
/// role it may switch to) could read past row-level security: a superuser, a role with
/// BYPASSRLS, or the owner of a table.
pub async fn can_bypass_policies(connection: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select bool_or(r.rolsuper or r.rolbypassrls
                        or exists (select 1 from pg_tables where tableowner = r.rolname))
         from pg_roles r where r.rolname in (session_user, current_user, $1)",
    )
    .bind(ADMIN_ROLE)
    .fetch_one(connection)
    .await
}

/// Lets the app role log in with its password: when it cannot log in yet, or `always`
/// (after a refused password: the owner's credentials changed). Several servers starting
/// at once may race on the role, so it retries.
pub async fn enable_app_role(
    owner: &mut PgConnection,
    owner_url: &str,
    always: bool,
) -> sqlx::Result<()> {
    let can_login: bool = sqlx::query_scalar("select rolcanlogin from pg_roles where rolname = $1")
        .bind(APP_ROLE)
        .fetch_optional(&mut *owner)
        .await?
        .unwrap_or(false);
    if can_login && !always {
        return Ok(());
    }
    let password = app_password(owner_url);
    let mut attempt = 0;
    loop {
        // The password is hex, so it is safe inside the literal.
        let result = sqlx::query(&format!(
            "alter role {APP_ROLE} login password '{password}'"
        ))
        .execute(&mut *owner)
        .await;
        match result {
            Ok(_) => return Ok(()),
            Err(error) if attempt < 5 => {
                tracing::debug!(%error, "enabling the app role raced another server; again");
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Refuses a pool whose role could bypass the policies: such a pool must never serve
/// requests.
pub async fn refuse_privileged(pool: &PgPool) -> Result<(), String> {
    let mut connection = pool.acquire().await.map_err(|e| e.to_string())?;
    match can_bypass_policies(&mut connection).await {
        Ok(false) => Ok(()),
        Ok(true) => Err(
            "the role serving requests could bypass row-level security (superuser, BYPASSRLS or a table's owner); \
             the portal serves requests only through an unprivileged role"
                .into(),
        ),
        Err(error) => Err(error.to_string()),
    }
}
