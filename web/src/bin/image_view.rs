//! The image explorer view, built as a wasm of its own so the first page load does not carry
//! it (about 90 KB gzipped). The page loads it through public/image_view_loader.js the first
//! time `#/image` opens; it renders the explorer into an element of its own and hands that
//! element to the page (`window.layerlabImageView`, then the `layerlab-image-view-ready`
//! event), which places it in the view and keeps it across tab switches (see
//! `components::image_view_host`).

use layerlab_web::components::image_view_host::{READY_EVENT, VIEW_GLOBAL};
use layerlab_web::image::explorer::ImageExplorer;
use wasm_bindgen::JsValue;

fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.create_element("div").ok()) else {
        return;
    };
    root.set_class_name("image-view");
    yew::Renderer::<ImageExplorer>::with_root(root.clone()).render();
    let handed = js_sys::Reflect::set(&window, &JsValue::from_str(VIEW_GLOBAL), &root)
        .and_then(|_| web_sys::Event::new(READY_EVENT))
        .and_then(|event| window.dispatch_event(&event));
    if let Err(error) = handed {
        web_sys::console::error_2(&JsValue::from_str("layerlab image view:"), &error);
    }
}
