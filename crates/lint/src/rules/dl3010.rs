//! DL3010: use ADD for extracting archives into an image.
//!
//! **What** — a local archive (`.tar`, `.gz`, `.bz2`, `.xz`, `.tgz`, `.Z`, `.lz`, `.lzma`,
//! `.tZ`, `.tb2`, `.tbz`, `.tbz2`, `.tlz`, `.tpz`, `.txz`) is `COPY`'d (without `--from`)
//! and a later RUN of the same stage extracts it (`tar -x`, `unzip`, `gunzip`, `bunzip2`,
//! `unxz`, `zcat`, …) by the path it was copied to. Reported at the COPY's source, only in
//! stages that ship: the final stage and stages a later stage builds `FROM` (hadolint checks
//! the final stage only). `tar xf` without a dash counts as extracting too.
//!
//! **Why** — the copied archive stays in its own layer even after it is extracted and
//! deleted; `ADD` extracts a local tar archive in one step, without keeping it.
//!
//! **Bad** — `COPY app.tar.gz /tmp/` then `RUN tar -xzf /tmp/app.tar.gz -C /opt` ·
//! **Good** — `ADD app.tar.gz /opt/`
//!
//! **Fix** — none: ADD extracts into the destination directory, which the RUN may not match.

use layerlab_syntax::{Keyword, Span};

use super::dl_shell::commands;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3010;

static META: RuleMeta = RuleMeta {
    code: "DL3010",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "Use `ADD` for extracting archives into an image",
    bad: "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt\n",
    good: "FROM alpine:3.20\nADD app.tar.gz /opt/\n",
    fixable: false,
};

const EXTENSIONS: &[&str] = &[
    ".tar", ".gz", ".bz2", ".xz", ".tgz", ".Z", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2",
    ".tlz", ".tpz", ".txz",
];

const EXTRACTORS: &[&str] = &[
    "unzip",
    "gunzip",
    "bunzip2",
    "unxz",
    "zcat",
    "unlzma",
    "uncompress",
    "xzcat",
    "bzcat",
];

fn is_archive(path: &str) -> bool {
    EXTENSIONS.iter().any(|e| path.ends_with(e))
}

impl Rule for Dl3010 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, false);
        for (index, instruction) in cx.instructions.iter().enumerate() {
            if instruction.kind != Keyword::Copy
                || instruction.flag("from").is_some()
                || instruction.json
                || instruction.args.len() < 2
            {
                continue;
            }
            let Some(stage) = cx.stage_of.get(index).copied().flatten() else {
                continue;
            };
            if !cx
                .stages
                .get(stage)
                .is_some_and(|s| cx.is_final(s) || cx.is_reused(s))
            {
                continue;
            }
            let Some((dest, sources)) = instruction.args.split_last() else {
                continue;
            };
            for source in sources.iter().filter(|s| is_archive(&s.value)) {
                let base = source.value.rsplit('/').next().unwrap_or_default();
                let target = if dest.value.ends_with('/') {
                    format!("{}{base}", dest.value)
                } else {
                    dest.value.clone()
                };
                let extracted = all.iter().any(|cmd| {
                    let after = cmd.script.stage == Some(stage)
                        && cmd.script.instruction.span.start > instruction.span.start;
                    let extracts = match cmd.program() {
                        Some("tar") => cmd.view().args().iter().any(|w| {
                            let t = cmd.text(w);
                            t == "--extract"
                                || t == "--get"
                                || (!t.starts_with("--") && t.trim_start_matches('-').contains('x'))
                        }),
                        Some("gzip" | "bzip2" | "xz" | "lzma") => {
                            cmd.has_flag(Some('d'), Some("decompress"))
                        }
                        Some(program) => EXTRACTORS.contains(&program),
                        None => false,
                    };
                    after && extracts && cmd.view().args().iter().any(|w| cmd.text(w) == target)
                });
                if extracted {
                    let span: Span = source.span;
                    cx.report(&META, span, META.summary);
                }
            }
        }
    }
}
