//! DL1001: please refrain from using inline ignore pragmas (off by default).
//!
//! **What** — a `# hadolint ignore=…` comment, the per-instruction suppression. Global and
//! stage suppressions (`# hadolint global ignore=…`, `# hadolint stage ignore=…`) are not
//! reported. Only comments hadolint would honour count: `hadolint`, then `ignore=` and a list
//! of rule codes, optionally followed by `# reason`.
//!
//! **Why** — for teams whose policy is that every exception lives in the shared configuration,
//! where it is reviewed once, rather than scattered over Dockerfiles.
//!
//! **Bad** — `# hadolint ignore=DL3006` above `FROM debian` ·
//! **Good** — the exception in `.hadolint.yaml`, or `# hadolint global ignore=DL3006`
//!
//! **Fix** — unsafe (the findings it suppressed come back): delete the comment line.

use layerlab_syntax::Span;

use crate::{Category, Context, Edit, Fix, Level, Rule, RuleMeta};

pub struct Dl1001;

static META: RuleMeta = RuleMeta {
    code: "DL1001",
    aliases: &[],
    level: Level::Ignore,
    category: Category::Style,
    summary: "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`",
    bad: "# hadolint ignore=DL3006\nFROM debian\n",
    good: "# hadolint global ignore=DL3006\nFROM debian\n",
    fixable: true,
};

/// Whether a comment is a per-instruction `# hadolint ignore=…` pragma hadolint recognises.
fn is_inline_ignore(comment: &str) -> bool {
    let Some(body) = comment.trim_start().strip_prefix('#') else {
        return false;
    };
    let Some(rest) = body.trim_start().strip_prefix("hadolint") else {
        return false;
    };
    if !rest.starts_with(char::is_whitespace) {
        return false;
    }
    let Some(list) = rest
        .trim_start()
        .strip_prefix("ignore")
        .and_then(|r| r.trim_start().strip_prefix('='))
    else {
        return false;
    };
    let list = list.split_once('#').map_or(list, |(list, _reason)| list);
    list.split(',').map(str::trim).all(|code| {
        !code.is_empty()
            && code
                .bytes()
                .all(|b| matches!(b, b'D' | b'L' | b'S' | b'C' | b'0'..=b'9'))
    })
}

impl Rule for Dl1001 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>) {
        for &span in &cx.parse.dockerfile.comments {
            let comment = cx.slice(span);
            if !is_inline_ignore(comment) {
                continue;
            }
            let trimmed = comment.trim_end();
            let span = Span::new(span.start, span.start + trimmed.len());
            let before = cx.text.get(..span.start).unwrap_or_default();
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let line_end = cx
                .text
                .get(span.end..)
                .and_then(|after| after.find('\n'))
                .map_or(cx.text.len(), |i| span.end + i + 1);
            let only_comment = before
                .get(line_start..)
                .is_some_and(|indent| indent.trim().is_empty());
            let fix = only_comment.then(|| Fix {
                title: "Delete the inline ignore pragma".to_owned(),
                safe: false,
                edits: vec![Edit {
                    span: Span::new(line_start, line_end),
                    replacement: String::new(),
                }],
            });
            cx.report_with_fix(&META, span, META.summary, fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_inline_ignore;

    #[test]
    fn recognises_only_honoured_pragmas() {
        assert!(is_inline_ignore("# hadolint ignore=DL3006"));
        assert!(is_inline_ignore("#hadolint ignore = DL3006, SC2086 # why"));
        assert!(!is_inline_ignore("# hadolint global ignore=DL3006"));
        assert!(!is_inline_ignore("# hadolint ignore=foo"));
        assert!(!is_inline_ignore("# hadolintignore=DL3006"));
        assert!(!is_inline_ignore("# HADOLINT ignore=DL3006"));
    }
}
