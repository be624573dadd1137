//! Password hashing with argon2id at OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1),
//! run on the blocking pool so that a sign-in never stalls the async workers, and at most
//! one per core at a time: a flood of sign-ins queues (and past a wait, gets a 503) instead
//! of taking 19 MiB and a thread each.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        LazyLock,
    },
    time::Duration,
};

use tokio::sync::Semaphore;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use crate::error::AppError;

/// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A real hash of a random password with the same parameters, verified against when the
/// e-mail is unknown so that the answer takes as long as for a real account.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    hash_blocking(&format!("{random:?}")).expect("hashing a dummy password")
});

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// How many hashes may run at once: one per core (at least two).
pub fn hash_slots() -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(2)
        .max(2)
}

static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(hash_slots()));
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// How long a hash may wait for a free slot before the caller is told the portal is busy.
const SLOT_WAIT: Duration = Duration::from_secs(10);

/// Hashes running now, and the most that ever ran at once (for `/metrics` and tests).
pub fn hashes_running() -> (usize, usize) {
    (
        RUNNING.load(Ordering::Relaxed),
        PEAK.load(Ordering::Relaxed),
    )
}

/// Runs `work` on the blocking pool once a slot is free.
async fn in_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _slot = tokio::time::timeout(SLOT_WAIT, SLOTS.acquire())
        .await
        .map_err(|_| {
            tracing::warn!("every password-hashing slot stayed busy");
            AppError::Unavailable { retry_after: 5 }
        })?
        .map_err(|_| AppError::Internal)?;
    let running = RUNNING.fetch_add(1, Ordering::Relaxed) + 1;
    PEAK.fetch_max(running, Ordering::Relaxed);
    let result = tokio::task::spawn_blocking(work).await;
    RUNNING.fetch_sub(1, Ordering::Relaxed);
    Ok(result?)
}

/// Hashes a new password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    in_slot(move || hash_blocking(&password))
        .await?
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

/// Whether `password` matches `stored`. With no stored hash (unknown account, or one that
/// never set a password) it still does the full work against a dummy hash and says no.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    in_slot(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = match PasswordHash::new(&phc) {
            Ok(parsed) => argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(error) => {
                tracing::error!(%error, "stored password hash is malformed");
                false
            }
        };
        known && matches
    })
    .await
}

/// Computes the dummy hash ahead of the first sign-in (at start-up).
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        // Same password, new salt: different hash.
        assert_ne!(
            hash,
            hash_password("correct horse battery".into()).await.unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_slots() {
        let checks: Vec<_> = (0..16)
            .map(|i| tokio::spawn(verify_password(format!("guess {i}"), None)))
            .collect();
        for check in checks {
            assert!(!check.await.unwrap().unwrap());
        }
        let (running, peak) = hashes_running();
        assert!(peak >= 1, "the hashes ran");
        assert!(
            peak <= hash_slots(),
            "{peak} at once, {} slots",
            hash_slots()
        );
        assert!(running <= hash_slots());
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify() {
        assert!(!verify_password("anything".into(), None).await.unwrap());
        assert!(
            !verify_password("x".into(), Some("not a phc string".into()))
                .await
                .unwrap()
        );
    }
}
