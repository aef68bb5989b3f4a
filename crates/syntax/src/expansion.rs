//! Which parts of each instruction BuildKit expands, and how (`dockerfile2llb` `dispatch` and
//! the `Expand` methods of `instructions/commands.go`).
//!
//! RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK and MAINTAINER are never expanded by the frontend
//! (the shell does it at run time, if at all). ONBUILD triggers are expanded when they fire in
//! a child build, not where they are written.

use crate::{Instruction, Keyword, Span};

/// How a piece is expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `ProcessWord`: one word out, quotes removed.
    Word,
    /// `ProcessWords`: split into several words after expansion (EXPOSE).
    Words,
    /// A COPY/ADD heredoc body with an unquoted delimiter: variables expand, quotes stay
    /// (`SkipProcessQuotes`), and the escape token is always `\`.
    HeredocBody,
}

/// Which variables are visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The stage's environment: the base image's ENV, then ENV and declared ARGs in order.
    Stage,
    /// Only the ARGs declared before the first FROM (FROM's image and `--platform`).
    GlobalArgs,
}

/// One piece of an instruction that BuildKit expands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expandable<'a> {
    /// What the piece is, for messages: `source`, `destination`, `ENV value`, `--chown`, ...
    pub role: &'static str,
    pub text: &'a str,
    pub span: Span,
    pub mode: Mode,
    pub scope: Scope,
}

/// The pieces of `instruction` that BuildKit expands, in source order.
pub fn expandables(instruction: &Instruction) -> Vec<Expandable<'_>> {
    let mut out = Vec::new();
    collect(instruction, &mut out);
    out
}

fn collect<'a>(instruction: &'a Instruction, out: &mut Vec<Expandable<'a>>) {
    let piece = |role, text: &'a str, span, mode, scope| Expandable {
        role,
        text,
        span,
        mode,
        scope,
    };
    let flag = |name: &str| instruction.flags.iter().find(|f| f.name() == name);
    let args = &instruction.args;
    match instruction.kind {
        Keyword::Env | Keyword::Label => {
            let (key_role, value_role) = if instruction.kind == Keyword::Env {
                ("ENV name", "ENV value")
            } else {
                ("LABEL name", "LABEL value")
            };
            for triple in args.chunks(3) {
                if let [key, value, ..] = triple {
                    out.push(piece(
                        key_role,
                        &key.value,
                        key.span,
                        Mode::Word,
                        Scope::Stage,
                    ));
                    out.push(piece(
                        value_role,
                        &value.value,
                        value.span,
                        Mode::Word,
                        Scope::Stage,
                    ));
                }
            }
        }
        Keyword::Add | Keyword::Copy => {
            let flags: &[&str] = if instruction.kind == Keyword::Add {
                &["chown", "chmod", "checksum"]
            } else {
                &["chown", "chmod"]
            };
            for name in flags {
                if let Some(f) = flag(name) {
                    out.push(flag_value(f, Scope::Stage));
                }
            }
            let last = args.len().saturating_sub(1);
            for (i, word) in args.iter().enumerate() {
                let is_heredoc = !instruction.heredocs.is_empty()
                    && crate::parser::parse_heredoc(&word.value).is_ok_and(|h| h.is_some());
                if is_heredoc {
                    continue;
                }
                let role = if i == last { "destination" } else { "source" };
                out.push(piece(
                    role,
                    &word.value,
                    word.span,
                    Mode::Word,
                    Scope::Stage,
                ));
            }
            for heredoc in instruction.heredocs.iter().filter(|h| h.expand) {
                out.push(piece(
                    "heredoc body",
                    &heredoc.content,
                    heredoc.body_span,
                    Mode::HeredocBody,
                    Scope::Stage,
                ));
            }
        }
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Volume => {
            let role = match instruction.kind {
                Keyword::Workdir => "WORKDIR path",
                Keyword::User => "USER",
                Keyword::Stopsignal => "STOPSIGNAL",
                _ => "VOLUME path",
            };
            for word in args {
                out.push(piece(
                    role,
                    &word.value,
                    word.span,
                    Mode::Word,
                    Scope::Stage,
                ));
            }
        }
        Keyword::Expose => {
            for word in args {
                out.push(piece(
                    "port",
                    &word.value,
                    word.span,
                    Mode::Words,
                    Scope::Stage,
                ));
            }
        }
        Keyword::Arg => {
            for word in args {
                if let Some((name, default)) = word.value.split_once('=') {
                    let start = (word.span.start + name.len() + 1).min(word.span.end);
                    out.push(piece(
                        "ARG default",
                        default,
                        Span::new(start, word.span.end),
                        Mode::Word,
                        Scope::Stage,
                    ));
                }
            }
        }
        Keyword::From => {
            if let Some(f) = flag("platform") {
                out.push(flag_value(f, Scope::GlobalArgs));
            }
            if let Some(image) = args.first() {
                out.push(piece(
                    "base image",
                    &image.value,
                    image.span,
                    Mode::Word,
                    Scope::GlobalArgs,
                ));
            }
        }
        Keyword::Run => {
            for mount in instruction.flags.iter().filter(|f| f.name() == "mount") {
                let Some(value) = mount.value() else { continue };
                for field in value.split(',') {
                    match field.split_once('=') {
                        Some((key, option)) if !key.eq_ignore_ascii_case("from") => {
                            out.push(piece(
                                "--mount option",
                                option,
                                mount.span,
                                Mode::Word,
                                Scope::Stage,
                            ));
                        }
                        _ => {}
                    }
                }
            }
        }
        Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Shell
        | Keyword::Healthcheck
        | Keyword::Maintainer
        | Keyword::Onbuild
        | Keyword::Unknown => {}
    }
}

fn flag_value(flag: &crate::Flag, scope: Scope) -> Expandable<'_> {
    let role = match flag.name() {
        "chown" => "--chown",
        "chmod" => "--chmod",
        "checksum" => "--checksum",
        "platform" => "--platform",
        _ => "flag",
    };
    Expandable {
        role,
        text: flag.value().unwrap_or_default(),
        span: flag.span,
        mode: Mode::Word,
        scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn pieces(text: &str) -> Vec<(String, String, Mode, Scope)> {
        let parsed = parse(text);
        parsed
            .dockerfile
            .instructions
            .iter()
            .flat_map(expandables)
            .map(|e| (e.role.to_owned(), e.text.to_owned(), e.mode, e.scope))
            .collect()
    }

    #[test]
    fn lists_what_buildkit_expands() {
        let got = pieces(
            "ARG TAG=1\nFROM --platform=$P img:$TAG\nENV A=$B\nRUN echo $A\nCOPY --chown=$U --from=x $S /d\nEXPOSE $PORTS\nCMD $X\nARG N V=$W\n",
        );
        let words = |r: &str, t: &str, m, s| (r.to_owned(), t.to_owned(), m, s);
        assert_eq!(
            got,
            vec![
                words("ARG default", "1", Mode::Word, Scope::Stage),
                words("--platform", "$P", Mode::Word, Scope::GlobalArgs),
                words("base image", "img:$TAG", Mode::Word, Scope::GlobalArgs),
                words("ENV name", "A", Mode::Word, Scope::Stage),
                words("ENV value", "$B", Mode::Word, Scope::Stage),
                words("--chown", "$U", Mode::Word, Scope::Stage),
                words("source", "$S", Mode::Word, Scope::Stage),
                words("destination", "/d", Mode::Word, Scope::Stage),
                words("port", "$PORTS", Mode::Words, Scope::Stage),
                words("ARG default", "$W", Mode::Word, Scope::Stage),
            ]
        );
    }

    #[test]
    fn heredoc_bodies_expand_only_with_unquoted_delimiters() {
        let got = pieces("FROM a\nCOPY <<EOF <<'RAW' /d/\n$X\nEOF\n$Y\nRAW\n");
        assert_eq!(
            got,
            vec![
                (
                    "base image".to_owned(),
                    "a".to_owned(),
                    Mode::Word,
                    Scope::GlobalArgs
                ),
                (
                    "destination".to_owned(),
                    "/d/".to_owned(),
                    Mode::Word,
                    Scope::Stage
                ),
                (
                    "heredoc body".to_owned(),
                    "$X\n".to_owned(),
                    Mode::HeredocBody,
                    Scope::Stage
                ),
            ]
        );
    }
}
