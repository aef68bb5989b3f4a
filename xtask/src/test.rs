//! `cargo xtask test`: what CI runs (.ci/run calls exactly this). Steps run in order, cheap
//! ones first, and the first failure stops the run with the command to repeat it.

use std::env;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cmd::{self, fail, Result};
use crate::setup::{self, Tools, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::size;

/// What a step runs; it is given the step's name for its error message.
type Run<'a> = Box<dyn Fn(&str) -> Result<()> + 'a>;
type Step<'a> = (&'static str, Run<'a>);

pub fn run(root: &Path) -> Result<()> {
    let started = Instant::now();
    let tools = setup::web_toolchain(root)?;
    setup::browser()?;
    for (name, version, why) in setup::PYTHON_PEERS {
        setup::python_package(name, version, why)?;
    }
    setup::e2e_packages(root, &tools)?;

    let shared = shared_dir(root);
    let webdriver_json = root.join("crates/wasm/webdriver.json");
    let wasm_clippy = format!(
        "clippy -p layerlab-syntax -p layerlab-shell -p layerlab-lint -p layerlab-buildsim -p layerlab-image -p layerlab-wasm -p layerlab-web --target {WASM_TARGET} -- -D warnings"
    );
    let wasm_tests_clippy =
        format!("clippy -p layerlab-wasm --tests --target {WASM_TARGET} -- -D warnings");
    let wasm_tests = format!("test -p layerlab-wasm --target {WASM_TARGET}");
    let steps: Vec<Step> = vec![
        ("rustfmt", cargo(&tools, root, "fmt --all --check", &[])),
        (
            "clippy (host)",
            cargo(
                &tools,
                root,
                "clippy --workspace --all-targets -- -D warnings",
                &[],
            ),
        ),
        ("clippy (wasm)", cargo(&tools, root, &wasm_clippy, &[])),
        (
            "clippy (wasm tests)",
            cargo(&tools, root, &wasm_tests_clippy, &[]),
        ),
        (
            "native tests",
            // The parser's corpus tests read the shared reference data.
            cargo(
                &tools,
                root,
                "test --workspace",
                &[("LAYERLAB_SHARED", shared.as_os_str())],
            ),
        ),
        (
            "wasm tests (headless Chromium)",
            cargo(
                &tools,
                root,
                &wasm_tests,
                &[
                    ("CHROMEDRIVER", OsStr::new(CHROMEDRIVER)),
                    // Chromium's flags for this machine: no sandbox as root, no calls home.
                    (
                        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                        webdriver_json.as_os_str(),
                    ),
                    // A cold debug build on a busy 2-core machine can be slow to start.
                    ("WASM_BINDGEN_TEST_TIMEOUT", OsStr::new("120")),
                ],
            ),
        ),
        (
            "release build within the size budget",
            Box::new(|_: &str| release_within_budget(root, &tools)),
        ),
        (
            "npm package of the wasm core (for tests/e2e/npm_package.test.mjs)",
            Box::new(|_: &str| {
                crate::npm::build(root, &tools, &crate::npm::default_out(root), false)
            }),
        ),
        (
            "end-to-end tests",
            Box::new(|name: &str| e2e(name, root, &tools)),
        ),
    ];

    let mut passed = 0;
    for (name, step) in &steps {
        eprintln!("\n==> {name}");
        let began = Instant::now();
        if let Err(error) = step(name) {
            eprintln!("\nstopped at: {name}\nxtask: {passed} passed, 1 failed");
            return Err(error);
        }
        eprintln!("<== {name}: ok ({:.0?})", began.elapsed());
        passed += 1;
    }
    eprintln!(
        "\nall checks passed in {:.0?}\nxtask: {passed} passed, 0 failed",
        started.elapsed()
    );
    Ok(())
}

/// A step that runs `cargo <args>` (split on spaces) in the repo with `envs` set.
fn cargo<'a>(tools: &'a Tools, root: &'a Path, args: &str, envs: &[(&str, &OsStr)]) -> Run<'a> {
    let args: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
    let envs: Vec<(String, OsString)> = envs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    Box::new(move |name: &str| {
        let mut command = tools.command("cargo");
        command
            .args(&args)
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .current_dir(root);
        cmd::run(name, &mut command)
    })
}

fn release_within_budget(root: &Path, tools: &Tools) -> Result<()> {
    let sizes = crate::dist(root, tools)?;
    // The single-file build (dist/layerlab.html), for tests/e2e/single_file.test.mjs.
    let dist = root.join("dist");
    let single = dist.join(crate::single_file::DEFAULT_NAME);
    let bytes = crate::single_file::write(&dist, &single)?;
    eprintln!("single file: {} ({bytes} bytes)", single.display());
    if sizes.gzipped > size::BUDGET {
        return fail(format!(
            "the first load is {} gzipped bytes, over the budget of {}",
            sizes.gzipped,
            size::BUDGET
        ));
    }
    Ok(())
}

/// The shared reference data the parser's corpus tests read: `$LAYERLAB_SHARED` if set,
/// else `<repo>/../shared` (the layout CI uses), else /work/shared.
pub fn shared_dir(root: &Path) -> PathBuf {
    if let Some(dir) = env::var_os("LAYERLAB_SHARED") {
        return PathBuf::from(dir);
    }
    let beside = root.join("..").join("shared");
    if beside.is_dir() {
        return beside;
    }
    PathBuf::from("/work/shared")
}

/// Runs every tests/e2e/*.test.mjs with node's test runner against the built dist/.
fn e2e(name: &str, root: &Path, tools: &Tools) -> Result<()> {
    let dir = root.join("tests").join("e2e");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return fail(format!("no *.test.mjs in {}", dir.display()));
    }
    let mut command = tools.command("node");
    command
        .arg("--test")
        .args(&files)
        .env("LAYERLAB_DIST", root.join("dist"))
        .env("LAYERLAB_NPM_PACKAGE", crate::npm::default_out(root))
        .env("LAYERLAB_SHARED", shared_dir(root))
        .env("LAYERLAB_CHROMIUM", CHROMIUM)
        .current_dir(&dir);
    cmd::run(name, &mut command)
}
