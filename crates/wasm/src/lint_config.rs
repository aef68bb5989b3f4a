//! The editor's lint configuration: an imported `.hadolint.yaml` plus the choices made per rule
//! in the page, turned into the linter's options; and the rule catalogue the page's settings
//! list. The page's choice for a rule replaces whatever the file says about that rule.

use std::collections::BTreeMap;

use layerlab_lint::config::parse_config;
use layerlab_lint::{registry, Level, LintOptions, RuleMeta};
use serde::{Deserialize, Serialize};

/// How the editor configures the linter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LintConfig {
    /// The text of an imported `.hadolint.yaml` (empty: none).
    pub hadolint_yaml: String,
    /// Rule code (or any name the rule answers to) → `off`, `error`, `warning`, `info` or
    /// `style`.
    pub rules: BTreeMap<String, String>,
}

/// A problem with the configuration: 1-based line and column in the `.hadolint.yaml`, or line
/// 0 for a per-rule choice the linter does not know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A rule as the settings list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub summary: &'static str,
    /// The level it reports at by default; `ignore` for rules that are off unless enabled.
    pub level: &'static str,
    pub fixable: bool,
}

/// Every rule, in the registry's order.
pub fn rule_catalogue() -> Vec<RuleInfo> {
    registry::rules()
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            RuleInfo {
                code: meta.code,
                summary: meta.summary,
                level: meta.level.as_str(),
                fixable: meta.fixable,
            }
        })
        .collect()
}

/// The linter's options for `config`, and what was wrong with it. A malformed file is
/// reported and left out; the per-rule choices still apply.
pub fn lint_options(config: &LintConfig) -> (LintOptions, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let mut options = if config.hadolint_yaml.trim().is_empty() {
        LintOptions::default()
    } else {
        match parse_config(&config.hadolint_yaml) {
            Ok(file) => file.lint_options(),
            Err(error) => {
                problems.push(ConfigProblem {
                    line: error.line,
                    column: error.column,
                    message: error.message,
                });
                LintOptions::default()
            }
        }
    };
    for (name, choice) in &config.rules {
        let meta = registry::rules()
            .iter()
            .map(|rule| rule.meta())
            .find(|meta| meta.answers_to(name));
        let Some(meta) = meta else {
            problems.push(ConfigProblem {
                line: 0,
                column: 0,
                message: format!("unknown rule `{name}`"),
            });
            continue;
        };
        let level = match choice.as_str() {
            "off" => Level::Ignore,
            other => match Level::parse(other) {
                Some(level) => level,
                None => {
                    problems.push(ConfigProblem {
                        line: 0,
                        column: 0,
                        message: format!(
                            "`{name}`: `{other}` is not one of off, error, warning, info, style"
                        ),
                    });
                    continue;
                }
            },
        };
        replace_choice(&mut options, meta, level);
    }
    (options, problems)
}

/// Drops what the options said about `meta`'s rule, then ignores it (`Level::Ignore`) or runs
/// it at `level` (which also enables a rule that is off by default).
fn replace_choice(options: &mut LintOptions, meta: &RuleMeta, level: Level) {
    options.ignored.retain(|name| !meta.answers_to(name));
    options.overrides.retain(|(name, _)| !meta.answers_to(name));
    options.enable.retain(|name| !meta.answers_to(name));
    if level == Level::Ignore {
        options.ignored.push(meta.code.to_owned());
    } else {
        options.overrides.push((meta.code.to_owned(), level));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, config: &LintConfig) -> Vec<&'static str> {
        let (options, problems) = lint_options(config);
        assert_eq!(problems, []);
        layerlab_lint::lint(text, &options)
            .iter()
            .map(|f| f.code)
            .collect()
    }

    const UNPINNED: &str = "FROM debian\nRUN apt-get update && apt-get install -y curl\n";

    #[test]
    fn the_file_ignores_and_the_page_overrides_it() {
        let defaults = codes(UNPINNED, &LintConfig::default());
        assert!(defaults.contains(&"DL3006"), "{defaults:?}");

        let file = LintConfig {
            hadolint_yaml: "ignored:\n  - DL3006\n".into(),
            ..LintConfig::default()
        };
        assert!(!codes(UNPINNED, &file).contains(&"DL3006"));

        // The page turns it back on, at its own level.
        let page = LintConfig {
            rules: [("DL3006".to_owned(), "error".to_owned())].into(),
            ..file
        };
        let (options, _) = lint_options(&page);
        let findings = layerlab_lint::lint(UNPINNED, &options);
        let dl3006 = findings.iter().find(|f| f.code == "DL3006");
        assert_eq!(dl3006.map(|f| f.level), Some(Level::Error));

        let off = LintConfig {
            rules: [("DL3006".to_owned(), "off".to_owned())].into(),
            ..LintConfig::default()
        };
        assert!(!codes(UNPINNED, &off).contains(&"DL3006"));
    }

    #[test]
    fn a_bad_file_is_reported_with_its_position_and_the_rest_applies() {
        let config = LintConfig {
            hadolint_yaml: "ignored: [DL3006]\nfailure-threshold: loud\n".into(),
            rules: [
                ("DL3008".to_owned(), "off".to_owned()),
                ("NOPE9".to_owned(), "off".to_owned()),
            ]
            .into(),
        };
        let (options, problems) = lint_options(&config);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (2, 20));
        assert!(problems[0].message.contains("failure-threshold"));
        assert!(problems[1].message.contains("NOPE9"));
        let findings = layerlab_lint::lint(UNPINNED, &options);
        assert!(findings.iter().all(|f| f.code != "DL3008"));
    }

    #[test]
    fn the_catalogue_lists_every_rule() {
        let rules = rule_catalogue();
        assert_eq!(rules.len(), registry::rules().len());
        assert!(rules
            .iter()
            .any(|r| r.code == "DL3006" && r.level == "warning"));
    }
}
