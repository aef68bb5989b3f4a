//! The instruction layer: BuildKit's `instructions.Parse` validation.
//! (Being written; see crates/syntax/src/instructions.rs owner.)

use crate::{Diagnostic, Dockerfile};

/// The errors BuildKit's instruction layer raises for this file.
pub fn check(_dockerfile: &Dockerfile) -> Vec<Diagnostic> {
    Vec::new()
}
