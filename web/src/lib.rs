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
//!
//! Only the worker binary links the parser (`layerlab-wasm`); this library never names it, so
//! the page's wasm stays small.

pub mod app;
pub mod components;
pub mod hooks;
pub mod protocol;
pub mod sample;
pub mod scheduler;
pub mod share;
pub mod simulate;
pub mod text;
pub mod worker_client;
