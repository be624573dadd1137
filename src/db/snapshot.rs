//! Figures that may lag a few seconds, computed at most once per lifetime and shared by every
//! request: a page that adds up the whole program (the admin overview reads every partner's
//! figures) costs one computation per lifetime, not one per view. One computation runs at a
//! time; requests that arrive meanwhile wait for it and share its answer, so a burst of views
//! after the lifetime ends does not start a burst of computations. A failed computation is not
//! kept.

use std::{
    any::Any,
    collections::HashMap,
    future::Future,
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::Mutex;

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct Snapshots(Mutex<HashMap<&'static str, Entry>>);

impl Snapshots {
    /// The value kept under `key` if it is younger than `lifetime`, else `compute`'s.
    pub async fn get<T, E, F>(
        &self,
        key: &'static str,
        lifetime: Duration,
        compute: impl FnOnce() -> F,
    ) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        F: Future<Output = Result<T, E>>,
    {
        let mut kept = self.0.lock().await;
        if let Some((at, value)) = kept.get(key) {
            if at.elapsed() < lifetime {
                if let Ok(value) = Arc::clone(value).downcast::<T>() {
                    return Ok(value);
                }
            }
        }
        let value = Arc::new(compute().await?);
        kept.insert(
            key,
            (Instant::now(), value.clone() as Arc<dyn Any + Send + Sync>),
        );
        Ok(value)
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
        let compute = || async { Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst) + 1) };
        let long = Duration::from_secs(60);
        assert_eq!(*snapshots.get("k", long, compute).await.unwrap(), 1);
        assert_eq!(*snapshots.get("k", long, compute).await.unwrap(), 1, "kept");
        assert_eq!(
            *snapshots.get("k", Duration::ZERO, compute).await.unwrap(),
            2,
            "expired"
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
                        Ok::<_, ()>(runs.fetch_add(1, Ordering::SeqCst))
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
}
