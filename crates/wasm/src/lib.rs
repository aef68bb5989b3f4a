//! The JavaScript face of the layerlab core ([`layerlab_syntax`], [`layerlab_lint`],
//! [`layerlab_buildsim`]): the one crate that speaks wasm-bindgen. Rust types stay plain in the core; here they become plain
//! JS objects.
//!
//! Values cross as JSON-compatible objects (no `Map`, `null` for absent fields), so a caller
//! can `JSON.stringify` them or pass them through `postMessage` unchanged.

mod fix;
#[cfg(feature = "image")]
mod inspect;
mod lint_config;
#[cfg(feature = "simulate")]
mod simulate;

use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use fix::{fixed, FixOptions, FixResult};
#[cfg(feature = "image")]
pub use inspect::{inspection, InspectOptions};
pub use lint_config::{lint_options, rule_catalogue, ConfigProblem, LintConfig, RuleInfo};
#[cfg(feature = "simulate")]
pub use simulate::{
    simulation, BuilderInput, EntryInput, EntryObject, ScenarioInput, FIELDS as SCENARIO_FIELDS,
};

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

/** One path of the virtual build context: a string is a file's text (mode 0644). */
export type ContextEntry = string | {
  /** The file's text. */
  content?: string;
  /** Instead of `content`: the SHA-256 of the bytes in hex (as `crypto.subtle.digest` gives;
   *  the same key `content` makes), or any string that changes when the bytes do. */
  digest?: string;
  /** Permission bits, e.g. 0o755 (default 0o644 for files, 0o755 for directories). */
  mode?: number;
  /** Size in bytes, when `digest` stands for the content. */
  size?: number;
  /** A symbolic link to this target. */
  symlink?: string;
  /** An (empty) directory. */
  dir?: boolean;
};
/** How the previous build differs from the next one. Every field is optional. */
export interface SimulateScenario {
  builder?: "buildkit" | "legacy";
  /** The next build's context, path (relative, `/`-separated) → entry, before .dockerignore. */
  context?: Record<string, ContextEntry>;
  /** The previous build's whole context, when known (else: `context` minus the changes). */
  previous_context?: Record<string, ContextEntry> | null;
  /** The .dockerignore text (applied as Docker applies it). */
  dockerignore?: string | null;
  /** Where the Dockerfile sits in the context: default "Dockerfile"; "" when outside it. */
  dockerfile_path?: string | null;
  changed?: string[]; added?: string[]; removed?: string[];
  previous_dockerfile?: string | null;
  /** --build-arg of the next build. */
  build_args?: Record<string, string>;
  /** --build-arg of the previous build (default: the same as build_args). */
  previous_build_args?: Record<string, string> | null;
  /** Base images whose content changed (--base-changed). */
  base_changed?: string[];
  target?: string | null;
  no_cache?: boolean;
  no_cache_filter?: string[];
  /** Take unpinned base-image tags to be unchanged (else their FROM is "may-miss"). */
  assume_tags_unchanged?: boolean;
}
export type CacheStatus = "cached" | "rebuilt" | "may-miss" | "skipped";
export interface SimulatedStep {
  stage: string; stage_index: number; line: number; instruction: string;
  status: CacheStatus;
  /** The first input that changed, or why nothing did. */
  reason: string;
  /** A cache step (BuildKit: FROM image, RUN, COPY, ADD, WORKDIR; classic: every step). */
  op: boolean;
  /** A fired ONBUILD trigger. */
  trigger?: boolean;
  /** The line whose change started this chain of misses. */
  cause_line?: number;
  /** Unpinned base-image tags this status assumes did not move. */
  depends_on_tags?: string[];
}
export interface SimulatedHistoryEntry {
  created_by: string; empty_layer: boolean; line?: number; stage: string;
  status: CacheStatus; base?: boolean;
}
export interface CacheAdvice { code: string; line: number; message: string; impact: number }
export interface SimulationNote {
  severity: "error" | "warning" | "info"; line?: number; message: string;
}
export interface Simulation {
  builder: "buildkit" | "legacy"; target: string;
  steps: SimulatedStep[]; history: SimulatedHistoryEntry[]; advice: CacheAdvice[];
  diagnostics: SimulationNote[];
  summary: {
    cached: number; rebuilt: number; may_miss: number; skipped: number; depends_on_tags: number;
  };
  /** Base images of the built stages named by a tag that may move. */
  moving_tags: string[];
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
    analysis_with(text, &layerlab_lint::LintOptions::default())
}

/// [`analysis`] with the linter configured (see [`lint_options`]).
pub fn analysis_with(text: &str, options: &layerlab_lint::LintOptions) -> Analysis {
    let report = layerlab_syntax::report::parse_report(text);
    let found = layerlab_lint::lint(text, options);
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

#[cfg(feature = "simulate")]
/// Predicts which steps of the next build hit the cache, and why. `scenario` (optional) is a
/// `SimulateScenario`; the `Err` case is a scenario of the wrong shape or a `.dockerignore`
/// BuildKit refuses.
#[wasm_bindgen(unchecked_return_type = "Simulation")]
pub fn simulate(
    dockerfile: &str,
    #[wasm_bindgen(unchecked_param_type = "SimulateScenario | undefined")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    panic_hook::install();
    let input: ScenarioInput = if scenario.is_undefined() || scenario.is_null() {
        ScenarioInput::default()
    } else {
        // serde-wasm-bindgen reads a struct's fields by name and never sees other keys: a
        // misspelt option must be an error, not silently ignored.
        if let Some(object) = scenario.dyn_ref::<js_sys::Object>() {
            for key in js_sys::Object::keys(object).iter() {
                let key = key.as_string().unwrap_or_default();
                if !SCENARIO_FIELDS.contains(&key.as_str()) {
                    return Err(JsError::new(&format!(
                        "scenario: unknown field `{key}`, expected one of {}",
                        SCENARIO_FIELDS.join(", ")
                    )));
                }
            }
        }
        serde_wasm_bindgen::from_value(scenario)
            .map_err(|e| JsError::new(&format!("scenario: {e}")))?
    };
    let report = simulation(dockerfile, &input).map_err(|e| JsError::new(&e))?;
    to_js(&report)
}

/// Parses a Dockerfile. Never fails on bad input: problems come back as diagnostics. The
/// `Err` case is only a value that could not be converted for JavaScript.
#[wasm_bindgen(unchecked_return_type = "ParseReport")]
pub fn parse(text: &str) -> Result<JsValue, JsError> {
    panic_hook::install();
    to_js(&layerlab_syntax::report::parse_report(text))
}

/// Sends panics to `console.error` from now on, for Rust callers (the exported functions do
/// it themselves).
pub fn install_panic_hook() {
    panic_hook::install();
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
