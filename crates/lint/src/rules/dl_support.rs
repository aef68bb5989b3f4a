//! What several hadolint rules share: quote removal, where a `$VAR` sits in a word, the value
//! part of a flag, key/value pairs of ENV and LABEL, the variables an instruction sees, image
//! reference syntax, and deleting a whole instruction.

use std::collections::BTreeMap;
use std::ops::Range;

use layerlab_syntax::shell::{Lex, NoEnv};
use layerlab_syntax::{Flag, Instruction, Keyword, Span, Word};

use crate::image_ref::global_arg_defaults;
use crate::{Context, Edit, Fix, RuleMeta, StageBase};

/// A word with BuildKit's quote and escape removal applied, when the result does not depend on
/// any variable. `None` when it uses a variable or does not expand.
pub(crate) fn literal(cx: &Context<'_>, raw: &str) -> Option<String> {
    let expansion = Lex::new(cx.parse.dockerfile.escape)
        .process_word_with_matches(raw, &NoEnv)
        .ok()?;
    (expansion.matched.is_empty() && expansion.unmatched.is_empty()).then_some(expansion.result)
}

/// A reference to a variable in a word: `$NAME` or `${NAME…}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VarRef {
    pub name: String,
    /// From the `$` to the end of the name, or to the closing `}`.
    pub range: Range<usize>,
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The variables a word refers to, in order, as BuildKit's expansion sees them: nothing inside
/// single quotes, nothing after the escape token.
pub(crate) fn var_refs(text: &str, escape: char) -> Vec<VarRef> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let mut refs = Vec::new();
    let mut in_double = false;
    let mut i = 0;
    while let Some(c) = at(i) {
        if c == escape {
            i += 2;
            continue;
        }
        match c {
            '\'' if !in_double => {
                i += 1;
                while at(i).is_some_and(|c| c != '\'') {
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                in_double = !in_double;
                i += 1;
            }
            '$' => {
                let start = offset(i);
                if at(i + 1) == Some('{') {
                    let name_start = i + 2;
                    let mut j = name_start;
                    while at(j).is_some_and(is_name_char) {
                        j += 1;
                    }
                    let name: String = chars
                        .get(name_start..j)
                        .unwrap_or_default()
                        .iter()
                        .map(|&(_, c)| c)
                        .collect();
                    // The closing brace, counting nested `${…}`.
                    let mut depth = 1;
                    let mut k = j;
                    while let Some(c) = at(k) {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        k += 1;
                    }
                    let end = if at(k) == Some('}') { k + 1 } else { j };
                    if !name.is_empty() {
                        refs.push(VarRef {
                            name,
                            range: start..offset(end),
                        });
                    }
                    i = j.max(i + 2);
                } else if at(i + 1).is_some_and(is_name_start) {
                    let mut j = i + 1;
                    while at(j).is_some_and(is_name_char) {
                        j += 1;
                    }
                    let name: String = chars
                        .get(i + 1..j)
                        .unwrap_or_default()
                        .iter()
                        .map(|&(_, c)| c)
                        .collect();
                    refs.push(VarRef {
                        name,
                        range: start..offset(j),
                    });
                    i = j;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    refs
}

/// The file span of a part of a word, when the word's source text is the word itself (no line
/// continuation inside it); otherwise the whole word.
pub(crate) fn sub_span(cx: &Context<'_>, word: &Word, range: Range<usize>) -> Span {
    if cx.slice(word.span) == word.value && range.end <= word.value.len() {
        Span::new(word.span.start + range.start, word.span.start + range.end)
    } else {
        word.span
    }
}

/// The span of a flag's value (after `=`), or of the whole flag when it has none.
pub(crate) fn flag_value_span(cx: &Context<'_>, flag: &Flag) -> Span {
    let source = cx.slice(flag.span);
    match source.find('=') {
        Some(eq) if flag.span.start + eq + 1 < flag.span.end => {
            Span::new(flag.span.start + eq + 1, flag.span.end)
        }
        _ => flag.span,
    }
}

/// The span of the value of `key=` inside a CSV flag value such as `--mount=type=bind,from=x`,
/// or the whole flag when it cannot be found in the source.
pub(crate) fn csv_field_span(cx: &Context<'_>, flag: &Flag, key: &str) -> Span {
    let source = cx.slice(flag.span);
    let Some(eq) = source.find('=') else {
        return flag.span;
    };
    let mut position = eq + 1;
    for field in source.get(eq + 1..).unwrap_or_default().split(',') {
        if let Some((name, value)) = field.split_once('=') {
            if name.trim().eq_ignore_ascii_case(key) && !value.is_empty() {
                let start = flag.span.start + position + name.len() + 1;
                return Span::new(start, start + value.len());
            }
        }
        position += field.len() + 1;
    }
    flag.span
}

/// One `key=value` pair of an ENV or LABEL (also the legacy `key value` form).
pub(crate) struct Pair<'a> {
    pub key: &'a Word,
    pub value: &'a Word,
}

/// The pairs of an ENV or LABEL, in order.
pub(crate) fn pairs(instruction: &Instruction) -> Vec<Pair<'_>> {
    instruction
        .args
        .chunks_exact(3)
        .filter_map(|chunk| match chunk {
            [key, value, _] => Some(Pair { key, value }),
            _ => None,
        })
        .collect()
}

/// A LABEL pair whose key the label schema types.
pub(crate) struct SchemaLabel<'a> {
    pub name: String,
    pub key: &'a Word,
    pub value: &'a Word,
    /// The value with quotes removed; `None` when it uses a variable (unknown until the build).
    pub literal: Option<String>,
}

impl SchemaLabel<'_> {
    /// The value, or the key and its `=` when the value is empty in the source.
    pub fn value_span(&self) -> Span {
        if self.value.span.is_empty() {
            self.key.span.cover(self.value.span)
        } else {
            self.value.span
        }
    }
}

/// The LABEL pairs (ONBUILD triggers excluded) whose key, quotes removed, the configured label
/// schema gives type `kind`.
pub(crate) fn schema_labels<'a>(cx: &Context<'a>, kind: &str) -> Vec<SchemaLabel<'a>> {
    let schema = &cx.options.label_schema;
    let mut out = Vec::new();
    for instruction in cx.instructions.iter().filter(|i| i.kind == Keyword::Label) {
        for pair in pairs(instruction) {
            let name = literal(cx, &pair.key.value).unwrap_or_else(|| pair.key.value.clone());
            if !schema.iter().any(|(n, k)| *n == name && k == kind) {
                continue;
            }
            out.push(SchemaLabel {
                literal: literal(cx, &pair.value.value),
                name,
                key: pair.key,
                value: pair.value,
            });
        }
    }
    out
}

/// Reports every schema label of type `kind` whose known value is not `valid`.
pub(crate) fn check_typed_labels(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    kind: &str,
    valid: fn(&str) -> bool,
    message: fn(&str) -> String,
) {
    for label in schema_labels(cx, kind) {
        if let Some(value) = &label.literal {
            if !valid(value) {
                cx.report(meta, label.value_span(), message(&label.name));
            }
        }
    }
}

/// The name an ARG word declares (`NAME` of `NAME=default`), and its span.
pub(crate) fn arg_name<'a>(cx: &Context<'_>, word: &'a Word) -> (&'a str, Span) {
    let name = word
        .value
        .split_once('=')
        .map_or(word.value.as_str(), |(name, _)| name);
    (name, sub_span(cx, word, 0..name.len()))
}

/// The stages this one is built on inside the file, nearest first.
pub(crate) fn ancestors(cx: &Context<'_>, stage: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = cx.stages.get(stage);
    while let Some(StageBase::Stage(parent)) = current.map(|s| &s.base) {
        if *parent >= current.map_or(0, |s| s.index) || chain.contains(parent) {
            break;
        }
        chain.push(*parent);
        current = cx.stages.get(*parent);
    }
    chain
}

/// The values of the variables instruction `index` sees where the file tells them: the ENV of
/// in-file parent stages, then the stage's own ARG defaults (a global ARG's default when it is
/// re-declared without one) and ENV values, in order. A variable whose value is not known (an
/// ARG without default, a value built from one) is absent.
pub(crate) fn known_vars(cx: &Context<'_>, index: usize) -> BTreeMap<String, String> {
    let lex = Lex::new(cx.parse.dockerfile.escape);
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let Some(stage) = cx.stage_of.get(index).copied().flatten() else {
        return vars;
    };
    let globals = global_arg_defaults(cx);
    let set = |vars: &mut BTreeMap<String, String>, name: &str, raw: Option<&str>| {
        let value = match raw {
            Some(raw) => lex
                .process_word_with_matches(raw, &*vars)
                .ok()
                .filter(|e| e.unmatched.is_empty())
                .map(|e| e.result),
            None => None,
        };
        match value {
            Some(value) => {
                vars.insert(name.to_owned(), value);
            }
            None => {
                vars.remove(name);
            }
        }
    };
    let mut chain = ancestors(cx, stage);
    chain.reverse();
    for parent in chain {
        let Some(s) = cx.stages.get(parent) else {
            continue;
        };
        for instruction in cx.stage_instructions(s) {
            if instruction.kind == Keyword::Env {
                for pair in pairs(instruction) {
                    set(&mut vars, &pair.key.value, Some(&pair.value.value));
                }
            }
        }
    }
    let Some(s) = cx.stages.get(stage) else {
        return vars;
    };
    let end = index.min(s.body.end);
    for instruction in cx.instructions.get(s.body.start..end).unwrap_or_default() {
        match instruction.kind {
            Keyword::Env => {
                for pair in pairs(instruction) {
                    set(&mut vars, &pair.key.value, Some(&pair.value.value));
                }
            }
            Keyword::Arg => {
                for word in &instruction.args {
                    match word.value.split_once('=') {
                        Some((name, default)) => set(&mut vars, name, Some(default)),
                        None => {
                            let global = globals.get(&word.value).cloned().flatten();
                            match global {
                                Some(value) => {
                                    vars.insert(word.value.clone(), value);
                                }
                                None => {
                                    vars.remove(&word.value);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    vars
}

/// A word of instruction `index` expanded with [`known_vars`]; `None` when it uses a variable
/// whose value is not known, or does not expand.
pub(crate) fn expand_known(cx: &Context<'_>, index: usize, raw: &str) -> Option<String> {
    if !raw.contains('$') {
        return literal(cx, raw);
    }
    let vars = known_vars(cx, index);
    Lex::new(cx.parse.dockerfile.escape)
        .process_word_with_matches(raw, &vars)
        .ok()
        .filter(|e| e.unmatched.is_empty())
        .map(|e| e.result)
}

/// An edit deleting instruction `instruction` with its whole line(s), line ending included.
pub(crate) fn delete_instruction(cx: &Context<'_>, instruction: &Instruction) -> Edit {
    let text = cx.text;
    let before = text.get(..instruction.span.start).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = before.get(line_start..).unwrap_or_default();
    let start = if indent.trim().is_empty() {
        line_start
    } else {
        instruction.span.start
    };
    let after = text.get(instruction.span.end..).unwrap_or_default();
    let end = after
        .find('\n')
        .map_or(text.len(), |i| instruction.span.end + i + 1);
    Edit {
        span: Span::new(start, end),
        replacement: String::new(),
    }
}

/// `path-component := alpha-numeric [separator alpha-numeric]*` with separators `.`, `_`,
/// `__` and runs of `-`.
/// Reports every instruction of `kind` in a stage after its first, at the keyword. Only the
/// last one takes effect, so each finding carries a fix deleting the one before it; it is
/// unsafe, like BuildKit's `MultipleInstructionsDisallowed` fix: the image does not change, but
/// the deleted one may be the one that was meant.
pub(crate) fn report_repeats(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    kind: Keyword,
    message: &str,
) {
    for stage in &cx.stages {
        let mut previous: Option<&Instruction> = None;
        for instruction in cx.stage_instructions(stage) {
            if instruction.kind != kind {
                continue;
            }
            if let Some(earlier) = previous {
                let fix = Fix {
                    title: format!(
                        "Delete the earlier {} on line {} (it has no effect)",
                        earlier.keyword.value.to_uppercase(),
                        earlier.start_line
                    ),
                    safe: false,
                    edits: vec![delete_instruction(cx, earlier)],
                };
                cx.report_with_fix(meta, instruction.keyword.span, message, Some(fix));
            }
            previous = Some(instruction);
        }
    }
}

fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let mut i = 0;
    let mut expect_alnum = true;
    while i < bytes.len() {
        let run_end = bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit()))
            .map_or(bytes.len(), |p| i + p);
        if run_end > i {
            i = run_end;
            expect_alnum = false;
            continue;
        }
        if expect_alnum {
            return false;
        }
        let separator_end = bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .position(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .map_or(bytes.len(), |p| i + p);
        let separator = component.get(i..separator_end).unwrap_or_default();
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !valid {
            return false;
        }
        i = separator_end;
        expect_alnum = true;
    }
    !expect_alnum
}

fn is_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return false,
            },
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    let host_ok = host.is_none_or(|host| {
        host.split('.').all(|c| {
            !c.is_empty()
                && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !c.starts_with('-')
                && !c.ends_with('-')
        })
    });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

/// Whether `reference` is a syntactically valid image reference
/// (`[domain/]path[:tag][@digest]`, Docker's reference grammar).
pub(crate) fn is_image_reference(reference: &str) -> bool {
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (reference, None),
    };
    if let Some(digest) = digest {
        let Some((algorithm, hex)) = digest.split_once(':') else {
            return false;
        };
        let algorithm_ok = !algorithm.is_empty()
            && algorithm.split(['+', '.', '-', '_']).all(|c| {
                c.starts_with(|ch: char| ch.is_ascii_alphabetic())
                    && c.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !algorithm_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(last_slash..).and_then(|last| last.rfind(':')) {
        Some(colon) => (
            rest.get(..last_slash + colon).unwrap_or_default(),
            rest.get(last_slash + colon + 1..),
        ),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let tag_ok = tag.len() <= 128
            && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !tag_ok {
            return false;
        }
    }
    if name.is_empty() || name.len() > 255 {
        return false;
    }
    let (domain, path) = match name.split_once('/') {
        Some((first, remainder))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), remainder)
        }
        _ => (None, name),
    };
    domain.is_none_or(is_domain) && path.split('/').all(is_path_component)
}

/// Whether a word is a plain decimal number (a stage index).
pub(crate) fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variable_references() {
        let refs = var_refs("a$A-${B:-x}'$C'\\$D\"$E\"$", '\\');
        let names: Vec<&str> = refs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "E"]);
        assert_eq!(refs[1].range, 4..11);
    }

    #[test]
    fn validates_image_references() {
        for ok in [
            "hello-world",
            "nginx:1.27",
            "gcr.io/distroless/static:nonroot",
            "localhost:5000/app",
            "a/b__c/d-e",
            "alpine@sha256:0123456789abcdef0123456789abcdef",
            "[::1]:5000/x",
        ] {
            assert!(is_image_reference(ok), "{ok}");
        }
        for bad in ["Foo", "-x", "a..b", "a:", "x/Y", "", "a b", "a:-1", "a/"] {
            assert!(!is_image_reference(bad), "{bad}");
        }
    }
}
