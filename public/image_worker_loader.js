// Starts the image worker: the image explorer runs `new Worker("./image_worker_loader.js")`
// when the user opens an image (never on page load). Trunk builds `image_worker.js`
// (wasm-bindgen's no-modules glue) and `image_worker_bg.wasm` from the `image_worker`
// binary, named without a hash so they can be found from here.
importScripts("./image_worker.js");
wasm_bindgen({ module_or_path: "./image_worker_bg.wasm" });
