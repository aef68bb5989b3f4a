//! Applying fixes: non-overlapping edits, repeated until nothing changes, and never a result
//! that BuildKit parses worse than the original.

use layerlab_syntax::parse;

use crate::{lint, Finding, LintOptions};

/// At most this many rounds of lint-and-fix; fixes that unlock other fixes converge quickly.
const MAX_ROUNDS: usize = 10;

/// Applies the fixes carried by `findings` to `text`: safe ones, and unsafe ones too when
/// `include_unsafe`. Overlapping edits after the first are left for a later round.
pub fn apply_fixes(text: &str, findings: &[Finding], include_unsafe: bool) -> (String, usize) {
    let mut edits: Vec<_> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| fix.safe || include_unsafe)
        .flat_map(|fix| fix.edits.iter())
        .filter(|e| e.span.start <= e.span.end && e.span.end <= text.len())
        .filter(|e| text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end))
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    let mut applied = 0;
    for edit in edits {
        if edit.span.start < position {
            continue;
        }
        out.push_str(&text[position..edit.span.start]);
        out.push_str(&edit.replacement);
        position = edit.span.end;
        applied += 1;
    }
    out.push_str(&text[position..]);
    (out, applied)
}

/// Lints and fixes until no fix applies; returns the fixed text and how many edits were made.
pub fn fix(text: &str, options: &LintOptions, include_unsafe: bool) -> (String, usize) {
    let errors_before = parse(text).errors.len();
    let mut current = text.to_owned();
    let mut total = 0;
    for _ in 0..MAX_ROUNDS {
        let findings = lint(&current, options);
        let (next, applied) = apply_fixes(&current, &findings, include_unsafe);
        if applied == 0 || next == current || parse(&next).errors.len() > errors_before {
            break;
        }
        current = next;
        total += applied;
    }
    (current, total)
}
