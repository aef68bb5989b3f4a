//! The JavaScript face of [`layerlab_syntax`]: the one crate of the parser side that speaks
//! wasm-bindgen. Rust types stay plain in the core; here they become plain JS objects.
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
"#;

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
