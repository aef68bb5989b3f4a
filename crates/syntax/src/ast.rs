//! The syntax tree. Every node carries a byte [`Span`] into the source text; nothing stores
//! line/column (see [`crate::LineIndex`]).

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
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
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// The instruction keywords BuildKit's parser dispatches on (case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Kept by the syntax layer like BuildKit's `parseIgnore`; rejected by the instruction layer.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Looks up a keyword that has already been lower-cased the way Go's `strings.ToLower` does.
    pub fn from_lowercase(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_lowercase() == word)
            .unwrap_or(Keyword::Unknown)
    }

    pub fn as_lowercase(self) -> &'static str {
        match self {
            Keyword::Add => "add",
            Keyword::Arg => "arg",
            Keyword::Cmd => "cmd",
            Keyword::Copy => "copy",
            Keyword::Entrypoint => "entrypoint",
            Keyword::Env => "env",
            Keyword::Expose => "expose",
            Keyword::From => "from",
            Keyword::Healthcheck => "healthcheck",
            Keyword::Label => "label",
            Keyword::Maintainer => "maintainer",
            Keyword::Onbuild => "onbuild",
            Keyword::Run => "run",
            Keyword::Shell => "shell",
            Keyword::Stopsignal => "stopsignal",
            Keyword::User => "user",
            Keyword::Volume => "volume",
            Keyword::Workdir => "workdir",
            Keyword::Unknown => "",
        }
    }

    /// Instructions whose shell-form line may open heredocs.
    pub fn can_contain_heredoc(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }
}

/// One word of an instruction as BuildKit's AST holds it (quotes and escapes kept where
/// BuildKit keeps them), with the span of its source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Word {
    pub value: String,
    pub span: Span,
}

/// A builder flag such as `--from=build` or `--link`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag as BuildKit stores it: `--` included, quotes removed, escapes applied.
    pub text: String,
    pub span: Span,
}

impl Flag {
    /// The name without the leading dashes: `from` for `--from=build`.
    pub fn name(&self) -> &str {
        let body = self.text.trim_start_matches('-');
        body.split_once('=').map_or(body, |(name, _)| name)
    }

    /// The value after the first `=`, if any.
    pub fn value(&self) -> Option<&str> {
        self.text.split_once('=').map(|(_, value)| value)
    }
}

/// A here-document attached to a RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The terminator word, with quotes removed.
    pub name: String,
    pub file_descriptor: u32,
    /// False when any part of the delimiter was quoted: the body is then used verbatim.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from body lines and the terminator.
    pub chomp: bool,
    /// The body, each line with its original line ending; unchomped.
    pub content: String,
    /// The body lines in the source (empty at the terminator when the body is empty).
    pub body_span: Span,
    /// The terminator line, without its line ending.
    pub terminator_span: Span,
}

/// One instruction, possibly spanning continuation lines and heredoc bodies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Instruction {
    pub keyword: Word,
    pub kind: Keyword,
    /// From the keyword to the end of the last line the instruction consumed (line ending
    /// excluded).
    pub span: Span,
    /// BuildKit's 1-based `StartLine`/`EndLine`.
    pub start_line: usize,
    pub end_line: usize,
    /// The logical line after joining continuations (BuildKit's `Original`, without heredocs).
    pub original: String,
    pub flags: Vec<Flag>,
    /// BuildKit's `Next` chain: the arguments as the AST parser split them. ENV and LABEL give
    /// `key, value, separator` triples (separator `=` or empty for the legacy `KEY value` form).
    pub args: Vec<Word>,
    /// The arguments were a JSON string array (exec form).
    pub json: bool,
    /// The instruction wrapped by ONBUILD.
    pub trigger: Option<Box<Instruction>>,
    pub heredocs: Vec<Heredoc>,
    /// The comment lines directly above the instruction (BuildKit's `PrevComment`).
    pub comments: Vec<String>,
    /// The span where arguments (after the flags) begin and end, in the source.
    pub args_span: Span,
    /// Where the arguments start in [`Instruction::original`]: a shell-form command is
    /// `original[args_offset..]`, and [`Instruction::map_original`] turns ranges in it into
    /// file spans even across continuation lines.
    #[serde(skip)]
    pub args_offset: usize,
    #[serde(skip)]
    pub line_map: LineMap,
}

/// Maps byte offsets of an instruction's logical line ([`Instruction::original`]) back to the
/// file: each entry is a piece of one physical line, `(offset in original, offset in file)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap {
    pub(crate) segments: Vec<(usize, usize)>,
    pub(crate) origin: usize,
}

impl LineMap {
    /// The file offset of an offset in the logical line; `end` picks the piece that ends
    /// there, so a range never spills onto the next physical line.
    pub fn file_offset(&self, at: usize, end: bool) -> usize {
        let index = if end {
            self.segments.partition_point(|&(start, _)| start < at)
        } else {
            self.segments.partition_point(|&(start, _)| start <= at)
        };
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(logical, file)) => file + (at - logical),
            None => self.segments.first().map_or(self.origin, |&(_, file)| file),
        }
    }

    /// The file span of a range of the logical line.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.file_offset(range.start, false);
        if range.is_empty() {
            return Span::empty(start);
        }
        Span::new(start, self.file_offset(range.end, true).max(start))
    }
}

impl Instruction {
    /// The instruction that actually does the work: the ONBUILD trigger, or itself.
    pub fn effective(&self) -> &Instruction {
        match &self.trigger {
            Some(trigger) => trigger,
            None => self,
        }
    }

    /// The file span of a byte range of [`Instruction::original`].
    pub fn map_original(&self, range: std::ops::Range<usize>) -> Span {
        self.line_map.span(range)
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name() == name)
    }
}

/// A parser directive (`# syntax=`, `# escape=`, `# check=`) at the top of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-cased key.
    pub name: String,
    pub value: String,
    pub span: Span,
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    /// Spans of comment lines outside heredoc bodies (directives included).
    pub comments: Vec<Span>,
    /// The escape token: `\` or `` ` ``.
    pub escape: char,
    pub has_bom: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the source, with a precise byte span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// A stable identifier: `syntax/...` for parser errors, `instruction/...` for the
    /// instruction layer, or a BuildKit check name such as `NoEmptyContinuation`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity: Severity::Warning,
            message: message.into(),
            span,
        }
    }
}
