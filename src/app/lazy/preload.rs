//! The files of a lazy group, named in the page's head (`<link rel="preload">`) on a first
//! visit, so that the browser fetches them beside the main bundle rather than after it has
//! run. The split build's manifest (`pkg/__wasm_split_manifest*.json`) lists each split
//! point's files; it is read once. Without a split build (tests) there is nothing to name.
//!
//! (Leptos emits these links itself for `#[lazy]` functions a page calls, but looks for the
//! manifest where the page's context cannot see it, so it never does.)

use std::{collections::HashMap, path::Path, sync::OnceLock};

use leptos::prelude::*;
use leptos_meta::Link;

/// Each split point's files (names without `.wasm`), by split point: the `#[lazy]`
/// function's name and a number.
type Manifest = HashMap<String, Vec<String>>;

fn manifest(site_root: &str) -> &'static Manifest {
    static MANIFEST: OnceLock<Manifest> = OnceLock::new();
    MANIFEST.get_or_init(|| read(&Path::new(site_root).join("pkg")).unwrap_or_default())
}

fn read(pkg: &Path) -> Option<Manifest> {
    let file = std::fs::read_dir(pkg).ok()?.flatten().find(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with("__wasm_split_manifest") && name.ends_with(".json")
    })?;
    serde_json::from_str(&std::fs::read_to_string(file.path()).ok()?).ok()
}

/// The files of split point `group` (a `#[lazy]` function's name).
fn files<'a>(manifest: &'a Manifest, group: &str) -> &'a [String] {
    manifest
        .iter()
        .find(|(name, _)| {
            name.trim_start_matches('_')
                .strip_prefix(group)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .map_or(&[], |(_, files)| files.as_slice())
}

/// Puts preload links for the files of `group` in the page's head. Rendering a meta tag to
/// HTML registers it with the page's head and writes nothing where it is called, so the page's
/// body, which the browser hydrates, stays as it is without them.
pub fn register(group: &str) {
    let Some(state) = use_context::<crate::state::AppState>() else {
        return;
    };
    let options = &state.leptos_options;
    let pkg = format!("/{}", options.site_pkg_dir);
    for file in files(manifest(&options.site_root), group) {
        let _ = view! {
            <Link
                rel="preload"
                href=format!("{pkg}/{file}.wasm")
                as_="fetch"
                type_="application/wasm"
                crossorigin="anonymous"
            />
        }
        .to_html();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_found_by_its_function_name_and_nothing_else() {
        let manifest: Manifest = serde_json::from_str(
            r#"{"client_list_123": ["chunk_1.a", "split_client_list.b"],
                "__client_detail_456": ["chunk_1.a", "split_client_detail.c"],
                "client_list_extra_789": ["x"]}"#,
        )
        .unwrap();
        assert_eq!(
            files(&manifest, "client_list"),
            ["chunk_1.a", "split_client_list.b"]
        );
        assert_eq!(
            files(&manifest, "client_detail"),
            ["chunk_1.a", "split_client_detail.c"]
        );
        assert!(files(&manifest, "client").is_empty());
        assert!(files(&manifest, "branding").is_empty());
    }

    #[test]
    fn the_manifest_is_read_from_the_split_build_and_missing_without_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).is_none());
        std::fs::write(
            dir.path().join("__wasm_split_manifest.AbC.json"),
            r#"{"apply_1": ["chunk_2.z"]}"#,
        )
        .unwrap();
        let manifest = read(dir.path()).unwrap();
        assert_eq!(files(&manifest, "apply"), ["chunk_2.z"]);
    }
}
