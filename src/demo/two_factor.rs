//! The demo admins' second factor. Admins must sign in with a code from an authenticator
//! app, so the demo admins (`admin@demo.test`, and `admin@scale.test` of the scale data)
//! share one published key: add it to an app, or run `scripts/demo-code`. The tests and
//! benchmarks answer the second step with [`next_code`].

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::auth::two_factor::{code_at, now, STEP_SECONDS};

/// The demo admins' authenticator key, in base 32 as apps take it (README.md gives it too).
pub const DEMO_ADMIN_TOTP_KEY: &str = "66QC5U75JDGWQH3273XDIBUIVZWHT76J";

/// The key's bytes.
pub fn demo_admin_secret() -> Vec<u8> {
    totp_rs::Secret::Encoded(DEMO_ADMIN_TOTP_KEY.into())
        .to_bytes()
        .expect("the demo key is valid base 32")
}

/// Turns two-factor sign-in on for `user_id` with the demo key (nothing if it is on).
pub async fn enrol_demo_admin(executor: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into user_totp (user_id, secret, confirmed_at) values ($1, $2, now())
         on conflict (user_id) do nothing",
        user_id,
        demo_admin_secret()
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// The code a demo account's authenticator app shows next: of the current time step, or
/// of the step after the last one accepted (a code works once). When that step is more
/// than one ahead of the clock (the server accepts one step of drift), this waits for it,
/// as a person would. `None` for an account that is not a demo account or has no second
/// factor.
pub async fn next_code(executor: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<String>> {
    let row = sqlx::query!(
        r#"select t.secret, t.last_step
           from user_totp t join users u on u.id = t.user_id
           where u.email = $1 and t.confirmed_at is not null
             and (u.email like '%demo.test' or u.email like '%scale.test')"#,
        email
    )
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let current = now() / STEP_SECONDS;
    let step = row
        .last_step
        .map_or(current, |last| current.max(last as u64 + 1));
    if step > current + 1 {
        let wait = (step - 1) * STEP_SECONDS - now();
        tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
    }
    Ok(Some(code_at(&row.secret, step * STEP_SECONDS)))
}
