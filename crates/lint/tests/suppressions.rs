//! hadolint pragmas, BuildKit `# check=` directives and comments, configuration, and the
//! warning for a suppression that suppresses nothing.
#![allow(clippy::unwrap_used)]

use layerlab_lint::{lint, Level, LintOptions};

fn codes(text: &str, options: &LintOptions) -> Vec<(&'static str, usize)> {
    let index = layerlab_syntax::LineIndex::new(text);
    lint(text, options)
        .iter()
        .map(|f| (f.code, index.line_col(f.span.start).line))
        .collect()
}

#[test]
fn ignore_applies_to_the_next_instruction_only() {
    let text = "# hadolint ignore=DL3006\nFROM ubuntu\nFROM debian\n";
    assert_eq!(codes(text, &LintOptions::default()), [("DL3006", 3)]);
}

#[test]
fn ignore_accepts_reasons_and_lists() {
    let text = "FROM ubuntu:24.04\n# hadolint ignore=DL3000, DL3025 # legacy layout\nWORKDIR app\nCMD run\n";
    // DL3025 is listed but the pragma covers only the WORKDIR: that entry suppresses nothing.
    // The BuildKit checks on the same lines have names of their own and are not covered.
    assert_eq!(
        codes(text, &LintOptions::default()),
        [
            ("LL0001", 2),
            ("WorkdirRelativePath", 3),
            ("DL3025", 4),
            ("JSONArgsRecommended", 4)
        ]
    );
}

#[test]
fn global_and_stage_ignores() {
    let text = "# hadolint global ignore=DL3006\nFROM ubuntu\n# hadolint stage ignore=DL3000\nFROM debian:12 AS b\nWORKDIR x\nFROM debian:12\nWORKDIR y\n";
    assert_eq!(
        codes(text, &LintOptions::default()),
        [
            ("WorkdirRelativePath", 5),
            ("DL3000", 7),
            ("WorkdirRelativePath", 7)
        ]
    );
}

#[test]
fn unused_suppressions_are_reported_where_they_are() {
    let text = "# hadolint ignore=DL3006,DL3007\nFROM ubuntu\n";
    let findings = lint(text, &LintOptions::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "LL0001");
    assert_eq!(
        &text[findings[0].span.start..findings[0].span.end],
        "DL3007"
    );
}

#[test]
fn buildkit_check_directive_skips_by_name_and_all() {
    let text = "# check=skip=StageNameCasing\nFROM golang:1.23 AS Build\n";
    assert!(codes(text, &LintOptions::default()).is_empty());
    let text = "# check=skip=all\nFROM golang:1.23 AS Build\nENV A b\n";
    assert!(codes(text, &LintOptions::default()).is_empty());
}

#[test]
fn buildkit_check_error_true_escalates_checks_only() {
    let text = "# check=error=true\nFROM golang:1.23 AS Build\nWORKDIR app\n";
    let findings = lint(text, &LintOptions::default());
    let levels: Vec<(&str, Level)> = findings.iter().map(|f| (f.code, f.level)).collect();
    assert!(levels.contains(&("StageNameCasing", Level::Error)));
    assert!(levels.contains(&("DL3000", Level::Error)));
}

#[test]
fn per_instruction_check_comments() {
    let text = "FROM golang:1.23 AS Build\n# check=skip=LegacyKeyValueFormat\nENV A b\nENV C d\n";
    assert_eq!(
        codes(text, &LintOptions::default()),
        [("StageNameCasing", 1), ("LegacyKeyValueFormat", 4)]
    );
}

#[test]
fn aliases_suppress_too() {
    let text = "FROM alpine:3.20\n# hadolint ignore=MaintainerDeprecated\nMAINTAINER me\n";
    assert!(codes(text, &LintOptions::default()).is_empty());
}

#[test]
fn disable_ignore_pragma_keeps_everything() {
    let text = "# hadolint ignore=DL3006\nFROM ubuntu\n";
    let options = LintOptions {
        disable_ignore_pragma: true,
        ..LintOptions::default()
    };
    assert_eq!(codes(text, &options), [("DL3006", 2)]);
}

#[test]
fn configuration_ignores_and_overrides() {
    let text = "FROM ubuntu\nWORKDIR app\n";
    let options = LintOptions {
        ignored: vec!["DL3000".into(), "WorkdirRelativePath".into()],
        overrides: vec![("DL3006".into(), Level::Error)],
        ..LintOptions::default()
    };
    let findings = lint(text, &options);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].code, findings[0].level),
        ("DL3006", Level::Error)
    );
}

#[test]
fn syntax_errors_do_not_stop_linting() {
    let text = "FROM ubuntu\nENV ONLYNAME\nWORKDIR app\n";
    assert_eq!(
        codes(text, &LintOptions::default()),
        [
            ("DL3006", 1),
            ("DL1000", 2),
            ("DL3000", 3),
            ("WorkdirRelativePath", 3)
        ]
    );
}
