//! DL3016: pin versions in `npm install`.
//!
//! **What** — a package argument of `npm install` (`npm i`, `npm add`) without `@<version>`.
//! Git URLs need a `#<ref>`; tarballs and local paths are exempt; a bare `npm install` (from
//! `package.json`) is fine.
//!
//! **Why** — an unpinned package installs whatever the registry has on the day of the build.
//!
//! **Bad** — `RUN npm install -g typescript` · **Good** — `RUN npm install -g typescript@5.6.3`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::ArgSpec;

use super::dl_shell::{commands, package_args, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3016;

static META: RuleMeta = RuleMeta {
    code: "DL3016",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`",
    bad: "FROM node:22.11-alpine\nRUN npm install -g typescript\n",
    good: "FROM node:22.11-alpine\nRUN npm install -g typescript@5.6.3\n",
    fixable: false,
};

const NPM: ArgSpec<'static> = ArgSpec::new(
    "",
    &[
        "loglevel",
        "registry",
        "prefix",
        "cache",
        "userconfig",
        "tag",
        "omit",
        "include",
    ],
);

fn pinned(package: &str) -> bool {
    let lower = package.to_ascii_lowercase();
    if lower.ends_with(".tgz") || lower.ends_with(".tar.gz") || lower.ends_with(".tar") {
        return true;
    }
    if package.starts_with(['.', '/', '~']) || lower.starts_with("file:") {
        return true;
    }
    let is_git = lower.starts_with("git")
        || lower.contains("://")
        || lower.starts_with("github:")
        || lower.starts_with("gitlab:")
        || lower.starts_with("bitbucket:");
    if is_git {
        return package.contains('#');
    }
    // `user/repo` is a GitHub shorthand.
    if !package.starts_with('@') && package.contains('/') {
        return package.contains('#');
    }
    package.trim_start_matches('@').contains('@')
}

impl Rule for Dl3016 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["npm"]) {
                continue;
            }
            let Some((_, packages)) = cmd.subcommand(&NPM, &["install", "i", "add"]) else {
                continue;
            };
            for (word, text) in package_args(packages) {
                if !pinned(&text) {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
