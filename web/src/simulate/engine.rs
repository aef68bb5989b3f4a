//! Runs a [`SimScenario`] through `layerlab_buildsim`. Only the simulation worker
//! (`bin/sim_worker.rs`) calls this, so only its wasm links the simulator: the page and the
//! editor's worker stay within the first-load budget.

use layerlab_buildsim::{simulate, Builder, Change, Context, Digest, Entry, Ignore, Report};

use super::scenario::{BuilderChoice, FileChange, FileContent, SimScenario};

/// The context as the builder receives it in the next build (before `.dockerignore`).
fn next_context(scenario: &SimScenario) -> Context {
    let entries = scenario
        .files
        .iter()
        .filter(|file| file.change != FileChange::Removed)
        .map(|file| {
            let entry = match &file.content {
                FileContent::Text { text } => Entry::file_with(text.as_bytes()),
                // The fingerprint stands for the bytes: only equality of keys matters.
                FileContent::Local { size, fingerprint } => {
                    let mut bytes = b"local-file:".to_vec();
                    bytes.extend_from_slice(fingerprint.as_bytes());
                    Entry::file(Digest::of_bytes(&bytes), 0o644, *size)
                }
            };
            (file.path.as_str(), entry)
        });
    Context::from_entries(entries)
}

fn changes(scenario: &SimScenario) -> Vec<Change> {
    scenario
        .files
        .iter()
        .filter_map(|file| match file.change {
            FileChange::Unchanged => None,
            FileChange::Edited => Some(Change::changed(&file.path)),
            FileChange::Added => Some(Change::added(&file.path)),
            FileChange::Removed => Some(Change::removed(&file.path)),
        })
        .collect()
}

/// Predicts the next build of `dockerfile`; `Err` only for a `.dockerignore` BuildKit refuses.
pub fn run(dockerfile: &str, scenario: &SimScenario) -> Result<Report, String> {
    let ignore = if scenario.dockerignore.trim().is_empty() {
        Ignore::none()
    } else {
        Ignore::parse(&scenario.dockerignore)
            .map_err(|e| format!(".dockerignore line {}: {}", e.line, e.message))?
    };
    let next = ignore.filter(&next_context(scenario));
    let changes = changes(scenario);
    let build_args: Vec<(String, String)> = scenario
        .passed_args()
        .map(|arg| (arg.name.clone(), arg.value.clone()))
        .collect();
    let any_arg_changed = scenario
        .passed_args()
        .any(|arg| arg.previous_value.is_some());
    let previous_build_args: Option<Vec<(String, String)>> = any_arg_changed.then(|| {
        scenario
            .passed_args()
            .map(|arg| {
                let value = arg.previous_value.as_ref().unwrap_or(&arg.value);
                (arg.name.clone(), value.clone())
            })
            .collect()
    });
    let target = Some(scenario.target.trim()).filter(|t| !t.is_empty());

    let mut s = layerlab_buildsim::Scenario::new(dockerfile, &next, &ignore);
    s.builder = match scenario.builder {
        BuilderChoice::Buildkit => Builder::Buildkit,
        BuilderChoice::Legacy => Builder::Legacy,
    };
    s.previous_dockerfile = scenario.previous_dockerfile.as_deref();
    s.dockerfile_path = Some("Dockerfile");
    s.changes = &changes;
    s.build_args = &build_args;
    s.previous_build_args = previous_build_args.as_deref();
    s.changed_bases = &scenario.base_changed;
    s.target = target;
    s.no_cache = scenario.no_cache;
    s.assume_tags_unchanged = scenario.assume_tags_unchanged;
    Ok(simulate(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::SAMPLE_DOCKERFILE;
    use crate::simulate::report::{CacheStatus, Simulation};
    use crate::simulate::scenario::BuildArg;

    /// What the page reads is what the simulator writes (through the same serde data model
    /// `serde_wasm_bindgen` uses in the browser).
    fn simulated(dockerfile: &str, scenario: &SimScenario) -> Simulation {
        let report = run(dockerfile, scenario).expect("simulates");
        let json = serde_json::to_value(&report).expect("serializes");
        serde_json::from_value(json).expect("the page's mirror types read it")
    }

    fn status_at(simulation: &Simulation, line: u32) -> (CacheStatus, String) {
        let step = simulation
            .steps
            .iter()
            .find(|s| s.line == line)
            .expect("a step at that line");
        (step.status, step.reason.clone())
    }

    #[test]
    fn editing_a_source_file_rebuilds_the_copy_that_reads_it() {
        let mut scenario = SimScenario {
            assume_tags_unchanged: true,
            ..SimScenario::default()
        };
        let quiet = simulated(SAMPLE_DOCKERFILE, &scenario);
        assert_eq!(status_at(&quiet, 7).0, CacheStatus::Cached, "{quiet:?}");

        let main = scenario
            .files
            .iter_mut()
            .find(|f| f.path == "src/main.rs")
            .expect("the sample context has src/main.rs");
        main.change = FileChange::Edited;
        let edited = simulated(SAMPLE_DOCKERFILE, &scenario);
        let (status, reason) = status_at(&edited, 7);
        assert_eq!(status, CacheStatus::Rebuilt);
        assert!(reason.contains("src/main.rs"), "{reason}");
        // The manifests' COPY before it stays cached.
        assert_eq!(status_at(&edited, 6).0, CacheStatus::Cached);
        assert!(!edited.history.is_empty());
    }

    #[test]
    fn build_args_targets_and_the_ignore_file_reach_the_simulator() {
        let dockerfile =
            "FROM alpine:3.20 AS base\nARG V\nRUN echo $V\n\nFROM base AS other\nRUN echo other\n";
        let mut scenario = SimScenario {
            files: Vec::new(),
            assume_tags_unchanged: true,
            target: "base".into(),
            ..SimScenario::default()
        };
        scenario.build_args.push(BuildArg {
            name: "V".into(),
            value: "2".into(),
            previous_value: Some("1".into()),
        });
        let simulation = simulated(dockerfile, &scenario);
        assert_eq!(simulation.target, "base");
        let (status, reason) = status_at(&simulation, 3);
        assert_eq!(status, CacheStatus::Rebuilt);
        assert!(reason.contains('V'), "{reason}");
        assert_eq!(status_at(&simulation, 6).0, CacheStatus::Skipped);
    }

    #[test]
    fn an_ignored_file_changes_nothing() {
        let dockerfile = "FROM scratch\nCOPY . /app\n";
        let mut scenario = SimScenario::default();
        scenario.files[3].change = FileChange::Edited;
        assert_eq!(scenario.files[3].path, "README.md");
        let simulation = simulated(dockerfile, &scenario);
        assert_eq!(status_at(&simulation, 2).0, CacheStatus::Cached);
        assert!(simulation
            .diagnostics
            .iter()
            .any(|note| note.message.contains("README.md")));
        scenario.dockerignore.clear();
        assert_eq!(
            status_at(&simulated(dockerfile, &scenario), 2).0,
            CacheStatus::Rebuilt
        );
    }

    #[test]
    fn local_files_are_keyed_by_their_fingerprint() {
        let dockerfile = "FROM scratch\nCOPY big.bin /\n";
        let mut scenario = SimScenario {
            files: vec![super::super::scenario::ContextFile {
                path: "big.bin".into(),
                content: FileContent::Local {
                    size: 10_000_000,
                    fingerprint: "10000000:1700000000000".into(),
                },
                change: FileChange::Unchanged,
            }],
            ..SimScenario::default()
        };
        assert_eq!(
            status_at(&simulated(dockerfile, &scenario), 2).0,
            CacheStatus::Cached
        );
        scenario.files[0].change = FileChange::Removed;
        let (status, _) = status_at(&simulated(dockerfile, &scenario), 2);
        assert_eq!(status, CacheStatus::Rebuilt);
    }
}
