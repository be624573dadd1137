//! Atomic limits for what anonymous callers can repeat: sign-in, applications, invitation
//! acceptance. Every attempt is counted *before* the work it guards (a password check, an
//! insert), in one statement that also judges it, so that parallel attempts cannot all slip
//! under the limit. Counts live in PostgreSQL, shared by every app server.

use super::queries;
use crate::error::AppError;

/// One limit: at most `max` hits per key in a window of `window_secs`. With a `cap_secs`
/// above the window, a window that ends over the limit makes the next one twice as long,
/// up to the cap (progressive delays for whoever keeps trying).
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_secs: i32,
    pub cap_secs: i32,
    /// What the person is told; `{wait}` becomes "5 minutes" or the like.
    pub message: &'static str,
}

/// Sign-in attempts per account *and* address pair: a guesser is slowed down, while the
/// owner signing in from anywhere else is not affected.
pub const SIGN_IN: Limit = Limit {
    name: "sign-in",
    max: 5,
    window_secs: 15 * 60,
    cap_secs: 24 * 60 * 60,
    message: "Too many sign-in attempts. Please wait {wait} and try again.",
};

/// Failed sign-ins per address, whatever the account (a successful one is given back, so
/// that many people behind one network address are not counted against each other).
pub const SIGN_IN_ADDRESS: Limit = Limit {
    name: "sign-in-address",
    max: 30,
    window_secs: 15 * 60,
    cap_secs: 15 * 60,
    message: "Too many failed sign-ins from your network. Please wait {wait} and try again.",
};

/// Tries at accepting an invitation, per address (tokens are long and random; this keeps
/// anyone from hammering the endpoint).
pub const INVITATION_ACCEPT: Limit = Limit {
    name: "invitation-accept",
    max: 20,
    window_secs: 15 * 60,
    cap_secs: 15 * 60,
    message: "Too many attempts from your network. Please wait {wait} and try again.",
};

/// Wrong current passwords per account when changing it: an open session is not a way to
/// guess the password (the window doubles each time one ends over the limit).
pub const PASSWORD_CHANGE: Limit = Limit {
    name: "password-change",
    max: 5,
    window_secs: 15 * 60,
    cap_secs: 24 * 60 * 60,
    message: "Too many attempts at your current password. Please wait {wait} and try again.",
};

/// Applications accepted per address and hour (a form sent back with errors is not counted).
pub const APPLY: Limit = Limit {
    name: "apply",
    max: 5,
    window_secs: 60 * 60,
    cap_secs: 60 * 60,
    message: "Too many requests from your network. Please try again in {wait}.",
};

/// Invitations a partner may send to its clients' users per hour, so that a compromised
/// account cannot turn the portal into a mail cannon.
pub const CLIENT_INVITES: Limit = Limit {
    name: "client-invites",
    max: 100,
    window_secs: 60 * 60,
    cap_secs: 60 * 60,
    message: "Your team has sent many invitations in the last hour. Please try again in {wait}.",
};

/// Team invitations (new and resent) a partner may send per hour.
pub const TEAM_INVITES: Limit = Limit {
    name: "team-invites",
    max: 30,
    window_secs: 60 * 60,
    cap_secs: 60 * 60,
    message: "Your team has sent many invitations in the last hour. Please try again in {wait}.",
};

/// Password reset requests and link uses per network address.
pub const PASSWORD_RESET_ADDRESS: Limit = Limit {
    name: "password-reset-address",
    max: 10,
    window_secs: 60 * 60,
    cap_secs: 60 * 60,
    message: "Too many requests from your network. Please try again in {wait}.",
};

/// Reset links sent to one address per hour. Past it nothing more is sent, silently: the
/// answer must not tell whether the address has an account.
pub const PASSWORD_RESET_ACCOUNT: Limit = Limit {
    name: "password-reset-account",
    max: 3,
    window_secs: 60 * 60,
    cap_secs: 60 * 60,
    message: "",
};

/// Second-step codes per person: a guesser of six-digit codes is slowed, more each time.
pub const TWO_FACTOR: Limit = Limit {
    name: "two-factor",
    max: 5,
    window_secs: 15 * 60,
    cap_secs: 24 * 60 * 60,
    message: "Too many wrong codes. Please wait {wait} and try again.",
};

/// The subject an address is counted under ("unknown" when there is no peer address).
pub fn address_subject(addr: Option<std::net::IpAddr>) -> String {
    addr.map_or_else(|| "unknown".to_string(), |a| a.to_string())
}

impl Limit {
    fn key(&self, subject: &str) -> String {
        format!("{}:{subject}", self.name)
    }

    /// Counts one attempt by `subject` and refuses it when it is over the limit.
    pub async fn hit(&self, pool: &sqlx::PgPool, subject: &str) -> Result<(), AppError> {
        let hit = queries::throttle_hit(
            pool,
            &self.key(subject),
            self.max,
            self.window_secs,
            self.cap_secs,
        )
        .await?;
        if hit.hits > self.max {
            tracing::warn!(limit = self.name, %subject, hits = hit.hits, "limit reached");
            return Err(AppError::TooManyRequests {
                message: self.message.replace("{wait}", &wait_words(hit.retry_after)),
                retry_after: hit.retry_after.max(1).unsigned_abs(),
            });
        }
        Ok(())
    }

    /// Gives an attempt back (it turned out not to count, e.g. a form with a typo).
    pub async fn refund(&self, pool: &sqlx::PgPool, subject: &str) -> Result<(), AppError> {
        Ok(queries::throttle_refund(pool, &self.key(subject)).await?)
    }

    /// Forgets `subject`'s attempts (a successful sign-in).
    pub async fn reset(&self, pool: &sqlx::PgPool, subject: &str) -> Result<(), AppError> {
        Ok(queries::throttle_reset(pool, &self.key(subject)).await?)
    }
}

/// "1 minute", "15 minutes", "2 hours": rounded up, for a person to read.
pub fn wait_words(seconds: i32) -> String {
    let minutes = (seconds.max(1) + 59) / 60;
    match minutes {
        1 => "1 minute".into(),
        m if m < 120 => format!("{m} minutes"),
        m => format!("{} hours", (m + 59) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_rounded_up_for_people() {
        assert_eq!(wait_words(1), "1 minute");
        assert_eq!(wait_words(61), "2 minutes");
        assert_eq!(wait_words(15 * 60), "15 minutes");
        assert_eq!(wait_words(3 * 60 * 60 - 5), "3 hours");
    }
}
