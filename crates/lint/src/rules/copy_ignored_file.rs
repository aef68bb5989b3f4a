//! BuildKit `CopyIgnoredFile`: COPY or ADD of a file that `.dockerignore` excludes.
//!
//! **What** — a `COPY` (from the build context, not `--from`) or `ADD` (local source, not a URL
//! or Git reference) whose source, expanded and cleaned like BuildKit does (`./app/` → `app`),
//! is excluded by `.dockerignore` — by a pattern matching it or one of its parent directories,
//! the last matching pattern deciding. Needs the `.dockerignore` text
//! ([`LintOptions::dockerignore`](crate::LintOptions)); without one, or when it has `!`
//! exceptions, nothing is checked: BuildKit skips the check then too, because an excluded
//! directory may have re-included files.
//!
//! **Why** — the file is not sent to the builder, so the instruction fails ("not found") or,
//! with a wildcard, silently copies less than it seems to.
//!
//! **Bad** — `.dockerignore`: `node_modules` / `COPY node_modules /app/node_modules` ·
//! **Good** — `RUN npm ci` in the image instead
//!
//! **Fix** — none: either the ignore file or the instruction is wrong, and only you know which.

use layerlab_syntax::shell::Lex;
use layerlab_syntax::Keyword;

use crate::buildkit::{clean_path, go_quote, walk_stages};
use crate::dockerignore::{read_patterns, Matcher};
use crate::{Category, Context, Level, Rule, RuleMeta};

pub struct CopyIgnoredFile;

static META: RuleMeta = RuleMeta {
    code: "CopyIgnoredFile",
    aliases: &[],
    level: Level::Warning,
    category: Category::Correctness,
    summary: "Attempting to Copy file that is excluded by .dockerignore",
    // The examples are linted with a `.dockerignore` of `node_modules` (tests/rule_examples.rs).
    bad: "FROM node:22.11\nCOPY node_modules /app/node_modules\n",
    good: "FROM node:22.11\nCOPY package.json /app/\n",
    fixable: false,
};

/// Sources BuildKit fetches instead of reading from the context.
fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        let Some(ignore) = cx.options.dockerignore.as_deref() else {
            return;
        };
        let Some(matcher) = Matcher::new(&read_patterns(ignore)) else {
            return;
        };
        if matcher.is_empty() || matcher.exclusions {
            return;
        }
        let lex = Lex::new(cx.parse.dockerfile.escape);
        walk_stages(cx, |_, _, instruction, state| {
            let verb = match instruction.kind {
                Keyword::Copy if instruction.flag("from").is_none() => "Copy",
                Keyword::Add => "Add",
                _ => return,
            };
            let Some((_, sources)) = instruction.args.split_last() else {
                return;
            };
            for source in sources {
                if !instruction.heredocs.is_empty() && source.value.starts_with("<<") {
                    continue;
                }
                let Some(expanded) = state.expand(&lex, &source.value) else {
                    continue;
                };
                if expanded.unknown || is_remote(&expanded.result) {
                    continue;
                }
                let path = clean_path(&expanded.result);
                if matcher.matches_or_parent_matches(&path) {
                    cx.report(
                        &META,
                        source.span,
                        format!(
                            "Attempting to {verb} file {} that is excluded by .dockerignore",
                            go_quote(&path)
                        ),
                    );
                }
            }
        });
    }
}
