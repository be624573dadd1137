//! The site's own files: `/pkg` (the WebAssembly bundle and its chunks, the scripts that load
//! them, the stylesheet) and `/vendor` (ECharts). Served from the files cargo-leptos built, in
//! the pre-compressed form the browser accepts (brotli, then gzip, then plain), with a cache
//! lifetime that matches how the files are named.
//!
//! A build with hashed file names (`hash-files`, every build by cargo-leptos) puts the content
//! in the name, so a file under `/pkg` never changes under its name: browsers keep it for a
//! year and never ask again. Without hashes (a plain `cargo build`) the names stay the same
//! from one build to the next, and browsers must ask before they reuse a file (`no-cache`,
//! answered 304 from the file's modification time). Vendored files change only when their
//! version does, under the same name: a day.

use std::path::Path;

use axum::{
    http::{header, HeaderValue, Response},
    Router,
};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// Cache lifetime of files whose name carries their content's hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files whose name stays the same across builds: reuse only after asking.
pub const REVALIDATE: &str = "no-cache";
/// Vendored files: renamed never, changed rarely.
pub const VENDORED: &str = "public, max-age=86400";

/// The `/pkg` and `/vendor` routes, serving those folders of `site_root`.
pub fn site_routes<S: Clone + Send + Sync + 'static>(site_root: &Path, hashed: bool) -> Router<S> {
    Router::new()
        .nest_service(
            "/pkg",
            files(
                &site_root.join("pkg"),
                if hashed { IMMUTABLE } else { REVALIDATE },
            ),
        )
        .nest_service("/vendor", files(&site_root.join("vendor"), VENDORED))
}

fn files(
    dir: &Path,
    lifetime: &'static str,
) -> SetResponseHeader<ServeDir, impl Fn(&Response<ServeBody>) -> Option<HeaderValue> + Clone> {
    let lifetime = HeaderValue::from_static(lifetime);
    // Only files found get a lifetime: a missing file's 404 is not worth keeping.
    let cache_control = move |response: &Response<ServeBody>| {
        let found = response.status().is_success() || response.status().as_u16() == 304;
        found.then(|| lifetime.clone())
    };
    tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            cache_control,
        ))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

type ServeBody = tower_http::services::fs::ServeFileSystemResponseBody;
type SetResponseHeader<S, M> = tower_http::set_header::SetResponseHeader<S, M>;
