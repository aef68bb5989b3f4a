// Starts the app. Trunk writes this tag with the hashed names of the wasm-bindgen glue and
// the wasm (Trunk.toml `pattern_script`); an external file keeps the page free of inline
// scripts, so the Content-Security-Policy can forbid them.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
