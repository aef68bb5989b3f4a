//! Helpers shared by the simulator's tests: contexts from file lists, scenarios in one call,
//! and compact views of the report.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use layerlab_buildsim::{
    simulate, Builder, Change, Context, Entry, Ignore, Report, Scenario, Status,
};

/// The reference's worked example (`buildkit-semantics.md` §3.12), used by the BuildKit and the
/// classic builder's rule tests alike.
pub const NODE: &str = "\
ARG V=1
FROM node:20
ARG V
WORKDIR /app
COPY package.json ./
RUN npm ci
COPY . .
LABEL build=${V}
RUN npm run build
";

/// The context of [`NODE`].
pub fn node_files() -> Vec<(&'static str, &'static str)> {
    vec![("package.json", "{}"), ("src/a.js", "a"), ("src/b.js", "b")]
}

/// [`NODE`] with its context.
pub fn node() -> Case {
    case(NODE).files(&node_files())
}

/// A context from `(path, content)` pairs (mode 0644), plus a `Dockerfile` entry when
/// `dockerfile` is given.
pub fn context(files: &[(&str, &str)]) -> Context {
    Context::from_entries(
        files
            .iter()
            .map(|(p, c)| (*p, Entry::file_with(c.as_bytes()))),
    )
}

/// A scenario under construction.
#[derive(Clone, Default)]
pub struct Case {
    pub dockerfile: String,
    pub previous_dockerfile: Option<String>,
    pub files: Vec<(String, String)>,
    pub dockerignore: Option<String>,
    pub changes: Vec<Change>,
    pub args: Vec<(String, String)>,
    pub previous_args: Option<Vec<(String, String)>>,
    pub bases: Vec<String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub no_cache_filter: Vec<String>,
    pub assume_tags_unchanged: bool,
    pub legacy: bool,
    /// The Dockerfile is at this path in the context.
    pub dockerfile_in_context: bool,
    /// Extra entries (modes, symlinks) of the next context.
    pub entries: Vec<(String, Entry)>,
    /// The previous build's full context, when given.
    pub previous_entries: Option<Vec<(String, Entry)>>,
}

pub fn case(dockerfile: &str) -> Case {
    Case {
        dockerfile: dockerfile.to_owned(),
        ..Case::default()
    }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

impl Case {
    pub fn files(mut self, files: &[(&str, &str)]) -> Self {
        self.files.extend(pairs(files));
        self
    }
    pub fn ignore(mut self, text: &str) -> Self {
        self.dockerignore = Some(text.to_owned());
        self
    }
    pub fn changed(mut self, path: &str) -> Self {
        self.changes.push(Change::changed(path));
        self
    }
    pub fn added(mut self, path: &str) -> Self {
        self.changes.push(Change::added(path));
        self
    }
    pub fn removed(mut self, path: &str) -> Self {
        self.changes.push(Change::removed(path));
        self
    }
    pub fn args(mut self, args: &[(&str, &str)]) -> Self {
        self.args = pairs(args);
        self
    }
    pub fn previous_args(mut self, args: &[(&str, &str)]) -> Self {
        self.previous_args = Some(pairs(args));
        self
    }
    pub fn previous(mut self, dockerfile: &str) -> Self {
        self.previous_dockerfile = Some(dockerfile.to_owned());
        self
    }
    pub fn base_changed(mut self, image: &str) -> Self {
        self.bases.push(image.to_owned());
        self
    }
    pub fn target(mut self, stage: &str) -> Self {
        self.target = Some(stage.to_owned());
        self
    }
    pub fn no_cache(mut self) -> Self {
        self.no_cache = true;
        self
    }
    pub fn no_cache_filter(mut self, stage: &str) -> Self {
        self.no_cache_filter.push(stage.to_owned());
        self
    }
    pub fn assume_tags_unchanged(mut self) -> Self {
        self.assume_tags_unchanged = true;
        self
    }
    pub fn legacy(mut self) -> Self {
        self.legacy = true;
        self
    }
    pub fn dockerfile_in_context(mut self) -> Self {
        self.dockerfile_in_context = true;
        self
    }
    pub fn entry(mut self, path: &str, entry: Entry) -> Self {
        self.entries.push((path.to_owned(), entry));
        self
    }
    /// The previous context: the next one with these entries replaced.
    pub fn previous_entry(mut self, path: &str, entry: Entry) -> Self {
        self.previous_entries
            .get_or_insert_with(Vec::new)
            .push((path.to_owned(), entry));
        self
    }

    pub fn run(&self) -> Report {
        let files: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let mut raw = context(&files);
        if let Some(text) = &self.dockerignore {
            raw.insert(".dockerignore", Entry::file_with(text.as_bytes()));
        }
        if self.dockerfile_in_context {
            raw.insert("Dockerfile", Entry::file_with(self.dockerfile.as_bytes()));
        }
        for (path, entry) in &self.entries {
            raw.insert(path, entry.clone());
        }
        let ignore = match &self.dockerignore {
            Some(text) => Ignore::parse(text).unwrap(),
            None => Ignore::none(),
        };
        let filtered = ignore.filter(&raw);
        let previous = self.previous_entries.as_ref().map(|entries| {
            let mut prev = raw.clone();
            for (path, entry) in entries {
                prev.insert(path, entry.clone());
            }
            ignore.filter(&prev)
        });
        let mut s = Scenario::new(&self.dockerfile, &filtered, &ignore);
        s.previous_context = previous.as_ref();
        s.builder = if self.legacy {
            Builder::Legacy
        } else {
            Builder::Buildkit
        };
        s.previous_dockerfile = self.previous_dockerfile.as_deref();
        s.dockerfile_path = self.dockerfile_in_context.then_some("Dockerfile");
        s.changes = &self.changes;
        s.build_args = &self.args;
        s.previous_build_args = self.previous_args.as_deref();
        s.changed_bases = &self.bases;
        s.target = self.target.as_deref();
        s.no_cache = self.no_cache;
        s.no_cache_filter = &self.no_cache_filter;
        s.assume_tags_unchanged = self.assume_tags_unchanged;
        simulate(&s)
    }
}

/// `(line, status)` for every row.
pub fn statuses(report: &Report) -> Vec<(usize, Status)> {
    report.steps.iter().map(|s| (s.line, s.status)).collect()
}

/// The status of the (first, non-trigger) row at `line`.
pub fn status(report: &Report, line: usize) -> Status {
    report
        .step(line)
        .unwrap_or_else(|| panic!("no step at line {line}:\n{}", table(report)))
        .status
}

pub fn reason(report: &Report, line: usize) -> String {
    report.step(line).unwrap().reason.clone()
}

/// A readable dump for failure messages.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    for s in &report.steps {
        out.push_str(&format!(
            "{:>3} {:<10} {:<9} {:<40} {}\n",
            s.line,
            s.stage,
            s.status.as_str(),
            s.instruction,
            s.reason
        ));
    }
    for n in &report.diagnostics {
        out.push_str(&format!(
            "note: {:?} {:?} {}\n",
            n.severity, n.line, n.message
        ));
    }
    for a in &report.advice {
        out.push_str(&format!(
            "advice: {} line {} ({}): {}\n",
            a.code, a.line, a.impact, a.message
        ));
    }
    out
}

/// Asserts the statuses of the given lines, printing the whole table on failure.
#[track_caller]
pub fn expect(report: &Report, expected: &[(usize, Status)]) {
    for (line, want) in expected {
        let got = report.step(*line).map(|s| s.status);
        assert_eq!(
            got,
            Some(*want),
            "line {line}: expected {want:?}\n{}",
            table(report)
        );
    }
}
