//! The page's reading of `layerlab_buildsim::Report` (which only serialises). The page never
//! links the simulator; `engine::tests` checks that these types read what it writes.

use serde::Deserialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheStatus {
    Cached,
    MayMiss,
    Rebuilt,
    Skipped,
}

impl CacheStatus {
    /// The `data-status` value and the label shown.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Cached => "cached",
            CacheStatus::MayMiss => "may-miss",
            CacheStatus::Rebuilt => "rebuilt",
            CacheStatus::Skipped => "skipped",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Step {
    pub stage: String,
    pub line: u32,
    pub instruction: String,
    pub status: CacheStatus,
    pub reason: String,
    /// A cache step: an op that BuildKit keys (for the classic builder, every step).
    pub op: bool,
    #[serde(default)]
    pub trigger: bool,
    #[serde(default)]
    pub cause_line: Option<u32>,
    #[serde(default)]
    pub depends_on_tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Layer {
    pub created_by: String,
    pub empty_layer: bool,
    #[serde(default)]
    pub line: Option<u32>,
    pub stage: String,
    pub status: CacheStatus,
    #[serde(default)]
    pub base: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Advice {
    pub code: String,
    pub line: u32,
    pub message: String,
    pub impact: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteSeverity {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Note {
    pub severity: NoteSeverity,
    #[serde(default)]
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Summary {
    pub cached: u32,
    pub rebuilt: u32,
    pub may_miss: u32,
    pub skipped: u32,
    pub depends_on_tags: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Simulation {
    pub builder: String,
    pub target: String,
    pub steps: Vec<Step>,
    /// The predicted image history: one entry per layer (or empty layer) of the target.
    pub history: Vec<Layer>,
    pub advice: Vec<Advice>,
    pub diagnostics: Vec<Note>,
    pub summary: Summary,
    pub moving_tags: Vec<String>,
}

impl Simulation {
    /// The stage names, in order of first appearance, for the target picker.
    pub fn stages(&self) -> Vec<String> {
        let mut stages: Vec<String> = Vec::new();
        for step in &self.steps {
            if !stages.contains(&step.stage) {
                stages.push(step.stage.clone());
            }
        }
        stages
    }
}
