//! Test harness: the real axum router (sessions, layers, server functions) over a fresh,
//! migrated database seeded with the demo data.

use std::{collections::HashMap, net::SocketAddr, sync::Arc};

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use partner_portal::{
    config::Settings,
    demo::{seed_demo, DEMO_PASSWORD},
    http::{leptos_options, router},
    state::AppState,
};
use sqlx::PgPool;
use tower::ServiceExt;
use uuid::Uuid;

pub const ADMIN: &str = "admin@demo.test";
pub const NW_OWNER: &str = "owner@northwind.demo.test";
pub const NW_MANAGER: &str = "manager@northwind.demo.test";
pub const NW_SALES: &str = "sales@northwind.demo.test";
pub const NW_SUPPORT: &str = "support@northwind.demo.test";
pub const NW_VIEWER: &str = "viewer@northwind.demo.test";
pub const CONTOSO_OWNER: &str = "owner@contoso.demo.test";
pub const FABRIKAM_OWNER: &str = "owner@fabrikam.demo.test";

/// The address requests come from unless a test says otherwise.
pub fn default_peer() -> SocketAddr {
    "127.0.0.1:40000".parse().unwrap()
}

pub struct TestApp {
    pub router: Router,
    pub pool: PgPool,
    /// What the router was built from, to build another.
    pub state: AppState,
}

/// What came back: status, headers and the body as text.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The session cookie this response sets (`name=value`), if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(|v| v.split(';').next().unwrap().to_string())
    }

    pub fn set_cookie_header(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("portal_session="))
            .map(str::to_string)
    }

    /// Where the server says to go next (the answer of sign-in, sign-out and the like).
    pub fn destination(&self) -> Option<String> {
        serde_json::from_str::<String>(&self.body).ok()
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    pub async fn new(pool: PgPool) -> Self {
        seed_demo(&pool).await.expect("demo data seeds");
        Self::unseeded(pool).await
    }

    pub async fn unseeded(pool: PgPool) -> Self {
        Self::with_env(pool, &HashMap::new()).await
    }

    /// An app whose settings come from `env` (environment variable names), over `pool`'s
    /// database. Requests go through the unprivileged app role (row-level security applies,
    /// as in production); `pool` itself (the owner) stays the test's, to set up and check.
    pub async fn with_env(pool: PgPool, env: &HashMap<String, String>) -> Self {
        let settings = Settings::from_sources("test", "", env).unwrap();
        let requests = request_pool_for(&pool, &settings).await;
        let state = AppState {
            pool: requests,
            leptos_options: leptos_options(&settings),
            settings: Arc::new(settings),
            metrics: Default::default(),
            references: Default::default(),
            snapshots: Default::default(),
        };
        Self {
            router: router(state.clone()),
            pool,
            state,
        }
    }

    /// Serves the router on a free port of 127.0.0.1, as the real server does, for clients
    /// that speak HTTP themselves (the command-line client); returns its address.
    pub async fn listen(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let service = self
            .router
            .clone()
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        addr
    }

    /// Sends `request` through the router. A request that gets no whole answer in two
    /// minutes fails its test with its method and path, rather than stalling the run (one
    /// full run once hung in a request here, and nothing said where).
    pub async fn send(&self, mut request: Request<Body>, peer: SocketAddr) -> Reply {
        request.extensions_mut().insert(ConnectInfo(peer));
        let what = format!("{} {}", request.method(), request.uri());
        let exchange = async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            Reply {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        };
        match tokio::time::timeout(std::time::Duration::from_secs(120), exchange).await {
            Ok(reply) => reply,
            Err(_) => panic!("{what} got no answer in 120 s"),
        }
    }

    /// Calls a server function the way the Leptos client does (form-encoded POST).
    pub async fn call(&self, cookie: Option<&str>, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_from(cookie, endpoint, form, default_peer(), &[])
            .await
    }

    pub async fn call_from(
        &self,
        cookie: Option<&str>,
        endpoint: &str,
        form: &[(&str, &str)],
        peer: SocketAddr,
        extra_headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in extra_headers {
            request = request.header(*name, *value);
        }
        let body = form_encode(form);
        self.send(request.body(Body::from(body)).unwrap(), peer)
            .await
    }

    /// A page, as a browser navigation would ask for it.
    pub async fn get_page(&self, cookie: Option<&str>, path: &str) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap(), default_peer())
            .await
    }

    /// A download as a browser follows its link: status, content type and the raw bytes.
    pub async fn get_bytes(
        &self,
        cookie: Option<&str>,
        path: &str,
    ) -> (StatusCode, String, Vec<u8>) {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let mut request = request.body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(default_peer()));
        let response = tokio::time::timeout(
            std::time::Duration::from_secs(120),
            self.router.clone().oneshot(request),
        )
        .await
        .unwrap_or_else(|_| panic!("GET {path} got no answer in 120 s"))
        .unwrap();
        let status = response.status();
        let kind = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, kind, bytes.to_vec())
    }

    /// Signs in with the demo password and returns the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let reply = self
            .call(
                None,
                "login",
                &[("input[email]", email), ("input[password]", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign-in of {email} failed: {}",
            reply.body
        );
        let cookie = reply
            .session_cookie()
            .expect("sign-in sets a session cookie");
        if !reply.body.contains("/login/two-factor") {
            return cookie;
        }
        // Admins (and anyone who turned it on) answer the second step, as their app would.
        let code = partner_portal::demo::two_factor::next_code(&self.pool, email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{email} has no demo authenticator key"));
        let second = self
            .call(Some(&cookie), "login/two-factor", &[("input[code]", &code)])
            .await;
        assert_eq!(
            second.status,
            StatusCode::OK,
            "second step of {email} failed: {}",
            second.body
        );
        second
            .session_cookie()
            .expect("the second step sets a session cookie")
    }

    pub async fn partner_id(&self, slug: &str) -> Uuid {
        sqlx::query_scalar("select id from partners where slug = $1")
            .bind(slug)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn client_id(&self, slug: &str) -> Uuid {
        sqlx::query_scalar("select id from clients where slug = $1")
            .bind(slug)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("select count(*) from audit_log where action = $1")
            .bind(action)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A browser's cookie jar for the session cookie: every response that sets the cookie
/// replaces it, as a real browser would.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub async fn signed_in(app: &'a TestApp, email: &str) -> Browser<'a> {
        Browser {
            app,
            cookie: Some(app.sign_in(email).await),
        }
    }

    fn remember(&mut self, reply: &Reply) {
        if let Some(set) = reply.set_cookie_header() {
            if set.contains("Max-Age=0") {
                self.cookie = None;
            } else {
                self.cookie = reply.session_cookie();
            }
        }
    }

    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let reply = self.app.call(self.cookie.as_deref(), endpoint, form).await;
        self.remember(&reply);
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let reply = self.app.get_page(self.cookie.as_deref(), path).await;
        self.remember(&reply);
        reply
    }

    /// The e-mail of whoever the session stands for now, and the real user's name if acting.
    pub async fn who(&mut self) -> (Option<String>, Option<String>) {
        let reply = self.call("whoami", &[]).await;
        let me: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        (
            me["email"].as_str().map(str::to_string),
            me["acting"]["real_name"].as_str().map(str::to_string),
        )
    }
}

/// The test's own pool on the database `#[sqlx::test]` made for it. Tests build their pool
/// here rather than take sqlx's injected one: that one borrows permits from a process-wide
/// master pool, which can strand them across the per-test runtimes and hang a test
/// (sqlx issue 2567).
pub async fn test_pool(connect: sqlx::postgres::PgConnectOptions) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_with(connect)
        .await
        .expect("the test database accepts connections")
}

/// The one session in the store (tests that use this sign in once), decoded as the
/// tower-sessions PostgreSQL store keeps it.
async fn the_session(app: &TestApp) -> (String, tower_sessions::session::Record) {
    let (id, data): (String, Vec<u8>) =
        sqlx::query_as("select id, data from tower_sessions.session")
            .fetch_one(&app.pool)
            .await
            .expect("exactly one session");
    (id, rmp_serde::from_slice(&data).unwrap())
}

/// A value the server keeps in the session.
pub async fn session_value(app: &TestApp, key: &str) -> serde_json::Value {
    let (_, record) = the_session(app).await;
    record.data.get(key).cloned().unwrap_or_default()
}

/// Changes a value in the session behind the server's back (to move time, say).
pub async fn set_session_value(app: &TestApp, key: &str, value: serde_json::Value) {
    let (id, mut record) = the_session(app).await;
    record.data.insert(key.to_string(), value);
    sqlx::query("update tower_sessions.session set data = $2 where id = $1")
        .bind(id)
        .bind(rmp_serde::to_vec(&record).unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
}

/// The pool requests use: `owner`'s database as the app role (which the test lets log in;
/// the local server trusts its connections, so the password does not matter), or `owner`
/// itself when it already is an unprivileged role.
async fn request_pool_for(owner: &PgPool, settings: &Settings) -> PgPool {
    use partner_portal::db::{request_pool, roles};
    let mut connection = owner.acquire().await.unwrap();
    if !roles::can_bypass_policies(&mut connection).await.unwrap() {
        return owner.clone();
    }
    let url = "postgres://postgres@127.0.0.1:5432/test";
    roles::enable_app_role(&mut connection, url, false)
        .await
        .unwrap();
    let options = roles::as_app_role(&owner.connect_options(), url);
    request_pool(options, 8, settings.database.statement_timeout_ms)
        .await
        .expect("the app role connects")
}

/// Log output kept in memory for a test to read (a `tracing_subscriber` writer).
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
