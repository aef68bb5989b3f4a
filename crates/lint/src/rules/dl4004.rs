//! DL4004: multiple ENTRYPOINT instructions found.
//!
//! **What** — a second (third, …) `ENTRYPOINT` in the same stage; triggers under ONBUILD are
//! not counted.
//!
//! **Why** — only the last ENTRYPOINT of a stage takes effect; the earlier ones never run.
//!
//! **Bad** — `ENTRYPOINT ["nginx"]` then `ENTRYPOINT ["/docker-entrypoint.sh"]` ·
//! **Good** — one ENTRYPOINT per stage
//!
//! **Fix** — unsafe (the image does not change, but the earlier one may be the one that was
//! meant): delete the earlier ENTRYPOINT, which never had an effect (a later
//! ENTRYPOINT resets an inherited CMD just the same).

use layerlab_syntax::Keyword;

use super::dl_support::report_repeats;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl4004;

static META: RuleMeta = RuleMeta {
    code: "DL4004",
    aliases: &["MultipleInstructionsDisallowed"],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
    bad: "FROM nginx:1.27\nENTRYPOINT [\"nginx\"]\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n",
    good: "FROM nginx:1.27\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n",
    fixable: true,
};

impl Rule for Dl4004 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        report_repeats(cx, &META, Keyword::Entrypoint, META.summary);
    }
}
