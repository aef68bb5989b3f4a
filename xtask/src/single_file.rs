//! `cargo xtask dist --single-file [PATH]`: the built site (dist/) as one self-contained HTML
//! file that works when opened from disk (file://) — the offline workshop tool.
//!
//! What goes in, and how:
//! - the stylesheets as `<style>` elements, the icon as a `data:` URL;
//! - the app's wasm-bindgen glue as the one inline module script, followed by a starter that
//!   instantiates the app's wasm from base64 embedded in the page;
//! - every worker of the site (`NAME_loader.js` beside `NAME.js` and `NAME_bg.wasm`: the
//!   editor's parser, and the on-demand cache simulator and image workers): its glue and its
//!   wasm (base64) as non-executed data blocks. The starter replaces `Worker` so that
//!   `new Worker("./NAME_loader.js")` — what the app runs — starts the same code from a Blob
//!   URL, built from those blocks the first time that worker is asked for. Each such worker
//!   is also handed its own script as a `Blob` (`self.layerlabScript`): a Blob URL the page
//!   made cannot start a worker from inside a worker of a `file://` page (each has its own
//!   opaque origin), but one the worker makes itself can — that is how the image worker
//!   starts its scan workers here.
//!
//! The page has its own Content-Security-Policy: no network at all (`default-src 'none'`,
//! nothing for `connect-src`), the inline script and styles allowed by their SHA-256 hashes
//! (never `'unsafe-inline'`), `'wasm-unsafe-eval'` to compile the embedded wasm, and
//! `worker-src blob:` for the workers.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::{fail, Result};

/// The file name of the single-file build inside dist/ when no path is given.
pub const DEFAULT_NAME: &str = "layerlab.html";

/// Writes the single-file build of `dist` to `out`; returns its size in bytes.
pub fn write(dist: &Path, out: &Path) -> Result<u64> {
    let html = build(dist)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    fs::write(out, &html)?;
    Ok(html.len() as u64)
}

/// A worker found in dist/: `new Worker(loader)` must start `glue` with `wasm`.
struct WorkerFiles {
    loader: String,
    glue: String,
    wasm: Vec<u8>,
}

/// A build error with its message.
fn missing(message: &str) -> crate::cmd::Error {
    crate::cmd::Error(message.to_owned())
}

fn build(dist: &Path) -> Result<String> {
    let index = read_text(&dist.join("index.html"))?;
    let title = between(&index, "<title>", "</title>").unwrap_or("layerlab");
    let description = between(&index, "<meta name=\"description\" content=\"", "\"");

    let boot = tag_with(&index, "<script", "data-js=")
        .ok_or_else(|| missing("dist/index.html has no boot script tag with data-js/data-wasm (Trunk.toml pattern_script)"))?;
    let app_js =
        attribute(boot, "data-js").ok_or_else(|| missing("the boot script tag has no data-js"))?;
    let app_wasm = attribute(boot, "data-wasm")
        .ok_or_else(|| missing("the boot script tag has no data-wasm"))?;
    let glue = read_text(&file_in(dist, app_js))?;
    if !glue.contains("__wbg_init as default") {
        return fail(format!(
            "{app_js}: not the wasm-bindgen `--target web` glue this build knows (no `__wbg_init as default`)"
        ));
    }
    if glue
        .lines()
        .any(|line| line.trim_start().starts_with("import "))
    {
        return fail(format!(
            "{app_js} imports other files (wasm-bindgen snippets?): they cannot be inlined yet"
        ));
    }
    let app_wasm = fs::read(file_in(dist, app_wasm))?;

    let mut styles = Vec::new();
    let mut rest = index.as_str();
    while let Some(start) = rest.find("<link rel=\"stylesheet\"") {
        let tag = &rest[start
            ..rest[start..]
                .find('>')
                .map_or(rest.len(), |end| start + end)];
        let href =
            attribute(tag, "href").ok_or_else(|| missing("a stylesheet link without href"))?;
        styles.push(read_text(&file_in(dist, href))?);
        rest = &rest[start + tag.len()..];
    }
    let icon =
        match tag_with(&index, "<link", "rel=\"icon\"").and_then(|tag| attribute(tag, "href")) {
            Some(href) => Some(fs::read(file_in(dist, href))?),
            None => None,
        };

    let workers = find_workers(dist)?;

    let starter = starter_script(&workers);
    // The HTML parser turns CR LF and CR into LF before the CSP hashes a script or style.
    let module = normalize_newlines(&format!("{glue}\n{starter}"));
    let styles: Vec<String> = styles.iter().map(|s| normalize_newlines(s)).collect();
    for (what, text) in std::iter::once(("the app's glue", module.as_str()))
        .chain(styles.iter().map(|s| ("a stylesheet", s.as_str())))
        .chain(workers.iter().map(|w| ("a worker's glue", w.glue.as_str())))
    {
        check_embeddable(what, text)?;
    }

    let script_hashes = [hash_source(&module)];
    let style_hashes: Vec<String> = styles.iter().map(|s| hash_source(s)).collect();
    let csp = format!(
        "default-src 'none'; script-src {} blob: 'wasm-unsafe-eval'; worker-src blob:; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        script_hashes.join(" "),
        if style_hashes.is_empty() {
            "'none'".to_owned()
        } else {
            style_hashes.join(" ")
        }
    );

    let mut html = String::with_capacity(app_wasm.len() * 2);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<!-- layerlab, single-file build (cargo xtask dist --single-file): everything is inside this file; it requests nothing. -->\n");
    html.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n"
    ));
    html.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    if let Some(description) = description {
        html.push_str(&format!(
            "<meta name=\"description\" content=\"{description}\">\n"
        ));
    }
    html.push_str(&format!("<title>{title}</title>\n"));
    if let Some(icon) = icon {
        html.push_str(&format!(
            "<link rel=\"icon\" href=\"data:image/svg+xml;base64,{}\">\n",
            base64(&icon)
        ));
    }
    for style in &styles {
        html.push_str(&format!("<style>{style}</style>\n"));
    }
    html.push_str("</head>\n<body>\n<noscript>layerlab runs in your browser and needs JavaScript and WebAssembly.</noscript>\n");
    // Data blocks: a script element of an unknown type is never run, so the CSP has no say.
    html.push_str(&format!(
        "<script type=\"application/octet-stream\" id=\"layerlab-wasm-app\">{}</script>\n",
        base64(&app_wasm)
    ));
    for (index, worker) in workers.iter().enumerate() {
        html.push_str(&format!(
            "<script type=\"text/plain\" id=\"layerlab-worker-glue-{index}\">{}</script>\n",
            worker.glue
        ));
        html.push_str(&format!(
            "<script type=\"application/octet-stream\" id=\"layerlab-worker-wasm-{index}\">{}</script>\n",
            base64(&worker.wasm)
        ));
    }
    html.push_str(&format!("<script type=\"module\">{module}</script>\n"));
    html.push_str("</body>\n</html>\n");
    Ok(html)
}

/// Every `NAME_loader.js` in dist/ with its `NAME.js` and `NAME_bg.wasm`, checked to be the
/// loader this build knows (it must only import the glue and start it with the wasm).
fn find_workers(dist: &Path) -> Result<Vec<WorkerFiles>> {
    let mut names: Vec<String> = fs::read_dir(dist)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix("_loader.js").map(str::to_owned))
        .collect();
    names.sort();
    let mut workers = Vec::new();
    for name in names {
        let loader = read_text(&dist.join(format!("{name}_loader.js")))?;
        // A worker's loader imports its glue; a page view's loader (image_view) adds it as a
        // script. Either way the glue and the wasm are all it names.
        let imports = loader.contains(&format!("importScripts(\"./{name}.js\");"))
            || loader.contains(&format!(".src = \"./{name}.js\";"));
        if !imports || !loader.contains(&format!("./{name}_bg.wasm")) {
            return fail(format!(
                "{name}_loader.js does not load ./{name}.js and ./{name}_bg.wasm as the single-file build expects"
            ));
        }
        workers.push(WorkerFiles {
            loader: format!("./{name}_loader.js"),
            glue: read_text(&dist.join(format!("{name}.js")))?,
            wasm: fs::read(dist.join(format!("{name}_bg.wasm")))?,
        });
    }
    if workers.is_empty() {
        return fail("no worker loader (NAME_loader.js) in dist/: is this Trunk's output?");
    }
    Ok(workers)
}

/// The code after the app's glue: the `Worker` replacement, then the app from its base64.
fn starter_script(workers: &[WorkerFiles]) -> String {
    let loaders: Vec<String> = workers
        .iter()
        .enumerate()
        .map(|(index, worker)| format!("{:?}: {index}", worker.loader))
        .collect();
    format!(
        r#"
// layerlab single-file starter (xtask/src/single_file.rs): workers and wasm come from this page.
{{
  const bytesOf = (id) => {{
    const binary = atob(document.getElementById(id).textContent);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }};
  const workerIndex = {{ {loaders} }};
  // In a worker (the image view's script runs in the page), keeps the first message if it
  // is the worker's own script (sent by `Worker` below).
  const takeScript = `if (typeof WorkerGlobalScope !== "undefined") self.addEventListener("message", function take(event) {{
  if (event.data && event.data.layerlabScript instanceof Blob) {{
    self.layerlabScript = event.data.layerlabScript;
    event.stopImmediatePropagation();
  }}
  self.removeEventListener("message", take);
}});\n`;
  // Read now: the app renders into <body> and replaces these blocks.
  const workerBlobs = Object.values(workerIndex).map((index) => {{
    const glue = document.getElementById(`layerlab-worker-glue-${{index}}`).textContent;
    const wasm = document.getElementById(`layerlab-worker-wasm-${{index}}`).textContent;
    const start = `\nwasm_bindgen({{ module_or_path: Uint8Array.from(atob("${{wasm}}"), (c) => c.charCodeAt(0)) }});\n`;
    return new Blob([takeScript, glue, start], {{ type: "text/javascript" }});
  }});
  const blobUrls = new Map();
  const blobUrlOf = (index) => {{
    if (!blobUrls.has(index)) blobUrls.set(index, URL.createObjectURL(workerBlobs[index]));
    return blobUrls.get(index);
  }};
  // Views loaded on demand (components/image_view_host.rs) ask here for their script's URL.
  globalThis.layerlabResolveScript = (url) => {{
    const index = workerIndex[String(url)];
    return index === undefined ? url : blobUrlOf(index);
  }};
  const PageWorker = globalThis.Worker;
  globalThis.Worker = class extends PageWorker {{
    constructor(url, options) {{
      const index = workerIndex[String(url)];
      super(index === undefined ? url : blobUrlOf(index), options);
      // Its first message: its own script, so it can start copies of itself.
      if (index !== undefined) this.postMessage({{ layerlabScript: workerBlobs[index] }});
    }}
  }};
  const appWasm = bytesOf("layerlab-wasm-app");
  for (const block of document.querySelectorAll('script[id^="layerlab-"]')) block.remove();
  await __wbg_init({{ module_or_path: appWasm }});
}}
"#,
        loaders = loaders.join(", ")
    )
}

/// Text inside a `<script>` or `<style>` element ends at the first `</script` / `</style`, and
/// `<!--` inside a script changes how the HTML parser reads it: such text cannot be inlined.
fn check_embeddable(what: &str, text: &str) -> Result<()> {
    let lower = text.to_ascii_lowercase();
    for bad in ["</script", "</style", "<!--"] {
        if lower.contains(bad) {
            return fail(format!(
                "{what} contains `{bad}` and cannot be inlined into the single-file build"
            ));
        }
    }
    Ok(())
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path)
        .map_err(|error| crate::cmd::Error(format!("{}: {error}", path.display())))
}

/// A path of dist/ from a page URL like `./style-0123.css`.
fn file_in(dist: &Path, href: &str) -> PathBuf {
    dist.join(href.trim_start_matches("./"))
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// The first tag starting with `open` whose text contains `needle`.
fn tag_with<'a>(html: &'a str, open: &str, needle: &str) -> Option<&'a str> {
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |end| start + end + 1);
        let tag = &rest[start..end];
        if tag.contains(needle) {
            return Some(tag);
        }
        rest = &rest[end..];
    }
    None
}

/// The value of `name="…"` in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    between(tag, &key, "\"")
}

/// A CSP source for an inline script or style: `'sha256-BASE64'` of its exact text.
fn hash_source(text: &str) -> String {
    format!("'sha256-{}'", base64(&sha256(text.as_bytes())))
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(
                    BASE64_ALPHABET[((n >> (18 - 6 * i)) & 63) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

const SHA256_K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// SHA-256 (FIPS 180-4): the CSP hash of an inline script. xtask uses the standard library
/// only, and this is all it needs of a crypto crate.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choose = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choose)
                .wrapping_add(SHA256_K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        let hex = |bytes: [u8; 32]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
