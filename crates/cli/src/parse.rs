//! `layerlab parse`: BuildKit's AST dump, or the full tree as JSON.

use layerlab_syntax::dump::buildkit_dump;
use layerlab_syntax::report::ReportDiagnostic;
use layerlab_syntax::{instructions, parse, LineIndex};
use serde_json::{json, Value};

use crate::{input, print, Failure};

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Buildkit,
    Json,
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let mut format = Format::Buildkit;
    let mut path = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = match arg.as_str() {
            "--format" => Some(
                iter.next()
                    .ok_or_else(|| Failure::usage("--format needs a value"))?
                    .as_str(),
            ),
            other => other.strip_prefix("--format="),
        };
        match (value, arg.as_str()) {
            (Some("buildkit"), _) => format = Format::Buildkit,
            (Some("json"), _) => format = Format::Json,
            (Some(other), _) => {
                return Err(Failure::usage(format!(
                    "unknown format `{other}` (expected buildkit or json)"
                )))
            }
            (None, file) if path.is_none() && (file == "-" || !file.starts_with('-')) => {
                path = Some(file.to_owned());
            }
            (None, other) => return Err(Failure::usage(format!("unexpected argument `{other}`"))),
        }
    }
    let path = path.ok_or_else(|| Failure::usage("parse needs a FILE (or - for stdin)"))?;
    let source = input::read(&path)?;
    let parsed = parse(&source.text);
    match format {
        Format::Buildkit => {
            if let Some(error) = parsed.buildkit_error() {
                let position = LineIndex::new(&source.text).line_col(error.span.start);
                return Err(Failure::error(format!(
                    "{}:{}:{}: error: {}",
                    source.name, position.line, position.column, error.message
                )));
            }
            print(&format!("{}\n", buildkit_dump(&parsed.dockerfile)))?;
        }
        Format::Json => {
            let index = LineIndex::new(&source.text);
            let checked = instructions::check(&parsed.dockerfile);
            let diagnostics: Vec<ReportDiagnostic> = parsed
                .errors
                .iter()
                .chain(&parsed.warnings)
                .chain(&checked)
                .map(|d| ReportDiagnostic::new(d, &index))
                .collect();
            let mut tree = serde_json::to_value(&parsed.dockerfile)
                .map_err(|e| Failure::error(format!("error: cannot serialize: {e}")))?;
            add_positions(&mut tree, &index);
            let out = json!({
                "file": source.name,
                "accepted_by_buildkit": parsed.buildkit_error().is_none(),
                "dockerfile": tree,
                "diagnostics": diagnostics,
            });
            let text = serde_json::to_string_pretty(&out)
                .map_err(|e| Failure::error(format!("error: cannot serialize: {e}")))?;
            print(&format!("{text}\n"))?;
        }
    }
    Ok(())
}

/// Adds `start_pos`/`end_pos` (line, column, UTF-16 column) beside every span in the tree.
fn add_positions(value: &mut Value, index: &LineIndex<'_>) {
    match value {
        Value::Object(map) => {
            let span = match (map.get("start"), map.get("end"), map.len()) {
                (Some(Value::Number(start)), Some(Value::Number(end)), 2) => {
                    start.as_u64().zip(end.as_u64())
                }
                _ => None,
            };
            if let Some((start, end)) = span {
                let to_json = |offset: u64| {
                    serde_json::to_value(index.line_col(offset as usize)).unwrap_or(Value::Null)
                };
                map.insert("start_pos".into(), to_json(start));
                map.insert("end_pos".into(), to_json(end));
                return;
            }
            map.values_mut().for_each(|v| add_positions(v, index));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| add_positions(v, index)),
        _ => {}
    }
}
