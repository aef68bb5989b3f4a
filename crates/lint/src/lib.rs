//! The linter: hadolint's DL rules, BuildKit's build checks and layerlab's own rules, run over
//! the `layerlab-syntax` tree, with exact ranges, suppressions and mechanical fixes.
//!
//! One rule per file under `rules/`, each documented in its own doc comment and registered in
//! [`registry`]. A rule reports through the [`Context`]; suppressions (hadolint pragmas,
//! BuildKit `# check=` comments, configuration) are applied afterwards in one place.

pub mod config;
mod context;
mod finding;
mod fix;
mod image_ref;
pub mod output;
mod pragma;
pub mod registry;
mod rule;
mod rules;
mod yaml;

pub use context::{Context, Stage, StageBase};
pub use finding::{Edit, Finding, Fix, Level};
pub use fix::{apply_fixes, fix};
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
    /// Ignore `# hadolint ignore=` and `# check=skip=` comments.
    pub disable_ignore_pragma: bool,
    /// Enable rules that are off by default (their level is `Level::Ignore`).
    pub enable: Vec<String>,
}

/// Lints `text`: syntax errors first (with their ranges), then every rule's findings on what
/// parsed, sorted by position.
pub fn lint(text: &str, options: &LintOptions) -> Vec<Finding> {
    let parsed = parse(text);
    let cx = Context::new(text, &parsed, options);
    for rule in registry::rules() {
        if cx.is_enabled(rule.meta()) {
            rule.check(&cx);
        }
    }
    let mut findings = cx.into_findings();
    findings.extend(syntax_findings(&parsed));
    let mut findings = pragma::apply(text, &parsed, options, findings);
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code))
    });
    findings
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
