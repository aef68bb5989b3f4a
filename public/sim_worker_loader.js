// Starts the cache simulation worker: the page runs `new Worker("./sim_worker_loader.js")`
// the first time the simulation panel opens. Trunk builds `sim_worker.js` (wasm-bindgen's
// no-modules glue) and `sim_worker_bg.wasm` from the `sim_worker` binary, without a hash.
importScripts("./sim_worker.js");
wasm_bindgen({ module_or_path: "./sim_worker_bg.wasm" });
