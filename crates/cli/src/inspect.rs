//! `layerlab inspect`: open an image archive, scan its layers on every core, verify every
//! digest, print a summary (tty) or the stable JSON report. The analysis is all in
//! `layerlab-image`; this file reads the file, runs threads, draws progress and prints.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use layerlab_image::compress::{sniff, Compression};
use layerlab_image::diff::{self, ImageDiff, Side};
use layerlab_image::dive::{CiRules, DiveAnalysis, RuleStatus, RuleVerdict};
use layerlab_image::inspect::{
    digest_region, plan, scan_region, scan_region_awaiting_digest, Plan,
};
use layerlab_image::model::Problem;
use layerlab_image::model::{EntryKind, LayerEntries};
use layerlab_image::report::{self, Analysis, Report};
use layerlab_image::scan::{LayerScan, ScanAwaitingDigest, ScanOptions};
use layerlab_image::source::ReadAt;

use crate::{print, Failure};

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
    images: Vec<String>,
    ci: bool,
    ci_config: Option<String>,
    /// Rule values from the command line, applied over `.dive-ci`.
    ci_rules: Vec<(String, String)>,
    files: bool,
    layer: Option<usize>,
}

fn parse_args(args: &[String], command: &str) -> Result<Options, Failure> {
    let mut options = Options {
        verify: true,
        ..Options::default()
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| iter.next().cloned())
                .ok_or_else(|| Failure::usage(format!("{name} needs a value")))
        };
        match flag {
            "-f" | "--format" => match value(flag)?.as_str() {
                "json" => options.json = true,
                "tty" => options.json = false,
                other => {
                    return Err(Failure::usage(format!(
                        "unknown format `{other}` (tty or json)"
                    )))
                }
            },
            "--platform" => options.platform = Some(value(flag)?),
            "--no-verify" => options.verify = false,
            "--ci" if command == "inspect" => options.ci = true,
            "--ci-config" if command == "inspect" => options.ci_config = Some(value(flag)?),
            "--lowest-efficiency"
            | "--highest-wasted-bytes"
            | "--highest-user-wasted-percent"
            | "--lowestEfficiency"
            | "--highestWastedBytes"
            | "--highestUserWastedPercent"
                if command == "inspect" =>
            {
                let rule = value(flag)?;
                options.ci_rules.push((flag.to_string(), rule));
            }
            "--files" if command == "inspect" => options.files = true,
            "--layer" if command == "inspect" => {
                let text = value(flag)?;
                let layer = text.parse().map_err(|_| {
                    Failure::usage(format!("--layer takes a layer number, not `{text}`"))
                })?;
                options.layer = Some(layer);
            }
            other if other.starts_with('-') && other.len() > 1 => {
                return Err(Failure::usage(format!(
                    "unknown option `{other}` for {command}"
                )));
            }
            path => options.images.push(path.to_string()),
        }
    }
    if options.layer.is_some() && !options.files {
        return Err(Failure::usage("--layer goes with --files"));
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let options = parse_args(args, "inspect")?;
    let [path] = options.images.as_slice() else {
        return Err(Failure::usage("inspect takes one IMAGE archive"));
    };
    let mut rules = CiRules::default();
    if options.ci {
        load_dive_ci(options.ci_config.as_deref(), &mut rules)?;
    }
    for (rule, value) in &options.ci_rules {
        rules
            .set(rule, value)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    let inspected = analyze(path, options.platform.as_deref(), options.verify, false)?;
    let report = &inspected.analysis.report;
    let verdicts = options.ci.then(|| rules.evaluate(&inspected.analysis.dive));
    let text = if options.files {
        files_listing(&inspected, options.layer)?
    } else if options.json {
        let mut value = serde_json::to_value(report)
            .map_err(|e| Failure::error(format!("cannot encode the report: {e}")))?;
        if let (Some(verdicts), Some(object)) = (&verdicts, value.as_object_mut()) {
            object.insert(
                "ci".into(),
                serde_json::to_value(verdicts).unwrap_or_default(),
            );
        }
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    } else if let Some(verdicts) = &verdicts {
        ci_text(report, &inspected.analysis.dive, verdicts)
    } else {
        tty(path, report)
    };
    print(&text)?;
    if verdicts.is_some_and(|v| v.iter().any(|v| v.status == RuleStatus::Fail)) {
        return Err(Failure::error(""));
    }
    Ok(())
}

/// `layerlab diff A B`: what changed between two image archives.
pub fn run_diff(args: &[String]) -> Result<(), Failure> {
    let options = parse_args(args, "diff")?;
    let [first, second] = options.images.as_slice() else {
        return Err(Failure::usage("diff takes two IMAGE archives"));
    };
    let a = analyze(first, options.platform.as_deref(), options.verify, true)?;
    let b = analyze(second, options.platform.as_deref(), options.verify, true)?;
    let (a_layers, b_layers) = (a.layer_entries(), b.layer_entries());
    let result = diff::diff(
        &Side {
            report: &a.analysis.report,
            merged: &a.analysis.merged,
            layers: &a_layers,
        },
        &Side {
            report: &b.analysis.report,
            merged: &b.analysis.merged,
            layers: &b_layers,
        },
    );
    let text = if options.json {
        serde_json::to_string_pretty(&result).unwrap_or_default() + "\n"
    } else {
        diff_text(first, second, &result)
    };
    print(&text)
}

/// dive's `.dive-ci`: a `rules:` block of `key: value` lines. Read from `--ci-config`, else
/// from `.dive-ci` in the current directory when it exists (as dive does).
fn load_dive_ci(path: Option<&str>, rules: &mut CiRules) -> Result<(), Failure> {
    let (path, required) = match path {
        Some(path) => (path, true),
        None => (".dive-ci", false),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Failure::error(format!("{path}: {e}"))),
    };
    let mut in_rules = false;
    for (number, line) in text.lines().enumerate() {
        let content = line.split(" #").next().unwrap_or("").trim_end();
        if content.trim().is_empty() || content.trim_start().starts_with('#') {
            continue;
        }
        let indented = content.starts_with(' ') || content.starts_with('\t');
        let Some((key, value)) = content.trim().split_once(':') else {
            return Err(Failure::error(format!(
                "{path}:{}: expected `key: value`",
                number + 1
            )));
        };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if !indented {
            in_rules = key == "rules";
            if !in_rules {
                return Err(Failure::error(format!(
                    "{path}:{}: unknown key `{key}` (only `rules:` is read)",
                    number + 1
                )));
            }
            continue;
        }
        if in_rules {
            rules
                .set(key.trim(), value)
                .map_err(|e| Failure::error(format!("{path}:{}: {e}", number + 1)))?;
        }
    }
    Ok(())
}

/// An analysed archive: the scans are kept for file listings and diffs.
pub struct Inspected {
    pub scans: Vec<Option<LayerScan>>,
    pub plan: Plan,
    pub analysis: Analysis,
}

impl Inspected {
    fn layer_entries(&self) -> Vec<&LayerEntries> {
        self.plan
            .layers
            .iter()
            .map(|job| {
                self.scans
                    .get(job.same_as.unwrap_or(job.index))
                    .and_then(Option::as_ref)
                    .map_or(&EMPTY_LAYER, |scan| &scan.layer)
            })
            .collect()
    }
}

static EMPTY_LAYER: LayerEntries = LayerEntries {
    entries: Vec::new(),
    captured: Vec::new(),
    xattrs: Vec::new(),
    token_hits: Vec::new(),
    content_hashes: Vec::new(),
    has_global_pax_header: false,
};

/// Plans, scans every layer (in parallel when the archive allows it) and analyses them.
pub fn analyze(
    path: &str,
    platform: Option<&str>,
    verify: bool,
    content_hashes: bool,
) -> Result<Inspected, Failure> {
    let source = FileSource::open(path)?;
    let plan = plan(&source, platform).map_err(|e| Failure::error(format!("{path}: {e}")))?;
    let scan_options = ScanOptions {
        verify,
        content_hashes,
        ..ScanOptions::default()
    };
    let progress = Progress::new(&plan, verify && plan.archive.is_random_access());
    let scans = if plan.archive.is_random_access() {
        scan_in_parallel(&source, &plan, &scan_options, &progress)
    } else {
        plan.scan(&source, &scan_options, &mut |layer, done, _| {
            progress.update(layer, Part::Scan, done)
        })
    };
    progress.finish();
    let analysis = report::analyze(&plan, &scans);
    Ok(Inspected {
        scans,
        plan,
        analysis,
    })
}

fn scan_in_parallel(
    source: &FileSource,
    plan: &Plan,
    options: &ScanOptions,
    progress: &Progress,
) -> Vec<Option<LayerScan>> {
    let mut tasks: Vec<Task> = Vec::new();
    for job in plan.jobs_to_scan() {
        let Some(region) = job.region else { continue };
        tasks.push(Task::Scan(job.index, region));
        if options.verify {
            tasks.push(Task::Digest(job.index, region));
        }
    }
    // Costliest first: the longest task bounds the wall time, so start it first.
    tasks.sort_by_cached_key(|task| std::cmp::Reverse(task.cost(source, options.verify)));
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tasks.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<LayerResults>> = Mutex::new(
        (0..plan.layers.len())
            .map(|_| LayerResults::default())
            .collect(),
    );
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(task) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let done = task.run(source, options, progress);
                    let mut results = results
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    if let Some(slot) = results.get_mut(task.layer()) {
                        slot.store(done);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .map(LayerResults::finish)
        .collect()
}

/// Work for a scan thread. With verification on, a layer is two tasks: the scan (decompress,
/// parse, and hash the uncompressed stream of a compressed layer) and the hash of the blob as
/// stored, so both cores hash even when one layer is most of the image.
#[derive(Clone, Copy)]
enum Task {
    Scan(usize, (u64, u64)),
    Digest(usize, (u64, u64)),
}

/// What the tasks of one layer produced.
#[derive(Default)]
struct LayerResults {
    scan: Option<ScanResult>,
    digest: Option<Result<(String, u64), Problem>>,
}

enum ScanResult {
    Complete(LayerScan),
    AwaitingDigest(ScanAwaitingDigest),
}

impl Task {
    fn layer(self) -> usize {
        match self {
            Task::Scan(layer, _) | Task::Digest(layer, _) => layer,
        }
    }

    /// Rough CPU cost in bytes hashed. Hashing runs at about 340 MB/s here; parsing a plain
    /// tar is about ten times cheaper; inflating and hashing the larger uncompressed stream of
    /// a compressed layer costs about four times hashing its blob.
    fn cost(self, source: &FileSource, verify: bool) -> u64 {
        match self {
            Task::Digest(_, (_, size)) => size,
            Task::Scan(_, (offset, size)) => {
                let mut head = [0u8; 4];
                let read = source.read_at(offset, &mut head).unwrap_or(0);
                match sniff(&head[..read]) {
                    Compression::None if verify => size / 10,
                    Compression::None => size,
                    Compression::Gzip | Compression::Zstd => size.saturating_mul(4),
                }
            }
        }
    }

    fn run(self, source: &FileSource, options: &ScanOptions, progress: &Progress) -> TaskResult {
        match self {
            Task::Scan(layer, region) => {
                let mut report = |done| progress.update(layer, Part::Scan, done);
                TaskResult::Scan(if options.verify {
                    ScanResult::AwaitingDigest(scan_region_awaiting_digest(
                        source,
                        region,
                        options,
                        &mut report,
                    ))
                } else {
                    ScanResult::Complete(scan_region(
                        source,
                        layer,
                        region,
                        options,
                        &mut |_, done, _| report(done),
                    ))
                })
            }
            Task::Digest(layer, region) => {
                let mut report = |done| progress.update(layer, Part::Digest, done);
                TaskResult::Digest(digest_region(source, region, &mut report))
            }
        }
    }
}

enum TaskResult {
    Scan(ScanResult),
    Digest(Result<(String, u64), Problem>),
}

impl LayerResults {
    fn store(&mut self, result: TaskResult) {
        match result {
            TaskResult::Scan(scan) => self.scan = Some(scan),
            TaskResult::Digest(digest) => self.digest = Some(digest),
        }
    }

    fn finish(self) -> Option<LayerScan> {
        match self.scan? {
            ScanResult::Complete(scan) => Some(scan),
            ScanResult::AwaitingDigest(scan) => {
                Some(scan.with_blob_digest(self.digest.unwrap_or_else(|| {
                    Err(Problem::error("the layer blob was not hashed".to_owned()))
                })))
            }
        }
    }
}

/// One progress bar per layer on stderr, redrawn at most ten times a second; silent when
/// stderr is not a terminal.
struct Progress {
    enabled: bool,
    state: Mutex<ProgressState>,
}

/// Which task of a layer reports.
#[derive(Clone, Copy)]
enum Part {
    Scan,
    Digest,
}

/// Bytes each task of a layer has read.
struct LayerProgress {
    scanned: u64,
    digested: u64,
    total: u64,
}

impl LayerProgress {
    /// A layer is as far as its slower task.
    fn done(&self) -> u64 {
        self.scanned.min(self.digested)
    }
}

struct ProgressState {
    layers: Vec<LayerProgress>,
    drawn_lines: usize,
    last_draw: Option<Instant>,
}

impl Progress {
    /// `digest_apart`: each layer's blob is hashed by a task of its own ([`Task::Digest`]).
    fn new(plan: &Plan, digest_apart: bool) -> Self {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            state: Mutex::new(ProgressState {
                layers: plan
                    .layers
                    .iter()
                    .map(|job| {
                        let total = job.region.map_or(0, |r| r.1);
                        // Without a digest task, that part counts as done from the start.
                        let digest = if digest_apart { 0 } else { total };
                        LayerProgress {
                            scanned: 0,
                            digested: digest,
                            total,
                        }
                    })
                    .collect(),
                drawn_lines: 0,
                last_draw: None,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ProgressState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn update(&self, layer: usize, part: Part, done: u64) {
        if !self.enabled {
            return;
        }
        let mut state = self.state();
        if let Some(slot) = state.layers.get_mut(layer) {
            match part {
                Part::Scan => slot.scanned = done,
                Part::Digest => slot.digested = done,
            }
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
        let mut state = self.state();
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
    for (layer, progress) in state.layers.iter().enumerate() {
        let (done, total) = (progress.done(), progress.total);
        let fraction = if total == 0 {
            1.0
        } else {
            (done as f64 / total as f64).min(1.0)
        };
        let filled = (fraction * 30.0) as usize;
        text.push_str(&format!(
            "\x1b[2Klayer {layer:>3} [{}{}] {:>10} / {}\n",
            "#".repeat(filled),
            " ".repeat(30 - filled),
            human_bytes(done),
            human_bytes(total)
        ));
    }
    state.drawn_lines = state.layers.len();
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

/// `TYPE SIZE MODE LAYER PATH`, one line per merged path (or per entry of one layer), by path.
fn files_listing(inspected: &Inspected, layer: Option<usize>) -> Result<String, Failure> {
    let mut out = String::new();
    let mut line =
        |kind: EntryKind, size: u64, mode: u32, layer: usize, path: &str, link: Option<&str>| {
            let path = if path.is_empty() { "/" } else { path };
            out.push_str(&format!(
                "{:<9} {:>12} {:04o} {:>5} {path}",
                kind.as_str(),
                size,
                mode,
                layer
            ));
            if let Some(link) = link {
                out.push_str(&format!(" -> {link}"));
            }
            out.push('\n');
        };
    match layer {
        None => {
            for node in inspected.analysis.merged.nodes() {
                let size = node.resolved_size.unwrap_or(node.size);
                line(
                    node.kind,
                    size,
                    node.mode,
                    node.layer,
                    &node.path,
                    node.link_target.as_deref(),
                );
            }
        }
        Some(index) => {
            let layers = inspected.layer_entries();
            let Some(entries) = layers.get(index) else {
                return Err(Failure::usage(format!(
                    "--layer {index}: the image has {} layer(s), numbered from 0",
                    layers.len()
                )));
            };
            let mut sorted: Vec<_> = entries.entries.iter().collect();
            sorted.sort_by(|a, b| a.path.cmp(&b.path));
            for entry in sorted {
                line(
                    entry.kind,
                    entry.size,
                    entry.mode,
                    index,
                    &entry.path,
                    entry.link_target.as_deref(),
                );
            }
        }
    }
    Ok(out)
}

/// dive's CI report: the three numbers, the inefficient files, each rule's verdict.
fn ci_text(report: &Report, dive: &DiveAnalysis, verdicts: &[RuleVerdict]) -> String {
    let mut out = String::from("  efficiency: ");
    out.push_str(&format!("{:.4} %\n", dive.efficiency * 100.0));
    out.push_str(&format!(
        "  wastedBytes: {} bytes ({})\n",
        dive.wasted_bytes,
        human_bytes(dive.wasted_bytes)
    ));
    match dive.user_wasted_percent {
        Some(ratio) => out.push_str(&format!("  userWastedPercent: {:.4} %\n", ratio * 100.0)),
        None => out.push_str("  userWastedPercent: n/a (one layer)\n"),
    }
    out.push_str(&format!(
        "  reclaimable (every hidden file version, counted once): {} bytes ({})\n",
        report.reclaimable_bytes,
        human_bytes(report.reclaimable_bytes)
    ));
    if !dive.inefficiencies.is_empty() {
        out.push_str("Inefficient Files:\nCount  Wasted Space  File Path\n");
        for item in dive.inefficiencies.iter().rev() {
            out.push_str(&format!(
                "{:<5}  {:>12}  {}\n",
                item.count,
                human_bytes(item.cumulative_size),
                item.path
            ));
        }
    }
    out.push_str("Results:\n");
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for verdict in verdicts {
        let tag = match verdict.status {
            RuleStatus::Pass => {
                passed += 1;
                "PASS"
            }
            RuleStatus::Fail => {
                failed += 1;
                "FAIL"
            }
            RuleStatus::Skip => {
                skipped += 1;
                "SKIP"
            }
        };
        out.push_str(&format!("  {tag}: {}", verdict.rule));
        if verdict.status == RuleStatus::Fail {
            out.push_str(&format!(": {}", verdict.message));
        }
        out.push('\n');
    }
    let result = if failed > 0 { "FAIL" } else { "PASS" };
    out.push_str(&format!(
        "Result:{result} [Total:{}] [Passed:{passed}] [Failed:{failed}] [Warn:0] [Skipped:{skipped}]\n",
        verdicts.len()
    ));
    out
}

fn diff_text(first: &str, second: &str, result: &ImageDiff) -> String {
    let mut out = format!(
        "{first} -> {second}\nlayers: {} shared, {} only in the first, {} only in the second\n",
        result.shared_layers.len(),
        result.only_in_first.len(),
        result.only_in_second.len()
    );
    let signed = |delta: i64| {
        let sign = if delta < 0 { "-" } else { "+" };
        format!("{sign}{}", human_bytes(delta.unsigned_abs()))
    };
    out.push_str(&format!(
        "files: {} added, {} removed, {} changed; visible bytes {}, layer blobs {}\n",
        result.added.len(),
        result.removed.len(),
        result.changed.len(),
        signed(result.size_delta),
        signed(result.compressed_delta)
    ));
    for file in &result.added {
        let size = file.after.as_ref().map_or(0, |s| s.size);
        out.push_str(&format!("A {:>10}  {}\n", human_bytes(size), file.path));
    }
    for file in &result.removed {
        let size = file.before.as_ref().map_or(0, |s| s.size);
        out.push_str(&format!("D {:>10}  {}\n", human_bytes(size), file.path));
    }
    for file in &result.changed {
        let size = file.after.as_ref().map_or(0, |s| s.size);
        out.push_str(&format!(
            "M {:>10}  {} ({})\n",
            human_bytes(size),
            file.path,
            file.what.join(", ")
        ));
    }
    out
}
