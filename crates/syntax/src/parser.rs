//! The syntax layer: BuildKit's `parser.Parse`, made lenient and lossless.
//!
//! Physical lines are joined into logical lines exactly as BuildKit joins them (directives,
//! comments, continuation, heredoc bodies); a segment map sends every byte of a logical line
//! back to its byte in the file, so each word keeps a precise span.

use std::ops::Range;

use crate::ast::{
    Diagnostic, Directive, Dockerfile, Flag, Heredoc, Instruction, Keyword, LineMap, Span, Word,
};
use crate::flags::extract_flags;
use crate::go_quote::{to_lower, trim_space};
use crate::line_parsers::parse_args;
use crate::shell::{Lex, NoEnv};

/// The result of [`parse`]: always a tree, plus what BuildKit would have rejected.
#[derive(Clone, Debug, Default)]
pub struct Parse {
    pub dockerfile: Dockerfile,
    /// The errors of BuildKit's `parser.Parse`, in the order BuildKit meets them. BuildKit
    /// stops at the first; we record it and keep going so that every instruction is available.
    pub errors: Vec<Diagnostic>,
    /// BuildKit's parser warnings (empty continuation lines).
    pub warnings: Vec<Diagnostic>,
}

impl Parse {
    /// The error BuildKit's `parser.Parse` returns for this input, if any.
    pub fn buildkit_error(&self) -> Option<&Diagnostic> {
        self.errors.first()
    }
}

/// `bufio.Scanner`'s default token limit, which bounds a physical line in BuildKit.
const MAX_LINE_BYTES: usize = 64 * 1024;
/// BuildKit allows any ONBUILD nesting in the syntax layer (the instruction layer rejects it);
/// we bound it so hostile input cannot exhaust the stack.
const MAX_ONBUILD_NESTING: usize = 16;
const UTF8_BOM: &str = "\u{feff}";

/// Parses a Dockerfile. Never fails and never panics.
pub fn parse(text: &str) -> Parse {
    Parser::new(text).run()
}

/// One physical line: `start..content_end` without its line ending, `end` after it.
#[derive(Clone, Copy)]
struct PhysicalLine {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line_number: usize,
    /// Set when a line exceeded BuildKit's limit: scanning stops, as BuildKit's does.
    too_long: Option<Span>,
    escape: char,
    directives_done: bool,
    seen_directives: Vec<String>,
    dockerfile: Dockerfile,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// A logical line under construction and the map from its bytes to file offsets.
struct LogicalLine {
    text: String,
    map: LineMap,
}

impl LogicalLine {
    fn new(origin: usize) -> Self {
        LogicalLine {
            text: String::new(),
            map: LineMap {
                segments: Vec::new(),
                origin,
            },
        }
    }

    fn push(&mut self, piece: &str, file_offset: usize) {
        if piece.is_empty() {
            return;
        }
        self.map.segments.push((self.text.len(), file_offset));
        self.text.push_str(piece);
    }

    fn span(&self, range: Range<usize>) -> Span {
        self.map.span(range)
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let has_bom = text.starts_with(UTF8_BOM);
        Parser {
            text,
            pos: if has_bom { UTF8_BOM.len() } else { 0 },
            line_number: 0,
            too_long: None,
            escape: '\\',
            directives_done: false,
            seen_directives: Vec::new(),
            dockerfile: Dockerfile {
                escape: '\\',
                has_bom,
                ..Dockerfile::default()
            },
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn next_line(&mut self) -> Option<PhysicalLine> {
        if self.pos >= self.text.len() || self.too_long.is_some() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (end, has_newline) = match rest.find('\n') {
            Some(i) => (start + i + 1, true),
            None => (self.text.len(), false),
        };
        let limit = if has_newline {
            MAX_LINE_BYTES
        } else {
            MAX_LINE_BYTES - 1
        };
        if end - start > limit {
            self.too_long = Some(Span::new(start, end));
            return None;
        }
        self.pos = end;
        self.line_number += 1;
        let content_end = start + self.text[start..end].trim_end_matches(['\r', '\n']).len();
        Some(PhysicalLine {
            start,
            content_end,
            end,
        })
    }

    fn content(&self, line: PhysicalLine) -> &'a str {
        &self.text[line.start..line.content_end]
    }

    fn run(mut self) -> Parse {
        let mut comments: Vec<String> = Vec::new();
        while let Some(line) = self.next_line() {
            let raw = self.content(line);
            let trimmed = raw.trim_start();
            let token_start = line.content_end - trimmed.len();
            let is_comment = trimmed.starts_with('#');
            if is_comment {
                self.dockerfile
                    .comments
                    .push(Span::new(token_start, line.content_end));
                let after_first = raw.char_indices().nth(1).map_or("", |(i, _)| &raw[i..]);
                let comment = trim_space(after_first);
                if comment.is_empty() {
                    comments.clear();
                } else {
                    comments.push(comment.to_owned());
                }
            }
            if self.directive(trimmed, Span::new(token_start, line.content_end)) {
                comments.pop();
            }
            let first = if is_comment { "" } else { trimmed };
            let start_line = self.line_number;
            let (first, mut end_of_line) = trim_continuation(first, self.escape);
            if end_of_line && first.is_empty() {
                continue;
            }
            let mut logical = LogicalLine::new(token_start);
            logical.push(first, token_start);
            let mut last_line = line;
            let mut empty_continuation: Option<Span> = None;
            while !end_of_line {
                let Some(next) = self.next_line() else { break };
                last_line = next;
                let raw = self.content(next);
                if raw.trim_start().starts_with('#') {
                    let comment_start = next.content_end - raw.trim_start().len();
                    self.dockerfile
                        .comments
                        .push(Span::new(comment_start, next.content_end));
                    continue;
                }
                if raw.trim_start().is_empty() {
                    empty_continuation.get_or_insert(Span::new(next.start, next.content_end));
                    continue;
                }
                let (piece, end) = trim_continuation(raw, self.escape);
                end_of_line = end;
                logical.push(piece, next.start);
            }
            if let Some(span) = empty_continuation {
                self.warnings.push(Diagnostic::warning(
                    "NoEmptyContinuation",
                    format!("Empty continuation line found in: {}", logical.text),
                    span,
                ));
            }
            let line_end = last_line.content_end;
            let mut instruction = self.instruction(
                &logical,
                0..logical.text.len(),
                start_line,
                std::mem::take(&mut comments),
                0,
            );
            let heredoc_target = instruction.trigger.as_deref().unwrap_or(&instruction);
            let mut end = line_end;
            if heredoc_target.kind.can_contain_heredoc()
                && !heredoc_target.json
                && logical.text.contains("<<")
            {
                end = self
                    .heredocs(&logical, &mut instruction)
                    .unwrap_or(line_end);
            }
            instruction.end_line = self.line_number;
            instruction.span.end = end.max(instruction.span.start);
            if let Some(trigger) = instruction.trigger.as_deref_mut() {
                set_end(trigger, instruction.span.end, self.line_number);
            }
            self.dockerfile.instructions.push(instruction);
        }
        if self.dockerfile.instructions.is_empty() {
            self.errors.push(Diagnostic::error(
                "syntax/no-instructions",
                "file with no instructions",
                Span::empty(self.text.len()),
            ));
        }
        if let Some(span) = self.too_long {
            self.errors.push(Diagnostic::error(
                "syntax/line-too-long",
                format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE_BYTES - 1
                ),
                span,
            ));
        }
        self.dockerfile.escape = self.escape;
        Parse {
            dockerfile: self.dockerfile,
            errors: self.errors,
            warnings: self.warnings,
        }
    }

    /// BuildKit's `possibleParserDirective`; true when the line is a directive.
    fn directive(&mut self, token: &str, span: Span) -> bool {
        if self.directives_done {
            return false;
        }
        let Some((key, value)) = match_directive(token) else {
            self.directives_done = true;
            return false;
        };
        let name = key.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return false;
        }
        if self.seen_directives.contains(&name) {
            self.errors.push(Diagnostic::error(
                "syntax/duplicate-directive",
                format!("only one {name} parser directive can be used"),
                span,
            ));
            return true;
        }
        self.seen_directives.push(name.clone());
        if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => self.errors.push(Diagnostic::error(
                    "syntax/invalid-escape",
                    format!("invalid escape token '{value}' does not match ` or \\"),
                    span,
                )),
            }
        }
        self.dockerfile.directives.push(Directive {
            name,
            value: value.to_owned(),
            span,
        });
        true
    }

    /// BuildKit's `newNodeFromLine` for `range` of the logical line.
    fn instruction(
        &mut self,
        logical: &LogicalLine,
        range: Range<usize>,
        start_line: usize,
        comments: Vec<String>,
        depth: usize,
    ) -> Instruction {
        let line = &logical.text[range.clone()];
        let trimmed = trim_space(line);
        let trimmed_start = range.start + (line.len() - line.trim_start().len());
        let keyword_len = trimmed.find(is_delimiter).unwrap_or(trimmed.len());
        let keyword_text = &trimmed[..keyword_len];
        let keyword_range = trimmed_start..trimmed_start + keyword_len;
        let kind = Keyword::from_lowercase(&to_lower(keyword_text));
        let after_keyword = &trimmed[keyword_len..];
        let rest_offset = keyword_range.end
            + (after_keyword.len() - after_keyword.trim_start_matches(is_delimiter).len());
        let rest = after_keyword.trim_start_matches(is_delimiter);
        let mut flags = Vec::new();
        let mut args_range = keyword_range.end..keyword_range.end;
        if keyword_len < trimmed.len() {
            let (raw_flags, args_at) = extract_flags(rest, self.escape);
            flags = raw_flags
                .into_iter()
                .map(|flag| Flag {
                    text: flag.text,
                    span: logical
                        .span(flag.range.start + rest_offset..flag.range.end + rest_offset),
                })
                .collect();
            let args_untrimmed = &rest[args_at..];
            let args = trim_space(args_untrimmed);
            let args_start =
                rest_offset + args_at + (args_untrimmed.len() - args_untrimmed.trim_start().len());
            args_range = args_start..args_start + args.len();
        }
        let args_text = &logical.text[args_range.clone()];
        let mut instruction = Instruction {
            keyword: Word {
                value: keyword_text.to_owned(),
                span: logical.span(keyword_range.clone()),
            },
            kind,
            span: logical.span(keyword_range.start..range.end.max(keyword_range.end)),
            start_line,
            end_line: start_line,
            original: line.to_owned(),
            flags,
            args: Vec::new(),
            json: false,
            trigger: None,
            heredocs: Vec::new(),
            comments,
            args_span: logical.span(args_range.clone()),
            args_offset: args_range.start,
            line_map: logical.map.clone(),
        };
        if kind == Keyword::Onbuild {
            if !args_text.is_empty() {
                if depth >= MAX_ONBUILD_NESTING {
                    self.errors.push(Diagnostic::error(
                        "syntax/onbuild-nesting",
                        "ONBUILD nested too deeply",
                        instruction.args_span,
                    ));
                } else {
                    let trigger =
                        self.instruction(logical, args_range, start_line, Vec::new(), depth + 1);
                    instruction.trigger = Some(Box::new(trigger));
                }
            }
            return instruction;
        }
        match parse_args(kind, args_text, args_range.start, self.escape) {
            Ok(parsed) => {
                instruction.json = parsed.json;
                instruction.args = parsed
                    .words
                    .into_iter()
                    .map(|(value, range)| Word {
                        value,
                        span: logical.span(range),
                    })
                    .collect();
            }
            Err(error) => self.errors.push(Diagnostic::error(
                "syntax/arguments",
                error.message,
                logical
                    .span(error.range.start + args_range.start..error.range.end + args_range.start),
            )),
        }
        instruction
    }

    /// Reads the bodies of the heredocs opened on the logical line; returns the end of the
    /// last line consumed.
    fn heredocs(&mut self, logical: &LogicalLine, instruction: &mut Instruction) -> Option<usize> {
        let lex = Lex {
            raw_quotes: true,
            raw_escapes: true,
            skip_unset_env: true,
            ..Lex::new('\\')
        };
        let words = lex.process_words(&logical.text, &NoEnv).unwrap_or_default();
        let mut openers = logical.text.match_indices("<<").map(|(i, _)| i);
        let mut end = None;
        for word in words {
            let heredoc = match parse_heredoc(&word) {
                Ok(Some(heredoc)) => heredoc,
                Ok(None) => continue,
                Err(message) => {
                    self.errors.push(Diagnostic::error(
                        "syntax/heredoc",
                        message,
                        instruction.args_span,
                    ));
                    return end;
                }
            };
            let opener = openers.next().map_or(instruction.args_span, |at| {
                let len = logical.text[at..]
                    .find(char::is_whitespace)
                    .unwrap_or(logical.text.len() - at);
                logical.span(at..at + len)
            });
            let mut content = String::new();
            let mut body_start = None;
            let mut terminator = None;
            while let Some(line) = self.next_line() {
                body_start.get_or_insert(line.start);
                let candidate = self.content(line);
                let candidate = if heredoc.chomp {
                    candidate.trim_start_matches('\t')
                } else {
                    candidate
                };
                if candidate == heredoc.name {
                    terminator = Some(line);
                    break;
                }
                content.push_str(&self.text[line.start..line.end]);
            }
            let Some(terminator) = terminator else {
                self.errors.push(Diagnostic::error(
                    "syntax/unterminated-heredoc",
                    "unterminated heredoc",
                    opener,
                ));
                return Some(self.text[..self.pos].trim_end_matches(['\r', '\n']).len());
            };
            let body_start = body_start.unwrap_or(terminator.start);
            end = Some(terminator.content_end);
            instruction.heredocs.push(Heredoc {
                content,
                body_span: Span::new(body_start, terminator.start),
                terminator_span: Span::new(terminator.start, terminator.content_end),
                ..heredoc
            });
        }
        end
    }
}

fn set_end(instruction: &mut Instruction, end: usize, end_line: usize) {
    instruction.span.end = end.max(instruction.span.start);
    instruction.end_line = end_line;
    if let Some(trigger) = instruction.trigger.as_deref_mut() {
        set_end(trigger, end, end_line);
    }
}

/// BuildKit's `reWhitespace` class: `[\t\v\f\r ]`.
fn is_delimiter(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Go's regexp `\s`: `[\t\n\f\r ]`.
fn is_regex_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, by hand.
fn match_directive(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix('#')?.trim_start_matches(is_regex_space);
    let key_len = rest
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(rest.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let (key, rest) = rest.split_at(key_len);
    let rest = rest.trim_start_matches(is_regex_space).strip_prefix('=')?;
    if rest.is_empty() {
        return None;
    }
    let value = rest.trim_matches(is_regex_space);
    if !value.is_empty() {
        return Some((key, value));
    }
    // Only blanks follow `=`: the lazy `(.+?)` still takes the last one.
    let last = rest.char_indices().last().map_or(0, |(i, _)| i);
    Some((key, &rest[last..]))
}

/// BuildKit's continuation regex `([^E])E[ \t]*$|^E[ \t]*$`: returns the line without the
/// escape token and whether the logical line ends here.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    match body.strip_suffix(escape) {
        Some(before) if !before.ends_with(escape) => (before, false),
        _ => (line, true),
    }
}

/// BuildKit's `ParseHeredoc`: `^(\d*)<<(-?)\s*([^<]*)$`, then the name lexed with and without
/// quote removal.
pub(crate) fn parse_heredoc(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let rest = rest.trim_start_matches(is_regex_space);
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let file_descriptor = word[..digits].parse::<u32>().unwrap_or(0);
    let mut lex = Lex {
        skip_unset_env: true,
        ..Lex::new('\\')
    };
    let words = lex.process_words(rest, &NoEnv).map_err(|e| e.message)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    lex.raw_quotes = true;
    let raw = lex.process_words(rest, &NoEnv).map_err(|e| e.message)?;
    let [raw_name] = raw.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    Ok(Some(Heredoc {
        name: name.clone(),
        file_descriptor,
        expand: quotes(name) == quotes(raw_name),
        chomp,
        content: String::new(),
        body_span: Span::default(),
        terminator_span: Span::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_regex() {
        assert_eq!(match_directive("# escape=`"), Some(("escape", "`")));
        assert_eq!(match_directive("#escape = \\ "), Some(("escape", "\\")));
        assert_eq!(match_directive("# escape= "), Some(("escape", " ")));
        assert_eq!(match_directive("# escape="), None);
        assert_eq!(match_directive("# 1x=y"), None);
        assert_eq!(match_directive("#!/bin/sh"), None);
        assert_eq!(match_directive("# key value"), None);
    }

    #[test]
    fn continuation_regex() {
        assert_eq!(trim_continuation("a \\", '\\'), ("a ", false));
        assert_eq!(trim_continuation("a \\ \t", '\\'), ("a ", false));
        assert_eq!(trim_continuation("\\", '\\'), ("", false));
        assert_eq!(trim_continuation("a\\\\", '\\'), ("a\\\\", true));
        assert_eq!(trim_continuation("a `", '`'), ("a ", false));
        assert_eq!(trim_continuation("a \\", '`'), ("a \\", true));
    }
}

#[cfg(test)]
mod line_map_tests {
    use super::*;

    #[test]
    fn shell_ranges_map_across_continuations() {
        let text = "FROM a\nRUN apt-get update \\\n  # note\n    && apt-get install -y curl\n";
        let parsed = parse(text);
        let run = &parsed.dockerfile.instructions[1];
        let command = &run.original[run.args_offset..];
        let at = command.find("curl").unwrap_or_default();
        let span = run.map_original(run.args_offset + at..run.args_offset + at + 4);
        assert_eq!(&text[span.start..span.end], "curl");
        let at = command.find("&&").unwrap_or_default();
        let span = run.map_original(run.args_offset + at..run.args_offset + at + 2);
        assert_eq!(&text[span.start..span.end], "&&");
    }
}
