//! Custom hooks: each owns one piece of the page's machinery so components stay views.

mod use_parser;

pub use use_parser::{use_parser, ParseError, Parsed, ParserState, UseParserHandle};
