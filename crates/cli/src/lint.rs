//! `layerlab lint`: hadolint's command line, configuration and exit codes, with exact ranges
//! and fixes. `layerlab rules`: the rule catalogue.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use layerlab_image::archive::Archive;
use layerlab_image::layout;
use layerlab_lint::config::{from_env, parse_config, Config};
use layerlab_lint::output::{render, FileReport, Format};
use layerlab_lint::{
    fix, lint, normalize_image_reference, normalize_platform, registry, Finding, Level, LintOptions,
};

use crate::inspect::FileSource;
use crate::{input, print, Failure};

struct Args {
    files: Vec<String>,
    config_file: Option<String>,
    cli: Config,
    file_path_in_report: Option<String>,
    fix: bool,
    fix_unsafe: bool,
    /// `--base-image-platform REF=PLATFORM,…`: image → platforms.
    base_image_platforms: Vec<(String, Vec<String>)>,
    /// `--base-image [REF=]ARCHIVE`, read once the arguments are all valid.
    base_image_archives: Vec<String>,
}

fn value<'a>(iter: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<String, Failure> {
    iter.next()
        .cloned()
        .ok_or_else(|| Failure::usage(format!("{flag} needs a value")))
}

fn parse_args(args: &[String]) -> Result<Args, Failure> {
    let mut parsed = Args {
        files: Vec::new(),
        config_file: None,
        cli: Config::default(),
        file_path_in_report: None,
        fix: false,
        fix_unsafe: false,
        base_image_platforms: Vec::new(),
        base_image_archives: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, v)) if arg.starts_with("--") => (flag, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let take = |iter: &mut std::slice::Iter<'_, String>| match inline.clone() {
            Some(v) => Ok(v),
            None => value(iter, flag),
        };
        let cli = &mut parsed.cli;
        match flag {
            "-f" | "--format" => {
                let format = take(&mut iter)?;
                if Format::parse(&format).is_none() {
                    return Err(Failure::usage(format!(
                        "unknown format `{format}` (expected one of {})",
                        Format::NAMES.join(", ")
                    )));
                }
                cli.formats = vec![format];
            }
            "-c" | "--config" => parsed.config_file = Some(take(&mut iter)?),
            "--ignore" => cli.ignored.push(take(&mut iter)?),
            "--error" => cli.overrides.push((take(&mut iter)?, Level::Error)),
            "--warning" => cli.overrides.push((take(&mut iter)?, Level::Warning)),
            "--info" => cli.overrides.push((take(&mut iter)?, Level::Info)),
            "--style" => cli.overrides.push((take(&mut iter)?, Level::Style)),
            "-t" | "--failure-threshold" => {
                let level = take(&mut iter)?;
                cli.failure_threshold = Some(
                    Level::parse(&level)
                        .ok_or_else(|| Failure::usage(format!("unknown threshold `{level}`")))?,
                );
            }
            "--no-fail" => cli.no_fail = Some(true),
            "--no-color" => cli.no_color = Some(true),
            "--trusted-registry" => cli.trusted_registries.push(take(&mut iter)?),
            "--require-label" => {
                let pair = take(&mut iter)?;
                let (name, kind) = pair.split_once(':').ok_or_else(|| {
                    Failure::usage(format!(
                        "--require-label expects LABEL:FORMAT, got `{pair}`"
                    ))
                })?;
                cli.label_schema.push((name.to_owned(), kind.to_owned()));
            }
            "--strict-labels" => cli.strict_labels = Some(true),
            "--disable-ignore-pragma" => cli.disable_ignore_pragma = Some(true),
            "--file-path-in-report" => parsed.file_path_in_report = Some(take(&mut iter)?),
            "--base-image-platform" => {
                let spec = take(&mut iter)?;
                parsed
                    .base_image_platforms
                    .push(base_image_platform(&spec)?);
            }
            "--base-image" => parsed.base_image_archives.push(take(&mut iter)?),
            "--fix" => parsed.fix = true,
            "--fix-unsafe" => {
                parsed.fix = true;
                parsed.fix_unsafe = true;
            }
            "-" => parsed.files.push("-".to_owned()),
            other if other.starts_with('-') => {
                return Err(Failure::usage(format!("unknown option `{other}`")))
            }
            file => parsed.files.push(file.to_owned()),
        }
    }
    if parsed.files.is_empty() {
        return Err(Failure::usage(
            "lint needs at least one Dockerfile (or - for stdin)",
        ));
    }
    Ok(parsed)
}

/// `REF=PLATFORM[,PLATFORM…]`, each part checked (and the platforms normalised) now, so a
/// typo is an error rather than a check that silently never matches.
fn base_image_platform(spec: &str) -> Result<(String, Vec<String>), Failure> {
    let bad = |what: String| {
        Failure::usage(format!(
            "--base-image-platform expects REF=PLATFORM[,PLATFORM...], got `{spec}`: {what}"
        ))
    };
    let (reference, platforms) = spec
        .split_once('=')
        .ok_or_else(|| bad("no `=`".to_owned()))?;
    if normalize_image_reference(reference).is_none() {
        return Err(bad(format!("`{reference}` is not an image reference")));
    }
    let platforms = platforms
        .split(',')
        .map(|p| {
            normalize_platform(p.trim()).ok_or_else(|| {
                bad(format!(
                    "`{p}` is not a platform (OS/ARCH[/VARIANT], e.g. linux/arm64)"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((reference.to_owned(), platforms))
}

/// The images a saved archive (`docker save`, skopeo, an OCI layout tar) holds and their
/// platforms, from its index and manifests (no layer is read). `spec` is `ARCHIVE`, whose repo
/// tags name the images, or `REF=ARCHIVE`, which names every image in it `REF` (OCI archives
/// often carry no full name). An archive holding one image under one set of tags gives those
/// tags all of its platforms, tagged or not (a multi-platform index names only the index).
fn base_image_archive(spec: &str) -> Result<Vec<(String, Vec<String>)>, Failure> {
    let (named, path) = match spec.split_once('=') {
        Some((reference, path)) if !Path::new(spec).exists() => (Some(reference), path),
        _ => (None, spec),
    };
    if let Some(reference) = named {
        if normalize_image_reference(reference).is_none() {
            return Err(Failure::usage(format!(
                "--base-image expects [REF=]ARCHIVE, got `{spec}`: `{reference}` is not an image reference"
            )));
        }
    }
    let fail = |what: String| Failure::error(format!("{path}: error: base image archive: {what}"));
    let source = FileSource::open(path).map_err(|f| {
        let what = f
            .message
            .strip_prefix(&format!("{path}: "))
            .unwrap_or(&f.message);
        fail(what.to_owned())
    })?;
    let archive = Archive::index(&source).map_err(|e| fail(e.0))?;
    let found = layout::discover(&archive, &source).map_err(fail)?;
    let images: Vec<(&[String], String)> = found
        .candidates
        .iter()
        .filter(|c| !c.is_artifact())
        .filter_map(|c| {
            let platform = c.platform.as_ref()?;
            platform.os.as_ref()?;
            platform.architecture.as_ref()?;
            Some((
                c.repo_tags.as_slice(),
                normalize_platform(&platform.text())?,
            ))
        })
        .collect();
    if images.is_empty() {
        return Err(fail("no image with a known platform in it".to_owned()));
    }
    if let Some(reference) = named {
        let platforms = images.into_iter().map(|(_, p)| p).collect();
        return Ok(vec![(reference.to_owned(), platforms)]);
    }
    let mut tag_sets: Vec<&[String]> = Vec::new();
    for (tags, _) in &images {
        if !tags.is_empty() && !tag_sets.contains(tags) {
            tag_sets.push(tags);
        }
    }
    let entries: Vec<(String, Vec<String>)> = match tag_sets.as_slice() {
        [] => {
            return Err(fail(format!(
                "it names no image (no repo tags); name it: --base-image REF={path}"
            )))
        }
        [tags] => {
            let platforms: Vec<String> = images.into_iter().map(|(_, p)| p).collect();
            tags.iter()
                .map(|t| (t.clone(), platforms.clone()))
                .collect()
        }
        _ => images
            .into_iter()
            .flat_map(|(tags, platform)| {
                tags.iter()
                    .map(move |t| (t.clone(), vec![platform.clone()]))
            })
            .collect(),
    };
    Ok(entries)
}

/// hadolint's search order; the first file found is used exclusively.
fn find_config() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut candidates = vec![PathBuf::from(".hadolint")];
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from) {
        candidates.push(xdg.join("hadolint"));
    }
    if let Some(home) = &home {
        candidates.push(home.join(".hadolint/hadolint"));
        candidates.push(home.join(".hadolint/config"));
        candidates.push(home.join(".hadolint"));
    }
    candidates
        .into_iter()
        .flat_map(|base| ["yaml", "yml"].map(|ext| base.with_extension(ext)))
        .find(|path| path.is_file())
}

fn load_config(path: &Path) -> Result<Config, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::error(format!(
            "{}: error: cannot read configuration: {e}",
            path.display()
        ))
    })?;
    parse_config(&text).map_err(|e| {
        Failure::error(format!(
            "{}:{}:{}: error: {}",
            path.display(),
            e.line,
            e.column,
            e.message
        ))
    })
}

/// The `.dockerignore` BuildKit would use for this Dockerfile: `<Dockerfile>.dockerignore`
/// beside it, else `.dockerignore` in its directory (the usual build context). Directories'
/// files are read once (`by_dir`): a corpus lint has a thousand Dockerfiles in one directory.
fn dockerignore_for(
    dockerfile: &str,
    by_dir: &mut HashMap<PathBuf, Option<String>>,
) -> Option<String> {
    if dockerfile == "<stdin>" {
        return None;
    }
    if let Ok(text) = std::fs::read_to_string(format!("{dockerfile}.dockerignore")) {
        return Some(text);
    }
    let dir = Path::new(dockerfile).parent().unwrap_or(Path::new("."));
    by_dir
        .entry(dir.to_path_buf())
        .or_insert_with(|| std::fs::read_to_string(dir.join(".dockerignore")).ok())
        .clone()
}

struct Linted {
    name: String,
    /// The text as read, when `--fix` may have changed it.
    original: Option<String>,
    text: String,
    findings: Vec<Finding>,
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let args = parse_args(args)?;
    let env = from_env(|name| std::env::var(name).ok()).map_err(Failure::error)?;
    let file_config = match args
        .config_file
        .as_deref()
        .map(PathBuf::from)
        .or_else(find_config)
    {
        Some(path) => load_config(&path)?,
        None => Config::default(),
    };
    let config = env.merge(file_config).merge(args.cli);
    let mut options = config.lint_options();
    options.base_image_platforms = args.base_image_platforms.clone();
    for spec in &args.base_image_archives {
        options
            .base_image_platforms
            .extend(base_image_archive(spec)?);
    }
    let format_name = config.formats.first().map_or("tty", String::as_str);
    let format = Format::parse(format_name)
        .ok_or_else(|| Failure::usage(format!("unknown format `{format_name}`")))?;

    // Each thread takes the next file (reading it too): files vary a hundredfold in size.
    let next_file = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.min(args.files.len()).max(1);
    let mut linted: Vec<(usize, Result<Linted, Failure>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (options, files, next_file) = (&options, &args.files, &next_file);
                let (fixing, fix_unsafe) = (args.fix, args.fix_unsafe);
                scope.spawn(move || {
                    let mut dockerignores = HashMap::new();
                    let mut done = Vec::new();
                    loop {
                        let index = next_file.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(index) else {
                            break;
                        };
                        let result = input::read(path).map(|source| {
                            let options = LintOptions {
                                dockerignore: dockerignore_for(&source.name, &mut dockerignores),
                                ..options.clone()
                            };
                            let original = fixing.then(|| source.text.clone());
                            let text = if fixing {
                                fix(&source.text, &options, fix_unsafe).0
                            } else {
                                source.text
                            };
                            let findings = lint(&text, &options);
                            Linted {
                                name: source.name,
                                original,
                                text,
                                findings,
                            }
                        });
                        done.push((index, result));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            // A thread that panicked lost the files it held: say so rather than report less.
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    let lost = "error: a lint thread stopped early (a layerlab bug)";
                    vec![(usize::MAX, Err(Failure::error(lost)))]
                })
            })
            .collect()
    });
    linted.sort_unstable_by_key(|(index, _)| *index);
    let linted = linted
        .into_iter()
        .map(|(_, result)| result)
        .collect::<Result<Vec<_>, _>>()?;

    if args.fix {
        for result in &linted {
            let changed = result.original.as_ref().is_some_and(|o| *o != result.text);
            if changed && result.name != "<stdin>" {
                std::fs::write(&result.name, &result.text).map_err(|e| {
                    Failure::error(format!("{}: error: cannot write fixes: {e}", result.name))
                })?;
            }
        }
    }

    let reports: Vec<FileReport<'_>> = linted
        .iter()
        .map(|l| FileReport {
            path: match (&args.file_path_in_report, l.name.as_str()) {
                (Some(path), _) if format != Format::Json => path,
                (_, "<stdin>") => "/dev/stdin",
                (_, name) => name,
            },
            text: &l.text,
            findings: &l.findings,
        })
        .collect();
    let color = format == Format::Tty
        && !config.no_color.unwrap_or(false)
        && std::io::stdout().is_terminal();
    let output = render(format, &reports, color);
    if !output.is_empty() {
        print(&format!("{}\n", output.trim_end()))?;
    } else if format == Format::Json {
        print("[]\n")?;
    }
    let levels = linted
        .iter()
        .flat_map(|l| l.findings.iter().map(|f| f.level));
    if format != Format::Codeclimate && config.fails(levels) {
        return Err(Failure {
            message: String::new(),
            code: 1,
        });
    }
    Ok(())
}

/// `layerlab rules [-f json|markdown]`.
/// Writes the rules' documentation pages (`rules/index.html`, `rules/CODE/index.html`) under
/// `dir`, e.g. the web app's `dist/`.
fn write_site(dir: &std::path::Path) -> Result<(), Failure> {
    for (path, contents) in layerlab_lint::site::pages() {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Failure::error(format!("error: cannot create {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&target, contents).map_err(|e| {
            Failure::error(format!("error: cannot write {}: {e}", target.display()))
        })?;
    }
    Ok(())
}

pub fn rules(args: &[String]) -> Result<(), Failure> {
    let format = match args {
        [] => "markdown",
        [flag, value] if flag == "-f" || flag == "--format" => value.as_str(),
        [flag, dir] if flag == "--site" => return write_site(std::path::Path::new(dir)),
        [flag, code] if flag == "--doc" => {
            let docs = registry::docs(code)
                .ok_or_else(|| Failure::error(format!("error: no rule named `{code}`")))?;
            return print(&format!("{docs}\n"));
        }
        _ => {
            return Err(Failure::usage(
                "rules takes -f json|markdown, --doc CODE, or --site DIR",
            ))
        }
    };
    let metas: Vec<_> = registry::rules().iter().map(|r| r.meta()).collect();
    match format {
        "json" => {
            let rows: Vec<serde_json::Value> = metas
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "code": m.code,
                        "aliases": m.aliases,
                        "level": m.level.as_str(),
                        "category": format!("{:?}", m.category).to_lowercase(),
                        "fixable": m.fixable,
                        "summary": m.summary,
                        "url": m.url(),
                    })
                })
                .collect();
            print(&format!("{}\n", serde_json::Value::Array(rows)))?;
        }
        "markdown" => {
            let mut table = String::from(
                "| Code | Aliases | Level | Category | Fix | Summary |\n|---|---|---|---|---|---|\n",
            );
            for m in metas {
                table.push_str(&format!(
                    "| [{}]({}) | {} | {} | {:?} | {} | {} |\n",
                    m.code,
                    m.url(),
                    m.aliases.join(", "),
                    m.level.as_str(),
                    m.category,
                    if m.fixable { "yes" } else { "" },
                    m.summary.replace('|', "\\|")
                ));
            }
            print(&table)?;
        }
        other => return Err(Failure::usage(format!("unknown rules format `{other}`"))),
    }
    Ok(())
}
