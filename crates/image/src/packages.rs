//! Installed packages, read from the package databases and lock files visible in the merged
//! filesystem: dpkg (`var/lib/dpkg/status`, distroless `var/lib/dpkg/status.d/*`), apk
//! (`lib/apk/db/installed`) and the common language lock/manifest files.
//!
//! rpm is not read: its databases are Berkeley DB, NDB or SQLite files (`var/lib/rpm`,
//! `usr/lib/sysimage/rpm/rpmdb.sqlite`), and reading them needs a database engine that this
//! dependency-free, wasm-built core does not carry.
//!
//! The scanner captures the files [`wants`] names; [`packages`] reads the captured content of
//! the copy visible in the merged tree. Parsers take any bytes: they never panic, and their work
//! is linear in the content (the scanner bounds its size).

use serde::Serialize;

use crate::merge::Merged;
use crate::model::{CapturedFile, EntryKind, LayerEntries};

/// One installed package or locked dependency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    /// `dpkg`, `apk`, `npm`, `yarn`, `pip`, `poetry`, `go`, `cargo` or `gem`.
    pub manager: &'static str,
    pub name: String,
    /// `None` when the file names the package without pinning a version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The layer that wrote the database or lock file read.
    pub layer: usize,
    /// The database or lock file read.
    pub path: String,
}

/// The file formats [`packages`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Dpkg,
    Apk,
    NpmLock,
    YarnLock,
    PipRequirements,
    PoetryLock,
    GoSum,
    CargoLock,
    GemfileLock,
}

fn source(path: &str) -> Option<Source> {
    if path == "var/lib/dpkg/status" {
        return Some(Source::Dpkg);
    }
    if let Some(name) = path.strip_prefix("var/lib/dpkg/status.d/") {
        // distroless: one stanza file per package, next to its `.md5sums`.
        let wanted = !name.is_empty() && !name.contains('/') && !name.ends_with(".md5sums");
        return wanted.then_some(Source::Dpkg);
    }
    if path == "lib/apk/db/installed" {
        return Some(Source::Apk);
    }
    let base = path.rsplit('/').next().unwrap_or(path);
    match base {
        "package-lock.json" => Some(Source::NpmLock),
        "yarn.lock" => Some(Source::YarnLock),
        "poetry.lock" => Some(Source::PoetryLock),
        "go.sum" => Some(Source::GoSum),
        "Cargo.lock" => Some(Source::CargoLock),
        "Gemfile.lock" => Some(Source::GemfileLock),
        _ if base.starts_with("requirements") && base.ends_with(".txt") => {
            Some(Source::PipRequirements)
        }
        _ => None,
    }
}

/// Whether the scanner should capture the content of the regular file at `path` (normalised
/// like `Entry::path`) for [`packages`].
pub fn wants(path: &str) -> bool {
    source(path).is_some()
}

/// The packages named by every package database and lock file visible in `merged`, read from
/// the captured content of the visible copy; files without captured content are skipped.
/// Sorted by path, then in file order.
pub fn packages(layers: &[&LayerEntries], merged: &Merged) -> Vec<Package> {
    let mut found = Vec::new();
    // Only captured files can be read: list the visible ones, in path order.
    let mut visible: Vec<(&str, usize, Source, &CapturedFile)> = Vec::new();
    for (layer_index, layer) in layers.iter().enumerate() {
        for captured in &layer.captured {
            let Some(entry) = layer.entries.get(captured.entry) else {
                continue;
            };
            if entry.kind != EntryKind::File
                || !merged.is_visible(&entry.path, layer_index, captured.entry)
            {
                continue;
            }
            if let Some(kind) = source(&entry.path) {
                visible.push((&entry.path, layer_index, kind, captured));
            }
        }
    }
    // Stable: a path captured twice keeps its first capture.
    visible.sort_by(|a, b| a.0.cmp(b.0));
    visible.dedup_by(|b, a| a.0 == b.0);
    for (path, layer, kind, captured) in visible {
        let text = String::from_utf8_lossy(&captured.bytes);
        let (manager, parsed) = match kind {
            Source::Dpkg => ("dpkg", parse_dpkg(&text)),
            Source::Apk => ("apk", parse_apk(&text)),
            Source::NpmLock => ("npm", parse_npm_lock(&text)),
            Source::YarnLock => ("yarn", parse_yarn_lock(&text)),
            Source::PipRequirements => ("pip", parse_requirements(&text)),
            Source::PoetryLock => ("poetry", parse_toml_packages(&text)),
            Source::GoSum => ("go", parse_go_sum(&text)),
            Source::CargoLock => ("cargo", parse_toml_packages(&text)),
            Source::GemfileLock => ("gem", parse_gemfile_lock(&text)),
        };
        found.extend(parsed.into_iter().map(|p| Package {
            manager,
            name: p.name,
            version: p.version,
            arch: p.arch,
            layer,
            path: path.to_owned(),
        }));
    }
    found
}

/// A package as a parser sees it, before it is tied to a file.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    name: String,
    version: Option<String>,
    arch: Option<String>,
}

impl Parsed {
    fn new(name: &str, version: Option<&str>) -> Self {
        Parsed {
            name: name.to_owned(),
            version: version.filter(|v| !v.is_empty()).map(str::to_owned),
            arch: None,
        }
    }
}

/// Blank-line separated stanzas of lines.
fn stanzas(text: &str) -> impl Iterator<Item = Vec<&str>> {
    let mut lines = text.lines().peekable();
    std::iter::from_fn(move || {
        while lines.peek().is_some_and(|line| line.trim().is_empty()) {
            lines.next();
        }
        lines.peek()?;
        let mut stanza = Vec::new();
        while let Some(line) = lines.next_if(|line| !line.trim().is_empty()) {
            stanza.push(line);
        }
        Some(stanza)
    })
}

/// dpkg's status file: `Key: value` stanzas (continuation lines skipped). Packages whose
/// `Status` says they are not installed (`deinstall ok config-files`, `not-installed`) are
/// left out.
fn parse_dpkg(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    for stanza in stanzas(text) {
        let (mut name, mut version, mut arch, mut status) = (None, None, None, None);
        for line in stanza {
            if line.starts_with([' ', '\t']) {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match key.trim() {
                "Package" => name = Some(value),
                "Version" => version = Some(value),
                "Architecture" => arch = Some(value),
                "Status" => status = Some(value),
                _ => {}
            }
        }
        let installed = status.is_none_or(|status| {
            !matches!(
                status.rsplit(' ').next(),
                Some("not-installed" | "config-files")
            )
        });
        if let (Some(name), true) = (name, installed) {
            packages.push(Parsed {
                arch: arch.map(str::to_owned),
                ..Parsed::new(name, version)
            });
        }
    }
    packages
}

/// apk's installed database: stanzas of `X:value` lines (`P` name, `V` version, `A` arch; the
/// first of each wins).
fn parse_apk(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    for stanza in stanzas(text) {
        let field = |key: &str| {
            stanza
                .iter()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
                .filter(|_| key.len() == 1)
        };
        if let Some(name) = field("P").filter(|name| !name.is_empty()) {
            packages.push(Parsed {
                arch: field("A").map(str::to_owned),
                ..Parsed::new(name, field("V"))
            });
        }
    }
    packages
}

/// npm's `package-lock.json`: lockfile v2/v3 `packages` (keys `node_modules/…/name`, the root
/// `""` skipped), else v1 `dependencies` (nested, depth-limited).
fn parse_npm_lock(text: &str) -> Vec<Parsed> {
    const MAX_DEPTH: usize = 32;
    fn walk_v1(deps: &serde_json::Value, depth: usize, out: &mut Vec<Parsed>) {
        let Some(deps) = deps.as_object() else {
            return;
        };
        for (name, info) in deps {
            out.push(Parsed::new(name, info["version"].as_str()));
            if depth < MAX_DEPTH {
                walk_v1(&info["dependencies"], depth + 1, out);
            }
        }
    }
    // serde_json's own recursion limit keeps hostile nesting from overflowing the stack.
    let Ok(lock) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut packages = Vec::new();
    if let Some(entries) = lock["packages"].as_object() {
        for (key, info) in entries {
            let Some(at) = key.rfind("node_modules/") else {
                continue; // the project itself, or a workspace folder
            };
            let name = info["name"]
                .as_str()
                .unwrap_or(&key[at + "node_modules/".len()..]);
            if !name.is_empty() {
                packages.push(Parsed::new(name, info["version"].as_str()));
            }
        }
    } else {
        walk_v1(&lock["dependencies"], 0, &mut packages);
    }
    packages
}

/// `yarn.lock`, classic (`"name@range", name@range:` then `  version "1.2.3"`) and berry
/// (`"name@npm:range":` then `  version: 1.2.3`).
fn parse_yarn_lock(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with([' ', '\t', '#']) && line.trim_end().ends_with(':') {
            let first = line.split(',').next().unwrap_or("");
            let spec = first.trim().trim_end_matches(':').trim_matches('"');
            current = package_name_of_spec(spec).map(str::to_owned);
            continue;
        }
        let trimmed = line.trim();
        let Some(version) = trimmed.strip_prefix("version") else {
            continue;
        };
        let version = version.trim_start_matches(':').trim().trim_matches('"');
        if let Some(name) = current.take() {
            if name != "__metadata" {
                packages.push(Parsed::new(&name, Some(version)));
            }
        }
    }
    packages
}

/// `@scope/name@range` → `@scope/name`; `name@npm:range` → `name`.
fn package_name_of_spec(spec: &str) -> Option<&str> {
    let search_from = usize::from(spec.starts_with('@'));
    let name = match spec.get(search_from..).and_then(|rest| rest.find('@')) {
        Some(at) => spec.get(..search_from + at)?,
        None => spec,
    };
    (!name.is_empty()).then_some(name)
}

/// pip requirements: one requirement a line; options (`-r`, `--hash`), comments, URLs and
/// environment markers are skipped; `==`/`===` pins give the version.
fn parse_requirements(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with(['#', '-']) || line.contains("://") {
            continue;
        }
        let requirement = line.split(';').next().unwrap_or("").trim();
        let name_end = requirement
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(requirement.len());
        let name = &requirement[..name_end];
        if name.is_empty() {
            continue;
        }
        let rest = requirement[name_end..].trim_start();
        // Skip extras: `name[extra]==1.0`.
        let rest = match rest.strip_prefix('[') {
            Some(extras) => extras
                .split_once(']')
                .map_or("", |(_, after)| after.trim_start()),
            None => rest,
        };
        let version = rest
            .strip_prefix("===")
            .or_else(|| rest.strip_prefix("=="))
            .map(|v| v.split([',', ' ', '\\']).next().unwrap_or("").trim());
        packages.push(Parsed::new(name, version));
    }
    packages
}

/// `[[package]]` tables with `name = "…"` and `version = "…"` (Cargo.lock, poetry.lock).
fn parse_toml_packages(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    let mut in_package = false;
    let (mut name, mut version): (Option<&str>, Option<&str>) = (None, None);
    let mut flush = |name: &mut Option<&str>, version: &mut Option<&str>| {
        if let Some(name) = name.take() {
            packages.push(Parsed::new(name, version.take()));
        }
        *version = None;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            flush(&mut name, &mut version);
            in_package = line == "[[package]]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        match key.trim() {
            "name" => name = Some(value),
            "version" => version = Some(value),
            _ => {}
        }
    }
    flush(&mut name, &mut version);
    packages
}

/// `go.sum`: `module version[/go.mod] hash` lines; each module version once.
fn parse_go_sum(text: &str) -> Vec<Parsed> {
    let mut seen = std::collections::HashSet::new();
    let mut packages = Vec::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(module), Some(version), Some(_hash)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let version = version.trim_end_matches("/go.mod");
        if seen.insert((module, version)) {
            packages.push(Parsed::new(module, Some(version)));
        }
    }
    packages
}

/// `Gemfile.lock`: the `specs:` blocks of `GEM`/`GIT`/`PATH` sections, where gems are the
/// lines indented by exactly four spaces: `    name (version)`.
fn parse_gemfile_lock(text: &str) -> Vec<Parsed> {
    let mut packages = Vec::new();
    let mut in_specs = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_specs = false;
            continue;
        }
        if line.trim() == "specs:" {
            in_specs = true;
            continue;
        }
        let Some(spec) = line.strip_prefix("    ") else {
            continue;
        };
        if !in_specs || spec.starts_with(' ') {
            continue;
        }
        let (name, version) = match spec.split_once(" (") {
            Some((name, rest)) => (name, Some(rest.trim_end_matches(')'))),
            None => (spec.trim(), None),
        };
        if !name.is_empty() {
            packages.push(Parsed::new(name, version));
        }
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::merge;
    use crate::model::CapturedFile;
    use crate::test_support::{file, layer, marker};

    fn names(parsed: &[Parsed]) -> Vec<(&str, Option<&str>)> {
        parsed
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect()
    }

    const DPKG: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\nDescription: x\n more text: not a field\n\nPackage: old\nStatus: deinstall ok config-files\nVersion: 1\n\n\nPackage: bash\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n";

    #[test]
    fn reads_dpkg_and_apk() {
        let dpkg = parse_dpkg(DPKG);
        assert_eq!(
            names(&dpkg),
            [
                ("base-files", Some("12.4+deb12u5")),
                ("bash", Some("5.2.15-2+b2"))
            ]
        );
        assert_eq!(dpkg[0].arch.as_deref(), Some("amd64"));
        let apk = parse_apk(
            "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nP:ignored\n\nP:busybox\nV:1.36.1-r5\n",
        );
        assert_eq!(
            names(&apk),
            [("musl", Some("1.2.4-r2")), ("busybox", Some("1.36.1-r5"))]
        );
        assert_eq!(apk[0].arch.as_deref(), Some("x86_64"));
    }

    #[test]
    fn reads_language_lock_files() {
        let npm = r#"{"lockfileVersion":3,"packages":{"":{"name":"app"},"node_modules/left-pad":{"version":"1.3.0"},"node_modules/@babel/core/node_modules/semver":{"version":"6.3.1"}}}"#;
        assert_eq!(
            names(&parse_npm_lock(npm)),
            [("semver", Some("6.3.1")), ("left-pad", Some("1.3.0"))]
        );
        let npm_v1 = r#"{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}}}}"#;
        assert_eq!(
            names(&parse_npm_lock(npm_v1)),
            [("a", Some("1.0.0")), ("b", Some("2.0.0"))]
        );

        let yarn = "# yarn lockfile v1\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"x\"\n\nleft-pad@^1.3.0:\n  version \"1.3.0\"\n";
        assert_eq!(
            names(&parse_yarn_lock(yarn)),
            [
                ("@babel/code-frame", Some("7.12.13")),
                ("left-pad", Some("1.3.0"))
            ]
        );
        let berry = "__metadata:\n  version: 6\n\n\"lodash@npm:^4.17.21\":\n  version: 4.17.21\n";
        assert_eq!(
            names(&parse_yarn_lock(berry)),
            [("lodash", Some("4.17.21"))]
        );

        let reqs = "# pinned\nrequests==2.31.0 \\\n    --hash=sha256:abc\nDjango[argon2]==4.2 ; python_version > '3'\nflask>=2\n-r other.txt\ngit+https://x/y.git\n";
        assert_eq!(
            names(&parse_requirements(reqs)),
            [
                ("requests", Some("2.31.0")),
                ("Django", Some("4.2")),
                ("flask", None)
            ]
        );

        let cargo = "version = 3\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\ndependencies = [\n \"x\",\n]\n\n[[package]]\nname = \"tar\"\nversion = \"0.4.44\"\n";
        assert_eq!(
            names(&parse_toml_packages(cargo)),
            [("serde", Some("1.0.200")), ("tar", Some("0.4.44"))]
        );
        let poetry = "[[package]]\nname = \"click\"\nversion = \"8.1.7\"\n\n[package.dependencies]\ncolorama = \"*\"\n\n[metadata]\nlock-version = \"2.0\"\n";
        assert_eq!(
            names(&parse_toml_packages(poetry)),
            [("click", Some("8.1.7"))]
        );

        let go = "golang.org/x/text v0.14.0 h1:abc=\ngolang.org/x/text v0.14.0/go.mod h1:def=\nbroken line\n";
        assert_eq!(
            names(&parse_go_sum(go)),
            [("golang.org/x/text", Some("v0.14.0"))]
        );

        let gems = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n    rails (7.1.2)\n      rack (>= 2)\n\nPLATFORMS\n  ruby\n";
        assert_eq!(
            names(&parse_gemfile_lock(gems)),
            [("rack", Some("3.0.8")), ("rails", Some("7.1.2"))]
        );
    }

    #[test]
    fn wants_databases_and_lock_files_only() {
        for path in [
            "var/lib/dpkg/status",
            "var/lib/dpkg/status.d/base-files",
            "lib/apk/db/installed",
            "app/package-lock.json",
            "yarn.lock",
            "srv/requirements-dev.txt",
            "app/poetry.lock",
            "go.sum",
            "src/Cargo.lock",
            "Gemfile.lock",
        ] {
            assert!(wants(path), "{path}");
        }
        for path in [
            "var/lib/dpkg/status-old",
            "var/lib/dpkg/status.d/base-files.md5sums",
            "var/lib/dpkg/status.d/",
            "app/package.json",
            "var/lib/rpm/Packages",
            "requirements.in",
        ] {
            assert!(!wants(path), "{path}");
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        let garbage: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let text = String::from_utf8_lossy(&garbage);
        for input in [
            text.as_ref(),
            "",
            "\n\n\n",
            ":",
            "P:",
            "[[package]]\nname",
            "{",
            "\"@\":\n version",
            "    (",
        ] {
            let _ = parse_dpkg(input);
            let _ = parse_apk(input);
            let _ = parse_npm_lock(input);
            let _ = parse_yarn_lock(input);
            let _ = parse_requirements(input);
            let _ = parse_toml_packages(input);
            let _ = parse_go_sum(input);
            let _ = parse_gemfile_lock(input);
        }
        let deep = "[".repeat(100_000);
        assert!(parse_npm_lock(&deep).is_empty());
    }

    #[test]
    fn reads_only_the_visible_copy() {
        let mut l0 = layer(vec![
            file("var/lib/dpkg/status", 10),
            file("lib/apk/db/installed", 5),
        ]);
        l0.captured = vec![
            CapturedFile {
                entry: 0,
                bytes: b"Package: old\nVersion: 1\n".to_vec(),
            },
            CapturedFile {
                entry: 1,
                bytes: b"P:musl\nV:1.2\n".to_vec(),
            },
        ];
        let mut l1 = layer(vec![file("var/lib/dpkg/status", 10), file("app/go.sum", 3)]);
        l1.captured = vec![CapturedFile {
            entry: 0,
            bytes: DPKG.as_bytes().to_vec(),
        }];
        let l2 = layer(vec![marker("lib/apk/db/.wh.installed")]);
        let layers = [&l0, &l1, &l2];
        let found = packages(&layers, &merge(&layers));
        let summary: Vec<_> = found
            .iter()
            .map(|p| (p.manager, p.name.as_str(), p.layer, p.path.as_str()))
            .collect();
        // No apk (whited out), no go (not captured), dpkg from layer 1.
        assert_eq!(
            summary,
            [
                ("dpkg", "base-files", 1, "var/lib/dpkg/status"),
                ("dpkg", "bash", 1, "var/lib/dpkg/status")
            ]
        );
    }
}
