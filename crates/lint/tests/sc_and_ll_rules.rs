//! Positive and negative cases for the ShellCheck (`SCxxxx`) checks and layerlab's own
//! (`LLxxxx`) rules, written from their documented behaviour: each case asserts the exact text
//! each finding covers, and the text after applying the fixes.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{apply_fixes, lint, Finding, Level, LintOptions};

fn options(code: &str) -> LintOptions {
    LintOptions {
        enable: vec![code.to_owned()],
        ..LintOptions::default()
    }
}

fn findings(text: &str, code: &str) -> Vec<Finding> {
    lint(text, &options(code))
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// The source text each finding of `code` covers, in order.
fn hits<'t>(text: &'t str, code: &str) -> Vec<&'t str> {
    findings(text, code)
        .iter()
        .map(|f| &text[f.span.start..f.span.end])
        .collect()
}

/// The text after applying the fixes of `code`'s findings (unsafe ones included).
fn fixed(text: &str, code: &str) -> String {
    apply_fixes(text, &findings(text, code), true).0
}

const FROM: &str = "FROM alpine:3.20\n";
const BASH: &str = "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n";

fn df(base: &str, body: &str) -> String {
    format!("{base}{body}")
}

// --- SC2086 ---------------------------------------------------------------------------------

#[test]
fn sc2086_unquoted_expansions() {
    let text = df(
        FROM,
        "RUN mkdir -p $DIR ${DIR}/logs && cd \"$DIR\" > $LOG\n",
    );
    assert_eq!(hits(&text, "SC2086"), ["$DIR", "${DIR}", "$LOG"]);
    assert_eq!(
        fixed(&text, "SC2086"),
        df(
            FROM,
            "RUN mkdir -p \"$DIR\" \"${DIR}\"/logs && cd \"$DIR\" > \"$LOG\"\n"
        )
    );
    let level = findings(&text, "SC2086")[0].level;
    assert_eq!(level, Level::Info);
}

#[test]
fn sc2086_command_name_and_declarations() {
    let text = df(FROM, "RUN $JAVA_HOME/bin/java -version && export C=$D\n");
    assert_eq!(hits(&text, "SC2086"), ["$JAVA_HOME", "$D"]);
    let text = df(BASH, "RUN export C=$D E=$(pwd); local F=$G\n");
    assert!(hits(&text, "SC2086").is_empty());
    assert!(hits(&text, "SC2046").is_empty());
}

#[test]
fn sc2086_known_variables() {
    let text = df(FROM, "ARG A\nENV B=x\nRUN echo $A $B $C\n");
    assert_eq!(hits(&text, "SC2086"), ["$C"]);
    let text = df(
        FROM,
        "RUN echo $X; X=foo; Y=\"a b\"; Z=1; Z=$(pwd); echo $X $Y $Z\n",
    );
    assert_eq!(hits(&text, "SC2086"), ["$X", "$Y", "$Z"]);
    let text = df(FROM, "RUN b & p=$!; n=$((1 + 2)); kill $p $n\n");
    assert!(hits(&text, "SC2086").is_empty());
    let text = df(FROM, "ARG T=all\nONBUILD RUN make $T\n");
    assert_eq!(hits(&text, "SC2086"), ["$T"]);
    let text = df(FROM, "RUN case a in a) X=1 ;; esac; echo $X\n");
    assert_eq!(hits(&text, "SC2086"), ["$X"]);
}

#[test]
fn sc2086_not_in_assignments_tests_or_arithmetic() {
    let body = "RUN A=$B; echo \"$G\" '$H' $? $# ${#I} $((J + 1))\n";
    assert!(hits(&df(FROM, body), "SC2086").is_empty());
    let body = "RUN [[ -n $K ]] && echo ok\n";
    assert!(hits(&df(BASH, body), "SC2086").is_empty());
}

#[test]
fn sc2086_in_multiline_run_and_heredoc() {
    let text = df(FROM, "RUN echo a \\\n    && echo $X\n");
    assert_eq!(hits(&text, "SC2086"), ["$X"]);
    assert_eq!(
        fixed(&text, "SC2086"),
        df(FROM, "RUN echo a \\\n    && echo \"$X\"\n")
    );
    let text = df(FROM, "RUN <<EOF\necho one\nrm -rf $TMP\nEOF\n");
    assert_eq!(hits(&text, "SC2086"), ["$TMP"]);
    assert_eq!(
        fixed(&text, "SC2086"),
        df(FROM, "RUN <<EOF\necho one\nrm -rf \"$TMP\"\nEOF\n")
    );
}

#[test]
fn sc2086_in_nested_substitution() {
    let text = df(FROM, "RUN X=\"$(basename $P)\"\n");
    assert_eq!(hits(&text, "SC2086"), ["$P"]);
}

// --- SC2046 ---------------------------------------------------------------------------------

#[test]
fn sc2046_unquoted_command_substitution() {
    let text = df(FROM, "RUN rm -f $(ls /tmp) `ls /var/tmp` \"$(pwd)\"\n");
    assert_eq!(hits(&text, "SC2046"), ["$(ls /tmp)", "`ls /var/tmp`"]);
    assert_eq!(
        fixed(&text, "SC2046"),
        df(
            FROM,
            "RUN rm -f \"$(ls /tmp)\" \"`ls /var/tmp`\" \"$(pwd)\"\n"
        )
    );
}

#[test]
fn sc2046_not_in_assignments() {
    let text = df(
        FROM,
        "RUN V=$(cat /VERSION) && for f in $(ls); do :; done\n",
    );
    assert!(hits(&text, "SC2046").is_empty());
    let text = df(FROM, "RUN export W=$(cat /VERSION)\n");
    assert_eq!(hits(&text, "SC2046"), ["$(cat /VERSION)"]);
}

// --- SC2164 ---------------------------------------------------------------------------------

#[test]
fn sc2164_unchecked_cd() {
    let text = df(FROM, "RUN cd /src; make\n");
    assert_eq!(hits(&text, "SC2164"), ["cd /src"]);
    assert_eq!(
        fixed(&text, "SC2164"),
        df(FROM, "RUN cd /src || exit; make\n")
    );
    let text = df(FROM, "RUN echo start \\\n && cd /src\n");
    assert_eq!(hits(&text, "SC2164"), ["cd /src"]);
    assert_eq!(
        fixed(&text, "SC2164"),
        df(FROM, "RUN echo start \\\n && cd /src || exit\n")
    );
}

#[test]
fn sc2164_checked_cd() {
    for body in [
        "RUN cd /src && make\n",
        "RUN cd /src || exit 1\n",
        "RUN if cd /src; then make; fi\n",
        "RUN cd\n",
        "RUN set -eux; cd /src; make\n",
        "RUN cd /src; make; set -e\n",
    ] {
        assert!(hits(&df(FROM, body), "SC2164").is_empty(), "{body}");
    }
}

// --- SC2155 ---------------------------------------------------------------------------------

#[test]
fn sc2155_declare_with_substitution() {
    let text = df(
        FROM,
        "RUN export V=$(cat /VERSION) W=plain && echo \"$V\"\n",
    );
    assert_eq!(hits(&text, "SC2155"), ["V=$(cat /VERSION)"]);
    let text = df(FROM, "RUN export V=1 && V=$(cat /VERSION) && export V\n");
    assert!(hits(&text, "SC2155").is_empty());
}

// --- SC2015 ---------------------------------------------------------------------------------

#[test]
fn sc2015_and_or_chain() {
    let text = df(FROM, "RUN [ -f /x ] && cp /x /y || rm -f /y; ls\n");
    assert_eq!(hits(&text, "SC2015"), ["[ -f /x ] && cp /x /y || rm -f /y"]);
    let text = df(FROM, "RUN a || b && c || d\n");
    assert_eq!(hits(&text, "SC2015"), ["a || b && c || d"]);
    for body in [
        "RUN make || echo failed && ls\n",
        "RUN a && b && c\n",
        "RUN a || b || c\n",
        "RUN a && b || c && d\n",
        "RUN a && b || true\n",
        "RUN a && b || echo skipped\n",
        "RUN a && b || exit 1\n",
        "RUN ret=0 && b || ret=\"$?\"\n",
        "RUN if a && b || c; then d; fi\n",
    ] {
        assert!(hits(&df(FROM, body), "SC2015").is_empty(), "{body}");
    }
}

// --- SC2035 ---------------------------------------------------------------------------------

#[test]
fn sc2035_glob_as_argument() {
    let text = df(
        FROM,
        "RUN chmod +x *.sh bin/*.sh && rm -- *.tmp && echo *\n",
    );
    assert_eq!(hits(&text, "SC2035"), ["*.sh"]);
    assert_eq!(
        fixed(&text, "SC2035"),
        df(
            FROM,
            "RUN chmod +x ./*.sh bin/*.sh && rm -- *.tmp && echo *\n"
        )
    );
    assert!(hits(&df(FROM, "RUN rm -f '*.log' ./*.log\n"), "SC2035").is_empty());
}

// --- SC2002 ---------------------------------------------------------------------------------

#[test]
fn sc2002_useless_cat() {
    let text = df(BASH, "RUN cat /etc/os-release | grep ID\n");
    assert_eq!(hits(&text, "SC2002"), ["cat /etc/os-release"]);
    assert_eq!(
        fixed(&text, "SC2002"),
        df(BASH, "RUN grep ID < /etc/os-release\n")
    );
    for body in [
        "RUN cat a b | sort\n",
        "RUN cat -n a | head\n",
        "RUN cat a\n",
        "RUN grep x a | cat\n",
    ] {
        assert!(hits(&df(BASH, body), "SC2002").is_empty(), "{body}");
    }
    // Optional in ShellCheck 0.11: off unless enabled.
    let quiet = lint(&df(BASH, "RUN cat a | grep b\n"), &LintOptions::default());
    assert!(quiet.iter().all(|f| f.code != "SC2002"));
}

// --- SC1001 ---------------------------------------------------------------------------------

#[test]
fn sc1001_escaped_letter() {
    let text = df(
        FROM,
        "RUN grep -q \\d /etc/hosts && echo a\\n '\\d' \"\\d\" && \\ls\n",
    );
    assert_eq!(hits(&text, "SC1001"), ["\\d"]);
    let message = &findings(&text, "SC1001")[0].message;
    assert!(
        message.contains("\\d") && message.contains("'d'"),
        "{message}"
    );
}

// --- SC3040 / SC3009 / SC3010 ----------------------------------------------------------------

#[test]
fn sc3040_pipefail_in_sh() {
    let text = df(FROM, "RUN set -euo pipefail && make\n");
    assert_eq!(hits(&text, "SC3040"), ["pipefail"]);
    assert!(hits(&df(BASH, "RUN set -euo pipefail && make\n"), "SC3040").is_empty());
    assert!(hits(&df(FROM, "RUN set -eu && make\n"), "SC3040").is_empty());
}

#[test]
fn sc3040_heredoc_with_bash_shebang_is_bash() {
    let text = df(FROM, "RUN <<EOF\n#!/bin/bash\nset -o pipefail\nEOF\n");
    assert!(hits(&text, "SC3040").is_empty());
    let text = df(FROM, "RUN <<EOF\nset -o pipefail\nEOF\n");
    assert_eq!(hits(&text, "SC3040"), ["pipefail"]);
}

#[test]
fn sc3009_brace_expansion_in_sh() {
    let text = df(FROM, "RUN mkdir -p /app/{logs,data} && echo '{a,b}' {x}\n");
    assert_eq!(hits(&text, "SC3009"), ["/app/{logs,data}"]);
    assert!(hits(&df(BASH, "RUN mkdir -p /app/{logs,data}\n"), "SC3009").is_empty());
}

#[test]
fn sc3010_double_brackets_in_sh() {
    let text = df(
        FROM,
        "RUN if [[ -f /a ]]; then echo $( [[ -d /b ]] && echo b); fi\n",
    );
    assert_eq!(hits(&text, "SC3010"), ["[[ -f /a ]]", "[[ -d /b ]]"]);
    assert!(hits(&df(BASH, "RUN [[ -f /a ]] && echo a\n"), "SC3010").is_empty());
    let text = "FROM alpine:3.20\nSHELL [\"/bin/ash\", \"-c\"]\nRUN [[ -f /a ]]\n";
    assert_eq!(hits(text, "SC3010"), ["[[ -f /a ]]"]);
}

// --- LL1001 ---------------------------------------------------------------------------------

#[test]
fn ll1001_install_after_whole_copy() {
    let text = "FROM node:22.11\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";
    assert_eq!(hits(text, "LL1001"), ["COPY . ."]);
    assert!(findings(text, "LL1001")[0].message.contains("npm ci"));
    for install in [
        "pip install -r requirements.txt",
        "python3 -m pip install --no-cache-dir -r requirements.txt",
        "poetry install",
        "cargo build --release",
        "bundle install",
        "composer install",
        "yarn",
        "pnpm install --frozen-lockfile",
        "sudo npm install",
    ] {
        let text = format!("FROM x:1\nADD . /src\nRUN {install}\n");
        assert_eq!(hits(&text, "LL1001"), ["ADD . /src"], "{install}");
    }
}

#[test]
fn ll1001_manifests_first_or_other_stages() {
    for text in [
        "FROM golang:1.23\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build\n",
        "FROM node:22.11\nCOPY . .\nRUN npm install express\n",
        "FROM node:22.11 AS a\nCOPY . .\nFROM node:22.11\nRUN npm ci\n",
        "FROM node:22.11\nCOPY --from=deps . .\nRUN npm ci\n",
        "FROM python:3.13\nCOPY . .\nRUN pip install flask==3.0.0\n",
    ] {
        assert!(hits(text, "LL1001").is_empty(), "{text}");
    }
}

// --- LL1002 ---------------------------------------------------------------------------------

#[test]
fn ll1002_npm_and_composer_caches() {
    let text = "FROM node:22.11\nCOPY package.json ./\nRUN npm ci --omit=dev && echo ok\n";
    assert_eq!(hits(text, "LL1002"), ["npm ci --omit=dev"]);
    let text = "FROM composer:2\nRUN composer install --no-dev\n";
    assert_eq!(hits(text, "LL1002"), ["composer install --no-dev"]);
}

#[test]
fn ll1002_cleaned_mounted_or_not_shipped() {
    for text in [
        "FROM node:22.11\nRUN npm ci && npm cache clean --force\n",
        "FROM node:22.11\nRUN npm ci && rm -rf /root/.npm\n",
        "FROM node:22.11\nRUN --mount=type=cache,target=/root/.npm npm ci\n",
        "FROM composer:2\nRUN composer install --no-cache\n",
        "FROM composer:2\nRUN composer install && composer clear-cache\n",
        "FROM node:22.11 AS build\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=build /dist /usr/share/nginx/html\n",
        "FROM node:22.11\nRUN npm install -g typescript@5.6.3\n",
    ] {
        assert!(hits(text, "LL1002").is_empty(), "{text}");
    }
    let reused = "FROM node:22.11 AS base\nRUN npm ci\nFROM base\nCMD [\"node\"]\n";
    assert_eq!(hits(reused, "LL1002"), ["npm ci"]);
}

// --- LL1003 ---------------------------------------------------------------------------------

#[test]
fn ll1003_add_url_without_checksum() {
    let text = df(
        FROM,
        "ADD https://example.com/a.tgz http://example.com/b.tgz /opt/\n",
    );
    assert_eq!(
        hits(&text, "LL1003"),
        ["https://example.com/a.tgz", "http://example.com/b.tgz"]
    );
    let text = df(
        FROM,
        "ADD --checksum=sha256:abc https://example.com/a.tgz /opt/\n",
    );
    assert!(hits(&text, "LL1003").is_empty());
    assert!(hits(&df(FROM, "ADD app.tgz /opt/\n"), "LL1003").is_empty());
    let text = df(FROM, "ONBUILD ADD https://example.com/a.tgz /opt/\n");
    assert_eq!(hits(&text, "LL1003"), ["https://example.com/a.tgz"]);
}

// --- LL1004 ---------------------------------------------------------------------------------

#[test]
fn ll1004_secret_files() {
    let text = df(
        FROM,
        "COPY .env config/.env.production id_rsa certs/server.key .ssh/ /app/\n",
    );
    assert_eq!(
        hits(&text, "LL1004"),
        [
            ".env",
            "config/.env.production",
            "id_rsa",
            "certs/server.key",
            ".ssh/"
        ]
    );
    let text = df(FROM, "COPY [\"home/.aws/credentials\", \"/root/.aws/\"]\n");
    assert_eq!(hits(&text, "LL1004"), ["\"home/.aws/credentials\""]);
}

#[test]
fn ll1004_ordinary_files() {
    let text = df(
        FROM,
        "COPY .env.example id_rsa.pub src/keyboard.ts app.keymap ./\nCOPY .npmrc.d/x /y\n",
    );
    assert!(hits(&text, "LL1004").is_empty());
}

// --- LL1005 ---------------------------------------------------------------------------------

#[test]
fn ll1005_global_arg_not_redeclared() {
    let text = "ARG VERSION=1.2.3\nFROM alpine:3.20\nRUN echo \"$VERSION\" ${VERSION%.*}\n";
    assert_eq!(hits(text, "LL1005"), ["$VERSION", "${VERSION%.*}"]);
    assert_eq!(
        fixed(text, "LL1005"),
        "ARG VERSION=1.2.3\nFROM alpine:3.20\nARG VERSION\nRUN echo \"$VERSION\" ${VERSION%.*}\n"
    );
}

#[test]
fn ll1005_arg_declared_later_and_platform_args() {
    let text = "FROM alpine:3.20\nRUN echo $MODE\nARG MODE=prod\nRUN echo $MODE\n";
    assert_eq!(hits(text, "LL1005"), ["$MODE"]);
    assert_eq!(
        findings(text, "LL1005")[0].span.start,
        text.find("$MODE").unwrap()
    );
    let text = "FROM alpine:3.20\nRUN <<EOF\necho \"$TARGETARCH\"\nEOF\n";
    assert_eq!(hits(text, "LL1005"), ["$TARGETARCH"]);
}

#[test]
fn ll1005_visible_variables() {
    for text in [
        "ARG V=1\nFROM alpine:3.20\nARG V\nRUN echo \"$V\"\n",
        "ARG V=1\nFROM alpine:3.20\nENV V=2\nRUN echo \"$V\"\n",
        "ARG V=1\nFROM alpine:3.20 AS base\nENV V=2\nFROM base\nRUN echo \"$V\"\n",
        "ARG V=1\nFROM alpine:3.20\nRUN V=3; echo \"$V\"\n",
        "ARG V=1\nFROM alpine:3.20\nRUN for V in a b; do echo \"$V\"; done\n",
        "ARG V=1\nFROM alpine:3.20\nRUN echo '$V' \\$V\n",
        "FROM alpine:3.20\nRUN echo \"$HOME\"\n",
        "ARG V=a\nFROM alpine:3.20 AS base-a\nARG V\nENV V=$V\nFROM base-${V}\nRUN echo \"$V\"\n",
    ] {
        assert!(hits(text, "LL1005").is_empty(), "{text}");
    }
}

// --- LL1006 ---------------------------------------------------------------------------------

#[test]
fn ll1006_secret_printed() {
    let text = df(
        FROM,
        "RUN --mount=type=secret,id=token cat /run/secrets/token && make\n",
    );
    assert_eq!(hits(&text, "LL1006"), ["cat /run/secrets/token"]);
    let text = df(
        FROM,
        "RUN --mount=type=secret,id=npm,env=NPM_TOKEN echo \"token: $NPM_TOKEN\"\n",
    );
    assert_eq!(hits(&text, "LL1006"), ["echo \"token: $NPM_TOKEN\""]);
    let text = df(
        FROM,
        "RUN --mount=type=secret,id=k,target=/tmp/k echo \"$(cat /tmp/k)\"\n",
    );
    assert_eq!(hits(&text, "LL1006"), ["echo \"$(cat /tmp/k)\""]);
}

#[test]
fn ll1006_secret_used_not_printed() {
    for body in [
        "RUN --mount=type=secret,id=token cat /run/secrets/token | docker login --password-stdin\n",
        "RUN --mount=type=secret,id=token TOKEN=\"$(cat /run/secrets/token)\" ./configure\n",
        "RUN --mount=type=secret,id=token cat /run/secrets/token > /root/.token\n",
        "RUN --mount=type=secret,id=token echo done\n",
        "RUN cat /run/secrets/token\n",
    ] {
        assert!(hits(&df(FROM, body), "LL1006").is_empty(), "{body}");
    }
}

// --- LL1007 ---------------------------------------------------------------------------------

#[test]
fn ll1007_final_stage_unpinned() {
    let text =
        "FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n";
    assert_eq!(hits(text, "LL1007"), ["alpine:3.20"]);
    assert_eq!(findings(text, "LL1007")[0].level, Level::Info);
    for text in [
        "FROM alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d\n",
        "FROM scratch\n",
        "FROM alpine:3.20 AS base\nFROM base\n",
        "ARG IMAGE=alpine:3.20\nFROM $IMAGE\n",
    ] {
        assert!(hits(text, "LL1007").is_empty(), "{text}");
    }
    // Off unless enabled.
    let quiet = lint("FROM alpine:3.20\n", &LintOptions::default());
    assert!(quiet.iter().all(|f| f.code != "LL1007"));
}
