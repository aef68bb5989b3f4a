//! The editor's syntax colours: a small line-by-line lexer, so the page highlights without the
//! parser (which runs in the worker and answers ~100 ms later). It knows what colouring needs:
//! parser directives and the escape character they set, comments, the instruction keyword
//! (also after ONBUILD), continuation lines, heredoc bodies and their terminators, flags,
//! quoted strings, variables and shell operators. The parser's diagnostics, not this lexer,
//! decide what is wrong.
//!
//! [`LexState`] is what one line hands to the next, so the editor can colour only the lines on
//! screen after a cheap pass over the lines before them ([`LexState::after`]).

use std::ops::Range;

/// What a piece of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Keyword,
    Comment,
    Directive,
    Flag,
    String,
    Variable,
    /// `<<EOF` and the line that ends the heredoc.
    HeredocMarker,
    HeredocBody,
    /// `&&`, `||`, `|`, `;` and the line-continuation escape.
    Operator,
}

impl TokenKind {
    /// The CSS class of the token (`public/style.css`).
    pub fn class(self) -> &'static str {
        match self {
            TokenKind::Keyword => "tk-keyword",
            TokenKind::Comment => "tk-comment",
            TokenKind::Directive => "tk-directive",
            TokenKind::Flag => "tk-flag",
            TokenKind::String => "tk-string",
            TokenKind::Variable => "tk-variable",
            TokenKind::HeredocMarker => "tk-heredoc-marker",
            TokenKind::HeredocBody => "tk-heredoc",
            TokenKind::Operator => "tk-operator",
        }
    }
}

/// A coloured piece of a line: byte range and kind. Pieces do not overlap and are in order;
/// bytes outside every piece are plain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}

/// A heredoc whose body is still to come.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PendingHeredoc {
    terminator: String,
    /// `<<-`: leading tabs of the terminator line are ignored.
    strip_tabs: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Mode {
    /// The next line starts an instruction (or is a comment or blank).
    Instruction,
    /// The previous line ended with the escape character.
    Continuation { heredocs_allowed: bool },
    /// Inside heredoc bodies, first one first.
    Heredoc,
}

/// What a line needs to know about the lines before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexState {
    escape: char,
    /// Still in the parser-directive block at the top of the file.
    directives: bool,
    mode: Mode,
    heredocs: Vec<PendingHeredoc>,
}

impl Default for LexState {
    fn default() -> Self {
        LexState {
            escape: '\\',
            directives: true,
            mode: Mode::Instruction,
            heredocs: Vec::new(),
        }
    }
}

impl LexState {
    /// The state after `lines` (from the start of the file), without building tokens.
    pub fn after<'a>(lines: impl IntoIterator<Item = &'a str>) -> LexState {
        LexState::after_from(LexState::default(), lines)
    }

    /// The state after `lines`, starting from `state`.
    fn after_from<'a>(mut state: LexState, lines: impl IntoIterator<Item = &'a str>) -> LexState {
        for line in lines {
            state = lex_line(line, state, None);
        }
        state
    }

    /// The tokens of `line`, and the state for the next line.
    pub fn line(self, line: &str) -> (Vec<Token>, LexState) {
        let mut tokens = Vec::new();
        let next = lex_line(line, self, Some(&mut tokens));
        (tokens, next)
    }
}

/// Lexer states at every `step`-th line of a text, kept across edits: after an edit only the
/// lines from the checkpoint before the first changed line are lexed again, so drawing lines
/// deep in a long file does not lex the whole file above them on every keystroke.
#[derive(Clone, Debug)]
pub struct Checkpoints {
    step: usize,
    /// The text the checkpoints belong to.
    text: String,
    /// `states[k]`: the state at the start of line `k * step` (0-based).
    states: Vec<LexState>,
}

impl Checkpoints {
    pub fn new(step: usize) -> Checkpoints {
        Checkpoints {
            step: step.max(1),
            text: String::new(),
            states: vec![LexState::default()],
        }
    }

    /// The state at the start of line `line` (0-based) of `text`; the same as
    /// `LexState::after` of the lines before it.
    pub fn state_at(&mut self, text: &str, line: usize) -> LexState {
        if self.text != text {
            let same = self
                .text
                .bytes()
                .zip(text.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let changed_line = text.as_bytes()[..same]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            // A checkpoint depends only on the lines before it.
            self.states.truncate(changed_line / self.step + 1);
            text.clone_into(&mut self.text);
        }
        let lines = || text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let wanted = line / self.step;
        let known = self.states.len() - 1;
        if known < wanted {
            let mut rest = lines().skip(known * self.step);
            let mut state = self.states[known].clone();
            for _ in known..wanted {
                state = LexState::after_from(state, rest.by_ref().take(self.step));
                self.states.push(state.clone());
            }
        }
        let from = wanted * self.step;
        LexState::after_from(
            self.states[wanted].clone(),
            lines().skip(from).take(line - from),
        )
    }
}

/// Lexes one line (without its line ending); pushes tokens when asked for them.
fn lex_line(line: &str, mut state: LexState, mut out: Option<&mut Vec<Token>>) -> LexState {
    let mut push = |range: Range<usize>, kind: TokenKind| {
        if let Some(out) = out.as_deref_mut() {
            if range.start < range.end {
                out.push(Token { range, kind });
            }
        }
    };

    if state.mode == Mode::Heredoc {
        let Some(pending) = state.heredocs.first() else {
            state.mode = Mode::Instruction;
            return lex_line(line, state, out);
        };
        let candidate = if pending.strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        if candidate == pending.terminator {
            push(0..line.len(), TokenKind::HeredocMarker);
            state.heredocs.remove(0);
            if state.heredocs.is_empty() {
                state.mode = Mode::Instruction;
            }
        } else {
            push(0..line.len(), TokenKind::HeredocBody);
        }
        return state;
    }

    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    if rest.is_empty() {
        // A blank line: inside a continuation BuildKit skips it and the instruction goes on.
        return state;
    }
    if rest.starts_with('#') {
        if state.directives && state.mode == Mode::Instruction {
            if let Some(escape) = directive(rest) {
                push(indent..line.len(), TokenKind::Directive);
                if let Some(escape) = escape {
                    state.escape = escape;
                }
                return state;
            }
        }
        state.directives = false;
        push(indent..line.len(), TokenKind::Comment);
        return state;
    }
    state.directives = false;

    let mut position = indent;
    let heredocs_allowed = match state.mode {
        Mode::Continuation { heredocs_allowed } => heredocs_allowed,
        _ => {
            // The keyword, and after ONBUILD the keyword it wraps.
            let (keyword_end, keyword) = word_at(line, position);
            push(position..keyword_end, TokenKind::Keyword);
            position = keyword_end;
            let mut keyword = keyword.to_ascii_uppercase();
            if keyword == "ONBUILD" {
                let start = skip_spaces(line, position);
                let (end, inner) = word_at(line, start);
                push(start..end, TokenKind::Keyword);
                position = end;
                keyword = inner.to_ascii_uppercase();
            }
            matches!(keyword.as_str(), "RUN" | "COPY" | "ADD")
        }
    };

    let continues = ends_with_escape(line, state.escape);
    let body_end = if continues {
        line.trim_end().len() - state.escape.len_utf8()
    } else {
        line.len()
    };
    lex_arguments(
        line,
        position..body_end,
        state.escape,
        heredocs_allowed,
        &mut push,
        &mut state.heredocs,
    );
    if continues {
        push(body_end..line.trim_end().len(), TokenKind::Operator);
        state.mode = Mode::Continuation { heredocs_allowed };
    } else if state.heredocs.is_empty() {
        state.mode = Mode::Instruction;
    } else {
        state.mode = Mode::Heredoc;
    }
    state
}

/// A parser directive (`# name=value`): `Some(escape)` when it is one, with the escape
/// character when it sets it.
fn directive(comment: &str) -> Option<Option<char>> {
    let body = comment.strip_prefix('#')?.trim();
    let (name, value) = body.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    if name.eq_ignore_ascii_case("escape") {
        let value = value.trim();
        let mut chars = value.chars();
        return Some(match (chars.next(), chars.next()) {
            (Some(c @ ('\\' | '`')), None) => Some(c),
            _ => None,
        });
    }
    Some(None)
}

fn ends_with_escape(line: &str, escape: char) -> bool {
    line.trim_end().ends_with(escape)
}

fn skip_spaces(line: &str, from: usize) -> usize {
    from + line[from..].len() - line[from..].trim_start().len()
}

/// The word starting at `from` (up to whitespace): its end and its text.
fn word_at(line: &str, from: usize) -> (usize, &str) {
    let word_len = line[from..]
        .find(char::is_whitespace)
        .unwrap_or(line.len() - from);
    (from + word_len, &line[from..from + word_len])
}

fn lex_arguments(
    line: &str,
    range: Range<usize>,
    escape: char,
    heredocs_allowed: bool,
    push: &mut impl FnMut(Range<usize>, TokenKind),
    heredocs: &mut Vec<PendingHeredoc>,
) {
    let bytes = line.as_bytes();
    let end = range.end.min(line.len());
    let mut i = range.start;
    let mut word_start = true;
    while i < end {
        let b = bytes[i];
        match b {
            b' ' | b'\t' => {
                word_start = true;
                i += 1;
                continue;
            }
            b'-' if word_start && bytes.get(i + 1) == Some(&b'-') => {
                let stop = line[i..end]
                    .find(|c: char| c == '=' || c.is_whitespace())
                    .map_or(end, |n| i + n);
                push(i..stop, TokenKind::Flag);
                i = stop;
            }
            b'"' | b'\'' => {
                let stop = closing_quote(line, i, end, b, escape);
                push(i..stop, TokenKind::String);
                i = stop;
            }
            b'$' => {
                let stop = variable_end(line, i, end);
                if stop > i + 1 {
                    push(i..stop, TokenKind::Variable);
                    i = stop;
                } else {
                    i += 1;
                }
            }
            b'<' if heredocs_allowed && word_start && line[i..end].starts_with("<<") => {
                match heredoc_at(&line[i..end]) {
                    Some((length, pending)) => {
                        push(i..i + length, TokenKind::HeredocMarker);
                        heredocs.push(pending);
                        i += length;
                    }
                    None => i += 2,
                }
            }
            b'&' | b'|' | b';' => {
                let stop = if matches!(bytes.get(i + 1), Some(b'&' | b'|')) && bytes[i] != b';' {
                    i + 2
                } else {
                    i + 1
                };
                push(i..stop.min(end), TokenKind::Operator);
                i = stop;
            }
            _ => {
                // One character further (UTF-8 aware).
                i += line[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        word_start = false;
    }
}

/// The end of the quoted string opening at `start`: after its closing quote, or the end.
fn closing_quote(line: &str, start: usize, end: usize, quote: u8, escape: char) -> usize {
    let bytes = line.as_bytes();
    let mut i = start + 1;
    while i < end {
        if quote == b'"' && escape.is_ascii() && bytes[i] == escape as u8 {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            return i + 1;
        }
        i += 1;
    }
    end
}

/// The end of `$NAME` or `${...}` starting at `start` (`start + 1` when it is neither).
fn variable_end(line: &str, start: usize, end: usize) -> usize {
    let bytes = line.as_bytes();
    match bytes.get(start + 1) {
        Some(b'{') => line[start..end].find('}').map_or(end, |n| start + n + 1),
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            let mut i = start + 1;
            while i < end && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            i
        }
        _ => start + 1,
    }
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` at the start of `text`: its length and terminator.
fn heredoc_at(text: &str) -> Option<(usize, PendingHeredoc)> {
    let after = text.strip_prefix("<<")?;
    let (strip_tabs, after) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let prefix = text.len() - after.len();
    let (terminator, length) = match after.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &after[1..];
            let close = inner.find(quote)?;
            (&inner[..close], prefix + close + 2)
        }
        _ => {
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(after.len());
            (&after[..name_len], prefix + name_len)
        }
    };
    if terminator.is_empty() {
        return None;
    }
    Some((
        length,
        PendingHeredoc {
            terminator: terminator.to_owned(),
            strip_tabs,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_give_the_state_lexing_from_the_top_gives() {
        let lines: Vec<std::string::String> = (0..200)
            .map(|i| match i % 7 {
                0 => format!("RUN <<EOF{i} cat \\"),
                1 => "  && echo \\".to_owned(),
                2 => "  done".to_owned(),
                3 => "body".to_owned(),
                4 => format!("EOF{}", i - 4),
                5 => "# escape=`".to_owned(),
                _ => format!("ENV A{i}=1"),
            })
            .collect();
        let mut text = lines.join("\n");
        let mut checkpoints = Checkpoints::new(8);
        let expected = |text: &str, line: usize| LexState::after(text.split('\n').take(line));
        for line in [0, 5, 8, 40, 41, 199, 250] {
            assert_eq!(
                checkpoints.state_at(&text, line),
                expected(&text, line),
                "line {line}"
            );
        }
        // Edits above, inside and below the checkpoints, including one that opens a heredoc.
        for (at, insert) in [
            (500, "RUN <<X\n"),
            (30, "\\\n"),
            (text.len() - 3, "x"),
            (0, "# escape=`\n"),
        ] {
            text.insert_str(at, insert);
            for line in [0, 7, 8, 9, 33, 120, 230] {
                assert_eq!(
                    checkpoints.state_at(&text, line),
                    expected(&text, line),
                    "line {line}"
                );
            }
        }
    }

    /// `(text, kind)` of every token of every line.
    fn lex(text: &str) -> Vec<Vec<(&str, TokenKind)>> {
        let mut state = LexState::default();
        text.split('\n')
            .map(|line| {
                let (tokens, next) = state.clone().line(line);
                state = next;
                tokens
                    .into_iter()
                    .map(|t| (&line[t.range], t.kind))
                    .collect()
            })
            .collect()
    }

    use TokenKind::*;

    #[test]
    fn keywords_flags_strings_variables() {
        let lines =
            lex("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nENV A=\"x y\" B=${A}");
        assert_eq!(
            lines[0],
            [
                ("FROM", Keyword),
                ("--platform", Flag),
                ("$BUILDPLATFORM", Variable)
            ]
        );
        assert_eq!(
            lines[1],
            [("ENV", Keyword), ("\"x y\"", String), ("${A}", Variable)]
        );
    }

    #[test]
    fn continuation_lines_have_no_keyword_and_comments_inside_them() {
        let lines = lex("RUN apt-get update && \\\n  # why\n  apt-get install -y curl\nUSER app");
        assert_eq!(
            lines[0],
            [("RUN", Keyword), ("&&", Operator), ("\\", Operator)]
        );
        assert_eq!(lines[1], [("# why", Comment)]);
        assert_eq!(lines[2], [], "a single dash is not a flag");
        assert_eq!(lines[3], [("USER", Keyword)]);
    }

    #[test]
    fn directives_set_the_escape_character() {
        let lines = lex("# escape=`\n# not a directive any more=1\nRUN a `\n  b\nCOPY x y");
        assert_eq!(lines[0], [("# escape=`", Directive)]);
        assert_eq!(lines[1], [("# not a directive any more=1", Comment)]);
        assert_eq!(lines[2], [("RUN", Keyword), ("`", Operator)]);
        assert_eq!(lines[3], []);
        assert_eq!(lines[4], [("COPY", Keyword)]);
    }

    #[test]
    fn heredoc_bodies_until_their_terminators() {
        let lines =
            lex("RUN <<EOF cat <<-'END'\napt-get update\nEOF\n\tsome $text\n\tEND\nCMD [\"x\"]");
        assert_eq!(
            lines[0],
            [
                ("RUN", Keyword),
                ("<<EOF", HeredocMarker),
                ("<<-'END'", HeredocMarker)
            ]
        );
        assert_eq!(lines[1], [("apt-get update", HeredocBody)]);
        assert_eq!(lines[2], [("EOF", HeredocMarker)]);
        assert_eq!(lines[3], [("\tsome $text", HeredocBody)]);
        assert_eq!(lines[4], [("\tEND", HeredocMarker)]);
        assert_eq!(lines[5], [("CMD", Keyword), ("\"x\"", String)]);
        // Only RUN, COPY and ADD take heredocs.
        assert_eq!(lex("ENV a <<b")[0], [("ENV", Keyword)]);
    }

    #[test]
    fn onbuild_colours_the_inner_keyword() {
        assert_eq!(
            lex("ONBUILD RUN <<X\nbody\nX")[0],
            [
                ("ONBUILD", Keyword),
                ("RUN", Keyword),
                ("<<X", HeredocMarker)
            ]
        );
    }

    #[test]
    fn state_after_matches_lexing_line_by_line() {
        let text = "# syntax=docker/dockerfile:1\nRUN <<EOF\nx\nEOF\nRUN a \\\n b";
        let lines: Vec<&str> = text.split('\n').collect();
        let mut state = LexState::default();
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(
                LexState::after(lines[..i].iter().copied()),
                state,
                "before line {i}"
            );
            state = state.line(line).1;
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "\"",
            "$",
            "${",
            "<<",
            "<<-",
            "<<'",
            "RUN <<'x",
            "--",
            "é$é\"é",
            "\\",
            "RUN &",
        ] {
            let _ = lex(text);
            let _ = lex(&format!("RUN {text}"));
        }
    }
}
