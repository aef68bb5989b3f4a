//! The messages between the page and the simulation worker (`bin/sim_worker.rs`), and their
//! JavaScript encoding (plain objects, as in `crate::protocol`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::report::Simulation;
use super::scenario::SimScenario;
use crate::protocol::ProtocolError;

/// The simulation worker's loader (public/sim_worker_loader.js), relative to the page. It is
/// started the first time the panel is opened, never on page load.
pub const SIM_WORKER_URL: &str = "./sim_worker_loader.js";

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimRequest {
    pub seq: u32,
    pub dockerfile: String,
    pub scenario: SimScenario,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimMessage {
    Ready,
    Simulated {
        seq: u32,
        elapsed_ms: f64,
        report: Simulation,
    },
    Failed {
        seq: Option<u32>,
        message: String,
    },
}

/// The worker's side of [`SimMessage`]: the report is already a JS object.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Outgoing<'a> {
    Ready,
    Simulated { seq: u32, elapsed_ms: f64 },
    Failed { seq: Option<u32>, message: &'a str },
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, ProtocolError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

pub fn encode_request(request: &SimRequest) -> Result<JsValue, ProtocolError> {
    to_js(request)
}

pub fn decode_request(value: JsValue) -> Result<SimRequest, ProtocolError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

pub fn decode_message(value: JsValue) -> Result<SimMessage, ProtocolError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

pub fn encode_ready() -> Result<JsValue, ProtocolError> {
    to_js(&Outgoing::Ready)
}

/// `report` is any serialisable report (the worker passes `layerlab_buildsim::Report`).
pub fn encode_simulated<R: Serialize>(
    seq: u32,
    elapsed_ms: f64,
    report: &R,
) -> Result<JsValue, ProtocolError> {
    let message = to_js(&Outgoing::Simulated { seq, elapsed_ms })?;
    let report = to_js(report)?;
    js_sys::Reflect::set(&message, &JsValue::from_str("report"), &report)
        .map_err(|_| ProtocolError("could not attach the simulation".into()))?;
    Ok(message)
}

pub fn encode_failed(seq: Option<u32>, message: &str) -> Result<JsValue, ProtocolError> {
    to_js(&Outgoing::Failed { seq, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_tagged_by_kind() {
        let ready: SimMessage = serde_json::from_str(r#"{"kind":"ready"}"#).expect("ready");
        assert_eq!(ready, SimMessage::Ready);
        assert_eq!(
            serde_json::to_value(Outgoing::Simulated {
                seq: 2,
                elapsed_ms: 1.0
            })
            .expect("json"),
            serde_json::json!({"kind": "simulated", "seq": 2, "elapsed_ms": 1.0})
        );
        let failed: SimMessage =
            serde_json::from_str(r#"{"kind":"failed","seq":4,"message":"no"}"#).expect("failed");
        assert_eq!(
            failed,
            SimMessage::Failed {
                seq: Some(4),
                message: "no".into()
            }
        );
    }
}
