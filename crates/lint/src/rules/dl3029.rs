//! DL3029: do not use `--platform` with FROM.
//!
//! **What** — `FROM --platform=…` whose value mentions neither `BUILDPLATFORM` nor
//! `TARGETPLATFORM` (as hadolint, by name: `$BUILDOS/$BUILDARCH` is reported too).
//!
//! **Why** — a hard-coded platform builds the same architecture everywhere: on an arm64 host
//! or in a multi-platform build the image silently runs under emulation or is the wrong one.
//!
//! **Bad** — `FROM --platform=linux/amd64 alpine:3.20` ·
//! **Good** — `FROM --platform=$BUILDPLATFORM golang:1.23 AS build` for a cross-compiling stage
//!
//! **Fix** — none: whether the stage should follow the build or the target platform is a
//! decision.

use layerlab_syntax::Keyword;

use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3029;

static META: RuleMeta = RuleMeta {
    code: "DL3029",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Do not use --platform flag with FROM",
    bad: "ARG PLATFORM=linux/arm64\nFROM --platform=$PLATFORM alpine:3.20\n",
    good: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n",
    fixable: false,
};

impl Rule for Dl3029 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::From) {
            let Some(flag) = instruction.flag("platform") else {
                continue;
            };
            let value = flag.value().unwrap_or_default();
            if !(value.contains("BUILDPLATFORM") || value.contains("TARGETPLATFORM")) {
                cx.report(&META, flag.span, META.summary);
            }
        }
    }
}
