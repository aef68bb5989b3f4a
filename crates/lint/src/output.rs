//! Output formats: hadolint's (`tty`, `json`, `checkstyle`, `codeclimate`,
//! `gitlab_codeclimate`, `gnu`, `sarif`) with exact ranges where the format allows them.
//! Pure text in, text out, so the browser can produce the same reports as the CLI.

use layerlab_syntax::{LineCol, LineIndex};
use serde::Serialize;
use serde_json::{json, Value};

use crate::registry::meta_of;
use crate::{Finding, Fix, Level};

/// The findings of one file, with the text they point into.
pub struct FileReport<'a> {
    /// The name shown in reports (`/dev/stdin` for standard input, as hadolint does).
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Checkstyle,
    Codeclimate,
    GitlabCodeclimate,
    Gnu,
    Sarif,
}

impl Format {
    pub const NAMES: [&'static str; 7] = [
        "tty",
        "json",
        "checkstyle",
        "codeclimate",
        "gitlab_codeclimate",
        "gnu",
        "sarif",
    ];

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "tty" => Format::Tty,
            "json" => Format::Json,
            "checkstyle" => Format::Checkstyle,
            "codeclimate" => Format::Codeclimate,
            "gitlab_codeclimate" => Format::GitlabCodeclimate,
            "gnu" => Format::Gnu,
            "sarif" => Format::Sarif,
            _ => return None,
        })
    }
}

struct Located<'a> {
    path: &'a str,
    finding: &'a Finding,
    start: LineCol,
    end: LineCol,
}

fn located<'a>(files: &'a [FileReport<'a>]) -> Vec<Located<'a>> {
    let mut out = Vec::new();
    for file in files {
        let index = LineIndex::new(file.text);
        for finding in file.findings {
            out.push(Located {
                path: file.path,
                finding,
                start: index.line_col(finding.span.start),
                end: index.line_col(finding.span.end),
            });
        }
    }
    out
}

fn url(code: &str) -> String {
    meta_of(code).map_or_else(|| format!("https://layerlab.dev/rules/{code}"), |m| m.url())
}

/// Renders the reports; `color` only affects `tty`.
pub fn render(format: Format, files: &[FileReport<'_>], color: bool) -> String {
    let items = located(files);
    match format {
        Format::Tty => tty(&items, color),
        Format::Json => json_array(&items),
        Format::Checkstyle => checkstyle(files, &items),
        Format::Codeclimate => items
            .iter()
            .map(|l| codeclimate_issue(l).to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Format::GitlabCodeclimate => {
            Value::Array(items.iter().map(codeclimate_issue).collect()).to_string()
        }
        Format::Gnu => items
            .iter()
            .map(|l| {
                format!(
                    "layerlab:{}:{}.{}-{}.{}: {} {}: {}\n",
                    l.path,
                    l.start.line,
                    l.start.column,
                    l.end.line,
                    l.end.column,
                    l.finding.code,
                    l.finding.level.as_str(),
                    l.finding.message
                )
            })
            .collect(),
        Format::Sarif => sarif(&items),
    }
}

fn tty(items: &[Located<'_>], color: bool) -> String {
    let mut out = String::new();
    for l in items {
        let level = l.finding.level.as_str();
        let level = if color {
            let code = match l.finding.level {
                Level::Error => "31",
                Level::Warning => "33",
                Level::Info => "32",
                Level::Style | Level::Ignore => "36",
            };
            format!("\u{1b}[{code}m{level}\u{1b}[0m")
        } else {
            level.to_owned()
        };
        out.push_str(&format!(
            "{}:{}:{} {} {level}: {}\n",
            l.path, l.start.line, l.start.column, l.finding.code, l.finding.message
        ));
    }
    out
}

/// hadolint's JSON array (`code, column, file, level, line, message`; `line`/`column` are the
/// 1-based start) plus `endLine`, `endColumn`, `url` and `fix`.
fn json_array(items: &[Located<'_>]) -> String {
    /// One finding, its keys in hadolint's (alphabetical) order.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct JsonFinding<'a> {
        code: &'a str,
        column: usize,
        end_column: usize,
        end_line: usize,
        file: &'a str,
        fix: &'a Option<Fix>,
        level: &'a str,
        line: usize,
        message: &'a str,
        url: String,
    }
    let findings: Vec<JsonFinding<'_>> = items
        .iter()
        .map(|l| JsonFinding {
            code: l.finding.code,
            column: l.start.column,
            end_column: l.end.column,
            end_line: l.end.line,
            file: l.path,
            fix: &l.finding.fix,
            level: l.finding.level.as_str(),
            line: l.start.line,
            message: &l.finding.message,
            url: url(l.finding.code),
        })
        .collect();
    serde_json::to_string(&findings).unwrap_or_else(|_| "[]".to_owned())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn checkstyle(files: &[FileReport<'_>], items: &[Located<'_>]) -> String {
    let mut out = String::from("<?xml version='1.0' encoding='UTF-8'?><checkstyle version='4.3'>");
    for file in files {
        out.push_str(&format!("<file name='{}'>", xml_escape(file.path)));
        for l in items.iter().filter(|l| l.path == file.path) {
            let severity = match l.finding.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info | Level::Style | Level::Ignore => "info",
            };
            out.push_str(&format!(
                "<error line='{}' column='{}' severity='{severity}' message='{}' source='{}'/>",
                l.start.line,
                l.start.column,
                xml_escape(&l.finding.message),
                xml_escape(l.finding.code)
            ));
        }
        out.push_str("</file>");
    }
    out.push_str("</checkstyle>");
    out
}

/// 64-bit FNV-1a, for stable fingerprints (no cryptographic meaning).
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn codeclimate_issue(l: &Located<'_>) -> Value {
    let severity = match l.finding.level {
        Level::Error => "blocker",
        Level::Warning => "major",
        Level::Info => "minor",
        Level::Style | Level::Ignore => "info",
    };
    let line = l.start.line.to_string();
    json!({
        "type": "issue",
        "check_name": l.finding.code,
        "description": l.finding.message,
        "categories": ["Bug Risk"],
        "severity": severity,
        "fingerprint": fingerprint(&[l.path, l.finding.code, &line, &l.finding.message]),
        "location": {
            "path": l.path,
            "positions": {
                "begin": {"line": l.start.line, "column": l.start.column},
                "end": {"line": l.end.line, "column": l.end.column}
            },
            "lines": {"begin": l.start.line, "end": l.end.line}
        }
    })
}

fn sarif(items: &[Located<'_>]) -> String {
    let mut codes: Vec<&str> = items.iter().map(|l| l.finding.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            let summary = meta_of(code).map_or(*code, |m| m.summary);
            json!({"id": code, "shortDescription": {"text": summary}, "helpUri": url(code)})
        })
        .collect();
    let results: Vec<Value> = items
        .iter()
        .map(|l| {
            let level = match l.finding.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info | Level::Style | Level::Ignore => "note",
            };
            let language = if l.finding.code.starts_with("SC") {
                "sh"
            } else {
                "dockerfile"
            };
            json!({
                "ruleId": l.finding.code,
                "level": level,
                "message": {"text": l.finding.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": l.path},
                    "region": {
                        "startLine": l.start.line, "startColumn": l.start.column,
                        "endLine": l.end.line, "endColumn": l.end.column,
                        "sourceLanguage": language
                    }
                }}]
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "layerlab",
                "informationUri": "https://layerlab.dev",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    })
    .to_string()
}
