//! The Dockerfile grammar of BuildKit's frontend (`dockerfile/1.26`, moby/buildkit `73ed6825`).
//!
//! Two layers, as in BuildKit:
//! - [`parse`] is the lenient syntax layer: it never fails, and returns a lossless tree plus the
//!   errors BuildKit's `parser.Parse` would raise (BuildKit stops at the first; we keep going).
//! - [`instructions::check`] is the instruction layer: the errors BuildKit's
//!   `instructions.Parse` raises (argument counts, flags, ONBUILD rules, durations, ...).
//!
//! Spans are byte offsets into the source text. Line/column and UTF-16 positions are derived at
//! the edges with [`LineIndex`].

pub mod ast;
pub mod builtin_args;
pub mod dump;
pub mod expansion;
mod flags;
pub mod go_quote;
pub mod instructions;
mod json_array;
mod line_index;
mod line_parsers;
mod parser;
pub mod report;
pub mod shell;

pub use ast::{
    Diagnostic, Directive, Dockerfile, Flag, Heredoc, Instruction, Keyword, LineMap, Severity,
    Span, Word,
};
pub use line_index::{LineCol, LineIndex};
pub use parser::{parse, Parse};
