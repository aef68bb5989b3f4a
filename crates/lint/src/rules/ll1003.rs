//! LL1003: `ADD <url>` without `--checksum`.
//!
//! **What** — an `ADD` whose source is an `http://` or `https://` URL and that has no
//! `--checksum=sha256:…` flag. Reported at the URL.
//!
//! **Why** — the build trusts whatever the server sends that day: a changed, truncated or
//! tampered download goes into the image unnoticed, and the build is not reproducible.
//!
//! **Bad** — `ADD https://example.com/tool.tgz /opt/` · **Good** —
//! `ADD --checksum=sha256:<digest> https://example.com/tool.tgz /opt/`
//!
//! **Fix** — add `--checksum=sha256:<digest of the file>` (Dockerfile syntax 1.6 and later).

use layerlab_syntax::Keyword;

use super::ll_support::{flag, sources};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Ll1003;

static META: RuleMeta = RuleMeta {
    code: "LL1003",
    aliases: &[],
    level: Level::Warning,
    category: Category::Security,
    summary: "ADD of a URL without --checksum: the download is not verified",
    bad: "FROM alpine:3.20\nADD https://example.com/tool.tgz /opt/\n",
    good: "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/\n",
    fixable: false,
};

fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl Rule for Ll1003 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions {
            let add = instruction.effective();
            if add.kind != Keyword::Add || flag(add, "checksum").is_some_and(|v| !v.is_empty()) {
                continue;
            }
            for source in sources(add).iter().filter(|w| is_url(&w.value)) {
                cx.report(
                    &META,
                    source.span,
                    "ADD downloads this URL without --checksum: the content is not verified",
                );
            }
        }
    }
}
