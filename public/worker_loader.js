// Starts the parser worker: the page runs `new Worker("./worker_loader.js")`. Trunk builds
// `worker.js` (wasm-bindgen's no-modules glue, defining `wasm_bindgen`) and `worker_bg.wasm`
// from the `worker` binary, named without a hash so they can be found from here.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
