//! `layerlab expand`: what will BuildKit make of this word?

use std::collections::BTreeMap;

use layerlab_syntax::shell::Lex;

use crate::{print, Failure};

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut words = false;
    let mut escape = '\\';
    let mut word = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--words" => words = true,
            "--env" => {
                let pair = iter
                    .next()
                    .ok_or_else(|| Failure::usage("--env needs NAME=VALUE"))?;
                let (name, value) = parse_env(pair)?;
                env.insert(name, value);
            }
            "--escape" => {
                escape = match iter.next().map(String::as_str) {
                    Some("\\") => '\\',
                    Some("`") => '`',
                    _ => return Err(Failure::usage("--escape must be \\ or `")),
                }
            }
            "--" => {
                word = iter.next().cloned();
                if let Some(extra) = iter.next() {
                    return Err(Failure::usage(format!(
                        "unexpected argument `{extra}` (quote the word to pass spaces)"
                    )));
                }
            }
            other => {
                if let Some(pair) = other.strip_prefix("--env=") {
                    let (name, value) = parse_env(pair)?;
                    env.insert(name, value);
                } else if other.starts_with('-') || word.is_some() {
                    return Err(Failure::usage(format!("unexpected argument `{other}`")));
                } else {
                    word = Some(other.to_owned());
                }
            }
        }
    }
    let word = word.ok_or_else(|| Failure::usage("expand needs a WORD (after --)"))?;
    let lex = Lex::new(escape);
    if words {
        let expanded = lex
            .process_words(&word, &env)
            .map_err(|e| Failure::error(format!("error: {}", e.message)))?;
        print(
            &expanded
                .iter()
                .map(|w| format!("{w}\n"))
                .collect::<String>(),
        )?;
    } else {
        let expanded = lex
            .process_word(&word, &env)
            .map_err(|e| Failure::error(format!("error: {}", e.message)))?;
        print(&format!("{expanded}\n"))?;
    }
    Ok(())
}

fn parse_env(pair: &str) -> Result<(String, String), Failure> {
    match pair.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(Failure::usage(format!(
            "--env expects NAME=VALUE, got `{pair}`"
        ))),
    }
}
