//! An error-tolerant parser for the shell scripts of Dockerfile `RUN` instructions and heredoc
//! bodies: POSIX sh plus the bash features Dockerfiles use (`[[ ]]`, `(( ))`, arrays, `$'...'`,
//! `<(...)`, `|&`, `&>`, `<<<`, `function`).
//!
//! [`parse`] never fails and never panics: it returns the tree ([`List`]) and the
//! [`SyntaxError`]s it met, each with a byte [`Span`] into the input. Every node and word has
//! a span; words keep their parts (quotes, expansions, globs) and give their static value with
//! [`Word::static_value`]. The [`query`] module answers what lint rules ask: every simple
//! command with its context ([`List::commands`]), flags ([`CommandView::has_flag`],
//! [`CommandView::parse_args`]), wrappers ([`CommandView::unwrapped`]) and `set -e`/`pipefail`
//! ([`CommandInfo::options`], [`List::options_at`]).
//!
//! ```
//! use layerlab_shell::{parse, AndOrOp, ArgSpec};
//!
//! let script = "apt-get update && sudo apt-get install -y curl | tee /log || true";
//! let parsed = parse(script);
//! assert!(parsed.errors.is_empty());
//! let commands = parsed.commands();
//! let install = &commands[1];
//! assert_eq!(install.name().as_deref(), Some("sudo"));
//! let apt = install.effective(); // through `sudo`
//! assert!(apt.is("apt-get") && apt.has_flag(Some('y'), Some("yes")));
//! assert_eq!(apt.subcommand(&ArgSpec::NONE).as_deref(), Some("install"));
//! assert_eq!(install.command.span.slice(script), "sudo apt-get install -y curl");
//! assert!(install.in_pipeline() && !install.options.pipefail);
//! assert_eq!(install.preceded_by(), Some(AndOrOp::And));
//! assert_eq!(commands[2].followed_by(), Some(AndOrOp::Or));
//! ```
//!
//! The input is the script text as the shell would see it: for a `RUN` line, the command text
//! with the Dockerfile's line continuations already joined (map spans back to the file with
//! `layerlab_syntax`'s line map); for a heredoc, its body. Shell-level continuations
//! (`\` + newline) inside the text are handled here.

pub mod ast;
mod parser;
pub mod query;

pub use ast::*;
pub use parser::{MAX_DEPTH, MAX_ERRORS};
pub use query::{
    parse_args, walk, ArgFlag, ArgSpec, ArgValue, Args, CommandInfo, CommandView, Enclosing,
    PipelineInfo, ShellOptions, Visitor, WordRole, WRAPPERS,
};

/// The result of [`parse`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parse {
    pub script: List,
    /// Syntax errors in source order of discovery; the tree still holds everything parsed.
    pub errors: Vec<SyntaxError>,
    /// The spans of `#` comments (to the end of their line).
    pub comments: Vec<Span>,
}

impl Parse {
    /// Every simple command in the script; see [`List::commands`].
    pub fn commands(&self) -> Vec<CommandInfo<'_>> {
        self.script.commands()
    }
}

/// Parses a shell script. Never fails: problems are reported in [`Parse::errors`].
pub fn parse(script: &str) -> Parse {
    let (out, _aborted) = parser::Parser::new(script).run();
    Parse {
        script: out.list,
        errors: out.errors,
        comments: out.comments,
    }
}
