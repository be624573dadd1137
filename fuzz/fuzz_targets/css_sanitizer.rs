//! The custom CSS sanitizer on any input: it never panics, and what it keeps never fetches
//! anything but the partner's own uploads and cannot close the `<style>` element.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partner_portal::branding::css::{fetches, sanitize};

const SCOPE: &str = "[data-brand-root]";

fuzz_target!(|source: &str| {
    let allowed = vec!["/brand-assets/00000000-0000-0000-0000-000000000001/0123456789abcdef.png".to_string()];
    let kept = sanitize(source, SCOPE, &allowed);
    if let Some(fetch) = fetches(&kept.css, &allowed) {
        panic!("kept CSS fetches {fetch:?}: {:?}", kept.css);
    }
    assert!(
        !kept.css.to_ascii_lowercase().contains("</style"),
        "kept CSS closes <style>: {:?}",
        kept.css
    );
    // Sanitizing what was kept keeps it all: nothing unsafe hides behind a first pass.
    let again = sanitize(&kept.css, SCOPE, &allowed);
    assert!(fetches(&again.css, &allowed).is_none());
});
