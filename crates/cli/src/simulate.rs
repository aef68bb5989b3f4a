//! `layerlab simulate`: predicts which steps of the next build hit the cache, and why.
//!
//! The CLI does the IO: it walks the context directory (skipping what `.dockerignore` excludes,
//! as the Docker client does), hashes every file it sends, and hands the core a virtual
//! context. Everything it prints comes from `layerlab-buildsim`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use layerlab_buildsim::{
    simulate, Builder, Change, ContentHasher, Context, Decision, Entry, Ignore, MatchInfo, Report,
    Scenario, Severity, Status,
};

use crate::{input, print, Failure};

/// `Change::changed`, `Change::added` or `Change::removed`.
type MakeChange = fn(&str) -> Change;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Tty,
    Json,
}

struct Args {
    builder: Builder,
    context: Option<String>,
    dockerignore: Option<String>,
    changes: Vec<(String, MakeChange)>,
    previous_dockerfile: Option<String>,
    build_args: Vec<(String, String)>,
    previous_build_args: Option<Vec<(String, String)>>,
    base_changed: Vec<String>,
    target: Option<String>,
    no_cache: bool,
    no_cache_filter: Vec<String>,
    assume_tags_unchanged: bool,
    format: Format,
    no_color: bool,
    dockerfile: Option<String>,
}

fn build_arg(text: &str) -> Option<(String, String)> {
    match text.split_once('=') {
        Some((k, v)) => Some((k.to_owned(), v.to_owned())),
        // `--build-arg NAME` takes the value from the environment, as docker does; unset
        // means not given.
        None => std::env::var(text).ok().map(|v| (text.to_owned(), v)),
    }
}

fn parse_args(args: &[String]) -> Result<Args, Failure> {
    let mut out = Args {
        builder: Builder::Buildkit,
        context: None,
        dockerignore: None,
        changes: Vec::new(),
        previous_dockerfile: None,
        build_args: Vec::new(),
        previous_build_args: None,
        base_changed: Vec::new(),
        target: None,
        no_cache: false,
        no_cache_filter: Vec::new(),
        assume_tags_unchanged: false,
        format: Format::Tty,
        no_color: false,
        dockerfile: None,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if arg.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let takes_value = matches!(
            flag,
            "--builder"
                | "--context"
                | "--dockerignore"
                | "--changed"
                | "--added"
                | "--removed"
                | "--previous-dockerfile"
                | "--build-arg"
                | "--previous-build-arg"
                | "--base-changed"
                | "--target"
                | "--no-cache-filter"
                | "-f"
                | "--format"
        );
        let value = if takes_value {
            match inline {
                Some(v) => v,
                None => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| Failure::usage(format!("{flag} needs a value")))?,
            }
        } else {
            String::new()
        };
        match flag {
            "--builder" => {
                out.builder = match value.as_str() {
                    "buildkit" => Builder::Buildkit,
                    "legacy" | "classic" => Builder::Legacy,
                    other => {
                        return Err(Failure::usage(format!(
                            "unknown builder `{other}` (expected buildkit or legacy)"
                        )))
                    }
                }
            }
            "--context" => out.context = Some(value),
            "--dockerignore" => out.dockerignore = Some(value),
            "--changed" => out.changes.push((value, Change::changed)),
            "--added" => out.changes.push((value, Change::added)),
            "--removed" => out.changes.push((value, Change::removed)),
            "--previous-dockerfile" => out.previous_dockerfile = Some(value),
            "--build-arg" => out.build_args.extend(build_arg(&value)),
            "--previous-build-arg" => out
                .previous_build_args
                .get_or_insert_with(Vec::new)
                .extend(build_arg(&value)),
            "--base-changed" => out.base_changed.push(value),
            "--target" => out.target = Some(value),
            "--no-cache" => out.no_cache = true,
            "--no-cache-filter" => out.no_cache_filter.extend(
                value
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "--assume-tags-unchanged" => out.assume_tags_unchanged = true,
            "--no-color" => out.no_color = true,
            "-f" | "--format" => {
                out.format = match value.as_str() {
                    "tty" => Format::Tty,
                    "json" => Format::Json,
                    other => {
                        return Err(Failure::usage(format!(
                            "unknown format `{other}` (expected tty or json)"
                        )))
                    }
                }
            }
            file if out.dockerfile.is_none() && (file == "-" || !file.starts_with('-')) => {
                out.dockerfile = Some(file.to_owned());
            }
            other => return Err(Failure::usage(format!("unexpected argument `{other}`"))),
        }
    }
    Ok(out)
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let args = parse_args(args)?;
    let dockerfile_arg = args
        .dockerfile
        .clone()
        .ok_or_else(|| Failure::usage("simulate needs a DOCKERFILE (or - for stdin)"))?;
    let source = input::read(&dockerfile_arg)?;
    let previous = match &args.previous_dockerfile {
        Some(path) => Some(input::read(path)?.text),
        None => None,
    };
    let dockerfile_path = (dockerfile_arg != "-").then(|| PathBuf::from(&dockerfile_arg));
    let context_dir = match (&args.context, &dockerfile_path) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(file)) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        (None, None) => PathBuf::from("."),
    };
    if !context_dir.is_dir() {
        return Err(Failure::error(format!(
            "{}: error: the build context is not a directory",
            context_dir.display()
        )));
    }
    let ignore = read_ignore(&args, &context_dir, dockerfile_path.as_deref())?;
    let context = load_context(&context_dir, &ignore)?;
    let in_context = dockerfile_path
        .as_deref()
        .and_then(|p| relative_to(&context_dir, p));
    let changes: Vec<Change> = args
        .changes
        .iter()
        .map(|(path, make)| make(&context_path(&context_dir, path)))
        .collect();

    let mut scenario = Scenario::new(&source.text, &context, &ignore);
    scenario.builder = args.builder;
    scenario.previous_dockerfile = previous.as_deref();
    scenario.dockerfile_path = in_context.as_deref();
    scenario.changes = &changes;
    scenario.build_args = &args.build_args;
    scenario.previous_build_args = args.previous_build_args.as_deref();
    scenario.changed_bases = &args.base_changed;
    scenario.target = args.target.as_deref();
    scenario.no_cache = args.no_cache;
    scenario.no_cache_filter = &args.no_cache_filter;
    scenario.assume_tags_unchanged = args.assume_tags_unchanged;
    let report = simulate(&scenario);

    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::error(format!("error: cannot serialize: {e}")))?;
            print(&format!("{text}\n"))?;
        }
        Format::Tty => {
            let color = !args.no_color
                && std::env::var_os("NO_COLOR").is_none()
                && std::io::stdout().is_terminal();
            print(&render(&report, &source.name, color))?;
        }
    }
    if report.has_errors() {
        return Err(Failure {
            message: String::new(),
            code: 1,
        });
    }
    Ok(())
}

/// `--dockerignore FILE`, else `<Dockerfile>.dockerignore` beside the Dockerfile, else
/// `.dockerignore` at the context root (BuildKit's `dockerui` order).
fn read_ignore(
    args: &Args,
    context_dir: &Path,
    dockerfile: Option<&Path>,
) -> Result<Ignore, Failure> {
    let candidates: Vec<PathBuf> = match &args.dockerignore {
        Some(path) => vec![PathBuf::from(path)],
        None => {
            let mut c = Vec::new();
            if let Some(file) = dockerfile {
                let mut name = file.as_os_str().to_owned();
                name.push(".dockerignore");
                c.push(PathBuf::from(name));
            }
            c.push(context_dir.join(".dockerignore"));
            c
        }
    };
    for path in candidates {
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && args.dockerignore.is_none() => {
                continue
            }
            Err(e) => {
                return Err(Failure::error(format!(
                    "{}: error: cannot read: {e}",
                    path.display()
                )))
            }
        };
        return Ignore::parse(&text).map_err(|e| {
            Failure::error(format!(
                "{}:{}: error: {}",
                path.display(),
                e.line,
                e.message
            ))
        });
    }
    Ok(Ignore::none())
}

/// A path given on the command line, as a path of the context: relative to the context when
/// it names something under it from the current directory, else taken as context-relative.
fn context_path(context_dir: &Path, given: &str) -> String {
    let candidate = Path::new(given);
    if let Some(rel) = relative_to(context_dir, candidate) {
        if candidate.is_absolute() || candidate.exists() {
            return rel;
        }
    }
    given.trim_start_matches("./").to_owned()
}

/// `path` relative to `dir` when it lies inside it (both resolved).
fn relative_to(dir: &Path, path: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    // Resolve the parent (the path itself may not exist, e.g. a removed file).
    let parent = absolute.parent()?;
    let name = absolute.file_name()?;
    let resolved = std::fs::canonicalize(parent).ok()?.join(name);
    let rel = resolved.strip_prefix(&dir).ok()?;
    let text = rel.to_string_lossy().replace('\\', "/");
    (!text.is_empty()).then_some(text)
}

/// Walks the context like the Docker client: excluded directories are not entered (unless an
/// exception may match inside), excluded files are not read.
fn load_context(dir: &Path, ignore: &Ignore) -> Result<Context, Failure> {
    let mut context = Context::new();
    if let Ok(meta) = std::fs::metadata(dir) {
        context.set_root(Entry::dir(mode_of(&meta)));
    }
    walk(dir, "", ignore, &MatchInfo::default(), &mut context)?;
    Ok(context)
}

/// Adds what is sent from `dir` (context path `base`); returns whether anything was.
fn walk(
    dir: &Path,
    base: &str,
    ignore: &Ignore,
    info: &MatchInfo,
    context: &mut Context,
) -> Result<bool, Failure> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| Failure::error(format!("{}: error: cannot read: {e}", dir.display())))?;
    let mut entries: Vec<(String, PathBuf)> = read
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    entries.sort();
    let mut any = false;
    for (name, path) in entries {
        let rel = if base.is_empty() {
            name.clone()
        } else {
            format!("{base}/{name}")
        };
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|e| Failure::error(format!("{}: error: cannot read: {e}", path.display())))?;
        let is_dir = meta.is_dir();
        let (decision, child_info) = ignore.decide(&rel, is_dir, info);
        match decision {
            Decision::Skip => continue,
            Decision::Enter if !is_dir => continue,
            _ => {}
        }
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).map_err(|e| {
                Failure::error(format!("{}: error: cannot read: {e}", path.display()))
            })?;
            context.insert(&rel, Entry::symlink(&target.to_string_lossy()));
            any = true;
        } else if is_dir {
            let mode = mode_of(&meta);
            if decision == Decision::Include {
                context.insert(&rel, Entry::dir(mode));
                walk(&path, &rel, ignore, &child_info, context)?;
                any = true;
            } else if walk(&path, &rel, ignore, &child_info, context)? {
                context.insert(&rel, Entry::dir(mode));
                any = true;
            }
        } else if meta.is_file() {
            let digest = hash_file(&path)?;
            context.insert(&rel, Entry::file(digest, mode_of(&meta), meta.len()));
            any = true;
        }
    }
    Ok(any)
}

fn hash_file(path: &Path) -> Result<layerlab_buildsim::Digest, Failure> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| Failure::error(format!("{}: error: cannot read: {e}", path.display())))?;
    let mut hasher = ContentHasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Failure::error(format!("{}: error: cannot read: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finish())
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    if meta.is_dir() {
        0o755
    } else if meta.permissions().readonly() {
        0o444
    } else {
        0o644
    }
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// The status, with `*` when it assumes a base-image tag did not move.
    fn status(&self, status: Status, assumes_tag: bool) -> String {
        let mark = if assumes_tag { "*" } else { "" };
        let text = format!("{:<9}", format!("{}{mark}", status.as_str()));
        let code = match status {
            Status::Cached => "32",
            Status::Rebuilt => "31",
            Status::MayMiss => "33",
            Status::Skipped => "2",
        };
        self.wrap(code, &text)
    }
}

/// Cuts to `width` characters, with an ellipsis.
fn fit(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= width {
        format!("{flat:<width$}")
    } else {
        let mut s: String = flat.chars().take(width.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The readable table: one step per line, the reason beside it.
fn render(report: &Report, name: &str, color: bool) -> String {
    let paint = Paint { on: color };
    let builder = match report.builder {
        Builder::Buildkit => "BuildKit",
        Builder::Legacy => "classic builder",
    };
    let mut out = format!(
        "{} — {builder}, target `{}`\n\n",
        paint.wrap("1", name),
        report.target
    );
    let stage_width = report
        .steps
        .iter()
        .map(|s| s.stage.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 16);
    out.push_str(&paint.wrap(
        "1",
        &format!(
            "{:>4}  {:<stage_width$}  {:<9}  {:<44}  {}",
            "LINE", "STAGE", "STATUS", "INSTRUCTION", "REASON"
        ),
    ));
    out.push('\n');
    for step in &report.steps {
        let instruction = fit(&step.instruction, 44);
        let instruction = if step.op || step.status == Status::Skipped {
            instruction
        } else {
            paint.wrap("2", &instruction)
        };
        out.push_str(&format!(
            "{:>4}  {}  {}  {}  {}\n",
            step.line,
            fit(&step.stage, stage_width),
            paint.status(step.status, !step.depends_on_tags.is_empty()),
            instruction,
            step.reason
        ));
    }
    let s = &report.summary;
    out.push_str(&format!(
        "\n{} cached, {} rebuilt, {} may miss, {} skipped (cache steps only)\n",
        paint.wrap("32", &s.cached.to_string()),
        paint.wrap("31", &s.rebuilt.to_string()),
        paint.wrap("33", &s.may_miss.to_string()),
        s.skipped
    ));
    if !report.moving_tags.is_empty() {
        out.push_str(&format!(
            "* {} step(s) assume that {} did not move: BuildKit resolves a tag on every build, so it cannot be known from here. Pin with @sha256:…, or say what happened: --base-changed IMAGE if it moved, --assume-tags-unchanged if not\n",
            s.depends_on_tags,
            report
                .moving_tags
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let layers: Vec<_> = report
        .history
        .iter()
        .filter(|h| !h.empty_layer && !h.base)
        .collect();
    if !layers.is_empty() {
        let new = layers
            .iter()
            .filter(|h| h.status == Status::Rebuilt)
            .count();
        let maybe = layers
            .iter()
            .filter(|h| h.status == Status::MayMiss)
            .count();
        out.push_str(&format!(
            "final image: {} layer(s) on top of the base, {new} new, {maybe} maybe new\n",
            layers.len()
        ));
        for h in &layers {
            if h.status != Status::Cached {
                out.push_str(&format!(
                    "  {} {}\n",
                    paint.status(h.status, false),
                    fit(&h.created_by, 100).trim_end()
                ));
            }
        }
    }
    if !report.advice.is_empty() {
        out.push_str(&format!("\n{}\n", paint.wrap("1", "advice")));
        for a in &report.advice {
            out.push_str(&format!("  line {}: {} [{}]\n", a.line, a.message, a.code));
        }
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
        for n in &report.diagnostics {
            let (label, code) = match n.severity {
                Severity::Error => ("error", "31"),
                Severity::Warning => ("warning", "33"),
                Severity::Info => ("note", "36"),
            };
            let at = n.line.map_or_else(String::new, |l| format!("{name}:{l}: "));
            out.push_str(&format!("{at}{}: {}\n", paint.wrap(code, label), n.message));
        }
    }
    out
}
