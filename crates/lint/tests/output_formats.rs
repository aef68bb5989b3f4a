//! Every output format on the same findings, as reviewed snapshots.
#![allow(clippy::unwrap_used)]

use layerlab_lint::output::{render, FileReport, Format};
use layerlab_lint::{lint, LintOptions};

const DOCKERFILE: &str = "FROM ubuntu\nMAINTAINER Jane <jane@example.com>\nENV PORT 8080\nWORKDIR app\nCMD python app.py\n";

#[test]
fn formats_match_snapshots() {
    let findings = lint(DOCKERFILE, &LintOptions::default());
    assert!(findings.len() >= 4);
    let files = [FileReport {
        path: "Dockerfile",
        text: DOCKERFILE,
        findings: &findings,
    }];
    for name in Format::NAMES {
        let format = Format::parse(name).unwrap();
        let mut output = render(format, &files, false);
        if matches!(
            format,
            Format::Json | Format::Sarif | Format::GitlabCodeclimate
        ) {
            let value: serde_json::Value = serde_json::from_str(&output).unwrap();
            output = serde_json::to_string_pretty(&value).unwrap();
        }
        insta::assert_snapshot!(name, output);
    }
}

#[test]
fn tty_colors_only_when_asked() {
    let findings = lint("FROM ubuntu\n", &LintOptions::default());
    let files = [FileReport {
        path: "Dockerfile",
        text: "FROM ubuntu\n",
        findings: &findings,
    }];
    assert!(render(Format::Tty, &files, true).contains("\u{1b}[33mwarning"));
    assert!(!render(Format::Tty, &files, false).contains('\u{1b}'));
}
