//! From the simulation to advice: the costliest invalidations and how to avoid them. Each
//! advice has a stable code so lint rules can reuse it.

use std::collections::{BTreeSet, HashMap};

use layerlab_syntax::Keyword;

use crate::content::StepRef;
use crate::context::{ChangeKind, Context, EntryKind};
use crate::images::ImageRef;
use crate::inputs::{short, Cause};
use crate::plan::{Action, Base, CopySource, Origin, Plan, SourceRef, Step};
use crate::report::{Advice, Builder, Status};

/// What the simulation found for one step.
#[derive(Clone, Debug)]
pub(crate) struct Fact {
    pub status: Status,
    pub cause_line: Option<usize>,
    pub why: Cause,
    /// The unpinned tags the step's status assumes did not move.
    pub tags: BTreeSet<String>,
}

pub(crate) struct Inputs<'a> {
    pub plan: &'a Plan,
    pub facts: &'a HashMap<StepRef, Fact>,
    pub context: &'a Context,
    pub builder: Builder,
    pub dockerfile_path: Option<&'a str>,
}

/// A package manager's install command, and the files it reads.
struct Ecosystem {
    commands: &'static [&'static str],
    manifests: &'static [&'static str],
    then: &'static str,
}

const ECOSYSTEMS: &[Ecosystem] = &[
    Ecosystem {
        commands: &["npm ci", "npm install", "npm i "],
        manifests: &[
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            ".npmrc",
        ],
        then: "run the install",
    },
    Ecosystem {
        commands: &["yarn install", "yarn --frozen-lockfile", "yarn --immutable"],
        manifests: &["package.json", "yarn.lock", ".yarnrc.yml"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["pnpm install", "pnpm i ", "pnpm fetch"],
        manifests: &["package.json", "pnpm-lock.yaml"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["poetry install"],
        manifests: &["pyproject.toml", "poetry.lock"],
        then: "run the install (with --no-root)",
    },
    Ecosystem {
        commands: &["pipenv install", "pipenv sync"],
        manifests: &["Pipfile", "Pipfile.lock"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["uv sync", "uv pip install"],
        manifests: &["pyproject.toml", "uv.lock"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["pip install", "pip3 install", "python -m pip install"],
        manifests: &[
            "requirements.txt",
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
        ],
        then: "run the install",
    },
    Ecosystem {
        commands: &["go mod download", "go build", "go install", "go test"],
        manifests: &["go.mod", "go.sum"],
        then: "run `go mod download`",
    },
    Ecosystem {
        commands: &["cargo build", "cargo fetch", "cargo chef cook"],
        manifests: &["Cargo.toml", "Cargo.lock"],
        then: "build the dependencies (cargo fetch, or cargo-chef)",
    },
    Ecosystem {
        commands: &["mvn ", "./mvnw"],
        manifests: &["pom.xml", ".mvn"],
        then: "run `mvn dependency:go-offline`",
    },
    Ecosystem {
        commands: &["gradle ", "./gradlew"],
        manifests: &[
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
            "gradle",
            "gradlew",
        ],
        then: "resolve the dependencies",
    },
    Ecosystem {
        commands: &["bundle install"],
        manifests: &["Gemfile", "Gemfile.lock"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["composer install"],
        manifests: &["composer.json", "composer.lock"],
        then: "run the install",
    },
    Ecosystem {
        commands: &["dotnet restore"],
        manifests: &["*.csproj", "*.sln", "NuGet.config"],
        then: "run the restore",
    },
    Ecosystem {
        commands: &["mix deps.get"],
        manifests: &["mix.exs", "mix.lock"],
        then: "fetch the dependencies",
    },
];

fn ecosystem(command: &str) -> Option<&'static Ecosystem> {
    let text = format!("{} ", command.to_lowercase());
    ECOSYSTEMS
        .iter()
        .find(|e| e.commands.iter().any(|c| contains_command(&text, c)))
}

/// `text` runs `command`: it appears at the start of a word (`cargo build` is not `go build`).
fn contains_command(text: &str, command: &str) -> bool {
    text.match_indices(command).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
    })
}

/// Paths that rarely belong in an image, with the .dockerignore pattern that drops them.
fn junk_pattern(path: &str) -> Option<&'static str> {
    let first = path.split('/').next().unwrap_or(path);
    let name = path.rsplit('/').next().unwrap_or(path);
    let dirs: &[(&str, &str)] = &[
        (".git", ".git"),
        ("node_modules", "node_modules"),
        (".venv", ".venv"),
        ("venv", "venv"),
        ("__pycache__", "**/__pycache__"),
        (".pytest_cache", ".pytest_cache"),
        ("coverage", "coverage"),
        (".idea", ".idea"),
        (".vscode", ".vscode"),
        ("target", "target"),
        (".github", ".github"),
    ];
    if let Some((_, p)) = dirs.iter().find(|(d, _)| *d == first) {
        return Some(p);
    }
    if path.split('/').any(|c| c == "__pycache__") {
        return Some("**/__pycache__");
    }
    if name.ends_with(".log") {
        return Some("**/*.log");
    }
    if name == ".DS_Store" {
        return Some("**/.DS_Store");
    }
    if name.ends_with(".md") {
        return Some("**/*.md");
    }
    None
}

/// ` and the N step(s) after it` for an invalidation that takes `n` steps down, itself
/// included.
fn followers(n: usize) -> String {
    match n {
        0 | 1 => String::new(),
        2 => " and the step after it".to_owned(),
        n => format!(" and the {} steps after it", n - 1),
    }
}

/// Whether the command text names the variable.
fn mentions(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        let after = &rest[i + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        if after.starts_with(name)
            && !after[name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            return true;
        }
        rest = &rest[i + 1..];
    }
    false
}

pub(crate) fn advise(inputs: &Inputs<'_>) -> Vec<Advice> {
    let plan = inputs.plan;
    let facts = inputs.facts;
    let mut steps: Vec<(StepRef, &Step)> = Vec::new();
    for stage in &plan.stages {
        for (i, step) in stage.steps.iter().enumerate() {
            steps.push(((stage.index, i), step));
        }
    }
    let fact = |at: StepRef| facts.get(&at);
    // How many steps a miss at `line` takes down with it (itself included).
    let impact = |line: usize| {
        steps
            .iter()
            .filter(|(at, s)| {
                fact(*at).is_some_and(|f| {
                    matches!(f.status, Status::Rebuilt | Status::MayMiss)
                        && (f.cause_line == Some(line) || s.line == line)
                })
            })
            .count()
    };
    let mut sink = Sink::default();
    for &(at, step) in &steps {
        let Some(f) = fact(at) else { continue };
        if !matches!(f.status, Status::Rebuilt | Status::MayMiss) {
            continue;
        }
        match (&f.why, &step.action) {
            (
                Cause::Context {
                    pattern,
                    difference,
                },
                Action::Copy(copy),
            ) => {
                let path = difference.path.as_str();
                let n = impact(step.line);
                if inputs.dockerfile_path == Some(path) || path == ".dockerignore" {
                    sink.push(
                        "cache/dockerfile-in-context",
                        step.line,
                        format!(
                            "`{path}` is part of the build context, so editing it reruns `{}` (line {}){}: add `{path}` to .dockerignore",
                            short(&step.text),
                            step.line,
                            followers(n)
                        ),
                        n,
                    );
                    continue;
                }
                if let Some(ignore) = junk_pattern(path) {
                    sink.push(
                        "cache/ignore-unneeded",
                        step.line,
                        format!(
                            "a change to {path} reruns `{}` (line {}){}, but the image most likely does not need it: add `{ignore}` to .dockerignore",
                            short(&step.text),
                            step.line,
                            followers(n)
                        ),
                        n,
                    );
                }
                if let ChangeKind::Mode { from, to } = difference.change {
                    sink.push(
                        "cache/file-mode",
                        step.line,
                        format!(
                            "only the permission bits of {path} changed ({from:04o} → {to:04o}), and they are part of the checksum (COPY --chmod does not hide them): keep modes stable, e.g. check out with the same umask or `git config core.fileMode`"
                        ),
                        n,
                    );
                }
                if copy.from == SourceRef::Context {
                    manifests_first(inputs, &steps, at, step, pattern, path, &mut sink);
                }
            }
            (Cause::Env { name, origin }, Action::Run(run)) => {
                let from_arg = matches!(
                    origin,
                    Origin::BuildArg(_) | Origin::ArgDefault(_) | Origin::GlobalArg(_)
                );
                let command = run.args.last().map_or("", String::as_str);
                if from_arg && !mentions(command, name) {
                    let n = impact(step.line);
                    sink.push(
                        "cache/arg-scope",
                        step.line,
                        format!(
                            "ARG {name} changed and reruns `{}` (line {}), which does not use it{}: every RUN after an ARG sees it, so declare `ARG {name}` just before the first step that needs it",
                            short(&step.text),
                            step.line,
                            followers(n)
                        ),
                        n,
                    );
                }
            }
            (Cause::LegacyArg { name }, Action::Run(run)) => {
                let command = run.args.last().map_or("", String::as_str);
                if !mentions(command, name) {
                    let n = impact(step.line);
                    sink.push(
                        "cache/arg-scope",
                        step.line,
                        format!(
                            "build arg {name} changed and reruns `{}` (line {}), which does not use it{}: declare `ARG {name}` just before the first step that needs it",
                            short(&step.text),
                            step.line,
                            followers(n)
                        ),
                        n,
                    );
                }
            }
            (Cause::Definition, Action::Meta) if inputs.builder == Builder::Legacy => {
                let n = impact(step.line);
                if n > 1 {
                    sink.push(
                        "cache/legacy-metadata-early",
                        step.line,
                        format!(
                            "with the classic builder, changing `{}` (line {}) rebuilds the {} step(s) after it: move it to the end of the stage, or build with BuildKit, where a {} change rebuilds nothing",
                            short(&step.text),
                            step.line,
                            n - 1,
                            step.keyword.as_lowercase().to_uppercase()
                        ),
                        n,
                    );
                }
            }
            (Cause::Base, Action::From(Base::Image(r))) if f.status == Status::MayMiss => {
                let n =
                    impact(step.line).max(facts.values().filter(|f| f.tags.contains(r)).count());
                sink.push(
                    "cache/pin-base-image",
                    step.line,
                    format!(
                        "{r} is a tag, and BuildKit resolves it again on every build: when it moves, the {n} step(s) that depend on it rebuild; pin it (`FROM {}@sha256:…`) and update the digest on purpose",
                        ImageRef::parse(r).canonical()
                    ),
                    n,
                );
            }
            (Cause::Uncertain { producers }, Action::Copy(_) | Action::Run(_)) => {
                let reran: Vec<&Step> = producers
                    .iter()
                    .filter(|at| fact(**at).is_some_and(|f| f.status != Status::Cached))
                    .filter_map(|at| plan.stages.get(at.0)?.steps.get(at.1))
                    .filter(|s| matches!(s.action, Action::Run(_)))
                    .collect();
                let Some(first) = reran.last() else { continue };
                let n = impact(step.line);
                sink.push(
                    "cache/reproducible-output",
                    step.line,
                    format!(
                        "`{}` (line {}) copies what `{}` (line {}) produces, and that step re-runs: if it gives byte-identical output for the same inputs (a reproducible build: fixed timestamps, SOURCE_DATE_EPOCH, no embedded build paths), this step{} stays cached",
                        short(&step.text),
                        step.line,
                        short(&first.text),
                        first.line,
                        followers(n)
                    ),
                    n,
                );
            }
            _ => {}
        }
    }
    let mut out = sink.out;
    out.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.line.cmp(&b.line)));
    out
}

/// Collects advice, once per code and line.
#[derive(Default)]
struct Sink {
    out: Vec<Advice>,
    seen: BTreeSet<(&'static str, usize)>,
}

impl Sink {
    fn push(&mut self, code: &'static str, line: usize, message: String, impact: usize) {
        if self.seen.insert((code, line)) {
            self.out.push(Advice {
                code,
                line,
                message,
                impact,
            });
        }
    }
}

/// `editing any file under src/ reruns RUN npm ci: copy the manifests first`.
#[allow(clippy::too_many_arguments)]
fn manifests_first(
    inputs: &Inputs<'_>,
    steps: &[(StepRef, &Step)],
    copy_at: StepRef,
    copy: &Step,
    pattern: &str,
    changed: &str,
    sink: &mut Sink,
) {
    // Only a broad copy (the context root or a directory) can be split.
    let broad = pattern.is_empty()
        || inputs
            .context
            .get(pattern)
            .is_some_and(|e| e.kind == EntryKind::Dir);
    if !broad {
        return;
    }
    for &(at, step) in steps {
        if at.0 != copy_at.0 || at.1 <= copy_at.1 {
            continue;
        }
        let Action::Run(run) = &step.action else {
            continue;
        };
        if step.keyword != Keyword::Run {
            continue;
        }
        let Some(f) = inputs.facts.get(&at) else {
            continue;
        };
        if f.status != Status::Rebuilt || f.cause_line != Some(copy.line) {
            continue;
        }
        let command = run.args.last().map_or("", String::as_str);
        let Some(eco) = ecosystem(command) else {
            continue;
        };
        // Already split: an earlier COPY of the stage brings (some of) the manifests in alone.
        let already = steps.iter().any(|(other, s)| {
            other.0 == copy_at.0
                && other.1 < copy_at.1
                && match &s.action {
                    Action::Run(r) => ecosystem(r.args.last().map_or("", String::as_str))
                        .is_some_and(|e| std::ptr::eq(e, eco)),
                    Action::Copy(c) => c.sources.iter().any(|src| match src {
                        CopySource::Path(p) => {
                            let base = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
                            base.contains('*')
                                || eco.manifests.iter().any(|m| {
                                    *m == base || (m.starts_with("*.") && base.ends_with(&m[1..]))
                                })
                        }
                        _ => false,
                    }),
                    _ => false,
                }
        });
        if already {
            continue;
        }
        let name = changed.rsplit('/').next().unwrap_or(changed);
        let is_manifest = eco.manifests.iter().any(|m| {
            *m == name
                || changed.starts_with(&format!("{m}/"))
                || (m.starts_with("*.") && name.ends_with(&m[1..]))
        });
        if is_manifest {
            continue;
        }
        let base = if pattern.is_empty() {
            String::new()
        } else {
            format!("{pattern}/")
        };
        let present: Vec<&str> = eco
            .manifests
            .iter()
            .copied()
            .filter(|m| inputs.context.get(&format!("{base}{m}")).is_some())
            .collect();
        let files = if present.is_empty() {
            eco.manifests.iter().take(2).copied().collect::<Vec<_>>()
        } else {
            present
        };
        let files = match files.as_slice() {
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => "the manifests".to_owned(),
        };
        let scope = match changed.rsplit_once('/') {
            Some((dir, _)) => {
                let top = dir.split('/').next().unwrap_or(dir);
                format!("editing any file under {top}/")
            }
            None => format!("editing {changed}"),
        };
        let n = inputs
            .facts
            .values()
            .filter(|f| {
                matches!(f.status, Status::Rebuilt | Status::MayMiss)
                    && f.cause_line == Some(copy.line)
            })
            .count();
        sink.push(
            "cache/copy-manifests-first",
            step.line,
            format!(
                "{scope} reruns `{}` (line {}): copy {files} first, then {}, then copy the rest",
                short(&step.text),
                step.line,
                eco.then
            ),
            n,
        );
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn variable_mentions() {
        assert!(mentions("echo $VERSION", "VERSION"));
        assert!(mentions("echo ${VERSION}-x", "VERSION"));
        assert!(!mentions("echo $VERSION_2", "VERSION"));
        assert!(!mentions("npm ci", "VERSION"));
        assert!(ecosystem("/bin/sh -c npm ci --omit=dev").is_some());
        assert_eq!(
            ecosystem("cargo build --release").map(|e| e.manifests[0]),
            Some("Cargo.toml")
        );
        assert!(ecosystem("cargo chef prepare").is_none());
        assert_eq!(junk_pattern(".git/index"), Some(".git"));
        assert_eq!(junk_pattern("src/app.js"), None);
    }
}
