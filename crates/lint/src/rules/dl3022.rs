//! DL3022: `COPY --from` should reference a previously defined FROM alias.
//!
//! **What** — `COPY --from=X` where X is a number that is not the index of an earlier stage, a
//! stage name defined later in the file, a variable (BuildKit does not expand `--from`), or a
//! name that cannot be an image reference (upper case, stray symbols). Names of earlier stages
//! match case-insensitively, as in BuildKit. Any other name is an image BuildKit pulls, so
//! `COPY --from=hello-world` and `COPY --from=nginx:1.27` are fine — hadolint flags the first
//! (hadolint#859).
//!
//! **Why** — a typo in a stage name silently turns into pulling an image of that name, and a
//! forward or out-of-range reference fails the build.
//!
//! **Bad** — `COPY --from=Builder …` when the stage is `build` ·
//! **Good** — `COPY --from=build …`
//!
//! **Fix** — none: which stage was meant is a guess.

use layerlab_syntax::Keyword;

use super::dl_support::{flag_value_span, is_image_reference, is_number};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Dl3022;

static META: RuleMeta = RuleMeta {
    code: "DL3022",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "`COPY --from` should reference a previously defined `FROM` alias",
    bad: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=Builder /out/app /usr/local/bin/app\n",
    good: "FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /out/app /usr/local/bin/app\n",
    fixable: false,
};

/// Why `--from=value` in stage `current` is wrong, if it is.
fn problem(cx: &Context<'_>, current: usize, value: &str) -> Option<String> {
    if value.contains('$') {
        return Some(
            "`COPY --from` cannot use a variable; build a stage FROM the image and copy from that stage"
                .to_owned(),
        );
    }
    if is_number(value) {
        let previous = value.parse::<usize>().is_ok_and(|index| index < current);
        return (!previous).then(|| {
            format!("`COPY --from={value}` is not the index of a previously defined stage")
        });
    }
    let lower = value.to_lowercase();
    if let Some(stage) = cx.stages.iter().find(|s| s.name.as_deref() == Some(&lower)) {
        // The current stage's own name is DL3023's.
        return (stage.index > current)
            .then(|| format!("`COPY --from={value}` names a stage defined later in the file"));
    }
    (!is_image_reference(value)).then(|| {
        format!(
            "`COPY --from={value}` is neither a previously defined stage nor an image reference"
        )
    })
}

impl Rule for Dl3022 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for (index, instruction) in cx.instructions.iter().enumerate() {
            if instruction.kind != Keyword::Copy {
                continue;
            }
            let Some(current) = cx.stage_of.get(index).copied().flatten() else {
                continue;
            };
            let Some(flag) = instruction.flag("from") else {
                continue;
            };
            let value = flag.value().unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            if let Some(message) = problem(cx, current, value) {
                cx.report(&META, flag_value_span(cx, flag), message);
            }
        }
    }
}
