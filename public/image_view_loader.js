// Loads the image explorer view the first time `#/image` opens (the page adds this script;
// see web/src/components/image_view_host.rs). Trunk builds `image_view.js` (wasm-bindgen's
// no-modules glue, defining `wasm_bindgen`) and `image_view_bg.wasm` from the `image_view`
// binary, named without a hash so they can be found from here.
(() => {
  const glue = document.createElement("script");
  glue.src = "./image_view.js";
  glue.onload = () => wasm_bindgen({ module_or_path: "./image_view_bg.wasm" });
  document.head.appendChild(glue);
})();
