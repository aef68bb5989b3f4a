//! Every rule's documented examples are tests: the bad example fires exactly that rule (and
//! nothing else), the good example fires nothing at all.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{lint, registry, LintOptions};

/// The build context's `.dockerignore` the examples are linted with (for `CopyIgnoredFile`).
const EXAMPLE_DOCKERIGNORE: &str = "node_modules\n";

/// The configuration that switches on rules that only run when configured (trusted
/// registries, label schema, strict labels, base images' platforms), shaped for their own
/// examples.
fn configured(code: &str, mut options: LintOptions) -> LintOptions {
    let schema = |name: &str, kind: &str| vec![(name.to_owned(), kind.to_owned())];
    match code {
        "DL3026" => options.trusted_registries = vec!["docker.io".to_owned()],
        "DL3049" | "DL3051" => options.label_schema = schema("maintainer", "text"),
        "DL3050" => {
            options.label_schema = schema("maintainer", "text");
            options.strict_labels = true;
        }
        "DL3052" => options.label_schema = schema("org.opencontainers.image.url", "url"),
        "DL3053" => options.label_schema = schema("org.opencontainers.image.created", "rfc3339"),
        "DL3054" => options.label_schema = schema("org.opencontainers.image.licenses", "spdx"),
        "DL3055" => options.label_schema = schema("org.opencontainers.image.revision", "hash"),
        "DL3056" => options.label_schema = schema("org.opencontainers.image.version", "semver"),
        "DL3058" => options.label_schema = schema("maintainer.email", "email"),
        "InvalidBaseImagePlatform" => {
            options.base_image_platforms = vec![
                (
                    "arm64v8/alpine:3.20".to_owned(),
                    vec!["linux/arm64".to_owned()],
                ),
                (
                    "alpine:3.20".to_owned(),
                    vec!["linux/amd64".to_owned(), "linux/arm64".to_owned()],
                ),
            ];
        }
        _ => {}
    }
    options
}

#[test]
fn bad_examples_fire_exactly_their_rule() {
    for rule in registry::rules() {
        let meta = rule.meta();
        let options = LintOptions {
            enable: vec![meta.code.to_owned()],
            dockerignore: Some(EXAMPLE_DOCKERIGNORE.to_owned()),
            ..LintOptions::default()
        };
        let options = configured(meta.code, options);
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
            dockerignore: Some(EXAMPLE_DOCKERIGNORE.to_owned()),
            ..LintOptions::default()
        };
        let options = configured(meta.code, options);
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
fn codes_are_unique_and_no_alias_is_another_rules_code() {
    let codes: Vec<&str> = registry::rules().iter().map(|r| r.meta().code).collect();
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "a rule code is registered twice");
    for rule in registry::rules() {
        for alias in rule.meta().aliases {
            assert!(
                !codes.contains(alias),
                "{}: alias {alias} is another rule's code",
                rule.meta().code
            );
        }
    }
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
