//! `layerlab inspect`: open an image archive, scan its layers on every core, verify every
//! digest, print a summary (tty) or the stable JSON report. The analysis is all in
//! `layerlab-image`; this file reads the file, runs threads, draws progress and prints.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use layerlab_image::inspect::{plan, scan_job, Plan};
use layerlab_image::report::{self, Report};
use layerlab_image::scan::{LayerScan, ScanOptions};
use layerlab_image::source::ReadAt;

use crate::Failure;

/// The archive file, read with positioned reads so threads can share it.
pub struct FileSource {
    file: File,
    size: u64,
}

impl FileSource {
    pub fn open(path: &str) -> Result<Self, Failure> {
        let file = File::open(path).map_err(|e| Failure::error(format!("{path}: {e}")))?;
        let metadata = file
            .metadata()
            .map_err(|e| Failure::error(format!("{path}: {e}")))?;
        if metadata.is_dir() {
            return Err(Failure::error(format!(
                "{path}: is a directory, not an image archive"
            )));
        }
        Ok(FileSource {
            file,
            size: metadata.len(),
        })
    }
}

impl ReadAt for FileSource {
    fn size(&self) -> u64 {
        self.size
    }

    #[cfg(unix)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(&self.file, buf, offset)
    }

    #[cfg(windows)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(&self.file, buf, offset)
    }
}

#[derive(Default)]
struct Options {
    json: bool,
    platform: Option<String>,
    verify: bool,
    image: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options {
        verify: true,
        ..Options::default()
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| Failure::usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "-f" | "--format" => match value(arg)?.as_str() {
                "json" => options.json = true,
                "tty" => options.json = false,
                other => {
                    return Err(Failure::usage(format!(
                        "unknown format `{other}` (tty or json)"
                    )))
                }
            },
            "--platform" => options.platform = Some(value(arg)?),
            "--no-verify" => options.verify = false,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(Failure::usage(format!(
                    "unknown option `{flag}` for inspect"
                )));
            }
            path => {
                if options.image.replace(path.to_string()).is_some() {
                    return Err(Failure::usage("inspect takes one IMAGE archive"));
                }
            }
        }
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let options = parse_args(args)?;
    let path = options
        .image
        .clone()
        .ok_or_else(|| Failure::usage("inspect needs an IMAGE archive"))?;
    let report = analyze(&path, options.platform.as_deref(), options.verify)?;
    let mut out = std::io::stdout().lock();
    let printed = if options.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write!(out, "{}", tty(&path, &report))
    };
    match printed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::error(format!("cannot write the report: {e}")))
        }
        _ => Ok(()),
    }
}

/// Plans, scans every layer (in parallel when the archive allows it) and builds the report.
pub fn analyze(path: &str, platform: Option<&str>, verify: bool) -> Result<Report, Failure> {
    let source = FileSource::open(path)?;
    let plan = plan(&source, platform).map_err(|e| Failure::error(format!("{path}: {e}")))?;
    let scan_options = ScanOptions {
        verify,
        ..ScanOptions::default()
    };
    let progress = Progress::new(&plan);
    let scans = if plan.archive.is_random_access() {
        scan_in_parallel(&source, &plan, &scan_options, &progress)
    } else {
        plan.scan(&source, &scan_options, &mut |layer, done, total| {
            progress.update(layer, done, total)
        })
    };
    progress.finish();
    Ok(report::build(&plan, &scans))
}

fn scan_in_parallel(
    source: &FileSource,
    plan: &Plan,
    options: &ScanOptions,
    progress: &Progress,
) -> Vec<Option<LayerScan>> {
    let mut jobs: Vec<_> = plan.jobs_to_scan().collect();
    // Largest first: the biggest layer bounds the wall time, so start it first.
    jobs.sort_by_key(|job| std::cmp::Reverse(job.region.map_or(0, |r| r.1)));
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let scans = Mutex::new(vec![None; plan.layers.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let scan = scan_job(source, job, options, &mut |layer, done, total| {
                        progress.update(layer, done, total)
                    });
                    let mut scans = scans
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    if let Some(slot) = scans.get_mut(job.index) {
                        *slot = Some(scan);
                    }
                }
            });
        }
    });
    scans
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One progress bar per layer on stderr, redrawn at most ten times a second; silent when
/// stderr is not a terminal.
struct Progress {
    enabled: bool,
    state: Mutex<ProgressState>,
}

struct ProgressState {
    done: Vec<(u64, u64)>,
    drawn_lines: usize,
    last_draw: Option<Instant>,
}

impl Progress {
    fn new(plan: &Plan) -> Self {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            state: Mutex::new(ProgressState {
                done: plan
                    .layers
                    .iter()
                    .map(|job| (0, job.region.map_or(0, |r| r.1)))
                    .collect(),
                drawn_lines: 0,
                last_draw: None,
            }),
        }
    }

    fn update(&self, layer: usize, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(slot) = state.done.get_mut(layer) {
            *slot = (done, total);
        }
        if state
            .last_draw
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        state.last_draw = Some(Instant::now());
        draw(&mut state);
    }

    fn finish(&self) {
        if !self.enabled {
            return;
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Clear the bars: the report follows on stdout.
        let mut err = std::io::stderr().lock();
        if state.drawn_lines > 0 {
            let _ = write!(err, "\x1b[{}A\x1b[J", state.drawn_lines);
        }
        state.drawn_lines = 0;
    }
}

fn draw(state: &mut ProgressState) {
    let mut text = String::new();
    if state.drawn_lines > 0 {
        text.push_str(&format!("\x1b[{}A", state.drawn_lines));
    }
    for (layer, (done, total)) in state.done.iter().enumerate() {
        let fraction = if *total == 0 {
            1.0
        } else {
            (*done as f64 / *total as f64).min(1.0)
        };
        let filled = (fraction * 30.0) as usize;
        text.push_str(&format!(
            "\x1b[2Klayer {layer:>3} [{}{}] {:>10} / {}\n",
            "#".repeat(filled),
            " ".repeat(30 - filled),
            human_bytes(*done),
            human_bytes(*total)
        ));
    }
    state.drawn_lines = state.done.len();
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Bytes in binary units, as `du -h` and dive print them.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The JSON name of an enum value (`ok`, `mismatch`, `error`, …), for the tty report.
fn label(value: impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn tty(path: &str, report: &Report) -> String {
    let mut out = String::new();
    let format = label(report.format);
    out.push_str(&format!("{path}: {format}, {}", report.platform));
    if report.platforms.len() > 1 {
        out.push_str(&format!(" (of {})", report.platforms.join(", ")));
    }
    out.push('\n');
    if !report.repo_tags.is_empty() {
        out.push_str(&format!("tags:     {}\n", report.repo_tags.join(", ")));
    }
    out.push_str(&format!(
        "image id: {} (config {})\n",
        report.config_digest.as_deref().unwrap_or("unknown"),
        label(report.verified.config)
    ));
    if let Some(manifest) = &report.manifest_digest {
        out.push_str(&format!(
            "manifest: {manifest} ({})\n",
            label(report.verified.manifest)
        ));
    }
    out.push_str(&format!(
        "\n{:>5}  {:>10}  {:>10}  {:>7}  {:<14}  {}\n",
        "LAYER", "BLOB", "TAR", "ENTRIES", "DIGEST/DIFF_ID", "CREATED BY"
    ));
    for layer in &report.layers {
        let verified = format!(
            "{}/{}",
            label(layer.verified.digest),
            label(layer.verified.diff_id)
        );
        let created_by = layer
            .created_by
            .as_deref()
            .unwrap_or("")
            .trim_start_matches("/bin/sh -c ")
            .replace('\n', "↵");
        let created_by: String = created_by.chars().take(60).collect();
        out.push_str(&format!(
            "{:>5}  {:>10}  {:>10}  {:>7}  {:<14}  {}\n",
            layer.index,
            human_bytes(layer.compressed_size),
            human_bytes(layer.size),
            layer.entries,
            verified,
            created_by
        ));
    }
    if !report.problems.is_empty() {
        out.push_str("\nproblems:\n");
        for problem in &report.problems {
            out.push_str(&format!(
                "  {}: {}\n",
                label(problem.severity),
                problem.message
            ));
        }
    }
    out
}
