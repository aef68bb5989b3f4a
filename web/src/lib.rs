//! The layerlab playground: a Yew app (`bin/app.rs`) whose parsing runs in a Web Worker
//! (`bin/worker.rs`), built by Trunk from /index.html.
//!
//! Layout, so new panels have an obvious home:
//! - [`protocol`]: the typed messages between page and worker, and their JS encoding.
//! - [`scheduler`]: which edit goes to the worker and which reply is shown (pure logic).
//! - [`worker_client`]: the page's end of the worker (start, send, receive, restart).
//! - [`hooks`]: hooks that tie those to components (`use_parser`).
//! - [`components`]: views, one per file; [`app`] lays them out.
//! - [`text`]: positions in the editor text (UTF-16, as the browser counts).
//! - [`image`]: the image explorer (`#/image`); its analysis runs in `bin/image_worker`.
//! - [`highlight`]: the editor's syntax colours (a small line lexer, no parser needed).
//! - [`fixes`]: applying a finding's fix to the editor text.
//! - [`marks`]: where the editor draws a report's findings (squiggles, gutter markers).
//! - [`settings`]: the lint settings (per-rule levels, `.hadolint.yaml`), serialisable.
//! - [`gallery`]: the example Dockerfiles for workshops.
//!
//! Only the worker binary links the parser (`layerlab-wasm`); this library never names it, so
//! the page's wasm stays small.

pub mod app;
pub mod components;
pub mod fixes;
pub mod gallery;
pub mod highlight;
pub mod hooks;
pub mod image;
pub mod marks;
pub mod protocol;
pub mod sample;
pub mod scheduler;
pub mod settings;
pub mod share;
pub mod simulate;
pub mod text;
pub mod worker_client;
pub mod worker_handle;
