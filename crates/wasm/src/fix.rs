//! `fix(text, options)`: the linter's fixes applied to a whole Dockerfile, as
//! `layerlab lint --fix` (safe fixes) or `--fix-unsafe` (all) does.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_FIX_TYPES: &str = r#"
export interface FixOptions {
  /** Apply fixes that may change what the build does, too (default false: safe fixes only). */
  unsafe?: boolean;
}
export interface FixResult {
  /** The Dockerfile with the fixes applied (the input itself when none applied). */
  text: string;
  /** How many edits were made. */
  applied: number;
  /** The findings left in the fixed text. */
  remaining: Finding[];
}
"#;

/// What `fix` takes besides the text.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FixOptions {
    #[serde(rename = "unsafe")]
    pub include_unsafe: bool,
}

/// What `fix` returns.
#[derive(Clone, Debug, Serialize)]
pub struct FixResult {
    pub text: String,
    pub applied: usize,
    pub remaining: Vec<crate::Finding>,
}

/// [`fix`] without the JavaScript conversion, for native callers and tests.
pub fn fixed(text: &str, options: &FixOptions) -> FixResult {
    let lint_options = layerlab_lint::LintOptions::default();
    let (fixed, applied) = layerlab_lint::fix(text, &lint_options, options.include_unsafe);
    let remaining = layerlab_lint::lint(&fixed, &lint_options);
    FixResult {
        remaining: crate::findings(&fixed, &remaining),
        text: fixed,
        applied,
    }
}

/// Applies the linter's fixes to `text` until none applies (never making BuildKit's parse
/// worse). `options.unsafe` also applies the fixes marked unsafe.
#[wasm_bindgen(unchecked_return_type = "FixResult")]
pub fn fix(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "FixOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    crate::panic_hook::install();
    let options: FixOptions = if options.is_undefined() || options.is_null() {
        FixOptions::default()
    } else {
        reject_unknown_keys(&options, &["unsafe"])?;
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("options: {e}")))?
    };
    crate::to_js(&fixed(text, &options))
}

/// serde-wasm-bindgen reads a struct's fields by name and never shows serde the other keys: a
/// misspelt option must be an error, not silently ignored.
pub(crate) fn reject_unknown_keys(options: &JsValue, known: &[&str]) -> Result<(), JsError> {
    if let Some(object) = options.dyn_ref::<js_sys::Object>() {
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(JsError::new(&format!(
                    "options: unknown field `{key}`, expected one of {}",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_fixes_apply_and_the_rest_remains() {
        let result = fixed(
            "FROM alpine:3.20\nRUN apk add curl\n",
            &FixOptions::default(),
        );
        assert!(result.applied >= 1, "{result:?}");
        assert!(result.text.contains("--no-cache"), "{}", result.text);
        assert!(
            result.remaining.iter().all(|f| f.code != "DL3019"),
            "{:?}",
            result.remaining
        );
    }

    #[test]
    fn nothing_to_fix_returns_the_text() {
        let text = "FROM scratch\n";
        let result = fixed(text, &FixOptions::default());
        assert_eq!((result.text.as_str(), result.applied), (text, 0));
    }
}
