//! DL3009: delete the apt lists after installing something.
//!
//! **What** — `apt-get update` (or `apt update`, `aptitude update`) in a RUN that does not also
//! `rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`, APT 2.7.8+, which removes them too;
//! hadolint does not know it). Only stages that ship are checked: the final stage, stages a
//! later stage builds `FROM`, and `ONBUILD` triggers. A cache or tmpfs mount on
//! `/var/lib/apt/lists` (or on both `/var/lib/apt` and `/var/cache/apt`) keeps the lists out
//! of the layer, so it is exempt.
//!
//! **Why** — the package lists are tens of megabytes that stay in the layer forever.
//!
//! **Bad** — `RUN apt-get update && apt-get install -y curl` ·
//! **Good** — `RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*`
//!
//! **Fix** — append `&& rm -rf /var/lib/apt/lists/*` to the RUN (safe; offered for
//! single-line, shell-form RUNs whose script is one `&&` list).

use layerlab_shell::{AndOrOp, ArgSpec};
use layerlab_syntax::Span;

use super::dl_shell::{cache_mount_targets, commands, in_same_run, removes, report, ships, Cmd};
use crate::scripts::Origin;
use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl3009;

static META: RuleMeta = RuleMeta {
    code: "DL3009",
    aliases: &[],
    level: Level::Info,
    category: Category::Efficiency,
    summary: "Delete the apt lists (/var/lib/apt/lists) after installing something",
    bad: "FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    good: "FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n    && rm -rf /var/lib/apt/lists/*\n",
    fixable: true,
};

fn mount_exempt(targets: &[String]) -> bool {
    let has = |t: &str| targets.iter().any(|m| m == t);
    has("/var/lib/apt/lists") || (has("/var/lib/apt") && has("/var/cache/apt"))
}

/// Appending to the script is safe when it is one `&&` list on one line.
fn fix(cx: &Context<'_>, cmd: &Cmd<'_, '_>) -> Option<Fix> {
    let script = cmd.script;
    if !matches!(script.origin, Origin::Command { .. }) {
        return None;
    }
    let [item] = script.parsed.script.items.as_slice() else {
        return None;
    };
    if item.separator.is_some() || item.and_or.ops.iter().any(|(op, _)| *op != AndOrOp::And) {
        return None;
    }
    let end = script.span(item.span).end;
    let whole = script.span(item.span);
    if cx.slice(whole).contains('\n') || !script.parsed.errors.is_empty() {
        return None;
    }
    Some(Fix {
        title: "Remove /var/lib/apt/lists/* in the same RUN".to_owned(),
        safe: true,
        edits: vec![Edit {
            span: Span::new(end, end),
            replacement: " && rm -rf /var/lib/apt/lists/*".to_owned(),
        }],
    })
}

impl Rule for Dl3009 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let all = commands(cx, true);
        let mut reported = Vec::new();
        for cmd in &all {
            if !cmd.is(&["apt-get", "apt", "aptitude"])
                || cmd
                    .subcommand(&ArgSpec::new("otc", &[]), &["update"])
                    .is_none()
                || !ships(cx, cmd.script)
                || mount_exempt(&cache_mount_targets(cmd.script.run))
            {
                continue;
            }
            let instruction: *const _ = cmd.script.instruction;
            if reported.contains(&instruction) {
                continue;
            }
            let cleaned = in_same_run(&all, cmd).any(|c| {
                removes(c, &["/var/lib/apt/lists"])
                    || (c.is(&["apt-get", "apt"])
                        && c.subcommand(&ArgSpec::NONE, &["dist-clean", "distclean"])
                            .is_some())
            });
            if cleaned {
                continue;
            }
            reported.push(instruction);
            let span = cmd.script.span(cmd.info.command.span);
            report(cx, &META, span, fix(cx, cmd));
        }
    }
}
