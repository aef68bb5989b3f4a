//! `layerlab`: the command line. Reads files, prints results; all analysis lives in the core
//! crates.

mod expand;
mod input;
mod inspect;
mod lint;
mod parse;
mod simulate;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
layerlab — Dockerfile tools that behave exactly like BuildKit

USAGE:
    layerlab parse [--format buildkit|json] FILE|-
    layerlab expand [--env NAME=VALUE]... [--escape \\|`] [--words] -- WORD
    layerlab lint [OPTIONS] FILE...|-
    layerlab rules [-f json|markdown] | --doc CODE
    layerlab simulate [--builder buildkit|legacy] [--context DIR] [--dockerignore FILE]
             [--changed PATH]... [--added PATH]... [--removed PATH]...
             [--previous-dockerfile FILE] [--build-arg K=V]... [--previous-build-arg K=V]...
             [--base-changed IMAGE]... [--assume-tags-unchanged] [--target STAGE] [--no-cache]
             [--no-cache-filter STAGE]... [-f tty|json] [--no-color] DOCKERFILE|-
    layerlab inspect [-f tty|json] [--platform OS/ARCH[/VARIANT]] [--no-verify]
             [--ci [--ci-config FILE] [--lowest-efficiency R] [--highest-wasted-bytes SIZE]
             [--highest-user-wasted-percent R]] [--files [--layer N]] IMAGE
    layerlab diff [-f tty|json] [--platform P] [--no-verify] IMAGE_A IMAGE_B
    layerlab --version

COMMANDS:
    parse    Parse a Dockerfile. `--format buildkit` (default) prints BuildKit's AST dump;
             `--format json` prints the full tree with spans, positions and diagnostics.
    expand   Expand WORD as BuildKit expands an ENV-aware argument (COPY, ENV, WORKDIR, ...).
             With --words, print the resulting words one per line.
    lint     Lint Dockerfiles; hadolint's options, configuration and exit codes:
             -f tty|json|sarif|checkstyle|codeclimate|gitlab_codeclimate|gnu, -c FILE,
             --ignore R, --error/--warning/--info/--style R, -t LEVEL, --no-fail, --no-color,
             --trusted-registry R, --require-label L:FMT, --strict-labels,
             --disable-ignore-pragma, --file-path-in-report P; --fix / --fix-unsafe.
             What a base image offers, for BuildKit's InvalidBaseImagePlatform:
             --base-image-platform REF=PLATFORM[,PLATFORM]... (e.g. node:22=linux/amd64),
             --base-image [REF=]ARCHIVE (a docker save / skopeo / OCI archive: its repo
             tags, or REF, and its platforms). Both repeatable; without them it never fires.
    rules    Print the rule catalogue.
    inspect  Open a docker or OCI image archive (.tar, also inside .tar.gz/.tar.zst): layers,
             digests verified (blob, diff_id, config, manifest), merged filesystem, waste,
             dive-compatible numbers, packages, secrets, setuid files, problems found.
             --ci applies dive's CI rules (defaults 0.9 / disabled / 0.1, `.dive-ci` read
             when present) and exits 1 when one fails. --files lists the merged tree (or
             one layer's entries): TYPE SIZE MODE LAYER PATH.
    diff     What changed between two image archives: shared layers, files added,
             removed and changed (content compared), size delta.
    simulate Predict which build steps hit the cache and why (the context defaults to the
             Dockerfile's directory; without --previous-build-arg, both builds get --build-arg).
             A FROM of a tag without @sha256 is `may-miss` (BuildKit resolves tags on every
             build) and the steps that depend on it are marked `*`; --base-changed IMAGE says
             it moved, --assume-tags-unchanged says none did.
";

/// A failure to report on stderr, with the exit code to return.
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: format!("error: {}\n\n{USAGE}", message.into()),
            code: 2,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

/// Writes `text` to standard output. A reader that went away (`layerlab rules | head`) ends the
/// output quietly instead of panicking as `println!` does.
fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::error(format!(
            "error: cannot write the output: {e}"
        ))),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("parse") => parse::run(&args[1..]),
        Some("expand") => expand::run(&args[1..]),
        Some("lint") => lint::run(&args[1..]),
        Some("rules") => lint::rules(&args[1..]),
        Some("simulate") => simulate::run(&args[1..]),
        Some("inspect") => inspect::run(&args[1..]),
        Some("diff") => inspect::run_diff(&args[1..]),
        Some("--version" | "-V") => print(&format!("layerlab {}\n", env!("CARGO_PKG_VERSION"))),
        Some("--help" | "-h" | "help") => print(USAGE),
        Some(other) => Err(Failure::usage(format!("unknown command `{other}`"))),
        None => Err(Failure::usage("missing command")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("{}", failure.message.trim_end());
            }
            ExitCode::from(failure.code)
        }
    }
}
