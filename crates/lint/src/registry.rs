//! Every rule, registered in one place.

use crate::rules;
use crate::{Rule, RuleMeta};

static RULES: &[&dyn Rule] = &[
    &rules::dl3000::Dl3000,
    &rules::dl3006::Dl3006,
    &rules::dl3007::Dl3007,
    &rules::dl3025::Dl3025,
    &rules::dl4000::Dl4000,
    &rules::legacy_key_value_format::LegacyKeyValueFormat,
    &rules::no_empty_continuation::NoEmptyContinuation,
    &rules::stage_name_casing::StageNameCasing,
];

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// The rule's documentation (What, Why, Bad, Good, Fix) as Markdown, from its source file.
pub fn docs(code: &str) -> Option<&'static str> {
    RULE_DOCS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, doc)| *doc)
}

/// All rules, in registration order.
pub fn rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule that reports `code`.
pub fn meta_of(code: &str) -> Option<&'static RuleMeta> {
    RULES.iter().map(|r| r.meta()).find(|m| m.code == code)
}

/// Whether the rule reporting `code` is one of BuildKit's build checks (by code or alias).
pub fn is_buildkit_check(code: &str) -> bool {
    meta_of(code).is_some_and(|m| {
        std::iter::once(m.code)
            .chain(m.aliases.iter().copied())
            .any(is_buildkit_name)
    })
}

/// BuildKit names its checks in CamelCase; hadolint, ShellCheck and layerlab use codes.
fn is_buildkit_name(name: &str) -> bool {
    !["DL", "SC", "LL"].iter().any(|prefix| {
        name.strip_prefix(prefix)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    })
}
