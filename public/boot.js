// Starts the app. Trunk writes this tag with the hashed names of the wasm-bindgen glue and
// the wasm (Trunk.toml `pattern_script`); an external file keeps the page free of inline
// scripts, so the Content-Security-Policy can forbid them.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

// Offline (public/sw.js): after this first visit the app loads and works with the network
// off. Not from file:// (the single-file build), where service workers do not exist.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register("./sw.js").catch((error) => {
    console.warn("layerlab: offline use is unavailable:", error);
  });
}
