//! The messages between the page and the parser worker, and their JavaScript encoding.
//!
//! Both ends use these types, so the shape of what crosses `postMessage` is decided here and
//! nowhere else. The report types mirror `layerlab_wasm::Analysis` (which only serializes);
//! `tests::report_contract` checks that the two agree.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// The worker's loader script, relative to the page (public/worker_loader.js): it imports
/// `worker.js` and starts `worker_bg.wasm`, which Trunk builds from the `worker` binary.
pub const WORKER_URL: &str = "./worker_loader.js";

/// Page → worker: parse this text. `seq` grows with every edit; replies carry it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseRequest {
    pub seq: u32,
    pub text: String,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerMessage {
    /// The worker has loaded its wasm and listens. Requests sent earlier would be lost.
    Ready { version: String },
    Parsed {
        seq: u32,
        /// Time spent in the parser, measured inside the worker.
        elapsed_ms: f64,
        report: Report,
    },
    /// A request could not be handled; `seq` is absent when the request itself was unreadable.
    Failed { seq: Option<u32>, message: String },
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Report {
    pub instructions: Vec<OutlineEntry>,
    pub diagnostics: Vec<Diagnostic>,
    pub escape: char,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OutlineEntry {
    pub keyword: String,
    /// 1-based first and last line.
    pub line: u32,
    pub end_line: u32,
    pub summary: String,
    pub stage: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub start: LineCol,
    pub end: LineCol,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

/// 1-based. The page selects text by `utf16_column`, since JavaScript strings are UTF-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
    pub utf16_column: u32,
}

/// A message that did not have the expected shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "worker protocol: {}", self.0)
    }
}

impl From<serde_wasm_bindgen::Error> for ProtocolError {
    fn from(error: serde_wasm_bindgen::Error) -> Self {
        ProtocolError(error.to_string())
    }
}

/// The encoding every message uses: plain objects, `null` for `None`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ProtocolError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

pub fn encode_request(request: &ParseRequest) -> Result<JsValue, ProtocolError> {
    to_js(request)
}

pub fn decode_request(value: JsValue) -> Result<ParseRequest, ProtocolError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

pub fn decode_message(value: JsValue) -> Result<WorkerMessage, ProtocolError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// The worker side of [`WorkerMessage`]. `Parsed` is built around a report that is already a
/// JS object (from `layerlab_wasm::parse`), so it is not converted twice.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Outgoing<'a> {
    Ready { version: &'a str },
    Parsed { seq: u32, elapsed_ms: f64 },
    Failed { seq: Option<u32>, message: &'a str },
}

pub fn encode_ready(version: &str) -> Result<JsValue, ProtocolError> {
    to_js(&Outgoing::Ready { version })
}

pub fn encode_parsed(
    seq: u32,
    elapsed_ms: f64,
    report: &JsValue,
) -> Result<JsValue, ProtocolError> {
    let message = to_js(&Outgoing::Parsed { seq, elapsed_ms })?;
    let object: &js_sys::Object = message
        .dyn_ref()
        .ok_or_else(|| ProtocolError("an envelope that is not an object".into()))?;
    js_sys::Reflect::set(object, &JsValue::from_str("report"), report)
        .map_err(|_| ProtocolError("could not attach the report".into()))?;
    Ok(message)
}

pub fn encode_failed(seq: Option<u32>, message: &str) -> Result<JsValue, ProtocolError> {
    to_js(&Outgoing::Failed { seq, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mirror types read what the parser crate writes: the same serde data model that
    /// `serde_wasm_bindgen` uses in the browser, checked here through JSON.
    #[test]
    fn report_contract() {
        let text = "FROM alpine:3.20 AS build\nRUN echo hi\nENV onlyname\n";
        let written =
            serde_json::to_value(layerlab_wasm::analysis(text)).expect("the report serializes");
        let report: Report = serde_json::from_value(written).expect("the mirror reads it");

        let outline: Vec<(&str, u32)> = report
            .instructions
            .iter()
            .map(|entry| (entry.keyword.as_str(), entry.line))
            .collect();
        assert_eq!(outline, [("FROM", 1), ("RUN", 2), ("ENV", 3)]);
        assert_eq!(report.instructions[0].stage.as_deref(), Some("build"));
        assert_eq!(report.escape, '\\');
        let error = report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .expect("ENV with one argument is an error");
        assert_eq!(error.start.line, 3);
    }

    #[test]
    fn worker_messages_are_tagged_by_kind() {
        let ready: WorkerMessage =
            serde_json::from_str(r#"{"kind":"ready","version":"0.1.0"}"#).expect("ready");
        assert_eq!(
            ready,
            WorkerMessage::Ready {
                version: "0.1.0".into()
            }
        );

        let failed: WorkerMessage =
            serde_json::from_str(r#"{"kind":"failed","seq":null,"message":"bad request"}"#)
                .expect("failed");
        assert_eq!(
            failed,
            WorkerMessage::Failed {
                seq: None,
                message: "bad request".into()
            }
        );

        let parsed = r#"{"kind":"parsed","seq":7,"elapsed_ms":0.5,
            "report":{"instructions":[],"diagnostics":[],"escape":"`"}}"#;
        let WorkerMessage::Parsed { seq, report, .. } =
            serde_json::from_str(parsed).expect("parsed")
        else {
            unreachable!("tagged as parsed")
        };
        assert_eq!((seq, report.escape), (7, '`'));
    }

    #[test]
    fn outgoing_messages_use_the_same_tags() {
        let ready = serde_json::to_value(Outgoing::Ready { version: "1" }).expect("json");
        assert_eq!(ready, serde_json::json!({"kind": "ready", "version": "1"}));
        let parsed = serde_json::to_value(Outgoing::Parsed {
            seq: 3,
            elapsed_ms: 1.5,
        })
        .expect("json");
        assert_eq!(
            parsed,
            serde_json::json!({"kind": "parsed", "seq": 3, "elapsed_ms": 1.5})
        );
    }
}
