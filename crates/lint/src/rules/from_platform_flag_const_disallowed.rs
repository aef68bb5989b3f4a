//! BuildKit `FromPlatformFlagConstDisallowed`: `FROM --platform` should not be a constant.
//!
//! **What** — a FROM whose `--platform` value uses no variable and is a valid platform
//! (`linux/amd64`), unless the stage's name contains that platform's OS or architecture
//! (`FROM --platform=linux/arm64 alpine AS build-arm64` is deliberate). hadolint's DL3029 has no
//! such exception.
//!
//! **Why** — a fixed platform ties the stage to one architecture: on any other target it runs
//! under emulation or produces the wrong binaries. `$BUILDPLATFORM` (build tools) or the default
//! target platform is what is usually meant.
//!
//! **Bad** — `FROM --platform=linux/amd64 alpine:3.20` ·
//! **Good** — `FROM --platform=$BUILDPLATFORM alpine:3.20`
//!
//! **Fix** — none: which platform variable is right depends on what the stage does.

use layerlab_syntax::shell::Lex;

use crate::buildkit::{go_quote, parse_platform, platform_flag, GlobalArgs};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct FromPlatformFlagConstDisallowed;

static META: RuleMeta = RuleMeta {
    code: "FromPlatformFlagConstDisallowed",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "FROM --platform flag should not use a constant value",
    bad: "# hadolint ignore=DL3029\nFROM --platform=linux/amd64 alpine:3.20\n",
    good: "FROM --platform=$BUILDPLATFORM alpine:3.20\n",
    fixable: false,
};

impl Rule for FromPlatformFlagConstDisallowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let globals = GlobalArgs::new(cx);
        let lex = Lex::new(cx.parse.dockerfile.escape);
        for stage in &cx.stages {
            let instruction = &cx.instructions[stage.from];
            let Some((value, span)) = platform_flag(instruction) else {
                continue;
            };
            let Ok(expansion) = lex.process_word_with_matches(value, &globals.env) else {
                continue;
            };
            if !expansion.matched.is_empty() || !expansion.unmatched.is_empty() {
                continue;
            }
            let Some((os, arch)) = parse_platform(&expansion.result) else {
                continue;
            };
            let name = stage.name.as_deref().unwrap_or_default();
            if name.contains(&os) || name.contains(&arch) {
                continue;
            }
            cx.report(
                &META,
                span,
                format!(
                    "FROM --platform flag should not use constant value {}",
                    go_quote(&expansion.result)
                ),
            );
        }
    }
}
