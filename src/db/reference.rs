//! Reference data (the plan list) cached in the server and dropped when its table changes.
//!
//! A statement trigger on each cached table sends `NOTIFY reference_changed`; the listener
//! task ([`ReferenceCache::listen`]) hears it and moves the generation on, so the next read
//! loads the table again. A cache that might have missed a change caches nothing: until the
//! listener is connected and listening (at start, and after it loses its connection until
//! it has listened again), every read goes to the database.

use std::{
    any::Any,
    collections::HashMap,
    future::Future,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use sqlx::{postgres::PgListener, PgPool};

/// The channel the tables' triggers notify.
pub const CHANNEL: &str = "reference_changed";

type Entry = (u64, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct ReferenceCache {
    listening: AtomicBool,
    /// Moves on with every change heard and every (re)connection.
    generation: AtomicU64,
    entries: Mutex<HashMap<&'static str, Entry>>,
}

impl ReferenceCache {
    /// `table`'s data as `load` reads it, from the cache while no change has been heard.
    pub async fn get<T, F, Fut>(&self, table: &'static str, load: F) -> sqlx::Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = sqlx::Result<T>>,
    {
        // Read before loading: a change heard while loading leaves this load uncached.
        let generation = self.generation.load(Ordering::Acquire);
        let listening = self.listening.load(Ordering::Acquire);
        if listening {
            if let Some(hit) = self.cached(table, generation) {
                return Ok(hit);
            }
        }
        let value = Arc::new(load().await?);
        if listening {
            if let Ok(mut entries) = self.entries.lock() {
                entries.insert(
                    table,
                    (generation, value.clone() as Arc<dyn Any + Send + Sync>),
                );
            }
        }
        Ok(value)
    }

    fn cached<T: Send + Sync + 'static>(&self, table: &str, generation: u64) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let (stored, value) = entries.get(table)?;
        (*stored == generation)
            .then(|| value.clone().downcast::<T>().ok())
            .flatten()
    }

    /// Whether reads are being cached (the listener is listening).
    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    fn forget(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Listens for changes for as long as the task runs (spawn it), on a connection of its
    /// own opened like `pool`'s; reconnects a second after losing it.
    pub async fn listen(self: Arc<Self>, pool: PgPool) {
        loop {
            match PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    // No reconnection inside sqlx: a lost connection must come back here, so
                    // that the cache is dropped before a new session listens.
                    listener.eager_reconnect(false);
                    match listener.listen(CHANNEL).await {
                        Ok(()) => {
                            self.forget();
                            self.listening.store(true, Ordering::Release);
                            // `None`: the connection is gone, and changes may go unheard.
                            while let Ok(Some(_)) = listener.try_recv().await {
                                self.forget();
                            }
                            tracing::warn!("the reference data listener lost its connection");
                        }
                        Err(error) => {
                            tracing::warn!(%error, "cannot listen for reference data changes")
                        }
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot connect to listen for reference data changes")
                }
            }
            self.listening.store(false, Ordering::Release);
            self.forget();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
