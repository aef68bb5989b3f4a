//! Positive and negative cases for the hadolint rules that look inside RUN (through the shell
//! parser), written from their documented behaviour and checked against hadolint 2.15.1:
//! each case asserts the exact text each finding covers, also inside multi-line RUNs,
//! heredocs and `ONBUILD RUN`.
#![allow(clippy::unwrap_used, clippy::panic)]

use layerlab_lint::{apply_fixes, lint, Finding, LintOptions};

fn findings(text: &str, code: &str) -> Vec<Finding> {
    let options = LintOptions {
        enable: vec![code.to_owned()],
        ..LintOptions::default()
    };
    lint(text, &options)
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

/// The 1-based line of each finding of `code`.
fn lines(text: &str, code: &str) -> Vec<usize> {
    findings(text, code)
        .iter()
        .map(|f| text[..f.span.start].matches('\n').count() + 1)
        .collect()
}

/// The text after applying the fixes of `code`'s findings; `unsafe_too` includes unsafe ones.
fn fixed(text: &str, code: &str, unsafe_too: bool) -> String {
    apply_fixes(text, &findings(text, code), unsafe_too).0
}

// DL3001

#[test]
fn dl3001_reports_commands_pointless_in_a_build() {
    let text = "FROM debian:12.7\nRUN service nginx start && ps aux\nONBUILD RUN vim /etc/x\n";
    assert_eq!(hits(text, "DL3001"), ["service", "ps", "vim"]);
    assert!(hits("FROM debian:12.7\nRUN echo ps top\n", "DL3001").is_empty());
}

// DL3003

#[test]
fn dl3003_reports_cd_in_multi_line_runs_and_heredocs() {
    let text = "FROM alpine:3.20\nRUN mkdir /app \\\n    && cd /app \\\n    && touch x\nRUN <<EOF\ncd /tmp\nEOF\n";
    assert_eq!(hits(text, "DL3003"), ["cd", "cd"]);
    assert_eq!(lines(text, "DL3003"), [3, 6]);
    // Not a shell rule for ONBUILD in hadolint, and `cd` as an argument is not a command.
    assert!(hits(
        "FROM alpine:3.20\nONBUILD RUN cd /x\nRUN echo cd\n",
        "DL3003"
    )
    .is_empty());
}

// DL3004

#[test]
fn dl3004_reports_sudo_also_in_onbuild() {
    let text = "FROM alpine:3.20\nRUN sudo touch /a\nONBUILD RUN true && sudo -u app id\n";
    assert_eq!(hits(text, "DL3004"), ["sudo", "sudo"]);
    assert!(hits("FROM alpine:3.20\nRUN echo sudo\n", "DL3004").is_empty());
}

// DL3008

#[test]
fn dl3008_reports_each_unpinned_package() {
    let text = "FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    curl=7.88.1 \\\n    git \\\n    ./local.deb /tmp/x.deb -t bookworm-backports \"$PKG\"\n";
    assert_eq!(hits(text, "DL3008"), ["git", "\"$PKG\""]);
    assert_eq!(lines(text, "DL3008"), [4, 5]);
}

#[test]
fn dl3008_checks_onbuild_and_heredocs_but_not_other_commands() {
    let text = "FROM debian:12.7\nONBUILD RUN apt-get install -y jq\nRUN <<EOF\napt-get install -y make\nEOF\nRUN apt-get remove -y git && echo apt-get install x\n";
    assert_eq!(hits(text, "DL3008"), ["jq", "make"]);
}

// DL3009

#[test]
fn dl3009_reports_update_without_list_cleanup_in_shipping_stages() {
    let text = "FROM debian:12.7 AS build\nRUN apt-get update && apt-get install -y make\nFROM debian:12.7\nRUN apt-get update && apt-get install -y curl\n";
    assert_eq!(hits(text, "DL3009"), ["apt-get update"]);
    assert_eq!(lines(text, "DL3009"), [4]);
    // A stage that a later stage builds FROM ships too.
    let reused = "FROM debian:12.7 AS base\nRUN apt-get update\nFROM base\nRUN true\n";
    assert_eq!(lines(reused, "DL3009"), [2]);
}

#[test]
fn dl3009_accepts_cleanup_and_cache_mounts() {
    for text in [
        "FROM debian:12.7\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        "FROM debian:12.7\nRUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/lists\n",
        "FROM debian:12.7\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
        "FROM debian:12.7\nRUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update\n",
    ] {
        assert!(hits(text, "DL3009").is_empty(), "{text}");
    }
    // An unrelated `rm -rf` is not the cleanup (hadolint takes any `rm -rf`).
    let text = "FROM debian:12.7\nRUN apt-get update && rm -rf /tmp/x\n";
    assert_eq!(hits(text, "DL3009"), ["apt-get update"]);
}

#[test]
fn dl3009_fix_appends_the_cleanup() {
    let text = "FROM debian:12.7\nRUN apt-get update && apt-get install -y curl\n";
    assert_eq!(
        fixed(text, "DL3009", false),
        "FROM debian:12.7\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    );
}

// DL3010

#[test]
fn dl3010_reports_a_copied_archive_extracted_later() {
    let text = "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n";
    assert_eq!(hits(text, "DL3010"), ["app.tar.gz"]);
    assert_eq!(lines(text, "DL3010"), [2]);
    let other = "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/other.tar.gz\n";
    assert!(hits(other, "DL3010").is_empty());
    let from =
        "FROM alpine:3.20\nCOPY --from=build /app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n";
    assert!(hits(from, "DL3010").is_empty());
    // Only stages that ship: a build stage's archive is not in the image.
    let build = "FROM alpine:3.20 AS build\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\nFROM alpine:3.20\nRUN true\n";
    assert!(hits(build, "DL3010").is_empty());
    let reused =
        "FROM alpine:3.20 AS base\nCOPY b.tgz /b.tgz\nRUN tar xf /b.tgz\nFROM base\nRUN true\n";
    assert_eq!(hits(reused, "DL3010"), ["b.tgz"]);
}

// DL3013

#[test]
fn dl3013_reports_unpinned_pip_packages() {
    let text = "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3 requests 'django>=5' \\\n    git+https://github.com/a/b@v1 ./pkg dist/x.whl x.tar.gz\nRUN python3 -m pip install --no-cache-dir -i https://example.com/simple numpy\n";
    assert_eq!(hits(text, "DL3013"), ["requests", "numpy"]);
}

#[test]
fn dl3013_skips_requirements_constraints_and_the_project() {
    for text in [
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt flask\n",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir -c constraints.txt flask\n",
        "FROM python:3.12-slim\nRUN pip install --no-cache-dir . flask\n",
        "FROM python:3.12-slim\nRUN pipx install flask\n",
    ] {
        assert!(hits(text, "DL3013").is_empty(), "{text}");
    }
}

// DL3014

#[test]
fn dl3014_reports_apt_get_install_without_yes() {
    let text = "FROM debian:12.7\nRUN apt-get install curl\nRUN apt-get install -qq curl\nRUN apt-get -q -q install curl\nRUN apt-get install -q=2 curl\nRUN apt-get --assume-yes install curl\nRUN apt-get install -qy curl\n";
    assert_eq!(hits(text, "DL3014"), ["apt-get"]);
    assert_eq!(lines(text, "DL3014"), [2]);
}

#[test]
fn dl3014_fix_adds_yes_after_install() {
    let text = "FROM debian:12.7\nRUN apt-get update && apt-get install \\\n    curl\n";
    assert_eq!(
        fixed(text, "DL3014", false),
        "FROM debian:12.7\nRUN apt-get update && apt-get install -y \\\n    curl\n"
    );
}

// DL3015

#[test]
fn dl3015_reports_install_without_no_install_recommends() {
    let text = "FROM debian:12.7\nRUN apt-get install -y curl\nRUN apt-get install -y -o APT::Install-Recommends=false curl\nRUN apt-get install -y --no-install-recommends curl\n";
    assert_eq!(lines(text, "DL3015"), [2]);
    let fix = findings(text, "DL3015").remove(0).fix.unwrap();
    assert!(!fix.safe);
    assert_eq!(
        fixed(text, "DL3015", true).lines().nth(1),
        Some("RUN apt-get install --no-install-recommends -y curl")
    );
}

// DL3016

#[test]
fn dl3016_reports_unpinned_npm_packages() {
    let text = "FROM node:22.11-alpine\nRUN npm install -g typescript@5.6.3 eslint @types/node @scope/pkg@1.0.0 \\\n    ./local x.tgz git+https://github.com/a/b.git#v1 github:a/b\nRUN npm install\nRUN npm ci\n";
    assert_eq!(
        hits(text, "DL3016"),
        ["eslint", "@types/node", "github:a/b"]
    );
}

// DL3018 / DL3019

#[test]
fn dl3018_reports_unpinned_apk_packages() {
    let text = "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps curl=8.9.1-r2 git \\\n    make~4.4 ./x.apk -X https://dl-cdn.alpinelinux.org/alpine/edge/testing jq\n";
    assert_eq!(hits(text, "DL3018"), ["git", "jq"]);
    assert_eq!(lines(text, "DL3018"), [2, 3]);
}

#[test]
fn dl3019_reports_apk_add_without_no_cache_and_fixes_it() {
    let text = "FROM alpine:3.20\nRUN apk add curl=8.9.1-r2\nRUN apk add --no-cache curl=8.9.1-r2\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r2\n";
    assert_eq!(hits(text, "DL3019"), ["apk"]);
    assert_eq!(
        fixed(text, "DL3019", false).lines().nth(1),
        Some("RUN apk add --no-cache curl=8.9.1-r2")
    );
}

// DL3027

#[test]
fn dl3027_reports_apt_and_offers_apt_get() {
    let text = "FROM debian:12.7\nRUN apt install -y curl && apt-get install -y git\nONBUILD RUN apt update\n";
    assert_eq!(hits(text, "DL3027"), ["apt", "apt"]);
    assert_eq!(
        fixed(text, "DL3027", true),
        "FROM debian:12.7\nRUN apt-get install -y curl && apt-get install -y git\nONBUILD RUN apt-get update\n"
    );
}

// DL3028

#[test]
fn dl3028_reports_unpinned_gems() {
    let text = "FROM ruby:3.3-slim\nRUN gem install bundler rake:13.2.1\nRUN gem install -v 2.5.22 bundler\nRUN gem i rails\n";
    assert_eq!(hits(text, "DL3028"), ["bundler", "rails"]);
}

// DL3030 / DL3032 / DL3033

#[test]
fn dl3030_dl3032_dl3033_yum() {
    let text = "FROM centos:7.9.2009\nRUN yum install httpd-2.4.6 python3-devel foo-$V $PKG x.rpm && yum clean all\nRUN yum install -y httpd-2.4.6 \\\n    && rm -rf /var/cache/yum/*\nRUN yum -y install httpd-2.4.6\nRUN yum module install -y nodejs nodejs:18 && yum clean all\n";
    assert_eq!(hits(text, "DL3030"), ["yum"]);
    assert_eq!(lines(text, "DL3032"), [5]);
    assert_eq!(hits(text, "DL3033"), ["python3-devel", "$PKG", "nodejs"]);
}

// DL3034 - DL3037

#[test]
fn zypper_rules() {
    let text = "FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean\nRUN zypper -n install curl 'vim>=9' x.rpm\nRUN zypper --non-interactive dup && zypper cc\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in jq=1.7\n";
    assert_eq!(lines(text, "DL3034"), [2]);
    assert_eq!(hits(text, "DL3035"), ["zypper --non-interactive dup"]);
    assert_eq!(lines(text, "DL3036"), [3]);
    assert_eq!(hits(text, "DL3037"), ["curl"]);
    assert_eq!(
        fixed(text, "DL3034", false).lines().nth(1),
        Some("RUN zypper -n install curl=8.6.0 && zypper clean")
    );
}

// DL3038 / DL3040 / DL3041

#[test]
fn dnf_rules() {
    let text = "FROM fedora:41\nRUN dnf install httpd-2.4.62 && dnf clean all\nRUN microdnf install -y jq\nRUN dnf upgrade -y && rm -rf /var/cache/libdnf5*\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y make-4.4\n";
    assert_eq!(lines(text, "DL3038"), [2]);
    assert_eq!(lines(text, "DL3040"), [3]);
    assert_eq!(hits(text, "DL3041"), ["jq"]);
}

#[test]
fn dl3040_cleanup_must_come_after_the_install() {
    let text = "FROM fedora:41\nRUN rm -rf /foo && dnf install -y bash-5.2 && dnf clean all\nRUN dnf clean all && dnf install -y bash-5.2\n";
    assert_eq!(lines(text, "DL3040"), [3]);
}

// DL3042

#[test]
fn dl3042_reports_pip_install_without_no_cache_dir() {
    let text = "FROM python:3.12-slim\nRUN pip install flask==3.0.3\nRUN pip3 install --no-cache-dir flask==3.0.3\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3\nRUN python -m pip install flask==3.0.3\n";
    assert_eq!(hits(text, "DL3042"), ["pip", "python"]);
    assert_eq!(
        fixed(text, "DL3042", false).lines().nth(1),
        Some("RUN pip install --no-cache-dir flask==3.0.3")
    );
}

#[test]
fn dl3042_honours_pip_no_cache_dir_from_env_and_parent_stages() {
    let text = "FROM python:3.12-slim AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask==3.0.3\n";
    assert!(hits(text, "DL3042").is_empty());
    let off = "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=false\nRUN pip install flask==3.0.3\n";
    assert_eq!(lines(off, "DL3042"), [3]);
}

// DL3046

#[test]
fn dl3046_reports_high_uids_without_no_log_init() {
    let text = "FROM debian:12.7\nRUN useradd -u 1000000 app\nRUN useradd -l -u 1000000 app\nRUN useradd --uid 1000 app\n";
    assert_eq!(lines(text, "DL3046"), [2]);
    assert_eq!(
        fixed(text, "DL3046", false).lines().nth(1),
        Some("RUN useradd -l -u 1000000 app")
    );
}

// DL3047

#[test]
fn dl3047_reports_wget_without_progress_option() {
    let text = "FROM alpine:3.20\nRUN wget https://x/a\nRUN wget -qO- https://x/a\nRUN wget -nv https://x/a\nRUN wget --progress=dot:giga https://x/a\nRUN wget -O /a -o /log https://x/a\n";
    assert_eq!(lines(text, "DL3047"), [2]);
    assert_eq!(
        fixed(text, "DL3047", false).lines().nth(1),
        Some("RUN wget -q https://x/a")
    );
}

// DL3059

#[test]
fn dl3059_reports_consecutive_single_command_runs() {
    let text = "FROM alpine:3.20\nRUN mkdir /a\n# comment\nRUN touch /a/b\nRUN --network=none touch /a/c\nRUN touch /a/d && touch /a/e\nRUN touch /a/f\n";
    assert_eq!(lines(text, "DL3059"), [4]);
    assert_eq!(hits(text, "DL3059"), ["RUN"]);
    // Exec form counts as one command.
    assert_eq!(
        lines("FROM alpine:3.20\nRUN [\"a\"]\nRUN [\"b\"]\n", "DL3059"),
        [3]
    );
}

// DL3060

#[test]
fn dl3060_reports_yarn_install_without_cache_clean_in_shipping_stages() {
    let text = "FROM node:22.11 AS build\nRUN yarn install\nFROM node:22.11\nRUN yarn install && yarn cache clean\nRUN yarn install\n";
    assert_eq!(lines(text, "DL3060"), [5]);
}

// DL3062

#[test]
fn dl3062_reports_unpinned_go_modules() {
    let text = "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest example.com/a@v1.2.3 example.com/b\nRUN go install -ldflags '-s -w' ./cmd/... && go run main.go\nRUN go run example.com/c arg\n";
    assert_eq!(
        hits(text, "DL3062"),
        [
            "golang.org/x/tools/gopls@latest",
            "example.com/b",
            "example.com/c"
        ]
    );
}

// DL4001

#[test]
fn dl4001_reports_runs_using_either_tool_once_both_appear() {
    let text = "FROM alpine:3.20\nRUN curl -fsSO https://x/a\nRUN wget -q https://x/b\nRUN curl -fsSO https://x/c\nFROM alpine:3.20\nRUN wget -q https://x/d\n";
    assert_eq!(hits(text, "DL4001"), ["wget", "curl"]);
    assert_eq!(lines(text, "DL4001"), [3, 4]);
}

// DL4005

#[test]
fn dl4005_reports_relinking_bin_sh() {
    let text = "FROM debian:12.7\nRUN ln -sf /bin/bash /bin/sh\nRUN ln -s /bin/sh /usr/local/bin/x\nRUN ln -s /a /b\n";
    assert_eq!(hits(text, "DL4005"), ["/bin/sh", "/bin/sh"]);
}

// DL4006

#[test]
fn dl4006_reports_the_pipe_without_pipefail() {
    let text = "FROM debian:12.7\nRUN echo a \\\n    | wc -c\n";
    assert_eq!(hits(text, "DL4006"), ["|"]);
    assert_eq!(lines(text, "DL4006"), [3]);
}

#[test]
fn dl4006_sees_pipefail_from_shell_parent_stage_and_set() {
    for text in [
        "FROM debian:12.7\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo a | wc -c\n",
        "FROM debian:12.7\nSHELL [\"/usr/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN echo a | wc -c\n",
        // hadolint#406: the SHELL is inherited from the parent stage.
        "FROM debian:12.7 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN echo a | wc -c\n",
        // hadolint#1137: a heredoc script that sets pipefail itself.
        "FROM debian:12.7\nRUN <<EOF\nset -euo pipefail\necho a | wc -c\nEOF\n",
        "FROM debian:12.7\nRUN <<EOF\n#!/bin/bash\nset -o pipefail\ncurl -fsSL https://x | tar -xz\nEOF\n",
        // A non-POSIX shell is exempt.
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
    ] {
        assert!(hits(text, "DL4006").is_empty(), "{text}");
    }
    // Pipes before the `set` still count; ONBUILD RUN too.
    let text =
        "FROM debian:12.7\nRUN <<EOF\necho a | wc -c\nset -o pipefail\nEOF\nONBUILD RUN a | b\n";
    assert_eq!(lines(text, "DL4006"), [3, 6]);
}

#[test]
fn dl4006_fix_inserts_a_pipefail_shell_once_per_stage() {
    let text = "FROM debian:12.7\nRUN echo a | wc -c\nRUN echo b | wc -c\nFROM alpine:3.20\nRUN echo c | wc -c\n";
    let all = findings(text, "DL4006");
    assert_eq!(all.len(), 3);
    assert!(all[0].fix.as_ref().is_some_and(|f| !f.safe));
    assert!(all[1].fix.is_none());
    assert_eq!(
        fixed(text, "DL4006", true),
        "FROM debian:12.7\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo a | wc -c\nRUN echo b | wc -c\nFROM alpine:3.20\nSHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo c | wc -c\n"
    );
    assert!(hits(&fixed(text, "DL4006", true), "DL4006").is_empty());
}
