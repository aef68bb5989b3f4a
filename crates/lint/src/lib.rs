//! The linter: hadolint's DL rules, BuildKit's build checks and layerlab's own rules, run over
//! the `layerlab-syntax` tree, with exact ranges, suppressions and mechanical fixes.
//!
//! One rule per file under `rules/`, each documented in its own doc comment and registered in
//! [`registry`]. A rule reports through the [`Context`]; suppressions (hadolint pragmas,
//! BuildKit `# check=` comments, configuration) are applied afterwards in one place.

mod buildkit;
pub mod config;
mod context;
mod dockerignore;
mod finding;
mod fix;
mod image_ref;
pub mod output;
mod platform;
mod pragma;
pub mod registry;
mod rule;
mod rules;
pub mod scripts;
pub mod site;
mod yaml;

pub use buildkit::normalized_reference as normalize_image_reference;
pub use context::{Context, ScriptStore, Stage, StageBase};
pub use finding::{Edit, Finding, Fix, Level};
pub use fix::{apply_fixes, fix};
pub use platform::normalize_platform;
pub use rule::{Category, Rule, RuleMeta};

use layerlab_syntax::parse;

/// What the caller decides: rule selection and severities. Configuration files are read by
/// the caller and turned into this.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Rules dropped entirely (any of a rule's names).
    pub ignored: Vec<String>,
    /// Severity changes: `(rule, level)`; `Level::Error` wins when a rule is listed twice.
    pub overrides: Vec<(String, Level)>,
    /// Registries allowed in FROM (enables DL3026 when non-empty).
    pub trusted_registries: Vec<String>,
    /// hadolint's `label-schema`: label name → type (`text`, `url`, `semver`, `hash`,
    /// `rfc3339`, `spdx` or `email`); enables DL3049 and DL3051–DL3058.
    pub label_schema: Vec<(String, String)>,
    /// hadolint's `strict-labels`: a label outside the schema is reported (DL3050).
    pub strict_labels: bool,
    /// Ignore `# hadolint ignore=` and `# check=skip=` comments.
    pub disable_ignore_pragma: bool,
    /// Enable rules that are off by default (their level is `Level::Ignore`).
    pub enable: Vec<String>,
    /// The build context's `.dockerignore`, when known (enables BuildKit's `CopyIgnoredFile`).
    pub dockerignore: Option<String>,
    /// The platforms each base image offers, when known: image reference (as FROM names it,
    /// global ARGs expanded; `alpine` and `docker.io/library/alpine:latest` are the same
    /// image) → `os/arch[/variant]` platforms. Enables BuildKit's `InvalidBaseImagePlatform`
    /// for the images listed; empty (the default), the rule never fires. A reference listed
    /// twice has the platforms of both entries; platforms containerd cannot parse are ignored.
    pub base_image_platforms: Vec<(String, Vec<String>)>,
}

/// Lints `text`: syntax errors first (with their ranges), then every rule's findings on what
/// parsed, sorted by position.
pub fn lint(text: &str, options: &LintOptions) -> Vec<Finding> {
    let parsed = parse(text);
    let store = ScriptStore::default();
    let cx = Context::new(text, &parsed, options, &store);
    for rule in registry::rules() {
        if cx.is_enabled(rule.meta()) {
            rule.check(&cx);
        }
    }
    let mut findings = cx.into_findings();
    findings.extend(syntax_findings(&parsed));
    let mut findings = pragma::apply(text, &parsed, options, findings);
    drop_explained_build_errors(&mut findings);
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    findings
}

/// hadolint rules whose finding is itself an error BuildKit raises (and [`syntax_findings`]
/// reports as `DL1000`): ports above 65535, bad `COPY --from` references, forbidden ONBUILD
/// triggers, instructions before the first FROM.
const EXPLAINS_BUILD_ERROR: &[&str] = &["DL3011", "DL3022", "DL3023", "DL3043", "DL3061"];

/// Drops a `DL1000` that a surviving finding of one of [`EXPLAINS_BUILD_ERROR`] reports at an
/// overlapping range: the error is reported once, under hadolint's code. When the rule is
/// ignored or suppressed, the `DL1000` stays.
fn drop_explained_build_errors(findings: &mut Vec<Finding>) {
    let explained: Vec<layerlab_syntax::Span> = findings
        .iter()
        .filter(|f| EXPLAINS_BUILD_ERROR.contains(&f.code))
        .map(|f| f.span)
        .collect();
    findings.retain(|f| {
        f.code != "DL1000"
            || !explained
                .iter()
                .any(|s| *s == f.span || (s.start < f.span.end && f.span.start < s.end))
    });
}

/// BuildKit's parse errors and instruction-layer errors, as `DL1000` like hadolint reports a
/// file it cannot parse; unlike hadolint, everything else is still linted.
fn syntax_findings(parsed: &layerlab_syntax::Parse) -> Vec<Finding> {
    let checked = layerlab_syntax::instructions::check(&parsed.dockerfile);
    parsed
        .errors
        .iter()
        .chain(&checked)
        .map(|d| Finding {
            code: "DL1000",
            level: Level::Error,
            message: d.message.clone(),
            span: d.span,
            fix: None,
        })
        .collect()
}
