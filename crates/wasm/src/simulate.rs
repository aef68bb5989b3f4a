//! The cache simulator's JavaScript input: a scenario object (the virtual build context, the
//! `.dockerignore`, what changed, build args, ...) turned into [`layerlab_buildsim::Scenario`].
//! Only the shape changes here; every decision is the core's.

use std::collections::BTreeMap;

use layerlab_buildsim::{
    simulate, Builder, Change, Context, Digest, Entry, Ignore, Report, Scenario,
};
use serde::Deserialize;

/// What changed between the previous build and the next one (see `SimulateScenario` in the
/// TypeScript types). Every field is optional; an empty object is "nothing changed".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioInput {
    pub builder: BuilderInput,
    /// The next build's context, path → entry (a string is a file's text, mode 0644).
    pub context: BTreeMap<String, EntryInput>,
    /// The previous build's whole context, when the caller has both; otherwise it is the next
    /// one with `changed`, `added` and `removed` undone.
    pub previous_context: Option<BTreeMap<String, EntryInput>>,
    /// The `.dockerignore` text.
    pub dockerignore: Option<String>,
    /// Where the Dockerfile sits in the context (default `Dockerfile`; `""` when outside).
    pub dockerfile_path: Option<String>,
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub previous_dockerfile: Option<String>,
    pub build_args: BTreeMap<String, String>,
    /// The previous build's `--build-arg`s (default: the same as `build_args`).
    pub previous_build_args: Option<BTreeMap<String, String>>,
    /// Base images whose content changed (`--base-changed`).
    pub base_changed: Vec<String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub no_cache_filter: Vec<String>,
    pub assume_tags_unchanged: bool,
}

/// The fields of [`ScenarioInput`], as JavaScript spells them.
pub const FIELDS: &[&str] = &[
    "builder",
    "context",
    "previous_context",
    "dockerignore",
    "dockerfile_path",
    "changed",
    "added",
    "removed",
    "previous_dockerfile",
    "build_args",
    "previous_build_args",
    "base_changed",
    "target",
    "no_cache",
    "no_cache_filter",
    "assume_tags_unchanged",
];

#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BuilderInput {
    #[default]
    Buildkit,
    #[serde(alias = "classic")]
    Legacy,
}

/// One path of the virtual context: a file's text, or an object.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum EntryInput {
    Text(String),
    Entry(EntryObject),
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EntryObject {
    /// The file's text.
    pub content: Option<String>,
    /// Instead of `content`: the SHA-256 of the bytes in hex (what `crypto.subtle.digest`
    /// gives, and the same key `content` makes), or any string that changes when they do.
    pub digest: Option<String>,
    /// Permission bits (`0o755`); default 0644 for files, 0755 for directories.
    pub mode: Option<u32>,
    /// The size in bytes, when `digest` stands for the content.
    pub size: Option<u64>,
    /// A symbolic link to this target.
    pub symlink: Option<String>,
    /// An (empty) directory.
    pub dir: bool,
}

fn entry(input: &EntryInput) -> Entry {
    match input {
        EntryInput::Text(text) => Entry::file_with(text.as_bytes()),
        EntryInput::Entry(e) => {
            if let Some(target) = &e.symlink {
                return Entry::symlink(target);
            }
            if e.dir {
                return Entry::dir(e.mode.unwrap_or(0o755));
            }
            let mode = e.mode.unwrap_or(0o644);
            match (&e.content, &e.digest) {
                (Some(text), _) => Entry::file(
                    Digest::of_bytes(text.as_bytes()),
                    mode,
                    e.size.unwrap_or(text.len() as u64),
                ),
                (None, Some(digest)) => {
                    Entry::file(content_digest(digest), mode, e.size.unwrap_or(0))
                }
                (None, None) => Entry::file(Digest::of_bytes(b""), mode, e.size.unwrap_or(0)),
            }
        }
    }
}

/// A SHA-256 hex digest as the content key `content` would give; any other string is hashed.
fn content_digest(text: &str) -> Digest {
    hex_digest(text.strip_prefix("sha256:").unwrap_or(text)).unwrap_or_else(|| {
        let mut bytes = b"caller-digest:".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        Digest::of_bytes(&bytes)
    })
}

fn hex_digest(hex: &str) -> Option<Digest> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, out) in bytes.iter_mut().enumerate() {
        *out = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(Digest(bytes))
}

fn context(entries: &BTreeMap<String, EntryInput>) -> Context {
    Context::from_entries(entries.iter().map(|(p, e)| (p.as_str(), entry(e))))
}

fn pairs(map: &BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Runs the simulation; `Err` only for a `.dockerignore` BuildKit refuses.
pub fn simulation(dockerfile: &str, input: &ScenarioInput) -> Result<Report, String> {
    let ignore = match &input.dockerignore {
        Some(text) => {
            Ignore::parse(text).map_err(|e| format!(".dockerignore:{}: {}", e.line, e.message))?
        }
        None => Ignore::none(),
    };
    let dockerfile_path = input
        .dockerfile_path
        .clone()
        .unwrap_or_else(|| "Dockerfile".to_owned());
    let next = ignore.filter(&context(&input.context));
    let previous = input
        .previous_context
        .as_ref()
        .map(|entries| ignore.filter(&context(entries)));
    let changes: Vec<Change> = (input.changed.iter().map(|p| Change::changed(p)))
        .chain(input.added.iter().map(|p| Change::added(p)))
        .chain(input.removed.iter().map(|p| Change::removed(p)))
        .collect();
    let build_args = pairs(&input.build_args);
    let previous_build_args = input.previous_build_args.as_ref().map(pairs);

    let mut s = Scenario::new(dockerfile, &next, &ignore);
    s.builder = match input.builder {
        BuilderInput::Buildkit => Builder::Buildkit,
        BuilderInput::Legacy => Builder::Legacy,
    };
    s.previous_dockerfile = input.previous_dockerfile.as_deref();
    s.dockerfile_path = Some(dockerfile_path.as_str()).filter(|p| !p.is_empty());
    s.previous_context = previous.as_ref();
    s.changes = &changes;
    s.build_args = &build_args;
    s.previous_build_args = previous_build_args.as_deref();
    s.changed_bases = &input.base_changed;
    s.target = input.target.as_deref();
    s.no_cache = input.no_cache;
    s.no_cache_filter = &input.no_cache_filter;
    s.assume_tags_unchanged = input.assume_tags_unchanged;
    Ok(simulate(&s))
}
