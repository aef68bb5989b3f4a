//! DL4003: multiple CMD instructions found.
//!
//! **What** — a second (third, …) `CMD` in the same stage; triggers under ONBUILD are not
//! counted.
//!
//! **Why** — only the last CMD of a stage takes effect; the earlier ones never run, however
//! much they look like they do.
//!
//! **Bad** — `CMD ["sh"]` then `CMD ["ash"]` · **Good** — one CMD per stage
//!
//! **Fix** — unsafe (the image does not change, but the earlier one may be the one that was
//! meant): delete the earlier CMD, which never had an effect.

use layerlab_syntax::Keyword;

use super::dl_support::report_repeats;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl4003;

static META: RuleMeta = RuleMeta {
    code: "DL4003",
    aliases: &["MultipleInstructionsDisallowed"],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
    bad: "FROM alpine:3.20\nCMD [\"sh\"]\nCMD [\"ash\"]\n",
    good: "FROM alpine:3.20\nCMD [\"ash\"]\n",
    fixable: true,
};

impl Rule for Dl4003 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        report_repeats(cx, &META, Keyword::Cmd, META.summary);
    }
}
