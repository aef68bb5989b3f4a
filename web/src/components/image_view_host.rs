//! Where the image explorer appears. Its code is a wasm of its own (`bin/image_view.rs`),
//! loaded the first time the view opens, so the first page load stays small. The explorer
//! renders into an element it owns; this host moves that element into the view, and the
//! element (with the explorer's state: open images, selections) outlives tab switches.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The `window` property under which the loaded view leaves its element.
pub const VIEW_GLOBAL: &str = "layerlabImageView";
/// The event the loaded view fires on `window` once its element exists.
pub const READY_EVENT: &str = "layerlab-image-view-ready";
/// The loader script (public/image_view_loader.js).
const LOADER: &str = "./image_view_loader.js";

fn loaded_view(window: &web_sys::Window) -> Option<web_sys::Element> {
    js_sys::Reflect::get(window, &JsValue::from_str(VIEW_GLOBAL))
        .ok()?
        .dyn_into()
        .ok()
}

/// The loader's URL: the file beside the page, or what the single-file build provides
/// (`layerlabResolveScript`, xtask/src/single_file.rs: a Blob URL with the view inside).
fn loader_url(window: &web_sys::Window) -> String {
    js_sys::Reflect::get(window, &JsValue::from_str("layerlabResolveScript"))
        .ok()
        .and_then(|resolve| resolve.dyn_into::<js_sys::Function>().ok())
        .and_then(|resolve| resolve.call1(window, &JsValue::from_str(LOADER)).ok())
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| LOADER.to_owned())
}

/// Adds the loader script once; later calls find it in the document.
fn request_view(window: &web_sys::Window, document: &web_sys::Document) {
    let present = document.query_selector("script[data-image-view]");
    if present.ok().flatten().is_some() {
        return;
    }
    let Ok(script) = document.create_element("script") else {
        return;
    };
    let added = script
        .set_attribute("data-image-view", "")
        .and_then(|()| script.set_attribute("src", &loader_url(window)))
        .and_then(|()| {
            document
                .head()
                .map_or(Ok(()), |head| head.append_child(&script).map(drop))
        });
    if let Err(error) = added {
        web_sys::console::error_2(
            &JsValue::from_str("layerlab: cannot load the image view:"),
            &error,
        );
    }
}

#[component]
pub fn ImageViewHost() -> Html {
    let host = use_node_ref();
    let loading = use_state(|| true);
    {
        let (host, loading) = (host.clone(), loading.setter());
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let attach = move || {
                let view = web_sys::window().as_ref().and_then(loaded_view);
                if let (Some(view), Some(host)) = (view, host.cast::<web_sys::Element>()) {
                    if host.append_child(&view).is_ok() {
                        loading.set(false);
                    }
                }
            };
            let already_loaded = window.as_ref().and_then(loaded_view).is_some();
            let listener = Closure::<dyn Fn()>::new(attach.clone());
            if already_loaded {
                attach();
            } else if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    READY_EVENT,
                    listener.as_ref().unchecked_ref(),
                );
                if let Some(document) = window.document() {
                    request_view(window, &document);
                }
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        READY_EVENT,
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    html! {
        <div class="image-view-host" ref={host} data-testid="image-view-host">
            if *loading {
                <p class="image-view-loading" role="status">{ "Loading the image explorer…" }</p>
            }
        </div>
    }
}
