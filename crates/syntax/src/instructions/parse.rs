//! `ParseInstruction`: one instruction's parse-time validation (`instructions/parse.go` and
//! the RUN hooks), returning what the later stage and dispatch passes need.

use super::bflag::{self, spec, BFlags, Kind, Spec, Used};
use super::duration::{parse_duration, MINIMUM_DURATION};
use super::golang::{parse_int, parse_int_error, to_upper, with_suggestion};
use super::mount;
use super::{
    args_cover, value_span, CODE_ARGUMENTS, CODE_FLAG, CODE_HEALTHCHECK, CODE_MOUNT, CODE_ONBUILD,
    CODE_STAGE, CODE_UNKNOWN,
};
use crate::go_quote::{quote, to_lower, trim_space};
use crate::parser::parse_heredoc;
use crate::{Diagnostic, Flag, Instruction, Keyword, Span, Word};

/// What a valid instruction contributes.
#[derive(Debug)]
pub(crate) enum Parsed<'a> {
    /// A FROM: the lower-cased stage name and the base name as written.
    Stage {
        name: Option<String>,
        base: &'a str,
    },
    Command(Command<'a>),
}

#[derive(Debug)]
pub(crate) enum Command<'a> {
    Arg,
    Copy(Copy<'a>),
    Run(Run<'a>),
    Expose(&'a [Word]),
    StopSignal(&'a Word),
    /// ONBUILD and its trigger.
    Onbuild(&'a Instruction),
    Other,
}

/// COPY or ADD.
#[derive(Debug)]
pub(crate) struct Copy<'a> {
    pub add: bool,
    pub from: Option<Used<'a>>,
    pub chmod: Option<Used<'a>>,
    pub checksum: Option<Used<'a>>,
    /// The sources that are not heredocs.
    pub sources: Vec<&'a Word>,
}

#[derive(Debug)]
pub(crate) struct Run<'a> {
    pub mounts: Vec<RunMount<'a>>,
    pub devices: Vec<&'a Flag>,
}

#[derive(Debug)]
pub(crate) struct RunMount<'a> {
    pub flag: &'a Flag,
    pub value: &'a str,
    pub from: Option<String>,
}

/// BuildKit's instruction names, sorted (`allInstructionNames` iterates a Go map).
const INSTRUCTION_NAMES: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

const ADD_FLAGS: [Spec; 7] = [
    spec("chown", Kind::Str),
    spec("chmod", Kind::Str),
    spec("link", Kind::Bool),
    spec("keep-git-dir", Kind::Bool),
    spec("checksum", Kind::Str),
    spec("unpack", Kind::Bool),
    spec("exclude", Kind::Strs),
];
const COPY_FLAGS: [Spec; 6] = [
    spec("chown", Kind::Str),
    spec("from", Kind::Str),
    spec("chmod", Kind::Str),
    spec("link", Kind::Bool),
    spec("exclude", Kind::Strs),
    spec("parents", Kind::Bool),
];
const RUN_FLAGS: [Spec; 4] = [
    spec("device", Kind::Strs),
    spec("mount", Kind::Strs),
    spec("network", Kind::Str),
    spec("security", Kind::Str),
];
const HEALTHCHECK_DURATIONS: [&str; 4] = ["interval", "timeout", "start-period", "start-interval"];
const HEALTHCHECK_FLAGS: [Spec; 5] = [
    spec("interval", Kind::Str),
    spec("timeout", Kind::Str),
    spec("start-period", Kind::Str),
    spec("start-interval", Kind::Str),
    spec("retries", Kind::Str),
];

fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(code, message, span)
}

/// True when the syntax layer could not parse the arguments (BuildKit's `parser.Parse` fails
/// on this instruction, so its instruction layer never sees it).
pub(crate) fn parser_failed(ins: &Instruction) -> bool {
    let own = ins.args.is_empty()
        && !ins.args_span.is_empty()
        && !ins.json
        && matches!(
            ins.kind,
            Keyword::Env
                | Keyword::Label
                | Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Add
                | Keyword::Copy
                | Keyword::Volume
                | Keyword::Healthcheck
        );
    own || ins.trigger.as_deref().is_some_and(parser_failed)
}

/// Validates one instruction as `instructions.ParseInstruction` does.
pub(crate) fn instruction(ins: &Instruction) -> Result<Parsed<'_>, Diagnostic> {
    let no_flags: &[Spec] = &[];
    let command = match ins.kind {
        Keyword::Unknown => {
            let message = with_suggestion(
                format!("unknown instruction: {}", ins.keyword.value),
                &ins.keyword.value,
                &INSTRUCTION_NAMES,
                false,
            );
            return Err(error(CODE_UNKNOWN, message, ins.keyword.span));
        }
        Keyword::Env | Keyword::Label => {
            bflag::parse(&ins.flags, no_flags)?;
            let name = if ins.kind == Keyword::Env {
                "ENV"
            } else {
                "LABEL"
            };
            key_value_pairs(ins, name)?;
            Command::Other
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User => {
            let name = match ins.kind {
                Keyword::Maintainer => "MAINTAINER",
                Keyword::Workdir => "WORKDIR",
                _ => "USER",
            };
            exactly_one(ins, name)?;
            bflag::parse(&ins.flags, no_flags)?;
            Command::Other
        }
        Keyword::Add | Keyword::Copy => Command::Copy(copy(ins)?),
        Keyword::From => return from(ins),
        Keyword::Onbuild => Command::Onbuild(onbuild(ins)?),
        Keyword::Run => Command::Run(run(ins)?),
        Keyword::Cmd | Keyword::Entrypoint => {
            bflag::parse(&ins.flags, no_flags)?;
            Command::Other
        }
        Keyword::Healthcheck => {
            healthcheck(ins)?;
            Command::Other
        }
        Keyword::Expose => {
            at_least_one(ins, "EXPOSE")?;
            bflag::parse(&ins.flags, no_flags)?;
            Command::Expose(&ins.args)
        }
        Keyword::Volume => {
            at_least_one(ins, "VOLUME")?;
            bflag::parse(&ins.flags, no_flags)?;
            if let Some(empty) = ins.args.iter().find(|a| trim_space(&a.value).is_empty()) {
                return Err(error(
                    CODE_ARGUMENTS,
                    "VOLUME specified can not be an empty string",
                    empty.span,
                ));
            }
            Command::Other
        }
        Keyword::Stopsignal => {
            // BuildKit never parses STOPSIGNAL's flags: unknown ones are ignored.
            exactly_one(ins, "STOPSIGNAL")?;
            match ins.args.first() {
                Some(signal) => Command::StopSignal(signal),
                None => Command::Other,
            }
        }
        Keyword::Arg => {
            // Nor ARG's.
            at_least_one(ins, "ARG")?;
            if let Some(blank) = ins.args.iter().find(|a| a.value.starts_with('=')) {
                return Err(error(
                    CODE_ARGUMENTS,
                    "ARG names can not be blank",
                    blank.span,
                ));
            }
            Command::Arg
        }
        Keyword::Shell => {
            bflag::parse(&ins.flags, no_flags)?;
            if ins.args.is_empty() {
                return Err(error(
                    CODE_ARGUMENTS,
                    "SHELL requires at least one argument",
                    args_or_keyword(ins),
                ));
            }
            if !ins.json {
                return Err(error(
                    CODE_ARGUMENTS,
                    "SHELL requires the arguments to be in JSON form",
                    ins.args_span,
                ));
            }
            Command::Other
        }
    };
    Ok(Parsed::Command(command))
}

/// The arguments' source (`[]` included), or the keyword when there are none.
fn args_or_keyword(ins: &Instruction) -> Span {
    if ins.args_span.is_empty() {
        ins.keyword.span
    } else {
        ins.args_span
    }
}

fn at_least_one(ins: &Instruction, name: &str) -> Result<(), Diagnostic> {
    if ins.args.is_empty() {
        return Err(error(
            CODE_ARGUMENTS,
            format!("{name} requires at least one argument"),
            args_or_keyword(ins),
        ));
    }
    Ok(())
}

fn exactly_one(ins: &Instruction, name: &str) -> Result<(), Diagnostic> {
    if ins.args.len() != 1 {
        return Err(error(
            CODE_ARGUMENTS,
            format!("{name} requires exactly one argument"),
            args_cover(ins),
        ));
    }
    Ok(())
}

/// `parseKvps`: ENV and LABEL's `key, value, separator` triples.
fn key_value_pairs(ins: &Instruction, name: &str) -> Result<(), Diagnostic> {
    at_least_one(ins, name)?;
    if !ins.args.chunks_exact(3).remainder().is_empty() {
        return Err(error(
            CODE_ARGUMENTS,
            format!("Bad input to {name}, too many arguments"),
            args_cover(ins),
        ));
    }
    for pair in ins.args.chunks(3) {
        if let [key, value, _] = pair {
            if key.value.is_empty() {
                return Err(error(
                    CODE_ARGUMENTS,
                    format!("{name} names can not be blank"),
                    key.span.cover(value.span),
                ));
            }
        }
    }
    Ok(())
}

/// `strings.EqualFold(word, "as")`.
fn is_as(word: &str) -> bool {
    let mut chars = word.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some('a' | 'A'), Some('s' | 'S' | '\u{17f}'), None)
    )
}

/// `^[a-z][a-z0-9-_.]*$`.
fn valid_stage_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

fn from(ins: &Instruction) -> Result<Parsed<'_>, Diagnostic> {
    let name = match ins.args.as_slice() {
        [_, as_word, name] if is_as(&as_word.value) => {
            let lower = to_lower(&name.value);
            if !valid_stage_name(&lower) {
                return Err(error(
                    CODE_STAGE,
                    format!(
                        "invalid name for build stage: {}, name can't start with a number or contain symbols",
                        quote(&name.value)
                    ),
                    name.span,
                ));
            }
            Some(lower)
        }
        [_] => None,
        _ => {
            return Err(error(
                CODE_ARGUMENTS,
                "FROM requires either one or three arguments",
                args_cover(ins),
            ))
        }
    };
    bflag::parse(&ins.flags, &[spec("platform", Kind::Str)])?;
    let base = ins.args.first().map_or("", |w| w.value.as_str());
    Ok(Parsed::Stage { name, base })
}

fn onbuild(ins: &Instruction) -> Result<&Instruction, Diagnostic> {
    let Some(trigger) = ins.trigger.as_deref() else {
        return Err(error(
            CODE_ARGUMENTS,
            "ONBUILD requires at least one argument",
            ins.keyword.span,
        ));
    };
    bflag::parse(&ins.flags, &[])?;
    let name = to_upper(trim_space(&trigger.keyword.value));
    match name.as_str() {
        "ONBUILD" => Err(error(
            CODE_ONBUILD,
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            trigger.keyword.span,
        )),
        "MAINTAINER" | "FROM" => Err(error(
            CODE_ONBUILD,
            format!("{name} isn't allowed as an ONBUILD trigger"),
            trigger.keyword.span,
        )),
        _ => Ok(trigger),
    }
}

fn copy(ins: &Instruction) -> Result<Copy<'_>, Diagnostic> {
    let add = ins.kind == Keyword::Add;
    let name = if add { "ADD" } else { "COPY" };
    if ins.args.len() < 2 {
        return Err(error(
            CODE_ARGUMENTS,
            format!(
                "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
            args_cover(ins),
        ));
    }
    let flags: BFlags<'_> = bflag::parse(&ins.flags, if add { &ADD_FLAGS } else { &COPY_FLAGS })?;
    let (dest, sources) = match ins.args.split_last() {
        Some(split) => split,
        None => {
            return Err(error(
                CODE_ARGUMENTS,
                "missing destination",
                ins.keyword.span,
            ))
        }
    };
    if is_heredoc(&dest.value) {
        return Err(error(
            CODE_ARGUMENTS,
            format!("{name} cannot accept a heredoc as a destination"),
            dest.span,
        ));
    }
    Ok(Copy {
        add,
        from: flags.get("from"),
        chmod: flags.get("chmod"),
        checksum: flags.get("checksum"),
        sources: sources.iter().filter(|w| !is_heredoc(&w.value)).collect(),
    })
}

/// `parser.MustParseHeredoc(word) != nil`.
fn is_heredoc(word: &str) -> bool {
    matches!(parse_heredoc(word), Ok(Some(_)))
}

fn run(ins: &Instruction) -> Result<Run<'_>, Diagnostic> {
    let flags = bflag::parse(&ins.flags, &RUN_FLAGS)?;
    // Post hooks, in BuildKit's order: devices, mounts, network, security.
    let devices: Vec<&Flag> = flags.all("device").map(|u| u.flag).collect();
    for device in flags.all("device") {
        mount::parse_device(device.value)
            .map_err(|e| error(CODE_FLAG, e.message, value_span(device.flag, e.range)))?;
    }
    let mut mounts = Vec::new();
    for used in flags.all("mount") {
        let source = mount::parse_time(used.value)
            .map_err(|e| error(CODE_MOUNT, e.message, value_span(used.flag, e.range)))?;
        mounts.push(RunMount {
            flag: used.flag,
            value: used.value,
            from: source.from,
        });
    }
    if let Some(network) = flags.get("network") {
        if !matches!(network.value, "default" | "none" | "host") {
            return Err(error(
                CODE_FLAG,
                format!("invalid network mode {}", quote(network.value)),
                network.flag.span,
            ));
        }
    }
    if let Some(security) = flags.get("security") {
        if !matches!(security.value, "sandbox" | "insecure") {
            return Err(error(
                CODE_FLAG,
                format!("security {} is not valid", quote(security.value)),
                security.flag.span,
            ));
        }
    }
    Ok(Run { mounts, devices })
}

fn healthcheck(ins: &Instruction) -> Result<(), Diagnostic> {
    let Some((kind, rest)) = ins.args.split_first() else {
        return Err(error(
            CODE_ARGUMENTS,
            "HEALTHCHECK requires at least one argument",
            ins.keyword.span,
        ));
    };
    let typ = to_upper(&kind.value);
    if typ == "NONE" {
        // Flags are never parsed for NONE.
        if let (Some(first), Some(last)) = (rest.first(), rest.last()) {
            return Err(error(
                CODE_HEALTHCHECK,
                "HEALTHCHECK NONE takes no arguments",
                first.span.cover(last.span),
            ));
        }
        return Ok(());
    }
    let flags = bflag::parse(&ins.flags, &HEALTHCHECK_FLAGS)?;
    if typ != "CMD" {
        return Err(error(
            CODE_HEALTHCHECK,
            format!("Unknown type {} in HEALTHCHECK (try CMD)", quote(&typ)),
            kind.span,
        ));
    }
    if rest.is_empty() {
        return Err(error(
            CODE_HEALTHCHECK,
            "Missing command after HEALTHCHECK CMD",
            kind.span,
        ));
    }
    for name in HEALTHCHECK_DURATIONS {
        let Some(used) = flags.get(name).filter(|u| !u.value.is_empty()) else {
            continue;
        };
        let duration =
            parse_duration(used.value).map_err(|e| error(CODE_HEALTHCHECK, e, used.flag.span))?;
        if duration != 0 && duration < MINIMUM_DURATION {
            return Err(error(
                CODE_HEALTHCHECK,
                format!("Interval {} cannot be less than 1ms", quote(name)),
                used.flag.span,
            ));
        }
    }
    if let Some(used) = flags.get("retries").filter(|u| !u.value.is_empty()) {
        let retries = parse_int(used.value, 32).map_err(|e| {
            error(
                CODE_HEALTHCHECK,
                parse_int_error(used.value, e),
                used.flag.span,
            )
        })?;
        if retries < 0 {
            return Err(error(
                CODE_HEALTHCHECK,
                format!("--retries cannot be negative ({retries})"),
                used.flag.span,
            ));
        }
    }
    Ok(())
}
