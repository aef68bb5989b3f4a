//! The cache simulation panel (issue 6 §2): for the Dockerfile in the editor, a virtual build
//! context, `.dockerignore`, build args, target and "what if I change …" toggles, and every
//! step's predicted cache status with its reason, the predicted layers and the advice.
//!
//! - [`scenario`]: what the panel edits (plain data; share links carry it).
//! - [`panel`], [`results`]: the views; [`folder`]: reading a picked or dropped folder.
//! - [`client`], [`protocol`]: the simulation worker (`bin/sim_worker.rs`), started the first
//!   time the panel opens, so the simulator is not part of the first load.
//! - [`engine`]: the scenario run through `layerlab_buildsim`; only the worker calls it.
//! - [`report`]: the page's reading of the simulator's report.

pub mod client;
pub mod engine;
pub mod folder;
pub mod panel;
pub mod protocol;
pub mod report;
pub mod results;
pub mod scenario;

pub use panel::SimulationPanel;
pub use scenario::SimScenario;
