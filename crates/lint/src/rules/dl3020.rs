//! DL3020: use COPY instead of ADD for files and folders.
//!
//! **What** — an `ADD` source that is neither an `http://`/`https://` URL, nor a git source
//! (`git@…`, `git://…`, `ssh://…`), nor a local archive ADD unpacks (`.tar`, `.gz`, `.tgz`,
//! `.bz2`, `.xz`, `.zst`, … by extension); a here-document source counts as a file. A source
//! built from variables is checked after expanding the values the file gives them, and as
//! written when they are unknown. Unlike hadolint, a git source is not reported (COPY cannot
//! fetch one) and extensions are matched case-insensitively.
//!
//! **Why** — ADD also downloads and unpacks; using it for plain files hides which of those
//! behaviours is meant. COPY says exactly what it does.
//!
//! **Bad** — `ADD app.conf /etc/app.conf` · **Good** — `COPY app.conf /etc/app.conf`, or
//! `ADD rootfs.tar.gz /`
//!
//! **Fix** — unsafe (ADD unpacks a local tar archive whatever its name, COPY does not): when
//! every source is a plain file and every flag is one COPY accepts, replace `ADD` with `COPY`.

use layerlab_syntax::{Instruction, Keyword};

use super::dl_support::expand_known;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3020;

static META: RuleMeta = RuleMeta {
    code: "DL3020",
    aliases: &[],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Use COPY instead of ADD for files and folders",
    bad: "FROM alpine:3.20\nADD app.conf /etc/app.conf\n",
    good: "FROM alpine:3.20\nADD rootfs.tar.gz /\nCOPY app.conf /etc/app.conf\n",
    fixable: true,
};

/// Extensions of the archives ADD unpacks (compressed tarballs and plain compressed files).
const ARCHIVES: &[&str] = &[
    ".tar", ".gz", ".bz2", ".xz", ".tgz", ".z", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2",
    ".tlz", ".tpz", ".txz", ".zst", ".tzst",
];

/// Flags COPY accepts too.
const COPY_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude", "parents"];

fn is_remote(source: &str) -> bool {
    ["http://", "https://", "git@", "git://", "ssh://"]
        .iter()
        .any(|prefix| source.starts_with(prefix))
}

fn is_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ARCHIVES.iter().any(|ext| lower.ends_with(ext))
}

fn check_add(cx: &Context<'_>, index: usize, instruction: &Instruction) {
    let Some((_destination, sources)) = instruction.args.split_last() else {
        return;
    };
    let mut plain = Vec::new();
    let mut all_plain = true;
    for word in sources {
        let is_heredoc = word.value.starts_with("<<");
        let value = if is_heredoc {
            word.value.clone()
        } else {
            expand_known(cx, index, &word.value)
                .unwrap_or_else(|| word.value.trim_matches(['"', '\'']).to_owned())
        };
        if is_heredoc || !(is_remote(&value) || is_archive(&value)) {
            plain.push(word);
        } else {
            all_plain = false;
        }
    }
    let copy_flags = instruction
        .flags
        .iter()
        .all(|f| COPY_FLAGS.contains(&f.name()));
    for (n, word) in plain.iter().enumerate() {
        let fix = (n == 0 && all_plain && copy_flags).then(|| {
            let keyword = &instruction.keyword;
            let replacement = if keyword.value.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            Fix {
                title: "Replace ADD with COPY".to_owned(),
                safe: false,
                edits: vec![Edit {
                    span: keyword.span,
                    replacement: replacement.to_owned(),
                }],
            }
        });
        cx.report_with_fix(&META, word.span, META.summary, fix);
    }
}

impl Rule for Dl3020 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (index, instruction) in cx.instructions.iter().enumerate() {
            if instruction.kind == Keyword::Add {
                check_add(cx, index, instruction);
            }
        }
    }
}
