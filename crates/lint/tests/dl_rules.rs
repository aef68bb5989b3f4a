//! Positive and negative cases for the hadolint rules that need no shell parsing, written from
//! their documented behaviour (and checked against hadolint 2.15.1 where they agree): each
//! case asserts the exact text each finding covers.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{apply_fixes, lint, Finding, LintOptions};

fn options(code: &str) -> LintOptions {
    LintOptions {
        enable: vec![code.to_owned()],
        ..LintOptions::default()
    }
}

fn findings_with(text: &str, code: &str, options: &LintOptions) -> Vec<Finding> {
    lint(text, options)
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// The source text each finding of `code` covers, in order.
fn hits_with<'t>(text: &'t str, code: &str, options: &LintOptions) -> Vec<&'t str> {
    findings_with(text, code, options)
        .iter()
        .map(|f| &text[f.span.start..f.span.end])
        .collect()
}

fn hits<'t>(text: &'t str, code: &str) -> Vec<&'t str> {
    hits_with(text, code, &options(code))
}

/// The text after applying the fixes of `code`'s findings (unsafe ones included).
fn fixed(text: &str, code: &str, options: &LintOptions) -> String {
    let findings = findings_with(text, code, options);
    apply_fixes(text, &findings, true).0
}

fn schema(pairs: &[(&str, &str)]) -> LintOptions {
    LintOptions {
        label_schema: pairs
            .iter()
            .map(|(n, k)| ((*n).to_owned(), (*k).to_owned()))
            .collect(),
        ..LintOptions::default()
    }
}

// DL1001

#[test]
fn dl1001_reports_inline_ignores_only_when_enabled() {
    let text = "# hadolint ignore=DL3006\nFROM debian\n# hadolint global ignore=DL3007\nFROM node:latest\n  #hadolint ignore=DL3020 # local file\nADD a.txt /a\n# hadolint ignore=nothing\n";
    assert_eq!(
        hits(text, "DL1001"),
        [
            "# hadolint ignore=DL3006",
            "#hadolint ignore=DL3020 # local file"
        ]
    );
    assert!(hits_with(text, "DL1001", &LintOptions::default()).is_empty());
    let fixed = fixed(text, "DL1001", &options("DL1001"));
    assert_eq!(
        fixed,
        "FROM debian\n# hadolint global ignore=DL3007\nFROM node:latest\nADD a.txt /a\n# hadolint ignore=nothing\n"
    );
}

#[test]
fn dl1001_ignores_comment_text_inside_heredocs() {
    let text = "FROM alpine:3.20\nRUN <<EOF\n# hadolint ignore=DL3018\napk add curl\nEOF\n";
    assert!(hits(text, "DL1001").is_empty());
}

// DL3002

#[test]
fn dl3002_reports_the_last_root_user_of_each_stage() {
    let text = "FROM alpine:3.20 AS build\nUSER 0\nRUN true\nFROM alpine:3.20\nUSER root:root\nUSER 1000\nFROM alpine:3.20\nUSER \"0:0\"\n";
    assert_eq!(hits(text, "DL3002"), ["0", "\"0:0\""]);
}

#[test]
fn dl3002_is_quiet_without_user_or_for_other_users() {
    assert!(hits("FROM alpine:3.20\nRUN true\n", "DL3002").is_empty());
    assert!(hits("FROM alpine:3.20\nUSER rooted\nUSER 1000:0\n", "DL3002").is_empty());
    // ONBUILD USER is not the stage's user.
    assert!(hits("FROM alpine:3.20\nUSER 1000\nONBUILD USER root\n", "DL3002").is_empty());
}

// DL3011

#[test]
fn dl3011_reports_ports_and_range_bounds_above_65535() {
    let text = "FROM nginx:1.27\nEXPOSE 80 65536/udp\nEXPOSE 8000-70000\nEXPOSE 65535 0 1000-2000/tcp\nEXPOSE ${PORT}\nEXPOSE \"70000\"\n";
    assert_eq!(
        hits(text, "DL3011"),
        ["65536/udp", "8000-70000", "\"70000\""]
    );
}

#[test]
fn dl3011_replaces_the_buildkit_error() {
    let codes: Vec<&str> = lint("FROM nginx:1.27\nEXPOSE 70000\n", &LintOptions::default())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["DL3011"]);
    // Ignoring the rule brings BuildKit's error back.
    let options = LintOptions {
        ignored: vec!["DL3011".to_owned()],
        ..LintOptions::default()
    };
    let codes: Vec<&str> = lint("FROM nginx:1.27\nEXPOSE 70000\n", &options)
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["DL1000"]);
}

// DL3012, DL4003, DL4004

#[test]
fn dl3012_reports_later_healthchecks_per_stage_with_a_fix() {
    let text = "FROM nginx:1.27\nHEALTHCHECK CMD [\"a\"]\nHEALTHCHECK NONE\nhealthcheck CMD [\"b\"]\nFROM nginx:1.27\nHEALTHCHECK CMD [\"c\"]\nONBUILD HEALTHCHECK CMD [\"d\"]\n";
    assert_eq!(hits(text, "DL3012"), ["HEALTHCHECK", "healthcheck"]);
    let findings = findings_with(text, "DL3012", &options("DL3012"));
    assert!(findings
        .iter()
        .all(|f| f.fix.as_ref().is_some_and(|x| !x.safe)));
    assert_eq!(
        fixed(text, "DL3012", &options("DL3012")),
        "FROM nginx:1.27\nhealthcheck CMD [\"b\"]\nFROM nginx:1.27\nHEALTHCHECK CMD [\"c\"]\nONBUILD HEALTHCHECK CMD [\"d\"]\n"
    );
}

#[test]
fn dl4003_reports_the_second_and_later_cmd() {
    let text = "FROM alpine:3.20\nCMD [\"a\"]\nENTRYPOINT [\"e\"]\nCMD [\"b\"]\nCMD [\"c\"]\nFROM alpine:3.20\nCMD [\"d\"]\nONBUILD CMD [\"x\"]\n";
    let findings = findings_with(text, "DL4003", &options("DL4003"));
    let lines: Vec<usize> = findings
        .iter()
        .map(|f| text[..f.span.start].matches('\n').count() + 1)
        .collect();
    assert_eq!(lines, [4, 5]);
    assert_eq!(
        fixed(text, "DL4003", &options("DL4003")),
        "FROM alpine:3.20\nENTRYPOINT [\"e\"]\nCMD [\"c\"]\nFROM alpine:3.20\nCMD [\"d\"]\nONBUILD CMD [\"x\"]\n"
    );
}

#[test]
fn dl4004_reports_repeated_entrypoints_only_within_a_stage() {
    let text = "FROM alpine:3.20 AS a\nENTRYPOINT [\"a\"]\nFROM a\nENTRYPOINT [\"b\"]\n";
    assert!(hits(text, "DL4004").is_empty());
    let text = "FROM alpine:3.20\nENTRYPOINT [\"a\"]\n  ENTRYPOINT [\"b\"]\n";
    assert_eq!(hits(text, "DL4004"), ["ENTRYPOINT"]);
    assert_eq!(
        fixed(text, "DL4004", &options("DL4004")),
        "FROM alpine:3.20\n  ENTRYPOINT [\"b\"]\n"
    );
}

// DL3020

#[test]
fn dl3020_reports_local_non_archive_sources() {
    let text = "FROM alpine:3.20\nADD a.txt /x\nADD a.tar.gz /x\nADD a.zip /x\nADD https://example.com/a.txt /x\nADD git@github.com:moby/buildkit.git /src\nADD a.TAR.GZ b.conf /x/\nADD [\"c.txt\", \"/x\"]\nADD ftp://example.com/f /x\n";
    assert_eq!(
        hits(text, "DL3020"),
        [
            "a.txt",
            "a.zip",
            "b.conf",
            "\"c.txt\"",
            "ftp://example.com/f"
        ]
    );
}

#[test]
fn dl3020_expands_known_variables() {
    let text = "FROM alpine:3.20\nARG URL=https://example.com/tool.tgz\nADD ${URL} /opt/\nARG JAR=app.jar\nADD ${JAR} /app.jar\nARG UNKNOWN\nADD $UNKNOWN /x\n";
    assert_eq!(hits(text, "DL3020"), ["${JAR}", "$UNKNOWN"]);
}

#[test]
fn dl3020_offers_copy_only_when_every_source_is_a_file() {
    let text = "FROM alpine:3.20\nADD --chown=1:1 a.txt b.txt /x/\nADD a.txt a.tar /x/\nadd --checksum=sha256:abc c.txt /x\nADD <<EOF /etc/motd\nhello\nEOF\n";
    let findings = findings_with(text, "DL3020", &options("DL3020"));
    let fixes: Vec<bool> = findings.iter().map(|f| f.fix.is_some()).collect();
    assert_eq!(fixes, [true, false, false, false, true]);
    assert!(findings.iter().flat_map(|f| &f.fix).all(|f| !f.safe));
    assert_eq!(
        fixed(text, "DL3020", &options("DL3020")),
        "FROM alpine:3.20\nCOPY --chown=1:1 a.txt b.txt /x/\nADD a.txt a.tar /x/\nadd --checksum=sha256:abc c.txt /x\nCOPY <<EOF /etc/motd\nhello\nEOF\n"
    );
}

// DL3021

#[test]
fn dl3021_reports_multi_source_copies_to_non_directories() {
    let text = "FROM node:22.11\nCOPY a b /app\nCOPY a b /app/\nCOPY a /app\nCOPY [\"a\", \"b\", \"/app\"]\nCOPY a b .\nCOPY a b ./\nCOPY --from=node:22.11 a b /x\nADD a b /x\nONBUILD COPY a b /x\nCOPY a b \"/q\"\n";
    assert_eq!(hits(text, "DL3021"), ["/app", "\"/app\"", "/x", "\"/q\""]);
    assert_eq!(
        fixed(text, "DL3021", &options("DL3021")),
        "FROM node:22.11\nCOPY a b /app/\nCOPY a b /app/\nCOPY a /app\nCOPY [\"a\", \"b\", \"/app/\"]\nCOPY a b .\nCOPY a b ./\nCOPY --from=node:22.11 a b /x/\nADD a b /x\nONBUILD COPY a b /x\nCOPY a b \"/q/\"\n"
    );
}

#[test]
fn dl3021_expands_known_destinations() {
    let text = "FROM node:22.11\nENV DEST=/srv/\nCOPY a b $DEST\nENV OTHER=/srv\nCOPY a b ${OTHER}\nARG UNSET\nCOPY a b $UNSET\n";
    assert_eq!(hits(text, "DL3021"), ["${OTHER}", "$UNSET"]);
}

// DL3022

#[test]
fn dl3022_accepts_external_images_hadolint_859() {
    let text = "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=hello-world /hello /hello\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=gcr.io/distroless/static /x /x\nCOPY --from=build /out /out\nCOPY --from=BUILD /out /out\nCOPY --from=0 /out /out\n";
    assert!(hits(text, "DL3022").is_empty());
}

#[test]
fn dl3022_reports_bad_indexes_forward_references_and_non_images() {
    let text = "FROM golang:1.23 AS build\nFROM alpine:3.20 AS two\nCOPY --from=1 /a /a\nCOPY --from=2 /a /a\nCOPY --from=later /a /a\nCOPY --from=Builder /a /a\nCOPY --from=-1 /a /a\nCOPY --from=$STAGE /a /a\nONBUILD COPY --from=Nope /a /a\nFROM alpine:3.20 AS later\n";
    assert_eq!(
        hits(text, "DL3022"),
        ["1", "2", "later", "Builder", "-1", "$STAGE"]
    );
    // BuildKit's own errors on these are reported once, under DL3022.
    let all = lint(text, &LintOptions::default());
    assert!(all.iter().all(|f| f.code != "DL1000"), "{all:?}");
}

// DL3023

#[test]
fn dl3023_reports_a_stage_copying_from_itself() {
    let text = "FROM golang:1.23 AS Build\nCOPY --from=build /a /a\nCOPY --from=other /a /a\nFROM alpine:3.20\nCOPY --from=build /a /a\n";
    assert_eq!(hits(text, "DL3023"), ["build"]);
    let codes: Vec<&str> = lint(text, &LintOptions::default())
        .iter()
        .map(|f| f.code)
        .filter(|c| c.starts_with("DL"))
        .collect();
    assert_eq!(codes, ["DL3023"]);
}

// DL3026

fn trusted(registries: &[&str]) -> LintOptions {
    LintOptions {
        trusted_registries: registries.iter().map(|r| (*r).to_owned()).collect(),
        ..LintOptions::default()
    }
}

#[test]
fn dl3026_is_off_without_trusted_registries() {
    assert!(hits("FROM gcr.io/x/y:1\n", "DL3026").is_empty());
}

#[test]
fn dl3026_checks_from_copy_and_mounts() {
    let text = "FROM alpine:3.20 AS base\nFROM docker.io/library/alpine:3.20\nFROM gcr.io/x/y:1\nFROM eu.gcr.io/x:1\nFROM base\nFROM scratch\nCOPY --from=quay.io/y:1 /a /a\nCOPY --from=hello-world /a /a\nCOPY --from=0 /a /a\nCOPY --from=base /a /a\nRUN --mount=type=bind,from=quay.io/q:1,target=/x true\nRUN --mount=type=bind,from=base,target=/y true\n";
    let options = trusted(&["docker.io"]);
    assert_eq!(
        hits_with(text, "DL3026", &options),
        ["gcr.io", "eu.gcr.io", "quay.io", "quay.io"]
    );
    let options = trusted(&["*.gcr.io", "quay*"]);
    assert_eq!(
        hits_with(text, "DL3026", &options),
        ["alpine:3.20", "docker.io", "gcr.io", "hello-world"]
    );
    assert!(hits_with(text, "DL3026", &trusted(&["*"])).is_empty());
}

#[test]
fn dl3026_expands_global_args_and_skips_unknown_registries() {
    let text = "ARG REGISTRY=gcr.io\nARG UNKNOWN\nFROM ${REGISTRY}/app:1\nFROM $UNKNOWN/app:1\nFROM quay.io/${UNKNOWN}:1\n";
    assert_eq!(
        hits_with(text, "DL3026", &trusted(&["docker.io"])),
        ["${REGISTRY}/app:1", "quay.io"]
    );
}

// DL3029

#[test]
fn dl3029_reports_platforms_without_build_or_target_platform() {
    let text = "FROM --platform=linux/amd64 alpine:3.20\nFROM --platform=$BUILDPLATFORM golang:1.23\nFROM --platform=${TARGETPLATFORM} alpine:3.20\nFROM --platform=$TARGETOS/$TARGETARCH alpine:3.20\nFROM alpine:3.20\n";
    assert_eq!(
        hits(text, "DL3029"),
        ["--platform=linux/amd64", "--platform=$TARGETOS/$TARGETARCH"]
    );
}

// DL3043

#[test]
fn dl3043_reports_forbidden_triggers_once() {
    let text = "FROM alpine:3.20\nONBUILD ONBUILD RUN true\nONBUILD from alpine:3.20\nONBUILD MAINTAINER jane\nONBUILD RUN true\n";
    assert_eq!(hits(text, "DL3043"), ["ONBUILD", "from", "MAINTAINER"]);
    assert!(lint(text, &LintOptions::default())
        .iter()
        .all(|f| f.code != "DL1000"));
}

// DL3044

#[test]
fn dl3044_reports_references_to_pairs_of_the_same_env() {
    let text = "FROM alpine:3.20\nENV A=1 B=$A\nENV C=1 D=${C:-x}/bin\nENV E=1 F='$E' G=\\$E\nENV H=$I I=1\nENV A=2 Q=$A\nENV PATH=/x:$PATH P=$PATH\nONBUILD ENV X=1 Y=$X\n";
    assert_eq!(hits(text, "DL3044"), ["$A", "${C:-x}", "$I", "$PATH"]);
}

#[test]
fn dl3044_knows_earlier_definitions_across_the_file() {
    let text = "ARG A\nFROM alpine:3.20\nENV A=1 B=$A\nFROM alpine:3.20\nARG C\nFROM alpine:3.20\nENV C=1 D=$C\n";
    assert!(hits(text, "DL3044").is_empty());
}

#[test]
fn dl3044_fix_splits_the_env() {
    let text = "FROM alpine:3.20\nENV APP=/app \\\n    BIN=$APP/bin LIB=$APP/lib\nENV H=$I I=1\n";
    let findings = findings_with(text, "DL3044", &options("DL3044"));
    assert_eq!(findings.len(), 3);
    assert!(findings[0].fix.as_ref().is_some_and(|f| !f.safe));
    assert_eq!(
        fixed(text, "DL3044", &options("DL3044")),
        "FROM alpine:3.20\nENV APP=/app\nENV BIN=$APP/bin\nENV LIB=$APP/lib\nENV H=$I I=1\n"
    );
}

// DL3045

#[test]
fn dl3045_reports_relative_destinations_before_any_workdir() {
    let text = "FROM alpine:3.20\nCOPY a b\nCOPY a /b\nCOPY a $B\nCOPY a c:/x\nCOPY a \"rel\"\nCOPY [\"a\", \"json\"]\nCOPY a .\nCOPY a ~/b\nONBUILD COPY a b\nWORKDIR /app\nCOPY a b\n";
    assert_eq!(
        hits(text, "DL3045"),
        ["b", "\"rel\"", "\"json\"", ".", "~/b"]
    );
}

#[test]
fn dl3045_inherits_workdir_from_in_file_parent_stages() {
    let text = "FROM alpine:3.20 AS base\nRUN true\nWORKDIR /app\nFROM base AS two\nCOPY a b\nFROM two\nCOPY a b\nFROM alpine:3.20\nONBUILD WORKDIR /x\nCOPY a b\n";
    assert_eq!(hits(text, "DL3045"), ["b"]);
    let f = findings_with(text, "DL3045", &options("DL3045"));
    assert_eq!(&text[..f[0].span.start].matches('\n').count(), &9);
}

// DL3048

#[test]
fn dl3048_reports_invalid_label_keys() {
    let text = "FROM alpine:3.20\nLABEL maintainer=x Maintainer=y\nLABEL com.docker.x=1 a..b=1 a--b=1 a-=1 1a=1 a_b=1 a/b=1 \"quoted\"=1 a.-b=1\nLABEL Legacy value\nONBUILD LABEL X=1\n";
    assert_eq!(
        hits(text, "DL3048"),
        [
            "Maintainer",
            "com.docker.x",
            "a..b",
            "a--b",
            "a-",
            "1a",
            "Legacy"
        ]
    );
    assert_eq!(
        fixed(text, "DL3048", &options("DL3048")),
        "FROM alpine:3.20\nLABEL maintainer=x maintainer=y\nLABEL com.docker.x=1 a..b=1 a--b=1 a-=1 1a=1 a_b=1 a/b=1 \"quoted\"=1 a.-b=1\nLABEL legacy value\nONBUILD LABEL X=1\n"
    );
}

// DL3049

#[test]
fn dl3049_reports_missing_labels_per_stage_with_inheritance() {
    let options = schema(&[("author", "text"), ("version", "semver")]);
    let text = "FROM alpine:3.20 AS base\nLABEL author=jane\nFROM base AS two\nLABEL \"version\"=1.0.0\nFROM two\nFROM alpine:3.20\nONBUILD LABEL author=x\n";
    let found: Vec<(String, &str)> = findings_with(text, "DL3049", &options)
        .iter()
        .map(|f| (f.message.clone(), &text[f.span.start..f.span.end]))
        .collect();
    assert_eq!(
        found,
        [
            ("Label `version` is missing".to_owned(), "alpine:3.20"),
            ("Label `author` is missing".to_owned(), "alpine:3.20"),
            ("Label `version` is missing".to_owned(), "alpine:3.20"),
        ]
    );
    assert!(hits(text, "DL3049").is_empty());
}

#[test]
fn dl3049_skips_stages_that_are_copied_from() {
    let options = schema(&[("author", "text")]);
    let text = "FROM golang:1.23 AS build\nFROM build AS test\nFROM alpine:3.20\nCOPY --from=build /a /a\nCOPY --from=1 /b /b\n";
    assert_eq!(hits_with(text, "DL3049", &options), ["alpine:3.20"]);
    // Copied from before it is defined: still a stage of its own.
    let text = "FROM alpine:3.20\nCOPY --from=later /a /a\nFROM alpine:3.20 AS later\n";
    assert_eq!(hits_with(text, "DL3049", &options).len(), 2);
}

// DL3050

#[test]
fn dl3050_needs_strict_labels() {
    let text = "FROM alpine:3.20\nLABEL author=jane other=x\n";
    let mut options = schema(&[("author", "text")]);
    assert!(hits_with(text, "DL3050", &options).is_empty());
    options.strict_labels = true;
    assert_eq!(hits_with(text, "DL3050", &options), ["other"]);
    let strict_only = LintOptions {
        strict_labels: true,
        ..LintOptions::default()
    };
    assert_eq!(hits_with(text, "DL3050", &strict_only), ["author", "other"]);
}

// DL3051 – DL3058

#[test]
fn dl3051_reports_empty_schema_labels() {
    let options = schema(&[("author", "text"), ("url", "url")]);
    let text = "FROM alpine:3.20\nLABEL author=\"\" url= other=\"\"\nLABEL author=$WHO\n";
    assert_eq!(hits_with(text, "DL3051", &options), ["\"\"", "url="]);
}

#[test]
fn typed_label_rules_validate_their_values() {
    let options = schema(&[
        ("url", "url"),
        ("created", "rfc3339"),
        ("license", "spdx"),
        ("commit", "hash"),
        ("version", "semver"),
        ("email", "email"),
    ]);
    let good = "FROM alpine:3.20\nLABEL url=\"https://x.com\" created=\"2024-01-01T00:00:00Z\" license=\"MIT\" commit=\"abcdef0\" version=\"1.0.0\" email=\"a@b.co\"\n";
    let bad = "FROM alpine:3.20\nLABEL url=example.com created=2024-01-01 license=\"MIT OR Apache-2.0\" commit=ABCDEF0 version=1.0 email=\"Jane <j@x.io>\"\n";
    let vars = "FROM alpine:3.20\nLABEL url=$URL created=${CREATED} license=$L commit=$C version=$VERSION email=$E\n";
    for (code, expected) in [
        ("DL3052", "example.com"),
        ("DL3053", "2024-01-01"),
        ("DL3054", "\"MIT OR Apache-2.0\""),
        ("DL3055", "ABCDEF0"),
        ("DL3056", "1.0"),
        ("DL3058", "\"Jane <j@x.io>\""),
    ] {
        assert!(hits_with(good, code, &options).is_empty(), "{code}");
        assert_eq!(hits_with(bad, code, &options), [expected], "{code}");
        assert!(hits_with(vars, code, &options).is_empty(), "{code}");
        assert!(hits(bad, code).is_empty(), "{code} without a schema");
    }
}

#[test]
fn typed_label_rules_also_report_empty_values() {
    let options = schema(&[("version", "semver")]);
    let text = "FROM alpine:3.20\nLABEL version=\"\"\n";
    assert_eq!(hits_with(text, "DL3056", &options), ["\"\""]);
    assert_eq!(hits_with(text, "DL3051", &options), ["\"\""]);
}

// DL3057

#[test]
fn dl3057_is_off_by_default_and_stage_aware() {
    let text = "FROM nginx:1.27 AS base\nHEALTHCHECK NONE\nFROM base\nFROM nginx:1.27\nONBUILD HEALTHCHECK CMD [\"x\"]\n";
    assert!(hits_with(text, "DL3057", &LintOptions::default()).is_empty());
    assert_eq!(hits(text, "DL3057"), ["nginx:1.27"]);
    let f = findings_with(text, "DL3057", &options("DL3057"));
    assert_eq!(f[0].span.start, text.rfind("nginx:1.27").unwrap());
}

// DL3061

#[test]
fn dl3061_reports_instructions_before_the_first_from() {
    let text =
        "# syntax=docker/dockerfile:1\nARG V=1\nLABEL a=b\nrun true\nFROM alpine:3.20\nLABEL c=d\n";
    assert_eq!(hits(text, "DL3061"), ["LABEL", "run"]);
    assert!(lint(text, &LintOptions::default())
        .iter()
        .all(|f| f.code != "DL1000"));
}

// DL3064

#[test]
fn dl3064_reports_secret_looking_names_including_onbuild() {
    let text = "ARG GITHUB_TOKEN\nFROM alpine:3.20\nARG aws_access_key_id MY_AWS_ACCESS_KEY_ID\nENV A=1 MyPassword=2\nENV SECRET x\nONBUILD ARG API_KEY=1\nARG TOKENIZER_PATH\nARG VERSION=1 PUBLIC_URL\n";
    assert_eq!(
        hits(text, "DL3064"),
        [
            "GITHUB_TOKEN",
            "aws_access_key_id",
            "MyPassword",
            "SECRET",
            "API_KEY",
            "TOKENIZER_PATH"
        ]
    );
}

// DL3066

#[test]
fn dl3066_reports_non_numeric_users() {
    let text = "ARG UID=1000\nFROM alpine:3.20\nUSER app\nUSER root:root\nUSER 1000:app\nUSER $UID\nUSER ${UID:-1000}:g\nUSER $OTHER\nUSER \"1000\"\nUSER 0x1\nONBUILD USER app\n";
    assert_eq!(hits(text, "DL3066"), ["app", "root", "$OTHER", "0x1"]);
}

#[test]
fn dl3066_needs_the_arg_declared_before_the_user() {
    let text = "FROM alpine:3.20\nUSER $LATER\nARG LATER\nUSER $LATER\n";
    assert_eq!(hits(text, "DL3066"), ["$LATER"]);
    let f = findings_with(text, "DL3066", &options("DL3066"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].span.start, text.find("$LATER").unwrap());
}

// DL3067

#[test]
fn dl3067_reports_root_to_root_copies_from_another_stage() {
    let text = "FROM alpine:3.20 AS rootfs\nFROM scratch\nCOPY --from=rootfs / /\nCOPY --from=rootfs /. /\nCOPY --from=rootfs / /x\nCOPY / /\nCOPY --from=rootfs [\"/\", \"/\"]\nCOPY --from=rootfs / /etc /\n";
    assert_eq!(hits(text, "DL3067"), ["/ /", "\"/\", \"/\"", "/ /etc /"]);
}

// No panics on odd input.

#[test]
fn rules_survive_degenerate_input() {
    let mut all = LintOptions {
        trusted_registries: vec!["docker.io".to_owned()],
        label_schema: vec![
            ("a".to_owned(), "url".to_owned()),
            ("b".to_owned(), "email".to_owned()),
            ("c".to_owned(), "rfc3339".to_owned()),
        ],
        strict_labels: true,
        ..LintOptions::default()
    };
    all.enable = vec!["DL1001".to_owned(), "DL3057".to_owned()];
    for text in [
        "",
        "FROM",
        "COPY --from= a",
        "COPY\nADD\nEXPOSE\nUSER\nLABEL\nENV\nONBUILD\nHEALTHCHECK\n",
        "FROM a AS\nCOPY --from=\u{e9}\u{301} \u{e9} \u{e9}\nLABEL \u{e9}=\u{e9}\nENV A=${\nUSER ${\nEXPOSE 99999999999999999999999999999/tcp\n",
        "FROM x:1\nLABEL a=\"\\\nb\" b=\"(\" c=9999999999999999999999-01-01T00:00:00Z\n",
        "FROM x:1\nRUN --mount=from=,type=bind true\nCOPY --from=0 --from=1 a b c\n",
        "# escape=`\nFROM x:1\nCOPY a b c:`\n",
    ] {
        let _ = lint(text, &all);
    }
}
