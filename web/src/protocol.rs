//! The messages between the page and the parser worker, and their JavaScript encoding.
//!
//! Both ends use these types, so the shape of what crosses `postMessage` is decided here and
//! nowhere else. The report types mirror `layerlab_wasm::Analysis` (which only serializes);
//! `tests::report_contract` checks that the two agree.

use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use crate::settings::LintSettings;

/// The worker's loader script, relative to the page (public/worker_loader.js): it imports
/// `worker.js` and starts `worker_bg.wasm`, which Trunk builds from the `worker` binary.
pub const WORKER_URL: &str = "./worker_loader.js";

/// Page → worker: parse this text. `seq` grows with every edit; replies carry it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseRequest {
    pub seq: u32,
    pub text: String,
    /// How to lint it (the page's rule settings and imported `.hadolint.yaml`).
    #[serde(default)]
    pub settings: LintSettings,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerMessage {
    /// The worker has loaded its wasm and listens. Requests sent earlier would be lost.
    Ready {
        version: String,
        /// The linter's rules, for the settings list.
        #[serde(default)]
        rules: Vec<RuleInfo>,
    },
    Parsed {
        seq: u32,
        /// Time spent in the parser, measured inside the worker.
        elapsed_ms: f64,
        /// On the wire: JSON bytes (see [`report_from_json`]).
        #[serde(deserialize_with = "report_from_json")]
        report: Report,
        /// What was wrong with the request's settings (e.g. a malformed `.hadolint.yaml`).
        #[serde(default)]
        config_problems: Vec<ConfigProblem>,
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
    /// The rule's mechanical fix, if it has one.
    #[serde(default)]
    pub fix: Option<Fix>,
}

/// A rule's fix: edits of the text the report was made from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Fix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TextEdit {
    /// UTF-8 byte offsets.
    pub span: ByteSpan,
    pub replacement: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

/// A rule, as the settings list shows it (`layerlab_wasm::RuleInfo`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub code: String,
    pub summary: String,
    /// Its default level; `ignore` when it is off unless enabled.
    pub level: String,
    pub fixable: bool,
}

/// A problem with the settings (`layerlab_wasm::ConfigProblem`): 1-based line and column in
/// the `.hadolint.yaml`, or line 0 for a rule choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
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

/// Reads a report sent as JSON bytes, as the worker sends it: a 3,000-finding report read
/// field by field through `serde_wasm_bindgen` costs the page tens of milliseconds of calls
/// between wasm and JavaScript, and even one JSON string is re-encoded character by character
/// on its way into wasm (9 ms for 1 MB); bytes are one copy. A report given as a JSON string
/// or as an object (as the tests write them) is read as such.
fn report_from_json<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Report, D::Error> {
    struct ReportVisitor;
    impl<'de> serde::de::Visitor<'de> for ReportVisitor {
        type Value = Report;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a report, or a report as a JSON string")
        }
        fn visit_bytes<E: serde::de::Error>(self, json: &[u8]) -> Result<Report, E> {
            // Through `from_str`, not `from_slice`: a second reader type would compile the
            // whole report deserializer twice into the page's wasm (+3 KB gzipped).
            let json = std::str::from_utf8(json).map_err(E::custom)?;
            self.visit_str(json)
        }
        fn visit_str<E: serde::de::Error>(self, json: &str) -> Result<Report, E> {
            serde_json::from_str(json).map_err(E::custom)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Report, A::Error> {
            Report::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_any(ReportVisitor)
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
/// JS value (the report's JSON bytes), so it is not converted twice.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Outgoing<'a> {
    Ready { version: &'a str },
    Parsed { seq: u32, elapsed_ms: f64 },
    Failed { seq: Option<u32>, message: &'a str },
}

pub fn encode_ready(version: &str, rules: &[RuleInfo]) -> Result<JsValue, ProtocolError> {
    let message = to_js(&Outgoing::Ready { version })?;
    attach(&message, "rules", &to_js(&rules)?)?;
    Ok(message)
}

pub fn encode_parsed(
    seq: u32,
    elapsed_ms: f64,
    report: &JsValue,
    config_problems: &[ConfigProblem],
) -> Result<JsValue, ProtocolError> {
    let message = to_js(&Outgoing::Parsed { seq, elapsed_ms })?;
    attach(&message, "report", report)?;
    attach(&message, "config_problems", &to_js(&config_problems)?)?;
    Ok(message)
}

/// Sets `message[key] = value` on an envelope made by [`to_js`].
fn attach(message: &JsValue, key: &str, value: &JsValue) -> Result<(), ProtocolError> {
    let object: &js_sys::Object = message
        .dyn_ref()
        .ok_or_else(|| ProtocolError("an envelope that is not an object".into()))?;
    js_sys::Reflect::set(object, &JsValue::from_str(key), value)
        .map_err(|_| ProtocolError(format!("could not attach the {key}")))?;
    Ok(())
}

pub fn encode_failed(seq: Option<u32>, message: &str) -> Result<JsValue, ProtocolError> {
    to_js(&Outgoing::Failed { seq, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker sends the report as JSON bytes; a JSON string still reads the same.
    #[test]
    fn reports_read_from_json_bytes_and_strings() {
        use serde::de::value::{BytesDeserializer, Error, StrDeserializer};
        let json = serde_json::to_vec(&layerlab_wasm::analysis("FROM alpine\nRUN cd /x\n"))
            .expect("the report serializes");
        let from_bytes =
            report_from_json(BytesDeserializer::<Error>::new(&json)).expect("reads bytes");
        let text = std::str::from_utf8(&json).expect("utf-8");
        let from_text = report_from_json(StrDeserializer::<Error>::new(text)).expect("reads text");
        assert_eq!(from_bytes, from_text);
        assert!(!from_bytes.diagnostics.is_empty());
        assert!(report_from_json(BytesDeserializer::<Error>::new(b"{not json")).is_err());
    }

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

    /// Fixes, the rule catalogue and configuration problems read as the page expects.
    #[test]
    fn fix_catalogue_and_problem_contract() {
        let text = "FROM alpine:3.20\nADD app.py /app/\n";
        let written =
            serde_json::to_value(layerlab_wasm::analysis(text)).expect("the report serializes");
        let report: Report = serde_json::from_value(written).expect("the mirror reads it");
        let add = report
            .diagnostics
            .iter()
            .find(|d| d.code == "DL3020")
            .expect("ADD of a local file");
        let fix = add.fix.as_ref().expect("DL3020 has a fix");
        assert_eq!(fix.edits[0].replacement, "COPY");
        assert_eq!(&text[fix.edits[0].span.start..fix.edits[0].span.end], "ADD");

        let rules: Vec<RuleInfo> = serde_json::from_value(
            serde_json::to_value(layerlab_wasm::rule_catalogue()).expect("json"),
        )
        .expect("the mirror reads the catalogue");
        assert!(rules.iter().any(|r| r.code == "DL3020" && r.fixable));

        let config = layerlab_wasm::LintConfig {
            hadolint_yaml: "ignored: [\n".into(),
            ..Default::default()
        };
        let (_, problems) = layerlab_wasm::lint_options(&config);
        let problems: Vec<ConfigProblem> =
            serde_json::from_value(serde_json::to_value(problems).expect("json")).expect("reads");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].line >= 1);
    }

    #[test]
    fn worker_messages_are_tagged_by_kind() {
        let ready: WorkerMessage =
            serde_json::from_str(r#"{"kind":"ready","version":"0.1.0"}"#).expect("ready");
        assert_eq!(
            ready,
            WorkerMessage::Ready {
                version: "0.1.0".into(),
                rules: Vec::new(),
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
