//! hadolint's configuration: `.hadolint.yaml` keys, `HADOLINT_*` environment variables and
//! command-line flags, merged with hadolint's precedence (scalars: CLI over file over
//! environment; lists: concatenated). Unlike hadolint, a malformed file or an unknown key is
//! an error naming the file, line and column. The caller does the IO: this module only
//! interprets text and variables.

use crate::yaml::{self, Node, Value};
use crate::{Level, LintOptions};

/// One configuration source (file, environment or command line); `None` means "not set".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub ignored: Vec<String>,
    pub overrides: Vec<(String, Level)>,
    pub failure_threshold: Option<Level>,
    pub trusted_registries: Vec<String>,
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub verbose: Option<bool>,
    pub formats: Vec<String>,
}

/// A configuration error at a position in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

const KEYS: &[&str] = &[
    "ignored",
    "override",
    "failure-threshold",
    "trustedRegistries",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "no-fail",
    "no-color",
    "verbose",
    "format",
    "formats",
];

const LABEL_TYPES: &[&str] = &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];

fn error_at(node: &Node, message: impl Into<String>) -> ConfigError {
    ConfigError {
        line: node.line,
        column: node.column,
        message: message.into(),
    }
}

fn scalar<'a>(node: &'a Node, key: &str) -> Result<&'a str, ConfigError> {
    match &node.value {
        Value::Scalar(s) => Ok(s),
        _ => Err(error_at(node, format!("`{key}` must be a single value"))),
    }
}

fn list(node: &Node, key: &str) -> Result<Vec<String>, ConfigError> {
    match &node.value {
        Value::Scalar(s) => Ok(vec![s.clone()]),
        Value::Null => Ok(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .map(|i| scalar(i, key).map(str::to_owned))
            .collect(),
        Value::Mapping(_) => Err(error_at(node, format!("`{key}` must be a list"))),
    }
}

fn boolean(node: &Node, key: &str) -> Result<bool, ConfigError> {
    match scalar(node, key)? {
        "true" | "True" | "TRUE" | "yes" | "on" => Ok(true),
        "false" | "False" | "FALSE" | "no" | "off" => Ok(false),
        other => Err(error_at(
            node,
            format!("`{key}` must be true or false, not `{other}`"),
        )),
    }
}

fn level(node: &Node, key: &str) -> Result<Level, ConfigError> {
    let text = scalar(node, key)?;
    Level::parse(text).ok_or_else(|| {
        error_at(
            node,
            format!(
                "`{key}` must be one of error, warning, info, style, ignore, none; not `{text}`"
            ),
        )
    })
}

/// Parses a `.hadolint.yaml` text.
pub fn parse_config(text: &str) -> Result<Config, ConfigError> {
    let root = yaml::parse(text).map_err(|e| ConfigError {
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let mut config = Config::default();
    let entries = match &root.value {
        Value::Mapping(entries) => entries,
        Value::Null => return Ok(config),
        _ => {
            return Err(error_at(
                &root,
                "the configuration must be a mapping of keys",
            ))
        }
    };
    for (key_node, value) in entries {
        let key = scalar(key_node, "key")?;
        match key {
            "ignored" => config.ignored = list(value, key)?,
            "override" => {
                let Value::Mapping(levels) = &value.value else {
                    return Err(error_at(
                        value,
                        "`override` must map error/warning/info/style to lists of rules",
                    ));
                };
                for (level_node, rules) in levels {
                    let level = level(level_node, "override")?;
                    for rule in list(rules, scalar(level_node, "override")?)? {
                        config.overrides.push((rule, level));
                    }
                }
            }
            "failure-threshold" => config.failure_threshold = Some(level(value, key)?),
            "trustedRegistries" => config.trusted_registries = list(value, key)?,
            "label-schema" => {
                let Value::Mapping(labels) = &value.value else {
                    return Err(error_at(
                        value,
                        "`label-schema` must map label names to types",
                    ));
                };
                for (name, kind) in labels {
                    let kind_text = scalar(kind, "label-schema")?;
                    if !LABEL_TYPES.contains(&kind_text) {
                        return Err(error_at(
                            kind,
                            format!(
                                "unknown label type `{kind_text}` (expected one of {})",
                                LABEL_TYPES.join(", ")
                            ),
                        ));
                    }
                    config.label_schema.push((
                        scalar(name, "label-schema")?.to_owned(),
                        kind_text.to_owned(),
                    ));
                }
            }
            "strict-labels" => config.strict_labels = Some(boolean(value, key)?),
            "disable-ignore-pragma" => config.disable_ignore_pragma = Some(boolean(value, key)?),
            "no-fail" => config.no_fail = Some(boolean(value, key)?),
            "no-color" => config.no_color = Some(boolean(value, key)?),
            "verbose" => config.verbose = Some(boolean(value, key)?),
            "format" | "formats" => config.formats = list(value, key)?,
            other => {
                let hint = KEYS
                    .iter()
                    .map(|k| (edit_distance(&k.to_lowercase(), &other.to_lowercase()), k))
                    .filter(|(distance, _)| *distance <= 2)
                    .min()
                    .map(|(_, k)| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                return Err(error_at(key_node, format!("unknown key `{other}`{hint}")));
            }
        }
    }
    Ok(config)
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "y" | "yes" | "on" | "true"
    )
}

fn comma_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The `HADOLINT_*` (and `NO_COLOR`) variables, read through `var`.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
    let mut config = Config::default();
    if var("NO_COLOR").is_some() {
        config.no_color = Some(true);
    }
    let flag = |name: &str| var(name).map(|v| truthy(&v));
    config.no_fail = flag("HADOLINT_NOFAIL");
    config.verbose = flag("HADOLINT_VERBOSE");
    config.strict_labels = flag("HADOLINT_STRICT_LABELS");
    config.disable_ignore_pragma = flag("HADOLINT_DISABLE_IGNORE_PRAGMA");
    if let Some(formats) = var("HADOLINT_FORMAT") {
        config.formats = comma_list(&formats);
    }
    if let Some(threshold) = var("HADOLINT_FAILURE_THRESHOLD") {
        config.failure_threshold =
            Some(Level::parse(&threshold).ok_or_else(|| {
                format!("HADOLINT_FAILURE_THRESHOLD: unknown level `{threshold}`")
            })?);
    }
    for (name, level) in [
        ("HADOLINT_OVERRIDE_ERROR", Level::Error),
        ("HADOLINT_OVERRIDE_WARNING", Level::Warning),
        ("HADOLINT_OVERRIDE_INFO", Level::Info),
        ("HADOLINT_OVERRIDE_STYLE", Level::Style),
    ] {
        if let Some(rules) = var(name) {
            config
                .overrides
                .extend(comma_list(&rules).into_iter().map(|r| (r, level)));
        }
    }
    if let Some(rules) = var("HADOLINT_IGNORE") {
        config.ignored = comma_list(&rules);
    }
    if let Some(registries) = var("HADOLINT_TRUSTED_REGISTRIES") {
        config.trusted_registries = comma_list(&registries);
    }
    if let Some(labels) = var("HADOLINT_REQUIRE_LABELS") {
        for pair in comma_list(&labels) {
            let (name, kind) = pair.split_once(':').ok_or_else(|| {
                format!("HADOLINT_REQUIRE_LABELS: expected name:type, got `{pair}`")
            })?;
            config.label_schema.push((name.to_owned(), kind.to_owned()));
        }
    }
    Ok(config)
}

impl Config {
    /// hadolint's merge: `later` wins for scalars, lists are concatenated.
    pub fn merge(mut self, later: Config) -> Config {
        self.ignored.extend(later.ignored);
        self.overrides.extend(later.overrides);
        self.trusted_registries.extend(later.trusted_registries);
        self.label_schema.extend(later.label_schema);
        if !later.formats.is_empty() {
            self.formats = later.formats;
        }
        self.failure_threshold = later.failure_threshold.or(self.failure_threshold);
        self.strict_labels = later.strict_labels.or(self.strict_labels);
        self.disable_ignore_pragma = later.disable_ignore_pragma.or(self.disable_ignore_pragma);
        self.no_fail = later.no_fail.or(self.no_fail);
        self.no_color = later.no_color.or(self.no_color);
        self.verbose = later.verbose.or(self.verbose);
        self
    }

    /// The options the linter itself needs.
    pub fn lint_options(&self) -> LintOptions {
        LintOptions {
            ignored: self.ignored.clone(),
            overrides: self.overrides.clone(),
            trusted_registries: self.trusted_registries.clone(),
            disable_ignore_pragma: self.disable_ignore_pragma.unwrap_or(false),
            label_schema: self.label_schema.clone(),
            strict_labels: self.strict_labels.unwrap_or(false),
            ..LintOptions::default()
        }
    }

    /// hadolint's exit rule: fail when a finding is at or above the threshold (default info).
    pub fn fails(&self, levels: impl IntoIterator<Item = Level>) -> bool {
        if self.no_fail.unwrap_or(false) {
            return false;
        }
        let threshold = self.failure_threshold.unwrap_or(Level::Info);
        levels.into_iter().any(|level| level <= threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let config = parse_config(
            "ignored: [DL3008]\noverride:\n  error:\n    - DL3001\nfailure-threshold: warning\ntrustedRegistries:\n  - docker.io\nlabel-schema:\n  author: text\nstrict-labels: true\ndisable-ignore-pragma: false\nno-fail: true\nformat: json\n",
        );
        let config = config.unwrap_or_default();
        assert_eq!(config.ignored, ["DL3008"]);
        assert_eq!(config.overrides, [("DL3001".to_owned(), Level::Error)]);
        assert_eq!(config.failure_threshold, Some(Level::Warning));
        assert_eq!(config.trusted_registries, ["docker.io"]);
        assert_eq!(
            config.label_schema,
            [("author".to_owned(), "text".to_owned())]
        );
        assert_eq!(config.strict_labels, Some(true));
        assert_eq!(config.no_fail, Some(true));
        assert_eq!(config.formats, ["json"]);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_with_positions() {
        let e = parse_config("ignored: [DL3008]\nignore: [DL3009]\n").err();
        assert_eq!(
            e,
            Some(ConfigError {
                line: 2,
                column: 1,
                message: "unknown key `ignore` (did you mean `ignored`?)".to_owned()
            })
        );
        let e = parse_config("failure-threshold: severe\n")
            .err()
            .map(|e| (e.line, e.column));
        assert_eq!(e, Some((1, 20)));
        let e = parse_config("label-schema:\n  author: person\n")
            .err()
            .map(|e| e.line);
        assert_eq!(e, Some(2));
    }

    #[test]
    fn env_and_merge_follow_hadolint() {
        let env = from_env(|name| match name {
            "HADOLINT_IGNORE" => Some("DL3006, DL3007".to_owned()),
            "HADOLINT_FAILURE_THRESHOLD" => Some("error".to_owned()),
            "HADOLINT_NOFAIL" => Some("yes".to_owned()),
            _ => None,
        })
        .unwrap_or_default();
        assert_eq!(env.ignored, ["DL3006", "DL3007"]);
        let file =
            parse_config("ignored: [DL3008]\nfailure-threshold: style\n").unwrap_or_default();
        let merged = env.merge(file);
        assert_eq!(merged.ignored, ["DL3006", "DL3007", "DL3008"]);
        assert_eq!(merged.failure_threshold, Some(Level::Style));
        assert!(!merged.fails([Level::Error]));
    }
}
