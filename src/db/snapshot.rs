//! Figures that may lag a few seconds, computed at most once per lifetime and shared by every
//! request: a page that adds up the whole program (the admin overview reads every partner's
//! figures) costs one computation per lifetime, not one per view.
//!
//! - A value younger than its lifetime is served as it is.
//! - A value older than that but younger than twice its lifetime is still served while one
//!   request computes the next (stale while revalidating): no view waits for a computation
//!   once the first has finished, so a busy page's slowest views are not the ones that
//!   happened to arrive when the lifetime ended.
//! - With no value, or one past twice its lifetime, requests wait: one computes and the
//!   others share its answer, so a burst of views does not start a burst of computations.
//! - A failed computation is not kept: a stale value is served until it is too old, then the
//!   error is the answer.
//!
//! Each key computes on its own: a slow key never holds up another.

use std::{
    any::Any,
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

type Value = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Slot {
    value: Mutex<Option<(Instant, Value)>>,
    /// Held by the one request computing this key's next value.
    computing: tokio::sync::Mutex<()>,
}

impl Slot {
    fn kept<T: Any + Send + Sync>(&self) -> Option<(Duration, Arc<T>)> {
        let value = self.value.lock().ok()?;
        let (at, value) = value.as_ref()?;
        let value = Arc::clone(value).downcast::<T>().ok()?;
        Some((at.elapsed(), value))
    }

    /// Computes the value and keeps it (called with `computing` held).
    async fn refresh<T, E, F>(&self, compute: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        F: Future<Output = Result<T, E>>,
    {
        let fresh = Arc::new(compute().await?);
        if let Ok(mut kept) = self.value.lock() {
            *kept = Some((Instant::now(), Arc::clone(&fresh) as Value));
        }
        Ok(fresh)
    }
}

#[derive(Default)]
pub struct Snapshots(Mutex<HashMap<&'static str, Arc<Slot>>>);

impl Snapshots {
    /// The value kept under `key` while it is younger than `lifetime`; else, as the module
    /// says, the value kept while another is computed, or `compute`'s.
    pub async fn get<T, E, F>(
        &self,
        key: &'static str,
        lifetime: Duration,
        compute: impl FnOnce() -> F,
    ) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        E: std::fmt::Display,
        F: Future<Output = Result<T, E>>,
    {
        let slot = self.slot(key);
        match slot.kept::<T>() {
            Some((age, value)) if age < lifetime => return Ok(value),
            Some((age, value)) if age < lifetime * 2 => {
                // Stale: whoever takes the lock computes; everyone else serves what is kept.
                let Ok(_computing) = slot.computing.try_lock() else {
                    return Ok(value);
                };
                return slot.refresh(compute).await.or_else(|e| {
                    tracing::warn!(key, error = %e, "snapshot not refreshed; serving the kept one");
                    Ok(value)
                });
            }
            _ => {}
        }
        let _computing = slot.computing.lock().await;
        // Whoever held the lock before may have just computed it.
        if let Some((age, value)) = slot.kept::<T>() {
            if age < lifetime {
                return Ok(value);
            }
        }
        slot.refresh(compute).await
    }

    fn slot(&self, key: &'static str) -> Arc<Slot> {
        let mut slots = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(slots.entry(key).or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_value_is_computed_once_per_lifetime_and_failures_are_not_kept() {
        let snapshots = Snapshots::default();
        let runs = AtomicUsize::new(0);
        let compute = || async { Ok::<_, &str>(runs.fetch_add(1, Ordering::SeqCst) + 1) };
        let long = Duration::from_secs(60);
        assert_eq!(*snapshots.get("k", long, compute).await.unwrap(), 1);
        assert_eq!(*snapshots.get("k", long, compute).await.unwrap(), 1, "kept");
        assert_eq!(
            *snapshots.get("k", Duration::ZERO, compute).await.unwrap(),
            2,
            "expired long ago"
        );
        let failed: Result<Arc<usize>, &str> =
            snapshots.get("other", long, || async { Err("down") }).await;
        assert_eq!(failed.unwrap_err(), "down");
        assert_eq!(
            *snapshots.get("other", long, compute).await.unwrap(),
            3,
            "a failure is computed again"
        );
    }

    #[tokio::test]
    async fn requests_arriving_together_share_one_computation() {
        let snapshots = Arc::new(Snapshots::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let views = (0..8).map(|_| {
            let (snapshots, runs) = (snapshots.clone(), runs.clone());
            tokio::spawn(async move {
                let value = snapshots
                    .get("k", Duration::from_secs(60), || async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, &str>(runs.fetch_add(1, Ordering::SeqCst))
                    })
                    .await
                    .unwrap();
                *value
            })
        });
        for view in views {
            assert_eq!(view.await.unwrap(), 0);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    /// A request that computes `value` for `key` and holds the computation until released;
    /// returns once the computation has started.
    async fn computing(
        snapshots: &Arc<Snapshots>,
        key: &'static str,
        lifetime: Duration,
        value: i32,
    ) -> (tokio::task::JoinHandle<i32>, Arc<tokio::sync::Notify>) {
        let (started, release) = (
            Arc::new(tokio::sync::Notify::new()),
            Arc::new(tokio::sync::Notify::new()),
        );
        let request = {
            let (snapshots, started, release) =
                (snapshots.clone(), started.clone(), release.clone());
            tokio::spawn(async move {
                let value = snapshots
                    .get(key, lifetime, || async move {
                        started.notify_one();
                        release.notified().await;
                        Ok::<_, &str>(value)
                    })
                    .await;
                *value.unwrap()
            })
        };
        started.notified().await;
        (request, release)
    }

    #[tokio::test]
    async fn a_stale_value_is_served_while_one_request_computes_the_next() {
        let snapshots = Arc::new(Snapshots::default());
        let lifetime = Duration::from_millis(200);
        let first = snapshots.get("k", lifetime, || async { Ok::<_, &str>(1) });
        assert_eq!(*first.await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(250)).await;

        let (refresher, release) = computing(&snapshots, "k", lifetime, 2).await;
        // While the next value is computed, others get the stale one at once and compute
        // nothing themselves.
        let other = snapshots.get::<i32, &str, _>("k", lifetime, || async {
            unreachable!("a second computation")
        });
        assert_eq!(*other.await.unwrap(), 1);
        release.notify_one();
        assert_eq!(refresher.await.unwrap(), 2);
        let after = snapshots.get("k", lifetime, || async { Ok::<_, &str>(3) });
        assert_eq!(*after.await.unwrap(), 2, "the new value is kept");

        tokio::time::sleep(Duration::from_millis(250)).await;
        let failed = snapshots.get::<i32, _, _>("k", lifetime, || async { Err("down") });
        assert_eq!(
            *failed.await.unwrap(),
            2,
            "a failed refresh serves the kept value"
        );
    }

    #[tokio::test]
    async fn a_slow_key_does_not_hold_up_another() {
        let snapshots = Arc::new(Snapshots::default());
        let (slow, release) = computing(&snapshots, "slow", Duration::from_secs(60), 1).await;
        let fast = snapshots.get("fast", Duration::from_secs(60), || async {
            Ok::<_, &str>(2)
        });
        let fast = tokio::time::timeout(Duration::from_secs(5), fast).await;
        assert_eq!(*fast.expect("not held up").unwrap(), 2);
        release.notify_one();
        assert_eq!(slow.await.unwrap(), 1);
    }
}
