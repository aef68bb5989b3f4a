//! BuildKit's build checks: positive and negative cases for each, with the exact range and
//! message of every finding, fixes applied and re-parsed, and BuildKit's `# check=skip=`
//! directive and per-instruction comments naming them.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{apply_fixes, lint, Finding, LintOptions};

fn options() -> LintOptions {
    LintOptions {
        enable: vec!["InvalidDefinitionDescription".to_owned()],
        ..LintOptions::default()
    }
}

fn with_dockerignore(ignore: &str) -> LintOptions {
    LintOptions {
        dockerignore: Some(ignore.to_owned()),
        ..options()
    }
}

fn of(text: &str, code: &str, options: &LintOptions) -> Vec<Finding> {
    lint(text, options)
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// `(source text of the range, message)` of every finding of `code`.
fn found(text: &str, code: &str, options: &LintOptions) -> Vec<(String, String)> {
    of(text, code, options)
        .into_iter()
        .map(|f| (text[f.span.start..f.span.end].to_owned(), f.message))
        .collect()
}

fn expect(text: &str, code: &str, want: &[(&str, &str)]) {
    expect_with(text, code, &options(), want);
}

fn expect_with(text: &str, code: &str, options: &LintOptions, want: &[(&str, &str)]) {
    let got = found(text, code, options);
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(s, m)| ((*s).to_owned(), (*m).to_owned()))
        .collect();
    assert_eq!(got, want, "{code} on:\n{text}");
}

fn none(text: &str, code: &str) {
    expect(text, code, &[]);
}

/// Applies the fixes of `code` (unsafe ones too when asked), checks the result parses as well
/// as the original and no longer has the finding, and returns it.
fn fixed(text: &str, code: &str, include_unsafe: bool) -> String {
    let findings = of(text, code, &options());
    assert!(!findings.is_empty(), "{code} does not fire on:\n{text}");
    let (out, applied) = apply_fixes(text, &findings, include_unsafe);
    assert!(applied > 0, "{code}: no fix applied on:\n{text}");
    let before = layerlab_syntax::parse(text).errors.len();
    assert!(
        layerlab_syntax::parse(&out).errors.len() <= before,
        "{code}: the fix broke parsing:\n{out}"
    );
    assert!(
        of(&out, code, &options()).is_empty(),
        "{code} still fires after its fix:\n{out}"
    );
    out
}

fn fix_safety(text: &str, code: &str) -> Vec<bool> {
    of(text, code, &options())
        .into_iter()
        .filter_map(|f| f.fix.map(|fix| fix.safe))
        .collect()
}

// --- FromAsCasing -------------------------------------------------------------------------

#[test]
fn from_as_casing() {
    expect(
        "FROM golang:1.23 as build\n",
        "FromAsCasing",
        &[("as", "'as' and 'FROM' keywords' casing do not match")],
    );
    expect(
        "from golang:1.23 AS build\n",
        "FromAsCasing",
        &[("AS", "'AS' and 'from' keywords' casing do not match")],
    );
    none("FROM golang:1.23 AS build\n", "FromAsCasing");
    none("from golang:1.23 as build\n", "FromAsCasing");
    // A mixed-case FROM is ConsistentInstructionCasing's business.
    none("From golang:1.23 as build\n", "FromAsCasing");
    none("FROM golang:1.23\n", "FromAsCasing");
    assert_eq!(
        fixed("FROM golang:1.23 as build\n", "FromAsCasing", false),
        "FROM golang:1.23 AS build\n"
    );
    assert_eq!(
        fixed("from golang:1.23 As build\n", "FromAsCasing", false),
        "from golang:1.23 as build\n"
    );
}

// --- ConsistentInstructionCasing ----------------------------------------------------------

#[test]
fn consistent_instruction_casing() {
    expect(
        "FROM alpine:3.20\nRun echo hi\nCOPY a /b\n",
        "ConsistentInstructionCasing",
        &[(
            "Run",
            "Command 'Run' should match the case of the command majority (uppercase)",
        )],
    );
    expect(
        "from alpine:3.20\nrun echo hi\nCOPY a /b\n",
        "ConsistentInstructionCasing",
        &[(
            "COPY",
            "Command 'COPY' should match the case of the command majority (lowercase)",
        )],
    );
    // A tie counts as upper case.
    expect(
        "from alpine:3.20\nRUN echo hi\n",
        "ConsistentInstructionCasing",
        &[(
            "from",
            "Command 'from' should match the case of the command majority (uppercase)",
        )],
    );
    none(
        "FROM alpine:3.20\nRUN echo hi\n",
        "ConsistentInstructionCasing",
    );
    none(
        "from alpine:3.20\nrun echo hi\n",
        "ConsistentInstructionCasing",
    );
    // Global ARGs are not counted nor checked, as in BuildKit.
    none(
        "arg V=1\nFROM alpine:3.20\nRUN echo hi\n",
        "ConsistentInstructionCasing",
    );
    assert_eq!(
        fixed(
            "FROM alpine:3.20\nRun echo hi\nonbuild RUN x\n",
            "ConsistentInstructionCasing",
            false
        ),
        "FROM alpine:3.20\nRUN echo hi\nONBUILD RUN x\n"
    );
}

// --- DuplicateStageName (DL3024) ----------------------------------------------------------

#[test]
fn duplicate_stage_name() {
    expect(
        "FROM debian:12 AS builder\nRUN true\nFROM golang:1.23 AS builder\n",
        "DL3024",
        &[(
            "builder",
            "Duplicate stage name \"builder\", stage names should be unique",
        )],
    );
    // Stage names are case-insensitive.
    expect(
        "FROM debian:12 AS build\nFROM golang:1.23 AS Build\n",
        "DL3024",
        &[(
            "Build",
            "Duplicate stage name \"build\", stage names should be unique",
        )],
    );
    none(
        "FROM debian:12 AS deb\nFROM golang:1.23 AS go\nFROM deb\n",
        "DL3024",
    );
    let finding = &of(
        "FROM a:1 AS x\nFROM b:1 AS x\n",
        "DL3024",
        &LintOptions::default(),
    )[0];
    assert_eq!(finding.level, layerlab_lint::Level::Error);
}

// --- ReservedStageName (DL3063) -----------------------------------------------------------

#[test]
fn reserved_stage_name() {
    expect(
        "FROM alpine:3.20 AS scratch\n",
        "DL3063",
        &[(
            "scratch",
            "Stage name should not use the same name as reserved stage \"scratch\"",
        )],
    );
    expect(
        "FROM alpine:3.20 AS Context\n",
        "DL3063",
        &[(
            "Context",
            "Stage name should not use the same name as reserved stage \"context\"",
        )],
    );
    none("FROM alpine:3.20 AS base\nFROM scratch\n", "DL3063");
    none("FROM alpine:3.20 AS build-context\n", "DL3063");
}

// --- RedundantTargetPlatform (DL3065) -----------------------------------------------------

#[test]
fn redundant_target_platform() {
    expect(
        "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
        "DL3065",
        &[(
            "--platform=$TARGETPLATFORM",
            "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
        )],
    );
    expect(
        "FROM --platform=${TARGETPLATFORM} alpine:3.20 AS a\n",
        "DL3065",
        &[(
            "--platform=${TARGETPLATFORM}",
            "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
        )],
    );
    none("FROM --platform=$BUILDPLATFORM alpine:3.20\n", "DL3065");
    none("FROM --platform=linux/amd64 alpine:3.20\n", "DL3065");
    // Another variable takes part: not simply the default.
    none(
        "ARG V\nFROM --platform=$TARGETPLATFORM$V alpine:3.20\n",
        "DL3065",
    );
    none(
        "FROM --platform=$TARGETOS/$TARGETARCH alpine:3.20\n",
        "DL3065",
    );
    assert_eq!(
        fixed(
            "FROM --platform=$TARGETPLATFORM alpine:3.20 AS a\n",
            "DL3065",
            false
        ),
        "FROM alpine:3.20 AS a\n"
    );
    assert_eq!(
        fix_safety("FROM --platform=$TARGETPLATFORM alpine:3.20\n", "DL3065"),
        [true]
    );
    assert_eq!(
        fix_safety(
            "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine:3.20\n",
            "DL3065"
        ),
        [false]
    );
}

// --- JSONArgsRecommended --------------------------------------------------------------------

#[test]
fn json_args_recommended() {
    expect(
        "FROM node:22.11\nCMD node server.js\n",
        "JSONArgsRecommended",
        &[(
            "node server.js",
            "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
        )],
    );
    expect(
        "FROM node:22.11\nentrypoint exec node\n",
        "JSONArgsRecommended",
        &[(
            "exec node",
            "JSON arguments recommended for entrypoint to prevent unintended behavior related to OS signals",
        )],
    );
    none(
        "FROM node:22.11\nCMD [\"node\", \"server.js\"]\n",
        "JSONArgsRecommended",
    );
    // An explicit SHELL, in the stage or in the stage it is built from, exempts it.
    none(
        "FROM node:22.11\nSHELL [\"/bin/bash\", \"-c\"]\nCMD node server.js\n",
        "JSONArgsRecommended",
    );
    none(
        "FROM node:22.11 AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\nCMD node server.js\n",
        "JSONArgsRecommended",
    );
    // ...but only from where it appears, and not from an unrelated stage.
    expect(
        "FROM node:22.11\nCMD a\nSHELL [\"/bin/bash\", \"-c\"]\nFROM node:22.11\nCMD b\n",
        "JSONArgsRecommended",
        &[
            (
                "a",
                "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
            ),
            (
                "b",
                "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
            ),
        ],
    );
    // HEALTHCHECK is DL3025's alone.
    none(
        "FROM node:22.11\nHEALTHCHECK CMD curl -f http://localhost/\n",
        "JSONArgsRecommended",
    );
    assert_eq!(
        fixed(
            "FROM node:22.11\nCMD node server.js\n",
            "JSONArgsRecommended",
            false
        ),
        "FROM node:22.11\nCMD [\"node\", \"server.js\"]\n"
    );
    assert_eq!(
        fix_safety("FROM node:22.11\nCMD node $ARGS\n", "JSONArgsRecommended"),
        [false]
    );
}

// --- UndefinedArgInFrom ---------------------------------------------------------------------

#[test]
fn undefined_arg_in_from() {
    expect(
        "ARG TAG=3.20\nFROM alpine:${TAGG:-3.20}\n",
        "UndefinedArgInFrom",
        &[(
            "${TAGG:-3.20}",
            "FROM argument 'TAGG' is not declared (did you mean TAG?)",
        )],
    );
    expect(
        "FROM alpine:3.20\nARG VERSION=3.20\nFROM alpine:$VERSION\n",
        "UndefinedArgInFrom",
        &[("$VERSION", "FROM argument 'VERSION' is not declared")],
    );
    expect(
        "FROM --platform=$BUILDPLATFOM golang:1.23\n",
        "UndefinedArgInFrom",
        &[(
            "$BUILDPLATFOM",
            "FROM argument 'BUILDPLATFOM' is not declared (did you mean BUILDPLATFORM?)",
        )],
    );
    none("ARG TAG=3.20\nFROM alpine:${TAG}\n", "UndefinedArgInFrom");
    // Declared without a default is still declared; built-ins need no declaration.
    none("ARG BASE\nFROM $BASE\n", "UndefinedArgInFrom");
    none(
        "FROM --platform=$BUILDPLATFORM golang:1.23-$TARGETARCH\n",
        "UndefinedArgInFrom",
    );
}

// --- WorkdirRelativePath ------------------------------------------------------------------

#[test]
fn workdir_relative_path() {
    expect(
        "FROM alpine:3.20\nWORKDIR app\n",
        "WorkdirRelativePath",
        &[(
            "app",
            "Relative workdir \"app\" can have unexpected results if the base image changes",
        )],
    );
    // Checked after expansion, with the Dockerfile's own values.
    expect(
        "FROM alpine:3.20\nARG DIR=\"src/app\"\nWORKDIR $DIR\n",
        "WorkdirRelativePath",
        &[(
            "$DIR",
            "Relative workdir \"src/app\" can have unexpected results if the base image changes",
        )],
    );
    // Only the first WORKDIR of the stage, counting the stages it is built from.
    none(
        "FROM alpine:3.20\nWORKDIR /srv\nWORKDIR app\n",
        "WorkdirRelativePath",
    );
    none(
        "FROM alpine:3.20 AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n",
        "WorkdirRelativePath",
    );
    // A value the Dockerfile does not fix is not judged.
    none(
        "FROM alpine:3.20\nWORKDIR $HOME/app\n",
        "WorkdirRelativePath",
    );
    none(
        "FROM alpine:3.20\nARG DIR\nWORKDIR $DIR\n",
        "WorkdirRelativePath",
    );
    none(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n",
        "WorkdirRelativePath",
    );
    assert_eq!(
        fixed(
            "FROM alpine:3.20\nWORKDIR app\n",
            "WorkdirRelativePath",
            true
        ),
        "FROM alpine:3.20\nWORKDIR /app\n"
    );
    assert_eq!(
        fix_safety("FROM alpine:3.20\nWORKDIR app\n", "WorkdirRelativePath"),
        [false]
    );
}

// --- UndefinedVar ---------------------------------------------------------------------------

#[test]
fn undefined_var_reports_what_the_dockerfile_gets_wrong() {
    // A global ARG is not visible in a stage until redeclared.
    expect(
        "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL version=$VERSION\n",
        "UndefinedVar",
        &[("$VERSION", "Usage of undefined variable '$VERSION'")],
    );
    // An ARG declared in another stage.
    expect(
        "FROM alpine:3.20 AS build\nARG OUT=/out\nFROM alpine:3.20\nCOPY --from=build ${OUT}/app /app\n",
        "UndefinedVar",
        &[("${OUT}", "Usage of undefined variable '$OUT'")],
    );
    // ENV values are expanded before any of them is set; ARG words are processed in order.
    expect(
        "FROM scratch\nENV A=1 B=$A\nARG C=1 D=$C\n",
        "UndefinedVar",
        &[("$A", "Usage of undefined variable '$A'")],
    );
    // Lower-case names are not image variables; typos get a suggestion.
    expect(
        "FROM alpine:3.20 AS base\nCOPY $foo /app/\n",
        "UndefinedVar",
        &[("$foo", "Usage of undefined variable '$foo'")],
    );
    expect(
        "FROM alpine:3.20\nENV PATH=$PAHT:/app/bin\n",
        "UndefinedVar",
        &[(
            "$PAHT",
            "Usage of undefined variable '$PAHT' (did you mean $PATH?)",
        )],
    );
    // Built-in platform ARGs must be redeclared in a stage.
    expect(
        "FROM scratch\nCOPY bin/${TARGETARCH}/app /app\nARG TARGETARCH\nCOPY bin/${TARGETARCH}/app /app\n",
        "UndefinedVar",
        &[("${TARGETARCH}", "Usage of undefined variable '$TARGETARCH'")],
    );
    // Unquoted COPY heredocs are expanded by BuildKit, `$1` and `$@` included.
    expect(
        "FROM alpine:3.20\nCOPY <<EOF /entrypoint.sh\nexec app \"$@\"\nEOF\n",
        "UndefinedVar",
        &[("$@", "Usage of undefined variable '$@'")],
    );
    // Flags and every other expanded instruction.
    expect(
        "FROM scratch\nCOPY --chown=$uid:0 a /b\nUSER $USER_NAME\nVOLUME $DATA\nWORKDIR /w\n",
        "UndefinedVar",
        &[
            ("$uid", "Usage of undefined variable '$uid'"),
            ("$USER_NAME", "Usage of undefined variable '$USER_NAME'"),
            (
                "$DATA",
                "Usage of undefined variable '$DATA' (did you mean $PATH?)",
            ),
        ],
    );
}

#[test]
fn undefined_var_stays_quiet_where_buildkit_or_the_image_would_define_it() {
    // Declared in the stage, in a parent stage, or redeclared from the global scope.
    none(
        "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL version=$VERSION\n",
        "UndefinedVar",
    );
    none(
        "FROM alpine:3.20 AS base\nENV APP=/app\nFROM base\nWORKDIR $APP\n",
        "UndefinedVar",
    );
    // Shell-form RUN, CMD and ENTRYPOINT are the shell's business; so are quoted heredocs.
    none(
        "FROM scratch\nRUN echo $undefined\nCMD echo $nope\nENTRYPOINT exec $X\n",
        "UndefinedVar",
    );
    none(
        "FROM alpine:3.20\nCOPY <<'EOF' /entrypoint.sh\nexec app \"$@\"\nEOF\n",
        "UndefinedVar",
    );
    // Variables an image may define: upper-case, not declared by this file.
    none(
        "FROM eclipse-temurin:21\nENV PATH=$JAVA_HOME/bin:$PATH\nWORKDIR $HOME\n",
        "UndefinedVar",
    );
    // Reading the image's value of a variable on purpose.
    none(
        "FROM tomcat:10\nENV LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/opt/native\n",
        "UndefinedVar",
    );
    none(
        "FROM oraclelinux:9\nENV ADMIN_PORT=${ADMIN_PORT:-7001}\n",
        "UndefinedVar",
    );
    // The same name set by an ENV on the same image: the image may set it too.
    none(
        "FROM oracle/fmw:12 AS build\nENV ORACLE_HOME=/u01\nFROM oracle/fmw:12\nWORKDIR $ORACLE_HOME\n",
        "UndefinedVar",
    );
    // Proxy ARGs are predefined; EXPOSE is not checked by BuildKit.
    none(
        "FROM scratch\nLABEL proxy=$HTTP_PROXY\nEXPOSE $PORT\n",
        "UndefinedVar",
    );
    // But on scratch nothing can come from an image.
    expect(
        "FROM scratch\nWORKDIR $HOME\n",
        "UndefinedVar",
        &[("$HOME", "Usage of undefined variable '$HOME'")],
    );
}

#[test]
fn onbuild_triggers_are_checked_where_they_run_not_where_written() {
    let text = "FROM scratch\nONBUILD COPY $SRC /app/\nONBUILD WORKDIR app\nONBUILD CMD run\n";
    for code in ["UndefinedVar", "WorkdirRelativePath", "JSONArgsRecommended"] {
        none(text, code);
    }
}

#[test]
fn undefined_var_honours_the_escape_directive() {
    expect(
        "# escape=`\nFROM scratch\nCOPY `$HOME/a $HOME/b /d/\n",
        "UndefinedVar",
        &[("$HOME", "Usage of undefined variable '$HOME'")],
    );
    let text = "# escape=`\nFROM scratch\nCOPY `$HOME/a $HOME/b /d/\n";
    let finding = &of(text, "UndefinedVar", &options())[0];
    assert_eq!(&text[finding.span.start - 1..finding.span.end], " $HOME");
}

#[test]
fn undefined_var_ranges_follow_continuation_lines() {
    let text = "FROM scratch\nLABEL a=1 \\\n      b=${MISSING:-x}\n";
    let found = found(text, "UndefinedVar", &options());
    assert_eq!(
        found,
        [(
            "${MISSING:-x}".to_owned(),
            "Usage of undefined variable '$MISSING'".to_owned()
        )]
    );
}

// --- MultipleInstructionsDisallowed ---------------------------------------------------------
// The same rule as hadolint's DL3012, DL4003 and DL4004, which answer to BuildKit's name and
// report where hadolint does (the later instruction).

#[test]
fn multiple_instructions_disallowed_is_answered_by_the_dl_rules() {
    let text =
        "FROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n";
    let codes: Vec<&str> = lint(text, &LintOptions::default())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, ["DL4003", "DL4004"]);
    let skipped = format!("# check=skip=MultipleInstructionsDisallowed\n{text}");
    assert!(lint(&skipped, &LintOptions::default()).is_empty());
}

// --- SecretsUsedInArgOrEnv ------------------------------------------------------------------

#[test]
fn secrets_used_in_arg_or_env() {
    expect(
        "FROM alpine:3.20\nARG DB_PASSWD API_KEY=x\nENV GITHUB_TOKEN=abc auth=1\n",
        "SecretsUsedInArgOrEnv",
        &[
            (
                "DB_PASSWD",
                "Do not use ARG or ENV instructions for sensitive data (ARG \"DB_PASSWD\")",
            ),
            (
                "API_KEY",
                "Do not use ARG or ENV instructions for sensitive data (ARG \"API_KEY\")",
            ),
            (
                "GITHUB_TOKEN",
                "Do not use ARG or ENV instructions for sensitive data (ENV \"GITHUB_TOKEN\")",
            ),
            (
                "auth",
                "Do not use ARG or ENV instructions for sensitive data (ENV \"auth\")",
            ),
        ],
    );
    expect(
        "FROM alpine:3.20\nENV Secret_Message hello\n",
        "SecretsUsedInArgOrEnv",
        &[(
            "Secret_Message",
            "Do not use ARG or ENV instructions for sensitive data (ENV \"Secret_Message\")",
        )],
    );
    // Whole `_`-separated words only, and the allowed words win.
    none(
        "FROM alpine:3.20\nARG KEYCLOAK_URL MONKEY PASSWORDLESS\nENV PUBLIC_KEY=x TOKEN_FILE=/run/t GPG_KEY_VERSION=2\n",
        "SecretsUsedInArgOrEnv",
    );
    // Global ARGs are not checked (BuildKit); their redeclaration in a stage is.
    expect(
        "ARG NPM_TOKEN\nFROM alpine:3.20\nARG NPM_TOKEN\n",
        "SecretsUsedInArgOrEnv",
        &[(
            "NPM_TOKEN",
            "Do not use ARG or ENV instructions for sensitive data (ARG \"NPM_TOKEN\")",
        )],
    );
}

// --- InvalidDefaultArgInFrom ----------------------------------------------------------------

#[test]
fn invalid_default_arg_in_from() {
    expect(
        "ARG TAG\nFROM alpine:${TAG}\n",
        "InvalidDefaultArgInFrom",
        &[(
            "alpine:${TAG}",
            "Default value for ARG alpine:${TAG} results in empty or invalid base image name",
        )],
    );
    expect(
        "ARG BASE\nFROM $BASE\n",
        "InvalidDefaultArgInFrom",
        &[(
            "$BASE",
            "Default value for ARG $BASE results in empty or invalid base image name",
        )],
    );
    expect(
        "ARG IMAGE=Alpine\nFROM $IMAGE\n",
        "InvalidDefaultArgInFrom",
        &[(
            "$IMAGE",
            "Default value for ARG $IMAGE results in empty or invalid base image name",
        )],
    );
    none(
        "ARG TAG=3.20\nFROM alpine:${TAG}\n",
        "InvalidDefaultArgInFrom",
    );
    none(
        "ARG REGISTRY=ghcr.io/acme\nARG TAG=1.0\nFROM ${REGISTRY}/app:${TAG}@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
        "InvalidDefaultArgInFrom",
    );
    none(
        "ARG STAGE=base\nFROM alpine:3.20 AS base\nFROM ${STAGE}\n",
        "InvalidDefaultArgInFrom",
    );
    none("FROM golang:1.23-$TARGETARCH\n", "InvalidDefaultArgInFrom");
}

// --- FromPlatformFlagConstDisallowed --------------------------------------------------------

#[test]
fn from_platform_flag_const_disallowed() {
    expect(
        "FROM --platform=linux/amd64 alpine:3.20\n",
        "FromPlatformFlagConstDisallowed",
        &[(
            "--platform=linux/amd64",
            "FROM --platform flag should not use constant value \"linux/amd64\"",
        )],
    );
    expect(
        "FROM --platform=linux/arm64/v8 alpine:3.20 AS build\n",
        "FromPlatformFlagConstDisallowed",
        &[(
            "--platform=linux/arm64/v8",
            "FROM --platform flag should not use constant value \"linux/arm64/v8\"",
        )],
    );
    // The stage's name says the platform is deliberate.
    none(
        "FROM --platform=linux/arm64 alpine:3.20 AS build-arm64\n",
        "FromPlatformFlagConstDisallowed",
    );
    none(
        "FROM --platform=windows/amd64 servercore:ltsc2022 AS windows-base\n",
        "FromPlatformFlagConstDisallowed",
    );
    none(
        "FROM --platform=$BUILDPLATFORM alpine:3.20\n",
        "FromPlatformFlagConstDisallowed",
    );
    none(
        "ARG P=linux/amd64\nFROM --platform=$P alpine:3.20\n",
        "FromPlatformFlagConstDisallowed",
    );
    // Not a platform: BuildKit fails elsewhere and does not lint it.
    none(
        "FROM --platform=nonsense alpine:3.20\n",
        "FromPlatformFlagConstDisallowed",
    );
}

// --- ExposeProtoCasing / ExposeInvalidFormat ------------------------------------------------

#[test]
fn expose_proto_casing() {
    expect(
        "FROM nginx:1.27\nEXPOSE 80/TCP 53/Udp 443/tcp\n",
        "ExposeProtoCasing",
        &[
            (
                "TCP",
                "Defined protocol '80/TCP' in EXPOSE instruction should be lowercase",
            ),
            (
                "Udp",
                "Defined protocol '53/Udp' in EXPOSE instruction should be lowercase",
            ),
        ],
    );
    // After expansion, at the word.
    expect(
        "FROM nginx:1.27\nARG PORTS=\"80/TCP 81/tcp\"\nEXPOSE $PORTS\n",
        "ExposeProtoCasing",
        &[(
            "$PORTS",
            "Defined protocol '80/TCP' in EXPOSE instruction should be lowercase",
        )],
    );
    none(
        "FROM nginx:1.27\nEXPOSE 80 443/tcp 53/udp\n",
        "ExposeProtoCasing",
    );
    none("FROM nginx:1.27\nEXPOSE $PORT\n", "ExposeProtoCasing");
    assert_eq!(
        fixed(
            "FROM nginx:1.27\nEXPOSE 80/TCP 8080:81/UDP\n",
            "ExposeProtoCasing",
            false
        ),
        "FROM nginx:1.27\nEXPOSE 80/tcp 8080:81/udp\n"
    );
}

#[test]
fn expose_invalid_format() {
    expect(
        "FROM nginx:1.27\nEXPOSE 127.0.0.1:80:80 8080:80/udp 443\n",
        "ExposeInvalidFormat",
        &[
            (
                "127.0.0.1:80:80",
                "EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
            ),
            (
                "8080:80/udp",
                "EXPOSE instruction should not define an IP address or host-port mapping, found '8080:80/udp'",
            ),
        ],
    );
    none(
        "FROM nginx:1.27\nEXPOSE 80 443/tcp 8000-8010\n",
        "ExposeInvalidFormat",
    );
    assert_eq!(
        fixed(
            "FROM nginx:1.27\nEXPOSE 127.0.0.1:80:80 8080:80/udp\n",
            "ExposeInvalidFormat",
            false
        ),
        "FROM nginx:1.27\nEXPOSE 80 80/udp\n"
    );
}

// --- CopyIgnoredFile ------------------------------------------------------------------------

#[test]
fn copy_ignored_file() {
    let ignore = "# build output\n/dist\nnode_modules\n**/*.log\nsecrets/\n";
    expect_with(
        "FROM node:22.11\nCOPY ./dist/app.js node_modules /app/\nADD logs/debug.log /tmp/\nCOPY secrets/key.pem /run/\n",
        "CopyIgnoredFile",
        &with_dockerignore(ignore),
        &[
            (
                "./dist/app.js",
                "Attempting to Copy file \"dist/app.js\" that is excluded by .dockerignore",
            ),
            (
                "node_modules",
                "Attempting to Copy file \"node_modules\" that is excluded by .dockerignore",
            ),
            (
                "logs/debug.log",
                "Attempting to Add file \"logs/debug.log\" that is excluded by .dockerignore",
            ),
            (
                "secrets/key.pem",
                "Attempting to Copy file \"secrets/key.pem\" that is excluded by .dockerignore",
            ),
        ],
    );
    // Expanded with the Dockerfile's values.
    expect_with(
        "FROM node:22.11\nARG OUT=dist\nCOPY $OUT /app/\n",
        "CopyIgnoredFile",
        &with_dockerignore(ignore),
        &[(
            "$OUT",
            "Attempting to Copy file \"dist\" that is excluded by .dockerignore",
        )],
    );
    // Other stages, URLs, heredocs and included files are not the context's ignored files.
    let quiet = "FROM node:22.11 AS build\nFROM node:22.11\nCOPY --from=build /app/node_modules /app/\nADD https://example.com/node_modules.tgz /tmp/\nCOPY <<EOF /app/node_modules\nx\nEOF\nCOPY src package.json /app/\n";
    expect_with(quiet, "CopyIgnoredFile", &with_dockerignore(ignore), &[]);
    // No .dockerignore, or one with exceptions: not checked (BuildKit does the same).
    none(
        "FROM node:22.11\nCOPY node_modules /app/\n",
        "CopyIgnoredFile",
    );
    expect_with(
        "FROM node:22.11\nCOPY node_modules /app/\n",
        "CopyIgnoredFile",
        &with_dockerignore("node_modules\n!node_modules/keep\n"),
        &[],
    );
}

// --- InvalidBaseImagePlatform ---------------------------------------------------------------

fn with_base_images(images: &[(&str, &[&str])]) -> LintOptions {
    LintOptions {
        base_image_platforms: images
            .iter()
            .map(|(image, platforms)| {
                (
                    (*image).to_owned(),
                    platforms.iter().map(|p| (*p).to_owned()).collect(),
                )
            })
            .collect(),
        ..options()
    }
}

const RULE: &str = "InvalidBaseImagePlatform";

#[test]
fn invalid_base_image_platform_fires_on_a_missing_platform() {
    let images = with_base_images(&[
        ("arm64v8/alpine:3.20", &["linux/arm64/v8"]),
        (
            "docker.io/library/alpine:3.20",
            &["linux/amd64", "linux/arm64"],
        ),
        (
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            &["windows/amd64"],
        ),
    ]);
    // No --platform: the target platform, linux/amd64. The image is named as written.
    expect_with(
        "FROM arm64v8/alpine:3.20 AS build\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n",
        RULE,
        &images,
        &[
            (
                "arm64v8/alpine:3.20",
                "Base image arm64v8/alpine:3.20 was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build",
            ),
            (
                "mcr.microsoft.com/windows/nanoserver:ltsc2022",
                "Base image mcr.microsoft.com/windows/nanoserver:ltsc2022 was pulled with platform \"windows/amd64\", expected \"linux/amd64\" for current build",
            ),
        ],
    );
    // --platform, normalised as BuildKit prints it; an image lacking it lists what it has.
    expect_with(
        "FROM --platform=linux/s390x alpine:3.20\nFROM --platform=linux/arm alpine:3.20\n",
        RULE,
        &images,
        &[
            (
                "alpine:3.20",
                "Base image alpine:3.20 was pulled with platform \"[linux/amd64, linux/arm64]\", expected \"linux/s390x\" for current build",
            ),
            (
                "alpine:3.20",
                "Base image alpine:3.20 was pulled with platform \"[linux/amd64, linux/arm64]\", expected \"linux/arm/v7\" for current build",
            ),
        ],
    );
}

#[test]
fn invalid_base_image_platform_expands_the_platform_and_the_image() {
    let images = with_base_images(&[
        ("golang:1.23", &["linux/amd64"]),
        ("alpine", &["linux/arm64"]),
    ]);
    // A global ARG default, and BuildKit's platform args (linux/amd64 here).
    expect_with(
        "ARG ARCH=arm64\nARG GO=golang:1.23\nFROM --platform=linux/${ARCH} ${GO} AS build\nFROM --platform=$BUILDPLATFORM golang:1.23 AS tools\nFROM --platform=$TARGETPLATFORM ${GO}\n",
        RULE,
        &images,
        &[(
            "${GO}",
            "Base image golang:1.23 was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build",
        )],
    );
    // `alpine` is docker.io/library/alpine:latest; a variable only --build-arg sets is unknown.
    expect_with(
        "ARG ARCH\nFROM --platform=linux/$ARCH golang:1.23 AS build\nFROM docker.io/library/alpine:latest\n",
        RULE,
        &images,
        &[(
            "docker.io/library/alpine:latest",
            "Base image docker.io/library/alpine:latest was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build",
        )],
    );
}

#[test]
fn invalid_base_image_platform_is_silent_when_the_platform_is_there_or_unknown() {
    let images = with_base_images(&[
        (
            "alpine:3.20",
            &["linux/amd64", "linux/arm64/v8", "linux/arm/v6"],
        ),
        ("node:22", &["linux/arm64"]),
    ]);
    // Available (the variant does not count, as in BuildKit).
    let available = "FROM alpine:3.20 AS a\nFROM --platform=linux/arm64 alpine:3.20 AS b\nFROM --platform=linux/arm/v7 alpine:3.20 AS c\n";
    expect_with(available, RULE, &images, &[]);
    // Images nobody described, stages, scratch.
    let unknown = "FROM debian:12 AS base\nFROM base\nFROM scratch\nCOPY --from=node:22 /usr/local/bin/node /node\n";
    expect_with(unknown, RULE, &images, &[]);
    // Without any platforms (the default), nothing is checked.
    none("FROM node:22\n", RULE);
    // BuildKit's skip directive names it.
    expect_with(
        "# check=skip=InvalidBaseImagePlatform\nFROM node:22\n",
        RULE,
        &images,
        &[],
    );
}

// --- InvalidDefinitionDescription -----------------------------------------------------------

#[test]
fn invalid_definition_description() {
    expect(
        "# Build the binaries\nFROM golang:1.23 AS build\n",
        "InvalidDefinitionDescription",
        &[(
            "build",
            "Comment for FROM should follow the format: `# build <description>`",
        )],
    );
    expect(
        "FROM alpine:3.20\n# the version to install\nARG VERSION=1.0\n# both\nARG A B\n",
        "InvalidDefinitionDescription",
        &[
            (
                "VERSION=1.0",
                "Comment for ARG should follow the format: `# VERSION <description>`",
            ),
            (
                "A B",
                "Comment for ARG should follow the format: `# <arg_key> <description>`",
            ),
        ],
    );
    none(
        "# build Build the binaries\nFROM golang:1.23 AS build\n# VERSION to install\nARG VERSION=1.0\n# B one of two\nARG A B\n",
        "InvalidDefinitionDescription",
    );
    // An empty comment line separates an ordinary comment; suppressions are not descriptions.
    none(
        "# Build the binaries\n#\nFROM golang:1.23 AS build\n# hadolint ignore=DL3006\nFROM debian AS d\n",
        "InvalidDefinitionDescription",
    );
    // Off by default (experimental in BuildKit).
    assert!(lint(
        "# Build the binaries\nFROM golang:1.23 AS build\n",
        &LintOptions::default()
    )
    .is_empty());
}

// --- Suppressions by BuildKit name ----------------------------------------------------------

#[test]
fn check_skip_directive_names_these_checks() {
    let text = "# check=skip=FromAsCasing,JSONArgsRecommended,DuplicateStageName\nFROM node:22.11 as a\nFROM node:22.11 as a\n# hadolint ignore=DL3025\nCMD node server.js\n";
    let codes: Vec<&str> = lint(text, &LintOptions::default())
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(codes.is_empty(), "{codes:?}");
    // `all` covers the checks that are hadolint rules too.
    let text = "# check=skip=all\nFROM alpine:3.20 AS scratch\nFROM --platform=$TARGETPLATFORM alpine:3.20 AS scratch\n";
    let codes: Vec<&str> = lint(text, &LintOptions::default())
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn per_instruction_check_comments_name_these_checks() {
    let text = "ARG V=1\nFROM alpine:3.20\n# check=skip=UndefinedVar\nLABEL a=$V\nLABEL b=$V\n# check=skip=SecretsUsedInArgOrEnv\nENV API_TOKEN=x\nENV DB_PASSWORD=y\n";
    let found: Vec<(&str, String)> = lint(text, &LintOptions::default())
        .into_iter()
        .filter(|f| !f.code.starts_with("DL"))
        .map(|f| (f.code, text[f.span.start..f.span.end].to_owned()))
        .collect();
    assert_eq!(
        found,
        [
            ("UndefinedVar", "$V".to_owned()),
            ("SecretsUsedInArgOrEnv", "DB_PASSWORD".to_owned()),
        ]
    );
}

#[test]
fn check_error_true_makes_these_checks_errors() {
    let text = "# check=error=true\nFROM node:22.11 as a\n";
    let findings = lint(text, &LintOptions::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, "FromAsCasing");
    assert_eq!(findings[0].level, layerlab_lint::Level::Error);
}

// --- Robustness -----------------------------------------------------------------------------

#[test]
fn odd_inputs_do_not_panic() {
    let inputs = [
        "",
        "FROM",
        "FROM --platform= a",
        "FROM a AS",
        "ARG\nFROM ${\n",
        "ARG A=${B:?no}\nFROM a:$A\n",
        "FROM a\nENV\nARG =\nEXPOSE /\nEXPOSE :\nEXPOSE ::::\nWORKDIR\nCOPY\nADD x\n",
        "FROM scratch\nCOPY <<EOF\n$\nEOF\n",
        "FROM a\nLABEL é=$é ${é:-x}\nEXPOSE 80/TÇP\n",
        "# escape=`\nFROM a\nCOPY `$X $Y /d/\n",
        "FROM a\nCMD\nENTRYPOINT\nHEALTHCHECK\n",
        "FROM a AS b\nFROM b AS a\nFROM a\n",
        "ARG B=b\nFROM ${B} AS b\nFROM $B\n",
    ];
    for input in inputs {
        let _ = lint(input, &with_dockerignore("[\n!\n**\n\\\n"));
        let _ = lint(input, &with_dockerignore("a/**/b\n[a-c]?\n"));
    }
}

// --- Experimental checks (`# check=experimental=…`) -------------------------------------------

/// `(code, level, source text)` of every BuildKit finding with default options.
fn buildkit_findings(text: &str) -> Vec<(&'static str, layerlab_lint::Level, String)> {
    lint(text, &LintOptions::default())
        .into_iter()
        .filter(|f| !f.code.starts_with("DL"))
        .map(|f| (f.code, f.level, text[f.span.start..f.span.end].to_owned()))
        .collect()
}

#[test]
fn check_experimental_directive_enables_experimental_checks() {
    use layerlab_lint::Level::Warning;
    let body = "FROM alpine:3.20 AS base\n# the version\nARG VERSION=1\n";
    // Off by default.
    assert!(buildkit_findings(body).is_empty());
    let want = vec![(
        "InvalidDefinitionDescription",
        Warning,
        "VERSION=1".to_owned(),
    )];
    // By name or `all`, alone or beside `skip` and `error`; a warning, like every BuildKit check.
    for directive in [
        "# check=experimental=InvalidDefinitionDescription\n",
        "# check=experimental=all\n",
        "# check=error=false;experimental=StageNameCasing,InvalidDefinitionDescription\n",
    ] {
        assert_eq!(
            buildkit_findings(&format!("{directive}{body}")),
            want,
            "{directive}"
        );
    }
    // Naming another check, or a wrong case, turns nothing on.
    for directive in [
        "# check=experimental=StageNameCasing\n",
        "# check=experimental=invaliddefinitiondescription\n",
    ] {
        assert!(
            buildkit_findings(&format!("{directive}{body}")).is_empty(),
            "{directive}"
        );
    }
    // `error=true` makes it an error.
    let text = format!("# check=experimental=all;error=true\n{body}");
    assert_eq!(buildkit_findings(&text)[0].1, layerlab_lint::Level::Error);
}

#[test]
fn check_skip_does_not_skip_enabled_experimental_checks() {
    // BuildKit's `Linter.Run` consults `skip` only for non-experimental checks.
    let text = "# check=skip=all;experimental=all\nFROM alpine:3.20 AS Base\n# the version\nARG VERSION=1\n";
    assert_eq!(
        buildkit_findings(text),
        [(
            "InvalidDefinitionDescription",
            layerlab_lint::Level::Warning,
            "VERSION=1".to_owned()
        )]
    );
    let text = "# check=skip=InvalidDefinitionDescription;experimental=InvalidDefinitionDescription\nFROM alpine:3.20\n# the version\nARG VERSION=1\n";
    let codes: Vec<&str> = buildkit_findings(text).into_iter().map(|f| f.0).collect();
    // The skip suppresses nothing, and says so.
    assert_eq!(codes, ["LL0001", "InvalidDefinitionDescription"]);
    // hadolint's pragmas still suppress it.
    let text = "# check=experimental=all\n# hadolint global ignore=InvalidDefinitionDescription\nFROM alpine:3.20\n# the version\nARG VERSION=1\n";
    assert!(buildkit_findings(text).is_empty());
}

#[test]
fn check_experimental_comment_enables_for_one_instruction() {
    let text = "FROM alpine:3.20\n# check=experimental=InvalidDefinitionDescription\n# the version\nARG VERSION=1\n# the other\nARG OTHER=2\n";
    assert_eq!(
        buildkit_findings(text),
        [(
            "InvalidDefinitionDescription",
            layerlab_lint::Level::Warning,
            "VERSION=1".to_owned()
        )]
    );
    // `--ignore` still wins.
    let options = LintOptions {
        ignored: vec!["InvalidDefinitionDescription".to_owned()],
        ..LintOptions::default()
    };
    assert!(lint(&format!("# check=experimental=all\n{text}"), &options).is_empty());
}
