//! Runs in headless Chromium: `cargo test -p layerlab-wasm --target wasm32-unknown-unknown`
//! (or `cargo xtask test`). The reports are read back through `serde_wasm_bindgen` *and*
//! through `js_sys::Reflect`, so the tests see what JavaScript sees.
#![cfg(target_arch = "wasm32")]

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, Deserialize)]
struct Report {
    instructions: Vec<Outline>,
    diagnostics: Vec<Diagnostic>,
    escape: String,
}

#[derive(Debug, Deserialize)]
struct Outline {
    keyword: String,
    line: u32,
    end_line: u32,
    stage: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Diagnostic {
    severity: String,
    message: String,
    start: LineCol,
    end: LineCol,
}

#[derive(Debug, Deserialize)]
struct LineCol {
    line: u32,
}

fn parse(text: &str) -> (JsValue, Report) {
    let value = layerlab_wasm::parse(text)
        .map_err(JsValue::from)
        .expect("parse converts every report");
    let report = serde_wasm_bindgen::from_value(value.clone()).expect("a ParseReport");
    (value, report)
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).expect("an object")
}

#[wasm_bindgen_test]
fn good_dockerfile_gives_the_outline() {
    let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS build\nRUN apk add \\\n    curl\nFROM scratch\nCOPY --from=build /a /b\n";
    let (value, report) = parse(text);

    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.escape, "\\");
    let outline: Vec<(&str, u32, u32)> = report
        .instructions
        .iter()
        .map(|i| (i.keyword.as_str(), i.line, i.end_line))
        .collect();
    assert_eq!(
        outline,
        [
            ("FROM", 2, 2),
            ("RUN", 3, 4),
            ("FROM", 5, 5),
            ("COPY", 6, 6)
        ]
    );
    assert_eq!(report.instructions[0].stage.as_deref(), Some("build"));
    assert_eq!(report.instructions[1].stage, None);

    // A plain object with arrays, not a `Map`: what `JSON.stringify` and `postMessage` expect.
    assert!(value.is_object() && !value.is_instance_of::<js_sys::Map>());
    let instructions = get(&value, "instructions");
    assert!(js_sys::Array::is_array(&instructions));
    let first = js_sys::Array::from(&instructions).get(0);
    assert_eq!(get(&first, "keyword").as_string().as_deref(), Some("FROM"));
    // Absent values are `null`, not `undefined`, so they survive JSON.
    assert!(get(&js_sys::Array::from(&instructions).get(1), "stage").is_null());
}

#[wasm_bindgen_test]
fn bad_dockerfile_gives_a_diagnostic_on_its_line() {
    let text = "FROM alpine:3.20\nRUN echo hi\nENV onlyname\nRUN true\n";
    let (_, report) = parse(text);

    let errors: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(errors[0].start.line, 3);
    assert_eq!(errors[0].end.line, 3);
    assert!(
        errors[0].message.contains("ENV must have two arguments"),
        "{}",
        errors[0].message
    );
    // The instruction still appears in the outline: parsing goes on after an error.
    assert_eq!(report.instructions.len(), 4);
}

#[wasm_bindgen_test]
fn a_three_thousand_line_dockerfile_is_parsed() {
    let mut text = String::from("FROM debian:bookworm AS base\n");
    for i in 1..3000 {
        match i % 4 {
            0 => text.push_str(&format!("RUN echo step {i} && true\n")),
            1 => text.push_str(&format!("ENV KEY_{i}=value{i}\n")),
            2 => text.push_str(&format!("COPY src/{i} /app/{i}\n")),
            _ => text.push_str(&format!("LABEL n{i}=\"é😀 {i}\"\n")),
        }
    }
    let (_, report) = parse(&text);

    assert_eq!(report.instructions.len(), 3000);
    assert_eq!(report.instructions[2999].line, 3000);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[wasm_bindgen_test]
fn version_is_the_package_version() {
    assert_eq!(layerlab_wasm::version(), env!("CARGO_PKG_VERSION"));
}

/// A scenario object exactly as JavaScript builds it.
fn scenario(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

fn step(report: &JsValue, line: u32) -> JsValue {
    let steps = js_sys::Array::from(&get(report, "steps"));
    steps
        .iter()
        .find(|s| {
            get(s, "line").as_f64() == Some(f64::from(line)) && get(s, "trigger").is_undefined()
        })
        .expect("a step at that line")
}

fn text_of(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

const NODE: &str = "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nARG V=1\nRUN npm run build\n";

#[wasm_bindgen_test]
fn simulate_takes_a_virtual_context_and_a_change() {
    let input = scenario(
        r#"{
            "context": {
                "package.json": "{}",
                "src/app.js": {"content": "console.log(1)", "mode": 420},
                "bin/run": {"digest": "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", "size": 1, "mode": 493},
                "current": {"symlink": "src"},
                "node_modules/x/index.js": "junk"
            },
            "dockerignore": "node_modules\nDockerfile\n",
            "changed": ["src/app.js"],
            "build_args": {"V": "2"},
            "previous_build_args": {"V": "1"}
        }"#,
    );
    let report = layerlab_wasm::simulate(NODE, input)
        .map_err(JsValue::from)
        .expect("a report");
    assert!(report.is_object() && !report.is_instance_of::<js_sys::Map>());
    assert_eq!(text_of(&report, "builder"), "buildkit");
    assert_eq!(text_of(&step(&report, 1), "status"), "may-miss");
    assert_eq!(text_of(&step(&report, 4), "status"), "cached");
    let tags = js_sys::Array::from(&get(&step(&report, 4), "depends_on_tags"));
    assert_eq!(tags.get(0).as_string().as_deref(), Some("node:20"));
    let copy = step(&report, 5);
    assert_eq!(text_of(&copy, "status"), "rebuilt");
    assert_eq!(text_of(&copy, "reason"), "content of src/app.js changed");
    assert_eq!(text_of(&step(&report, 7), "status"), "rebuilt");
    assert!(js_sys::Array::is_array(&get(&report, "history")));
    assert!(js_sys::Array::is_array(&get(&report, "advice")));
    let summary = get(&report, "summary");
    assert_eq!(get(&summary, "rebuilt").as_f64(), Some(2.0));
    // What the worker posts: it survives JSON.
    let json = js_sys::JSON::stringify(&report).expect("serialisable");
    assert!(json
        .as_string()
        .unwrap_or_default()
        .contains("\"may-miss\""));
}

#[wasm_bindgen_test]
fn simulate_legacy_target_no_cache_and_errors() {
    let df = "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20 AS unused\nRUN true\nFROM scratch\nCOPY --from=build /app /app\n";
    let report = layerlab_wasm::simulate(
        df,
        scenario(
            r#"{"base_changed": ["golang"], "no_cache_filter": [], "assume_tags_unchanged": true}"#,
        ),
    )
    .map_err(JsValue::from)
    .expect("a report");
    assert_eq!(text_of(&step(&report, 1), "status"), "rebuilt");
    assert_eq!(text_of(&step(&report, 4), "status"), "skipped");
    assert_eq!(text_of(&step(&report, 6), "status"), "may-miss");

    let report = layerlab_wasm::simulate(
        df,
        scenario(r#"{"builder": "legacy", "target": "unused", "no_cache": true, "previous_dockerfile": null}"#),
    )
    .map_err(JsValue::from)
    .expect("a report");
    assert_eq!(text_of(&report, "builder"), "legacy");
    // The classic builder builds every stage up to the target.
    assert_eq!(text_of(&step(&report, 2), "status"), "rebuilt");
    assert_eq!(text_of(&step(&report, 4), "status"), "rebuilt");

    // No scenario at all: nothing changed.
    let report = layerlab_wasm::simulate(df, JsValue::UNDEFINED)
        .map_err(JsValue::from)
        .expect("a report");
    assert_eq!(get(&get(&report, "summary"), "rebuilt").as_f64(), Some(0.0));

    // A misspelt field and a .dockerignore BuildKit refuses are errors, not guesses.
    let error = layerlab_wasm::simulate(df, scenario(r#"{"changes": ["a"]}"#))
        .map(|_| ())
        .map_err(JsValue::from)
        .expect_err("unknown field");
    let message = js_sys::Error::from(error)
        .message()
        .as_string()
        .unwrap_or_default();
    assert!(message.contains("unknown field `changes`"), "{message}");
    let error = layerlab_wasm::simulate(df, scenario(r#"{"dockerignore": "["}"#))
        .map(|_| ())
        .map_err(JsValue::from)
        .expect_err("bad pattern");
    let message = js_sys::Error::from(error)
        .message()
        .as_string()
        .unwrap_or_default();
    assert!(message.starts_with(".dockerignore:1:"), "{message}");
}
