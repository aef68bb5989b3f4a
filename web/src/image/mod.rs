//! The image explorer (`#/image`). The page's side only: the analysis runs in the image
//! worker (`bin/image_worker`), the only binary that links `layerlab-image`.
//!
//! - [`protocol`]: the messages between page and image worker.
//! - [`client`]: starts the worker on the first image and relays its messages.
//! - [`state`]: what the explorer knows, updated by those messages (a pure reducer).
//! - [`tree`]: the file tree as data (sizes, sorting, bounded rows), pure.
//! - [`scan_pool`]: which layer each of the image worker's scan workers reads, pure.
//! - [`explorer`] lays out [`layers`], [`files`] and [`panels`]; [`format`] writes numbers.

pub mod client;
pub mod explorer;
pub mod files;
pub mod format;
pub mod layers;
pub mod panels;
pub mod protocol;
pub mod scan_pool;
pub mod state;
pub mod tree;
