//! Partner Portal: one Leptos app, rendered on the server and hydrated in the browser.
//!
//! Feature folders hold their model (shared with the browser), server functions, SQL and
//! pages; `http`, `db` and `demo` are the server's own.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod app;
pub mod applications;
pub mod audit;
pub mod audit_viewer;
pub mod auth;
pub mod branding;
pub mod certifications;
pub mod clients;
pub mod commissions;
pub mod components;
pub mod deals;
pub mod error;
pub mod governance;
pub mod health;
pub mod impersonation;
pub mod invitations;
pub mod landing;
pub mod leads;
pub mod page_data;
pub mod partners;
pub mod portal;
pub mod program;
pub mod recovery;
pub mod team;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod licenses;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod state;

/// Room in the WebAssembly's read-only data that no code uses. The split build (cargo-leptos's
/// wasm-split) repacks the constants of each chunk, each chunk's share rounded up to the
/// segment's alignment; when the repacked segment comes out longer than the original (a few
/// bytes of rounding per chunk, with about two hundred chunks), it gives up and puts the whole
/// segment, every page's constants, in the main bundle. That once took the sign-in bundle from
/// 380 to 438 KB gzip. Kept by the linker (`#[used]`) but referenced by nothing, this array is
/// copied into no chunk: it only leaves the repacking room, and costs no download.
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
#[used]
static SPLIT_ROOM: [u8; 8192] = [0x5a; 8192];

/// Entry point of the WebAssembly bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // What `leptos::mount::hydrate_lazy` does, plus a marker once the whole page is live: the
    // lazy route's chunk loaded and its page hydrated, not only the frame around it. The
    // browser tests wait for `data-hydrated` before they type, so that hydration never lands
    // on a form they have already filled in.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
