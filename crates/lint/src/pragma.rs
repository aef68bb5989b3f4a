//! Suppressions, applied after every rule has run: hadolint's pragmas
//! (`# hadolint ignore=…`, `global ignore=…`, `stage ignore=…`), BuildKit's `# check=skip=…`
//! directive and per-instruction `# check=skip=…` comments. Any suppression that suppresses
//! nothing is itself reported (`LL0001`), so stale pragmas do not pile up.

use std::cell::Cell;

use layerlab_syntax::{Instruction, Keyword, LineIndex, Parse, Span};

use crate::context::enabled_by_options;
use crate::registry::{is_buildkit_check, is_experimental, meta_of};
use crate::{Finding, Level, LintOptions, RuleMeta};

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
    /// A BuildKit `check=skip`, which never applies to experimental checks.
    check_skip: bool,
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

/// A `# check=` value as BuildKit's `linter.ParseLintOptions` reads it:
/// `skip=<Rule,…|all>;error=<bool>;experimental=<Rule,…|all>`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CheckOptions {
    /// Skipped rule names; `all` skips every (non-experimental) BuildKit check.
    pub(crate) skip: Vec<String>,
    /// `error=true`: BuildKit's findings become errors.
    pub(crate) error: bool,
    /// Experimental checks turned on by name, or `all`.
    pub(crate) experimental: Vec<String>,
}

impl CheckOptions {
    /// Whether `experimental=` names the rule (or is `all`).
    pub(crate) fn enables(&self, meta: &RuleMeta) -> bool {
        self.experimental
            .iter()
            .any(|n| n == "all" || meta.answers_to(n))
    }
}

/// Go's `strconv.ParseBool`.
fn go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `check=skip=A,B;error=true;experimental=C // reason` → its options. Like BuildKit, the value
/// ends at the first space, it has at most three `;`-separated parts (the third keeps any
/// further `;`), and names are trimmed. Unknown keys and bad booleans are ignored here (BuildKit
/// rejects the whole directive; the parser reports directives it cannot read).
pub(crate) fn check_options(value: &str) -> CheckOptions {
    let value = value.split_whitespace().next().unwrap_or_default();
    let mut options = CheckOptions::default();
    let names = |list: &str| -> Vec<String> {
        let list = list.trim();
        if list == "all" {
            return vec!["all".to_owned()];
        }
        list.split(',').map(|n| n.trim().to_owned()).collect()
    };
    for part in value.splitn(3, ';') {
        let Some((key, list)) = part.split_once('=') else {
            continue;
        };
        match key.trim() {
            "skip" => options.skip = names(list),
            "experimental" => options.experimental = names(list),
            "error" => options.error = go_bool(list.trim()).unwrap_or(options.error),
            _ => {}
        }
    }
    options
}

/// The options of the file's `# check=` parser directive, if any.
pub(crate) fn file_check_options(parsed: &Parse) -> Option<CheckOptions> {
    parsed
        .dockerfile
        .directives
        .iter()
        .find(|d| d.name == "check")
        .map(|d| check_options(&d.value))
}

/// The options of the first `# check=` comment among those directly above an instruction
/// (BuildKit's `WithMergedConfigFromComments`).
pub(crate) fn instruction_check_options(instruction: &Instruction) -> Option<CheckOptions> {
    instruction
        .comments
        .iter()
        .find_map(|c| comment_body(c).strip_prefix("check="))
        .map(check_options)
}

/// Whether an experimental check runs on the instruction `index` (or on the file when `None`):
/// BuildKit runs one only when `experimental=` names it, in the file's directive or in a
/// `# check=` comment above the instruction; layerlab's options can turn it on too.
pub(crate) fn experimental_enabled(
    meta: &RuleMeta,
    file: Option<&CheckOptions>,
    instruction: Option<&Instruction>,
) -> bool {
    file.is_some_and(|f| f.enables(meta))
        || instruction
            .and_then(instruction_check_options)
            .is_some_and(|o| o.enables(meta))
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
    let file_options = file_check_options(parsed);
    if let Some(directive) = dockerfile.directives.iter().find(|d| d.name == "check") {
        let CheckOptions { skip, error, .. } = check_options(&directive.value);
        escalate = error;
        if !options.disable_ignore_pragma {
            suppressions.extend(skip.into_iter().map(|rule| Suppression {
                scope: Scope::File,
                rule,
                span: directive.span,
                used: Cell::new(false),
                check_skip: true,
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
                    check_skip: false,
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
                let skip = check_options(value).skip;
                suppressions.extend(skip.into_iter().map(|rule| Suppression {
                    scope: Scope::Instruction(i),
                    rule,
                    span,
                    used: Cell::new(false),
                    check_skip: true,
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
            let experimental = is_experimental(finding.code);
            if experimental {
                // Turned on by the options, or by `experimental=` for the file or for this
                // instruction; otherwise the rule only ran for another instruction.
                let meta = meta_of(finding.code);
                let on = meta.is_some_and(|m| {
                    enabled_by_options(m, options)
                        || experimental_enabled(
                            m,
                            file_options.as_ref(),
                            instruction.map(|i| &instructions[i]),
                        )
                });
                if !on {
                    return false;
                }
            }
            let stage = instruction.and_then(stage_at);
            let suppressed_by = suppressions.iter().find(|s| {
                if experimental && s.check_skip {
                    // BuildKit's `Linter.Run`: `skip` applies to non-experimental checks only.
                    return false;
                }
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
            CheckOptions {
                skip: vec![
                    "JSONArgsRecommended".to_owned(),
                    "StageNameCasing".to_owned()
                ],
                error: true,
                experimental: Vec::new(),
            }
        );
        let options = check_options("experimental=all;skip=all;error=1");
        assert_eq!(options.experimental, ["all"]);
        assert_eq!(options.skip, ["all"]);
        assert!(options.error);
        let options = check_options("experimental=InvalidDefinitionDescription,Other;error=T");
        assert_eq!(
            options.experimental,
            ["InvalidDefinitionDescription", "Other"]
        );
        assert!(options.error);
        // At most three parts: the third keeps any further `;`.
        let options = check_options("error=false;skip=A;experimental=B;skip=C");
        assert_eq!(options.skip, ["A"]);
        assert_eq!(options.experimental, ["B;skip=C"]);
        assert!(!check_options("error=yes").error);
    }
}
