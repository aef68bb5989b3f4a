//! The JavaScript face of the layerlab core ([`layerlab_syntax`], [`layerlab_lint`]): the one
//! crate that speaks wasm-bindgen. Rust types stay plain in the core; here they become plain
//! JS objects.
//!
//! Values cross as JSON-compatible objects (no `Map`, `null` for absent fields), so a caller
//! can `JSON.stringify` them or pass them through `postMessage` unchanged.

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** 1-based; `utf16_column` counts UTF-16 code units as JavaScript strings do. */
export interface LineCol { line: number; column: number; utf16_column: number }
export interface OutlineEntry {
  keyword: string; line: number; end_line: number; summary: string; stage: string | null;
}
export interface ReportDiagnostic {
  code: string; severity: "error" | "warning"; message: string;
  /** UTF-8 byte offsets into the parsed text. */
  start_offset: number; end_offset: number;
  start: LineCol; end: LineCol;
}
export interface ParseReport {
  instructions: OutlineEntry[]; diagnostics: ReportDiagnostic[]; escape: string;
}
export interface TextEdit { span: { start: number; end: number }; replacement: string }
export interface LintFix { title: string; safe: boolean; edits: TextEdit[] }
export interface Finding {
  code: string; severity: "error" | "warning" | "info" | "style"; message: string;
  start_offset: number; end_offset: number; start: LineCol; end: LineCol;
  /** The rule's documentation page. */
  url: string; fix: LintFix | null;
}
/** The outline plus every lint finding (syntax errors included, as DL1000). */
export interface Analysis {
  instructions: OutlineEntry[]; diagnostics: Finding[]; escape: string;
}
"#;

/// A lint finding with its positions resolved for an editor.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub start_offset: usize,
    pub end_offset: usize,
    pub start: layerlab_syntax::LineCol,
    pub end: layerlab_syntax::LineCol,
    pub url: String,
    pub fix: Option<layerlab_lint::Fix>,
}

/// The outline and every lint finding: what the editor shows (see `Analysis` in the types).
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub instructions: Vec<layerlab_syntax::report::OutlineEntry>,
    pub diagnostics: Vec<Finding>,
    pub escape: char,
}

/// [`analyze`] without the JavaScript conversion, for native callers and tests.
pub fn analysis(text: &str) -> Analysis {
    let report = layerlab_syntax::report::parse_report(text);
    let found = layerlab_lint::lint(text, &layerlab_lint::LintOptions::default());
    Analysis {
        instructions: report.instructions,
        diagnostics: findings(text, &found),
        escape: report.escape,
    }
}

fn findings(text: &str, findings: &[layerlab_lint::Finding]) -> Vec<Finding> {
    let index = layerlab_syntax::LineIndex::new(text);
    findings
        .iter()
        .map(|f| Finding {
            code: f.code,
            severity: f.level.as_str(),
            message: f.message.clone(),
            start_offset: f.span.start,
            end_offset: f.span.end,
            start: index.line_col(f.span.start),
            end: index.line_col(f.span.end),
            url: layerlab_lint::registry::meta_of(f.code).map_or_else(String::new, |m| m.url()),
            fix: f.fix.clone(),
        })
        .collect()
}

/// Lints a Dockerfile with the default configuration: every finding, syntax errors included.
#[wasm_bindgen(unchecked_return_type = "Finding[]")]
pub fn lint(text: &str) -> Result<JsValue, JsError> {
    panic_hook::install();
    let found = layerlab_lint::lint(text, &layerlab_lint::LintOptions::default());
    to_js(&findings(text, &found))
}

/// What an editor shows after each keystroke: the outline and every lint finding.
#[wasm_bindgen(unchecked_return_type = "Analysis")]
pub fn analyze(text: &str) -> Result<JsValue, JsError> {
    panic_hook::install();
    to_js(&analysis(text))
}

/// Parses a Dockerfile. Never fails on bad input: problems come back as diagnostics. The
/// `Err` case is only a value that could not be converted for JavaScript.
#[wasm_bindgen(unchecked_return_type = "ParseReport")]
pub fn parse(text: &str) -> Result<JsValue, JsError> {
    panic_hook::install();
    to_js(&layerlab_syntax::report::parse_report(text))
}

/// The version of this package (and of the parser, which is released with it).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsError::new(&error.to_string()))
}

/// Sends a panic's message to `console.error`: without it a trap says only "unreachable".
/// It is a diagnostic aid; the parser is written not to panic at all.
mod panic_hook {
    #[cfg(target_arch = "wasm32")]
    pub fn install() {
        use wasm_bindgen::prelude::wasm_bindgen;

        #[wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_namespace = console)]
            fn error(message: &str);
        }

        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            std::panic::set_hook(Box::new(|info| error(&format!("layerlab: {info}"))));
        });
    }

    /// Native builds keep Rust's default hook, which prints to stderr.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn install() {}
}
