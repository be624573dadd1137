//! What `/metrics` reports, in the Prometheus text format: requests and their latency by
//! route, requests shed under overload, the monthly close's duration, and, read at scrape
//! time, the database pool, the e-mail outbox and the password hashes running. Each app
//! state owns its registry (no process-wide recorder), so tests can read their own.

use std::sync::Mutex;

use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    pub state: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latency buckets from 5 ms to about 20 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

pub struct Metrics {
    registry: Mutex<Registry>,
    pub requests: Family<RouteLabels, Counter>,
    pub latency: HistogramFamily<RouteLabels>,
    pub shed: Counter,
    pub close_seconds: Histogram,
    pool_connections: Family<PoolLabels, Gauge>,
    outbox_depth: Gauge,
    hashes_running: Gauge,
}

/// What is read from elsewhere when `/metrics` is asked for.
pub struct Snapshot {
    pub pool_in_use: i64,
    pub pool_idle: i64,
    pub pool_max: i64,
    pub outbox_depth: i64,
    pub hashes_running: i64,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("portal");
        let requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        let latency = HistogramFamily::<RouteLabels>::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to the response's head, by method, route and status",
            latency.clone(),
        );
        let shed = Counter::default();
        registry.register(
            "http_requests_shed",
            "Requests answered 503 because the server was at its limit of requests in flight",
            shed.clone(),
        );
        let close_seconds = Histogram::new(exponential_buckets(0.1, 2.0, 12));
        registry.register(
            "close_duration_seconds",
            "Duration of the monthly close",
            close_seconds.clone(),
        );
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this server, by state (in_use, idle, max)",
            pool_connections.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "mail_outbox_depth",
            "E-mails waiting in the outbox",
            outbox_depth.clone(),
        );
        let hashes_running = Gauge::default();
        registry.register(
            "password_hashes_running",
            "Password hashes running now",
            hashes_running.clone(),
        );
        Self {
            registry: Mutex::new(registry),
            requests,
            latency,
            shed,
            close_seconds,
            pool_connections,
            outbox_depth,
            hashes_running,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, labels: RouteLabels, seconds: f64) {
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// The text exposition, with the gauges set from `now`.
    pub fn render(&self, now: &Snapshot) -> String {
        for (state, value) in [
            ("in_use", now.pool_in_use),
            ("idle", now.pool_idle),
            ("max", now.pool_max),
        ] {
            self.pool_connections
                .get_or_create(&PoolLabels { state })
                .set(value);
        }
        self.outbox_depth.set(now.outbox_depth);
        self.hashes_running.set(now.hashes_running);
        let mut text = String::new();
        let registry = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(error) = encode(&mut text, &registry) {
            tracing::error!(%error, "metrics could not be written");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_and_the_gauges_read_at_scrape_time() {
        let metrics = Metrics::default();
        let labels = RouteLabels {
            method: "GET".into(),
            route: "/partner".into(),
            status: 200,
        };
        metrics.observe(labels.clone(), 0.02);
        metrics.observe(labels, 0.03);
        let text = metrics.render(&Snapshot {
            pool_in_use: 3,
            pool_idle: 2,
            pool_max: 10,
            outbox_depth: 7,
            hashes_running: 1,
        });
        assert!(
            text.contains(
                r#"portal_http_requests_total{method="GET",route="/partner",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"portal_db_pool_connections{state="in_use"} 3"#),
            "{text}"
        );
        assert!(text.contains("portal_mail_outbox_depth 7"), "{text}");
        assert!(
            text.contains("portal_http_request_duration_seconds_count{"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
