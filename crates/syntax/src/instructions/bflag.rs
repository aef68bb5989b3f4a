//! BuildKit's `BFlags.Parse()` (`instructions/bflag.go`): per-instruction builder flags.

use super::golang::with_suggestion;
use super::CODE_FLAG;
use crate::go_quote::to_lower;
use crate::{Diagnostic, Flag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--link`, `--link=true|false` (any case).
    Bool,
    /// `--from=x`; once.
    Str,
    /// `--mount=x`; may repeat.
    Strs,
}

/// A flag an instruction declares.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    pub name: &'static str,
    pub kind: Kind,
}

pub(crate) const fn spec(name: &'static str, kind: Kind) -> Spec {
    Spec { name, kind }
}

/// A flag as used on the instruction.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Used<'a> {
    pub name: &'static str,
    pub flag: &'a Flag,
    /// The text after the first `=` (empty when there is none).
    pub value: &'a str,
}

/// The result of a successful parse.
#[derive(Debug, Default)]
pub(crate) struct BFlags<'a> {
    pub used: Vec<Used<'a>>,
}

impl<'a> BFlags<'a> {
    /// The value of a string flag (flags that may not repeat have one use at most).
    pub fn get(&self, name: &str) -> Option<Used<'a>> {
        self.used.iter().rev().find(|u| u.name == name).copied()
    }

    /// Every use of a repeatable flag, in order.
    pub fn all(&self, name: &'a str) -> impl Iterator<Item = Used<'a>> + '_ {
        self.used.iter().filter(move |u| u.name == name).copied()
    }
}

/// Parses `flags` against the declared `specs`. The first error wins, as in BuildKit.
pub(crate) fn parse<'a>(flags: &'a [Flag], specs: &[Spec]) -> Result<BFlags<'a>, Diagnostic> {
    let mut parsed = BFlags::default();
    let mut names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    names.sort_unstable();
    for flag in flags {
        let text = flag.text.as_str();
        if text == "--" {
            break;
        }
        let Some(body) = text.strip_prefix("--") else {
            return Err(error(format!("arg should start with -- : {text}"), flag));
        };
        let (arg, value, has_value) = match body.split_once('=') {
            Some((arg, value)) => (arg, value, true),
            None => (body, "", false),
        };
        let flag_name = &text[..2 + arg.len()];
        let Some(spec) = specs.iter().find(|s| s.name == arg) else {
            let message = with_suggestion(format!("unknown flag: {flag_name}"), arg, &names, true);
            return Err(error(message, flag));
        };
        if spec.kind != Kind::Strs && parsed.used.iter().any(|u| u.name == spec.name) {
            return Err(error(
                format!("duplicate flag specified: {flag_name}"),
                flag,
            ));
        }
        match spec.kind {
            Kind::Bool => {
                if has_value && value.is_empty() {
                    return Err(error(format!("missing a value on flag: {flag_name}"), flag));
                }
                match to_lower(value).as_str() {
                    "true" | "" | "false" => {}
                    _ => {
                        return Err(error(
                            format!("expecting boolean value for flag {flag_name}, not: {value}"),
                            flag,
                        ))
                    }
                }
            }
            Kind::Str | Kind::Strs => {
                if !has_value {
                    return Err(error(format!("missing a value on flag: {flag_name}"), flag));
                }
            }
        }
        parsed.used.push(Used {
            name: spec.name,
            flag,
            value,
        });
    }
    Ok(parsed)
}

fn error(message: String, flag: &Flag) -> Diagnostic {
    Diagnostic::error(CODE_FLAG, message, flag.span)
}
