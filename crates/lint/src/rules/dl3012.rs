//! DL3012: multiple HEALTHCHECK instructions.
//!
//! **What** — a second (third, …) `HEALTHCHECK` in the same stage, `HEALTHCHECK NONE`
//! included; triggers under ONBUILD are not counted.
//!
//! **Why** — only the last HEALTHCHECK of a stage takes effect; the earlier ones are dead code
//! that misleads readers about how the container is probed.
//!
//! **Bad** — two `HEALTHCHECK CMD …` in one stage · **Good** — one
//!
//! **Fix** — unsafe (the image does not change, but the earlier one may be the one that was
//! meant): delete the earlier HEALTHCHECK, which never had an effect.

use layerlab_syntax::Keyword;

use super::dl_support::report_repeats;
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3012;

static META: RuleMeta = RuleMeta {
    code: "DL3012",
    aliases: &["MultipleInstructionsDisallowed"],
    level: Level::Error,
    category: Category::Correctness,
    summary: "Multiple `HEALTHCHECK` instructions",
    bad: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/health\"]\n",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/health\"]\n",
    fixable: true,
};

impl Rule for Dl3012 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        report_repeats(cx, &META, Keyword::Healthcheck, META.summary);
    }
}
