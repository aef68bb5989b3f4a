//! What the layerlab (`LLxxxx`) rules share: the sources of a COPY/ADD, and the commands of
//! the scripts of one instruction.

use std::borrow::Cow;

use layerlab_shell::CommandInfo;
use layerlab_syntax::{Instruction, Keyword, Word};

use crate::scripts::Script;
use crate::Context;

/// The source words of a COPY or ADD (the destination and heredoc markers excluded).
pub(crate) fn sources(instruction: &Instruction) -> &[Word] {
    if !matches!(instruction.kind, Keyword::Copy | Keyword::Add) {
        return &[];
    }
    match instruction.args.split_last() {
        Some((_, sources)) => sources,
        None => &[],
    }
}

/// The flag `--name`'s value, if given.
pub(crate) fn flag<'a>(instruction: &'a Instruction, name: &str) -> Option<&'a str> {
    instruction
        .flags
        .iter()
        .find(|f| f.name().eq_ignore_ascii_case(name))
        .map(|f| f.value().unwrap_or_default())
}

/// The scripts of the instruction (its shell-form command and shell heredocs).
pub(crate) fn scripts_of<'s, 'a>(
    cx: &'s Context<'a>,
    instruction: &Instruction,
) -> impl Iterator<Item = &'s Script<'a>> {
    let at = instruction.span;
    cx.scripts()
        .iter()
        .filter(move |s| s.instruction.span == at)
}

/// The program base name and static positional arguments of a command (through wrappers such
/// as `sudo` or `env`).
pub(crate) fn program_and_args<'a>(
    info: &CommandInfo<'a>,
) -> Option<(Cow<'a, str>, Vec<Cow<'a, str>>)> {
    let view = info.effective();
    let program = view.basename()?;
    let args = view
        .args()
        .iter()
        .map(|w| w.static_str().unwrap_or_default())
        .collect();
    Some((program, args))
}

/// The `key=value` fields of each `--mount` flag of a RUN.
pub(crate) fn mounts(instruction: &Instruction) -> Vec<Vec<(String, String)>> {
    instruction
        .flags
        .iter()
        .filter(|f| f.name().eq_ignore_ascii_case("mount"))
        .map(|f| {
            f.value()
                .unwrap_or_default()
                .split(',')
                .map(|field| match field.split_once('=') {
                    Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_owned()),
                    None => (field.trim().to_ascii_lowercase(), String::new()),
                })
                .collect()
        })
        .collect()
}

/// The value of `key` among a mount's fields.
pub(crate) fn field<'m>(mount: &'m [(String, String)], keys: &[&str]) -> Option<&'m str> {
    mount
        .iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .map(|(_, v)| v.as_str())
}
