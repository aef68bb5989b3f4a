//! DL3062: pin versions in `go install`, `go get` and `go run`.
//!
//! **What** — a package of `go install` or `go get` (or the package `go run` runs) without
//! `@<version>`, or with `@latest` or `@none`. Local packages (`./cmd/...`, absolute paths)
//! and `.go` files are exempt.
//!
//! **Why** — an unpinned module resolves to whatever is newest on the day of the build.
//!
//! **Bad** — `RUN go install golang.org/x/tools/gopls@latest` ·
//! **Good** — `RUN go install golang.org/x/tools/gopls@v0.16.2`
//!
//! **Fix** — none: the version to pin is for you to choose.

use layerlab_shell::Word;

use super::dl_shell::{commands, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3062;

static META: RuleMeta = RuleMeta {
    code: "DL3062",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary:
        "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
    bad: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest\n",
    good: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2\n",
    fixable: false,
};

/// `go` build flags that take the next word as their value.
const VALUE_FLAGS: &[&str] = &[
    "-o",
    "-C",
    "-p",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-tags",
    "-mod",
    "-modfile",
    "-toolexec",
    "-exec",
    "-pkgdir",
    "-overlay",
    "-pgo",
    "-buildmode",
    "-compiler",
    "-gccgoflags",
    "-installsuffix",
    "-covermode",
    "-coverpkg",
    "-json",
];

fn pinned(package: &str) -> bool {
    if package.starts_with(['.', '/']) || package.ends_with(".go") || package.contains('$') {
        return true;
    }
    match package.rsplit_once('@') {
        Some((_, version)) => !matches!(version, "latest" | "none" | ""),
        None => false,
    }
}

impl Rule for Dl3062 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["go"]) {
                continue;
            }
            let args = cmd.view().args();
            let Some((sub, rest)) = args.split_first() else {
                continue;
            };
            let sub = cmd.text(sub);
            if !matches!(sub.as_str(), "install" | "get" | "run") {
                continue;
            }
            let mut packages: Vec<(&Word, String)> = Vec::new();
            let mut skip_next = false;
            for word in rest {
                let text = cmd.text(word);
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if text.starts_with('-') {
                    skip_next = !text.contains('=') && VALUE_FLAGS.contains(&text.as_str());
                    continue;
                }
                packages.push((word, text));
                if sub == "run" {
                    break;
                }
            }
            for (word, text) in packages {
                if !pinned(&text) {
                    report(cx, &META, cmd.span(word), None);
                }
            }
        }
    }
}
