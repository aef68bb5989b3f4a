//! Every rule's documented examples are tests: the bad example fires exactly that rule (and
//! nothing else), the good example fires nothing at all.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{lint, registry, LintOptions};

#[test]
fn bad_examples_fire_exactly_their_rule() {
    for rule in registry::rules() {
        let meta = rule.meta();
        let options = LintOptions {
            enable: vec![meta.code.to_owned()],
            ..LintOptions::default()
        };
        let codes: Vec<&str> = lint(meta.bad, &options).iter().map(|f| f.code).collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == meta.code),
            "{}: bad example gave {codes:?}\n{}",
            meta.code,
            meta.bad
        );
    }
}

#[test]
fn good_examples_fire_nothing() {
    for rule in registry::rules() {
        let meta = rule.meta();
        let options = LintOptions {
            enable: vec![meta.code.to_owned()],
            ..LintOptions::default()
        };
        let findings = lint(meta.good, &options);
        assert!(
            findings.is_empty(),
            "{}: good example gave {findings:?}\n{}",
            meta.code,
            meta.good
        );
    }
}

#[test]
fn codes_and_aliases_are_unique() {
    let mut names: Vec<&str> = registry::rules()
        .iter()
        .flat_map(|r| std::iter::once(r.meta().code).chain(r.meta().aliases.iter().copied()))
        .collect();
    let total = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), total, "a rule name is registered twice");
}

#[test]
fn every_rule_is_documented_in_its_file() {
    for rule in registry::rules() {
        let code = rule.meta().code;
        let docs =
            registry::docs(code).unwrap_or_else(|| panic!("{code}: no module documentation"));
        for section in ["**What**", "**Why**", "**Bad**", "**Good**", "**Fix**"] {
            assert!(
                docs.contains(section),
                "{code}: documentation lacks {section}"
            );
        }
    }
}
