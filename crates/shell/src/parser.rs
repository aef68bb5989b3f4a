//! A hand-written recursive-descent parser for POSIX sh plus the bash features Dockerfiles use.
//!
//! It works on bytes (every syntax character is ASCII, so slices always fall on UTF-8
//! boundaries), never fails, and records errors with spans. Nesting is bounded by
//! [`MAX_DEPTH`]: past it the rest of the input is abandoned with one [`ErrorKind::TooDeep`]
//! error, so hostile input cannot overflow the stack. Every loop consumes input, so the time is
//! linear in the input (times a constant bounded by the nesting limit for the `$((` look-ahead).

use crate::ast::*;

/// How deeply compound commands, substitutions and expansions may nest.
pub const MAX_DEPTH: usize = 64;

/// How many errors are recorded; past it one more says so and the rest are dropped.
pub const MAX_ERRORS: usize = 1000;

/// How deeply here-document bodies with expansions may nest in each other (each level scans
/// its enclosing body again); deeper bodies are kept literal.
const MAX_HEREDOC_DEPTH: usize = 8;

/// How much stack the parser may use below its entry point, whatever the nesting count (a
/// level costs about 3 KiB optimised and up to about 9 KiB in a debug build).
const STACK_BUDGET: usize = 256 * 1024;

/// The address of a local of this frame: the distance between two calls' results is the stack
/// used in between.
#[inline(never)]
fn stack_address() -> usize {
    let probe = 0u8;
    std::hint::black_box(std::ptr::addr_of!(probe)) as usize
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Closer {
    Then,
    Elif,
    Else,
    Fi,
    Do,
    Done,
    Esac,
    RBrace,
    RParen,
    DSemi,
}

const CLOSERS: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reserved {
    If,
    Then,
    Elif,
    Else,
    Fi,
    For,
    Select,
    Do,
    Done,
    While,
    Until,
    Case,
    Esac,
    Function,
    LBrace,
    RBrace,
    Bang,
    TestOpen,
}

impl Reserved {
    fn closer(self) -> Option<Closer> {
        Some(match self {
            Reserved::Then => Closer::Then,
            Reserved::Elif => Closer::Elif,
            Reserved::Else => Closer::Else,
            Reserved::Fi => Closer::Fi,
            Reserved::Do => Closer::Do,
            Reserved::Done => Closer::Done,
            Reserved::Esac => Closer::Esac,
            Reserved::RBrace => Closer::RBrace,
            _ => return None,
        })
    }
}

struct Pending {
    slot: usize,
    delimiter: String,
    quoted: bool,
    strip_tabs: bool,
    op_span: Span,
}

struct Body {
    word: Word,
    terminator: Option<Span>,
    missing: bool,
}

const META: u8 = 1;
const SPECIAL: u8 = 2;

/// Byte classes: `META` for the shell's metacharacters (they end a word), `SPECIAL` for
/// those and every other byte that starts something inside a word.
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let meta = b" \t\n\r;&|<>()";
    let mut i = 0;
    while i < meta.len() {
        table[meta[i] as usize] = META | SPECIAL;
        i += 1;
    }
    let special = b"\\'\"$`*?[";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = SPECIAL;
        i += 1;
    }
    table
};

#[inline]
fn is_meta(c: u8) -> bool {
    CLASS[c as usize] & META != 0
}

#[inline]
fn is_word_special(c: u8) -> bool {
    CLASS[c as usize] & SPECIAL != 0
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Appends literal text to `parts`, merging with a preceding literal.
fn push_literal(parts: &mut Vec<WordPart>, text: &str, span: Span) {
    if let Some(WordPart::Literal {
        text: last,
        span: last_span,
    }) = parts.last_mut()
    {
        last.push_str(text);
        *last_span = last_span.cover(span);
        return;
    }
    parts.push(WordPart::Literal {
        text: text.to_string(),
        span,
    });
}

pub(crate) struct Output {
    pub list: List,
    pub errors: Vec<SyntaxError>,
    pub comments: Vec<Span>,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    pos: usize,
    limit: usize,
    /// For the inside of backquotes (unescaped into a new string): the original offset of each
    /// byte, plus one for the end.
    map: Option<Vec<usize>>,
    depth: usize,
    /// Here-document bodies being parsed inside each other.
    heredoc_depth: usize,
    /// Matching `)` of each `(` met by the `((` look-ahead, with the limit of that scan
    /// (`usize::MAX` for none within it), so nested look-aheads do not scan again.
    parens: std::collections::HashMap<usize, (usize, usize)>,
    stack_base: usize,
    aborted: bool,
    errors: Vec<SyntaxError>,
    comments: Vec<Span>,
    pending: Vec<Pending>,
    bodies: Vec<Option<Body>>,
    open: [u32; CLOSERS],
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Parser {
            src,
            pos: 0,
            limit: src.len(),
            map: None,
            depth: 0,
            heredoc_depth: 0,
            parens: std::collections::HashMap::new(),
            stack_base: stack_address(),
            aborted: false,
            errors: Vec::new(),
            comments: Vec::new(),
            pending: Vec::new(),
            bodies: Vec::new(),
            open: [0; CLOSERS],
        }
    }

    /// Parses the whole input as a script.
    pub(crate) fn run(mut self) -> (Output, bool) {
        let mut list = self.parse_list();
        // Here-documents whose operator line was the last one: no body in this text.
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let at = self.off(self.limit);
            self.set_body(
                p.slot,
                Body {
                    word: Word {
                        parts: Vec::new(),
                        span: Span::empty(at),
                    },
                    terminator: None,
                    missing: true,
                },
            );
        }
        let mut bodies = std::mem::take(&mut self.bodies);
        fill_list(&mut list, &mut bodies);
        (
            Output {
                list,
                errors: self.errors,
                comments: self.comments,
            },
            self.aborted,
        )
    }

    // ----- primitives -------------------------------------------------------------------------

    fn at(&self, i: usize) -> Option<u8> {
        if self.aborted || i >= self.limit {
            None
        } else {
            self.src.as_bytes().get(i).copied()
        }
    }

    fn peek(&self) -> Option<u8> {
        self.at(self.pos)
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.at(self.pos + k)
    }

    fn eof(&self) -> bool {
        self.peek().is_none()
    }

    fn off(&self, i: usize) -> usize {
        match &self.map {
            Some(m) => m
                .get(i)
                .copied()
                .unwrap_or_else(|| m.last().copied().unwrap_or(0)),
            None => i,
        }
    }

    fn sp(&self, a: usize, b: usize) -> Span {
        if self.map.is_none() {
            return Span::new(a, b);
        }
        let start = self.off(a);
        if b <= a {
            return Span::empty(start);
        }
        // Each unescaped byte comes from one source byte: end after the last one.
        Span::new(start, self.off(b - 1) + 1)
    }

    fn text(&self, a: usize, b: usize) -> &'a str {
        self.src.get(a..b).unwrap_or("")
    }

    fn char_len(&self, i: usize) -> usize {
        let len = self.at(i).map_or(1, utf8_len);
        // Never step past the limit or into the middle of a character.
        let mut end = (i + len).min(self.limit.max(i + 1));
        while end > i + 1 && !self.src.is_char_boundary(end) {
            end -= 1;
        }
        end - i
    }

    #[inline(never)]
    fn error(&mut self, kind: ErrorKind, message: impl Into<String>, a: usize, b: usize) {
        let span = self.sp(a, b);
        self.push_error(kind, message, span);
    }

    /// Records an error unless parsing was abandoned or too many were recorded already.
    fn push_error(&mut self, kind: ErrorKind, message: impl Into<String>, span: Span) {
        if self.aborted || self.errors.len() > MAX_ERRORS {
            return;
        }
        if self.errors.len() == MAX_ERRORS {
            self.errors.push(SyntaxError {
                kind,
                message: format!("more than {MAX_ERRORS} syntax errors; the rest are not listed"),
                span,
            });
            return;
        }
        self.errors.push(SyntaxError {
            kind,
            message: message.into(),
            span,
        });
    }

    /// Reports the token of `len` bytes at the position as unexpected (`suffix` is appended to
    /// the message) and, with `skip`, steps over it.
    #[cold]
    #[inline(never)]
    fn unexpected(&mut self, len: usize, suffix: &str, skip: bool) {
        let a = self.pos;
        let token = self.text(a, a + len).to_string();
        self.error(
            ErrorKind::Unexpected,
            format!("unexpected `{token}`{suffix}"),
            a,
            a + len,
        );
        if skip {
            self.pos += len;
        }
    }

    /// Reports a missing command after the operator at `a..a + len`.
    #[cold]
    #[inline(never)]
    fn missing_command_after(&mut self, a: usize, len: usize) {
        let token = self.text(a, a + len).to_string();
        self.error(
            ErrorKind::Missing,
            format!("expected a command after `{token}`"),
            a,
            a + len,
        );
    }

    fn enter(&mut self) -> bool {
        if self.aborted {
            return false;
        }
        if self.depth >= MAX_DEPTH || stack_address().abs_diff(self.stack_base) > STACK_BUDGET {
            let (a, b) = (self.pos, self.limit);
            self.error(
                ErrorKind::TooDeep,
                "nesting too deep; the rest of the script is not parsed",
                a,
                b,
            );
            self.aborted = true;
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn set_body(&mut self, slot: usize, body: Body) {
        if let Some(s) = self.bodies.get_mut(slot) {
            *s = Some(body);
        }
    }

    /// Skips spaces, tabs, carriage returns and line continuations.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'\\') => match (self.peek_at(1), self.peek_at(2)) {
                    (Some(b'\n'), _) => self.pos += 2,
                    (Some(b'\r'), Some(b'\n')) => self.pos += 3,
                    _ => break,
                },
                _ => break,
            }
        }
    }

    fn skip_comment(&mut self) -> bool {
        if self.peek() != Some(b'#') {
            return false;
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c != b'\n') {
            self.pos += 1;
        }
        let span = self.sp(start, self.pos);
        self.comments.push(span);
        true
    }

    /// Skips blanks, comments and newlines (reading here-document bodies after each newline).
    fn skip_linebreaks(&mut self) {
        loop {
            self.skip_blanks();
            if self.skip_comment() {
                continue;
            }
            if self.peek() == Some(b'\n') {
                self.consume_newline();
                continue;
            }
            break;
        }
    }

    fn consume_newline(&mut self) {
        self.pos += 1;
        if !self.pending.is_empty() {
            self.read_heredocs();
        }
    }

    fn op_len(&self) -> usize {
        match (self.peek(), self.peek_at(1)) {
            (Some(a), Some(b)) if a == b && matches!(a, b'&' | b'|' | b';') => 2,
            (Some(b'|'), Some(b'&')) | (Some(b';'), Some(b'&')) => 2,
            (Some(_), _) => self.char_len(self.pos),
            (None, _) => 0,
        }
    }

    fn peek_reserved(&self) -> Option<(Reserved, usize)> {
        // Every reserved word starts with one of these.
        if !matches!(
            self.peek(),
            Some(
                b'i' | b't'
                    | b'e'
                    | b'f'
                    | b'd'
                    | b'w'
                    | b'u'
                    | b'c'
                    | b's'
                    | b'{'
                    | b'}'
                    | b'!'
                    | b'['
            )
        ) {
            return None;
        }
        let start = self.pos;
        let mut end = start;
        while end - start < 9 {
            match self.at(end) {
                Some(c) if c.is_ascii_lowercase() || matches!(c, b'{' | b'}' | b'!' | b'[') => {
                    end += 1
                }
                _ => break,
            }
        }
        if end == start || self.at(end).is_some_and(|c| !is_meta(c)) {
            return None;
        }
        let r = match self.text(start, end) {
            "if" => Reserved::If,
            "then" => Reserved::Then,
            "elif" => Reserved::Elif,
            "else" => Reserved::Else,
            "fi" => Reserved::Fi,
            "for" => Reserved::For,
            "select" => Reserved::Select,
            "do" => Reserved::Do,
            "done" => Reserved::Done,
            "while" => Reserved::While,
            "until" => Reserved::Until,
            "case" => Reserved::Case,
            "esac" => Reserved::Esac,
            "function" => Reserved::Function,
            "{" => Reserved::LBrace,
            "}" => Reserved::RBrace,
            "!" => Reserved::Bang,
            "[[" => Reserved::TestOpen,
            _ => return None,
        };
        Some((r, end - start))
    }

    /// Is the plain word `word` (followed by a delimiter) next?
    fn peek_plain(&self, word: &str) -> bool {
        let end = self.pos + word.len();
        self.text(self.pos, end) == word && self.at(end).is_none_or(is_meta)
    }

    fn peek_closer(&self) -> Option<(Closer, usize)> {
        match (self.peek(), self.peek_at(1), self.peek_at(2)) {
            (Some(b')'), _, _) => return Some((Closer::RParen, 1)),
            (Some(b';'), Some(b';'), Some(b'&')) => return Some((Closer::DSemi, 3)),
            (Some(b';'), Some(b';' | b'&'), _) => return Some((Closer::DSemi, 2)),
            _ => {}
        }
        let (r, len) = self.peek_reserved()?;
        Some((r.closer()?, len))
    }

    #[inline(never)]
    fn expect_reserved(&mut self, want: Reserved, what: &str, opener: Span) -> bool {
        if let Some((r, len)) = self.peek_reserved() {
            if r == want {
                self.pos += len;
                return true;
            }
        }
        self.push_error(
            ErrorKind::Missing,
            format!("expected `{what}` to close this"),
            opener,
        );
        false
    }

    #[inline(never)]
    fn check_nonempty(&mut self, list: &List, what: &str) {
        if list.items.is_empty() {
            let at = self.pos;
            self.error(
                ErrorKind::Missing,
                format!("expected a command {what}"),
                at,
                at,
            );
        }
    }

    // ----- lists ------------------------------------------------------------------------------

    fn parse_list(&mut self) -> List {
        let mut items: Vec<Item> = Vec::new();
        loop {
            self.skip_linebreaks();
            if self.eof() {
                break;
            }
            if let Some((closer, len)) = self.peek_closer() {
                if self.open[closer as usize] > 0 {
                    break;
                }
                self.unexpected(len, "", true);
                // Its separator goes with it: one error for `fi;`.
                self.skip_blanks();
                if matches!(
                    (self.peek(), self.peek_at(1)),
                    (Some(b';'), next) | (Some(b'&'), next) if !matches!(next, Some(b';' | b'&' | b'>'))
                ) {
                    self.pos += 1;
                }
                continue;
            }
            if matches!(self.peek(), Some(b';' | b'&' | b'|')) {
                self.unexpected(self.op_len(), "", true);
                continue;
            }
            let start = self.pos;
            let Some(and_or) = self.parse_and_or() else {
                if self.pos == start && !self.eof() {
                    self.unexpected(self.char_len(start), "", true);
                }
                continue;
            };
            self.skip_blanks();
            self.skip_comment();
            let sep_start = self.pos;
            let separator = match (self.peek(), self.peek_at(1)) {
                (Some(b';'), next) if !matches!(next, Some(b';' | b'&')) => {
                    self.pos += 1;
                    Some(Separator::Semi)
                }
                (Some(b'&'), next) if !matches!(next, Some(b'&' | b'>')) => {
                    self.pos += 1;
                    Some(Separator::Amp)
                }
                (Some(b'\n'), _) => {
                    self.consume_newline();
                    Some(Separator::Newline)
                }
                _ => None,
            };
            let separator_span = separator.map(|_| self.sp(sep_start, sep_start + 1));
            let span = and_or.span;
            items.push(Item {
                and_or,
                separator,
                separator_span,
                span,
            });
            if separator.is_none() {
                self.skip_blanks();
                // Operators are reported when the loop meets them; words and `(` here.
                if !self.eof()
                    && self.peek_closer().is_none()
                    && !matches!(self.peek(), Some(b';' | b'&' | b'|'))
                {
                    self.unexpected(self.op_len(), " after a command", false);
                }
            }
        }
        let span = match (items.first(), items.last()) {
            (Some(first), Some(last)) => first.span.cover(last.separator_span.unwrap_or(last.span)),
            _ => Span::empty(self.off(self.pos)),
        };
        List { items, span }
    }

    fn parse_and_or(&mut self) -> Option<AndOr> {
        let first = self.parse_pipeline()?;
        let mut pipelines = vec![first];
        let mut ops = Vec::new();
        loop {
            self.skip_blanks();
            let op = match (self.peek(), self.peek_at(1)) {
                (Some(b'&'), Some(b'&')) => AndOrOp::And,
                (Some(b'|'), Some(b'|')) => AndOrOp::Or,
                _ => break,
            };
            let a = self.pos;
            self.pos += 2;
            self.skip_linebreaks();
            match self.parse_pipeline() {
                Some(p) => {
                    ops.push((op, self.sp(a, a + 2)));
                    pipelines.push(p);
                }
                None => {
                    self.missing_command_after(a, 2);
                    break;
                }
            }
        }
        let span = match (pipelines.first(), pipelines.last()) {
            (Some(f), Some(l)) => f.span.cover(l.span),
            _ => Span::default(),
        };
        Some(AndOr {
            pipelines,
            ops,
            span,
        })
    }

    fn parse_pipeline(&mut self) -> Option<Pipeline> {
        self.skip_blanks();
        let start = self.pos;
        let mut bang = None;
        while let Some((Reserved::Bang, len)) = self.peek_reserved() {
            bang = Some(self.sp(self.pos, self.pos + len));
            self.pos += len;
            self.skip_blanks();
        }
        let Some(first) = self.parse_command() else {
            if bang.is_some() {
                self.error(
                    ErrorKind::Missing,
                    "expected a command after `!`",
                    start,
                    start + 1,
                );
            }
            return None;
        };
        let mut commands = vec![first];
        let mut pipes = Vec::new();
        loop {
            self.skip_blanks();
            if self.peek() != Some(b'|') || self.peek_at(1) == Some(b'|') {
                break;
            }
            let a = self.pos;
            let (op, len) = if self.peek_at(1) == Some(b'&') {
                (PipeOp::PipeAll, 2)
            } else {
                (PipeOp::Pipe, 1)
            };
            self.pos += len;
            self.skip_linebreaks();
            match self.parse_command() {
                Some(c) => {
                    pipes.push((op, self.sp(a, a + len)));
                    commands.push(c);
                }
                None => {
                    self.missing_command_after(a, len);
                    break;
                }
            }
        }
        let first_span = bang
            .or_else(|| commands.first().map(Command::span))
            .unwrap_or_default();
        let span = first_span.cover(commands.last().map(Command::span).unwrap_or_default());
        Some(Pipeline {
            bang,
            commands,
            pipes,
            span,
        })
    }

    // ----- commands ---------------------------------------------------------------------------

    fn parse_command(&mut self) -> Option<Command> {
        self.skip_blanks();
        if self.peek()? == b'(' {
            return Some(self.parse_compound(None));
        }
        if let Some((r, len)) = self.peek_reserved() {
            match r {
                Reserved::Then
                | Reserved::Elif
                | Reserved::Else
                | Reserved::Fi
                | Reserved::Do
                | Reserved::Done
                | Reserved::Esac
                | Reserved::RBrace => return None,
                Reserved::Bang => {}
                Reserved::Function => return self.parse_function_keyword(len),
                _ => return Some(self.parse_compound(Some((r, len)))),
            }
        }
        if let Some((name_end, after)) = self.function_header() {
            return Some(self.parse_function_def(name_end, after));
        }
        self.parse_simple().map(Command::Simple)
    }

    /// A compound command: `(`/`((` when `reserved` is `None`, else the reserved word's.
    #[inline(never)]
    fn parse_compound(&mut self, reserved: Option<(Reserved, usize)>) -> Command {
        let start = self.pos;
        let kind = match reserved {
            None => {
                if self.peek_at(1) == Some(b'(') && self.arith_end(self.pos + 2).is_some() {
                    self.parse_arith_command()
                } else {
                    self.parse_subshell()
                }
            }
            Some((r, len)) => {
                let kw = self.sp(start, start + len);
                match r {
                    Reserved::If => self.parse_if(len),
                    Reserved::For | Reserved::Select => self.parse_for(r == Reserved::Select, kw),
                    Reserved::While | Reserved::Until => {
                        self.parse_while(r == Reserved::Until, kw, len)
                    }
                    Reserved::Case => self.parse_case(kw),
                    Reserved::LBrace => self.parse_brace(kw),
                    _ => self.parse_test(kw),
                }
            }
        };
        self.finish_compound(kind, start)
    }

    #[inline(never)]
    fn parse_function_def(&mut self, name_end: usize, after: usize) -> Command {
        let start = self.pos;
        let name = self.text(start, name_end).to_string();
        let name_span = self.sp(start, name_end);
        self.pos = after;
        self.parse_function_body(name, name_span, start)
    }

    #[inline(never)]
    fn finish_compound(&mut self, kind: CompoundKind, start: usize) -> Command {
        let mut redirects = Vec::new();
        loop {
            let before = self.pos;
            self.skip_blanks();
            if self.redirect_at().is_none() {
                // The span ends at the command, not at the blanks after it.
                self.pos = before;
                break;
            }
            redirects.push(self.parse_redirect());
        }
        Command::Compound(CompoundCommand {
            kind,
            redirects,
            span: self.sp(start, self.pos),
        })
    }

    /// `name ( )` at the current position: the end of the name and the position after `)`.
    fn function_header(&self) -> Option<(usize, usize)> {
        let start = self.pos;
        let mut i = start;
        while let Some(c) = self.at(i) {
            if is_meta(c) || matches!(c, b'\'' | b'"' | b'$' | b'`' | b'\\' | b'=') {
                break;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        let name_end = i;
        while matches!(self.at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if self.at(i) != Some(b'(') {
            return None;
        }
        i += 1;
        while matches!(self.at(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        (self.at(i) == Some(b')')).then_some((name_end, i + 1))
    }

    #[inline(never)]
    fn parse_function_keyword(&mut self, len: usize) -> Option<Command> {
        let start = self.pos;
        self.pos += len;
        self.skip_blanks();
        let name_start = self.pos;
        while let Some(c) = self.peek() {
            if is_meta(c) || matches!(c, b'\'' | b'"' | b'$' | b'`' | b'\\') {
                break;
            }
            self.pos += 1;
        }
        let name_end = self.pos;
        if name_end == name_start {
            self.error(
                ErrorKind::Missing,
                "expected a function name after `function`",
                start,
                start + len,
            );
        }
        self.skip_blanks();
        if self.peek() == Some(b'(') {
            let save = self.pos;
            self.pos += 1;
            self.skip_blanks();
            if self.peek() == Some(b')') {
                self.pos += 1;
            } else {
                self.pos = save;
            }
        }
        let name = self.text(name_start, name_end).to_string();
        let name_span = self.sp(name_start, name_end);
        Some(self.parse_function_body(name, name_span, start))
    }

    #[inline(never)]
    fn parse_function_body(&mut self, name: String, name_span: Span, start: usize) -> Command {
        self.skip_linebreaks();
        let body_start = self.pos;
        let entered = self.enter();
        let body = if entered { self.parse_command() } else { None };
        if entered {
            self.leave();
        }
        let body = match body {
            Some(body) => {
                if matches!(body, Command::Simple(_)) {
                    let span = body.span();
                    self.push_error(
                        ErrorKind::Missing,
                        "a function body must be a compound command such as `{ ...; }`",
                        span,
                    );
                }
                body
            }
            None => {
                self.error(
                    ErrorKind::Missing,
                    format!("expected a body for function `{name}`"),
                    body_start,
                    body_start,
                );
                Command::Compound(CompoundCommand {
                    kind: CompoundKind::Brace(List::default()),
                    redirects: Vec::new(),
                    span: self.sp(body_start, body_start),
                })
            }
        };
        Command::Function(FunctionDef {
            name,
            name_span,
            body: Box::new(body),
            span: self.sp(start, self.pos),
        })
    }

    #[inline(never)]
    fn parse_simple(&mut self) -> Option<SimpleCommand> {
        let start = self.pos;
        let mut assignments = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirects = Vec::new();
        let mut declaration = false;
        let mut end = start;
        loop {
            self.skip_blanks();
            if self.peek() == Some(b'#') {
                self.skip_comment();
                break;
            }
            if self.redirect_at().is_some() {
                redirects.push(self.parse_redirect());
                end = self.pos;
                continue;
            }
            if !self.at_word() {
                break;
            }
            let at_assignment = (words.is_empty() || declaration)
                && crate::ast::assignment_prefix(
                    self.src.as_bytes().get(self.pos..self.limit).unwrap_or(&[]),
                )
                .is_some();
            if at_assignment {
                let a = self.parse_assignment();
                if words.is_empty() {
                    assignments.push(a);
                } else {
                    words.push(assignment_word(a));
                }
                end = self.pos;
                continue;
            }
            let before = self.pos;
            match self.parse_word(false) {
                Some(w) => {
                    if words.is_empty() {
                        declaration = matches!(
                            w.parts.as_slice(),
                            [WordPart::Literal { text, .. }]
                                if matches!(
                                    text.as_str(),
                                    "export" | "local" | "declare" | "typeset" | "readonly"
                                )
                        );
                    }
                    words.push(w);
                }
                None if self.pos == before => break,
                None => {}
            }
            end = self.pos;
        }
        if assignments.is_empty() && words.is_empty() && redirects.is_empty() {
            return None;
        }
        Some(SimpleCommand {
            assignments,
            words,
            redirects,
            span: self.sp(start, end),
        })
    }

    #[inline(never)]
    fn parse_assignment(&mut self) -> Assignment {
        let start = self.pos;
        let rest = self.src.as_bytes().get(self.pos..self.limit).unwrap_or(&[]);
        let Some(prefix) = crate::ast::assignment_prefix(rest) else {
            // Not reached: callers check first.
            return Assignment {
                name: String::new(),
                name_span: self.sp(start, start),
                subscript: None,
                append: false,
                value: Word::default(),
                span: self.sp(start, start),
            };
        };
        let name = self.text(start, start + prefix.name_end).to_string();
        let name_span = self.sp(start, start + prefix.name_end);
        let subscript = prefix
            .subscript
            .map(|(a, b)| self.text(start + a, start + b).to_string());
        self.pos = start + prefix.eq_end;
        let value_start = self.pos;
        let value = if self.peek() == Some(b'(') {
            let mut parts = vec![self.parse_array()];
            if let Some(rest) = self.parse_word(false) {
                parts.extend(rest.parts);
            }
            Word {
                parts,
                span: self.sp(value_start, self.pos),
            }
        } else {
            self.parse_word(false).unwrap_or(Word {
                parts: Vec::new(),
                span: self.sp(value_start, value_start),
            })
        };
        Assignment {
            name,
            name_span,
            subscript,
            append: prefix.append,
            value,
            span: self.sp(start, self.pos),
        }
    }

    #[inline(never)]
    fn parse_array(&mut self) -> WordPart {
        let start = self.pos;
        self.pos += 1;
        let entered = self.enter();
        let mut words = Vec::new();
        loop {
            self.skip_linebreaks();
            match self.peek() {
                None => {
                    self.error(
                        ErrorKind::Unterminated,
                        "unterminated array `(`",
                        start,
                        start + 1,
                    );
                    break;
                }
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {
                    let before = self.pos;
                    if let Some(w) = self.parse_word(false) {
                        words.push(w);
                    }
                    if self.pos == before {
                        let len = self.op_len();
                        let token = self.text(before, before + len).to_string();
                        self.error(
                            ErrorKind::Unexpected,
                            format!("unexpected `{token}` in an array"),
                            before,
                            before + len,
                        );
                        self.pos += len.max(1);
                    }
                }
            }
        }
        if entered {
            self.leave();
        }
        WordPart::Array {
            words,
            span: self.sp(start, self.pos),
        }
    }

    /// A word starts here (process substitutions `<(`/`>(` included).
    fn at_word(&self) -> bool {
        match self.peek() {
            Some(b'<' | b'>') => self.peek_at(1) == Some(b'('),
            Some(c) => !is_meta(c),
            None => false,
        }
    }

    /// A redirection operator (with an optional fd number) at the current position.
    fn redirect_at(&self) -> Option<usize> {
        let mut i = self.pos;
        while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        let digits = i - self.pos;
        match (self.at(i), self.at(i + 1)) {
            (Some(b'<' | b'>'), Some(b'(')) if digits == 0 => None,
            (Some(b'<' | b'>'), _) => Some(digits),
            (Some(b'&'), Some(b'>')) if digits == 0 => Some(0),
            _ => None,
        }
    }

    #[inline(never)]
    fn parse_redirect(&mut self) -> Redirect {
        let start = self.pos;
        let digits = self.redirect_at().unwrap_or(0);
        let fd = self.text(start, start + digits).parse::<u32>().ok();
        self.pos += digits;
        let op_start = self.pos;
        let (op, len) = match (self.peek(), self.peek_at(1), self.peek_at(2)) {
            (Some(b'<'), Some(b'<'), Some(b'<')) => (RedirectOp::HereString, 3),
            (Some(b'<'), Some(b'<'), Some(b'-')) => (RedirectOp::HereDoc { strip_tabs: true }, 3),
            (Some(b'<'), Some(b'<'), _) => (RedirectOp::HereDoc { strip_tabs: false }, 2),
            (Some(b'<'), Some(b'&'), _) => (RedirectOp::DupRead, 2),
            (Some(b'<'), Some(b'>'), _) => (RedirectOp::ReadWrite, 2),
            (Some(b'<'), _, _) => (RedirectOp::Read, 1),
            (Some(b'>'), Some(b'>'), _) => (RedirectOp::Append, 2),
            (Some(b'>'), Some(b'&'), _) => (RedirectOp::DupWrite, 2),
            (Some(b'>'), Some(b'|'), _) => (RedirectOp::Clobber, 2),
            (Some(b'&'), Some(b'>'), Some(b'>')) => (RedirectOp::AppendAll, 3),
            (Some(b'&'), Some(b'>'), _) => (RedirectOp::WriteAll, 2),
            _ => (RedirectOp::Write, 1),
        };
        self.pos += len;
        let op_span = self.sp(op_start, self.pos);
        self.skip_blanks();
        let target = if self.at_word() {
            self.parse_word(false)
        } else {
            None
        };
        let target = target.unwrap_or_else(|| {
            let token = self.text(op_start, op_start + len).to_string();
            self.error(
                ErrorKind::Missing,
                format!("expected a word after `{token}`"),
                op_start,
                op_start + len,
            );
            Word {
                parts: Vec::new(),
                span: self.sp(self.pos, self.pos),
            }
        });
        let heredoc = match op {
            RedirectOp::HereDoc { strip_tabs } => {
                let (delimiter, quoted) = delimiter_text(&target);
                let slot = self.bodies.len();
                self.bodies.push(None);
                self.pending.push(Pending {
                    slot,
                    delimiter: delimiter.clone(),
                    quoted,
                    strip_tabs,
                    op_span,
                });
                Some(Box::new(HereDoc {
                    delimiter,
                    quoted,
                    strip_tabs,
                    body: Word::default(),
                    terminator: None,
                    missing: true,
                    slot,
                }))
            }
            _ => None,
        };
        Redirect {
            fd,
            op,
            op_span,
            target,
            heredoc,
            span: self.sp(start, self.pos),
        }
    }

    // ----- compound commands ------------------------------------------------------------------

    #[inline(never)]
    fn parse_subshell(&mut self) -> CompoundKind {
        let start = self.pos;
        self.pos += 1;
        if !self.enter() {
            return CompoundKind::Subshell(List::default());
        }
        self.open[Closer::RParen as usize] += 1;
        let body = self.parse_list();
        self.open[Closer::RParen as usize] -= 1;
        self.check_nonempty(&body, "inside `( )`");
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            self.error(
                ErrorKind::Missing,
                "expected `)` to close this",
                start,
                start + 1,
            );
        }
        self.leave();
        CompoundKind::Subshell(body)
    }

    #[inline(never)]
    fn parse_brace(&mut self, kw: Span) -> CompoundKind {
        self.pos += 1;
        if !self.enter() {
            return CompoundKind::Brace(List::default());
        }
        self.open[Closer::RBrace as usize] += 1;
        let body = self.parse_list();
        self.open[Closer::RBrace as usize] -= 1;
        self.check_nonempty(&body, "inside `{ }`");
        self.expect_reserved(Reserved::RBrace, "}", kw);
        self.leave();
        CompoundKind::Brace(body)
    }

    #[inline(never)]
    fn parse_if(&mut self, len: usize) -> CompoundKind {
        let mut keyword = self.sp(self.pos, self.pos + len);
        let opener = keyword;
        self.pos += len;
        if !self.enter() {
            return CompoundKind::If {
                clauses: Vec::new(),
                else_body: None,
            };
        }
        let mut clauses = Vec::new();
        let mut else_body = None;
        loop {
            self.open[Closer::Then as usize] += 1;
            self.open[Closer::Fi as usize] += 1;
            let condition = self.parse_list();
            self.open[Closer::Then as usize] -= 1;
            self.open[Closer::Fi as usize] -= 1;
            self.check_nonempty(&condition, "after `if`");
            if !self.expect_reserved(Reserved::Then, "then", keyword) {
                clauses.push(IfClause {
                    keyword,
                    condition,
                    body: List::default(),
                });
                if matches!(self.peek_reserved(), Some((Reserved::Fi, _))) {
                    self.expect_reserved(Reserved::Fi, "fi", opener);
                }
                self.leave();
                return CompoundKind::If { clauses, else_body };
            }
            for c in [Closer::Elif, Closer::Else, Closer::Fi] {
                self.open[c as usize] += 1;
            }
            let body = self.parse_list();
            for c in [Closer::Elif, Closer::Else, Closer::Fi] {
                self.open[c as usize] -= 1;
            }
            self.check_nonempty(&body, "after `then`");
            clauses.push(IfClause {
                keyword,
                condition,
                body,
            });
            match self.peek_reserved() {
                Some((Reserved::Elif, l)) => {
                    keyword = self.sp(self.pos, self.pos + l);
                    self.pos += l;
                    continue;
                }
                Some((Reserved::Else, l)) => {
                    self.pos += l;
                    self.open[Closer::Fi as usize] += 1;
                    let body = self.parse_list();
                    self.open[Closer::Fi as usize] -= 1;
                    self.check_nonempty(&body, "after `else`");
                    else_body = Some(body);
                }
                _ => {}
            }
            break;
        }
        self.expect_reserved(Reserved::Fi, "fi", opener);
        self.leave();
        CompoundKind::If { clauses, else_body }
    }

    #[inline(never)]
    fn parse_do_done(&mut self, kw: Span) -> List {
        self.skip_linebreaks();
        if !self.expect_reserved(Reserved::Do, "do", kw) {
            return List::default();
        }
        self.open[Closer::Done as usize] += 1;
        let body = self.parse_list();
        self.open[Closer::Done as usize] -= 1;
        self.check_nonempty(&body, "after `do`");
        self.expect_reserved(Reserved::Done, "done", kw);
        body
    }

    #[inline(never)]
    fn parse_while(&mut self, until: bool, kw: Span, len: usize) -> CompoundKind {
        self.pos += len;
        if !self.enter() {
            return CompoundKind::While {
                until,
                condition: List::default(),
                body: List::default(),
            };
        }
        self.open[Closer::Do as usize] += 1;
        self.open[Closer::Done as usize] += 1;
        let condition = self.parse_list();
        self.open[Closer::Do as usize] -= 1;
        self.open[Closer::Done as usize] -= 1;
        self.check_nonempty(
            &condition,
            if until {
                "after `until`"
            } else {
                "after `while`"
            },
        );
        let body = self.parse_do_done(kw);
        self.leave();
        CompoundKind::While {
            until,
            condition,
            body,
        }
    }

    #[inline(never)]
    fn parse_for(&mut self, select: bool, kw: Span) -> CompoundKind {
        self.pos += if select { 6 } else { 3 };
        if !self.enter() {
            return CompoundKind::Brace(List::default());
        }
        self.skip_blanks();
        if !select && self.peek() == Some(b'(') && self.peek_at(1) == Some(b'(') {
            let header = if self.arith_end(self.pos + 2).is_some() {
                let start = self.pos;
                self.pos += 2;
                let expr = self.parse_arith_parts(start);
                self.close_arith();
                expr
            } else {
                let at = self.pos;
                self.error(
                    ErrorKind::Unterminated,
                    "unterminated `((` in `for`",
                    at,
                    at + 2,
                );
                self.pos = self.limit;
                Word::default()
            };
            self.skip_blanks();
            if self.peek() == Some(b';') {
                self.pos += 1;
            }
            let body = self.parse_do_done(kw);
            self.leave();
            return CompoundKind::ArithFor { header, body };
        }
        let var_start = self.pos;
        let var_word = self.parse_word(false);
        let var = var_word
            .as_ref()
            .and_then(Word::static_value)
            .unwrap_or_default();
        let var_span = var_word.map_or(self.sp(var_start, var_start), |w| w.span);
        let valid = var
            .bytes()
            .enumerate()
            .all(|(i, c)| c == b'_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
        if var.is_empty() || !valid {
            let span = if var.is_empty() { kw } else { var_span };
            self.push_error(
                ErrorKind::Missing,
                "expected a variable name after `for`",
                span,
            );
        }
        self.skip_blanks();
        self.skip_comment();
        let mut words = None;
        if self.peek() == Some(b';') {
            self.pos += 1;
        } else {
            self.skip_linebreaks();
            if self.peek_plain("in") {
                self.pos += 2;
                let mut list = Vec::new();
                loop {
                    self.skip_blanks();
                    if self.skip_comment() {
                        break;
                    }
                    if !self.at_word() {
                        break;
                    }
                    let before = self.pos;
                    if let Some(w) = self.parse_word(false) {
                        list.push(w);
                    }
                    if self.pos == before {
                        break;
                    }
                }
                words = Some(list);
                match self.peek() {
                    Some(b';') => self.pos += 1,
                    Some(b'\n') => self.consume_newline(),
                    _ => {}
                }
            }
        }
        let body = self.parse_do_done(kw);
        self.leave();
        CompoundKind::For {
            select,
            var,
            var_span,
            words,
            body,
        }
    }

    #[inline(never)]
    fn parse_case(&mut self, kw: Span) -> CompoundKind {
        self.pos += 4;
        if !self.enter() {
            return CompoundKind::Brace(List::default());
        }
        self.skip_blanks();
        let word = match self.peek() {
            Some(c) if !is_meta(c) => self.parse_word(false),
            _ => None,
        };
        let word = word.unwrap_or_else(|| {
            let at = self.pos;
            self.error(ErrorKind::Missing, "expected a word after `case`", at, at);
            Word {
                parts: Vec::new(),
                span: self.sp(at, at),
            }
        });
        self.skip_linebreaks();
        if self.peek_plain("in") {
            self.pos += 2;
        } else {
            let at = self.pos;
            self.error(
                ErrorKind::Missing,
                "expected `in` after the `case` word",
                at,
                at,
            );
        }
        let mut items = Vec::new();
        loop {
            self.skip_linebreaks();
            if let Some((Reserved::Esac, len)) = self.peek_reserved() {
                self.pos += len;
                break;
            }
            if self.eof() {
                self.push_error(ErrorKind::Missing, "expected `esac` to close this", kw);
                break;
            }
            let start = self.pos;
            if self.peek() == Some(b'(') {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    Some(c) if !is_meta(c) => {
                        if let Some(w) = self.parse_word(false) {
                            patterns.push(w);
                        }
                    }
                    _ => {
                        let at = self.pos;
                        self.error(ErrorKind::Missing, "expected a case pattern", at, at);
                    }
                }
                self.skip_blanks();
                if self.peek() == Some(b'|') {
                    self.pos += 1;
                    continue;
                }
                break;
            }
            if self.peek() == Some(b')') {
                self.pos += 1;
            } else {
                let at = self.pos;
                self.error(
                    ErrorKind::Missing,
                    "expected `)` after the case pattern",
                    at,
                    at,
                );
                if self.pos == start {
                    // No progress possible here: give up on this case.
                    break;
                }
            }
            self.open[Closer::DSemi as usize] += 1;
            self.open[Closer::Esac as usize] += 1;
            let body = self.parse_list();
            self.open[Closer::DSemi as usize] -= 1;
            self.open[Closer::Esac as usize] -= 1;
            self.skip_blanks();
            let terminator = match (self.peek(), self.peek_at(1), self.peek_at(2)) {
                (Some(b';'), Some(b';'), Some(b'&')) => {
                    self.pos += 3;
                    Some(CaseTerminator::Continue)
                }
                (Some(b';'), Some(b';'), _) => {
                    self.pos += 2;
                    Some(CaseTerminator::Break)
                }
                (Some(b';'), Some(b'&'), _) => {
                    self.pos += 2;
                    Some(CaseTerminator::FallThrough)
                }
                _ => None,
            };
            items.push(CaseItem {
                patterns,
                body,
                terminator,
                span: self.sp(start, self.pos),
            });
            if terminator.is_none()
                && !self.eof()
                && !matches!(self.peek_reserved(), Some((Reserved::Esac, _)))
            {
                let at = self.pos;
                let len = self.op_len();
                let token = self.text(at, at + len).to_string();
                self.error(
                    ErrorKind::Unexpected,
                    format!("unexpected `{token}` in a case item"),
                    at,
                    at + len,
                );
                self.pos += len;
            }
        }
        self.leave();
        CompoundKind::Case { word, items }
    }

    #[inline(never)]
    fn parse_test(&mut self, kw: Span) -> CompoundKind {
        self.pos += 2;
        if !self.enter() {
            return CompoundKind::Test(Vec::new());
        }
        let mut words = Vec::new();
        let mut regex = false;
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else {
                self.push_error(ErrorKind::Missing, "expected `]]` to close this", kw);
                break;
            };
            if c == b'\n' {
                self.consume_newline();
                continue;
            }
            if self.peek_plain("]]") {
                self.pos += 2;
                break;
            }
            let start = self.pos;
            let op = match (c, self.peek_at(1)) {
                (b'&', Some(b'&')) | (b'|', Some(b'|')) => 2,
                (b'(' | b')' | b'<' | b'>', _) if !regex => 1,
                (b';' | b'&' | b'|', _) => {
                    self.push_error(ErrorKind::Missing, "expected `]]` to close this", kw);
                    break;
                }
                _ => 0,
            };
            if op > 0 {
                self.pos += op;
                let mut parts = Vec::new();
                push_literal(
                    &mut parts,
                    self.text(start, start + op),
                    self.sp(start, start + op),
                );
                words.push(Word {
                    parts,
                    span: self.sp(start, start + op),
                });
                continue;
            }
            match self.parse_word(regex) {
                Some(w) => {
                    regex = w.is("=~");
                    words.push(w);
                }
                None if self.pos == start => {
                    let len = self.char_len(start);
                    self.pos += len;
                }
                None => {}
            }
        }
        self.leave();
        CompoundKind::Test(words)
    }

    #[inline(never)]
    fn parse_arith_command(&mut self) -> CompoundKind {
        let start = self.pos;
        self.pos += 2;
        if !self.enter() {
            return CompoundKind::Arith(Word::default());
        }
        let expr = self.parse_arith_parts(start);
        self.close_arith();
        self.leave();
        CompoundKind::Arith(expr)
    }

    // ----- here-documents ---------------------------------------------------------------------

    #[inline(never)]
    fn read_heredocs(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            if self.eof() {
                let at = self.off(self.pos);
                self.set_body(
                    p.slot,
                    Body {
                        word: Word {
                            parts: Vec::new(),
                            span: Span::empty(at),
                        },
                        terminator: None,
                        missing: true,
                    },
                );
                continue;
            }
            let body_start = self.pos;
            let mut line_start = self.pos;
            let mut continued = false;
            let mut found = None;
            while line_start < self.limit {
                let mut line_end = line_start;
                while self.at(line_end).is_some_and(|c| c != b'\n') {
                    line_end += 1;
                }
                let mut cs = line_start;
                if p.strip_tabs {
                    while self.at(cs) == Some(b'\t') {
                        cs += 1;
                    }
                }
                let mut ce = line_end;
                if ce > cs && self.at(ce - 1) == Some(b'\r') {
                    ce -= 1;
                }
                if !continued && self.text(cs, ce) == p.delimiter {
                    found = Some((line_start, cs, ce, line_end));
                    break;
                }
                if !p.quoted {
                    let mut k = ce;
                    let mut n = 0;
                    while k > line_start && self.at(k - 1) == Some(b'\\') {
                        k -= 1;
                        n += 1;
                    }
                    continued = n % 2 == 1;
                }
                line_start = line_end + 1;
            }
            let (body_end, terminator, next) = match found {
                Some((ls, cs, ce, le)) => (
                    ls,
                    Some(self.sp(cs, ce)),
                    if self.at(le) == Some(b'\n') {
                        le + 1
                    } else {
                        le
                    },
                ),
                None => {
                    self.push_error(
                        ErrorKind::Unterminated,
                        format!(
                            "here-document `{}` is not terminated (its delimiter line never comes)",
                            p.delimiter
                        ),
                        p.op_span,
                    );
                    (self.limit, None, self.limit)
                }
            };
            let too_deep = !p.quoted && self.heredoc_depth >= MAX_HEREDOC_DEPTH;
            if too_deep {
                self.error(
                    ErrorKind::TooDeep,
                    "here-documents nested too deep; this body is taken literally",
                    body_start,
                    body_end,
                );
            }
            let word = if p.quoted || too_deep {
                let mut text = String::new();
                for line in self.text(body_start, body_end).split_inclusive('\n') {
                    text.push_str(if p.strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    });
                }
                let span = self.sp(body_start, body_end);
                let parts = if text.is_empty() {
                    Vec::new()
                } else {
                    vec![WordPart::Literal { text, span }]
                };
                Word { parts, span }
            } else {
                self.parse_heredoc_parts(body_start, body_end, p.strip_tabs)
            };
            self.set_body(
                p.slot,
                Body {
                    word,
                    terminator,
                    missing: false,
                },
            );
            if !self.aborted {
                self.pos = next;
            }
        }
    }

    #[inline(never)]
    fn parse_heredoc_parts(&mut self, a: usize, b: usize, strip_tabs: bool) -> Word {
        let saved_limit = self.limit;
        let saved_open = std::mem::take(&mut self.open);
        self.limit = b;
        self.pos = a;
        self.heredoc_depth += 1;
        let mut parts = Vec::new();
        let mut line_start = true;
        loop {
            if line_start && strip_tabs {
                while self.peek() == Some(b'\t') {
                    self.pos += 1;
                }
            }
            line_start = false;
            let Some(c) = self.peek() else { break };
            let start = self.pos;
            match c {
                b'$' => self.push_dollar(&mut parts, true),
                b'`' => {
                    let part = self.parse_backtick(true);
                    parts.push(part);
                }
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(e @ (b'$' | b'`' | b'\\')) => {
                        self.pos += 2;
                        let t = char::from(e).to_string();
                        push_literal(&mut parts, &t, self.sp(start, self.pos));
                    }
                    _ => {
                        self.pos += 1;
                        push_literal(&mut parts, "\\", self.sp(start, self.pos));
                    }
                },
                b'\n' => {
                    self.pos += 1;
                    line_start = true;
                    push_literal(&mut parts, "\n", self.sp(start, self.pos));
                }
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| !matches!(c, b'$' | b'`' | b'\\' | b'\n'))
                    {
                        self.pos += 1;
                    }
                    let t = self.text(start, self.pos);
                    push_literal(&mut parts, t, self.sp(start, self.pos));
                }
            }
        }
        // Here-documents opened inside the body but never given one.
        self.pending.clear();
        self.heredoc_depth -= 1;
        self.limit = saved_limit;
        self.open = saved_open;
        Word {
            parts,
            span: self.sp(a, b),
        }
    }

    // ----- words ------------------------------------------------------------------------------

    /// Reads an unquoted-context word; `None` when nothing word-like is at the position. With
    /// `regex` (the right side of `=~` in `[[ ]]`), parentheses and `|` belong to the word.
    fn parse_word(&mut self, regex: bool) -> Option<Word> {
        let start = self.pos;
        let mut parts = Vec::new();
        let mut parens = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => break,
                b'(' | b'|' | b')' if regex => {
                    if c == b')' && parens == 0 {
                        break;
                    }
                    self.word_regex_char(&mut parts, &mut parens, c);
                }
                b'<' | b'>' if self.peek_at(1) == Some(b'(') && !regex => {
                    parts.push(self.parse_process_subst());
                }
                b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\'' => parts.push(self.parse_single()),
                b'"' => parts.push(self.parse_double(false)),
                b'$' => self.push_dollar(&mut parts, false),
                b'`' => parts.push(self.parse_backtick(false)),
                _ => self.word_plain(&mut parts, c),
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(Word {
            parts,
            span: self.sp(start, self.pos),
        })
    }

    /// `(`, `)` or `|` inside a `=~` regex.
    #[inline(never)]
    fn word_regex_char(&mut self, parts: &mut Vec<WordPart>, parens: &mut usize, c: u8) {
        let at = self.pos;
        match c {
            b'(' => *parens += 1,
            b')' => *parens = parens.saturating_sub(1),
            _ => {}
        }
        self.pos += 1;
        push_literal(parts, self.text(at, at + 1), self.sp(at, at + 1));
    }

    /// A `$` expansion, merged into a preceding literal when it is a lone `$`.
    #[inline(never)]
    fn push_dollar(&mut self, parts: &mut Vec<WordPart>, in_dq: bool) {
        match self.parse_dollar(in_dq) {
            WordPart::Literal { text, span } => push_literal(parts, &text, span),
            part => parts.push(part),
        }
    }

    /// The non-recursive parts of an unquoted word: escapes, globs and literal text.
    #[inline(never)]
    fn word_plain(&mut self, parts: &mut Vec<WordPart>, c: u8) {
        let at = self.pos;
        match c {
            b'\\' => match (self.peek_at(1), self.peek_at(2)) {
                (Some(b'\n'), _) => self.pos += 2,
                (Some(b'\r'), Some(b'\n')) => self.pos += 3,
                (None, _) => {
                    self.pos += 1;
                    push_literal(parts, "\\", self.sp(at, at + 1));
                }
                (Some(_), _) => {
                    let len = self.char_len(at + 1);
                    self.pos += 1 + len;
                    parts.push(WordPart::Escaped {
                        text: self.text(at + 1, at + 1 + len).to_string(),
                        span: self.sp(at, at + 1 + len),
                    });
                }
            },
            b'*' | b'?' => {
                self.pos += 1;
                parts.push(WordPart::Glob {
                    text: char::from(c).to_string(),
                    span: self.sp(at, at + 1),
                });
            }
            b'[' => match self.bracket_end(at) {
                Some(end) => {
                    self.pos = end;
                    parts.push(WordPart::Glob {
                        text: self.text(at, end).to_string(),
                        span: self.sp(at, end),
                    });
                }
                None => {
                    self.pos += 1;
                    push_literal(parts, "[", self.sp(at, at + 1));
                }
            },
            _ => {
                while self.peek().is_some_and(|c| !is_word_special(c)) {
                    self.pos += 1;
                }
                if self.pos == at {
                    // Not reached (every special byte has its own case), but never stall.
                    self.pos += 1;
                }
                let text = self.text(at, self.pos);
                push_literal(parts, text, self.sp(at, self.pos));
            }
        }
    }

    /// The end of a bracket glob `[...]` starting at `at`, if it closes within the word.
    fn bracket_end(&self, at: usize) -> Option<usize> {
        let mut j = at + 1;
        if matches!(self.at(j), Some(b'!' | b'^')) {
            j += 1;
        }
        if self.at(j) == Some(b']') {
            j += 1;
        }
        while let Some(c) = self.at(j) {
            if c == b']' {
                return Some(j + 1);
            }
            if is_meta(c) || matches!(c, b'\'' | b'"' | b'$' | b'`' | b'\\' | b'[' | b'/') {
                return None;
            }
            j += 1;
        }
        None
    }

    #[inline(never)]
    fn parse_single(&mut self) -> WordPart {
        let start = self.pos;
        self.pos += 1;
        while self.peek().is_some_and(|c| c != b'\'') {
            self.pos += 1;
        }
        let text = self.text(start + 1, self.pos).to_string();
        if self.peek() == Some(b'\'') {
            self.pos += 1;
        } else {
            self.error(
                ErrorKind::Unterminated,
                "unterminated single quote",
                start,
                start + 1,
            );
        }
        WordPart::SingleQuoted {
            text,
            span: self.sp(start, self.pos),
        }
    }

    /// `"..."`, or `$"..."` when `locale` (the position is then at the `$`).
    #[inline(never)]
    fn parse_double(&mut self, locale: bool) -> WordPart {
        let start = self.pos;
        self.pos += if locale { 2 } else { 1 };
        let mut parts = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                self.error(
                    ErrorKind::Unterminated,
                    "unterminated double quote",
                    start,
                    self.pos.min(start + 1 + usize::from(locale)),
                );
                break;
            };
            let at = self.pos;
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'$' => self.push_dollar(&mut parts, true),
                b'`' => parts.push(self.parse_backtick(true)),
                b'\\' => match (self.peek_at(1), self.peek_at(2)) {
                    (Some(b'\n'), _) => self.pos += 2,
                    (Some(b'\r'), Some(b'\n')) => self.pos += 3,
                    (Some(e @ (b'$' | b'`' | b'"' | b'\\')), _) => {
                        self.pos += 2;
                        push_literal(&mut parts, &char::from(e).to_string(), self.sp(at, at + 2));
                    }
                    _ => {
                        self.pos += 1;
                        push_literal(&mut parts, "\\", self.sp(at, at + 1));
                    }
                },
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| !matches!(c, b'"' | b'$' | b'`' | b'\\'))
                    {
                        self.pos += 1;
                    }
                    let text = self.text(at, self.pos);
                    push_literal(&mut parts, text, self.sp(at, self.pos));
                }
            }
        }
        WordPart::DoubleQuoted {
            parts,
            span: self.sp(start, self.pos),
            locale,
        }
    }

    #[inline(never)]
    fn parse_ansi_c(&mut self) -> WordPart {
        let start = self.pos;
        self.pos += 2;
        let body_start = self.pos;
        loop {
            match self.peek() {
                None => {
                    self.error(
                        ErrorKind::Unterminated,
                        "unterminated `$'` quote",
                        start,
                        start + 2,
                    );
                    break;
                }
                Some(b'\'') => break,
                Some(b'\\') if self.peek_at(1).is_some() => self.pos += 2,
                Some(_) => self.pos += 1,
            }
        }
        let text = decode_ansi_c(self.text(body_start, self.pos));
        if self.peek() == Some(b'\'') {
            self.pos += 1;
        }
        WordPart::AnsiCQuoted {
            text,
            span: self.sp(start, self.pos),
        }
    }

    /// After a `$`: an expansion, or a literal `$`.
    #[inline(never)]
    fn parse_dollar(&mut self, in_dq: bool) -> WordPart {
        let start = self.pos;
        match self.peek_at(1) {
            Some(b'(') => {
                if self.peek_at(2) == Some(b'(') && self.arith_end(self.pos + 3).is_some() {
                    self.parse_arith_expansion()
                } else {
                    self.parse_command_subst()
                }
            }
            Some(b'{') => self.parse_braced_param(in_dq),
            Some(b'\'') if !in_dq => self.parse_ansi_c(),
            Some(b'"') if !in_dq => self.parse_double(true),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.pos += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.pos += 1;
                }
                self.simple_param(start)
            }
            Some(c)
                if c.is_ascii_digit()
                    || matches!(c, b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') =>
            {
                self.pos += 2;
                self.simple_param(start)
            }
            _ => {
                self.pos += 1;
                WordPart::Literal {
                    text: "$".to_string(),
                    span: self.sp(start, start + 1),
                }
            }
        }
    }

    fn simple_param(&self, start: usize) -> WordPart {
        WordPart::Param(Box::new(Param {
            name: self.text(start + 1, self.pos).to_string(),
            braced: false,
            length: false,
            indirect: false,
            subscript: None,
            op: None,
            arg: None,
            span: self.sp(start, self.pos),
        }))
    }

    #[inline(never)]
    fn parse_braced_param(&mut self, in_dq: bool) -> WordPart {
        let start = self.pos;
        self.pos += 2;
        let mut param = Param {
            name: String::new(),
            braced: true,
            length: false,
            indirect: false,
            subscript: None,
            op: None,
            arg: None,
            span: Span::default(),
        };
        if !self.enter() {
            param.span = self.sp(start, self.pos);
            return WordPart::Param(Box::new(param));
        }
        match (self.peek(), self.peek_at(1)) {
            (Some(b'#'), Some(c))
                if c != b'}' && !matches!(c, b':' | b'-' | b'=' | b'?' | b'+') =>
            {
                param.length = true;
                self.pos += 1;
            }
            (Some(b'!'), Some(c)) if c != b'}' => {
                param.indirect = true;
                self.pos += 1;
            }
            _ => {}
        }
        let name_start = self.pos;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-') => self.pos += 1,
            _ => {}
        }
        param.name = self.text(name_start, self.pos).to_string();
        if self.peek() == Some(b'[') {
            let sub_start = self.pos + 1;
            let mut depth = 0usize;
            while let Some(c) = self.peek() {
                match c {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                self.pos += 1;
            }
            param.subscript = Some(self.text(sub_start, self.pos).to_string());
            if self.peek() == Some(b']') {
                self.pos += 1;
            }
        }
        if self.peek() != Some(b'}') && !self.eof() {
            const OPS: [&str; 22] = [
                ":-", ":=", ":?", ":+", "##", "#", "%%", "%", "//", "/#", "/%", "/", "^^", "^",
                ",,", ",", "-", "=", "?", "+", "@", ":",
            ];
            let op = OPS
                .iter()
                .find(|op| self.text(self.pos, self.pos + op.len()) == **op);
            let pattern = match op {
                Some(op) => {
                    self.pos += op.len();
                    param.op = Some((*op).to_string());
                    !matches!(*op, ":-" | ":=" | ":?" | ":+" | "-" | "=" | "?" | "+")
                }
                None => true,
            };
            param.arg = Some(self.parse_param_arg(in_dq && !pattern));
        }
        if self.peek() == Some(b'}') {
            self.pos += 1;
            if param.name.is_empty() && param.arg.is_none() {
                self.error(
                    ErrorKind::BadSubstitution,
                    "bad substitution: `${}` names no parameter",
                    start,
                    self.pos,
                );
            }
        } else {
            self.error(
                ErrorKind::Unterminated,
                "unterminated `${`",
                start,
                start + 2,
            );
        }
        self.leave();
        param.span = self.sp(start, self.pos);
        WordPart::Param(Box::new(param))
    }

    /// The word after a `${name OP`, up to the unmatched `}`. Inside double quotes single quotes
    /// are literal for the default-value operators (`literal_single`).
    #[inline(never)]
    fn parse_param_arg(&mut self, literal_single: bool) -> Word {
        let start = self.pos;
        let mut parts = Vec::new();
        let mut braces = 0usize;
        while let Some(c) = self.peek() {
            let at = self.pos;
            match c {
                b'}' if braces == 0 => break,
                b'{' | b'}' => {
                    if c == b'{' {
                        braces += 1;
                    } else {
                        braces -= 1;
                    }
                    self.pos += 1;
                    push_literal(&mut parts, self.text(at, at + 1), self.sp(at, at + 1));
                }
                b'\'' if !literal_single => parts.push(self.parse_single()),
                b'"' => parts.push(self.parse_double(false)),
                b'$' => self.push_dollar(&mut parts, literal_single),
                b'`' => parts.push(self.parse_backtick(literal_single)),
                b'\\' => match self.peek_at(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(_) => {
                        let len = self.char_len(at + 1);
                        self.pos += 1 + len;
                        parts.push(WordPart::Escaped {
                            text: self.text(at + 1, at + 1 + len).to_string(),
                            span: self.sp(at, at + 1 + len),
                        });
                    }
                    None => {
                        self.pos += 1;
                        push_literal(&mut parts, "\\", self.sp(at, at + 1));
                    }
                },
                _ => {
                    self.pos += 1;
                    while self.peek().is_some_and(|c| {
                        !matches!(c, b'}' | b'{' | b'\'' | b'"' | b'$' | b'`' | b'\\')
                    }) {
                        self.pos += 1;
                    }
                    let text = self.text(at, self.pos);
                    push_literal(&mut parts, text, self.sp(at, self.pos));
                }
            }
        }
        Word {
            parts,
            span: self.sp(start, self.pos),
        }
    }

    #[inline(never)]
    fn parse_command_subst(&mut self) -> WordPart {
        let start = self.pos;
        self.pos += 2;
        let list = self.parse_nested_list(start, 2, "unterminated `$(`");
        WordPart::CommandSubst {
            list,
            backquoted: false,
            span: self.sp(start, self.pos),
        }
    }

    #[inline(never)]
    fn parse_process_subst(&mut self) -> WordPart {
        let start = self.pos;
        let output = self.peek() == Some(b'>');
        self.pos += 2;
        let token = if output { ">(" } else { "<(" };
        let list = self.parse_nested_list(start, 2, &format!("unterminated `{token}`"));
        WordPart::ProcessSubst {
            list,
            output,
            span: self.sp(start, self.pos),
        }
    }

    /// A list closed by `)`, isolated from the constructs around it.
    #[inline(never)]
    fn parse_nested_list(&mut self, start: usize, opener_len: usize, unterminated: &str) -> List {
        if !self.enter() {
            return List::default();
        }
        let saved = std::mem::take(&mut self.open);
        self.open[Closer::RParen as usize] = 1;
        let list = self.parse_list();
        self.open = saved;
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            self.error(
                ErrorKind::Unterminated,
                unterminated,
                start,
                start + opener_len,
            );
        }
        self.leave();
        list
    }

    /// Where the `))` closing an arithmetic expression that starts at `from` is, if the
    /// parentheses balance that way (otherwise `((` is `(` followed by a subshell).
    fn arith_end(&mut self, from: usize) -> Option<usize> {
        let open = from.checked_sub(1)?;
        let close = match self.parens.get(&open) {
            Some(&(close, limit)) if close != usize::MAX || limit >= self.limit => close,
            _ => self.match_parens(open),
        };
        if close == usize::MAX || close >= self.limit {
            return None;
        }
        (self.at(close + 1) == Some(b')')).then_some(close)
    }

    /// Finds the `)` matching the `(` at `open` (ignoring quoting, as a look-ahead), recording
    /// the matches of every parenthesis on the way.
    fn match_parens(&mut self, open: usize) -> usize {
        let mut stack = vec![open];
        let mut i = open + 1;
        while let Some(c) = self.at(i) {
            match c {
                b'(' => stack.push(i),
                b')' => {
                    if let Some(o) = stack.pop() {
                        self.parens.insert(o, (i, self.limit));
                        if o == open {
                            return i;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        for o in stack {
            self.parens.insert(o, (usize::MAX, self.limit));
        }
        usize::MAX
    }

    #[inline(never)]
    fn parse_arith_expansion(&mut self) -> WordPart {
        let start = self.pos;
        self.pos += 3;
        if !self.enter() {
            return WordPart::Arith {
                expr: Word::default(),
                span: self.sp(start, self.pos),
            };
        }
        let expr = self.parse_arith_parts(start + 1);
        self.close_arith();
        self.leave();
        WordPart::Arith {
            expr,
            span: self.sp(start, self.pos),
        }
    }

    fn close_arith(&mut self) {
        if self.peek() == Some(b')') && self.peek_at(1) == Some(b')') {
            self.pos += 2;
        }
    }

    /// The inside of `((...))`, leaving the position at the closing `))` (checked by the caller
    /// with [`Parser::arith_end`]; at the end of input otherwise).
    #[inline(never)]
    fn parse_arith_parts(&mut self, opener: usize) -> Word {
        let start = self.pos;
        let mut parts = Vec::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.peek() else {
                self.error(
                    ErrorKind::Unterminated,
                    "unterminated arithmetic `((`",
                    opener,
                    opener + 2,
                );
                break;
            };
            let at = self.pos;
            match c {
                b')' if depth == 0 => break,
                b'(' | b')' => {
                    if c == b'(' {
                        depth += 1;
                    } else {
                        depth -= 1;
                    }
                    self.pos += 1;
                    push_literal(&mut parts, self.text(at, at + 1), self.sp(at, at + 1));
                }
                b'$' => self.push_dollar(&mut parts, true),
                b'`' => parts.push(self.parse_backtick(true)),
                b'"' => parts.push(self.parse_double(false)),
                b'\\' if self.peek_at(1) == Some(b'\n') => self.pos += 2,
                _ => {
                    self.pos += 1;
                    while self
                        .peek()
                        .is_some_and(|c| !matches!(c, b'(' | b')' | b'$' | b'`' | b'"' | b'\\'))
                    {
                        self.pos += 1;
                    }
                    let text = self.text(at, self.pos);
                    push_literal(&mut parts, text, self.sp(at, self.pos));
                }
            }
        }
        Word {
            parts,
            span: self.sp(start, self.pos),
        }
    }

    #[inline(never)]
    fn parse_backtick(&mut self, in_dq: bool) -> WordPart {
        let start = self.pos;
        self.pos += 1;
        if !self.enter() {
            return WordPart::CommandSubst {
                list: List::default(),
                backquoted: true,
                span: self.sp(start, self.pos),
            };
        }
        let mut content = String::new();
        let mut map = Vec::new();
        let content_end;
        loop {
            match self.peek() {
                None => {
                    content_end = self.pos;
                    self.error(
                        ErrorKind::Unterminated,
                        "unterminated backquote",
                        start,
                        start + 1,
                    );
                    break;
                }
                Some(b'`') => {
                    content_end = self.pos;
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => match self.peek_at(1) {
                    Some(e @ (b'$' | b'`' | b'\\')) => {
                        content.push(char::from(e));
                        map.push(self.off(self.pos + 1));
                        self.pos += 2;
                    }
                    Some(b'"') if in_dq => {
                        content.push('"');
                        map.push(self.off(self.pos + 1));
                        self.pos += 2;
                    }
                    _ => {
                        content.push('\\');
                        map.push(self.off(self.pos));
                        self.pos += 1;
                    }
                },
                Some(_) => {
                    let len = self.char_len(self.pos);
                    content.push_str(self.text(self.pos, self.pos + len));
                    for k in 0..len {
                        map.push(self.off(self.pos + k));
                    }
                    self.pos += len;
                }
            }
        }
        map.push(self.off(content_end));
        let mut sub = Parser::new(&content);
        sub.map = Some(map);
        sub.depth = self.depth;
        sub.stack_base = self.stack_base;
        let (out, aborted) = sub.run();
        if !self.aborted {
            self.errors.extend(out.errors);
        }
        self.comments.extend(out.comments);
        if aborted {
            self.aborted = true;
        }
        self.leave();
        WordPart::CommandSubst {
            list: out.list,
            backquoted: true,
            span: self.sp(start, self.pos),
        }
    }
}

/// An assignment given as an argument of `export`, `local`, ... as a word `NAME=value`.
fn assignment_word(a: Assignment) -> Word {
    let prefix_end = a.value.span.start;
    let mut prefix = a.name.clone();
    if let Some(sub) = &a.subscript {
        prefix.push('[');
        prefix.push_str(sub);
        prefix.push(']');
    }
    if a.append {
        prefix.push('+');
    }
    prefix.push('=');
    let mut parts = vec![WordPart::Literal {
        text: prefix,
        span: Span::new(a.span.start, prefix_end),
    }];
    let mut value = a.value.parts;
    if let (Some(WordPart::Literal { text, span }), Some(WordPart::Literal { text: first, .. })) =
        (parts.last_mut(), value.first())
    {
        // Keep `NAME=value` one literal, as an ordinary word would be.
        text.push_str(first);
        if let Some(WordPart::Literal { span: s, .. }) = value.first() {
            *span = span.cover(*s);
        }
        value.remove(0);
    }
    parts.extend(value);
    Word {
        parts,
        span: a.span,
    }
}

/// The delimiter of a here-document (quotes removed) and whether any of it was quoted.
fn delimiter_text(word: &Word) -> (String, bool) {
    fn walk(parts: &[WordPart], out: &mut String, quoted: &mut bool) {
        for part in parts {
            match part {
                WordPart::Literal { text, .. } | WordPart::Glob { text, .. } => out.push_str(text),
                WordPart::Escaped { text, .. }
                | WordPart::SingleQuoted { text, .. }
                | WordPart::AnsiCQuoted { text, .. } => {
                    *quoted = true;
                    out.push_str(text);
                }
                WordPart::DoubleQuoted { parts, .. } => {
                    *quoted = true;
                    walk(parts, out, quoted);
                }
                WordPart::Param(p) => {
                    out.push('$');
                    if p.braced {
                        out.push('{');
                        out.push_str(&p.name);
                        out.push('}');
                    } else {
                        out.push_str(&p.name);
                    }
                }
                WordPart::CommandSubst { .. }
                | WordPart::Arith { .. }
                | WordPart::ProcessSubst { .. }
                | WordPart::Array { .. } => {}
            }
        }
    }
    let mut out = String::new();
    let mut quoted = false;
    walk(&word.parts, &mut out, &mut quoted);
    (out, quoted)
}

fn decode_ansi_c(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'e' | 'E' => out.push('\u{1b}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' | '\'' | '"' | '?' => out.push(e),
            'x' | 'u' | 'U' | '0'..='7' => {
                let (radix, max) = match e {
                    'x' => (16, 2),
                    'u' => (16, 4),
                    'U' => (16, 8),
                    _ => (8, 2),
                };
                let mut value = if radix == 8 {
                    e.to_digit(8).unwrap_or(0)
                } else {
                    0
                };
                let mut n = 0;
                while n < max {
                    match chars.peek().and_then(|d| d.to_digit(radix)) {
                        Some(d) => {
                            value = value.saturating_mul(radix).saturating_add(d);
                            chars.next();
                            n += 1;
                        }
                        None => break,
                    }
                }
                if radix == 16 && n == 0 {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
            }
            'c' => {
                if let Some(x) = chars.next() {
                    out.push(char::from_u32(u32::from(x) & 0x1f).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

// ----- filling in here-document bodies ----------------------------------------------------------

fn fill_list(list: &mut List, bodies: &mut [Option<Body>]) {
    for item in &mut list.items {
        for p in &mut item.and_or.pipelines {
            for c in &mut p.commands {
                fill_command(c, bodies);
            }
        }
    }
}

fn fill_command(c: &mut Command, bodies: &mut [Option<Body>]) {
    match c {
        Command::Simple(s) => {
            for a in &mut s.assignments {
                fill_word(&mut a.value, bodies);
            }
            for w in &mut s.words {
                fill_word(w, bodies);
            }
            for r in &mut s.redirects {
                fill_redirect(r, bodies);
            }
        }
        Command::Compound(cc) => {
            match &mut cc.kind {
                CompoundKind::Brace(l) | CompoundKind::Subshell(l) => fill_list(l, bodies),
                CompoundKind::If { clauses, else_body } => {
                    for clause in clauses {
                        fill_list(&mut clause.condition, bodies);
                        fill_list(&mut clause.body, bodies);
                    }
                    if let Some(l) = else_body {
                        fill_list(l, bodies);
                    }
                }
                CompoundKind::For { words, body, .. } => {
                    for w in words.iter_mut().flatten() {
                        fill_word(w, bodies);
                    }
                    fill_list(body, bodies);
                }
                CompoundKind::ArithFor { header, body } => {
                    fill_word(header, bodies);
                    fill_list(body, bodies);
                }
                CompoundKind::While {
                    condition, body, ..
                } => {
                    fill_list(condition, bodies);
                    fill_list(body, bodies);
                }
                CompoundKind::Case { word, items } => {
                    fill_word(word, bodies);
                    for item in items {
                        for w in &mut item.patterns {
                            fill_word(w, bodies);
                        }
                        fill_list(&mut item.body, bodies);
                    }
                }
                CompoundKind::Test(words) => {
                    for w in words {
                        fill_word(w, bodies);
                    }
                }
                CompoundKind::Arith(w) => fill_word(w, bodies),
            }
            for r in &mut cc.redirects {
                fill_redirect(r, bodies);
            }
        }
        Command::Function(f) => fill_command(&mut f.body, bodies),
    }
}

fn fill_redirect(r: &mut Redirect, bodies: &mut [Option<Body>]) {
    fill_word(&mut r.target, bodies);
    if let Some(h) = &mut r.heredoc {
        if let Some(body) = bodies.get_mut(h.slot).and_then(Option::take) {
            h.body = body.word;
            h.terminator = body.terminator;
            h.missing = body.missing;
        }
        fill_word(&mut h.body, bodies);
    }
}

fn fill_word(w: &mut Word, bodies: &mut [Option<Body>]) {
    for part in &mut w.parts {
        fill_part(part, bodies);
    }
}

fn fill_part(part: &mut WordPart, bodies: &mut [Option<Body>]) {
    match part {
        WordPart::DoubleQuoted { parts, .. } => {
            for p in parts {
                fill_part(p, bodies);
            }
        }
        WordPart::Param(p) => {
            if let Some(arg) = &mut p.arg {
                fill_word(arg, bodies);
            }
        }
        WordPart::CommandSubst { list, .. } | WordPart::ProcessSubst { list, .. } => {
            fill_list(list, bodies);
        }
        WordPart::Arith { expr, .. } => fill_word(expr, bodies),
        WordPart::Array { words, .. } => {
            for w in words {
                fill_word(w, bodies);
            }
        }
        WordPart::Literal { .. }
        | WordPart::Escaped { .. }
        | WordPart::SingleQuoted { .. }
        | WordPart::AnsiCQuoted { .. }
        | WordPart::Glob { .. } => {}
    }
}
