//! DL3047: avoid `wget` without a progress option.
//!
//! **What** — `wget` with none of `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`,
//! `-o`/`--output-file` or `-a`/`--append-output`.
//!
//! **Why** — wget's default progress bar writes thousands of lines into the build log for a
//! large download.
//!
//! **Bad** — `RUN wget https://example.com/file` ·
//! **Good** — `RUN wget -q https://example.com/file`
//!
//! **Fix** — add `-q` after `wget` (safe: only the log changes; busybox wget knows `-q`
//! too, unlike `--progress`).

use super::dl_shell::{commands, insert_after, report};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3047;

static META: RuleMeta = RuleMeta {
    code: "DL3047",
    aliases: &[],
    level: Level::Info,
    category: Category::Style,
    summary: "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
    bad: "FROM alpine:3.20\nRUN wget https://example.com/file.txt\n",
    good: "FROM alpine:3.20\nRUN wget -q https://example.com/file.txt\n",
    fixable: true,
};

impl Rule for Dl3047 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for cmd in commands(cx, true) {
            if !cmd.is(&["wget"]) {
                continue;
            }
            let quiet = cmd.has_flag(None, Some("progress"))
                || cmd.has_flag(Some('q'), Some("quiet"))
                || cmd.has_flag(None, Some("no-verbose"))
                || cmd.has_arg(&["-nv"])
                || cmd.has_flag(Some('o'), Some("output-file"))
                || cmd.has_flag(Some('a'), Some("append-output"));
            if quiet {
                continue;
            }
            let fix = cmd
                .info
                .name_word()
                .map(|name| insert_after(&cmd, name, "-q", "Add `-q`", true));
            report(cx, &META, cmd.name_span(), fix);
        }
    }
}
