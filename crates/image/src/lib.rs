//! layerlab's image analyzer: opens docker and OCI image archives through a random-access
//! source, streams every layer once, verifies every digest, and builds the merged filesystem,
//! the waste figures (dive-compatible and corrected), packages and findings.
//!
//! No IO of its own: callers hand in a [`source::ReadAt`] (a file in the CLI, `File` slices in
//! the browser). Nothing here panics on input; bad archives become problems in the report.

pub mod archive;
pub mod compress;
pub mod diff;
pub mod dive;
pub mod entry_content;
pub mod findings;
pub mod inspect;
pub mod layout;
pub mod merge;
pub mod model;
pub mod packages;
mod path_tree;
pub mod report;
pub mod scan;
pub mod scan_codec;
pub mod secrets;
pub mod source;
pub mod tar;

#[cfg(test)]
mod test_support;
