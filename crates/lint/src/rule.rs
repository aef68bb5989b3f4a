//! The rule interface and the facts every rule declares about itself.

use crate::{Context, Level};

/// What a rule is about, for filtering and docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// Reproducibility and correctness of the build.
    Correctness,
    /// Smaller, faster, better-cached images.
    Efficiency,
    /// Security of the image and the build.
    Security,
    /// Consistency and readability.
    Style,
}

/// The facts a rule declares: its code, other names it answers to, default level, summary and
/// examples. The examples are tests: `bad` fires exactly this rule, `good` fires nothing.
#[derive(Debug)]
pub struct RuleMeta {
    /// hadolint's `DLxxxx`, ShellCheck's `SCxxxx`, layerlab's `LLxxxx`, or a BuildKit check
    /// name for checks hadolint does not have.
    pub code: &'static str,
    /// Other names for the same rule (a BuildKit check name, for instance).
    pub aliases: &'static [&'static str],
    pub level: Level,
    pub category: Category,
    pub summary: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
    /// Whether the rule carries a fix.
    pub fixable: bool,
}

impl RuleMeta {
    /// Whether `name` is this rule's code or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.code == name || self.aliases.contains(&name)
    }

    /// The documentation page for the rule: Docker's for BuildKit's checks, except those
    /// Docker does not document.
    pub fn url(&self) -> String {
        if self.code.starts_with("DL")
            || self.code.starts_with("SC")
            || self.code.starts_with("LL")
            || NOT_IN_DOCKER_DOCS.contains(&self.code)
        {
            format!("https://layerlab.dev/rules/{}", self.code)
        } else {
            format!(
                "https://docs.docker.com/go/dockerfile/rule/{}/",
                kebab_case(self.code)
            )
        }
    }
}

/// BuildKit checks without a page in Docker's documentation (no `URL` in `linter/ruleset.go`).
const NOT_IN_DOCKER_DOCS: &[&str] = &["InvalidBaseImagePlatform"];

/// `JSONArgsRecommended` → `json-args-recommended`: a dash before each word, where a word
/// starts at an upper-case letter after a lower-case one, or at the last capital of an acronym.
fn kebab_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        let next = chars.get(i + 1);
        let starts_word = c.is_ascii_uppercase()
            && (prev.is_some_and(|p| p.is_ascii_lowercase())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(|n| n.is_ascii_lowercase())));
        if starts_word {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A lint rule. Rules are stateless values; everything they learn comes from the context.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>);
}

#[cfg(test)]
mod tests {
    #[test]
    fn kebab_cases_check_names() {
        assert_eq!(
            super::kebab_case("JSONArgsRecommended"),
            "json-args-recommended"
        );
        assert_eq!(super::kebab_case("FromAsCasing"), "from-as-casing");
    }
}
