//! The syntax tree of a shell script. Every node carries a byte [`Span`] into the text given to
//! [`crate::parse`]; literal text is stored with quotes, escapes and line continuations removed.

use std::borrow::Cow;

/// A half-open byte range `start..end` into the parsed text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The text this span covers (empty if it does not fit `text`).
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// What went wrong, for rules that map syntax errors to codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A quote, substitution, expansion or here-document that is never closed.
    Unterminated,
    /// A token where it cannot be (`fi` without `if`, `;;` outside `case`, a stray `)`).
    Unexpected,
    /// Something required is missing (`then`, `done`, a command after `&&`, a redirection target).
    Missing,
    /// A `${...}` expansion that is not valid (`${}`).
    BadSubstitution,
    /// The script nests deeper than the parser allows ([`crate::MAX_DEPTH`] levels, or less
    /// stack): the rest of the input was not parsed. Also used for here-documents nested in
    /// each other's bodies too deeply, whose body is then kept literal.
    TooDeep,
}

/// A syntax error with the exact range it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
}

/// A sequence of and-or lists separated by `;`, `&` or newlines: a whole script, the body of a
/// compound command, or the inside of a command substitution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct List {
    pub items: Vec<Item>,
    /// From the first item to the end of the last item or its separator (empty when no items).
    pub span: Span,
}

/// One and-or list with the separator that ends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub and_or: AndOr,
    pub separator: Option<Separator>,
    pub separator_span: Option<Span>,
    /// The span of the and-or list (separator excluded).
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Separator {
    /// `;`
    Semi,
    /// `&` (run in the background)
    Amp,
    /// A newline.
    Newline,
}

/// Pipelines joined by `&&` and `||`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub pipelines: Vec<Pipeline>,
    /// `ops[i]` sits between `pipelines[i]` and `pipelines[i + 1]`.
    pub ops: Vec<(AndOrOp, Span)>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AndOrOp {
    /// `&&`
    And,
    /// `||`
    Or,
}

/// Commands joined by `|` or `|&`, optionally negated with `!`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub bang: Option<Span>,
    pub commands: Vec<Command>,
    /// `pipes[i]` sits between `commands[i]` and `commands[i + 1]`.
    pub pipes: Vec<(PipeOp, Span)>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PipeOp {
    /// `|`
    Pipe,
    /// `|&` (stderr too)
    PipeAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(CompoundCommand),
    Function(FunctionDef),
}

impl Command {
    pub fn span(&self) -> Span {
        match self {
            Command::Simple(c) => c.span,
            Command::Compound(c) => c.span,
            Command::Function(c) => c.span,
        }
    }
}

/// `A=1 B=2 name arg... >file`: assignments, words (the first is the command name) and
/// redirections, each in source order within its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<Assignment>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub span: Span,
}

impl SimpleCommand {
    /// The command name word, if the command has one (`A=1` alone has none).
    pub fn name(&self) -> Option<&Word> {
        self.words.first()
    }

    /// The argument words after the name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value` or `NAME=(a b)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub name_span: Span,
    /// The subscript text of `NAME[sub]=`, brackets excluded.
    pub subscript: Option<String>,
    /// `+=`
    pub append: bool,
    /// The value (possibly empty, possibly an [`WordPart::Array`]).
    pub value: Word,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompoundCommand {
    pub kind: CompoundKind,
    pub redirects: Vec<Redirect>,
    /// From the opening keyword to the end of the last redirection.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompoundKind {
    /// `{ list; }`
    Brace(List),
    /// `( list )`
    Subshell(List),
    /// `if c; then b; elif c; then b; else b; fi`
    If {
        /// The `if` and each `elif` with their conditions and bodies.
        clauses: Vec<IfClause>,
        else_body: Option<List>,
    },
    /// `for NAME [in WORDS]; do body; done` (also `select`).
    For {
        select: bool,
        var: String,
        var_span: Span,
        /// `None` when there is no `in` (loops over `"$@"`).
        words: Option<Vec<Word>>,
        body: List,
    },
    /// `for ((init; cond; step)); do body; done` (bash).
    ArithFor { header: Word, body: List },
    /// `while cond; do body; done` or `until ...`.
    While {
        until: bool,
        condition: List,
        body: List,
    },
    /// `case word in pattern) list ;; esac`
    Case { word: Word, items: Vec<CaseItem> },
    /// `[[ expression ]]` (bash): its words; operators such as `&&`, `(`, `<` are literal words.
    Test(Vec<Word>),
    /// `(( expression ))` (bash).
    Arith(Word),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfClause {
    /// The `if` or `elif` keyword.
    pub keyword: Span,
    pub condition: List,
    pub body: List,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseItem {
    pub patterns: Vec<Word>,
    pub body: List,
    pub terminator: Option<CaseTerminator>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CaseTerminator {
    /// `;;`
    Break,
    /// `;&`
    FallThrough,
    /// `;;&`
    Continue,
}

/// `name() body`, `function name body` or `function name() body`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionDef {
    pub name: String,
    pub name_span: Span,
    pub body: Box<Command>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit file descriptor (`2` in `2>&1`).
    pub fd: Option<u32>,
    pub op: RedirectOp,
    pub op_span: Span,
    /// The file, descriptor, here-string, or here-document delimiter word.
    pub target: Word,
    /// For `<<` and `<<-`: the here-document with its body.
    pub heredoc: Option<Box<HereDoc>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RedirectOp {
    /// `<`
    Read,
    /// `>`
    Write,
    /// `>>`
    Append,
    /// `>|`
    Clobber,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupRead,
    /// `>&`
    DupWrite,
    /// `&>` (bash)
    WriteAll,
    /// `&>>` (bash)
    AppendAll,
    /// `<<` or `<<-` (`strip_tabs`)
    HereDoc { strip_tabs: bool },
    /// `<<<` (bash)
    HereString,
}

/// A here-document's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDoc {
    /// The delimiter with quotes removed.
    pub delimiter: String,
    /// Part of the delimiter was quoted: the body is literal (one [`WordPart::Literal`]).
    pub quoted: bool,
    pub strip_tabs: bool,
    /// The body lines (terminator excluded). Unquoted bodies have their expansions parsed.
    /// Leading tabs are left out of the text for `<<-`.
    pub body: Word,
    /// The terminator line; `None` when the input ended first.
    pub terminator: Option<Span>,
    /// No body follows in the text at all (the input ends on the operator's line). This is the
    /// normal case for a Dockerfile `RUN cmd <<EOF`, whose body BuildKit keeps apart.
    pub missing: bool,
    pub(crate) slot: usize,
}

/// A shell word: the parts that are concatenated to form it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<WordPart>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted (or, inside double quotes, plain) text; line continuations removed.
    Literal { text: String, span: Span },
    /// An unquoted backslash escape `\c`: `text` is `c`, the span includes the backslash.
    Escaped { text: String, span: Span },
    /// `'text'`
    SingleQuoted { text: String, span: Span },
    /// `$'text'` with its escapes decoded.
    AnsiCQuoted { text: String, span: Span },
    /// `"..."` (`$"..."` when `locale`).
    DoubleQuoted {
        parts: Vec<WordPart>,
        span: Span,
        locale: bool,
    },
    /// An unquoted glob: `*`, `?` or a bracket expression `[...]`.
    Glob { text: String, span: Span },
    /// `$name`, `$1`, `$@`, `${...}`.
    Param(Box<Param>),
    /// `$(list)` or `` `list` ``.
    CommandSubst {
        list: List,
        backquoted: bool,
        span: Span,
    },
    /// `$(( expression ))`
    Arith { expr: Word, span: Span },
    /// `<(list)` or `>(list)` (bash).
    ProcessSubst {
        list: List,
        output: bool,
        span: Span,
    },
    /// `(a b c)`: the value of an array assignment (bash).
    Array { words: Vec<Word>, span: Span },
}

impl WordPart {
    pub fn span(&self) -> Span {
        match self {
            WordPart::Literal { span, .. }
            | WordPart::Escaped { span, .. }
            | WordPart::SingleQuoted { span, .. }
            | WordPart::AnsiCQuoted { span, .. }
            | WordPart::DoubleQuoted { span, .. }
            | WordPart::Glob { span, .. }
            | WordPart::CommandSubst { span, .. }
            | WordPart::Arith { span, .. }
            | WordPart::ProcessSubst { span, .. }
            | WordPart::Array { span, .. } => *span,
            WordPart::Param(p) => p.span,
        }
    }

    /// The text of a piece that is nothing but text (literal, escape, single or ANSI-C quotes,
    /// glob).
    fn text(&self) -> Option<&str> {
        match self {
            WordPart::Literal { text, .. }
            | WordPart::Escaped { text, .. }
            | WordPart::SingleQuoted { text, .. }
            | WordPart::AnsiCQuoted { text, .. }
            | WordPart::Glob { text, .. } => Some(text),
            _ => None,
        }
    }

    fn push_static(&self, out: &mut String) -> bool {
        match self {
            WordPart::Literal { text, .. }
            | WordPart::Escaped { text, .. }
            | WordPart::SingleQuoted { text, .. }
            | WordPart::AnsiCQuoted { text, .. }
            | WordPart::Glob { text, .. } => {
                out.push_str(text);
                true
            }
            WordPart::DoubleQuoted { parts, .. } => parts.iter().all(|p| p.push_static(out)),
            WordPart::Param(_)
            | WordPart::CommandSubst { .. }
            | WordPart::Arith { .. }
            | WordPart::ProcessSubst { .. }
            | WordPart::Array { .. } => false,
        }
    }

    fn any(&self, f: &dyn Fn(&WordPart) -> bool) -> bool {
        f(self)
            || match self {
                WordPart::DoubleQuoted { parts, .. } => parts.iter().any(|p| p.any(f)),
                WordPart::Array { words, .. } => {
                    words.iter().any(|w| w.parts.iter().any(|p| p.any(f)))
                }
                _ => false,
            }
    }
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// `HOME`, `1`, `@`, `?`, ... (empty only in an invalid `${}`).
    pub name: String,
    /// `${...}` rather than `$name`.
    pub braced: bool,
    /// `${#name}`
    pub length: bool,
    /// `${!name}`
    pub indirect: bool,
    /// The text between the brackets of `${name[sub]}`.
    pub subscript: Option<String>,
    /// The operator: `:-`, `-`, `:=`, `=`, `:?`, `?`, `:+`, `+`, `#`, `##`, `%`, `%%`, `/`,
    /// `//`, `/#`, `/%`, `^`, `^^`, `,`, `,,`, `@`, `:` (substring); empty when the text after
    /// the name starts with none of them.
    pub op: Option<String>,
    /// The word after the operator, parsed (it can hold quotes and substitutions).
    pub arg: Option<Word>,
    pub span: Span,
}

impl Word {
    /// The word's value when it has no parameter, command, arithmetic or process substitution:
    /// quotes and escapes removed, globs kept as written (`*.deb` stays `*.deb`).
    pub fn static_value(&self) -> Option<String> {
        self.static_str().map(Cow::into_owned)
    }

    /// [`Word::static_value`], borrowed from the word when it is one piece of text (a plain,
    /// quoted or escaped word: most words), so asking costs no allocation.
    pub fn static_str(&self) -> Option<Cow<'_, str>> {
        if let [part] = self.parts.as_slice() {
            match part {
                WordPart::DoubleQuoted { parts, .. } => {
                    if let [inner] = parts.as_slice() {
                        if let Some(text) = inner.text() {
                            return Some(Cow::Borrowed(text));
                        }
                    }
                    if parts.is_empty() {
                        return Some(Cow::Borrowed(""));
                    }
                }
                _ => {
                    if let Some(text) = part.text() {
                        return Some(Cow::Borrowed(text));
                    }
                }
            }
        }
        let mut out = String::new();
        self.parts
            .iter()
            .all(|p| p.push_static(&mut out))
            .then_some(Cow::Owned(out))
    }

    /// True when [`Word::static_value`] equals `text`.
    pub fn is(&self, text: &str) -> bool {
        self.static_str().is_some_and(|v| v == text)
    }

    /// The word contains a parameter, command, arithmetic or process substitution (anywhere,
    /// quoted or not).
    pub fn has_expansion(&self) -> bool {
        self.parts.iter().any(|p| {
            p.any(&|p| {
                matches!(
                    p,
                    WordPart::Param(_)
                        | WordPart::CommandSubst { .. }
                        | WordPart::Arith { .. }
                        | WordPart::ProcessSubst { .. }
                )
            })
        })
    }

    /// The word contains a command substitution (`$(...)` or backquotes).
    pub fn has_command_substitution(&self) -> bool {
        self.parts
            .iter()
            .any(|p| p.any(&|p| matches!(p, WordPart::CommandSubst { .. })))
    }

    /// The word contains quoting: single, double or `$'...'` quotes, or a backslash escape.
    pub fn has_quotes(&self) -> bool {
        self.parts.iter().any(|p| {
            matches!(
                p,
                WordPart::SingleQuoted { .. }
                    | WordPart::AnsiCQuoted { .. }
                    | WordPart::DoubleQuoted { .. }
                    | WordPart::Escaped { .. }
            )
        })
    }

    /// The word contains an unquoted glob (`*`, `?`, `[...]`).
    pub fn has_glob(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, WordPart::Glob { .. }))
    }

    /// The word contains an unquoted bash brace expansion such as `{a,b}` or `{1..3}`.
    pub fn has_brace_expansion(&self) -> bool {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                WordPart::Literal { text: t, .. } => text.push_str(t),
                _ => text.push('\0'),
            }
        }
        let bytes = text.as_bytes();
        let mut open: Vec<(usize, bool)> = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'{' => open.push((i, false)),
                b',' => {
                    if let Some(last) = open.last_mut() {
                        last.1 = true;
                    }
                }
                b'.' if bytes.get(i + 1) == Some(&b'.') => {
                    if let Some(last) = open.last_mut() {
                        last.1 = true;
                    }
                }
                b'}' => {
                    if let Some((_, seen)) = open.pop() {
                        if seen {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Splits `NAME=value` (as written after `export`, `local`, `declare`, `readonly`,
    /// `typeset`) into an [`Assignment`]; `None` when the word does not start with an unquoted
    /// `NAME=`, `NAME+=` or `NAME[sub]=`.
    pub fn as_assignment(&self) -> Option<Assignment> {
        let (text, span) = match self.parts.first()? {
            WordPart::Literal { text, span } => (text, *span),
            _ => return None,
        };
        let prefix = assignment_prefix(text.as_bytes())?;
        let name = text.get(..prefix.name_end)?.to_string();
        let subscript = prefix
            .subscript
            .and_then(|(a, b)| text.get(a..b))
            .map(str::to_string);
        let rest = text.get(prefix.eq_end..).unwrap_or("");
        let direct = span.len() == text.len();
        let at = |i: usize| {
            if direct {
                span.start + i
            } else {
                span.start
            }
        };
        let mut parts = Vec::new();
        let value_start = at(prefix.eq_end);
        if !rest.is_empty() {
            parts.push(WordPart::Literal {
                text: rest.to_string(),
                span: Span::new(value_start, span.end),
            });
        }
        parts.extend(self.parts.iter().skip(1).cloned());
        let value_end = if parts.is_empty() {
            value_start
        } else {
            self.span.end
        };
        Some(Assignment {
            name,
            name_span: Span::new(span.start, at(prefix.name_end)),
            subscript,
            append: prefix.append,
            value: Word {
                parts,
                span: Span::new(value_start, value_end),
            },
            span: self.span,
        })
    }
}

/// Where the pieces of `NAME[sub]+=` end, in bytes.
pub(crate) struct AssignmentPrefix {
    pub name_end: usize,
    pub subscript: Option<(usize, usize)>,
    pub append: bool,
    pub eq_end: usize,
}

/// Recognises `NAME=`, `NAME+=`, `NAME[sub]=` at the start of `b`.
pub(crate) fn assignment_prefix(b: &[u8]) -> Option<AssignmentPrefix> {
    let first = *b.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let mut i = 1;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    let name_end = i;
    let mut subscript = None;
    if b.get(i) == Some(&b'[') {
        let mut depth = 0usize;
        let start = i + 1;
        loop {
            match b.get(i)? {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    return None
                }
                _ => {}
            }
            i += 1;
        }
        subscript = Some((start, i));
        i += 1;
    }
    let append = b.get(i) == Some(&b'+');
    if append {
        i += 1;
    }
    (b.get(i) == Some(&b'=')).then_some(AssignmentPrefix {
        name_end,
        subscript,
        append,
        eq_end: i + 1,
    })
}
