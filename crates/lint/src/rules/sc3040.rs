//! SC3040: in POSIX sh, `set -o pipefail` is undefined.
//!
//! **What** — `set -o pipefail` (also combined, as in `set -euo pipefail`) in a script run by
//! `sh`, `dash` or `ash` — the default shell of a RUN is `/bin/sh`.
//!
//! **Why** — shells that do not know the option stop with an error (Debian's `dash` before
//! 0.5.11, for instance), failing the build, or the option is silently missing.
//!
//! **Bad** — `RUN set -o pipefail && make` · **Good** —
//! `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` then `RUN make`
//!
//! **Fix** — run the RUN with bash: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`.

use super::sc_support::{command_name, is_posix_sh, mapped};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct Sc3040;

static META: RuleMeta = RuleMeta {
    code: "SC3040",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "In POSIX sh, set option pipefail is undefined",
    bad: "FROM alpine:3.20\nRUN set -o pipefail && make\n",
    good: "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN set -o pipefail && make\n",
    fixable: false,
};

impl Rule for Sc3040 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for script in cx.scripts().iter().filter(|s| is_posix_sh(s)) {
            for info in cx.commands_of(script) {
                if command_name(info.command).as_deref() != Some("set") {
                    continue;
                }
                let args = info.command.args();
                for pair in args.windows(2) {
                    let [flag, option] = pair else { continue };
                    let Some(flag_text) = flag.static_value() else {
                        continue;
                    };
                    let takes_option = (flag_text.starts_with('-') || flag_text.starts_with('+'))
                        && !flag_text.starts_with("--")
                        && flag_text.ends_with('o');
                    if takes_option && option.is("pipefail") {
                        let (span, _) = mapped(cx, script, option.span);
                        cx.report(&META, span, META.summary);
                    }
                }
            }
        }
    }
}
