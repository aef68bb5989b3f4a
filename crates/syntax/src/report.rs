//! A flat, serializable summary of a parse for user interfaces: the outline and every
//! diagnostic with line/column positions computed here, at the edge.

use serde::Serialize;

use crate::{instructions, parse, Diagnostic, Instruction, LineCol, LineIndex, Severity};

/// What an editor needs after each keystroke.
#[derive(Clone, Debug, Serialize)]
pub struct ParseReport {
    pub instructions: Vec<OutlineEntry>,
    pub diagnostics: Vec<ReportDiagnostic>,
    /// The escape token in effect (`\` or `` ` ``).
    pub escape: char,
}

/// One instruction of the outline.
#[derive(Clone, Debug, Serialize)]
pub struct OutlineEntry {
    /// Upper-cased keyword as written (`RUN`, `ONBUILD`, or an unknown word).
    pub keyword: String,
    /// 1-based first and last line.
    pub line: usize,
    pub end_line: usize,
    /// The arguments on one line, shortened for display.
    pub summary: String,
    /// For FROM: the stage name after `AS`, if any.
    pub stage: Option<String>,
}

/// A diagnostic with its span resolved to positions.
#[derive(Clone, Debug, Serialize)]
pub struct ReportDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub start_offset: usize,
    pub end_offset: usize,
    pub start: LineCol,
    pub end: LineCol,
}

impl ReportDiagnostic {
    pub fn new(diagnostic: &Diagnostic, index: &LineIndex<'_>) -> Self {
        ReportDiagnostic {
            code: diagnostic.code,
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            start_offset: diagnostic.span.start,
            end_offset: diagnostic.span.end,
            start: index.line_col(diagnostic.span.start),
            end: index.line_col(diagnostic.span.end),
        }
    }
}

const SUMMARY_CHARS: usize = 80;

/// Parses `text` with both layers and summarises the result.
pub fn parse_report(text: &str) -> ParseReport {
    let parsed = parse(text);
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<&Diagnostic> = parsed.errors.iter().chain(&parsed.warnings).collect();
    let checked = instructions::check(&parsed.dockerfile);
    diagnostics.extend(&checked);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    ParseReport {
        instructions: parsed
            .dockerfile
            .instructions
            .iter()
            .map(outline_entry)
            .collect(),
        diagnostics: diagnostics
            .into_iter()
            .map(|d| ReportDiagnostic::new(d, &index))
            .collect(),
        escape: parsed.dockerfile.escape,
    }
}

fn outline_entry(instruction: &Instruction) -> OutlineEntry {
    let summary: String = instruction
        .original
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ");
    let summary = match summary.char_indices().nth(SUMMARY_CHARS) {
        Some((cut, _)) => format!("{}…", &summary[..cut]),
        None => summary,
    };
    let stage = match instruction.args.as_slice() {
        [_, as_word, name] if as_word.value.eq_ignore_ascii_case("as") => {
            Some(name.value.to_lowercase())
        }
        _ => None,
    }
    .filter(|_| instruction.kind == crate::Keyword::From);
    OutlineEntry {
        keyword: instruction.keyword.value.to_uppercase(),
        line: instruction.start_line,
        end_line: instruction.end_line,
        summary,
        stage,
    }
}
