//! The parser worker. Trunk builds it from /index.html (`data-bin="worker"`); the page starts
//! it as a classic Web Worker through public/worker_loader.js.
//!
//! It answers each `ParseRequest` with the outline and lint findings from
//! `layerlab_wasm::analysis_with`, linted with the request's settings. Requests are
//! handled one at a time, in order; the page decides which replies it shows.

use layerlab_web::protocol;
use layerlab_web::settings::LintSettings;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    layerlab_wasm::install_panic_hook();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = handle(&reply_to, event.data());
        post(&reply_to, reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler must live as long as the worker does; there is nothing to free it at.
    on_message.forget();
    // Messages sent before this point were dropped: the page waits for this one.
    post(
        &scope,
        protocol::encode_ready(&layerlab_wasm::version(), &rule_catalogue()),
    );
}

fn rule_catalogue() -> Vec<protocol::RuleInfo> {
    layerlab_wasm::rule_catalogue()
        .into_iter()
        .map(|rule| protocol::RuleInfo {
            code: rule.code.to_owned(),
            summary: rule.summary.to_owned(),
            level: rule.level.to_owned(),
            fixable: rule.fixable,
        })
        .collect()
}

/// The page's settings in the linter's terms (see `layerlab_wasm::lint_options`).
fn lint_config(settings: &LintSettings) -> layerlab_wasm::LintConfig {
    layerlab_wasm::LintConfig {
        hadolint_yaml: settings.hadolint_yaml.clone(),
        rules: settings
            .rules
            .iter()
            .map(|(code, choice)| (code.clone(), choice.as_str().to_owned()))
            .collect(),
    }
}

fn handle(
    scope: &DedicatedWorkerGlobalScope,
    data: JsValue,
) -> Result<JsValue, protocol::ProtocolError> {
    let request = match protocol::decode_request(data) {
        Ok(request) => request,
        Err(error) => return protocol::encode_failed(None, &error.to_string()),
    };
    let started = now(scope);
    let (options, problems) = layerlab_wasm::lint_options(&lint_config(&request.settings));
    let config_problems: Vec<protocol::ConfigProblem> = problems
        .into_iter()
        .map(|p| protocol::ConfigProblem {
            line: p.line,
            column: p.column,
            message: p.message,
        })
        .collect();
    let analysis = layerlab_wasm::analysis_with(&request.text, &options);
    // JSON bytes: the page copies them into its memory in one call (see
    // `protocol::report_from_json`).
    match serde_json::to_vec(&analysis) {
        Ok(report) => {
            let elapsed_ms = (now(scope) - started).max(0.0);
            let report = js_sys::Uint8Array::from(report.as_slice()).into();
            protocol::encode_parsed(request.seq, elapsed_ms, &report, &config_problems)
                // The page must hear back about every request, or it waits forever.
                .or_else(|error| protocol::encode_failed(Some(request.seq), &error.to_string()))
        }
        Err(error) => protocol::encode_failed(Some(request.seq), &error.to_string()),
    }
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().map_or(0.0, |p| p.now())
}

fn post(scope: &DedicatedWorkerGlobalScope, message: Result<JsValue, protocol::ProtocolError>) {
    let posted = message
        .map_err(|error| JsValue::from_str(&error.to_string()))
        .and_then(|message| scope.post_message(&message));
    if let Err(error) = posted {
        // Nothing else can be told; the page shows the report as out of date.
        web_sys::console::error_2(&JsValue::from_str("layerlab worker:"), &error);
    }
}
