use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    /// The shown report belongs to the text in the editor.
    pub up_to_date: bool,
    pub has_report: bool,
    /// The latest edit could not be parsed (the page shows why).
    pub failed: bool,
    pub elapsed_ms: Option<f64>,
    pub version: Option<AttrValue>,
}

/// One line about the parser: working or done, how long it took, which version.
#[component]
pub fn Status(props: &StatusProps) -> Html {
    let state = match (props.up_to_date, props.failed) {
        (true, _) => "idle",
        (false, true) => "failed",
        (false, false) => "parsing",
    };
    let text = match (props.has_report, props.up_to_date, props.elapsed_ms) {
        _ if state == "failed" => "Not parsed".to_owned(),
        (false, _, _) => "Starting the parser…".to_owned(),
        (true, false, _) => "Parsing…".to_owned(),
        (true, true, Some(ms)) => format!("Parsed in {ms:.1} ms"),
        (true, true, None) => "Parsed".to_owned(),
    };
    html! {
        <p class="status" data-testid="status" data-state={state} role="status">
            <span class="status-text">{ text }</span>
            if let Some(version) = &props.version {
                <span class="version">{ format!("parser {version}") }</span>
            }
        </p>
    }
}
