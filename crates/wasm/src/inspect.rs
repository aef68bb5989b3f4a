//! `inspect(archive, options)`: the image-archive analysis of `layerlab inspect -f json`, for
//! an archive held in memory (a `Uint8Array`). Behind the `image` feature: the analyzer is
//! large and the editor's worker does not need it (the web app's image explorer has its own
//! worker that reads a `File` in slices instead).
//!
//! The whole archive must fit in wasm memory (at most 4 GiB, in practice a few hundred MB
//! next to the analysis): fine for a package API given the bytes, not for multi-GB images.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INSPECT_TYPES: &str = r#"
export interface InspectOptions {
  /** For a multi-platform archive, e.g. "linux/arm64" (default linux/amd64). */
  platform?: string;
  /** Hash every blob and layer stream and compare with the manifest (default true). */
  verify?: boolean;
}
/** The stable JSON report of `layerlab inspect -f json` (keys in the project's README). */
export interface ImageReport {
  format: string; platform: string | null; repo_tags: string[];
  config_digest: string | null; manifest_digest: string | null;
  layers: Array<{
    index: number; digest: string | null; diff_id: string | null; media_type: string | null;
    compression: string; compressed_size: number; size: number; entries: number;
    added: number; modified: number; removed: number; created_by: string | null;
    verified: { digest: string; diff_id: string };
  }>;
  merged: { entries: number; files: number; bytes: number };
  reclaimable_bytes: number;
  packages: Array<{ manager: string; name: string; version: string; layer: number; path: string }>;
  findings: Array<{ kind: string; path: string; layer: number; detail: string; visible: boolean }>;
  problems: Array<{ severity: string; message: string }>;
  [key: string]: unknown;
}
"#;

/// What `inspect` takes besides the archive.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InspectOptions {
    pub platform: Option<String>,
    pub verify: bool,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            platform: None,
            verify: true,
        }
    }
}

/// [`inspect`] without the JavaScript conversion: the report, or why the bytes are not an
/// image archive at all.
pub fn inspection(
    archive: &[u8],
    options: &InspectOptions,
) -> Result<layerlab_image::report::Report, String> {
    let plan = layerlab_image::inspect::plan(archive, options.platform.as_deref())
        .map_err(|error| error.to_string())?;
    let scan_options = layerlab_image::scan::ScanOptions {
        verify: options.verify,
        ..layerlab_image::scan::ScanOptions::default()
    };
    let scans = plan.scan(archive, &scan_options, &mut |_, _, _| {});
    Ok(layerlab_image::report::build(&plan, &scans))
}

/// Analyses an image archive (docker save, Docker 25+ or OCI; optionally inside .tar.gz or
/// .tar.zst) given as bytes: layers, digests checked, merged tree, waste, packages, findings.
/// Damage inside the archive is reported in `problems`; the `Err` case is bytes that are not
/// an image archive, or a platform the archive does not have.
#[wasm_bindgen(unchecked_return_type = "ImageReport")]
pub fn inspect(
    archive: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "InspectOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    crate::panic_hook::install();
    let options: InspectOptions = if options.is_undefined() || options.is_null() {
        InspectOptions::default()
    } else {
        crate::fix::reject_unknown_keys(&options, &["platform", "verify"])?;
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("options: {e}")))?
    };
    let report = inspection(archive, &options).map_err(|e| JsError::new(&e))?;
    crate::to_js(&report)
}
