//! Suppressions, applied after every rule has run: hadolint's pragmas
//! (`# hadolint ignore=…`, `global ignore=…`, `stage ignore=…`), BuildKit's `# check=skip=…`
//! directive and per-instruction `# check=skip=…` comments. Any suppression that suppresses
//! nothing is itself reported (`LL0001`), so stale pragmas do not pile up.

use std::cell::Cell;

use layerlab_syntax::{Keyword, LineIndex, Parse, Span};

use crate::registry::{is_buildkit_check, meta_of};
use crate::{Finding, Level, LintOptions};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    File,
    Instruction(usize),
    Stage(usize),
}

struct Suppression {
    scope: Scope,
    /// A rule name, or `all` (BuildKit's `check=skip=all`: every BuildKit check).
    rule: String,
    span: Span,
    used: Cell<bool>,
}

/// The comment text after `#`, trimmed.
fn comment_body(text: &str) -> &str {
    text.trim_start().trim_start_matches('#').trim()
}

/// `hadolint ignore=A,B # reason` → `("ignore", [(A, span), (B, span)])`; spans are absolute.
fn hadolint_pragma(text: &str, start: usize) -> Option<(&str, Vec<(String, Span)>)> {
    let body = comment_body(text);
    let offset = start + (text.len() - text.trim_start().len()) + text.trim_start().find(body)?;
    let rest = body.strip_prefix("hadolint")?;
    let rest_trimmed = rest.trim_start();
    let (kind, after) = ["global ignore", "stage ignore", "ignore"]
        .into_iter()
        .find_map(|kind| rest_trimmed.strip_prefix(kind).map(|after| (kind, after)))?;
    let after = after.trim_start().strip_prefix('=')?;
    let list_start = offset + (body.len() - after.len());
    let list = after.split_once('#').map_or(after, |(list, _reason)| list);
    let mut rules = Vec::new();
    let mut position = list_start;
    for piece in list.split(',') {
        let name = piece.trim();
        let at = position + piece.find(name).unwrap_or(0);
        if !name.is_empty() {
            rules.push((name.to_owned(), Span::new(at, at + name.len())));
        }
        position += piece.len() + 1;
    }
    Some((kind, rules))
}

/// `check=skip=A,B;error=true // reason` → (skipped names, error flag).
fn check_options(value: &str) -> (Vec<String>, bool) {
    let value = value.split_whitespace().next().unwrap_or_default();
    let mut skip = Vec::new();
    let mut error = false;
    for part in value.split(';') {
        match part.split_once('=') {
            Some(("skip", names)) => skip.extend(names.split(',').map(|n| n.trim().to_owned())),
            Some(("error", flag)) => error = flag.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    (skip, error)
}

pub(crate) fn apply(
    text: &str,
    parsed: &Parse,
    options: &LintOptions,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let dockerfile = &parsed.dockerfile;
    let instructions = &dockerfile.instructions;
    let mut suppressions = Vec::new();
    let mut escalate = false;
    if let Some(directive) = dockerfile.directives.iter().find(|d| d.name == "check") {
        let (skip, error) = check_options(&directive.value);
        escalate = error;
        if !options.disable_ignore_pragma {
            suppressions.extend(skip.into_iter().map(|rule| Suppression {
                scope: Scope::File,
                rule,
                span: directive.span,
                used: Cell::new(false),
            }));
        }
    }
    if !options.disable_ignore_pragma {
        let index = LineIndex::new(text);
        let stage_of_from = |i: usize| {
            instructions[..=i]
                .iter()
                .filter(|x| x.kind == Keyword::From)
                .count()
                .checked_sub(1)
        };
        for &span in &dockerfile.comments {
            let comment = text.get(span.start..span.end).unwrap_or_default();
            let line = index.line_col(span.start).line;
            let next = instructions.iter().position(|i| i.start_line == line + 1);
            if let Some((kind, rules)) = hadolint_pragma(comment, span.start) {
                let scope = match (kind, next) {
                    ("global ignore", _) => Some(Scope::File),
                    ("stage ignore", Some(i)) if instructions[i].kind == Keyword::From => {
                        stage_of_from(i).map(Scope::Stage)
                    }
                    ("ignore", Some(i)) => Some(Scope::Instruction(i)),
                    _ => None,
                };
                let Some(scope) = scope else { continue };
                suppressions.extend(rules.into_iter().map(|(rule, span)| Suppression {
                    scope,
                    rule,
                    span,
                    used: Cell::new(false),
                }));
            } else if let Some(value) = comment_body(comment).strip_prefix("check=") {
                // A per-instruction check comment: it must be among the comments directly
                // above the instruction (BuildKit's PrevComment).
                let Some(i) = instructions.iter().position(|x| x.span.start > span.start) else {
                    continue;
                };
                let body = comment_body(comment);
                if !instructions[i]
                    .comments
                    .iter()
                    .any(|c| comment_body(c) == body)
                {
                    continue;
                }
                let (skip, _) = check_options(value);
                suppressions.extend(skip.into_iter().map(|rule| Suppression {
                    scope: Scope::Instruction(i),
                    rule,
                    span,
                    used: Cell::new(false),
                }));
            }
        }
    }

    let instruction_at = |offset: usize| {
        let i = instructions.partition_point(|x| x.span.start <= offset);
        i.checked_sub(1)
            .filter(|&i| offset <= instructions[i].span.end)
    };
    let stage_at = |i: usize| {
        instructions[..=i]
            .iter()
            .filter(|x| x.kind == Keyword::From)
            .count()
            .checked_sub(1)
    };
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|finding| {
            if finding.code == "DL1000" {
                return true;
            }
            let buildkit = is_buildkit_check(finding.code);
            let instruction = instruction_at(finding.span.start);
            let stage = instruction.and_then(stage_at);
            let suppressed_by = suppressions.iter().find(|s| {
                let in_scope = match s.scope {
                    Scope::File => true,
                    Scope::Instruction(i) => instruction == Some(i),
                    Scope::Stage(st) => stage == Some(st),
                };
                let names_rule = if s.rule.eq_ignore_ascii_case("all") {
                    buildkit
                } else {
                    meta_of(finding.code).map_or(finding.code == s.rule, |m| m.answers_to(&s.rule))
                };
                in_scope && names_rule
            });
            match suppressed_by {
                Some(s) => {
                    s.used.set(true);
                    false
                }
                None => true,
            }
        })
        .collect();
    if escalate {
        for finding in &mut kept {
            if is_buildkit_check(finding.code) {
                finding.level = Level::Error;
            }
        }
    }
    let ignored_unused = options.ignored.iter().any(|n| n == "LL0001");
    if !ignored_unused {
        kept.extend(
            suppressions
                .iter()
                .filter(|s| !s.used.get())
                .map(|s| Finding {
                    code: "LL0001",
                    level: Level::Warning,
                    message: format!(
                        "This suppression of `{}` suppresses nothing; remove it",
                        s.rule
                    ),
                    span: s.span,
                    fix: None,
                }),
        );
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hadolint_pragmas_with_reasons() {
        let text = "# hadolint ignore=DL3008, SC2086 # pinned elsewhere";
        let (kind, rules) = hadolint_pragma(text, 0).unwrap_or(("none", Vec::new()));
        assert_eq!(kind, "ignore");
        let names: Vec<&str> = rules.iter().map(|(_, s)| &text[s.start..s.end]).collect();
        assert_eq!(names, ["DL3008", "SC2086"]);
        assert_eq!(rules[0].0, "DL3008");
        assert!(hadolint_pragma("# hadolint global ignore=DL3006", 0).is_some());
        assert!(hadolint_pragma("# not a pragma", 0).is_none());
    }

    #[test]
    fn parses_check_options() {
        assert_eq!(
            check_options("skip=JSONArgsRecommended,StageNameCasing;error=true // why"),
            (
                vec![
                    "JSONArgsRecommended".to_owned(),
                    "StageNameCasing".to_owned()
                ],
                true
            )
        );
    }
}
