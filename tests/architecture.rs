//! The shape of the code, checked: the import graph between source files has no cycles, and
//! imports point one way through the layers (docs/ARCHITECTURE.md):
//! domain ← taxonomy, matching, parser ← store ← service ← api, import, cli.
//!
//! The graph is read from the sources: every `crate::…`, `super::…` and `self::…` path in a
//! file (in `use` items and inline) is an edge to the file of the longest module it names.
//! `mod x;` declarations and `pub use` re-exports are not imports. Test modules (`tests*.rs`, `#[cfg(test)]` blocks
//! at the end of a file) are left out: they may reach anywhere.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file's module path (`api::auth` for `src/api/auth.rs`, `api` for `src/api/mod.rs`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its trailing `#[cfg(test)]` module, comments and re-exports
/// (`pub use child::Item` is a module's public face, not something its code depends on).
fn production_code(text: &str) -> String {
    // The inline test module (`#[cfg(test)] mod tests { … }`), not `#[cfg(test)] mod x;` lines.
    let inline_tests = text
        .match_indices("\n#[cfg(test)]\nmod ")
        .find(|(i, m)| text[i + m.len()..].lines().next().is_some_and(|l| l.trim_end().ends_with('{')));
    let cut = inline_tests.map_or(text, |(i, _)| &text[..i]);
    cut.lines()
        .filter(|l| {
            let t = l.trim_start();
            !t.starts_with("//") && !t.starts_with("pub use ") && !t.starts_with("pub(crate) use ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path the code refers to, resolved against `here` (the file's module);
/// `children` are the names of the file's child modules, which a `mod.rs` names bare.
fn references(code: &str, here: &[String], children: &[String]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for child in children {
        let needle = format!("{child}::");
        if code.match_indices(&needle).any(|(i, _)| i == 0 || !(ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            let mut m = here.to_vec();
            m.push(child.clone());
            out.insert(m);
        }
    }
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(start) {
            if i > 0 && (ident(bytes[i - 1]) || bytes[i - 1] == b':') {
                continue;
            }
            // Read `a::b::{c, d::e}` loosely: the path up to the first brace, plus each
            // brace item's first segment.
            let rest = &code[i..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let mut path: Vec<String> = rest[..end].split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
            let base: Vec<String> = match path.first().map(String::as_str) {
                Some("crate") => Vec::new(),
                Some("self") => here.to_vec(),
                Some("super") => {
                    let mut ups = 0;
                    while path.get(ups).is_some_and(|s| s == "super") {
                        ups += 1;
                    }
                    path.drain(..ups - 1);
                    here[..here.len().saturating_sub(ups)].to_vec()
                }
                _ => continue,
            };
            path.remove(0);
            let mut full = base;
            full.extend(path);
            let after = &rest[end..];
            // `use a::{b, c}` refers to `a::b` and `a::c`, not to `a` itself.
            if after.starts_with('{') {
                let inner = &after[1..after.find('}').unwrap_or(after.len())];
                for item in inner.split(',') {
                    let first = item.trim().split("::").next().unwrap_or("").trim().to_string();
                    if !first.is_empty() && first != "self" {
                        let mut f = full.clone();
                        f.push(first);
                        out.insert(f);
                    }
                }
            } else {
                out.insert(full);
            }
        }
    }
    out
}

/// The import graph: file module → the file modules it refers to (itself left out).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeMap<Vec<String>, PathBuf> = all.iter().map(|f| (module_of(&src, f), f.clone())).collect();
    let mut g = BTreeMap::new();
    for (module, file) in &modules {
        let name = file.file_name().unwrap().to_string_lossy();
        if name.starts_with("tests") || module.is_empty() || module == &["main".to_string()] {
            continue;
        }
        let is_mod_file = name == "mod.rs";
        let children: Vec<String> = if is_mod_file {
            modules
                .keys()
                .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
                .map(|m| m[module.len()].clone())
                .collect()
        } else {
            Vec::new()
        };
        let code = production_code(&std::fs::read_to_string(file).unwrap());
        let mut targets = BTreeSet::new();
        for r in references(&code, module, &children) {
            // The longest prefix that is a file module.
            let target = (1..=r.len()).rev().map(|n| r[..n].to_vec()).find(|p| modules.contains_key(p));
            if let Some(t) = target
                && &t != module
            {
                targets.insert(t.join("::"));
            }
        }
        g.insert(module.join("::"), targets);
    }
    g
}

/// The layer of a file module: its top-level module's rank.
fn layer(module: &str) -> Option<(u8, &'static str)> {
    let top = module.split("::").next()?;
    Some(match top {
        "domain" => (0, "domain"),
        "taxonomy" | "matching" | "parser" => (1, "taxonomy/matching/parser"),
        "store" => (2, "store"),
        "service" | "auth" | "webhooks" | "ratelimit" | "metrics" | "telemetry" | "config" => (3, "service"),
        "api" | "import" | "cli" | "demo" | "startup" => (4, "api/import/cli"),
        _ => return None,
    })
}

#[test]
fn imports_point_down_the_layers() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        let Some((lf, nf)) = layer(from) else {
            wrong.push(format!("{from}: not in any layer (add its folder to docs/ARCHITECTURE.md and here)"));
            continue;
        };
        for to in tos {
            if let Some((lt, nt)) = layer(to)
                && lt > lf
            {
                wrong.push(format!("{from} ({nf}) imports {to} ({nt}), a layer above it"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn no_source_files_import_each_other_in_a_cycle() {
    let g = graph();
    // Tarjan-free: a cycle exists iff some file reaches itself; report each strongly
    // connected group once.
    let reach = |start: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.to_string()];
        while let Some(n) = stack.pop() {
            for m in g.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = g.keys().map(|k| (k, reach(k))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for (k, r) in &reaches {
        if r.contains(*k) {
            let group: Vec<String> =
                r.iter().filter(|m| reaches.get(m).is_some_and(|rm| rm.contains(*k))).cloned().collect();
            groups.insert(group);
        }
    }
    let report: Vec<String> = groups.iter().map(|g| format!("  {} files: {}", g.len(), g.join(", "))).collect();
    assert!(groups.is_empty(), "import cycles between source files:\n{}", report.join("\n"));
}

/// Handlers parse, call the service and render: they take no lock of the service's state and
/// reach into no index (the service's read path does both, `service::rankings`).
#[test]
fn handlers_take_no_locks_and_reach_into_no_index() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut all = Vec::new();
    files(&api, &mut all);
    let mut wrong = Vec::new();
    for file in all {
        let code = production_code(&std::fs::read_to_string(&file).unwrap());
        for needle in ["engine.read()", "engine.write()", "skills.read()", ".lock()", "state.engine."] {
            if code.contains(needle) {
                wrong.push(format!("{}: {needle}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "handlers holding locks or reaching into the index:\n{}", wrong.join("\n"));
}

/// The edge's parts stand side by side: the importer's library (`import::file`,
/// `import::json_resume`) and the handlers use no code of each other. Entry points that wire
/// the service together (`main`, `startup`, `import::cli`) may use both.
#[test]
fn the_importer_and_the_handlers_do_not_reach_into_each_other() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        let importer = from.starts_with("import::") && from != "import::cli";
        let handler = from == "api" || from.starts_with("api::");
        for to in tos {
            if (importer && (to == "api" || to.starts_with("api::"))) || (handler && to.starts_with("import::cli")) {
                wrong.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "edge modules reaching into each other:\n{}", wrong.join("\n"));
}

/// Handlers reach the store's record writes only through the service's write path
/// (`service::writes`: validation, outbox, index, `match.found`), never by calling the
/// store's life cycle themselves.
#[test]
fn handlers_write_records_only_through_the_service() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut all = Vec::new();
    files(&api, &mut all);
    let mut wrong = Vec::new();
    for file in all {
        let code = production_code(&std::fs::read_to_string(&file).unwrap());
        for write in ["create", "replace", "upsert", "delete", "delete_by_source", "batch"] {
            for needle in [format!(".{write}::<"), format!("store.{write}(")] {
                if code.contains(&needle) {
                    wrong.push(format!("{}: {needle}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "handlers calling the store's record writes:\n{}", wrong.join("\n"));
}
