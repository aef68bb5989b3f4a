//! `.dockerignore` as Docker applies it (`buildkit-semantics.md` §3.10): moby/patternmatcher's
//! patterns and fsutil's walk, and what `COPY . .` then sees.
#![allow(clippy::unwrap_used)]

mod support;

use layerlab_buildsim::{Context, Decision, Entry, Ignore, MatchInfo, Status::*};
use support::*;

fn tree(paths: &[&str]) -> Context {
    Context::from_entries(paths.iter().map(|p| (*p, Entry::file_with(p.as_bytes()))))
}

fn sent(ignore: &str, paths: &[&str]) -> Vec<String> {
    let i = Ignore::parse(ignore).unwrap();
    let mut out: Vec<String> = i
        .filter(&tree(paths))
        .entries()
        .into_iter()
        .filter(|(_, e)| e.kind != layerlab_buildsim::EntryKind::Dir)
        .map(|(p, _)| p)
        .collect();
    out.sort();
    out
}

const FILES: &[&str] = &[
    "Dockerfile",
    ".git/HEAD",
    "README.md",
    "docs/guide.md",
    "docs/keep.md",
    "src/app.js",
    "src/app.test.js",
    "src/lib/util.js",
    "src/lib/util.test.js",
    "node_modules/left-pad/index.js",
    "build/out.log",
    "a.log",
];

#[test]
fn plain_names_match_at_the_root_only() {
    let s = sent("README.md\nutil.js\n", FILES);
    assert!(!s.contains(&"README.md".to_owned()));
    assert!(s.contains(&"src/lib/util.js".to_owned()));
}

#[test]
fn a_directory_pattern_excludes_everything_under_it() {
    let s = sent("node_modules\n.git\n", FILES);
    assert!(!s
        .iter()
        .any(|p| p.starts_with("node_modules/") || p.starts_with(".git/")));
}

#[test]
fn star_stays_within_one_component_and_double_star_crosses() {
    assert_eq!(
        sent("*.log\n", FILES)
            .iter()
            .filter(|p| p.ends_with(".log"))
            .collect::<Vec<_>>(),
        ["build/out.log"]
    );
    assert!(!sent("**/*.log\n", FILES)
        .iter()
        .any(|p| p.ends_with(".log")));
    assert!(!sent("**/*.test.js\n", FILES)
        .iter()
        .any(|p| p.contains(".test.")));
    assert!(sent("src/*.test.js\n", FILES).contains(&"src/lib/util.test.js".to_owned()));
}

#[test]
fn exceptions_and_order_last_match_wins() {
    let s = sent("docs\n!docs/keep.md\n", FILES);
    assert!(s.contains(&"docs/keep.md".to_owned()));
    assert!(!s.contains(&"docs/guide.md".to_owned()));
    // A later pattern excludes the exception again.
    let s = sent("*.md\n!README.md\nREADME*\n", FILES);
    assert!(!s.contains(&"README.md".to_owned()));
    // An exception before the exclusion does nothing.
    let s = sent("!README.md\n*.md\n", FILES);
    assert!(!s.contains(&"README.md".to_owned()));
}

#[test]
fn a_leading_slash_and_dot_segments_are_cleaned() {
    assert_eq!(sent("/README.md\n", FILES), sent("README.md\n", FILES));
    assert_eq!(sent("./src/../a.log\n", FILES), sent("a.log\n", FILES));
}

#[test]
fn exceptions_cannot_reach_into_a_skipped_directory() {
    // moby/moby#30018: an exception with no wildcard only re-enters a directory it names.
    let s = sent("docs\n!keep.md\n", FILES);
    assert!(!s.contains(&"docs/keep.md".to_owned()));
    // With a wildcard exception, the walker enters every excluded directory.
    let s = sent("docs\n!**/keep.md\n", FILES);
    assert!(s.contains(&"docs/keep.md".to_owned()));
    assert!(!s.contains(&"docs/guide.md".to_owned()));
}

#[test]
fn comments_only_at_the_start_of_a_line() {
    let i = Ignore::parse("# a comment\n  # not one\n\n\t\n").unwrap();
    assert_eq!(i.patterns(), ["# not one"]);
}

#[test]
fn malformed_patterns_fail_like_buildkit() {
    assert_eq!(Ignore::parse("a\n!\n").unwrap_err().line, 2);
    assert_eq!(
        Ignore::parse("[a-\n").unwrap_err().message,
        "syntax error in pattern"
    );
}

#[test]
fn the_walker_api_skips_what_it_cannot_send() {
    let i = Ignore::parse("node_modules\ndocs\n!docs/keep.md\n").unwrap();
    let root = MatchInfo::default();
    assert_eq!(i.decide("node_modules", true, &root).0, Decision::Skip);
    assert_eq!(i.decide("src", true, &root).0, Decision::Include);
    let (d, info) = i.decide("docs", true, &root);
    assert_eq!(d, Decision::Enter);
    assert_eq!(i.decide("docs/keep.md", false, &info).0, Decision::Include);
    assert_eq!(i.decide("docs/guide.md", false, &info).0, Decision::Skip);
}

#[test]
fn what_copy_dot_sees() {
    let df = "FROM alpine\nCOPY . /src\n";
    let files = [("src/app.js", "1"), ("README.md", "r"), ("tests/t.js", "t")];
    let r = case(df)
        .files(&files)
        .ignore("*.md\ntests\n")
        .changed("README.md")
        .run();
    expect(&r, &[(2, Cached)]);
    let r = case(df)
        .files(&files)
        .ignore("*.md\ntests\n")
        .changed("src/app.js")
        .run();
    expect(&r, &[(2, Rebuilt)]);
    // The .dockerignore itself is part of the context unless it ignores itself.
    let r = case(df)
        .files(&files)
        .ignore("*.md\n")
        .changed(".dockerignore")
        .run();
    expect(&r, &[(2, Rebuilt)]);
    assert!(r
        .advice
        .iter()
        .any(|a| a.code == "cache/dockerfile-in-context"));
}
