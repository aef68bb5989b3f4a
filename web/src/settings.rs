//! The playground's lint settings: a level (or off) per rule, and an imported
//! `.hadolint.yaml`. They live in the page only; the struct is serialisable so a share link can
//! carry it (`serde`, with empty parts left out: the default settings serialise to `{}`).
//! The worker turns them into the linter's options (`layerlab_wasm::lint_options`), where a
//! choice made here replaces whatever the file says about that rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the user chose for one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleChoice {
    Off,
    Error,
    Warning,
    Info,
    Style,
}

impl RuleChoice {
    pub const ALL: [RuleChoice; 5] = [
        RuleChoice::Off,
        RuleChoice::Error,
        RuleChoice::Warning,
        RuleChoice::Info,
        RuleChoice::Style,
    ];

    /// The name the linter and `.hadolint.yaml` use (`off` for a disabled rule).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleChoice::Off => "off",
            RuleChoice::Error => "error",
            RuleChoice::Warning => "warning",
            RuleChoice::Info => "info",
            RuleChoice::Style => "style",
        }
    }

    pub fn parse(name: &str) -> Option<RuleChoice> {
        RuleChoice::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LintSettings {
    /// Rule code → the user's choice. Rules not listed keep their level (the file's, or the
    /// rule's default).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleChoice>,
    /// The imported `.hadolint.yaml` text; empty when none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hadolint_yaml: String,
}

impl LintSettings {
    /// The settings with `code` set to `choice`; `None` goes back to the default.
    pub fn with_rule(&self, code: &str, choice: Option<RuleChoice>) -> LintSettings {
        let mut next = self.clone();
        match choice {
            Some(choice) => next.rules.insert(code.to_owned(), choice),
            None => next.rules.remove(code),
        };
        next
    }

    pub fn with_hadolint_yaml(&self, text: String) -> LintSettings {
        LintSettings {
            hadolint_yaml: text,
            ..self.clone()
        }
    }

    pub fn is_default(&self) -> bool {
        *self == LintSettings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_compactly_and_round_trips() {
        assert_eq!(
            serde_json::to_string(&LintSettings::default()).expect("json"),
            "{}"
        );
        let settings = LintSettings::default()
            .with_rule("DL3006", Some(RuleChoice::Off))
            .with_rule("DL3008", Some(RuleChoice::Error))
            .with_hadolint_yaml("ignored: [DL3059]\n".into());
        let json = serde_json::to_string(&settings).expect("json");
        assert_eq!(
            json,
            r#"{"rules":{"DL3006":"off","DL3008":"error"},"hadolint_yaml":"ignored: [DL3059]\n"}"#
        );
        let back: LintSettings = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, settings);
        assert!(back.with_rule("DL3006", None).rules.len() == 1);
    }

    #[test]
    fn choices_have_the_linters_names() {
        for choice in RuleChoice::ALL {
            assert_eq!(RuleChoice::parse(choice.as_str()), Some(choice));
        }
        assert_eq!(RuleChoice::parse("ignore"), None);
    }
}
