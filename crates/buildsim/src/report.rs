//! What a simulation returns: one result per instruction, the predicted image history, advice
//! and diagnostics. Serialises to the JSON the CLI prints and the browser receives.

use serde::Serialize;

/// Which builder is simulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Builder {
    /// BuildKit (`docker build` since Engine 23, `docker buildx build`).
    #[default]
    Buildkit,
    /// The classic builder (`DOCKER_BUILDKIT=0`).
    Legacy,
}

/// What happens to a step in the next build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Its cache key matches the previous build: reused.
    Cached,
    /// Hits only if an input whose outcome cannot be known (a RUN's output, a moving tag, a
    /// URL) comes out identical; the reason names it.
    MayMiss,
    /// Its cache key is new: it runs again.
    Rebuilt,
    /// Not built at all (not needed for the target).
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Cached => "cached",
            Status::MayMiss => "may-miss",
            Status::Rebuilt => "rebuilt",
            Status::Skipped => "skipped",
        }
    }
}

/// One instruction of the next build.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepResult {
    /// The stage's name, or `stage-N`.
    pub stage: String,
    pub stage_index: usize,
    /// 1-based line of the instruction (of the ONBUILD for a fired trigger).
    pub line: usize,
    pub instruction: String,
    pub status: Status,
    /// Why: the first input that changed, or why nothing did.
    pub reason: String,
    /// Whether the step is a cache step: an LLB op for BuildKit (FROM image, RUN, COPY, ADD,
    /// WORKDIR), an image commit for the classic builder (every instruction).
    pub op: bool,
    /// A fired ONBUILD trigger of the base stage.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub trigger: bool,
    /// The line of the step whose change started this chain of misses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause_line: Option<usize>,
    /// Base-image tags not pinned by digest that this step's status assumes did not move
    /// (BuildKit resolves a tag on every build): if one did, the step rebuilds. Set on
    /// `cached` and `may-miss` cache steps; empty with `--assume-tags-unchanged`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on_tags: Vec<String>,
}

/// One entry of the final image's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub created_by: String,
    pub empty_layer: bool,
    /// The step that wrote it; `None` for the base image's own history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub stage: String,
    /// Whether this entry's layer is new in the next build (`rebuilt`), maybe new
    /// (`may-miss`), or reused (`cached`).
    pub status: Status,
    /// A stand-in for the base image's history (not known without the image).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub base: bool,
}

/// How to stop an invalidation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// A stable identifier for lint rules: `cache/copy-manifests-first`, ...
    pub code: &'static str,
    pub line: usize,
    pub message: String,
    /// How many steps this invalidation rebuilds (or may rebuild).
    pub impact: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A diagnostic about the inputs: BuildKit would reject the Dockerfile, a COPY source is
/// missing or ignored, a build arg has no effect, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub cached: usize,
    pub rebuilt: usize,
    pub may_miss: usize,
    pub skipped: usize,
    /// Of the `cached` and `may-miss` steps, how many rebuild if an unpinned base-image tag
    /// moved (those with `depends_on_tags`).
    pub depends_on_tags: usize,
}

/// The whole answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub builder: Builder,
    /// The target stage.
    pub target: String,
    pub steps: Vec<StepResult>,
    pub history: Vec<HistoryEntry>,
    pub advice: Vec<Advice>,
    pub diagnostics: Vec<Note>,
    /// Counts over the cache steps (`op: true`).
    pub summary: Summary,
    /// The base images of the built stages named by a tag, not a digest: BuildKit resolves
    /// them again on every build, so whether they moved cannot be known from here. Empty with
    /// `--assume-tags-unchanged` (and for the classic builder, which uses the local image).
    pub moving_tags: Vec<String>,
}

impl Report {
    /// The result for the first step at `line`.
    pub fn step(&self, line: usize) -> Option<&StepResult> {
        self.steps.iter().find(|s| s.line == line && !s.trigger)
    }

    /// Whether BuildKit (or the classic builder) would refuse the next build.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|n| n.severity == Severity::Error)
    }
}
