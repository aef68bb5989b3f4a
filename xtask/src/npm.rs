//! `cargo xtask npm [--out DIR] [--no-opt]`: the wasm core (`crates/wasm`, with the `simulate` and `image`
//! features) as an npm-ready package, by default in `<target>/npm/layerlab/`:
//!
//! - `layerlab.js`, `layerlab_bg.wasm`, `layerlab.d.ts`: wasm-bindgen `--target web` output
//!   (ES module; the default export `init()` loads the wasm next to it);
//! - `node.js`: the Node entry, which loads the wasm from disk synchronously, so Node callers
//!   use the functions at once;
//! - `package.json` (`@layerlab/core`, the workspace's version, `exports` with `types`),
//!   `README.md`.
//!
//! It does not publish anything.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cmd::{self, fail, Result};
use crate::setup::{Tools, WASM_TARGET, WEB_PROFILE};

pub const PACKAGE_NAME: &str = "@layerlab/core";
/// The file stem of the package's JavaScript, wasm and types.
const STEM: &str = "layerlab";

/// The cargo target directory (`CARGO_TARGET_DIR`, else `<repo>/target`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// Where the package goes when no `--out` is given.
pub fn default_out(root: &Path) -> PathBuf {
    target_dir(root).join("npm").join(STEM)
}

/// `cargo xtask npm [--out DIR] [--no-opt]`.
pub fn task(root: &Path, tools: &Tools, args: &[String]) -> Result<()> {
    let mut out = default_out(root);
    let mut optimize = true;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // wasm-opt -Oz takes about a minute here; the tests skip it.
            "--no-opt" => optimize = false,
            "--out" => match args.next() {
                Some(dir) => out = PathBuf::from(dir),
                None => return fail("--out needs a folder"),
            },
            other => return fail(format!("npm: unknown argument `{other}`")),
        }
    }
    build(root, tools, &out, optimize)
}

/// Builds the package into `out` (replacing what was there); `optimize` runs wasm-opt -Oz on
/// the wasm (a quarter smaller, about a minute on this machine).
pub fn build(root: &Path, tools: &Tools, out: &Path, optimize: bool) -> Result<()> {
    cmd::run(
        "release build of layerlab-wasm (features simulate, image)",
        tools
            .command("cargo")
            .args([
                "build",
                "--profile",
                WEB_PROFILE,
                "--lib",
                "-p",
                "layerlab-wasm",
                "--features",
                "simulate,image",
                "--target",
                WASM_TARGET,
            ])
            .current_dir(root),
    )?;
    let wasm = target_dir(root)
        .join(WASM_TARGET)
        .join(WEB_PROFILE)
        .join("layerlab_wasm.wasm");
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    cmd::run(
        "wasm-bindgen --target web",
        tools
            .command("wasm-bindgen")
            .args(["--target", "web", "--out-name", STEM, "--out-dir"])
            .arg(out)
            .arg(&wasm)
            .current_dir(root),
    )?;
    if optimize {
        let wasm = out.join(format!("{STEM}_bg.wasm"));
        cmd::run(
            "wasm-opt -Oz",
            tools
                .command("wasm-opt")
                .arg("-Oz")
                // The features rustc's wasm32 target uses by default.
                .args([
                    "--enable-bulk-memory",
                    "--enable-nontrapping-float-to-int",
                    "--enable-sign-ext",
                    "--enable-mutable-globals",
                    "--enable-reference-types",
                    "--enable-multivalue",
                ])
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm),
        )?;
    }
    let version = workspace_field(root, "version")?;
    let license = workspace_field(root, "license")?;
    fs::write(out.join("node.js"), NODE_ENTRY)?;
    fs::write(out.join("node.d.ts"), NODE_TYPES)?;
    fs::write(out.join("package.json"), package_json(&version, &license))?;
    fs::write(out.join("README.md"), README.replace("{VERSION}", &version))?;
    let wasm_size = fs::metadata(out.join(format!("{STEM}_bg.wasm")))?.len();
    eprintln!(
        "npm package {PACKAGE_NAME} {version}: {} (wasm {wasm_size} bytes); not published",
        out.display()
    );
    Ok(())
}

/// A `key = "value"` of `[workspace.package]` in the root Cargo.toml.
fn workspace_field(root: &Path, key: &str) -> Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .ok_or_else(|| cmd::Error("Cargo.toml has no [workspace.package]".into()))?;
    section
        .lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .find_map(|line| {
            let (name, value) = line.split_once('=')?;
            (name.trim() == key).then(|| value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| cmd::Error(format!("Cargo.toml: no {key} in [workspace.package]")))
}

fn package_json(version: &str, license: &str) -> String {
    format!(
        r#"{{
  "name": "{PACKAGE_NAME}",
  "version": "{version}",
  "description": "layerlab's core in WebAssembly: parse and lint Dockerfiles exactly as BuildKit reads them, apply fixes, simulate the build cache, inspect image archives",
  "license": "{license}",
  "type": "module",
  "main": "./node.js",
  "module": "./{STEM}.js",
  "types": "./{STEM}.d.ts",
  "exports": {{
    ".": {{
      "types": "./{STEM}.d.ts",
      "node": "./node.js",
      "default": "./{STEM}.js"
    }},
    "./{STEM}_bg.wasm": "./{STEM}_bg.wasm",
    "./package.json": "./package.json"
  }},
  "files": [
    "{STEM}.js",
    "{STEM}.d.ts",
    "{STEM}_bg.wasm",
    "{STEM}_bg.wasm.d.ts",
    "node.js",
    "node.d.ts",
    "README.md"
  ],
  "sideEffects": [
    "./node.js"
  ],
  "keywords": ["dockerfile", "lint", "hadolint", "buildkit", "docker", "oci", "wasm"],
  "engines": {{
    "node": ">=18"
  }}
}}
"#
    )
}

const NODE_ENTRY: &str = r#"// Node entry of @layerlab/core: loads the wasm beside this file synchronously, so every
// function can be called as soon as the import resolves (no init() needed).
import { readFileSync } from "node:fs";
import init, { initSync } from "./layerlab.js";

initSync({ module: readFileSync(new URL("./layerlab_bg.wasm", import.meta.url)) });

export * from "./layerlab.js";
export default init;
"#;

const NODE_TYPES: &str = r#"export * from "./layerlab.js";
export { default } from "./layerlab.js";
"#;

const README: &str = r#"# @layerlab/core {VERSION}

layerlab's core compiled to WebAssembly: the Dockerfile parser that reads files exactly as
BuildKit does, the linter (hadolint's DL rules, ShellCheck-style checks, BuildKit's checks,
with exact ranges and fixes), the build-cache simulator, and the image-archive inspector.
Everything runs locally; nothing is sent anywhere. TypeScript types are included
(`layerlab.d.ts`).

## Use

In Node (18+), the package's `node` entry loads the wasm synchronously:

```js
import { parse, lint, fix, simulate, inspect } from "@layerlab/core";
import { readFileSync } from "node:fs";

const dockerfile = "FROM alpine\nRUN apk add curl\n";
for (const f of lint(dockerfile)) console.log(`${f.start.line}:${f.start.column} ${f.code} ${f.message}`);
console.log(fix(dockerfile).text);                       // safe fixes; fix(text, { unsafe: true }) for all
console.log(simulate(dockerfile, { changed: ["app.js"] }).steps);
console.log(inspect(readFileSync("image.tar")).layers.length);
```

In a browser or with a bundler (ES module), call the default export once first; it fetches
`layerlab_bg.wasm` next to `layerlab.js`, or takes `{ module_or_path }` (a URL, a `Response`,
bytes or a `WebAssembly.Module`):

```js
import init, { lint } from "@layerlab/core";
await init();
console.log(lint("FROM alpine\n"));
```

## API

| function | returns |
|---|---|
| `parse(text)` | `ParseReport`: the outline (instructions, lines, stages) and BuildKit's syntax errors |
| `lint(text)` | `Finding[]`: code, severity, message, exact range, rule page `url`, `fix` |
| `analyze(text)` | `Analysis`: the outline and every finding (what an editor shows) |
| `fix(text, { unsafe? })` | `FixResult`: the fixed `text`, `applied` edits, the `remaining` findings |
| `simulate(text, scenario?)` | `Simulation`: per step cached / rebuilt / skipped / may-miss and why, predicted layers, advice |
| `inspect(bytes, { platform?, verify? })` | `ImageReport`: the JSON report of `layerlab inspect -f json` |
| `version()` | this package's version |

Every result is a plain JSON-compatible object. Bad input never throws: syntax errors are
findings, damaged archives have `problems`. The functions throw only for arguments of the
wrong shape (an unknown scenario key), bytes that are not an image archive, or a platform the
archive does not have.

`inspect` takes the whole archive in memory (a `Uint8Array`; wasm memory tops out at 4 GiB,
and in practice a few hundred MB is the comfortable limit). For larger images use the
`layerlab` CLI, or the web app, which reads a dropped file in slices.

Built from `crates/wasm` of the layerlab repository by `cargo xtask npm`.
"#;
