//! The cache simulation worker. Trunk builds it from /index.html (`data-bin="sim_worker"`);
//! the page starts it through public/sim_worker_loader.js the first time the simulation
//! panel opens. It is the only binary that links the simulator (`layerlab-buildsim`).

use layerlab_web::simulate::{engine, protocol};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = handle(&reply_to, event.data());
        post(&reply_to, reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker; there is nothing to free it at.
    on_message.forget();
    post(&scope, protocol::encode_ready());
}

fn handle(
    scope: &DedicatedWorkerGlobalScope,
    data: JsValue,
) -> Result<JsValue, layerlab_web::protocol::ProtocolError> {
    let request = match protocol::decode_request(data) {
        Ok(request) => request,
        Err(error) => return protocol::encode_failed(None, &error.to_string()),
    };
    let started = now(scope);
    match engine::run(&request.dockerfile, &request.scenario) {
        Ok(report) => {
            let elapsed_ms = (now(scope) - started).max(0.0);
            protocol::encode_simulated(request.seq, elapsed_ms, &report)
                // The page must hear back about every request, or it waits forever.
                .or_else(|error| protocol::encode_failed(Some(request.seq), &error.to_string()))
        }
        Err(message) => protocol::encode_failed(Some(request.seq), &message),
    }
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().map_or(0.0, |p| p.now())
}

fn post(
    scope: &DedicatedWorkerGlobalScope,
    message: Result<JsValue, layerlab_web::protocol::ProtocolError>,
) {
    let posted = message
        .map_err(|error| JsValue::from_str(&error.to_string()))
        .and_then(|message| scope.post_message(&message));
    if let Err(error) = posted {
        web_sys::console::error_2(&JsValue::from_str("layerlab simulator:"), &error);
    }
}
