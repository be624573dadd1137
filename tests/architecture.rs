//! The shape of `src/`, read from the source: the module graph (which top-level module
//! names which), file sizes and lint allowances.
//!
//! A feature is a folder with pages or server functions. Features may depend on the shared
//! layers (`program`, `error`, `components`, the server's own `db`, `state`, `mail`, `audit`)
//! and on each other without a cycle; `program` depends on nothing of the crate but `error`;
//! shared UI (`components`) depends on no feature except `auth`, where the signed-in user's
//! context lives. `app`, `cli`, `http`, `demo` and `main` wire everything together and may name
//! anything.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Modules that wire the whole app together and so may depend on every feature.
const WIRING: [&str; 5] = ["app", "cli", "http", "demo", "main"];

#[test]
fn features_form_no_cycle() {
    let (graph, features) = read_graph(&src());
    let feature_graph: Graph = graph
        .iter()
        .filter(|(name, _)| features.contains(*name))
        .map(|(name, deps)| {
            let deps = deps.intersection(&features).cloned().collect();
            (name.clone(), deps)
        })
        .collect();
    if let Some(cycle) = find_cycle(&feature_graph) {
        panic!(
            "features import each other in a cycle: {}",
            cycle.join(" -> ")
        );
    }
    // The graph is not trivially empty: features do depend on each other and on `auth`.
    assert!(feature_graph.values().any(|deps| deps.contains("auth")));
}

#[test]
fn shared_layers_stay_below_the_features() {
    let (graph, features) = read_graph(&src());
    let program = &graph["program"];
    let allowed: BTreeSet<String> = ["error".to_string()].into();
    assert!(
        program.is_subset(&allowed),
        "program may depend only on error, but names {:?}",
        program.difference(&allowed).collect::<Vec<_>>()
    );
    let components_features: Vec<_> = graph["components"]
        .iter()
        .filter(|dep| features.contains(*dep) && dep.as_str() != "auth")
        .collect();
    assert!(
        components_features.is_empty(),
        "components may depend on no feature but auth, yet names {components_features:?}"
    );
    for shared in ["audit", "db", "mail", "state", "config", "error"] {
        let Some(deps) = graph.get(shared) else {
            continue;
        };
        let bad: Vec<_> = deps
            .iter()
            .filter(|d| features.contains(*d) || WIRING.contains(&d.as_str()))
            .collect();
        assert!(bad.is_empty(), "{shared} depends on {bad:?}");
    }
    for (name, deps) in &graph {
        if !WIRING.contains(&name.as_str()) {
            assert!(
                !deps.contains("app"),
                "{name} depends on app, which only wires the routes"
            );
        }
    }
}

/// Files stay small enough to read in one sitting; split by meaning when one grows.
const MAX_LINES: usize = 500;

#[test]
fn no_source_file_is_over_500_lines_or_allows_too_many_arguments() {
    let mut long = Vec::new();
    let mut allowances = Vec::new();
    let files = rust_files(&src());
    assert!(files.len() > 50, "found only {} files", files.len());
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(src()).unwrap().display().to_string();
        let lines = text.lines().count();
        if lines > MAX_LINES {
            long.push(format!("{name} ({lines} lines)"));
        }
        if text.contains("too_many_arguments") {
            allowances.push(name);
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
    assert!(
        allowances.is_empty(),
        "take one input struct instead of allowing too_many_arguments: {allowances:?}"
    );
}

#[test]
fn the_reader_finds_edges_in_every_form_of_path() {
    let text = r##"
        use crate::{auth::model::Perm, error::AppError};
        use crate::program::Tier; // crate::nothing_here in a comment
        /* crate::nor_here */
        fn f() { crate::audit::record(); let s = "crate::in_a_string"; let q = '"'; }
        let sql = r#"select "x" from crate::not_code"#; crate::state::pool();
        view! { <crate::branding::pages::BrandMark /> }
    "##;
    let found = references(text);
    let expected: BTreeSet<String> = ["auth", "error", "program", "audit", "branding", "state"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, expected);

    let mut graph = Graph::new();
    graph.insert("a".into(), ["b".into()].into());
    graph.insert("b".into(), ["c".into()].into());
    graph.insert("c".into(), ["a".into()].into());
    assert_eq!(find_cycle(&graph).unwrap().len(), 4);
    graph.get_mut("c").unwrap().clear();
    assert!(find_cycle(&graph).is_none());
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every top-level module's dependencies, and which of them are features.
fn read_graph(src: &Path) -> (Graph, BTreeSet<String>) {
    let mut graph = Graph::new();
    let mut features = BTreeSet::new();
    for entry in fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" {
            continue;
        }
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path.clone()]
        };
        let mut deps = BTreeSet::new();
        let mut is_feature = false;
        for file in &files {
            let text = fs::read_to_string(file).unwrap();
            is_feature |= path.is_dir()
                && (text.contains("#[server")
                    || file.file_stem().is_some_and(|s| s == "pages")
                    || file
                        .parent()
                        .is_some_and(|p| p.file_name().is_some_and(|n| n == "pages")));
            deps.extend(references(&text));
        }
        deps.remove(&name);
        if is_feature {
            features.insert(name.clone());
        }
        graph.insert(name, deps);
    }
    assert!(
        features.len() >= 8,
        "expected the feature folders, found {features:?}"
    );
    (graph, features)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level modules a source text names through `crate::`, outside comments and
/// string literals, including grouped imports (`crate::{a::x, b}`).
fn references(text: &str) -> BTreeSet<String> {
    let code = strip_comments_and_strings(text);
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `partner_portal_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && !c.is_whitespace() => {
                        found.insert(ident_at(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident_at(rest));
        }
    }
    found.remove("");
    found.remove("self");
    found
}

fn ident_at(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The text with comments and the contents of string and character literals blanked out
/// (raw strings such as SQL with `"` inside included).
fn strip_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && !prev_ident
            && (at(i + 1) == '"' || (at(i + 1) == '#' && at(i + 2) == '"'))
        {
            let hashes = if at(i + 1) == '#' { 1 } else { 0 };
            i += 2 + hashes;
            while i < chars.len() && !(chars[i] == '"' && (hashes == 0 || at(i + 1) == '#')) {
                i += 1;
            }
            i += 1 + hashes;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && at(i + 1) == '\\' {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A cycle in `graph` as a path that starts and ends at the same module, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}
