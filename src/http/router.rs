//! Builds the axum router: Leptos pages and server functions, health checks, sessions and
//! the security layers, in the order they must run.

use std::{net::SocketAddr, sync::Arc};

use axum::{middleware, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use super::{api_status, assets, health, hosts, observe, security};
use crate::{
    app::{shell, App},
    config::{RunEnv, Settings},
    state::AppState,
};

/// Name of the session cookie over plain http (development, tests).
pub const SESSION_COOKIE: &str = "portal_session";
/// Name of the session cookie over https: the `__Host-` prefix makes browsers refuse it
/// unless it is Secure, for the whole site, and set by this very host (no Domain), so that
/// a sibling subdomain cannot plant or overwrite it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-portal_session";

/// Leptos options from our settings (cargo-leptos's own variables are read by `Settings`).
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("partner-portal")
        .site_root(settings.site.root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        // cargo-leptos names the built files after their content and says so while it
        // compiles the server; the server then reads the names from the hash file beside it.
        .hash_files(option_env!("LEPTOS_HASH_FILES") == Some("true"))
        .site_addr(settings.site.addr)
        .env(match settings.site.env {
            RunEnv::Dev => leptos::config::Env::DEV,
            RunEnv::Prod => leptos::config::Env::PROD,
        })
        .build()
}

/// The pages' routes, listed once per process. Listing them runs the app with resource
/// loading switched off by a process-wide flag (leptos_router's `SuppressResourceLoad`), and a
/// resource that first polls while the flag is up waits forever: a page rendered by one
/// router while another router was being built hung (leptos issue 4773). Only tests build
/// several routers, but they run in parallel.
static ROUTES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
    std::sync::LazyLock::new(|| generate_route_list(App));

/// The whole application as one router, ready to serve or to drive from tests.
pub fn router(state: AppState) -> Router {
    let settings = Arc::clone(&state.settings);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(crate::auth::guard::RequestPrincipal::default());
            provide_context(crate::db::scope::RequestScope::default());
            security::provide_page_csp();
        }
    };
    let sessions = SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name(if settings.site.is_https() {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        })
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.site.is_https())
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            settings.session.idle_minutes,
        )));

    let routes = ROUTES.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(observe::metrics))
        .merge(downloads())
        .route(
            "/partner/branding/assets",
            axum::routing::post(crate::branding::assets::upload).layer(
                axum::extract::DefaultBodyLimit::max(crate::branding::assets::UPLOAD_BODY_LIMIT),
            ),
        )
        .route(
            "/admin/leads/import",
            axum::routing::post(crate::leads::import::import).layer(
                axum::extract::DefaultBodyLimit::max(
                    crate::leads::model::IMPORT_BYTES_MAX + 64 * 1024,
                ),
            ),
        )
        .route(
            "/brand-assets/{id}/{file}",
            get(crate::branding::assets::serve),
        )
        .route(
            "/impersonate/{token}",
            get(crate::impersonation::enter::enter),
        )
        .merge(crate::api::routes(&state))
        .merge(assets::site_routes(&settings.site.root, options.hash_files))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .route_layer(middleware::from_fn(observe::name_route))
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(api_status::status_from_app_error))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::sign_in_redirect::send_anonymous_to_sign_in,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::impersonation::layer::enforce,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::lifetime::enforce,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(security::refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            hosts::allow_known_hosts,
        ))
        .layer(middleware::from_fn_with_state(
            settings,
            security::security_headers,
        ))
        .layer(CompressionLayer::new())
        // Past the limit of requests in flight, an immediate 503 rather than a queue.
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(
                    observe::shed_handler(state.clone()),
                ))
                .layer(tower::load_shed::LoadShedLayer::new())
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    state.settings.site.max_in_flight,
                )),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            observe::track,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        // Outermost: every request gets an id (or keeps the one a proxy gave it), which its
        // span carries into every log line and the response echoes back.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The downloads, each as CSV and as Excel (`.csv`, `.xlsx`): one handler, told the format;
/// and statements as PDF invoices.
fn downloads() -> Router<AppState> {
    use crate::program::download::Format;
    use axum::{handler::Handler, Extension};
    fn both<H, T>(router: Router<AppState>, stem: &str, handler: H) -> Router<AppState>
    where
        H: Handler<T, AppState> + Clone,
        T: 'static,
    {
        router
            .route(
                &format!("{stem}.csv"),
                get(handler.clone().layer(Extension(Format::Csv))),
            )
            .route(
                &format!("{stem}.xlsx"),
                get(handler.layer(Extension(Format::Xlsx))),
            )
    }
    let router = Router::new();
    let router = both(
        router,
        "/partner/clients/export",
        crate::clients::export::export_clients,
    );
    let router = both(
        router,
        "/partner/audit/export",
        crate::audit_viewer::export::export_partner_log,
    );
    let router = both(
        router,
        "/admin/partners/export",
        crate::admin::export::export_partners,
    );
    let router = both(
        router,
        "/admin/leaderboard",
        crate::health::export::export_leaderboard,
    );
    let router = both(
        router,
        "/admin/audit/export",
        crate::audit_viewer::export::export_program_log,
    );
    both(
        router,
        "/partner/commissions/{month}/statement",
        crate::commissions::export::export_statement,
    )
    .route(
        "/partner/commissions/{month}/statement.pdf",
        get(crate::commissions::invoice::statement_pdf),
    )
}

/// The span of one request: its id first, so that every log line written while serving it
/// (server functions' spans included) names the request.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Serves `app` on the configured address until Ctrl-C or SIGTERM.
pub async fn serve(app: Router, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve_on(app, listener, shutdown_signal()).await
}

/// Serves `app` on `listener` until `shutdown` completes; then stops accepting connections
/// and finishes the requests in flight before returning (graceful shutdown).
pub async fn serve_on(
    app: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
